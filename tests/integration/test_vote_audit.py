"""Tallies as counters and the audit's rolled-up hours and bursts: the same figures as counting every vote."""

import datetime as dt
import io
from collections import Counter

import pytest
from django.core.management import call_command
from django.test import override_settings
from django.urls import reverse
from django.utils import timezone

from tests.builders import build_world, local, make_candidates
from wagtail_awards.models import Vote, VoteBurst, VoteHour, VoteRollup, VoteTally
from wagtail_awards.rules.voting import HOURS_PER_PAGE, ROLLUP_GRACE, TALLY_GRACE, VoteRefused, hour_start
from wagtail_awards.services import voting

pytestmark = pytest.mark.django_db

NOW = local(2030, 11, 20, 15, 30)


@pytest.fixture
def world(site_root):
    """The world with its vote open from 15 to 25 November 2030; each test shortlists its own candidates."""
    return build_world(
        site_root,
        stage="voting",
        now=NOW,
        projects=0,
        voting_opens=local(2030, 11, 15, 9),
        voting_closes=local(2030, 11, 25, 18),
    )


@pytest.fixture
def call(world):
    return world.call


def counted_from_votes(call):
    """What the counters must say, counted from the vote rows themselves."""
    valid = Counter(Vote.objects.filter(call=call, valid=True).values_list("application_id", flat=True))
    invalid = Counter(Vote.objects.filter(call=call, valid=False).values_list("application_id", flat=True))
    return {pk: (valid[pk], invalid[pk]) for pk in valid | invalid}


def counters(call):
    return {t.application_id: (t.votes, t.invalid) for t in VoteTally.objects.filter(call=call)}


def cast(call, candidate, voter, at):
    return voting.cast_vote(
        call_id=call.pk, application_id=candidate.pk, voter_key=voter, ip_hash=f"ip-{voter}", now=at, per_day=3
    )


def stored_votes(call, spec):
    """Votes written as stored rows at given times: ``[(candidate, voter, ip_hash, created_at), …]``."""
    created = Vote.objects.bulk_create(
        Vote(call=call, application=c, voter_key=v, ip_hash=ip, day=at.date()) for c, v, ip, at in spec
    )
    for vote, (_c, _v, _ip, at) in zip(created, spec, strict=True):
        vote.created_at = at
    Vote.objects.bulk_update(created, ["created_at"])
    voting.recount_tallies(call=call, now=max(NOW, timezone.now()))


def expected_hours(call):
    rows = Counter()
    for application_id, created_at in Vote.objects.filter(call=call, valid=True).values_list(
        "application_id", "created_at"
    ):
        rows[(hour_start(created_at), application_id)] += 1
    return rows


def audited_hours(call):
    result, page = Counter(), 1
    while True:
        hours = voting.audit_hours(call=call, page=page)
        for hour, total, items in hours.rows:
            assert total == sum(n for _pk, n in items)
            for application_id, n in items:
                result[(hour, application_id)] += n
        if not hours.has_next:
            return result
        page += 1


def test_tallies_are_rolled_up_and_kept_by_invalidation(call):
    a, b, c = make_candidates(call, 3)
    at = local(2030, 11, 20, 10)
    for n in range(5):
        cast(call, a, f"u:{n}", at)
    for n in range(3):
        cast(call, b, f"u:{n}", at)
    with pytest.raises(VoteRefused):
        cast(call, a, "u:0", at)  # refused: counted nowhere
    # A vote writes no counter: the votes since the last roll-up are counted live.
    assert counters(call) == {}
    assert voting.tallies(call=call) == {a.pk: 5, b.pk: 3}
    # Rolled up (cron): the counters hold them, the tallies say the same, and rolling up again adds nothing.
    voting.roll_up_tallies(call_id=call.pk, now=NOW)
    voting.roll_up_tallies(call_id=call.pk, now=NOW)
    assert counters(call) == counted_from_votes(call) == {a.pk: (5, 0), b.pk: (3, 0)}
    assert voting.tallies(call=call) == {a.pk: 5, b.pk: 3}

    # Invalidation of rolled-up votes moves them on the counters at once.
    changed = voting.invalidate_votes(
        call=call, votes=voting.select_votes(call=call, voter_key="u:1"), reason="重复", user=None
    )
    assert changed == 2
    assert counters(call) == counted_from_votes(call) == {a.pk: (4, 1), b.pk: (2, 1)}
    standing = voting.standing(call=call)
    assert (standing.leaders, standing.top, standing.total, standing.invalid) == ([a.pk], 4, 6, 2)

    # Votes since the roll-up (live), one of them invalidated before it is rolled up: counted once, valid or not.
    later = NOW + dt.timedelta(minutes=5)
    for n in range(5, 8):
        cast(call, c, f"u:{n}", later)
    cast(call, b, "u:9", later)
    voting.invalidate_votes(call=call, votes=voting.select_votes(call=call, voter_key="u:9"), reason="重复", user=None)
    assert voting.tallies(call=call) == {a.pk: 4, b.pk: 2, c.pk: 3}
    assert voting.standing(call=call).invalid == 3
    voting.roll_up_tallies(call_id=call.pk, now=later + dt.timedelta(minutes=2))
    assert counters(call) == counted_from_votes(call) == {a.pk: (4, 1), b.pk: (2, 2), c.pk: (3, 0)}
    assert voting.tallies(call=call) == {a.pk: 4, b.pk: 2, c.pk: 3}

    # A project that is no longer a candidate keeps its counter but is not tallied.
    a.status = "cancelled"
    a.save(update_fields=["status"])
    assert voting.tallies(call=call) == {c.pk: 3, b.pk: 2}
    assert voting.standing(call=call).leaders == [c.pk]
    # The counters rebuilt from the votes say the same.
    VoteTally.objects.filter(call=call).update(votes=0, invalid=0)
    voting.recount_tallies(call=call, now=later + dt.timedelta(minutes=2))
    assert counters(call) == counted_from_votes(call)


def test_a_vote_cast_within_the_grace_is_counted_live_until_a_later_roll_up(call):
    (a,) = make_candidates(call, 1)
    cast(call, a, "u:0", NOW)
    # Rolled up at once: the vote is younger than the grace, so it stays live (a vote still on its way is not missed).
    voting.roll_up_tallies(call_id=call.pk, now=NOW + TALLY_GRACE / 2)
    assert counters(call) == {}
    assert voting.tallies(call=call) == {a.pk: 1}
    assert [c.vote_count for c in voting.ranked_candidates(call=call)] == [1]
    voting.roll_up_tallies(call_id=call.pk, now=NOW + 2 * TALLY_GRACE)
    assert counters(call) == {a.pk: (1, 0)}
    assert voting.tallies(call=call) == {a.pk: 1}
    assert [c.vote_count for c in voting.ranked_candidates(call=call)] == [1]


def test_the_cron_command_rolls_the_tallies_up(site_root):
    world = build_world(site_root, stage="voting")
    a = world.apps["nj1"]
    Vote.objects.create(
        call=world.call,
        application=a,
        voter_key="u:0",
        day=timezone.localdate(),
        created_at=timezone.now() - 2 * TALLY_GRACE,
    )
    call_command("awards_rollup_votes", stdout=io.StringIO())
    assert counters(world.call) == {a.pk: (1, 0)}
    assert voting.tallies(call=world.call) == {a.pk: 1}


def test_roll_up_gives_the_figures_of_every_vote_and_reads_the_rest_live(call):
    a, b = make_candidates(call, 2)
    spec = []
    for hour in range(40):  # 40 hours back from NOW, some hours with a burst from one address
        at = NOW - dt.timedelta(hours=hour, minutes=7)
        spec += [(a if n % 3 else b, f"d:{hour}:{n}", "nat" if hour % 10 == 0 else f"ip{n}", at) for n in range(4)]
    spec += [(a, f"d:burst:{n}", "nat", NOW - dt.timedelta(hours=3, minutes=n)) for n in range(12)]
    stored_votes(call, spec)

    with override_settings(WAGTAIL_AWARDS_VOTE_BURST=10):
        until = voting.roll_up_votes(call_id=call.pk, now=NOW, threshold=10)
    assert until == hour_start(NOW - ROLLUP_GRACE) == local(2030, 11, 20, 15)
    assert VoteHour.objects.filter(call=call, hour__gte=until).count() == 0
    assert audited_hours(call) == expected_hours(call)
    # Hours since the roll-up are read live: the newest hour is on the first page.
    assert voting.audit_hours(call=call).rows[0][0] == local(2030, 11, 20, 15)
    bursts = voting.audit_bursts(call=call, threshold=10).rows
    assert [(row["kind"], row["value"], row["hour"], row["votes"]) for row in bursts] == [
        ("ip", "nat", local(2030, 11, 20, 12), 12)
    ]

    # Again at the same time: nothing more to roll up, nothing counted twice.
    rows = VoteHour.objects.filter(call=call).count()
    voting.roll_up_votes(call_id=call.pk, now=NOW, threshold=10)
    assert VoteHour.objects.filter(call=call).count() == rows
    # Two hours later the live hour is rolled up too, with the same figures.
    voting.roll_up_votes(call_id=call.pk, now=NOW + dt.timedelta(hours=2), threshold=10)
    assert VoteHour.objects.filter(call=call, hour=local(2030, 11, 20, 15)).exists()
    assert audited_hours(call) == expected_hours(call)


def test_invalidation_rolls_its_hours_up_again_and_a_new_threshold_rebuilds(call):
    (a,) = make_candidates(call, 1)
    burst_hour = NOW - dt.timedelta(hours=5)
    stored_votes(call, [(a, f"d:{n}", "nat", burst_hour + dt.timedelta(minutes=n)) for n in range(12)])
    stored_votes(call, [(a, f"e:{n}", f"ip{n}", NOW - dt.timedelta(hours=8)) for n in range(3)])
    voting.roll_up_votes(call_id=call.pk, now=NOW, threshold=10)
    assert VoteBurst.objects.filter(call=call, value="nat").exists()

    voting.invalidate_votes(call=call, votes=voting.select_votes(call=call, ip_hash="nat"), reason="刷票", user=None)
    assert not VoteBurst.objects.filter(call=call).exists()
    assert audited_hours(call) == expected_hours(call)
    assert counters(call) == {a.pk: (3, 12)}

    # A new threshold rebuilds the roll-up: with 1, each of the three valid votes' addresses is a burst.
    voting.roll_up_votes(call_id=call.pk, now=NOW, threshold=1)
    assert VoteRollup.objects.get(call=call).burst_threshold == 1
    assert VoteBurst.objects.filter(call=call, kind="ip").count() == 3


def test_rollup_command_is_idempotent(site_root):
    world = build_world(site_root, stage="voting", projects=1)  # voting opened yesterday
    call, (a,) = world.call, world.apps.values()
    stored_votes(call, [(a, f"d:{n}", "x", timezone.now() - dt.timedelta(hours=3)) for n in range(5)])
    call_command("awards_rollup_votes", verbosity=0)
    call_command("awards_rollup_votes", "--recount", verbosity=0)
    assert VoteHour.objects.get(call=call).votes == 5
    call_command("awards_rollup_votes", "--rebuild", verbosity=0)
    assert VoteHour.objects.get(call=call).votes == 5
    assert counters(call) == {a.pk: (5, 0)}


@pytest.fixture
def auditor(client, world):
    user = world.users["province"]
    client.force_login(user)
    return user


@override_settings(WAGTAIL_AWARDS_VOTE_BURST=2)
def test_audit_screen_pages_its_lists(client, call, auditor):
    candidates = make_candidates(call, 3)
    spec = []
    for hour in range(30):
        at = timezone.now() - dt.timedelta(hours=hour + 1)
        spec += [(candidates[n % 3], f"d:{hour}:{n}", f"src{hour}", at) for n in range(2)]
    stored_votes(call, spec)
    url = reverse("wagtail_awards_admin:vote_audit", args=[call.pk])
    first = client.get(url).content.decode()
    assert first.count("data-vote-hour") == HOURS_PER_PAGE
    assert 'data-pager="hours"' in first
    second = client.get(url + "?hours=2").content.decode()
    assert second.count("data-vote-hour") == 30 - HOURS_PER_PAGE
    # 30 sources with 2 votes each in their hour: bursts on one page (50 per page).
    assert first.count("data-burst") == 30
    for bad in ("abc", "-1", "0", "99999999999999999999", "٣"):
        response = client.get(url + f"?hours={bad}&bursts={bad}&results={bad}")
        assert response.status_code == 200, bad
