"""No vote lost, none counted twice: concurrent requests on PostgreSQL, each thread with its own connection."""

import re
import threading
import uuid
from collections import Counter
from importlib import import_module

import pytest
from captcha.models import CaptchaStore
from django.conf import settings
from django.db import connection
from django.test import Client, override_settings
from django.urls import reverse

from tests.voting_helpers import make_candidates, make_voting_call, make_voting_page
from wagtail_awards.captcha import new_challenge
from wagtail_awards.models import Vote
from wagtail_awards.services import voters, voting

pytestmark = [
    pytest.mark.postgres,
    # Decided before any database set-up, so on SQLite no transactional flush happens either.
    pytest.mark.skipif(
        "postgresql" not in settings.DATABASES["default"]["ENGINE"], reason="needs PostgreSQL (real concurrency)"
    ),
    pytest.mark.django_db(transaction=True),
]
THREADS = 16  # connections are shared with other databases on the server


@pytest.fixture(autouse=True)
def only_on_postgres():
    if connection.vendor != "postgresql":
        pytest.skip("needs PostgreSQL")


@pytest.fixture
def site_root(transactional_db):
    """A call index as the site root; after an earlier transactional test's flush, the root page and locale first."""
    from django.contrib.contenttypes.models import ContentType
    from wagtail.models import Locale, Page

    from tests.factories import make_site

    if Page.get_first_root_node() is None:
        ContentType.objects.clear_cache()
        Locale.objects.get_or_create(language_code="zh-hans")
        Page.add_root(instance=Page(title="Root", slug="root", content_type=ContentType.objects.get_for_model(Page)))
    return make_site()


def run_concurrently(jobs):
    """Run ``jobs`` (callables) on THREADS threads released together; return their results in order."""
    results = [None] * len(jobs)
    barrier = threading.Barrier(THREADS)
    lock = threading.Lock()
    pending = list(enumerate(jobs))

    def worker():
        from django.db import connections

        try:
            barrier.wait()
            while True:
                with lock:
                    if not pending:
                        return
                    index, job = pending.pop()
                results[index] = job()
        finally:
            connections.close_all()

    threads = [threading.Thread(target=worker) for _ in range(THREADS)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return results


def bound_question(session_key=None):
    """A session (new unless given) and a vote question bound to it, as the vote endpoint hands them out."""
    session = import_module(settings.SESSION_ENGINE).SessionStore(session_key)
    key = new_challenge(purpose="vote", session=session)
    session.save()
    return session.session_key, key


def vote_job(call, candidate, *, device=None, question=None, answer="passed"):
    url = reverse("wagtail_awards:vote", args=[call.pk, candidate.pk])

    def job():
        client = Client()
        client.cookies[voters.DEVICE_COOKIE] = voters.device_cookie_value(device or uuid.uuid4().hex)
        session_key, key = question or bound_question()
        client.cookies[settings.SESSION_COOKIE_NAME] = session_key
        return client.post(url, {"captcha_0": key, "captcha_1": answer, "next": "/"}).status_code

    return job


def shown_tallies(page):
    html = Client().get(page.url).content.decode()
    counts = re.findall(r'id="candidate-(\d+)".*?data-vote-count="(\d+)"', html, re.S)
    return {int(pk): int(n) for pk, n in counts}


@override_settings(WAGTAIL_AWARDS_VOTERS=["insecure_device"], WAGTAIL_AWARDS_VOTE_IP_LIMIT=0)
def test_200_concurrent_votes_none_lost(site_root):
    call = make_voting_call(site_root)
    candidates = make_candidates(call, 5)
    page = make_voting_page(call, when="during")
    chosen = [candidates[i % 5] for i in range(200)]
    statuses = run_concurrently([vote_job(call, candidate) for candidate in chosen])
    accepted = Counter(candidate.pk for candidate, status in zip(chosen, statuses, strict=True) if status == 303)
    assert sum(accepted.values()) == 200, Counter(statuses)
    assert Vote.objects.filter(call=call).count() == 200
    assert voting.tallies(call=call) == dict(accepted)
    assert shown_tallies(page) == dict(accepted)


@override_settings(WAGTAIL_AWARDS_VOTERS=["insecure_device"], WAGTAIL_AWARDS_VOTE_IP_LIMIT=0)
def test_50_identical_votes_counted_once(site_root):
    call = make_voting_call(site_root)
    (candidate,) = make_candidates(call, 1)
    device = uuid.uuid4().hex
    statuses = run_concurrently([vote_job(call, candidate, device=device) for _ in range(50)])
    assert Counter(statuses) == {303: 1, 409: 49}
    assert Vote.objects.filter(call=call).count() == 1
    assert voting.tallies(call=call) == {candidate.pk: 1}


@override_settings(
    WAGTAIL_AWARDS_VOTERS=["insecure_device"],
    WAGTAIL_AWARDS_VOTE_IP_LIMIT=0,
    WAGTAIL_AWARDS_VOTES_PER_DAY=50,
    CAPTCHA_TEST_MODE=False,
)
def test_each_captcha_accepted_once_under_concurrency(site_root):
    call = make_voting_call(site_root)
    candidates = make_candidates(call, 4)
    challenges = []
    for _ in range(100):
        session_key, key = bound_question()
        challenges.append((session_key, key, CaptchaStore.objects.get(hashkey=key).response))
    jobs = []
    for n, (session_key, key, answer) in enumerate(challenges):
        # The visitor sends the solved challenge eight times at once, each time as another voter (device): only
        # the captcha's single DELETE can refuse seven of them.
        jobs.extend(
            vote_job(call, candidates[(n + i) % 4], question=(session_key, key), answer=answer) for i in range(8)
        )
    statuses = run_concurrently(jobs)
    assert Counter(statuses) == {303: 100, 400: 700}
    assert Vote.objects.filter(call=call).count() == 100
    assert not CaptchaStore.objects.filter(hashkey__in=[key for _, key, _ in challenges]).exists()


# Only override_settings here: mixing it with pytest-django's settings fixture would leak the override.
@override_settings(
    WAGTAIL_AWARDS_VOTERS=["insecure_device"], WAGTAIL_AWARDS_VOTE_IP_LIMIT=0, WAGTAIL_AWARDS_VOTES_PER_DAY=3
)
def test_daily_cap_holds_under_concurrency(site_root):
    call = make_voting_call(site_root)
    candidates = make_candidates(call, 20)
    device = uuid.uuid4().hex
    statuses = run_concurrently([vote_job(call, candidate, device=device) for candidate in candidates])
    assert Counter(statuses) == {303: 3, 409: 17}
    assert Vote.objects.filter(call=call).count() == 3


# Only override_settings here: mixing it with pytest-django's settings fixture would leak the override.
@override_settings(
    WAGTAIL_AWARDS_VOTERS=["voting_code"], WAGTAIL_AWARDS_VOTE_IP_LIMIT=0, WAGTAIL_AWARDS_VOTES_PER_DAY=3
)
def test_a_voting_code_votes_once_per_days_limit_and_never_twice_at_once(site_root):
    from tests.factories import make_org
    from wagtail_awards.models import VotingCode

    call = make_voting_call(site_root)
    candidates = make_candidates(call, 20)
    voters.generate_codes(call=call, organization=make_org("无锡市第一中学工会"), count=2, user=None)
    first, second = (voters.code_cookie_value(code) for code in VotingCode.objects.order_by("number"))

    def job_for(candidate, cookie):
        url = reverse("wagtail_awards:vote", args=[call.pk, candidate.pk])

        def job():
            client = Client()
            client.cookies[voters.CODE_COOKIE] = cookie
            session_key, key = bound_question()
            client.cookies[settings.SESSION_COOKIE_NAME] = session_key
            return client.post(url, {"captcha_0": key, "captcha_1": "passed"}).status_code

        return job

    # Twenty candidates at once with one code: the day's three votes, no more.
    assert Counter(run_concurrently([job_for(c, first) for c in candidates])) == {303: 3, 409: 17}
    # Another code for one candidate thirty times at once: one vote.
    assert Counter(run_concurrently([job_for(candidates[0], second) for _ in range(30)])) == {303: 1, 409: 29}
    stored = Counter(Vote.objects.filter(call=call).values_list("voter_key", flat=True))
    assert sorted(stored.values()) == [1, 3] and all(key.startswith("c:") for key in stored)
    assert sum(voting.tallies(call=call).values()) == 4
