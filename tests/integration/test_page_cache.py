"""The public pages' cache: what it keeps, for whom, for how long, and what purges it."""

import datetime as dt

import pytest
import time_machine
from captcha.models import CaptchaStore
from django.conf import settings
from django.core.cache import cache
from django.test import override_settings
from django.urls import reverse
from django.utils import timezone
from wagtail.models import PageViewRestriction

from tests.builders import build_world, local, make_user
from wagtail_awards.models import Objection
from wagtail_awards.services import voting

pytestmark = pytest.mark.django_db

#: The 2021 round's publicity starts on 29 September 2021, 09:00 (five working days, to 11 October).
STARTS = local(2021, 9, 29, 9)

CACHED = override_settings(
    MIDDLEWARE=["wagtail_awards.middleware.PublicPageCacheMiddleware", *settings.MIDDLEWARE],
    WAGTAIL_AWARDS_PAGE_CACHE_SECONDS=30,
)


@pytest.fixture(autouse=True)
def page_cache():
    cache.clear()
    with CACHED:
        yield
    cache.clear()


def hit(response):
    return response.get("X-Awards-Cache") == "hit"


def test_voting_page_is_served_from_the_cache_without_a_query(client, site_root, django_assert_num_queries):
    world = build_world(site_root, stage="voting", projects=3)
    page = world.voting_page
    first = client.get(page.url)
    assert first.status_code == 200 and not hit(first)
    assert "s-maxage=" in first["Cache-Control"]
    with django_assert_num_queries(0):
        second = client.get(page.url)
    assert hit(second) and second.content == first.content


def test_tallies_on_a_cached_page_are_at_most_the_stated_seconds_old(client, site_root):
    start = local(2030, 1, 1, 12)
    world = build_world(site_root, stage="voting", now=start, projects=1, tallies="during")  # open a day either side
    call, page, (candidate,) = world.call, world.voting_page, world.apps.values()
    with time_machine.travel(start, tick=False):
        assert 'data-vote-count="0"' in client.get(page.url).content.decode()
        voting.cast_vote(call_id=call.pk, application_id=candidate.pk, voter_key="u:1", now=start, per_day=3)
        assert 'data-vote-count="0"' in client.get(page.url).content.decode()  # still the kept copy
    with time_machine.travel(start + dt.timedelta(seconds=31), tick=False):
        fresh = client.get(page.url)
    assert not hit(fresh) and 'data-vote-count="1"' in fresh.content.decode()


def test_a_cached_page_expires_when_voting_closes(client, site_root):
    closes = local(2030, 1, 1, 12)
    world = build_world(site_root, stage="voting", now=closes - dt.timedelta(days=1), projects=1)
    call, page = world.call, world.voting_page
    closes = call.voting_closes  # the last instant of the closing minute
    with time_machine.travel(closes - dt.timedelta(seconds=5), tick=False):
        assert "data-vote-link" in client.get(page.url).content.decode()
    with time_machine.travel(closes + dt.timedelta(seconds=1), tick=False):
        after = client.get(page.url)
    assert not hit(after) and "data-vote-link" not in after.content.decode()


def test_publishing_purges_the_cache(client, site_root):
    world = build_world(site_root, stage="voting", projects=0)
    page = world.voting_page
    client.get(page.url)
    assert hit(client.get(page.url))
    page.title = "网络投票（更新）"
    page.save_revision().publish()
    fresh = client.get(page.url)
    assert not hit(fresh) and "网络投票（更新）" in fresh.content.decode()


def test_a_page_made_private_is_no_longer_served_from_the_cache(client, site_root):
    world = build_world(site_root, stage="voting", projects=0)
    page = world.voting_page
    client.get(page.url)
    PageViewRestriction.objects.create(page=page, restriction_type=PageViewRestriction.LOGIN)
    response = client.get(page.url)
    assert response.status_code == 302 and "/login" in response["Location"]


def test_signed_in_visitors_and_pending_messages_bypass_the_cache(client, site_root):
    world = build_world(site_root, stage="voting", projects=0)
    page = world.voting_page
    client.get(page.url)
    user = make_user("voter-name", first_name="王老师")
    client.force_login(user)
    mine = client.get(page.url)
    assert not hit(mine) and "王老师" in mine.content.decode()
    client.logout()
    client.cookies.pop(settings.SESSION_COOKIE_NAME, None)
    anonymous = client.get(page.url)
    assert hit(anonymous) and "王老师" not in anonymous.content.decode()
    client.cookies["messages"] = "x"
    assert not hit(client.get(page.url))


def test_query_strings_are_rendered_not_cached(client, site_root):
    world = build_world(site_root, stage="voting", projects=1)
    page, (candidate,) = world.voting_page, world.apps.values()
    for _ in range(2):
        assert not hit(client.get(f"{page.url}?voted={candidate.pk}"))
    assert not hit(client.get(page.url))
    assert hit(client.get(page.url))


def test_cached_publicity_page_holds_no_token_and_makes_no_question(client, site_root):
    world = build_world(site_root, stage="publicity", now=STARTS, year=2021, projects=3, publicity_starts=STARTS)
    page = world.publicity_page
    with time_machine.travel(local(2021, 9, 29, 10), tick=False):
        before = CaptchaStore.objects.count()
        first = client.get(page.url)
        html = first.content.decode()
        assert "data-objection-form" in html and "data-challenge-url" in html
        assert 'name="csrfmiddlewaretoken" value=""' in html
        assert CaptchaStore.objects.count() == before and not first.cookies
        assert hit(client.get(page.url))
        # Without JavaScript the link opens the form with its question and token: rendered, never kept.
        inline = client.get(f"{page.url}?objection=1")
        assert not hit(inline) and CaptchaStore.objects.count() == before + 1
        assert 'name="captcha_1"' in inline.content.decode() and "data-challenge-url" not in inline.content.decode()
        assert not hit(client.get(f"{page.url}?objection=1"))


def test_a_cached_publicity_page_shows_the_final_list_once_the_awards_are_made_final(client, site_root):
    """After the period a kept page says the list waits for confirmation; ``awards_finalise`` purges it."""
    from django.core.management import call_command

    world = build_world(site_root, stage="publicity", now=STARTS, year=2021, projects=3, publicity_starts=STARTS)
    page, awards = world.publicity_page, list(world.awards.values())
    with time_machine.travel(local(2021, 10, 12, 9), tick=False):
        waiting = client.get(page.url)
        kept = client.get(page.url)
        call_command("awards_finalise", stdout=open("/dev/null", "w"))
        final = client.get(page.url)
        final_kept = client.get(page.url)
    assert hit(kept) and "data-awaiting-final" in kept.content.decode()
    assert "data-awaiting-final" in waiting.content.decode() and "data-results-published" not in kept.content.decode()
    assert not hit(final) and "data-results-published" in final.content.decode()
    assert "data-awaiting-final" not in final.content.decode()
    assert hit(final_kept) and final_kept.content == final.content
    for award in awards:
        assert award.application.project_name in final.content.decode()


def test_objection_with_a_question_from_the_challenge_endpoint(client, site_root):
    world = build_world(site_root, stage="publicity", now=STARTS, year=2021, projects=3, publicity_starts=STARTS)
    page, awards = world.publicity_page, list(world.awards.values())
    with time_machine.travel(local(2021, 9, 29, 10), tick=False):
        challenge = client.get(reverse("wagtail_awards:objection_challenge"))
        assert "no-cache" in challenge["Cache-Control"] or "max-age=0" in challenge["Cache-Control"]
        data = challenge.json()
        response = client.post(
            page.url,
            {
                "application": awards[0].application.pk,
                "name": "张老师",
                "contact": "13800000000",
                "content": "该项目申报材料与实际开展情况不符。",
                "captcha_0": data["key"],
                "captcha_1": "passed",
                "csrfmiddlewaretoken": data["csrf"],
            },
        )
    assert response.status_code == 302
    assert Objection.objects.count() == 1
    assert not CaptchaStore.objects.filter(hashkey=data["key"]).exists()


@override_settings(WAGTAIL_AWARDS_VOTE_IP_LIMIT=2)
def test_objection_questions_are_limited_per_address(client, site_root):
    url = reverse("wagtail_awards:objection_challenge")
    for _ in range(4):
        assert client.get(url).status_code == 200
    limited = client.get(url)
    assert limited.status_code == 429 and limited.json()["error"]
    assert CaptchaStore.objects.count() == 4


def test_only_public_responses_without_cookies_are_kept(rf):
    from django.contrib.auth.models import AnonymousUser
    from django.http import HttpResponse

    from wagtail_awards import page_cache

    request = rf.get("/vote/")
    request.user = AnonymousUser()
    assert page_cache.request_key(request) is not None
    assert page_cache.storable(request, page_cache.mark_public(HttpResponse("x")))
    assert not page_cache.storable(request, HttpResponse("x"))  # not marked public by its page
    with_cookie = page_cache.mark_public(HttpResponse("x"))
    with_cookie.set_cookie("tracking", "1")
    assert not page_cache.storable(request, with_cookie)
    assert not page_cache.storable(request, page_cache.mark_public(HttpResponse("x", status=404)))
    assert page_cache.request_key(rf.post("/vote/")) is None
    with override_settings(ALLOWED_HOSTS=["testserver"]):
        assert page_cache.request_key(rf.get("/vote/", HTTP_HOST="evil.example")) is None


# Fragments and rows for pages rendered per visitor (signed in): the same staleness bounds and purges.


def test_signed_in_visitors_get_the_content_of_their_kind(client, site_root):
    from wagtail_awards.models import ApplicationFormPage

    call = build_world(site_root).call  # applications open, its form page published
    assert ApplicationFormPage.objects.child_of(call).live().exists()
    my_applications = reverse("wagtail_awards:my_applications")
    assert my_applications not in client.get(call.url).content.decode()
    client.force_login(make_user("applicant-kind"))
    assert my_applications in client.get(call.url).content.decode()
    client.logout()
    assert my_applications not in client.get(call.url + "?again=1").content.decode()


def test_publishing_shows_at_once_to_signed_in_visitors(client, site_root):
    from wagtail_awards.models import CallTheme

    world = build_world(site_root, stage="voting", projects=0)
    call, page = world.call, world.voting_page
    client.force_login(make_user("reader"))
    assert "新主题" not in client.get(call.url).content.decode()
    call.title = "更新后的通知"
    call.themes = [*call.themes.all(), CallTheme(name="新主题")]
    call.save_revision().publish()
    html = client.get(call.url).content.decode()
    assert "更新后的通知" in html and "新主题" in html
    # A slug change moves the page: the old address is gone at once, the new one works.
    page.slug = "vote-now"
    page.save_revision().publish()
    assert client.get(call.url + "vote/").status_code == 404
    assert client.get(call.url + "vote-now/").status_code == 200


def test_tallies_for_signed_in_visitors_are_at_most_the_stated_seconds_old(client, site_root):
    world = build_world(site_root, stage="voting", projects=1, tallies="during")
    call, page, (candidate,) = world.call, world.voting_page, world.apps.values()
    client.force_login(make_user("watcher"))
    start = timezone.now()
    with time_machine.travel(start, tick=False):
        assert 'data-vote-count="0"' in client.get(page.url).content.decode()
        voting.cast_vote(call_id=call.pk, application_id=candidate.pk, voter_key="u:1", now=start, per_day=3)
        assert 'data-vote-count="0"' in client.get(page.url).content.decode()
        # After a vote the page is rendered afresh.
        assert 'data-vote-count="1"' in client.get(f"{page.url}?voted={candidate.pk}").content.decode()
    with time_machine.travel(start + dt.timedelta(seconds=31), tick=False):
        assert 'data-vote-count="1"' in client.get(page.url).content.decode()


def test_objection_errors_are_rendered_with_caching_on(client, site_root):
    world = build_world(site_root, stage="publicity", now=STARTS, year=2021, projects=3, publicity_starts=STARTS)
    page, awards = world.publicity_page, list(world.awards.values())
    with time_machine.travel(local(2021, 9, 29, 10), tick=False):
        client.get(page.url)
        response = client.post(page.url, {"application": awards[0].application.pk, "name": "", "captcha_0": "x"})
    html = response.content.decode()
    assert response.status_code == 200 and "has-error" in html
    assert 'name="captcha_1"' in html and "data-challenge-url" not in html


def test_privacy_given_to_a_page_kept_for_signed_in_visitors_applies_at_once(client, site_root):
    """The routed page object is kept in the row cache with the answer "no view restriction applies"; restricting
    the page (or a page above it) to a group purges it, so the next visit is refused."""
    from django.contrib.auth.models import Group

    world = build_world(site_root, stage="voting", projects=0)
    call, page = world.call, world.voting_page
    client.force_login(make_user("outsider", first_name="局外人"))
    assert client.get(page.url).status_code == 200
    assert client.get(page.url).status_code == 200  # from the kept page object
    restriction = PageViewRestriction.objects.create(page=call, restriction_type=PageViewRestriction.GROUPS)
    restriction.groups.add(Group.objects.create(name="评委"))
    refused = client.get(page.url)
    assert refused.status_code != 200 and "局外人" not in refused.content.decode()


def test_the_cache_generation_is_read_once_a_request_and_replaced_by_a_purge_in_it():
    from wagtail_awards import page_cache

    page_cache.start_request()
    try:
        first = page_cache.generation()
        cache.set(page_cache.GENERATION_KEY, "changed-elsewhere", timeout=None)
        assert page_cache.generation() == first  # one request sees one generation
        page_cache.purge()
        purged = page_cache.generation()
        assert purged not in (first, "changed-elsewhere") and purged == cache.get(page_cache.GENERATION_KEY)
    finally:
        page_cache.end_request()
    cache.set(page_cache.GENERATION_KEY, "next-request", timeout=None)
    assert page_cache.generation() == "next-request"  # outside a request, always the shared cache's


def test_the_site_is_kept_only_for_allowed_hosts(rf, site_root):
    from wagtail_awards import page_cache

    with override_settings(ALLOWED_HOSTS=["testserver"]):
        assert page_cache.site_for_request(rf.get("/", HTTP_HOST="evil.example")) is None
        site = page_cache.site_for_request(rf.get("/"))
    assert site is not None and site.root_page.specific.pk == site_root.pk


def test_a_page_for_a_signed_in_visitor_reads_the_shared_cache_in_three_round_trips(client, site_root, settings):
    """Once its rows are kept and their names learned, the voting page asks the shared cache three times: the
    session, the generation with the names of the rows the page read last time, and those rows with the visitor's
    admin access. The page is still rendered for the visitor."""
    from django.core.cache import caches

    settings.SESSION_ENGINE = "django.contrib.sessions.backends.cache"
    world = build_world(site_root, stage="voting", projects=3)
    page = world.voting_page
    client.force_login(make_user("counted-reader", first_name="计数读者"))
    for _ in range(2):  # the rows kept, then their names learned
        client.get(page.url)
    shared = caches["default"]
    asked, inside = [], []
    operations = ("get", "get_many", "has_key", "set", "add")
    for operation in operations:
        original = getattr(shared, operation)

        def counted(*args, _operation=operation, _original=original, **kwargs):
            if not inside:  # a local-memory get_many asks get for each key: one round trip all the same
                asked.append(_operation)
            inside.append(_operation)
            try:
                return _original(*args, **kwargs)
            finally:
                inside.pop()

        setattr(shared, operation, counted)
    try:
        response = client.get(page.url)
    finally:
        for operation in operations:
            delattr(shared, operation)
    assert sorted(asked) == ["get", "get_many", "get_many"]
    html = response.content.decode()
    assert not hit(response) and "计数读者" in html and html.count('class="awards-candidate') >= 3
