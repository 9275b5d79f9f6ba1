"""The online vote through its pages and endpoints (SQLite or PostgreSQL)."""

import datetime as dt
import uuid

import pytest
import time_machine
from captcha.models import CaptchaStore
from django.core.cache import cache
from django.test import RequestFactory, override_settings
from django.urls import reverse

from tests.builders import (
    add_vote,
    bound_challenge,
    build_world,
    local,
    make_application,
    make_candidates,
    make_user,
    make_voting_page,
    post_vote,
    verify_voter,
)
from wagtail_awards.captcha import consume_captcha
from wagtail_awards.models import AwardsLogEntry, Vote, VoterDay
from wagtail_awards.rules.voting import MostPopularError
from wagtail_awards.services import voters, voting

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def clear_cache():
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def world(site_root):
    """The world with its vote open (from yesterday to tomorrow) and no candidates yet: each test shortlists its own."""
    return build_world(site_root, stage="voting", projects=0)


@pytest.fixture
def call(world):
    return world.call


@pytest.fixture
def voter(client, world):
    user = world.users["voter"]
    client.force_login(user)
    return user


def confirmation_url(call, application, next_url="/"):
    return reverse("wagtail_awards:vote", args=[call.pk, application.pk]) + f"?next={next_url}"


# Candidates and the page


def test_candidates_are_the_shortlisted_applications(call):
    shortlisted = [make_application(call, status=s) for s in ("recommended", "scored", "proposed", "awarded")]
    for status in ("draft", "submitted", "withdrawn", "cancelled", "not_recommended", "ineligible"):
        make_application(call, status=status)
    assert {a.pk for a in voting.candidates(call=call)} == {a.pk for a in shortlisted}


def test_page_lists_candidates_without_per_visitor_content(client, site_root):
    world = build_world(site_root, stage="voting", projects=3)
    call, page, candidates = world.call, world.voting_page, list(world.apps.values())
    make_application(call, status="cancelled", project_name="已撤销项目")
    before = CaptchaStore.objects.count()
    response = client.get(page.url)
    html = response.content.decode()
    assert response.status_code == 200
    for candidate in candidates:
        assert candidate.project_name in html
        assert confirmation_url(call, candidate, "") in html.replace("&amp;", "&")
    assert "已撤销项目" not in html
    # Cacheable: no CSRF token, no captcha created, no cookie set.
    assert 'csrfmiddlewaretoken" value=""' in html
    assert CaptchaStore.objects.count() == before
    assert not response.cookies
    assert "投票" in html


def test_page_query_count_does_not_grow_with_candidates(client, site_root, django_assert_num_queries):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    world = build_world(site_root, stage="voting", projects=10)
    call, page = world.call, world.voting_page
    client.get(page.url)  # warm caches (site root, content types)
    with CaptureQueriesContext(connection) as ten:
        assert client.get(page.url).status_code == 200
    make_candidates(call, 190)
    with CaptureQueriesContext(connection) as two_hundred:
        response = client.get(page.url)
    assert response.content.decode().count('class="awards-candidate') >= 200
    assert len(ten) == len(two_hundred)


def test_tallies_hidden_during_vote_when_chosen(client, site_root):
    world = build_world(site_root, stage="voting", projects=1, tallies="after")
    call, page, (candidate,) = world.call, world.voting_page, world.apps.values()
    add_vote(call, candidate, "u:1")
    assert "data-vote-count" not in client.get(page.url).content.decode()
    page_during = make_voting_page(call, when="during", slug="vote-live")
    assert 'data-vote-count="1"' in client.get(page_during.url).content.decode()


# Challenge endpoint


def test_challenge_gives_captcha_and_csrf_uncached(client, voter):
    response = client.get(reverse("wagtail_awards:vote_challenge"))
    data = response.json()
    assert CaptchaStore.objects.filter(hashkey=data["key"]).exists()
    assert data["csrf"] and data["image"].endswith(f"{data['key']}/")
    assert "no-cache" in response["Cache-Control"] or "max-age=0" in response["Cache-Control"]


def test_challenge_asks_anonymous_to_log_in_by_default(client):
    data = client.get(reverse("wagtail_awards:vote_challenge")).json()
    assert data["login_required"] is True and data["login_url"]
    assert not CaptchaStore.objects.exists()


# Voting


def test_vote_then_redirect_and_tally_moves(client, world, call, voter):
    candidates = make_candidates(call, 2)
    page = world.voting_page
    confirm = client.get(confirmation_url(call, candidates[0], page.url))
    assert confirm.status_code == 200 and "captcha_1" in confirm.content.decode()
    response = post_vote(client, call, candidates[0], next_url=page.url)
    assert response.status_code == 303
    assert response["Location"] == f"{page.url}?voted={candidates[0].pk}#candidate-{candidates[0].pk}"
    vote = Vote.objects.get()
    assert (vote.voter, vote.application, vote.valid) == (voter, candidates[0], True)
    assert len(vote.ip_hash) == 64 and vote.ip_hash != "127.0.0.1"
    html = client.get(response["Location"]).content.decode()
    assert 'data-vote-count="1"' in html and "已计入" in html


def test_anonymous_is_sent_to_log_in(client, call):
    (candidate,) = make_candidates(call, 1)
    response = post_vote(client, call, candidate)
    assert response.status_code == 302 and "/login/" in response["Location"]
    assert not Vote.objects.exists()


def test_wrong_answer_refused_and_challenge_burnt(client, call, voter, settings):
    settings.CAPTCHA_TEST_MODE = False
    (candidate,) = make_candidates(call, 1)
    key, _answer = bound_challenge(client, "vote")
    store = CaptchaStore.objects.get(hashkey=key)
    url = reverse("wagtail_awards:vote", args=[call.pk, candidate.pk])
    response = client.post(url, {"captcha_0": key, "captcha_1": "wrong", "next": "/"})
    assert response.status_code == 400
    assert "回答错误" in response.content.decode() or "答案" in response.content.decode()
    assert not CaptchaStore.objects.filter(pk=store.pk).exists()
    # The right answer no longer helps: the challenge is gone.
    response = client.post(url, {"captcha_0": key, "captcha_1": store.response, "next": "/"})
    assert response.status_code == 400
    assert not Vote.objects.exists()


def test_real_answer_accepted_once(client, call, voter, settings):
    settings.CAPTCHA_TEST_MODE = False
    a, b = make_candidates(call, 2)
    key, answer = bound_challenge(client, "vote")
    first = client.post(
        reverse("wagtail_awards:vote", args=[call.pk, a.pk]), {"captcha_0": key, "captcha_1": answer, "next": "/"}
    )
    assert first.status_code == 303
    again = client.post(
        reverse("wagtail_awards:vote", args=[call.pk, b.pk]), {"captcha_0": key, "captcha_1": answer, "next": "/"}
    )
    assert again.status_code == 400
    assert Vote.objects.count() == 1


def test_consume_captcha_conditional_delete(settings):
    settings.CAPTCHA_TEST_MODE = False
    key = CaptchaStore.generate_key()
    answer = CaptchaStore.objects.get(hashkey=key).response
    assert consume_captcha(key=key, response=f"  {answer.upper()} ")
    assert not consume_captcha(key=key, response=answer)
    expired = CaptchaStore.generate_key()
    store = CaptchaStore.objects.get(hashkey=expired)
    CaptchaStore.objects.filter(pk=store.pk).update(expiration=store.expiration - dt.timedelta(days=1))
    assert not consume_captcha(key=expired, response=store.response)
    assert not consume_captcha(key="", response="x")
    settings.CAPTCHA_TEST_MODE = True
    key = CaptchaStore.generate_key()
    assert consume_captcha(key=key, response="passed")
    assert not consume_captcha(key=key, response="passed")


def test_one_vote_per_candidate_per_day(client, call, voter):
    (candidate,) = make_candidates(call, 1)
    assert post_vote(client, call, candidate).status_code == 303
    again = post_vote(client, call, candidate)
    assert again.status_code == 409
    assert "今天已为该项目投过票" in again.content.decode()
    assert Vote.objects.count() == 1
    assert VoterDay.objects.get().votes == 1  # the refused vote took no slot


def test_not_a_candidate_is_404(client, call, voter):
    cancelled = make_application(call, status="cancelled")
    assert post_vote(client, call, cancelled).status_code == 404
    assert client.get(confirmation_url(call, cancelled)).status_code == 404


@override_settings(WAGTAIL_AWARDS_VOTES_PER_DAY=2)
def test_daily_limit_with_frozen_time(client, site_root):
    world = build_world(
        site_root,
        stage="voting",
        now=local(2030, 11, 16, 12),
        projects=3,
        voting_opens=local(2030, 11, 15, 9),
        voting_closes=local(2030, 11, 21, 23, 59, 59),
    )
    call, voter, (a, b, c) = world.call, world.users["voter"], world.apps.values()
    with time_machine.travel(local(2030, 11, 16, 23, 50), tick=False):
        client.force_login(voter)  # a session made today would have expired by then
        assert post_vote(client, call, a).status_code == 303
        assert post_vote(client, call, b).status_code == 303
        refused = post_vote(client, call, c)
        assert refused.status_code == 409 and "今天的票数已用完" in refused.content.decode()
    # After local midnight the voter has a new day's votes, and may vote for the same candidates again.
    with time_machine.travel(local(2030, 11, 17, 0, 0, 1), tick=False):
        client.force_login(voter)
        assert post_vote(client, call, a).status_code == 303
        assert post_vote(client, call, c).status_code == 303
    assert Vote.objects.count() == 4
    assert sorted(VoterDay.objects.values_list("votes", flat=True)) == [2, 2]


def test_window_boundaries_with_frozen_time(client, site_root):
    opens, closes = local(2030, 11, 15, 9), local(2030, 11, 21, 23, 59, 59)
    world = build_world(
        site_root, stage="voting", now=local(2030, 11, 18, 12), projects=2, voting_opens=opens, voting_closes=closes
    )
    call, voter, (a, b) = world.call, world.users["voter"], world.apps.values()
    tick = dt.timedelta(microseconds=1)
    with time_machine.travel(opens - tick, tick=False):
        client.force_login(voter)
        early = post_vote(client, call, a)
        assert early.status_code == 403 and "投票尚未开始" in early.content.decode()
    with time_machine.travel(opens, tick=False):
        client.force_login(voter)
        assert post_vote(client, call, a).status_code == 303
    with time_machine.travel(closes, tick=False):
        client.force_login(voter)
        assert post_vote(client, call, b).status_code == 303
    with time_machine.travel(closes + tick, tick=False):
        client.force_login(voter)
        late = post_vote(client, call, b)
        assert late.status_code == 403 and "投票已结束" in late.content.decode()
    assert Vote.objects.count() == 2


@override_settings(WAGTAIL_AWARDS_VOTERS=["insecure_device"], WAGTAIL_AWARDS_VOTES_PER_DAY=1)
def test_insecure_device_voting_counts_per_signed_device(client, call):
    a, b = make_candidates(call, 2)
    # The question comes with a signed device cookie; the vote is counted on that device.
    assert client.get(reverse("wagtail_awards:vote_challenge")).json()["need"] is None
    request = RequestFactory().get("/")
    request.COOKIES[voters.DEVICE_COOKIE] = client.cookies[voters.DEVICE_COOKIE].value
    device = voters.device_of(request)
    assert device
    assert post_vote(client, call, a).status_code == 303
    assert Vote.objects.get().voter_key == f"d:{device}" and Vote.objects.get().voter is None
    # Same device (the cookie is kept by the client): the day's single vote is used.
    assert post_vote(client, call, b).status_code == 409


@override_settings(WAGTAIL_AWARDS_VOTE_IP_LIMIT=3, WAGTAIL_AWARDS_VOTES_PER_DAY=10)
def test_rate_limit_answers_429_after_solved_attempts(client, call, voter):
    candidates = make_candidates(call, 5)
    for candidate in candidates[:2]:
        assert post_vote(client, call, candidate).status_code == 303
    # A refusal after a solved question counts too.
    assert post_vote(client, call, candidates[0]).status_code == 409
    limited = post_vote(client, call, candidates[3])
    assert limited.status_code == 429
    assert "请稍后再试" in limited.content.decode()
    assert Vote.objects.count() == 2
    # Another address is not limited, nor another voter at the same address.
    assert post_vote(client, call, candidates[3], REMOTE_ADDR="10.1.2.3").status_code == 303
    client.force_login(verify_voter(make_user("neighbour")))
    assert post_vote(client, call, candidates[3]).status_code == 303


def test_junk_attempts_from_one_address_do_not_block_another_voter_there(client, call, settings):
    """60 junk POSTs from a campus NAT used to use up the address's budget for the hour."""
    # Only the settings fixture here: mixed with override_settings, its changes would outlive the test.
    settings.WAGTAIL_AWARDS_VOTE_IP_LIMIT = 5
    settings.WAGTAIL_AWARDS_VOTERS = ["insecure_device"]
    settings.CAPTCHA_TEST_MODE = False
    (candidate,) = make_candidates(call, 1)
    client.cookies[voters.DEVICE_COOKIE] = voters.device_cookie_value(uuid.uuid4().hex)
    url = reverse("wagtail_awards:vote", args=[call.pk, candidate.pk])
    for n in range(20):
        junk = {"captcha_0": f"{n:040x}", "captcha_1": "1", "next": "/"}
        assert client.post(url, junk, REMOTE_ADDR="10.9.9.9").status_code == 400
    wrong_key, _answer = bound_challenge(client, "vote")
    assert post_vote(client, call, candidate, key=wrong_key, answer="wrong", REMOTE_ADDR="10.9.9.9").status_code == 400
    # The junk came from this very visitor; it is not blocked either, nor is a neighbour on the same address.
    key, answer = bound_challenge(client, "vote")
    assert post_vote(client, call, candidate, key=key, answer=answer, REMOTE_ADDR="10.9.9.9").status_code == 303
    neighbour = type(client)()
    neighbour.cookies[voters.DEVICE_COOKIE] = voters.device_cookie_value(uuid.uuid4().hex)
    key, answer = bound_challenge(neighbour, "vote")
    assert post_vote(neighbour, call, candidate, key=key, answer=answer, REMOTE_ADDR="10.9.9.9").status_code == 303
    assert Vote.objects.count() == 2


def test_unsafe_next_is_ignored(client, call, voter):
    (candidate,) = make_candidates(call, 1)
    response = post_vote(client, call, candidate, next_url="https://evil.example/")
    assert response.status_code == 303 and "evil" not in response["Location"]


# Audit


@pytest.fixture
def province_admin(world):
    return world.users["province"]


def test_audit_denied_without_permission(client, call):
    from django.contrib.auth.models import Permission

    user = make_user("staff-only")
    user.user_permissions.add(Permission.objects.get(codename="access_admin"))
    client.force_login(user)
    url = reverse("wagtail_awards_admin:vote_audit", args=[call.pk])
    assert client.get(url).status_code in (302, 403)
    assert client.post(url, {"ip_hash": "x", "reason": "r"}).status_code in (302, 403)


@override_settings(WAGTAIL_AWARDS_VOTE_BURST=3)
def test_audit_shows_results_bursts_and_invalidates(client, call, province_admin):
    a, b, c = make_candidates(call, 3)
    for i in range(4):
        add_vote(call, a, f"d:{i}", ip_hash="burstip")
    for i in range(2):
        add_vote(call, b, f"u:{i}", ip_hash=f"ip{i}")
    client.force_login(province_admin)
    url = reverse("wagtail_awards_admin:vote_audit", args=[call.pk])
    html = client.get(url).content.decode()
    assert f'data-bar="{a.pk}"' in html and "<svg" in html
    assert "burstip" in html and "data-vote-winner" in html
    response = client.post(url, {"ip_hash": "burstip", "reason": "同一网络集中刷票"})
    assert response.status_code == 302
    assert voting.tallies(call=call) == {b.pk: 2}
    assert Vote.objects.filter(valid=False, invalid_reason="同一网络集中刷票").count() == 4
    entry = AwardsLogEntry.objects.get(action="wagtail_awards.invalidate_votes")
    assert entry.object_id == str(call.pk) and entry.data["count"] == 4 and entry.user_id == province_admin.pk
    # Now a and c are behind b; make a tie and the admin is told.
    add_vote(call, c, "u:x")
    add_vote(call, c, "u:y")
    html = client.get(url).content.decode()
    assert "data-vote-tie" in html


def test_audit_requires_a_selection(client, call, province_admin):
    client.force_login(province_admin)
    url = reverse("wagtail_awards_admin:vote_audit", args=[call.pk])
    response = client.post(url, {"reason": "无"})
    assert response.status_code == 200
    assert not AwardsLogEntry.objects.filter(action="wagtail_awards.invalidate_votes").exists()


def test_audit_index_lists_calls_with_a_vote(client, call, province_admin):
    client.force_login(province_admin)
    response = client.get(reverse("wagtail_awards_admin:vote_audit_index"))
    assert response.status_code == 200
    assert reverse("wagtail_awards_admin:vote_audit", args=[call.pk]) in response.content.decode()
    # The menu item (the sidebar is rendered from JSON in the page).
    assert reverse("wagtail_awards_admin:vote_audit_index") in client.get(reverse("wagtailadmin_home")).content.decode()


@override_settings(WAGTAIL_AWARDS_VOTE_IP_LIMIT=2)
def test_new_questions_are_rate_limited_per_ip(client, call, voter):
    (candidate,) = make_candidates(call, 1)
    url = reverse("wagtail_awards:vote_challenge")
    for _ in range(3):
        assert client.get(url).status_code == 200
    assert (
        client.get(confirmation_url(call, candidate)).status_code == 200
    )  # the fourth question, on the confirmation page
    limited = client.get(url)
    assert limited.status_code == 429 and "请稍后再试" in limited.json()["error"]
    confirm = client.get(confirmation_url(call, candidate))
    assert confirm.status_code == 429 and "captcha_1" not in confirm.content.decode()
    assert CaptchaStore.objects.count() == 4


# The result as an award


def test_most_popular_is_recorded_on_the_awards_after_voting_closes(client, call, province_admin):
    from wagtail_awards.models import Application, Award, AwardsLogEntry

    a, b = make_candidates(call, 2, status="scored")
    Award.objects.create(application=b, prize_rank=2)  # b has a prize already
    for i in range(3):
        add_vote(call, a, f"u:{i}")
    add_vote(call, b, "u:9")
    url = reverse("wagtail_awards_admin:vote_audit", args=[call.pk])
    record = reverse("wagtail_awards_admin:record_most_popular", args=[call.pk])
    client.force_login(province_admin)

    # While voting is open nothing is recorded, and the form is not offered.
    assert record not in client.get(url).content.decode()
    client.post(record)
    assert not Award.objects.filter(most_popular=True).exists()

    with time_machine.travel(call.voting_closes + dt.timedelta(seconds=1), tick=False):
        assert record in client.get(url).content.decode()
        assert client.post(record).status_code == 302
    award = Award.objects.get(application=a)
    assert award.most_popular and award.prize_rank is None and award.status == "proposed"
    assert Application.objects.get(pk=a.pk).status == "proposed"
    entry = AwardsLogEntry.objects.get(action="wagtail_awards.most_popular")
    assert entry.object_id == str(a.pk) and entry.user_id == province_admin.pk and entry.data == {"votes": 3}

    # Votes invalidated later move the title: b now leads, a loses it, b keeps its prize as well.
    voting.invalidate_votes(call=call, votes=Vote.objects.filter(application=a), reason="刷票", user=province_admin)
    with time_machine.travel(call.voting_closes + dt.timedelta(hours=1), tick=False):
        voting.record_most_popular(call=call, user=province_admin, now=call.voting_closes + dt.timedelta(hours=1))
    assert list(Award.objects.filter(most_popular=True).values_list("application", "prize_rank")) == [(b.pk, 2)]


def test_most_popular_refused_on_a_tie_and_to_other_staff(client, call, province_admin):
    a, b = make_candidates(call, 2, status="scored")
    add_vote(call, a, "u:1")
    add_vote(call, b, "u:2")
    after = call.voting_closes + dt.timedelta(seconds=1)
    with pytest.raises(MostPopularError):
        voting.record_most_popular(call=call, user=province_admin, now=after)

    from django.contrib.auth.models import Permission

    auditor = make_user("auditor")
    auditor.user_permissions.add(*Permission.objects.filter(codename__in=["access_admin", "view_vote", "change_vote"]))
    client.force_login(auditor)
    with time_machine.travel(after, tick=False):
        response = client.post(reverse("wagtail_awards_admin:record_most_popular", args=[call.pk]))
    assert response.status_code in (302, 403)
    from wagtail_awards.models import Award

    assert not Award.objects.filter(most_popular=True).exists()
