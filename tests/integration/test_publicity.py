import datetime as dt
import re
from decimal import Decimal

import pytest
import time_machine
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.urls import reverse

from tests.builders import bound_challenge, build_world, local, make_award, make_user
from wagtail_awards.enums import ApplicationStatus, AwardStatus
from wagtail_awards.models import Award, AwardsLogEntry, CalendarException, Objection
from wagtail_awards.services import publicity


def text_of(response):
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", response.content.decode()))


#: The 2021 round's publicity runs from 29 September 2021, 09:00, for five working days (to 11 October).
STARTS = local(2021, 9, 29, 9)


def round_2021(site_root, projects=3):
    return build_world(site_root, stage="publicity", now=STARTS, year=2021, projects=projects, publicity_starts=STARTS)


@pytest.fixture
def world(site_root):
    """The world in publicity with three proposed awards: ranks 1 (also most popular), 2 and 3."""
    return round_2021(site_root)


@pytest.fixture
def in_publicity(world):
    return world.call, world.publicity_page, list(world.awards.values())


@pytest.fixture
def province(world):
    return world.users["province"]


def objection_url(page):
    """Where the objection form posts (the page's own URL takes objections too, without evidence files)."""
    return reverse("wagtail_awards:objection", args=[page.pk])


def objection_data(client, application, **extra):
    data = {
        "application": application.pk,
        "name": "张老师",
        "contact": "13800000000",
        "content": "该项目申报材料与实际开展情况不符。",
        "captcha_0": bound_challenge(client, "objection")[0],
        "captcha_1": "passed",
    }
    data.update(extra)
    return data


@pytest.mark.django_db
def test_page_shows_period_countdown_and_proposed_winners(client, in_publicity):
    call, page, awards = in_publicity
    with time_machine.travel(local(2021, 9, 29, 9), tick=False):
        response = client.get(page.url)
    text = text_of(response)
    assert "公示期：2021年9月29日至10月11日（5个工作日）" in text
    assert "awards-countdown--open" in response.content.decode()
    assert 'data-working-days-left="5"' in response.content.decode()
    assert "一等奖" in text and "二等奖" in text and "最受教职工欢迎项目" in text
    for award in awards:
        assert award.application.project_name in text
    assert "data-objection-form" in response.content.decode()


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("moment", "state", "days_left"),
    [
        (local(2021, 9, 28, 12), "not_started", None),
        (local(2021, 9, 29, 9), "open", 5),
        (local(2021, 10, 3, 15), "open", 3),  # National Day holiday
        (local(2021, 10, 9, 10), "open", 2),  # make-up working Saturday
        (local(2021, 10, 11, 23, 59, 30), "open", 1),  # the last minute
        (local(2021, 10, 12, 0, 0, 0), "ended", None),
    ],
)
def test_state_and_working_days_left_are_rendered_on_the_server(client, in_publicity, moment, state, days_left):
    _call, page, _awards = in_publicity
    with time_machine.travel(moment, tick=False):
        html = client.get(page.url).content.decode()
    assert f'data-publicity-state="{state}"' in html
    if days_left is None:
        assert "data-working-days-left" not in html
    else:
        assert f'data-working-days-left="{days_left}"' in html
    if moment == local(2021, 10, 11, 23, 59, 30):
        assert re.search(r'data-unit="seconds">30<', html)
        assert re.search(r'data-unit="minutes">0<', html)


@pytest.mark.django_db
def test_a_calendar_exception_changes_the_end(client, in_publicity):
    _call, page, _awards = in_publicity
    CalendarException.objects.create(day=dt.date(2021, 10, 11), is_working_day=False, note="本地调整")
    with time_machine.travel(local(2021, 10, 12, 10), tick=False):
        html = client.get(page.url).content.decode()
    assert "公示期：2021年9月29日至10月12日（5个工作日）" in text_of_html(html)
    assert 'data-publicity-state="open"' in html
    assert 'data-working-days-left="1"' in html


def text_of_html(html):
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", html))


@pytest.mark.django_db
def test_objection_accepted_inside_the_period(client, in_publicity):
    _call, page, awards = in_publicity
    application = awards[1].application
    upload = SimpleUploadedFile("证据.pdf", b"%PDF-1.7\nevidence", content_type="application/pdf")
    with time_machine.travel(local(2021, 10, 8, 10), tick=False):
        response = client.post(objection_url(page), objection_data(client, application, file=upload))
        assert response.status_code == 302
        assert response["Location"].endswith("#objection")
        followed = client.get(response["Location"])
    objection = Objection.objects.get()
    assert objection.application == application
    assert objection.content.startswith("该项目")
    assert objection.file_name == "证据.pdf"
    assert "证据" not in objection.file.name  # stored under a random name
    assert objection.file.read().startswith(b"%PDF")
    assert "异议已收到" in text_of(followed)
    assert AwardsLogEntry.objects.filter(action="wagtail_awards.objection_filed", object_id=str(objection.pk)).exists()


@pytest.mark.django_db
@pytest.mark.parametrize("moment", [local(2021, 9, 29, 8), local(2021, 10, 12, 0, 0, 1)])
def test_objection_refused_outside_the_period(client, in_publicity, moment):
    _call, page, awards = in_publicity
    with time_machine.travel(moment, tick=False):
        page_html = client.get(page.url).content.decode()
        response = client.post(page.url, objection_data(client, awards[0].application), follow=True)
    assert "data-objection-form" not in page_html
    # Before the period the form is closed with a message; after it the page is the results list.
    assert ("data-objections-closed" in page_html) == (moment < local(2021, 9, 29, 9))
    assert not Objection.objects.exists()
    assert "只能在公示期内提出异议" in text_of(response)


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("override", "field"),
    [
        ({"captcha_1": "WRONG"}, "captcha"),
        ({"content": "   "}, "content"),
        ({"application": 999999}, "application"),
        ({"file": SimpleUploadedFile("evidence.pdf", b"MZ\x90\x00binary", content_type="application/pdf")}, "file"),
        ({"file": SimpleUploadedFile("evidence.pdf.exe", b"%PDF-1.7", content_type="application/pdf")}, "file"),
    ],
)
def test_bad_objection_input_is_refused_with_an_error_and_keeps_the_text(client, in_publicity, override, field):
    _call, page, awards = in_publicity
    data = {**objection_data(client, awards[0].application), **override}
    with time_machine.travel(local(2021, 10, 8, 10), tick=False):
        response = client.post(page.url, data)
    assert response.status_code == 200
    assert not Objection.objects.exists()
    html = response.content.decode()
    assert "awards-form__error" in html
    assert "张老师" in html  # nothing typed is lost


@pytest.mark.django_db
def test_a_cancelled_project_cannot_receive_objections(client, in_publicity):
    _call, page, awards = in_publicity
    admin = make_user("admin", is_superuser=True, is_staff=True)
    with time_machine.travel(local(2021, 10, 8, 10), tick=False):
        publicity.cancel_award(
            award=awards[2], category="untrue", reason="内容不实", user=admin, now=dt.datetime.now(dt.UTC)
        )
        response = client.post(page.url, objection_data(client, awards[2].application))
    assert response.status_code == 200
    assert not Objection.objects.exists()


def finalise():
    call_command("awards_finalise", stdout=open("/dev/null", "w"))


def writes(queries):
    return [q["sql"] for q in queries if q["sql"].lstrip().upper().startswith(("INSERT", "UPDATE", "DELETE"))]


@pytest.mark.django_db
def test_page_finalises_on_read_and_shows_results(client, in_publicity):
    """After the period a GET writes nothing: it lists the awards with a notice that the final list comes once
    confirmed, and takes no objections; ``awards_finalise`` makes them final and the page shows the results."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    call, page, awards = in_publicity
    with time_machine.travel(local(2021, 10, 12, 8), tick=False):
        with CaptureQueriesContext(connection) as queries:
            waiting = client.get(page.url)
            client.get(page.url)
    assert writes(queries) == []
    assert set(Award.objects.values_list("status", flat=True)) == {AwardStatus.PROPOSED}
    assert set(Award.objects.values_list("application__status", flat=True)) != {ApplicationStatus.AWARDED}
    assert not AwardsLogEntry.objects.filter(action="wagtail_awards.award_finalised").exists()
    html = waiting.content.decode()
    assert "data-awaiting-final" in html and "data-results-published" not in html
    assert "公示期已结束，最终名单确认后发布。" in text_of(waiting)
    assert "data-objection-form" not in html and 'id="objection"' not in html
    for award in awards:
        assert award.application.project_name in text_of(waiting)

    with time_machine.travel(local(2021, 10, 12, 8, 5), tick=False):
        finalise()
        response = client.get(page.url)
        client.get(page.url)  # a second read changes nothing
    html = response.content.decode()
    assert "data-results-published" in html and "data-awaiting-final" not in html
    assert "最终名单" in text_of(response)
    assert set(Award.objects.values_list("status", flat=True)) == {AwardStatus.FINAL}
    assert set(Award.objects.values_list("application__status", flat=True)) == {ApplicationStatus.AWARDED}
    assert AwardsLogEntry.objects.filter(action="wagtail_awards.award_finalised").count() == len(awards)
    # Subsidy recorded: rank 1 + most popular → the higher amount only.
    first = Award.objects.get(pk=awards[0].pk)
    assert first.subsidy == Decimal(10000)


@pytest.mark.django_db
def test_finalise_command_is_idempotent_and_waits_for_the_end(in_publicity):
    call, _page, awards = in_publicity
    with time_machine.travel(local(2021, 10, 11, 23, 59, 59), tick=False):
        finalise()
    assert set(Award.objects.values_list("status", flat=True)) == {AwardStatus.PROPOSED}
    with time_machine.travel(local(2021, 10, 12, 1), tick=False):
        finalise()
        finalise()
    assert set(Award.objects.values_list("status", flat=True)) == {AwardStatus.FINAL}
    assert AwardsLogEntry.objects.filter(action="wagtail_awards.award_finalised").count() == len(awards)


@pytest.mark.django_db
def test_cancellation_shows_on_the_page_and_removes_the_project_from_the_final_list(
    client, in_publicity, site_root, province
):
    call, page, awards = in_publicity
    cancelled = awards[1]
    client.force_login(province)
    url = reverse("wagtail_awards_admin:cancel_award", args=[cancelled.pk])
    with time_machine.travel(local(2021, 10, 8, 10), tick=False):
        assert client.get(url).status_code == 200
        response = client.post(url, {"category": "misreported", "reason": "申报单位错报获奖情况"})
        assert response.status_code == 302
        client.logout()
        during = client.get(page.url)
    cancelled.refresh_from_db()
    assert cancelled.status == AwardStatus.CANCELLED
    assert cancelled.application.status == ApplicationStatus.CANCELLED
    entry = AwardsLogEntry.objects.get(action="wagtail_awards.award_cancelled")
    assert entry.object_id == str(cancelled.pk) and entry.data["reason"] == "申报单位错报获奖情况"
    item = re.search(rf'data-award="{cancelled.application_id}" data-award-status="(\w+)"', during.content.decode())
    assert item.group(1) == "cancelled"
    assert "错报" in text_of(during)

    with time_machine.travel(local(2021, 10, 12, 10), tick=False):
        waiting = client.get(page.url)
        finalise()
        after = client.get(page.url)
    assert "data-awaiting-final" in waiting.content.decode()
    assert f'data-award="{cancelled.application_id}"' not in waiting.content.decode()
    html = after.content.decode()
    assert "data-results-published" in html
    assert f'data-award="{cancelled.application_id}"' not in html
    assert cancelled.application.project_name not in text_of(after)
    assert f'data-award="{awards[0].application_id}"' in html
    cancelled.refresh_from_db()
    assert cancelled.status == AwardStatus.CANCELLED  # finalising leaves it alone


@pytest.mark.django_db
def test_only_a_province_admin_may_cancel(client, world, in_publicity):
    _call, _page, awards = in_publicity
    url = reverse("wagtail_awards_admin:cancel_award", args=[awards[0].pk])
    recommender = world.users["rec_nj"]
    client.force_login(recommender)
    with time_machine.travel(local(2021, 10, 8, 10), tick=False):
        # Wagtail's admin turns PermissionDenied into a redirect to the dashboard with a message.
        for response in (client.get(url), client.post(url, {"category": "false", "reason": "x"})):
            assert response.status_code in (302, 403)
            assert response.status_code == 403 or response["Location"] == reverse("wagtailadmin_home")
    awards[0].refresh_from_db()
    assert awards[0].status == AwardStatus.PROPOSED


@pytest.mark.django_db
def test_a_final_award_cannot_be_cancelled_here(client, in_publicity, site_root, province):
    _call, _page, awards = in_publicity
    client.force_login(province)
    url = reverse("wagtail_awards_admin:cancel_award", args=[awards[0].pk])
    with time_machine.travel(local(2021, 10, 13, 10), tick=False):
        finalise()
        response = client.post(url, {"category": "false", "reason": "太迟"})
    assert response.status_code == 200
    assert "只能撤销拟获奖项目。" in text_of(response)
    awards[0].refresh_from_db()
    assert awards[0].status == AwardStatus.FINAL


@pytest.mark.django_db
def test_an_award_cannot_be_cancelled_after_the_period_before_it_is_final(client, in_publicity, site_root, province):
    """Between the end of the period and ``awards_finalise`` the award is still proposed but no longer cancellable;
    neither the cancel screen's GET nor the refused POST writes anything."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    _call, _page, awards = in_publicity
    client.force_login(province)
    url = reverse("wagtail_awards_admin:cancel_award", args=[awards[0].pk])
    refused = "公示期已结束，不能再撤销该奖项。"
    with time_machine.travel(local(2021, 10, 12, 9), tick=False):
        with CaptureQueriesContext(connection) as queries:
            shown = client.get(url)
            response = client.post(url, {"category": "false", "reason": "太迟"})
    assert shown.status_code == 200 and response.status_code == 200
    assert refused in text_of(shown) and "<form" not in shown.content.decode().split("awards-admin-cancel")[1]
    assert refused in text_of(response)
    assert [sql for sql in writes(queries) if "wagtail_awards_" in sql] == []
    awards[0].refresh_from_db()
    assert awards[0].status == AwardStatus.PROPOSED and awards[0].cancel_reason == ""
    assert awards[0].application.status != ApplicationStatus.CANCELLED
    assert not AwardsLogEntry.objects.exists()


@pytest.mark.django_db
def test_the_award_list_offers_to_cancel_only_while_the_rule_allows_it(client, in_publicity, province):
    _call, _page, awards = in_publicity
    client.force_login(province)
    url = reverse("wagtail_awards_award_modeladmin_index")
    cancel = reverse("wagtail_awards_admin:cancel_award", args=[awards[0].pk])
    with time_machine.travel(local(2021, 10, 8, 10), tick=False):
        during = client.get(url)
    with time_machine.travel(local(2021, 10, 12, 9), tick=False):
        ended = client.get(url)
    assert during.status_code == ended.status_code == 200
    assert cancel in during.content.decode()
    # The period has ended, the awards wait for awards_finalise: still proposed, but the list offers no cancel.
    assert cancel not in ended.content.decode()


@pytest.mark.django_db
def test_cancel_requires_a_reason(client, in_publicity, site_root, province):
    _call, _page, awards = in_publicity
    client.force_login(province)
    url = reverse("wagtail_awards_admin:cancel_award", args=[awards[0].pk])
    with time_machine.travel(local(2021, 10, 8, 10), tick=False):
        response = client.post(url, {"category": "false", "reason": ""})
    assert response.status_code == 200
    awards[0].refresh_from_db()
    assert awards[0].status == AwardStatus.PROPOSED


@pytest.mark.django_db
def test_query_count_does_not_grow_with_the_number_of_projects(client, site_root, django_assert_max_num_queries):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    world = round_2021(site_root, projects=2)
    call, page, _awards = world.call, world.publicity_page, list(world.awards.values())

    def count():
        with CaptureQueriesContext(connection) as queries:
            assert client.get(page.url).status_code == 200
        return len(queries)

    with time_machine.travel(local(2021, 10, 8, 10), tick=False):
        count()  # warms the site's caches
        small = count()
        for _ in range(20):
            make_award(call)
        large = count()
    assert large == small
    with django_assert_max_num_queries(small):
        with time_machine.travel(local(2021, 10, 8, 10), tick=False):
            client.get(page.url)
    with time_machine.travel(local(2021, 10, 13, 10), tick=False):
        client.get(page.url)  # the period has ended, the awards are not final yet: reading writes nothing
        waiting_small = count()
        for _ in range(20):
            make_award(call)
        waiting_large = count()
        finalise()
        after_small = count()
        for _ in range(20):
            make_award(call)
        finalise()
        after_large = count()
    assert waiting_large == waiting_small
    assert after_large == after_small


@pytest.mark.django_db
def test_subsidy_screen_and_xlsx(client, site_root):
    from openpyxl import load_workbook

    world = round_2021(site_root, projects=1)
    call = world.call  # its award: rank 1 + most popular: 10000
    make_award(call, rank=2)  # 6000
    make_award(call, rank=None, most_popular=True)  # most popular only: 8000
    make_award(call, rank=1, federation_subsidised=True)  # 0
    cancelled = make_award(call, rank=3)
    cancelled.status = AwardStatus.CANCELLED
    cancelled.save()
    client.force_login(world.users["province"])
    url = reverse("wagtail_awards_admin:subsidies")
    response = client.get(url, {"call": call.pk})
    assert response.status_code == 200
    html = response.content.decode()
    assert re.search(r"data-subsidy-total>24000(\.00)?<", html)
    export = client.get(url, {"call": call.pk, "format": "xlsx"})
    assert export["Content-Type"].startswith("application/vnd.openxmlformats")
    import io

    sheet = load_workbook(io.BytesIO(export.content)).active
    rows = list(sheet.values)
    assert rows[0][0] == "项目"
    assert rows[-1][0] == "合计" and rows[-1][-1] == 24000
    assert len(rows) == 1 + 5 + 1


@pytest.mark.django_db
def test_subsidy_screen_is_denied_to_others(client, site_root):
    round_2021(site_root, projects=1)
    client.force_login(make_user("staff-nobody", is_staff=True))
    response = client.get(reverse("wagtail_awards_admin:subsidies"))
    assert response.status_code in (302, 403)


@pytest.mark.django_db
def test_objection_admin_lists_and_edits_status_finding_reply(client, in_publicity, site_root, province):
    _call, _page, awards = in_publicity
    objection = Objection.objects.create(application=awards[0].application, name="甲", contact="1", content="内容")
    client.force_login(province)
    index = client.get(reverse("wagtail_awards_objection_modeladmin_index"))
    assert index.status_code == 200 and "甲" in index.content.decode()
    edit_url = reverse("wagtail_awards_objection_modeladmin_edit", args=[objection.pk])
    response = client.post(edit_url, {"status": "dismissed", "finding": "经核实，情况属实无误。", "reply": "已答复。"})
    assert response.status_code == 302
    objection.refresh_from_db()
    assert (objection.status, objection.finding, objection.reply) == ("dismissed", "经核实，情况属实无误。", "已答复。")
    assert objection.content == "内容"  # the filed text is not editable
    assert client.get(reverse("wagtail_awards_objection_modeladmin_create")).status_code in (302, 403)


@pytest.mark.django_db
def test_objection_edit_is_logged(client, in_publicity, site_root, province):
    _call, _page, awards = in_publicity
    objection = Objection.objects.create(application=awards[0].application, name="甲", contact="1", content="内容")
    client.force_login(province)
    edit_url = reverse("wagtail_awards_objection_modeladmin_edit", args=[objection.pk])
    client.post(edit_url, {"status": "upheld", "finding": "属实。", "reply": ""})
    assert AwardsLogEntry.objects.filter(action="wagtail.edit", object_id=str(objection.pk)).exists()


@pytest.mark.django_db
def test_evidence_file_is_served_to_admins_only(client, in_publicity, site_root, province):
    _call, page, awards = in_publicity
    upload = SimpleUploadedFile("证据.pdf", b"%PDF-1.7\nevidence", content_type="application/pdf")
    with time_machine.travel(local(2021, 10, 8, 10), tick=False):
        client.post(objection_url(page), objection_data(client, awards[0].application, file=upload))
    objection = Objection.objects.get()
    url = reverse("wagtail_awards_admin:objection_file", args=[objection.pk])
    assert client.get(url).status_code == 302  # anonymous: to the admin login
    client.force_login(make_user("staff", is_staff=True))
    denied = client.get(url)
    assert denied.status_code in (302, 403) and not getattr(denied, "streaming", False)
    client.force_login(province)
    response = client.get(url)
    assert response.status_code == 200
    assert response["Content-Type"] == "application/octet-stream"
    assert "attachment" in response["Content-Disposition"]
    assert b"".join(response.streaming_content).startswith(b"%PDF")


@pytest.mark.django_db
@pytest.mark.parametrize(
    "listing", ["wagtail_awards_award_modeladmin_index", "wagtail_awards_objection_modeladmin_index"]
)
def test_admin_listing_queries_do_not_grow_with_the_number_of_projects(client, site_root, listing):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    world = round_2021(site_root, projects=2)
    call = world.call
    client.force_login(world.users["province"])

    def add(n):
        for _ in range(n):
            award = make_award(call)
            Objection.objects.create(application=award.application, name="甲", contact="1", content="内容")

    def count():
        with CaptureQueriesContext(connection) as queries:
            assert client.get(reverse(listing)).status_code == 200
        return len(queries)

    add(2)
    count()
    small = count()
    add(15)
    assert count() == small


@pytest.mark.django_db
def test_one_publicity_page_per_call_and_only_under_a_call(in_publicity, site_root):
    from wagtail_awards.models import CallPage, PublicityPage

    call, _page, _awards = in_publicity
    assert PublicityPage in CallPage.allowed_subpage_models()
    assert not PublicityPage.can_create_at(call)  # it has one already
    assert not PublicityPage.can_create_at(site_root)


@pytest.mark.django_db
def test_admin_preview_of_a_new_publicity_page(client, site_root):
    # A call whose publicity has not started, without its page yet.
    call = build_world(site_root, stage="voting", now=local(2021, 9, 20, 10), year=2021, publicity_starts=STARTS).call
    admin = make_user("admin", is_superuser=True, is_staff=True)
    client.force_login(admin)
    url = reverse("wagtailadmin_pages:preview_on_add", args=["wagtail_awards", "publicitypage", call.pk])
    data = {"title": "公示", "slug": "publicity"}
    with time_machine.travel(local(2021, 10, 8, 10), tick=False):
        assert client.post(url, data).status_code == 200
        response = client.get(url)
    assert response.status_code == 200
    assert "公示期：2021年9月29日至10月11日（5个工作日）" in text_of(response)


@pytest.mark.django_db
def test_the_call_page_links_to_its_publicity_page(client, in_publicity):
    call, page, _awards = in_publicity
    html = client.get(call.url).content.decode()
    assert f'href="{page.url}" data-publicity-link' in html


@pytest.mark.django_db
@pytest.mark.parametrize("method", ["get", "post"])
def test_the_page_keeps_its_privacy_although_its_view_serves_it(client, in_publicity, method):
    """The page is served by its view inside Wagtail's serving chain: a private page asks for a login first, and an
    objection sent to its own address is neither read nor stored."""
    from wagtail.models import PageViewRestriction

    _call, page, awards = in_publicity
    PageViewRestriction.objects.create(page=page, restriction_type=PageViewRestriction.LOGIN)
    with time_machine.travel(local(2021, 9, 30, 10), tick=False):
        if method == "get":
            response = client.get(page.url)
        else:
            response = client.post(page.url, objection_data(client, awards[0].application))
    assert response.status_code == 302 and "/login/" in response["Location"]
    assert awards[0].application.project_name not in response.content.decode()
    assert not Objection.objects.exists()


@pytest.mark.django_db
def test_a_preview_after_the_period_shows_the_final_list_without_writing(client, in_publicity):
    """A preview runs the page model alone: it lists the awards, and makes none final (serving the page does not
    either; only ``awards_finalise``)."""
    call, page, awards = in_publicity
    admin = make_user("admin", is_superuser=True, is_staff=True)
    client.force_login(admin)
    with time_machine.travel(local(2021, 10, 20, 10), tick=False):
        response = client.get(reverse("wagtailadmin_pages:view_draft", args=[page.pk]))
    assert response.status_code == 200
    for award in awards:
        assert award.application.project_name in text_of(response)
    assert set(Award.objects.values_list("status", flat=True)) == {AwardStatus.PROPOSED}
    with time_machine.travel(local(2021, 10, 20, 10), tick=False):
        client.get(page.url)
    assert set(Award.objects.values_list("status", flat=True)) == {AwardStatus.PROPOSED}
    with time_machine.travel(local(2021, 10, 20, 10), tick=False):
        finalise()
    assert set(Award.objects.values_list("status", flat=True)) == {AwardStatus.FINAL}
