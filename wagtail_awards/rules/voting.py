"""The online vote's rules, pure: who is a candidate, when a vote is open, when tallies show, which candidates lead,
the day and hour a vote counts in, and why a vote is refused.

Casting, counting, the audit and the result as an award are :mod:`wagtail_awards.services.voting`.
"""

import datetime as dt
from dataclasses import dataclass

from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from ..enums import ApplicationStatus, DeadlineState
from .workdays import local_tz

#: Statuses of an application that make it a candidate in its call's vote.
CANDIDATE_STATUSES = (
    ApplicationStatus.RECOMMENDED,
    ApplicationStatus.SCORED,
    ApplicationStatus.PROPOSED,
    ApplicationStatus.AWARDED,
)


#: The scope of the vote's attempts and of every new captcha question in :mod:`wagtail_awards.throttle`.
VOTE_RATE = "vote-rate"

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
        "bad_code": _("This voting code cannot vote in this vote."),
        # What a visitor lacks to vote (``voters.Need``).
        "login": _("Please log in to vote."),
        "verify": _("Please verify your account's e-mail address to vote."),
        "roll": _("Your e-mail address is not on the list of voters of this vote."),
        "code": _("Please enter your voting code to vote."),
        "device": _("Please open the voting page again to vote."),
    }

    def __init__(self, code):
        self.code = code
        self.message = self.MESSAGES[code]
        super().__init__(code)


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
    return timezone.localtime(now, local_tz()).date()


#: At most this many of the candidates tied for the lead are named.
LEADERS = 20


def standing_of(tallies: dict[int, int], *, invalid: int) -> "Standing":
    """The :class:`Standing` of a vote whose valid votes per candidate are ``tallies``."""
    leaders = most_popular(tallies)
    top = tallies[leaders[0]] if leaders else 0
    return Standing(leaders=leaders[:LEADERS], top=top, total=sum(tallies.values()), invalid=invalid)


@dataclass(frozen=True)
class Standing:
    """The state of a vote from its counters: the leading candidates' ids (several on a tie, at most
    :data:`LEADERS`; none before the first vote), their votes, valid votes in all and invalidated votes in all."""

    leaders: list
    top: int
    total: int
    invalid: int


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
    #: The candidate a visitor has just voted for (shown with a thank-you), if any.
    voted: object = None


@dataclass(frozen=True)
class Ballot:
    """What casting a vote needs to know of a candidate: its ids and its call's voting window."""

    application_id: int
    call_id: int
    voting_opens: dt.datetime | None
    voting_closes: dt.datetime | None


#: How long after an hour ends its votes are rolled up.
ROLLUP_GRACE = dt.timedelta(minutes=10)


#: Votes are added to their candidates' tallies this long after they were cast (a vote's time is taken by its app
#: server just before its statement: the grace covers the statement and the app servers' clocks drifting apart).
TALLY_GRACE = dt.timedelta(minutes=1)


def tally_boundary(now: dt.datetime) -> dt.datetime:
    """Votes cast before this instant may be added to the tallies at ``now``."""
    return now - TALLY_GRACE


#: Hours of the audit's per-hour table on one page; bursts on one page.
HOURS_PER_PAGE = 24


BURSTS_PER_PAGE = 50


def hour_start(moment: dt.datetime) -> dt.datetime:
    """The start of the local hour (``WAGTAIL_AWARDS_TIME_ZONE``) that ``moment`` falls in."""
    local = timezone.localtime(moment, local_tz())
    return local.replace(minute=0, second=0, microsecond=0)


def rollup_boundary(now: dt.datetime) -> dt.datetime:
    """Votes before this instant may be rolled up at ``now``: the start of the hour ``ROLLUP_GRACE`` ago."""
    return hour_start(now - ROLLUP_GRACE)


@dataclass
class AuditHours:
    """One page of the audit's per-hour table: ``rows`` of ``(hour, total, [(application_id, votes), …])``."""

    rows: list
    page: int
    has_next: bool
    rolled_until: dt.datetime | None


@dataclass
class AuditBursts:
    """One page of bursts: dicts with ``kind``, ``value``, ``hour`` and ``votes``, largest first."""

    rows: list
    page: int
    has_next: bool


class MostPopularError(ValueError):
    """Why the vote's result cannot be recorded yet (a translated message)."""
