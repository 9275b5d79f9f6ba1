import datetime as dt
import re

import pytest
import time_machine
from django.core.exceptions import ValidationError

from tests.builders import DEADLINE, build_world, local
from wagtail_awards.enums import Stage


def text_of(response):
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", response.content.decode()))


@pytest.mark.django_db
def test_notice_page_shows_the_structured_notice_in_chinese(client, call_page):
    with time_machine.travel(local(2021, 10, 1, 10), tick=False):
        response = client.get(call_page.url)
    assert response.status_code == 200
    text = text_of(response)
    assert "2021年10月19日 23:59" in text
    for theme in ("学悟守正", "举旗育人", "建功立业", "暖心聚力", "强基固本"):
        assert theme in text
    for criterion in ("实效性", "创新创优性", "可持续性", "可推广性"):
        assert criterion in text
    assert "025-83536268" in text
    assert "设区市教育工会" in text and "2–3" in text
    assert "申报截止" in text  # translated heading of the countdown


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("moment", "state"),
    [
        (local(2021, 9, 1), "not_open"),
        (local(2021, 10, 1), "open"),
        (local(2021, 10, 18), "closing_soon"),
        (local(2021, 10, 19, 23, 59, 59), "closing_soon"),
        (local(2021, 10, 20, 0, 0, 0), "closed"),
    ],
)
def test_countdown_state_is_rendered_on_the_server(client, call_page, moment, state):
    with time_machine.travel(moment, tick=False):
        html = client.get(call_page.url).content.decode()
    assert f"awards-countdown--{state}" in html
    assert ("data-countdown-left" in html) == (state in ("open", "closing_soon"))


@pytest.mark.django_db
def test_countdown_shows_time_left(client, call_page):
    with time_machine.travel(local(2021, 10, 18, 22, 58, 58), tick=False):
        html = client.get(call_page.url).content.decode()
    assert re.search(r'data-unit="days">1<', html)
    assert re.search(r'data-unit="seconds">1<', html)


@pytest.mark.django_db
def test_timeline_marks_the_current_stage(client, site_root):
    call = build_world(
        site_root,
        deadline=DEADLINE,
        recommendation_deadline=local(2021, 10, 29, 23, 59),
        review_deadline=local(2021, 11, 12, 23, 59),
    ).call
    with time_machine.travel(local(2021, 11, 1), tick=False):
        html = client.get(call.url).content.decode()
    current = re.findall(r'data-stage="(\w+)" aria-current="step"', html)
    assert current == [Stage.REVIEW.value]
    assert html.count('aria-current="step"') == 1


@pytest.mark.django_db
def test_index_lists_calls_newest_first(client, site_root):
    world = build_world(site_root, deadline=DEADLINE)
    build_world(site_root, deadline=local(2024, 10, 19, 23, 59, 59), beside=world)
    html = client.get(site_root.url).content.decode()
    assert html.index("Call 2024") < html.index("Call 2021")


@pytest.mark.django_db
def test_call_rejects_inconsistent_dates(call_page):
    call_page.application_opens = call_page.application_deadline + dt.timedelta(days=1)
    with pytest.raises(ValidationError) as excinfo:
        call_page.full_clean()
    assert "application_deadline" in excinfo.value.message_dict

    call_page.application_opens = None
    call_page.voting_opens = local(2021, 11, 15)
    call_page.voting_closes = None
    with pytest.raises(ValidationError) as excinfo:
        call_page.full_clean()
    assert "voting_closes" in excinfo.value.message_dict


@pytest.mark.django_db
def test_quota_lookup_by_kind(call_page):
    assert (call_page.quota_for("city").min_count, call_page.quota_for("city").max_count) == (2, 3)
    assert call_page.quota_for("institute") is None
