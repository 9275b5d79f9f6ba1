"""The demo's application stage: form pages under the open call and 2021, sample applications, idempotent."""

import io

import pytest
from django.core.management import call_command
from django.utils import timezone

from wagtail_awards.enums import ApplicationStatus
from wagtail_awards.models import Application, ApplicationFormPage, CallPage

pytestmark = pytest.mark.django_db


def test_demo_application_stage_end_to_end(client):
    call_command("load_awards_demo", stdout=io.StringIO())
    year = timezone.localdate().year
    open_call = CallPage.objects.get(slug=str(year))
    page = ApplicationFormPage.objects.child_of(open_call).live().get()
    assert ApplicationFormPage.objects.child_of(CallPage.objects.get(slug="2021")).exists()
    samples = Application.objects.filter(call=open_call)
    assert samples.filter(status=ApplicationStatus.SUBMITTED).count() == 3
    assert samples.filter(status=ApplicationStatus.DRAFT).count() == 2
    assert sorted(samples.exclude(reference=None).values_list("reference", flat=True)) == [
        f"{year}-0001",
        f"{year}-0002",
        f"{year}-0003",
    ]

    call_command("load_awards_demo", stdout=io.StringIO())
    assert Application.objects.filter(call=open_call).count() == 5
    assert ApplicationFormPage.objects.child_of(open_call).count() == 1

    # The notice links to the form; the demo applicant sees its applications and the form in Chinese.
    notice = client.get(open_call.url).content.decode()
    assert page.url in notice and "在线申报" in notice
    assert client.login(username="applicant", password="awards-demo")
    mine = client.get("/awards/applications/").content.decode()
    assert f"{year}-0001" in mine and "草稿" in mine and "苏州" not in mine
    form = client.get(page.url).content.decode()
    assert "审核单位" in form and "项目简介" in form and "保存草稿" in form
    # The 2021 form is closed: it says so and offers no form.
    closed = ApplicationFormPage.objects.child_of(CallPage.objects.get(slug="2021")).get()
    html = client.get(closed.url).content.decode()
    assert "申报截止时间已过" in html and 'name="materials"' not in html
