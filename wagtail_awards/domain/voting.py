"""The online vote: who the candidates are, when and how often one may vote, counting, and invalidation.

Candidates of a call are its applications shortlisted by the review: status recommended, scored, proposed or
awarded. Cancelled, withdrawn, ineligible and not-recommended projects are not candidates; a cancelled project's
votes stay stored but it no longer appears in the vote or its results.

Limits are kept by the database, not by checks that race: one vote per voter, candidate and day is a unique
constraint on ``Vote``; the daily cap is one conditional upsert on the voter's ``VoterDay`` row in the same
transaction as the vote.
"""

import contextlib
import datetime as dt
import hashlib
import hmac
from dataclasses import dataclass

from django.conf import settings
from django.core.cache import cache
from django.db import IntegrityError, connection, transaction
from django.db.models import Count
from django.db.models.functions import TruncHour
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from ..enums import ApplicationStatus, DeadlineState

#: Statuses of an application that make it a candidate in its call's vote.
CANDIDATE_STATUSES = (
    ApplicationStatus.RECOMMENDED,
    ApplicationStatus.SCORED,
    ApplicationStatus.PROPOSED,
    ApplicationStatus.AWARDED,
)

TALLIES_DURING = "during"
TALLIES_AFTER = "after"


class VoteRefused(Exception):
    """A vote that was not counted; ``code`` says why and ``message`` says it to the voter."""

    MESSAGES = {
        "not_open": _("Voting has not opened yet."),
        "closed": _("Voting has closed."),
        "not_candidate": _("This project is not a candidate in this vote."),
        "already_voted": _("You have already voted for this project today. You may vote for it again tomorrow."),
        "daily_limit": _("You have used all your votes for today. You may vote again tomorrow."),
        "rate_limited": _("Too many votes from your network. Please wait a while and try again."),
        "captcha": _("The answer to the question was wrong or the question has expired. Please answer the new one."),
    }

    def __init__(self, code):
        self.code = code
        self.message = self.MESSAGES[code]
        super().__init__(code)


# Pure rules


def voting_state(*, now: dt.datetime, opens: dt.datetime | None, closes: dt.datetime | None) -> DeadlineState:
    """Not open before ``opens``, open from ``opens`` up to and including the instant ``closes``, closed after.

    A call without a voting window never opens.
    """
    if opens is None or closes is None or now < opens:
        return DeadlineState.NOT_OPEN
    if now <= closes:
        return DeadlineState.OPEN
    return DeadlineState.CLOSED


def tallies_visible(*, state: DeadlineState, when: str) -> bool:
    """Whether tallies are shown: during and after voting (``"during"``), or only once it has closed (``"after"``)."""
    if state == DeadlineState.CLOSED:
        return True
    return when == TALLIES_DURING and state == DeadlineState.OPEN


def most_popular(tallies: dict[int, int]) -> list[int]:
    """The candidates with the most valid votes: one id, several on a tie, none before the first vote."""
    top = max(tallies.values(), default=0)
    if top <= 0:
        return []
    return sorted(pk for pk, count in tallies.items() if count == top)


def voting_day(now: dt.datetime) -> dt.date:
    """The local day (``WAGTAIL_AWARDS_TIME_ZONE``) that daily limits count in."""
    from ..workdays import local_tz

    return timezone.localtime(now, local_tz()).date()


def rate_window(*, now: dt.datetime, seconds: int) -> int:
    """The number of the fixed window of ``seconds`` that ``now`` falls in."""
    return int(now.timestamp()) // max(1, seconds)


# Identity


def client_hash(value: str) -> str:
    """A keyed hash of an IP address or user agent: comparable between votes, not reversible to the value."""
    return hmac.new(settings.SECRET_KEY.encode(), (value or "").encode(), hashlib.sha256).hexdigest()


def voter_key_for_user(user) -> str:
    return f"u:{user.pk}"


def voter_key_for_device(device_id: str) -> str:
    return f"d:{device_id}"


# Queries


def candidates(*, call):
    """The call's candidates in a stable order (reference, then id), with their unit loaded."""
    from ..models import Application

    return (
        Application.objects.filter(call=call, status__in=CANDIDATE_STATUSES)
        .select_related("organization")
        .order_by("reference", "pk")
    )


def tallies(*, call) -> dict[int, int]:
    """Valid votes per candidate (only candidates with at least one vote appear), in one query."""
    from ..models import Vote

    rows = (
        Vote.objects.filter(call=call, valid=True, application__status__in=CANDIDATE_STATUSES)
        .values_list("application_id")
        .annotate(n=Count("pk"))
        .order_by()
    )
    return dict(rows)


@dataclass
class Board:
    """What a voting block shows: the candidates, the state of the vote and (when visible) the tallies."""

    call: object
    state: DeadlineState
    candidates: list
    tallies: dict
    show_tallies: bool
    winners: list
    total: int


def board(*, call, now: dt.datetime, when: str = TALLIES_AFTER) -> Board:
    """The voting board of ``call`` at ``now``; two queries whatever the number of candidates."""
    state = voting_state(now=now, opens=call.voting_opens, closes=call.voting_closes)
    show = tallies_visible(state=state, when=when)
    items = list(candidates(call=call))
    counts = tallies(call=call) if show else {}
    for item in items:
        item.vote_count = counts.get(item.pk, 0)
    total = sum(counts.values())
    for item in items:
        item.vote_share = round(100 * item.vote_count / total) if total else 0
    winners = most_popular(counts) if show and state == DeadlineState.CLOSED else []
    return Board(
        call=call, state=state, candidates=items, tallies=counts, show_tallies=show, winners=winners, total=total
    )


# Casting


@dataclass(frozen=True)
class Ballot:
    """What casting a vote needs to know of a candidate: its ids and its call's voting window."""

    application_id: int
    call_id: int
    voting_opens: dt.datetime | None
    voting_closes: dt.datetime | None


def find_ballot(*, call_id: int, application_id: int) -> Ballot | None:
    """The :class:`Ballot` of candidate ``application_id`` in call ``call_id``, or ``None`` if it is not a candidate.

    One narrow query (no page columns, no ordering): it runs on every vote.
    """
    from ..models import Application

    rows = list(
        Application.objects.filter(pk=application_id, call_id=call_id, status__in=CANDIDATE_STATUSES)
        .order_by()
        .values_list("call__voting_opens", "call__voting_closes")[:1]
    )
    if not rows:
        return None
    return Ballot(application_id=application_id, call_id=call_id, voting_opens=rows[0][0], voting_closes=rows[0][1])


def load_candidate(*, call_id: int, application_id: int):
    """The candidate ``application_id`` of call ``call_id`` with its call and unit; ``None`` if it is not one."""
    from ..models import Application

    return (
        Application.objects.select_related("call", "organization")
        .filter(pk=application_id, call_id=call_id, status__in=CANDIDATE_STATUSES)
        .first()
    )


CAP_CONSTRAINT = "awards_votes_within_cap"


def _count_vote_sql(table):
    # Creates the voter's row for the day or takes one more slot on it; past the cap the check constraint
    # (votes <= cap) fails the statement. The cap is written each time, so a changed setting applies at once.
    return (
        f"INSERT INTO {table} (call_id, voter_key, day, votes, cap) VALUES (%s, %s, %s, 1, %s) "
        f"ON CONFLICT (call_id, voter_key, day) DO UPDATE SET votes = {table}.votes + 1, cap = EXCLUDED.cap"
    )


def _single_statement_vote_sql(*, check_answer: bool):
    """The whole vote as one PostgreSQL statement (data-modifying CTEs), so it is one round trip and one commit.

    Each step runs only if the one before it produced a row: the candidate in its window, the captcha deleted,
    the voter's slot taken, the vote inserted. A failed constraint (daily cap, one vote per candidate and day)
    fails the statement, which undoes every step.
    """
    from captcha.models import CaptchaStore

    from ..models import Application, CallPage, Vote, VoterDay

    q = connection.ops.quote_name
    application, call = q(Application._meta.db_table), q(CallPage._meta.db_table)
    captcha, counter, vote = q(CaptchaStore._meta.db_table), q(VoterDay._meta.db_table), q(Vote._meta.db_table)
    answer = " AND response = %(answer)s" if check_answer else ""
    return f"""
        WITH candidate AS (
            SELECT a.id FROM {application} a JOIN {call} c ON c.page_ptr_id = a.call_id
            WHERE a.id = %(application)s AND a.call_id = %(call)s AND a.status = ANY(%(statuses)s)
              AND c.voting_opens <= %(now)s AND c.voting_closes >= %(now)s
        ), solved AS (
            DELETE FROM {captcha}
            WHERE %(has_captcha)s AND hashkey = %(key)s AND expiration > %(now)s{answer}
              AND EXISTS (SELECT 1 FROM candidate)
            RETURNING 1
        ), passed AS (
            SELECT 1 FROM candidate WHERE NOT %(has_captcha)s OR EXISTS (SELECT 1 FROM solved)
        ), slot AS (
            INSERT INTO {counter} (call_id, voter_key, day, votes, cap)
            SELECT %(call)s, %(voter_key)s, %(day)s, 1, %(cap)s WHERE EXISTS (SELECT 1 FROM passed)
            ON CONFLICT (call_id, voter_key, day) DO UPDATE SET votes = {counter}.votes + 1, cap = EXCLUDED.cap
            RETURNING votes
        ), inserted AS (
            INSERT INTO {vote}
                (call_id, application_id, voter_id, voter_key, day, ip_hash, user_agent_hash, created_at, valid,
                 invalid_reason)
            SELECT %(call)s, %(application)s, %(voter_id)s, %(voter_key)s, %(day)s, %(ip_hash)s, %(ua_hash)s,
                   %(now)s, TRUE, '' WHERE EXISTS (SELECT 1 FROM slot)
            RETURNING id
        )
        SELECT EXISTS (SELECT 1 FROM candidate), EXISTS (SELECT 1 FROM passed), (SELECT id FROM inserted)
    """


def _refusal_for(*, call_id, application_id, now) -> "VoteRefused":
    """Why a vote found no candidate in its window (the refusal path only)."""
    ballot = find_ballot(call_id=call_id, application_id=application_id)
    if ballot is None:
        return VoteRefused("not_candidate")
    state = voting_state(now=now, opens=ballot.voting_opens, closes=ballot.voting_closes)
    return VoteRefused("not_open" if state == DeadlineState.NOT_OPEN else "closed")


def cast_vote(
    *,
    call_id: int,
    application_id: int,
    voter_key: str,
    user=None,
    ip_hash: str = "",
    user_agent_hash: str = "",
    now: dt.datetime,
    per_day: int,
    captcha_key: str | None = None,
    captcha_answer: str = "",
) -> int:
    """Count one vote for candidate ``application_id`` of call ``call_id``; return the new vote's id.

    Raises :class:`VoteRefused` when the application is not a candidate of the call, outside the call's voting
    window, when the captcha (if ``captcha_key`` is given) is not solved, on a second vote for the same candidate on
    the same day, and past ``per_day`` votes in the call that day.

    Side effects, all or nothing: consumes the captcha, takes a slot on the voter's ``VoterDay`` row and inserts the
    ``Vote``. On PostgreSQL this is one statement (one round trip, one commit); elsewhere one transaction. The limits
    are the database's constraints, so concurrent requests cannot overshoot them. A refused vote's captcha is
    deleted all the same.
    """
    from ..captcha import TEST_MODE_ANSWER, burn_captcha, consume_captcha
    from ..models import Vote, VoterDay

    day = voting_day(now)
    voter_id = user.pk if user is not None and user.is_authenticated else None
    answer = (captcha_answer or "").strip().lower()
    try:
        if connection.vendor == "postgresql":
            from captcha.conf import settings as captcha_settings

            check_answer = not (captcha_settings.CAPTCHA_TEST_MODE and answer == TEST_MODE_ANSWER)
            params = {
                "application": application_id,
                "call": call_id,
                "statuses": [str(status) for status in CANDIDATE_STATUSES],
                "now": now,
                "has_captcha": captcha_key is not None,
                "key": captcha_key or "",
                "answer": answer,
                "voter_key": voter_key,
                "day": day,
                "cap": per_day,
                "voter_id": voter_id,
                "ip_hash": ip_hash,
                "ua_hash": user_agent_hash,
            }
            # In autocommit the statement is its own transaction; inside a caller's transaction, a savepoint keeps a
            # failed constraint from breaking it.
            scope = transaction.atomic() if connection.in_atomic_block else contextlib.nullcontext()
            with scope, connection.cursor() as cursor:
                cursor.execute(_single_statement_vote_sql(check_answer=check_answer), params)
                in_window, passed, vote_id = cursor.fetchone()
            if not in_window:
                raise _refusal_for(call_id=call_id, application_id=application_id, now=now)
            if not passed:
                raise VoteRefused("captcha")
            return vote_id

        ballot = find_ballot(call_id=call_id, application_id=application_id)
        if ballot is None:
            raise VoteRefused("not_candidate")
        if voting_state(now=now, opens=ballot.voting_opens, closes=ballot.voting_closes) != DeadlineState.OPEN:
            raise _refusal_for(call_id=call_id, application_id=application_id, now=now)
        with transaction.atomic():
            if captcha_key is not None and not consume_captcha(
                key=captcha_key, response=answer, now=now, burn_on_failure=False
            ):
                raise VoteRefused("captcha")
            with connection.cursor() as cursor:
                cursor.execute(
                    _count_vote_sql(connection.ops.quote_name(VoterDay._meta.db_table)),
                    [call_id, voter_key, day, per_day],
                )
            vote = Vote.objects.create(
                call_id=call_id,
                application_id=application_id,
                voter_id=voter_id,
                voter_key=voter_key,
                day=day,
                ip_hash=ip_hash,
                user_agent_hash=user_agent_hash,
            )
        return vote.pk
    except IntegrityError as exc:
        if captcha_key is not None:
            burn_captcha(key=captcha_key)
        # The check constraint on the voter's day (the cap) or the unique vote per candidate and day.
        raise VoteRefused("daily_limit" if CAP_CONSTRAINT in str(exc) else "already_voted") from None
    except VoteRefused:
        if captcha_key is not None:
            burn_captcha(key=captcha_key)
        raise


def within_rate_limit(*, key: str, now: dt.datetime, limit: int, window: int) -> bool:
    """Whether one more attempt from ``key`` (e.g. an IP hash) fits ``limit`` attempts per fixed ``window`` seconds.

    Side effects: counts the attempt in the default cache (shared by every app server in production), with
    ``add`` then ``incr`` so concurrent attempts on several servers are all counted. ``limit`` 0 never limits.
    """
    if limit <= 0:
        return True
    cache_key = f"wagtail_awards:vote-rate:{key}:{rate_window(now=now, seconds=window)}"
    cache.add(cache_key, 0, timeout=window + 60)
    try:
        count = cache.incr(cache_key)
    except ValueError:  # expired between add and incr
        cache.add(cache_key, 1, timeout=window + 60)
        count = 1
    return count <= limit


def rate_limit_reached(*, key: str, now: dt.datetime, limit: int, window: int) -> bool:
    """Whether ``key`` has used its ``limit`` attempts of the current window (counted by :func:`within_rate_limit`).

    Reads only: for limits that count an attempt after it succeeded (a solved captcha), not when it arrives.
    """
    if limit <= 0:
        return False
    return (cache.get(f"wagtail_awards:vote-rate:{key}:{rate_window(now=now, seconds=window)}") or 0) >= limit


# Audit


def votes_per_hour(*, call):
    """``(hour, application_id, valid votes)`` rows of the call, newest hour first."""
    from ..models import Vote

    return (
        Vote.objects.filter(call=call, valid=True)
        .annotate(hour=TruncHour("created_at"))
        .values_list("hour", "application_id")
        .annotate(n=Count("pk"))
        .order_by("-hour", "application_id")
    )


def bursts(*, call, threshold: int):
    """Groups of at least ``threshold`` valid votes from one IP hash or one voter in one hour.

    Returns dicts with ``kind`` (``"ip"`` or ``"voter"``), ``value``, ``hour`` and ``votes``, largest first.
    """
    from ..models import Vote

    found = []
    for kind, field in (("ip", "ip_hash"), ("voter", "voter_key")):
        rows = (
            Vote.objects.filter(call=call, valid=True)
            .exclude(**{field: ""})
            .annotate(hour=TruncHour("created_at"))
            .values(field, "hour")
            .annotate(votes=Count("pk"))
            .filter(votes__gte=threshold)
            .order_by()
        )
        found.extend({"kind": kind, "value": row[field], "hour": row["hour"], "votes": row["votes"]} for row in rows)
    found.sort(key=lambda row: (-row["votes"], row["hour"]))
    return found


def select_votes(*, call, ip_hash: str = "", voter_key: str = "", hour: dt.datetime | None = None):
    """The call's valid votes from one IP hash and/or one voter, optionally within one hour starting at ``hour``."""
    from ..models import Vote

    votes = Vote.objects.filter(call=call, valid=True)
    if not ip_hash and not voter_key:
        return votes.none()
    if ip_hash:
        votes = votes.filter(ip_hash=ip_hash)
    if voter_key:
        votes = votes.filter(voter_key=voter_key)
    if hour is not None:
        votes = votes.filter(created_at__gte=hour, created_at__lt=hour + dt.timedelta(hours=1))
    return votes


def invalidate_votes(*, call, votes, reason: str, user) -> int:
    """Mark ``votes`` (a queryset of the call's votes) invalid with ``reason``; returns how many changed.

    Side effects: updates the votes in one statement (tallies follow at once) and writes a
    ``wagtail_awards.invalidate_votes`` log entry on the call with the count, the reason and the selection (an
    ``AwardsLogEntry``, not the page's history: only province administrators see the vote's entries).
    """
    from ..models import AwardsLogEntry, Vote

    with transaction.atomic():
        ids = list(votes.filter(call=call, valid=True).values_list("pk", flat=True))
        changed = Vote.objects.filter(pk__in=ids, valid=True).update(valid=False, invalid_reason=reason[:200])
        if changed:
            AwardsLogEntry.objects.log_action(
                call,
                "wagtail_awards.invalidate_votes",
                user=user,
                data={"count": changed, "reason": reason, "votes": ids[:1000]},
            )
    return changed


def invalid_count(*, call) -> int:
    from ..models import Vote

    return Vote.objects.filter(call=call, valid=False).count()


# The result as an award


class MostPopularError(ValueError):
    """Why the vote's result cannot be recorded yet (a translated message)."""


def record_most_popular(*, call, user, now: dt.datetime):
    """Make the vote's result part of the call's awards and return the winning application.

    Only after voting has closed, and only when exactly one candidate leads: a tie is for the administrators to
    settle first (for example by invalidating irregular votes). Side effects: the winner's ``Award`` gets
    ``most_popular`` (created as proposed when it has no prize yet, or restored from a previous winner); every
    other award of the call loses the title; a scored winner moves to ``proposed``; one log entry
    ``wagtail_awards.most_popular`` on the winner. Recording again after a change of tallies moves the title.
    """
    from wagtail.log_actions import log

    from ..models import Application, Award
    from ..services.transitions import move

    if voting_state(now=now, opens=call.voting_opens, closes=call.voting_closes) != DeadlineState.CLOSED:
        raise MostPopularError(_("The vote's result can be recorded once voting has closed."))
    counts = tallies(call=call)
    leaders = most_popular({c.pk: counts.get(c.pk, 0) for c in candidates(call=call)})
    if not leaders:
        raise MostPopularError(_("No valid votes have been cast."))
    if len(leaders) > 1:
        raise MostPopularError(_("Several projects share the most votes: settle the tie first."))
    with transaction.atomic():
        winner = Application.objects.select_for_update().get(pk=leaders[0])
        Award.objects.filter(application__call=call, most_popular=True).exclude(application=winner).update(
            most_popular=False
        )
        award, _created = Award.objects.get_or_create(application=winner, defaults={"decided_by": user})
        award.most_popular, award.decided_by = True, user
        award.save()
        if winner.status == ApplicationStatus.SCORED:
            move(application=winner, target=ApplicationStatus.PROPOSED, user=user)
        log(winner, "wagtail_awards.most_popular", user=user, data={"votes": counts.get(winner.pk, 0)})
    return winner
