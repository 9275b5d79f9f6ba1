import os
import re

import pytest
from django.core.management import call_command

from wagtail_awards.enums import AwardStatus
from wagtail_awards.models import Award, CallPage, PublicityPage


def load():
    call_command("load_awards_demo", stdout=open(os.devnull, "w"))


@pytest.mark.django_db
def test_demo_has_a_call_in_publicity_and_the_2021_final_list(client):
    load()
    load()  # idempotent
    pages = {page.get_parent().specific.year: page for page in PublicityPage.objects.live()}
    assert len(pages) == 2 and 2021 in pages
    running = next(page for year, page in pages.items() if year != 2021)

    html = client.get(running.url).content.decode()
    assert 'data-publicity-state="open"' in html
    assert "data-countdown-left" in html and "data-objection-form" in html
    assert "公示期：" in html

    html = client.get(pages[2021].url).content.decode()
    assert 'data-publicity-state="ended"' in html and "data-results-published" in html
    call_2021 = CallPage.objects.get(year=2021)
    awards = Award.objects.filter(application__call=call_2021)
    assert awards.filter(status=AwardStatus.CANCELLED).count() == 1
    assert awards.filter(status=AwardStatus.PROPOSED).count() == 0
    cancelled = awards.get(status=AwardStatus.CANCELLED)
    assert f'data-award="{cancelled.application_id}"' not in html
    assert (
        len(re.findall(r'data-award="\d+"', html)) == awards.filter(status=AwardStatus.FINAL).count() + 1
    )  # + most popular
