"""Each screen right for the person using it: the problems people hit, one test each.

Recommender and reviewer: editor-defined fields by their labels (screen and export), the call where their work is,
a short call menu without drafts, labels on every input, a confirmation before the list is submitted, the scoring
grid with save-and-next and materials. Applicant: withdraw asks first; 审核单位 is the province union. Voter: the
thanks on the voted card, the result sorted once voting closes. Objector and province: the objection confirmed, its
text in the admin; the award list with prize names, words for flags, search by reference and the subsidy the subsidy
screen shows.
"""

import csv
import datetime as dt
import io
import re
from decimal import Decimal

import pytest
import time_machine
from django.urls import reverse
from django.utils import timezone

from tests.builders import (
    DEADLINE,
    add_vote,
    build_world,
    complete_data,
    local,
    make_application,
    make_user,
    post_vote,
    summary_name,
)
from wagtail_awards import page_cache
from wagtail_awards.models import Application, CallPage, Objection, RecommendationList, ReviewAssignment
from wagtail_awards.services import review

pytestmark = pytest.mark.django_db
ADMIN = "/admin/awards/review/"


def text(response):
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", response.content.decode()))


# Recommender and reviewer


@pytest.fixture
def applied(site_root):
    """The application world with one submitted application answering the editor's 项目简介 field."""
    world = build_world(site_root, deadline=DEADLINE)
    with time_machine.travel(local(2021, 10, 1, 10), tick=False):
        from django.test import Client

        client = Client()
        client.force_login(world.users["applicant"])
        assert client.post(world.save_url, complete_data(action="submit")).status_code == 302
    world.application = Application.objects.get()
    return world


def test_editor_defined_fields_show_by_their_label_on_every_screen_and_export(client, applied):
    key = summary_name()
    assert key.startswith("u9879")  # the machine name a Chinese label gets
    client.force_login(make_user("province-admin", is_superuser=True, is_staff=True))
    for url in (
        reverse("wagtail_awards_admin:project", args=[applied.application.pk]),
        f"/admin/wagtail_awards/application/inspect/{applied.application.pk}/",
        reverse("wagtail_awards:application_detail", args=[applied.application.pk]),
    ):
        page = text(client.get(url))
        assert "项目简介" in page and "为教职工提供心理咨询。" in page, url
        assert key not in page, url
    export = client.get(reverse("wagtail_awards_admin:projects") + f"?call={applied.call.pk}&export=csv")
    rows = list(csv.reader(io.StringIO(b"".join(export.streaming_content).decode("utf-8-sig"))))
    assert "项目简介" in rows[0] and key not in rows[0]
    assert rows[1][rows[0].index("项目简介")] == "为教职工提供心理咨询。"


def test_the_reviewing_unit_starts_as_the_province_union(client, site_root):
    world = build_world(site_root, deadline=DEADLINE)
    client.force_login(world.users["applicant"])
    with time_machine.travel(local(2021, 10, 1, 10), tick=False):
        form = client.get(world.form_page.url).content.decode()
    assert re.search(r'name="reviewing_unit"[^>]*value="江苏省教育科技工会"', form)


@pytest.fixture
def two_rounds(site_root):
    """Last year's round in review (with the reviewer's work) and this year's call open for applications."""
    world = build_world(site_root, stage="review", year=2025)
    now = timezone.now()
    world.current = build_world(
        site_root,
        year=2026,
        now=now,
        application_opens=now - dt.timedelta(days=3),
        deadline=now + dt.timedelta(days=20),
        beside=world,
    ).call
    build_world(site_root, year=2027, slug="draft-copy", publish=False, beside=world)  # a copy in progress
    return world


def test_reviewers_open_on_the_call_holding_their_assignments(client, two_rounds):
    world = two_rounds
    application = world.apps["nj1"]
    application.status = "recommended"
    application.save()
    review.assign(user=world.users["province"], application=application, reviewer=world.users["reviewer_sz"])
    client.force_login(world.users["reviewer_sz"])
    page = client.get(ADMIN + "scores/").content.decode()
    assert f'<option value="{world.call.pk}" selected' in page
    assert "书香校园" in page and "没有可显示的项目" not in page


def test_recommenders_open_on_the_call_holding_their_applicants(client, two_rounds):
    client.force_login(two_rounds.users["rec_nj"])
    page = client.get(ADMIN + "recommend/").content.decode()
    assert f'<option value="{two_rounds.call.pk}" selected' in page and "书香校园" in page


def test_the_call_menu_lists_short_distinct_titles_without_drafts(client, two_rounds):
    client.force_login(two_rounds.users["province"])
    page = client.get(ADMIN + "applications/").content.decode()
    options = re.findall(r"<option value=\"\d+\"[^>]*>([^<]*)</option>", page)
    assert options == ["2026年度评选", "2025年度评选"]
    assert "draft-copy" not in page and "Call 2027" not in page


def test_every_input_of_the_recommendation_list_has_a_visible_label(client, two_rounds):
    client.force_login(two_rounds.users["rec_nj"])
    page = client.get(ADMIN + f"recommend/?call={two_rounds.call.pk}").content.decode()
    app = two_rounds.apps["nj1"]
    for name in ("decision", "order", "comment"):
        field_id = f"id_a{app.pk}-{name}"
        label = re.search(rf'<label for="{field_id}">([^<]+)</label>', page)
        assert label, name
        assert "w-sr-only" not in page[label.start() - 60 : label.start()]
    assert "推荐顺序" in page and "placeholder" not in page.split('id="id_a', 1)[1][:400]


def test_submitting_the_list_asks_for_confirmation_first(client, two_rounds):
    world = two_rounds
    client.force_login(world.users["rec_nj"])
    for key in ("nj1", "nj2"):
        client.post(f"{ADMIN}recommend/{world.apps[key].pk}/", {f"a{world.apps[key].pk}-decision": "recommend"})
    response = client.post(ADMIN + "recommend/submit/", {"call": world.call.pk, "org": world.orgs["nanjing"].pk})
    page = text(response)
    assert response.status_code == 200 and "提交后即锁定" in page and "确认提交名单" in page
    assert "书香校园" in page and "教工之家" in page  # what is sent
    assert not RecommendationList.objects.get(organization=world.orgs["nanjing"]).is_locked
    confirmed = client.post(
        ADMIN + "recommend/submit/", {"call": world.call.pk, "org": world.orgs["nanjing"].pk, "confirm": "1"}
    )
    assert confirmed.status_code == 302
    assert RecommendationList.objects.get(organization=world.orgs["nanjing"]).is_locked


@pytest.fixture
def scoring(two_rounds):
    world = two_rounds
    world.items = []
    for key in ("nj1", "nj2", "sz1"):
        application = world.apps[key]
        application.status = "recommended"
        application.save()
        world.items.append(
            review.assign(user=world.users["province"], application=application, reviewer=world.users["reviewer_seu"])
        )
    from django.core.files.base import ContentFile

    from wagtail_awards.models import ApplicationFile

    stored = ApplicationFile(
        application=world.apps["nj1"],
        field_name="materials",
        original_name="申报书.pdf",
        content_type="application/pdf",
        size=9,
        sha256="0" * 64,
    )
    stored.file.save("x", ContentFile(b"%PDF-1.4\n"), save=False)
    stored.save()
    world.file = stored
    return world


def grid_data(world, item, values, comment=""):
    data = {f"s{item.pk}-criterion_{c.pk}": str(v) for c, v in zip(world.call.criteria.all(), values, strict=True)}
    data[f"s{item.pk}-comment"] = comment
    return data


def test_the_scoring_grid_saves_several_projects_at_once_with_materials_a_click_away(client, scoring):
    world = scoring
    client.force_login(world.users["reviewer_seu"])
    page = client.get(ADMIN + f"scores/?call={world.call.pk}").content.decode()
    assert reverse("wagtail_awards:application_file", args=[world.file.pk]) in page  # materials in the row
    criteria = list(world.call.criteria.all())
    assert all(f'name="s{item.pk}-criterion_{c.pk}"' in page for item in world.items for c in criteria)
    assert all(f'for="id_s{item.pk}-criterion_{c.pk}"' in page for item in world.items for c in criteria)
    first, second, third = world.items
    data = {
        "call": world.call.pk,
        **grid_data(world, first, [90, 88, 86, 84], "好"),
        **grid_data(world, second, [70] * 4),
    }
    data.update({f"s{third.pk}-criterion_{c.pk}": "" for c in criteria})  # left blank: untouched
    response = client.post(ADMIN + f"scores/?call={world.call.pk}", data)
    assert response.status_code == 302
    first.refresh_from_db(), second.refresh_from_db(), third.refresh_from_db()
    assert first.total == Decimal("87.000") and first.comment == "好" and second.total == Decimal("70.000")
    assert third.submitted_at is None
    # A row out of range is refused and marked; the others are saved all the same.
    data = {"call": world.call.pk, **grid_data(world, third, [101, 50, 50, 50]), **grid_data(world, second, [60] * 4)}
    response = client.post(ADMIN + f"scores/?call={world.call.pk}", data)
    assert response.status_code == 400 and "awards-review__row--error" in response.content.decode()
    second.refresh_from_db(), third.refresh_from_db()
    assert second.total == Decimal("60.000") and third.submitted_at is None


def test_save_and_next_goes_to_the_next_project_to_score(client, scoring):
    world = scoring
    client.force_login(world.users["reviewer_seu"])
    first, second, _third = world.items
    page = client.get(ADMIN + f"scores/{first.pk}/").content.decode()
    assert "保存并评下一个项目" in page and reverse("wagtail_awards:application_file", args=[world.file.pk]) in page
    data = {f"criterion_{c.pk}": "80" for c in world.call.criteria.all()}
    response = client.post(ADMIN + f"scores/{first.pk}/", {**data, "comment": "", "next": "1"})
    assert response.status_code == 302 and response.url == ADMIN + f"scores/{second.pk}/"
    assert ReviewAssignment.objects.get(pk=first.pk).total == Decimal("80.000")


# Applicant


def test_withdrawing_asks_first_and_changes_nothing_until_confirmed(client, applied):
    client.force_login(applied.users["applicant"])
    url = reverse("wagtail_awards:application_withdraw", args=[applied.application.pk])
    with time_machine.travel(local(2021, 10, 2, 10), tick=False):
        detail = client.get(reverse("wagtail_awards:application_detail", args=[applied.application.pk]))
        assert f'href="{url}"' in detail.content.decode()
        page = client.get(url)
        assert page.status_code == 200 and "data-confirm-withdraw" in page.content.decode()
        assert "确认撤回" in text(page)
        client.post(url)  # no confirmation: still asks
        assert Application.objects.get().status == "submitted"
        assert client.post(url, {"confirm": "1"}).status_code == 302
    assert Application.objects.get().status == "withdrawn"


def test_a_box_to_tick_says_tick_it(client, site_root):
    world = build_world(site_root, deadline=DEADLINE)
    client.force_login(world.users["applicant"])
    with time_machine.travel(local(2021, 10, 1, 10), tick=False):
        response = client.post(world.save_url, complete_data(action="submit", declaration=None))
    assert "提交前必须勾选" in text(response)


# Voter


@pytest.fixture
def in_vote(site_root):
    return build_world(site_root, stage="voting")


@pytest.fixture
def ballot(in_vote):
    """The world's call in its vote, its five shortlisted projects in reference order, its voting page."""
    world = in_vote
    candidates = [app for app in world.apps.values() if app.status == "recommended"]
    assert [app.reference for app in candidates] == ["R001", "R002", "R003", "R004", "R005"]
    return world.call, candidates, world.voting_page


def test_the_thanks_for_a_vote_are_on_the_voted_card_in_view(client, ballot, in_vote):
    call, candidates, page = ballot
    client.force_login(in_vote.users["voter"])
    response = post_vote(client, call, candidates[1], next_url=page.url)
    assert response.status_code in (302, 303)
    assert response["Location"].endswith(f"#candidate-{candidates[1].pk}")
    html = client.get(response["Location"].split("#")[0]).content.decode()
    card = re.search(rf'<li class="([^"]*)" id="candidate-{candidates[1].pk}">(.*?)</li>', html, re.S)
    assert card and "awards-candidate--voted" in card.group(1)
    assert "data-vote-done" in card.group(2) and "已计入" in card.group(2)
    assert html.count("data-vote-done") == 1


def test_after_voting_closes_the_result_is_sorted_by_votes(client, ballot):
    call, candidates, page = ballot
    day = timezone.localdate()
    for index, candidate in enumerate(candidates):
        for n in range(index + 1):  # 1, 2, 3 votes: the last candidate leads
            add_vote(call, candidate, f"v{index}-{n}", day=day)
    open_order = re.findall(r'id="candidate-(\d+)"', client.get(page.url).content.decode())
    assert open_order == [str(c.pk) for c in candidates]  # during the vote: the reference order
    CallPage.objects.filter(pk=call.pk).update(voting_closes=timezone.now() - dt.timedelta(minutes=1))
    page_cache.purge()  # as publishing the changed call does
    closed_order = re.findall(r'id="candidate-(\d+)"', client.get(page.url).content.decode())
    assert closed_order == [str(c.pk) for c in reversed(candidates)]


def test_the_captcha_question_writes_times_as_a_multiplication_sign():
    from captcha.conf import settings as captcha_settings

    questions = {captcha_settings.get_challenge()()[0] for _i in range(200)}
    assert any("×" in q for q in questions) and not any("*" in q for q in questions)


# Objector and province


@pytest.fixture
def in_publicity(site_root):
    """The 2021 round in publicity from 29 September 2021, 09:00, with three proposed awards."""
    starts = local(2021, 9, 29, 9)
    world = build_world(site_root, stage="publicity", now=starts, year=2021, projects=3, publicity_starts=starts)
    return world.call, world.publicity_page, list(world.awards.values())


def test_an_objection_is_confirmed_and_its_text_is_in_the_admin(client, in_publicity):
    from tests.integration.test_publicity import objection_data

    call, page, awards = in_publicity
    application = awards[1].application
    with time_machine.travel(local(2021, 10, 8, 10), tick=False):
        response = client.post(page.url, objection_data(client, application))
        filed = client.get(response["Location"]).content.decode()
        again = client.get(page.url).content.decode()
    confirmation = re.search(r"data-objection-filed>(.*?)</div>", filed, re.S).group(1)
    assert "异议已收到" in confirmation and application.project_name in confirmation and "无需重复提交" in confirmation
    assert "data-objection-form" not in filed  # no empty form inviting a second filing
    assert "data-objection-filed" not in again and "data-objection-form" in again  # once only
    objection = Objection.objects.get()
    province = make_user("province-admin", is_superuser=True, is_staff=True)
    client.force_login(province)
    for url in (f"/admin/wagtail_awards/objection/edit/{objection.pk}/", "/admin/wagtail_awards/objection/"):
        assert "该项目申报材料与实际开展情况不符" in text(client.get(url)), url


def test_the_award_list_names_prizes_shows_words_finds_references_and_agrees_with_the_subsidy_screen(
    client, in_publicity
):
    call, _page, awards = in_publicity
    for number, award in enumerate(awards, start=1):
        Application.objects.filter(pk=award.application_id).update(reference=f"2021-{number:04d}")
    client.force_login(make_user("province-admin", is_superuser=True, is_staff=True))
    page = client.get("/admin/wagtail_awards/award/").content.decode()
    rows = re.findall(r"<tr[^>]*>(.*?)</tr>", page, re.S)[1:]
    cells = [re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", row)) for row in rows]
    assert any("一等奖" in row for row in cells) and any("三等奖" in row for row in cells)
    assert "False" not in page and "True" not in page and "icon-no.svg" not in page and "icon-yes.svg" not in page
    # 奖补 of a proposed award is what the subsidy screen says: the first (一等奖 and most popular) gets 10000.
    subsidies = text(client.get(reverse("wagtail_awards_admin:subsidies") + f"?call={call.pk}"))
    assert "10000" in subsidies and "2021年度评选" in subsidies  # the call menu's short name
    assert "10000" in cells[[i for i, row in enumerate(cells) if "一等奖" in row][0]]
    assert not re.search(r"(?<![\d.])0\.00", " ".join(cells))  # no proposed award at 0.00
    found = text(client.get("/admin/wagtail_awards/award/?q=2021-0002"))
    assert awards[1].application.project_name in found and awards[0].application.project_name not in found


def test_a_recommender_sees_no_english_flag_in_the_application_list(client, site_root):
    """A checkbox answer reads 是/否 on the inspect screen (not True/False)."""
    world = build_world(site_root, deadline=DEADLINE)
    application = make_application(world.call, declaration=True, status="submitted")
    province = make_user("province-admin", is_superuser=True, is_staff=True)
    client.force_login(province)
    page = text(client.get(f"/admin/wagtail_awards/application/inspect/{application.pk}/"))
    assert "True" not in page and "False" not in page and " 是 " in page


def test_the_award_list_reads_a_fixed_number_of_queries_whatever_the_number_of_awards(client, in_publicity):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from tests.builders import make_award

    call, _page, _awards = in_publicity
    client.force_login(make_user("province-admin", is_superuser=True, is_staff=True))
    client.get("/admin/wagtail_awards/award/")  # the calendar's rows into the shared cache
    with CaptureQueriesContext(connection) as few:
        client.get("/admin/wagtail_awards/award/")
    for _ in range(8):
        make_award(call, rank=2)
    with CaptureQueriesContext(connection) as many:
        page = client.get("/admin/wagtail_awards/award/").content.decode()
    assert page.count("二等奖") >= 9
    assert len(many.captured_queries) == len(few.captured_queries)
