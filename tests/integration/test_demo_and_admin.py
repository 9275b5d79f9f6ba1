import re

import pytest
from django.core.management import call_command
from wagtail.models import Page

from wagtail_awards.models import CallPage, Membership, Organization


@pytest.fixture
def demo(db):
    call_command("load_awards_demo", stdout=open("/dev/null", "w"))


def counts():
    return (CallPage.objects.count(), Organization.objects.count(), Membership.objects.count(), Page.objects.count())


def test_demo_loads_the_2021_notice_and_is_idempotent(demo, client):
    first = counts()
    call_command("load_awards_demo", stdout=open("/dev/null", "w"))
    assert counts() == first
    assert Organization.objects.filter(kind="city").count() == 13

    call = CallPage.objects.get(year=2021)
    html = client.get(call.url).content.decode()
    text = re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", html))
    assert "关于开展2021年度全省教科系统基层工会服务教职工优质项目申报工作的通知" in text
    assert "2021年10月19日" in text
    assert "025-83536268" in text and "李雅君" in text
    assert all(theme in text for theme in ("学悟守正", "举旗育人", "建功立业", "暖心聚力", "强基固本"))
    assert "awards-countdown--closed" in html
    assert "服务教职工优质项目网上申报操作指南 (PDF)" in text


def body_text(call):
    import html as html_module

    return html_module.unescape(re.sub(r"<[^>]+>", "", " ".join(str(block.value) for block in call.body)))


def test_each_demo_notice_speaks_of_its_own_year_and_deadline(demo, client):
    from wagtail_awards.rules.workdays import local_tz

    for call in CallPage.objects.all():
        text = body_text(call)
        deadline = call.application_deadline.astimezone(local_tz())
        other_years = {int(year) for year in re.findall(r"(20\d\d)年", text)} - {call.year, deadline.year}
        assert not other_years, f"{call.slug} names {other_years}"
        weekday = "一二三四五六日"[deadline.weekday()]
        assert f"截止时间是{deadline.year}年{deadline.month}月{deadline.day}日（周{weekday}）" in text, call.slug
        # The themes are listed once, in their own section, not again in the body.
        assert "深化“学悟守正”行动" not in text
        page = client.get(call.url).content.decode()
        assert page.count("强基固本") == 1, call.slug


def test_the_operation_guide_is_this_sites_pdf_served_as_pdf(demo, client):
    from wagtail.documents import get_document_model

    call = CallPage.objects.get(year=2021)
    document = call.attachments.get().document
    assert document.file.name.endswith(".pdf") and document is not None
    assert get_document_model().objects.count() == 1  # one guide for every call
    response = client.get(document.url)
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    content = b"".join(response.streaming_content)
    assert content.startswith(b"%PDF-")
    # Not the 2021 text about another website (支付宝扫码, 政务服务网, 右侧栏我要申报).
    assert b"jsghfw" not in content


def test_the_demo_editor_publishes_the_pages_they_edit(demo):
    from django.contrib.auth import get_user_model
    from wagtail.models import Workflow

    editor = get_user_model().objects.get(username="editor")
    call = CallPage.objects.get(year=2021)
    assert call.permissions_for_user(editor).can_publish()
    assert not Workflow.objects.filter(name__regex=r"[A-Za-z]").exists()


def test_demo_has_a_call_open_for_applications(demo, client):
    from django.utils import timezone

    call = CallPage.objects.order_by("-year").first()
    assert call.year == timezone.localdate().year
    assert call.application_state().value == "open"
    html = client.get("/").content.decode()
    assert call.title in html


def test_province_admin_logs_in_and_manages_organisations(demo, client):
    assert client.login(username="province", password="awards-demo")
    assert client.get("/admin/").status_code == 200
    response = client.get("/admin/wagtail_awards/organization/")
    assert response.status_code == 200
    assert "南京市教育工会" in response.content.decode()
    assert client.get("/admin/wagtail_awards/calendarexception/").status_code == 200


def test_roles_without_permission_are_kept_out(demo, client):
    # An applicant works on the site only: the admin sends them to its login.
    client.login(username="applicant", password="awards-demo")
    assert client.get("/admin/").status_code == 302
    client.logout()
    # A recommender enters the admin but may not edit the organisation tree.
    client.login(username="recommender", password="awards-demo")
    assert client.get("/admin/").status_code == 200
    response = client.get("/admin/wagtail_awards/organization/")
    assert response.status_code in (302, 403)
    assert client.get("/admin/wagtail_awards/organization/create/").status_code in (302, 403)


def test_editor_can_edit_the_notice(demo, client):
    client.login(username="editor", password="awards-demo")
    call = CallPage.objects.get(year=2021)
    assert client.get(f"/admin/pages/{call.pk}/edit/").status_code == 200
