"""Next year's round from a call, Wagtail's own copy of a call, and what a new call gets by default.

The editor copies a call in one action; the copy is checked and published from a report; an applicant applies to
it. Wagtail's own copy (same year, same children) never makes a submission answer 500, and its vote counts its own
call. A new call's slug is its year; a deadline typed to the minute lasts the whole minute; a publicity period in a
year whose holiday schedule is only estimated says so in the editor.
"""

import datetime as dt
import json
import re
import uuid

import pytest
import time_machine
from django.contrib.auth.models import Group
from django.urls import reverse
from wagtail.models import Page
from wagtail.test.utils.form_data import inline_formset, nested_form_data, rich_text, streamfield

from tests.builders import DEADLINE, build_world, complete_data, local, make_application, make_user
from wagtail_awards.models import (
    Application,
    ApplicationFormPage,
    CalendarException,
    CallPage,
    PublicityPage,
    Vote,
    VotingPage,
)
from wagtail_awards.rules import applications as rules

pytestmark = pytest.mark.django_db

NOTICE = "受理截止时间是2021年10月19日（周二）。逾期未报的，不列入2021年度评审范围。"


@pytest.fixture
def world(site_root):
    world = build_world(site_root, deadline=DEADLINE)
    call = world.call
    call.body = json.dumps([{"type": "paragraph", "value": f"<p>{NOTICE}</p>"}])
    call.voting_opens, call.voting_closes = local(2021, 11, 15, 9), local(2021, 11, 21, 23, 59, 59)
    call.publicity_starts = local(2021, 11, 29, 9)
    call.save_revision().publish()
    vote_body = [
        {"type": "voting", "value": {"call": call.pk, "heading": "网络投票", "intro": "", "show_tallies": "after"}}
    ]
    voting = VotingPage(title="2021年度网络投票", slug="vote", body=json.dumps(vote_body))
    call.add_child(instance=voting)
    voting.save_revision().publish()
    publicity = PublicityPage(title="2021年度评选结果公示", slug="publicity", intro="<p>2021年度拟获评项目公示。</p>")
    call.add_child(instance=publicity)
    publicity.save_revision().publish()
    world.call = CallPage.objects.get(pk=call.pk)
    candidate = make_application(world.call, status="recommended", reference="2021-0001")
    Vote.objects.create(call=world.call, application=candidate, voter_key="v1", day=dt.date(2021, 11, 16))
    editor = make_user("editor", is_staff=True)
    editor.groups.add(Group.objects.get(name="Moderators"))  # may add and publish pages
    world.users["editor"] = editor
    return world


def next_round(client, call, **data):
    return client.post(reverse("wagtail_awards_admin:next_round", args=[call.pk]), {"year": 2022, **data})


def test_next_round_copies_the_call_and_its_pages_for_the_new_year(client, world):
    client.force_login(world.users["editor"])
    form = client.get(reverse("wagtail_awards_admin:next_round", args=[world.call.pk])).content.decode()
    assert 'value="2022"' in form  # next year by default
    assert re.search(r'value="weekday"[^>]*checked', form)  # the notice names a weekday: （周二）
    response = next_round(client, world.call, dates="weekday")
    assert response.status_code == 302
    new = CallPage.objects.get(year=2022)
    assert response.url == reverse("wagtail_awards_admin:round_report", args=[new.pk, world.call.pk])
    assert (new.slug, new.title, new.live) == ("2022", "Call 2022", False)
    assert new.get_parent().pk == world.call.get_parent().pk
    # Every date a year on, on the same weekday: the Tuesday deadline stays a Tuesday.
    assert new.application_deadline == local(2022, 10, 18, 23, 59, 59)
    assert new.application_deadline.astimezone(local(2022, 1, 1).tzinfo).weekday() == 1
    assert new.voting_opens.weekday() == world.call.voting_opens.weekday()
    assert new.publicity_starts.date() - world.call.publicity_starts.date() == dt.timedelta(days=364)
    # The round's settings come along.
    assert [t.name for t in new.themes.all()] == [t.name for t in world.call.themes.all()]
    assert new.quotas.count() == 2 and new.criteria.count() == 4 and new.prize_levels.count() == 1
    form_page = ApplicationFormPage.objects.child_of(new).get()
    assert [f.label for f in form_page.form_fields.all()] == ["项目简介", "项目负责人", "Plan", "Photos", "实施方案"]
    # The pages under it name the new year, and its vote counts the new call's candidates.
    voting = VotingPage.objects.child_of(new).get()
    assert voting.title == "2022年度网络投票"
    assert voting.body[0].value["call"].pk == new.pk
    assert voting.get_latest_revision_as_object().body[0].value["call"].pk == new.pk
    assert PublicityPage.objects.child_of(new).get().title == "2022年度评选结果公示"
    # Nothing of the old round's work is copied; the old call is untouched.
    assert not Application.objects.filter(call=new).exists() and not Vote.objects.filter(call=new).exists()
    old_vote = VotingPage.objects.child_of(world.call).get()
    assert old_vote.body[0].value["call"].pk == world.call.pk
    assert CallPage.objects.get(pk=world.call.pk).year == 2021


def test_the_report_lists_dates_to_check_and_texts_naming_the_old_year(client, world):
    client.force_login(world.users["editor"])
    response = next_round(client, world.call, dates="date")
    report = client.get(response.url).content.decode()
    assert "申报截止时间" in report and "2022年10月19日" in report and "星期几已变" in report
    # The notice and the publicity page still say 2021 where an editor wrote it: listed, with a link to edit.
    assert "受理截止时间是2021年10月19日" in report and "2021年度拟获评项目公示" in report
    new = CallPage.objects.get(year=2022)
    assert reverse("wagtailadmin_pages:edit", args=[new.pk]) in report
    assert "发布新一年度评选" in report


def test_the_new_round_is_published_once_ticked_and_applicants_apply_to_it(client, world):
    client.force_login(world.users["editor"])
    report_url = next_round(client, world.call, dates="date").url
    new = CallPage.objects.get(year=2022)
    refused = client.post(report_url, {})
    assert refused.status_code == 200 and "核对日期和文字后，请勾选此项" in refused.content.decode()
    assert not CallPage.objects.get(pk=new.pk).live
    assert client.post(report_url, {"checked": "on"}).status_code == 302
    pages = [CallPage.objects.get(pk=new.pk), *Page.objects.get(pk=new.pk).get_descendants()]
    assert all(page.live and not page.has_unpublished_changes for page in pages)

    client.force_login(world.users["applicant"])
    form_page = ApplicationFormPage.objects.child_of(new).get()
    with time_machine.travel(local(2022, 10, 1, 10), tick=False):
        response = client.post(
            reverse("wagtail_awards:application_save", args=[form_page.pk]), complete_data(action="submit")
        )
    assert response.status_code == 302
    assert Application.objects.get(call=new).reference == "2022-0001"


@pytest.mark.parametrize(
    ("data", "error"),
    [
        ({"year": 2022, "slug": "call-2021", "dates": "date"}, "已有页面使用网址"),
        ({"year": 1999, "dates": "date"}, "2000"),
        ({"year": "next", "dates": "date"}, "整数"),
        ({"year": 2022, "dates": "sometimes"}, "选择一个有效的选项"),
        ({"year": 2022, "slug": "../admin", "dates": "date"}, "slug"),
    ],
)
def test_bad_input_to_the_new_round_form_is_refused_with_a_reason(client, world, data, error):
    client.force_login(world.users["editor"])
    response = client.post(reverse("wagtail_awards_admin:next_round", args=[world.call.pk]), data)
    assert response.status_code == 200
    assert error in response.content.decode() or error == "slug"
    assert CallPage.objects.count() == 1


def test_only_people_who_may_copy_the_call_start_a_round(client, world):
    url = reverse("wagtail_awards_admin:next_round", args=[world.call.pk])
    client.force_login(world.users["applicant"])  # an applicant: no admin
    assert client.get(url).status_code in (302, 403)
    client.force_login(world.users["rec_nj"])  # a recommender has no page permissions
    response = client.post(url, {"year": 2022, "dates": "date"})
    assert response.status_code in (302, 403)
    assert CallPage.objects.count() == 1
    client.force_login(world.users["editor"])
    # Only a call is a template for a round; the report needs a call the user may edit.
    assert client.get(reverse("wagtail_awards_admin:next_round", args=[world.form_page.pk])).status_code == 404
    assert (
        client.get(reverse("wagtail_awards_admin:round_report", args=[world.form_page.pk, world.call.pk])).status_code
        == 404
    )


def test_the_page_action_is_offered_on_calls_only(client, world):
    client.force_login(world.users["editor"])
    url = reverse("wagtail_awards_admin:next_round", args=[world.call.pk])
    assert url in client.get(reverse("wagtailadmin_pages:edit", args=[world.call.pk])).content.decode()
    assert url in client.get(reverse("wagtailadmin_explore", args=[world.call.get_parent().pk])).content.decode()
    form_page_editor = client.get(reverse("wagtailadmin_pages:edit", args=[world.form_page.pk])).content.decode()
    assert "以此为模板创建下一年度评选" not in form_page_editor


def test_wagtails_own_copy_of_a_call_keeps_the_year_and_never_answers_500(client, world):
    """Copying a call with Wagtail's "copy" (same year, with its pages) and applying to both calls."""
    client.force_login(world.users["editor"])
    copy_url = reverse("wagtailadmin_pages:copy", args=[world.call.pk])
    response = client.post(
        copy_url,
        {
            "new_title": "Call 2021 (copy)",
            "new_slug": "call-2021-copy",
            "new_parent_page": world.call.get_parent().pk,
            "copy_subpages": "on",
            "publish_copies": "on",
        },
    )
    assert response.status_code == 302
    copy = CallPage.objects.get(slug="call-2021-copy")
    assert copy.year == 2021
    # The copied vote counts the copy's candidates (none), not the original's votes.
    copied_vote = VotingPage.objects.child_of(copy).get()
    assert copied_vote.body[0].value["call"].pk == copy.pk

    for call, applicant, unit, token in (
        (world.call, "applicant", "nj1", uuid.uuid4()),
        (copy, "applicant_nj2", "nj2", uuid.uuid4()),
    ):
        client.force_login(world.users[applicant])
        page = ApplicationFormPage.objects.child_of(call).get()
        with time_machine.travel(local(2021, 10, 1, 10), tick=False):
            response = client.post(
                reverse("wagtail_awards:application_save", args=[page.pk]),
                complete_data(action="submit", unit_name=world.orgs[unit].name, token=str(token)),
            )
        assert response.status_code == 302
    # Numbered within each call: the copy starts at 2021-0001 although the original already has that number.
    assert Application.objects.get(call=copy).reference == "2021-0001"
    assert Application.objects.filter(call=world.call, reference="2021-0002").exists()


def test_copying_a_voting_page_under_another_call_points_it_at_that_call(client, world):
    client.force_login(world.users["editor"])
    next_round(client, world.call, dates="date")
    new = CallPage.objects.get(year=2022)
    VotingPage.objects.child_of(new).get().delete()
    voting = VotingPage.objects.child_of(world.call).get()
    response = client.post(
        reverse("wagtailadmin_pages:copy", args=[voting.pk]),
        {"new_title": "网络投票", "new_slug": "vote", "new_parent_page": new.pk},
    )
    assert response.status_code == 302
    assert VotingPage.objects.child_of(new).get().get_latest_revision_as_object().body[0].value["call"].pk == new.pk


def test_a_reference_is_unique_within_its_call(world):
    from django.db import IntegrityError, transaction

    make_application(world.call, reference="2021-0100")
    with pytest.raises(IntegrityError), transaction.atomic():
        make_application(world.call, reference="2021-0100")


def new_call_data(index, **overrides):
    data = {
        "title": "关于开展2027年度基层工会服务教职工优质项目申报工作的通知",
        "slug": "关于开展2027年度基层工会服务教职工优质项目申报工作的通知",
        "issuer": "江苏省教育科技工会",
        "year": "2027",
        "addressees": "",
        "intro": rich_text(""),
        "body": streamfield([]),
        "themes": inline_formset([]),
        "conditions": inline_formset([]),
        "attachments": inline_formset([]),
        "quotas": inline_formset([]),
        "criteria": inline_formset([]),
        "prize_levels": inline_formset([]),
        "comments": inline_formset([]),
        "scoring_method": "mean",
        "most_popular_label": "",
        "most_popular_subsidy": "0",
        "contact_name": "",
        "contact_phone": "",
        "application_opens": "",
        "application_deadline": "2027-10-19 23:59",
        "recommendation_deadline": "",
        "review_deadline": "",
        "voting_opens": "",
        "voting_closes": "",
        "publicity_starts": "2027-11-29 09:00",
        "publicity_working_days": "5",
        "seo_title": "",
        "search_description": "",
        "action-publish": "action-publish",
    }
    data.update(overrides)
    return nested_form_data(data)


def test_a_new_call_made_in_the_editor_gets_its_year_as_slug_and_whole_minute_deadline(client, world):
    client.force_login(world.users["editor"])
    index = world.call.get_parent()
    response = client.post(
        reverse("wagtailadmin_pages:add", args=["wagtail_awards", "callpage", index.pk]), new_call_data(index)
    )
    assert response.status_code == 302
    call = CallPage.objects.get(year=2027)
    assert call.slug == "2027" and call.url.endswith("/2027/")
    # The widget has no seconds: 23:59 means all of 23:59, so a submission at 23:59:59 is on time.
    assert call.application_deadline == local(2027, 10, 19, 23, 59, 59, 999999)
    rules.check_window(now=local(2027, 10, 19, 23, 59, 59, 500000), opens=None, deadline=call.application_deadline)
    with pytest.raises(rules.ApplicationRefused):
        rules.check_window(now=local(2027, 10, 20, 0, 0), opens=None, deadline=call.application_deadline)
    # A slug the editor chose is kept; a second call of the year gets the next free one.
    response = client.post(
        reverse("wagtailadmin_pages:add", args=["wagtail_awards", "callpage", index.pk]),
        new_call_data(index, slug="第二个2027年度评选", title="第二个2027年度评选"),
    )
    assert response.status_code == 302
    assert CallPage.objects.filter(year=2027).order_by("pk").last().slug == "2027-2"
    response = client.post(
        reverse("wagtailadmin_pages:add", args=["wagtail_awards", "callpage", index.pk]),
        new_call_data(index, slug="special", title="专项评选"),
    )
    assert CallPage.objects.filter(slug="special").exists()


def test_the_editor_is_told_when_the_publicity_period_rests_on_an_estimated_calendar(client, world):
    from wagtail_awards.rules.workdays import holiday_calendar, holidays_estimated

    estimated = next(year for year in range(2025, 2100) if holidays_estimated(year, holidays=holiday_calendar("CN")))
    client.force_login(world.users["editor"])
    call = world.call
    page = client.get(reverse("wagtailadmin_pages:edit", args=[call.pk])).content.decode()
    assert "公示期" in page and "推定" not in page  # 2021's schedule is known
    call.publicity_starts = local(estimated, 3, 2, 9)
    call.save_revision().publish()
    page = client.get(reverse("wagtailadmin_pages:edit", args=[call.pk])).content.decode()
    assert f"{estimated}年的工作日为推定" in page
    assert reverse("wagtail_awards_calendarexception_modeladmin_index") in page
    # Once the official schedule is entered as working-day exceptions, the notice goes.
    CalendarException.objects.create(day=dt.date(estimated, 2, 6), is_working_day=True, note="调休")
    page = client.get(reverse("wagtailadmin_pages:edit", args=[call.pk])).content.decode()
    assert f"{estimated}年的工作日为推定" not in page


def test_the_submission_after_the_whole_minute_is_late(client, world):
    """The rule behind the form: 23:59 accepts 23:59:59 and refuses the next minute, on the real submit path."""
    call = world.call
    call.application_deadline = local(2021, 10, 19, 23, 59)
    call.full_clean()
    call.save()
    client.force_login(world.users["applicant"])
    with time_machine.travel(local(2021, 10, 19, 23, 59, 59), tick=False):
        assert client.post(world.save_url, complete_data(action="submit")).status_code == 302
    client.force_login(world.users["applicant_nj2"])
    with time_machine.travel(local(2021, 10, 20, 0, 0, 0), tick=False):
        data = complete_data(
            action="submit", unit_name="南京市金陵中学工会", token="6f0c7c4e-7a53-4c6f-9a51-0d7f1d3c2a11"
        )
        assert client.post(world.save_url, data).status_code == 400
