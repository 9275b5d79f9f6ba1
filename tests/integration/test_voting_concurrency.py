"""No vote lost, none counted twice: concurrent requests on PostgreSQL, each thread with its own connection."""

import re
import uuid
from collections import Counter
from importlib import import_module

import pytest
from captcha.models import CaptchaStore
from django.conf import settings
from django.test import Client, override_settings
from django.urls import reverse

from tests.builders import build_world
from tests.conftest import run_together
from wagtail_awards.captcha import new_challenge
from wagtail_awards.models import Vote
from wagtail_awards.services import voters, voting

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]
THREADS = 16  # connections are shared with other databases on the server


def bound_question(session_key=None):
    """A session (new unless given) and a vote question bound to it, as the vote endpoint hands them out."""
    session = import_module(settings.SESSION_ENGINE).SessionStore(session_key)
    key = new_challenge(purpose="vote", session=session)
    session.save()
    return session.session_key, key


def vote_job(call, candidate, *, device=None, code=None, question=None, answer="passed"):
    """A job that votes for ``candidate`` as a device (``device``, or a new one) or as the voting code whose signed
    cookie value is ``code``, with ``question`` (or a new one bound to a new session)."""
    url = reverse("wagtail_awards:vote", args=[call.pk, candidate.pk])

    def job():
        client = Client()
        if code is not None:
            client.cookies[voters.CODE_COOKIE] = code
        else:
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
    world = build_world(site_root, stage="voting", projects=5)
    call, candidates = world.call, list(world.apps.values())
    page = world.voting_page  # tallies shown during the vote
    chosen = [candidates[i % 5] for i in range(200)]
    statuses = run_together([vote_job(call, candidate) for candidate in chosen], threads=THREADS)
    accepted = Counter(candidate.pk for candidate, status in zip(chosen, statuses, strict=True) if status == 303)
    assert sum(accepted.values()) == 200, Counter(statuses)
    assert Vote.objects.filter(call=call).count() == 200
    assert voting.tallies(call=call) == dict(accepted)
    assert shown_tallies(page) == dict(accepted)


@override_settings(WAGTAIL_AWARDS_VOTERS=["insecure_device"], WAGTAIL_AWARDS_VOTE_IP_LIMIT=0)
def test_50_identical_votes_counted_once(site_root):
    world = build_world(site_root, stage="voting", projects=1)
    call, (candidate,) = world.call, world.apps.values()
    device = uuid.uuid4().hex
    statuses = run_together([vote_job(call, candidate, device=device) for _ in range(50)], threads=THREADS)
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
    world = build_world(site_root, stage="voting", projects=4)
    call, candidates = world.call, list(world.apps.values())
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
    statuses = run_together(jobs, threads=THREADS)
    assert Counter(statuses) == {303: 100, 400: 700}
    assert Vote.objects.filter(call=call).count() == 100
    assert not CaptchaStore.objects.filter(hashkey__in=[key for _, key, _ in challenges]).exists()


# Only override_settings here: mixing it with pytest-django's settings fixture would leak the override.
@override_settings(
    WAGTAIL_AWARDS_VOTERS=["insecure_device"], WAGTAIL_AWARDS_VOTE_IP_LIMIT=0, WAGTAIL_AWARDS_VOTES_PER_DAY=3
)
def test_daily_cap_holds_under_concurrency(site_root):
    world = build_world(site_root, stage="voting", projects=20)
    call, candidates = world.call, list(world.apps.values())
    device = uuid.uuid4().hex
    statuses = run_together([vote_job(call, candidate, device=device) for candidate in candidates], threads=THREADS)
    assert Counter(statuses) == {303: 3, 409: 17}
    assert Vote.objects.filter(call=call).count() == 3


# Only override_settings here: mixing it with pytest-django's settings fixture would leak the override.
@override_settings(
    WAGTAIL_AWARDS_VOTERS=["voting_code"], WAGTAIL_AWARDS_VOTE_IP_LIMIT=0, WAGTAIL_AWARDS_VOTES_PER_DAY=3
)
def test_a_voting_code_votes_once_per_days_limit_and_never_twice_at_once(site_root):
    from tests.builders import make_org
    from wagtail_awards.models import VotingCode

    world = build_world(site_root, stage="voting", projects=20)
    call, candidates = world.call, list(world.apps.values())
    voters.generate_codes(call=call, organization=make_org("无锡市第一中学工会"), count=2, user=None)
    first, second = (voters.code_cookie_value(code) for code in VotingCode.objects.order_by("number"))

    # Twenty candidates at once with one code: the day's three votes, no more.
    at_once = run_together([vote_job(call, c, code=first) for c in candidates], threads=THREADS)
    assert Counter(at_once) == {303: 3, 409: 17}
    # Another code for one candidate thirty times at once: one vote.
    repeated = run_together([vote_job(call, candidates[0], code=second) for _ in range(30)], threads=THREADS)
    assert Counter(repeated) == {303: 1, 409: 29}
    stored = Counter(Vote.objects.filter(call=call).values_list("voter_key", flat=True))
    assert sorted(stored.values()) == [1, 3] and all(key.startswith("c:") for key in stored)
    assert sum(voting.tallies(call=call).values()) == 4


# Only override_settings here: mixing it with pytest-django's settings fixture would leak the override.
@override_settings(
    WAGTAIL_AWARDS_VOTERS=["insecure_device"], WAGTAIL_AWARDS_VOTE_IP_LIMIT=3, WAGTAIL_AWARDS_VOTES_PER_DAY=50
)
def test_concurrent_attempts_never_pass_the_limit_together(site_root):
    """Checked and counted in one step: twelve solved attempts at once from one voter and address, three pass."""
    world = build_world(site_root, stage="voting", projects=12)
    call, candidates = world.call, list(world.apps.values())
    device = uuid.uuid4().hex
    statuses = run_together([vote_job(call, candidate, device=device) for candidate in candidates])
    assert Counter(statuses) == {303: 3, 429: 9}
    assert Vote.objects.filter(call=call).count() == 3
