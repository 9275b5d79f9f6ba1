"""Publicity (公示), pure: the period of working days and its countdown, and what makes two objections the same.

Filing objections, cancelling awards and making the list final are :mod:`wagtail_awards.services.publicity`.
"""

import datetime as dt
import hashlib
import unicodedata
from dataclasses import dataclass
from zoneinfo import ZoneInfo

from django.utils import dateformat
from django.utils.formats import date_format
from django.utils.translation import gettext, ngettext, pgettext

from ..enums import AwardStatus, PublicityState
from . import workdays as _workdays
from .schedule import TimeLeft, time_left
from .workdays import Calendar, local_tz


@dataclass(frozen=True)
class Countdown:
    """Where a publicity period stands at one instant.

    ``ends`` is exclusive (the first instant after the period: midnight after ``last_day``, local time).
    ``working_days_left`` counts today when today is a working day inside the period.
    """

    state: PublicityState
    starts: dt.datetime
    ends: dt.datetime
    first_day: dt.date
    last_day: dt.date
    working_days: int
    working_days_left: int
    time_left: TimeLeft

    @property
    def before_start(self) -> bool:
        return self.state == PublicityState.NOT_STARTED

    @property
    def is_open(self) -> bool:
        return self.state == PublicityState.OPEN

    @property
    def has_ended(self) -> bool:
        return self.state == PublicityState.ENDED


def publicity_state(*, now: dt.datetime, starts: dt.datetime, ends: dt.datetime) -> PublicityState:
    """Not started before ``starts``, open until ``ends`` (exclusive), ended from then on."""
    if now < starts:
        return PublicityState.NOT_STARTED
    if now < ends:
        return PublicityState.OPEN
    return PublicityState.ENDED


def countdown(
    *,
    now: dt.datetime,
    starts: dt.datetime,
    working_days: int,
    tz: ZoneInfo,
    calendar: Calendar,
) -> Countdown:
    """The countdown of a period of ``working_days`` starting at ``starts``, seen at ``now``.

    Day 1 is the start date when it is a working day, else the next working day; the period ends at the end of
    its last working day (local time in ``tz``). Before the start every working day is still ahead; after the end
    none is.
    """
    first_day = _workdays.nth_working_day(starts.astimezone(tz).date(), 1, calendar=calendar)
    ends = _workdays.period_end(starts, working_days, tz=tz, calendar=calendar)
    last_day = ends.date() - dt.timedelta(days=1)
    state = publicity_state(now=now, starts=starts, ends=ends)
    if state == PublicityState.NOT_STARTED:
        days_left = working_days
    elif state == PublicityState.ENDED:
        days_left = 0
    else:
        today = now.astimezone(tz).date()
        days_left = _workdays.working_days_between(today, last_day, calendar=calendar)
    return Countdown(
        state=state,
        starts=starts,
        ends=ends,
        first_day=first_day,
        last_day=last_day,
        working_days=working_days,
        working_days_left=days_left,
        time_left=time_left(now=now, deadline=ends if state == PublicityState.OPEN else now),
    )


def period_label(period: Countdown) -> str:
    """E.g. "Publicity period: Sept. 29, 2021 to Oct. 11, 2021 (5 working days)", "公示期：2021年9月29日至10月11日
    （5个工作日）": both dates in the language's date format, the second without its year where the language's
    catalogue gives a shorter format for a date in the same year."""
    first = period.starts.astimezone(local_tz()).date()
    last = period.last_day
    ends = date_format(last, "DATE_FORMAT")
    if first.year == last.year:
        # Translated to a format without the year ("n月j日" in Chinese); untranslated, the language's DATE_FORMAT.
        same_year = pgettext("date format of a period's end in its start's year", "DATE_FORMAT")
        if same_year != "DATE_FORMAT":
            ends = dateformat.format(last, same_year)
    return ngettext(
        "Publicity period: %(starts)s to %(ends)s (%(days)s working day)",
        "Publicity period: %(starts)s to %(ends)s (%(days)s working days)",
        period.working_days,
    ) % {"starts": date_format(first, "DATE_FORMAT"), "ends": ends, "days": period.working_days}


def cancel_refusal(*, status: str, period: Countdown | None) -> str | None:
    """Why an award in ``status`` cannot be cancelled in the publicity ``period`` as it stands (a translated message),
    or ``None`` when it can: only a proposed award, and only until its period has ended (after the end the list waits
    for ``awards_finalise`` and no longer changes by hand)."""
    if status != AwardStatus.PROPOSED:
        return gettext("Only a proposed award can be cancelled.")
    if period is not None and period.has_ended:
        return gettext("The publicity period has ended: the award can no longer be cancelled.")
    return None


def hash_address(*, address: str, secret: str) -> str:
    """A keyed hash of a client address, so objections can be told apart without storing the address."""
    return hashlib.sha256(f"{secret}:{address}".encode()).hexdigest()


def normalise_objection(text: str) -> str:
    """An objection's text as compared for duplicates: NFKC, case-folded, without any whitespace.

    Full-width and half-width forms, letter case and spacing or line breaks do not make a different objection.
    """
    folded = unicodedata.normalize("NFKC", text or "").casefold()
    return "".join(folded.split())


def objection_fingerprint(*, text: str, file_digest: str = "") -> str:
    """What makes two objections against one project from one address the same: the normalised text and the
    evidence file's SHA-256 (an objection with other evidence is another objection)."""
    return hashlib.sha256(f"{normalise_objection(text)}\x00{file_digest}".encode()).hexdigest()
