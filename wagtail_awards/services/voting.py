"""The online vote: casting and counting votes, the limits, the audit and invalidation, the result as an award
(the rules themselves are :mod:`wagtail_awards.rules.voting`).

Candidates of a call are its applications shortlisted by the review: status recommended, scored, proposed or
awarded. Cancelled, withdrawn, ineligible and not-recommended projects are not candidates; a cancelled project's
votes stay stored but it no longer appears in the vote or its results.

Limits are kept by the database, not by checks that race: one vote per voter, candidate and day is a unique
constraint on ``Vote``; the daily cap is one conditional upsert on the voter's ``VoterDay`` row in the same
transaction as the vote.

Tallies do not grow with the votes: each candidate's ``VoteTally`` row counts its votes up to a minute ago, rolled up
by :func:`roll_up_tallies` on a schedule (and kept by invalidation), and the votes since are counted live. The
audit's hourly and burst figures come from ``VoteHour`` and ``VoteBurst``, rolled up per whole hour by
:func:`roll_up_votes` (from cron through ``manage.py awards_rollup_votes``, and on opening the audit), plus
the few votes since the last roll-up, read through the ``(call, created_at)`` index.
"""

import datetime as dt
import functools
from collections import Counter

from captcha.conf import settings as captcha_settings
from captcha.models import CaptchaStore
from django.contrib.auth import get_user_model
from django.db import IntegrityError, connection, transaction
from django.db.models import Count, F, OuterRef, Q, Subquery, Sum, Value
from django.db.models.functions import Coalesce, TruncHour
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from wagtail.log_actions import log

from .. import prepared, throttle
from ..conf import awards_settings
from ..enums import ApplicationStatus, DeadlineState
from ..models import (
    Application,
    Award,
    AwardsLogEntry,
    CallPage,
    Vote,
    VoteBurst,
    VoteHour,
    VoterDay,
    VoteRollup,
    VoteTally,
    VotingCode,
)
from ..rules.voting import (
    BURSTS_PER_PAGE,
    CANDIDATE_STATUSES,
    HOURS_PER_PAGE,
    TALLIES_AFTER,
    VOTE_RATE,
    AuditBursts,
    AuditHours,
    Ballot,
    Board,
    MostPopularError,
    Standing,
    VoteRefused,
    hour_start,
    most_popular,
    rollup_boundary,
    standing_of,
    tallies_visible,
    tally_boundary,
    voting_day,
    voting_state,
)
from ..rules.workdays import local_tz
from .captcha import TEST_MODE_ANSWER, answer_cache_key, burn_captcha, consume_captcha
from .transitions import move


def candidates(*, call):
    """The call's candidates in a stable order (reference, then id), with their unit loaded."""
    return (
        Application.objects.filter(call=call, status__in=CANDIDATE_STATUSES)
        .select_related("organization")
        .order_by("reference", "pk")
    )


# Tallies: each candidate's VoteTally row counts its valid votes cast before the call's ``tallied_until``, added on
# a schedule by roll_up_tallies (cron, ``manage.py awards_rollup_votes``); the votes since are counted live through
# the ``(call, created_at)`` index. A vote therefore writes no shared counter row (no queue on a popular candidate),
# and every read of the tallies is one statement (one snapshot: a roll-up between two reads cannot count a vote
# twice or miss it), whose cost grows with the candidates and the votes of the last minutes, not with all votes.


def _far_past():
    return dt.datetime(1970, 1, 1, tzinfo=dt.UTC)


def _tallied_until(call_id):
    """The call's ``tallied_until`` as a subquery (the far past when nothing is tallied yet)."""
    return Coalesce(
        Subquery(VoteRollup.objects.filter(call_id=call_id).values("tallied_until")[:1]), Value(_far_past())
    )


def _live_votes(call_id):
    """The call's valid votes not in its tallies yet.

    The boundary is read in the same statement (the counters and the votes since it, from one snapshot), and also
    given as a value read just before: a lower bound that lets the planner see how few votes that is (a boundary
    moved on in between only narrows the range further).
    """
    votes = Vote.objects.filter(call_id=call_id, valid=True, created_at__gte=_tallied_until(call_id))
    read = VoteRollup.objects.filter(call_id=call_id).values_list("tallied_until", flat=True).first()
    return votes.filter(created_at__gte=read) if read is not None else votes


def tallies(*, call) -> dict[int, int]:
    """Valid votes per candidate (only candidates with at least one vote appear): the counters and the votes since
    they were rolled up, in one statement."""
    counted = VoteTally.objects.filter(call=call, votes__gt=0, application__status__in=CANDIDATE_STATUSES)
    live = (
        _live_votes(call.pk)
        .filter(application__status__in=CANDIDATE_STATUSES)
        .values("application_id")
        .annotate(n=Count("pk"))
        .values_list("application_id", "n")
        .order_by()
    )
    found = Counter()
    for application_id, n in counted.values_list("application_id", "votes").order_by().union(live, all=True):
        found[application_id] += n
    return {pk: n for pk, n in found.items() if n > 0}


def standing(*, call) -> Standing:
    """The call's :class:`Standing`: two queries whatever the number of candidates and votes."""
    return standing_of(tallies(call=call), invalid=invalid_count(call=call))


def ranked_candidates(*, call):
    """The call's candidates, most valid votes first (each with ``vote_count``), as a queryset to paginate."""
    live = (
        _live_votes(call.pk)
        .filter(application=OuterRef("pk"))
        .values("application")
        .annotate(n=Count("pk"))
        .values("n")
        .order_by()
    )
    return (
        candidates(call=call)
        .annotate(vote_count=Coalesce("vote_tally__votes", 0) + Coalesce(Subquery(live[:1]), 0))
        .order_by("-vote_count", "reference", "pk")
    )


def recount_tallies(*, call, now: dt.datetime | None = None) -> None:
    """Rebuild the call's ``VoteTally`` rows from its votes (after votes were written other than by casting): valid
    votes cast before :func:`~wagtail_awards.rules.voting.tally_boundary` and every invalidated vote.

    Reads every vote of the call once; for repairs, imports and demo data, never on a request.
    """
    until = tally_boundary(now or timezone.now())
    valid = Q(valid=True, created_at__lt=until)
    rows = (
        Vote.objects.filter(call=call)
        .values("application_id")
        .annotate(n_valid=Count("pk", filter=valid), n_invalid=Count("pk", filter=Q(valid=False)))
        .order_by()
    )
    with transaction.atomic():
        state = _locked_rollup(call.pk)
        VoteTally.objects.filter(call=call).delete()
        VoteTally.objects.bulk_create(
            [
                VoteTally(
                    call=call, application_id=row["application_id"], votes=row["n_valid"], invalid=row["n_invalid"]
                )
                for row in rows
            ],
            batch_size=1000,
        )
        state.tallied_until = until
        state.save(update_fields=["tallied_until"])


def _locked_rollup(call_id):
    """The call's ``VoteRollup`` row, created if needed, locked until the end of the transaction."""
    VoteRollup.objects.get_or_create(
        call_id=call_id, defaults={"rolled_until": None, "burst_threshold": awards_settings.VOTE_BURST}
    )
    return VoteRollup.objects.select_for_update().get(call_id=call_id)


def roll_up_tallies(*, call_id: int, now: dt.datetime) -> dt.datetime:
    """Add the call's valid votes cast since its tallies were last rolled up (up to
    :func:`~wagtail_awards.rules.voting.tally_boundary`) to its ``VoteTally`` rows; returns the new boundary.

    Reads only those votes (the ``(call, created_at)`` index). Concurrent calls wait for each other (the roll-up row
    is locked), so a vote is never added twice. Side effects: ``VoteTally`` and ``VoteRollup.tallied_until``.
    """
    until = tally_boundary(now)
    with transaction.atomic():
        state = _locked_rollup(call_id)
        since = state.tallied_until
        if since is not None and since >= until:
            return since
        votes = Vote.objects.filter(call_id=call_id, valid=True, created_at__lt=until)
        if since is not None:
            votes = votes.filter(created_at__gte=since)
        added = dict(
            votes.values("application_id").annotate(n=Count("pk")).values_list("application_id", "n").order_by()
        )
        existing = set(VoteTally.objects.filter(application_id__in=added).values_list("application_id", flat=True))
        for application_id, n in added.items():
            if application_id in existing:
                VoteTally.objects.filter(application_id=application_id).update(votes=F("votes") + n)
        VoteTally.objects.bulk_create(
            [
                VoteTally(call_id=call_id, application_id=application_id, votes=n, invalid=0)
                for application_id, n in added.items()
                if application_id not in existing
            ]
        )
        state.tallied_until = until
        state.save(update_fields=["tallied_until"])
    return until


def board(*, call, now: dt.datetime, when: str = TALLIES_AFTER) -> Board:
    """The voting board of ``call`` at ``now``; two queries (the candidates, their tallies) whatever the numbers."""
    state = voting_state(now=now, opens=call.voting_opens, closes=call.voting_closes)
    show = tallies_visible(state=state, when=when)
    items = list(candidates(call=call))
    counts = tallies(call=call) if show else {}
    for item in items:
        item.vote_count = counts.get(item.pk, 0)
    counts = {item.pk: item.vote_count for item in items if item.vote_count}
    total = sum(counts.values())
    for item in items:
        item.vote_share = round(100 * item.vote_count / total) if total else 0
    winners = most_popular(counts) if show and state == DeadlineState.CLOSED else []
    return Board(
        call=call, state=state, candidates=items, tallies=counts, show_tallies=show, winners=winners, total=total
    )


def block_board(*, call, now: dt.datetime, when: str = TALLIES_AFTER, voted: str = "") -> Board:
    """The board a voting block shows: :func:`board`, the result in order of votes once voting has closed (ties keep
    the order of their reference numbers), and the candidate ``voted`` (a pk from the query string) just voted for."""
    shown = board(call=call, now=now, when=when)
    if shown.state == DeadlineState.CLOSED and shown.show_tallies:
        shown.candidates = sorted(shown.candidates, key=lambda candidate: -candidate.vote_count)
    shown.voted = next((candidate for candidate in shown.candidates if str(candidate.pk) == voted), None)
    return shown


def find_ballot(*, call_id: int, application_id: int) -> Ballot | None:
    """The :class:`Ballot` of candidate ``application_id`` in call ``call_id``, or ``None`` if it is not a candidate.

    One narrow query (no page columns, no ordering): it runs on every vote.
    """
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


def _is_active_field(User):
    """The user model's ``is_active`` field, which Django's ``ModelBackend`` checks, or ``None`` if it has none."""
    return next((field for field in User._meta.concrete_fields if field.name == "is_active"), None)


def _active_account_sql(q) -> str:
    """The condition that the account ``%(voter_id)s`` exists and may log in (:func:`_is_active_field`)."""
    User = get_user_model()
    field = _is_active_field(User)
    active = f" AND {q(field.column)}" if field is not None else ""
    return f"EXISTS (SELECT 1 FROM {q(User._meta.db_table)} WHERE {q(User._meta.pk.column)} = %(voter_id)s{active})"


@functools.cache
def _single_statement_vote_sql(
    *, check_answer: bool, with_captcha: bool = True, with_code: bool = True, check_active: bool = False
):
    """The whole vote as one PostgreSQL statement (data-modifying CTEs), so it is one round trip and one commit.

    Each step runs only if the one before it produced a row: the candidate in its window, the voting code (if
    any) live and of the call, the captcha deleted, the voter's slot taken, the vote inserted (the tallies count it
    from there: no counter row is written). A failed constraint (daily cap, one vote per candidate and day) fails
        the statement, which undoes every step. Without ``with_captcha`` (the question was taken from the shared cache
    already) or ``with_code``
    (no voting code votes) the statement does not name their tables at all: a database connection opens only the
    tables a vote touches. With ``check_active`` (an account voter identified from its kept check) the voter's account
    must be active too.
    """
    q = connection.ops.quote_name
    application, call = q(Application._meta.db_table), q(CallPage._meta.db_table)
    captcha, counter, vote = q(CaptchaStore._meta.db_table), q(VoterDay._meta.db_table), q(Vote._meta.db_table)
    code = q(VotingCode._meta.db_table)
    answer = " AND response = %(answer)s" if check_answer else ""
    entitled = "SELECT 1 WHERE TRUE"
    if with_code:
        entitled += f"""
              AND (%(code)s::bigint IS NULL OR EXISTS (
                SELECT 1 FROM {code} WHERE id = %(code)s AND call_id = %(call)s AND NOT revoked
              ))"""
    if check_active:
        entitled += f" AND {_active_account_sql(q)}"
    solved = (
        f"""), solved AS (
            DELETE FROM {captcha}
            WHERE hashkey = %(key)s AND expiration > %(now)s{answer}
              AND EXISTS (SELECT 1 FROM candidate) AND EXISTS (SELECT 1 FROM entitled)
            RETURNING 1"""
        if with_captcha
        else ""
    )
    passed = " AND EXISTS (SELECT 1 FROM solved)" if with_captcha else ""
    return f"""
        WITH candidate AS (
            SELECT a.id FROM {application} a JOIN {call} c ON c.page_ptr_id = a.call_id
            WHERE a.id = %(application)s AND a.call_id = %(call)s AND a.status = ANY(%(statuses)s)
              AND c.voting_opens <= %(now)s AND c.voting_closes >= %(now)s
        ), entitled AS (
            {entitled}
        {solved}), passed AS (
            SELECT 1 FROM candidate WHERE EXISTS (SELECT 1 FROM entitled){passed}
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
        SELECT EXISTS (SELECT 1 FROM candidate), EXISTS (SELECT 1 FROM entitled), EXISTS (SELECT 1 FROM passed),
               (SELECT id FROM inserted)
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
    code_id: int | None = None,
    voter_id: int | None = None,
    check_active: bool = False,
) -> int:
    """Count one vote for candidate ``application_id`` of call ``call_id``; return the new vote's id.

    Raises :class:`VoteRefused` when the application is not a candidate of the call, outside the call's voting
    window, when the voter is a voting code (``code_id``) that is revoked or of another call, when the captcha (if
    ``captcha_key`` is given) is not solved, on a second vote for the same candidate on
    the same day, and past ``per_day`` votes in the call that day.

    Side effects, all or nothing: consumes the captcha, takes a slot on the voter's ``VoterDay`` row, inserts the
    ``Vote`` (counted in the tallies from there). On PostgreSQL this is one statement (one round trip,
    one commit); elsewhere one transaction. The limits are the database's constraints, so concurrent requests cannot
    overshoot them. A refused vote's captcha is deleted all the same.
    """
    day = voting_day(now)
    if voter_id is None and user is not None and user.is_authenticated:
        voter_id = user.pk
    check_active = check_active and voter_id is not None
    answer = (captcha_answer or "").strip().lower()
    try:
        if connection.vendor == "postgresql":
            check_answer = not (captcha_settings.CAPTCHA_TEST_MODE and answer == TEST_MODE_ANSWER)
            params = {
                "application": application_id,
                "call": call_id,
                "statuses": [str(status) for status in CANDIDATE_STATUSES],
                "now": now,
                "key": captcha_key or "",
                "answer": answer,
                "voter_key": voter_key,
                "day": day,
                "cap": per_day,
                "voter_id": voter_id,
                "ip_hash": ip_hash,
                "ua_hash": user_agent_hash,
                "code": code_id,
            }
            # In autocommit the statement is its own transaction (inside a caller's, a savepoint); sent prepared, it
            # is planned once per database connection.
            sql = _single_statement_vote_sql(
                check_answer=check_answer,
                with_captcha=captcha_key is not None,
                with_code=code_id is not None,
                check_active=check_active,
            )
            in_window, entitled, passed, vote_id = prepared.fetch_one(sql, params)
            if not in_window:
                raise _refusal_for(call_id=call_id, application_id=application_id, now=now)
            if not entitled:
                raise VoteRefused("bad_code" if code_id is not None else "login")
            if not passed:
                raise VoteRefused("captcha")
            return vote_id

        ballot = find_ballot(call_id=call_id, application_id=application_id)
        if ballot is None:
            raise VoteRefused("not_candidate")
        if voting_state(now=now, opens=ballot.voting_opens, closes=ballot.voting_closes) != DeadlineState.OPEN:
            raise _refusal_for(call_id=call_id, application_id=application_id, now=now)
        if code_id is not None and not VotingCode.objects.filter(pk=code_id, call_id=call_id, revoked=False).exists():
            raise VoteRefused("bad_code")
        if check_active and not _account_is_active(voter_id):
            raise VoteRefused("login")
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
                created_at=now,
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


def _account_is_active(voter_id) -> bool:
    """:func:`_active_account_sql` elsewhere than on PostgreSQL."""
    User = get_user_model()
    users = User._default_manager.filter(pk=voter_id)
    return (users.filter(is_active=True) if _is_active_field(User) is not None else users).exists()


def count_attempt(
    *,
    key: str,
    now: dt.datetime,
    limit: int,
    window: int,
    session=None,
    captcha_key: str | None = None,
    read: str | None = None,
) -> tuple[bool, object, object]:
    """:func:`within_rate_limit`, and with ``captcha_key`` (only where :func:`answers_in_shared_cache`) the vote
    question's answer taken from the shared cache in the same round trip, and with ``read`` (likewise) that entry of
    the shared cache read: ``(within, answer, entry)``, the answer ``None`` when the question is not live or was taken
    already (by this or a concurrent request, on any server)."""
    take = answer_cache_key(captcha_key) if captcha_key is not None else None
    if captcha_key is not None and take is None:  # not a key the app makes: nothing to take
        captcha_key = None
    if captcha_key is None and read is None:
        return within_rate_limit(key=key, now=now, limit=limit, window=window, session=session), None, None
    return throttle.allow_and_take(
        VOTE_RATE, key, limit=limit, window=window, now=now.timestamp(), session=session, take=take, read=read
    )


def within_rate_limit(*, key: str, now: dt.datetime, limit: int, window: int, session=None) -> bool:
    """Whether one more attempt from ``key`` (e.g. an IP hash) fits ``limit`` attempts per fixed ``window`` seconds;
    counts it in the shared cache (:func:`wagtail_awards.throttle.allow`; a ``session`` not loaded yet is read in
    the same round trip where it can be). ``limit`` 0 never limits."""
    return throttle.allow(VOTE_RATE, key, limit=limit, window=window, now=now.timestamp(), session=session)


def give_back_attempt(*, key: str, now: dt.datetime, limit: int, window: int) -> None:
    """Uncount an attempt counted by :func:`within_rate_limit` that turned out not to count (a wrong answer, a vote
    outside its window…): for limits that count an attempt up front and keep it only when the captcha was solved."""
    throttle.give_back(VOTE_RATE, key, limit=limit, window=window, now=now.timestamp())


# Audit
#
# Hourly figures are rolled up per whole local hour into VoteHour (valid votes per candidate) and VoteBurst (sources
# with at least the burst threshold of valid votes). Hours end ROLLUP_GRACE before they are rolled up, so a vote is
# committed before its hour is read: its time is taken by the app server just before its one-statement transaction.
# Votes since the last rolled-up hour are read live through the (call, created_at) index.

SOURCES = (("ip", "ip_hash"), ("voter", "voter_key"))


def _hourly(votes):
    return votes.annotate(hour=TruncHour("created_at", tzinfo=local_tz()))


def _hour_rows(votes):
    """``(hour, application_id, valid votes)`` of ``votes`` (a queryset of one call's votes)."""
    return _hourly(votes.filter(valid=True)).values_list("hour", "application_id").annotate(n=Count("pk")).order_by()


def _burst_rows(votes, *, threshold: int):
    """``(kind, value, hour, valid votes)`` of the sources of ``votes`` with at least ``threshold`` in an hour."""
    found = []
    for kind, field in SOURCES:
        rows = (
            _hourly(votes.filter(valid=True).exclude(**{field: ""}))
            .values_list(field, "hour")
            .annotate(n=Count("pk"))
            .filter(n__gte=threshold)
            .order_by()
        )
        found.extend((kind, value, hour, n) for value, hour, n in rows)
    return found


def _store_rollup(*, call_id, votes, threshold):
    VoteHour.objects.bulk_create(
        [VoteHour(call_id=call_id, hour=h, application_id=a, votes=n) for h, a, n in _hour_rows(votes)],
        batch_size=2000,
    )
    VoteBurst.objects.bulk_create(
        [
            VoteBurst(call_id=call_id, kind=kind, value=value, hour=hour, votes=n)
            for kind, value, hour, n in _burst_rows(votes, threshold=threshold)
        ],
        batch_size=2000,
    )


def roll_up_votes(*, call_id: int, now: dt.datetime, threshold: int) -> dt.datetime | None:
    """Roll up the call's votes of the whole hours not rolled up yet; returns the instant rolled up until.

    Reads only the votes since the last roll-up (through the ``(call, created_at)`` index), once; the first call or a
    changed burst ``threshold`` rebuilds the call's roll-up from all its votes. Concurrent calls wait for each
    other (the roll-up row is locked), so an hour is never counted twice. Side effects: ``VoteHour``,
    ``VoteBurst`` and ``VoteRollup`` rows.
    """
    until = rollup_boundary(now)
    VoteRollup.objects.get_or_create(call_id=call_id, defaults={"rolled_until": None, "burst_threshold": threshold})
    with transaction.atomic():
        state = VoteRollup.objects.select_for_update().get(call_id=call_id)
        votes = Vote.objects.filter(call_id=call_id, created_at__lt=until)
        if state.rolled_until is None or state.burst_threshold != threshold:
            VoteHour.objects.filter(call_id=call_id).delete()
            VoteBurst.objects.filter(call_id=call_id).delete()
        elif state.rolled_until >= until:
            return state.rolled_until
        else:
            votes = votes.filter(created_at__gte=state.rolled_until)
        _store_rollup(call_id=call_id, votes=votes, threshold=threshold)
        state.rolled_until, state.burst_threshold = until, threshold
        state.save(update_fields=["rolled_until", "burst_threshold"])
    return until


def _reroll_hours(*, call_id: int, hours, threshold: int) -> None:
    """Roll the given (already rolled-up) hours up again after their votes changed (invalidation)."""
    hours = sorted(set(hours))
    if not hours:
        return
    VoteHour.objects.filter(call_id=call_id, hour__in=hours).delete()
    VoteBurst.objects.filter(call_id=call_id, hour__in=hours).delete()
    within = Q()
    for hour in hours:
        within |= Q(created_at__gte=hour, created_at__lt=hour + dt.timedelta(hours=1))
    _store_rollup(call_id=call_id, votes=Vote.objects.filter(within, call_id=call_id), threshold=threshold)


def _rolled_until(call_id):
    return VoteRollup.objects.filter(call_id=call_id).values_list("rolled_until", flat=True).first()


def audit_hours(*, call, page: int = 1) -> AuditHours:
    """Valid votes per hour and candidate, newest hour first, :data:`HOURS_PER_PAGE` hours per page.

    A fixed number of queries, each bounded by the page's hours or by the votes since the last roll-up (call
    :func:`roll_up_votes` first; without any roll-up every vote is read live).
    """
    rolled_until = _rolled_until(call.pk)
    live_votes = Vote.objects.filter(call=call)
    if rolled_until is not None:
        live_votes = live_votes.filter(created_at__gte=rolled_until)
    by_hour = {}
    for hour, application_id, n in _hour_rows(live_votes):
        by_hour.setdefault(hour, []).append((application_id, n))
    live_hours = sorted(by_hour, reverse=True)
    page = max(1, page)
    first = (page - 1) * HOURS_PER_PAGE
    shown_live = live_hours[first : first + HOURS_PER_PAGE]
    rolled_first = max(0, first - len(live_hours))
    room = HOURS_PER_PAGE - len(shown_live)
    rolled_hours = list(
        VoteHour.objects.filter(call=call)
        .order_by("-hour")
        .values_list("hour", flat=True)
        .distinct()[rolled_first : rolled_first + room + 1]
    )
    has_next = len(live_hours) > first + HOURS_PER_PAGE or len(rolled_hours) > room
    rolled_hours = rolled_hours[:room]
    if rolled_hours:
        for hour, application_id, n in VoteHour.objects.filter(call=call, hour__in=rolled_hours).values_list(
            "hour", "application_id", "votes"
        ):
            by_hour.setdefault(hour, []).append((application_id, n))
    rows = []
    for hour in [*shown_live, *rolled_hours]:
        items = sorted(by_hour[hour], key=lambda item: (-item[1], item[0]))
        rows.append((hour, sum(n for _pk, n in items), items))
    return AuditHours(rows=rows, page=page, has_next=has_next, rolled_until=rolled_until)


def audit_bursts(*, call, threshold: int, page: int = 1) -> AuditBursts:
    """Groups of at least ``threshold`` valid votes from one IP hash or one voter in one hour, largest first.

    Rolled-up hours come from ``VoteBurst`` (indexed on the call and the votes), the hours since from the live
    votes; :data:`BURSTS_PER_PAGE` per page, a fixed number of queries.
    """
    rolled_until = _rolled_until(call.pk)
    live_votes = Vote.objects.filter(call=call)
    if rolled_until is not None:
        live_votes = live_votes.filter(created_at__gte=rolled_until)
    live = _burst_rows(live_votes, threshold=threshold)
    page = max(1, page)
    end = page * BURSTS_PER_PAGE
    rolled = (
        VoteBurst.objects.filter(call=call, votes__gte=threshold)
        .order_by("-votes", "hour", "kind", "value")
        .values_list("kind", "value", "hour", "votes")[: end + 1]
    )
    merged = sorted([*live, *rolled], key=lambda row: (-row[3], row[2], row[0], row[1]))
    rows = [
        {"kind": kind, "value": value, "hour": hour, "votes": n}
        for kind, value, hour, n in merged[end - BURSTS_PER_PAGE : end]
    ]
    return AuditBursts(rows=rows, page=page, has_next=len(merged) > end)


def select_votes(*, call, ip_hash: str = "", voter_key: str = "", hour: dt.datetime | None = None):
    """The call's valid votes from one IP hash and/or one voter, optionally within one hour starting at ``hour``."""
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

    Side effects, in one transaction: updates the votes, counts them as invalidated on their candidates' ``VoteTally``
    and takes the ones already rolled up into it off its valid votes (tallies follow at once), rolls their hours up
        again when they were rolled up already, and writes a ``wagtail_awards.invalidate_votes`` log entry on the call
    with the count, the reason and the selection (an
    ``AwardsLogEntry``, not the page's history: only province administrators see the vote's entries).
    """
    with transaction.atomic():
        rollup = _locked_rollup(call.pk)
        chosen = list(
            votes.filter(call=call, valid=True).select_for_update().values_list("pk", "application_id", "created_at")
        )
        ids = [pk for pk, _application, _time in chosen]
        changed = Vote.objects.filter(pk__in=ids, valid=True).update(valid=False, invalid_reason=reason[:200])
        tallied_until = rollup.tallied_until
        for application_id, times in _by_application(chosen).items():
            tallied = sum(1 for time in times if tallied_until is not None and time < tallied_until)
            VoteTally.objects.get_or_create(application_id=application_id, defaults={"call": call})
            VoteTally.objects.filter(application_id=application_id).update(
                votes=F("votes") - tallied, invalid=F("invalid") + len(times)
            )
        if rollup.rolled_until is not None:
            _reroll_hours(
                call_id=call.pk,
                hours=[hour_start(time) for _pk, _application, time in chosen if time < rollup.rolled_until],
                threshold=rollup.burst_threshold,
            )
        if changed:
            AwardsLogEntry.objects.log_action(
                call,
                "wagtail_awards.invalidate_votes",
                user=user,
                data={"count": changed, "reason": reason, "votes": ids[:1000]},
            )
    return changed


def _by_application(chosen):
    """``{application_id: [created_at, …]}`` of ``(pk, application_id, created_at)`` rows."""
    found = {}
    for _pk, application_id, time in chosen:
        found.setdefault(application_id, []).append(time)
    return found


def invalid_count(*, call) -> int:
    """Invalidated votes of the call, from the counters."""
    return VoteTally.objects.filter(call=call).aggregate(n=Sum("invalid"))["n"] or 0


def record_most_popular(*, call, user, now: dt.datetime):
    """Make the vote's result part of the call's awards and return the winning application.

    Only after voting has closed, and only when exactly one candidate leads: a tie is for the administrators to
    settle first (for example by invalidating irregular votes). Side effects: the winner's ``Award`` gets
    ``most_popular`` (created as proposed when it has no prize yet, or restored from a previous winner); every
    other award of the call loses the title; a scored winner moves to ``proposed``; one log entry
    ``wagtail_awards.most_popular`` on the winner. Recording again after a change of tallies moves the title.
    """
    if voting_state(now=now, opens=call.voting_opens, closes=call.voting_closes) != DeadlineState.CLOSED:
        raise MostPopularError(_("The vote's result can be recorded once voting has closed."))
    leaders = standing(call=call)
    if not leaders.leaders:
        raise MostPopularError(_("No valid votes have been cast."))
    if len(leaders.leaders) > 1:
        raise MostPopularError(_("Several projects share the most votes: settle the tie first."))
    with transaction.atomic():
        winner = Application.objects.select_for_update().get(pk=leaders.leaders[0])
        Award.objects.filter(application__call=call, most_popular=True).exclude(application=winner).update(
            most_popular=False
        )
        award, _created = Award.objects.get_or_create(application=winner, defaults={"decided_by": user})
        award.most_popular, award.decided_by = True, user
        award.save()
        if winner.status == ApplicationStatus.SCORED:
            move(application=winner, target=ApplicationStatus.PROPOSED, user=user)
        log(winner, "wagtail_awards.most_popular", user=user, data={"votes": leaders.top})
    return winner
