"""Tallies rolled up while votes arrive (PostgreSQL, each thread its own connection): no vote counted twice or missed,
whether it is read live or from the counters, before, during or after a roll-up."""

from collections import Counter

import pytest
from django.utils import timezone

from tests.builders import build_world
from tests.conftest import run_together
from wagtail_awards.models import Vote, VoteTally
from wagtail_awards.rules.voting import TALLY_GRACE
from wagtail_awards.services import voting

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]


def test_votes_and_roll_ups_at_once_count_every_vote_once(site_root):
    world = build_world(site_root, stage="voting")
    call = world.call
    keys = ["nj1", "nj2", "nj3", "sz1", "seu1"]
    seen = []

    def cast(n, at):
        return voting.cast_vote(
            call_id=call.pk, application_id=world.apps[keys[n % 5]].pk, voter_key=f"t:{n}", now=at, per_day=3
        )

    # Thirty votes of a minute and a half ago (past the grace: the roll-ups take them), then thirty votes arriving
    # while eight roll-ups run and read the tallies (younger than the grace: they stay live).
    old = timezone.now() - 1.5 * TALLY_GRACE
    for n in range(30):
        cast(n, old)

    def fresh(n):
        return lambda: cast(n, timezone.now())

    def roll():
        voting.roll_up_tallies(call_id=call.pk, now=timezone.now())
        seen.append(sum(voting.tallies(call=call).values()))

    jobs = [fresh(n) for n in range(30, 60)] + [roll] * 8
    results = run_together(jobs, threads=8)
    assert not [r for r in results if isinstance(r, Exception)]
    stored = Counter(Vote.objects.filter(call=call, valid=True).values_list("application_id", flat=True))
    assert sum(stored.values()) == 60
    # Every read saw the old votes once (never twice, never none) and at most every fresh one.
    assert len(seen) == 8 and all(30 <= total <= 60 for total in seen), seen
    # The old votes were rolled up once, however many roll-ups ran; the fresh ones are still counted live.
    assert sum(VoteTally.objects.filter(call=call).values_list("votes", flat=True)) == 30
    assert voting.tallies(call=call) == dict(stored)
    # Everything rolled up at last: the counters alone hold every vote, once.
    voting.roll_up_tallies(call_id=call.pk, now=timezone.now() + 2 * TALLY_GRACE)
    assert dict(VoteTally.objects.filter(call=call).values_list("application_id", "votes")) == dict(stored)
    assert voting.tallies(call=call) == dict(stored)
