"""Working-day arithmetic (pure: no database).

A :class:`Calendar` is the ``holidays`` calendar of the configured country — it knows weekends, statutory holidays
and, for China, the weekend make-up working days (调休) — with ``exceptions``: dates that are (``True``) or are not
(``False``) working days whatever the library says. Every function here takes the calendar as a value; the site's
own, with the working-day exceptions (工作日调整) entered in the admin, is read by
``CalendarException.objects.calendar()``, and :mod:`wagtail_awards.workdays` answers on it.

Day 1 of a period is its start date when that is a working day, else the next working day; the period ends at the
end of its last working day, local time. Example: 5 working days from 2021-09-29 end with 2021-10-11.
"""

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass, field
from functools import lru_cache
from zoneinfo import ZoneInfo

import holidays

from ..conf import awards_settings

#: The longest run of days off we search through before giving up; a real calendar never gets close.
MAX_SEARCH_DAYS = 366


@lru_cache(maxsize=8)
def holiday_calendar(country: str = "CN", subdivision: str | None = None):
    """The ``holidays`` calendar for a country; years are filled in lazily as they are asked for."""
    return holidays.country_holidays(country, subdiv=subdivision)


def configured_holidays():
    """The ``holidays`` calendar of ``WAGTAIL_AWARDS_HOLIDAY_COUNTRY`` (and ``…_SUBDIVISION``)."""
    return holiday_calendar(awards_settings.HOLIDAY_COUNTRY, awards_settings.HOLIDAY_SUBDIVISION)


def local_tz() -> ZoneInfo:
    """The time zone deadlines and working days are reckoned in (``WAGTAIL_AWARDS_TIME_ZONE``)."""
    return ZoneInfo(awards_settings.TIME_ZONE)


@dataclass(frozen=True)
class Calendar:
    """Which days are working days: ``holidays`` (a ``holidays`` calendar) overridden by ``exceptions``."""

    holidays: object
    exceptions: Mapping[dt.date, bool] = field(default_factory=dict)

    def is_working_day(self, day: dt.date) -> bool:
        if day in self.exceptions:
            return bool(self.exceptions[day])
        return self.holidays.is_working_day(day)


def is_working_day(day: dt.date, *, calendar: Calendar) -> bool:
    """Whether ``day`` is a working day in ``calendar`` (its exceptions first)."""
    return calendar.is_working_day(day)


def nth_working_day(start: dt.date, n: int, *, calendar: Calendar) -> dt.date:
    """The ``n``-th working day counting ``start`` as day 1 when it is a working day (else the next one).

    ``n`` must be at least 1. Raises ``ValueError`` when no working day is found within a year.
    """
    if n < 1:
        raise ValueError("n must be at least 1")
    day = start
    found = 0
    for _ in range(MAX_SEARCH_DAYS * n):
        if calendar.is_working_day(day):
            found += 1
            if found == n:
                return day
        day += dt.timedelta(days=1)
    raise ValueError("no working day found")


def working_days_between(first: dt.date, last: dt.date, *, calendar: Calendar) -> int:
    """How many working days lie between ``first`` and ``last``, both included (0 when ``last < first``)."""
    count = 0
    day = first
    while day <= last:
        if calendar.is_working_day(day):
            count += 1
        day += dt.timedelta(days=1)
    return count


def period_end(start: dt.datetime, working_days: int, *, tz: ZoneInfo, calendar: Calendar) -> dt.datetime:
    """The instant a period of ``working_days`` starting at ``start`` ends: midnight after its last working day.

    The returned datetime is exclusive (the first instant after the period) and aware, in ``tz``.
    """
    local_start = start.astimezone(tz)
    last = nth_working_day(local_start.date(), working_days, calendar=calendar)
    return dt.datetime.combine(last + dt.timedelta(days=1), dt.time.min, tzinfo=tz)


def holidays_estimated(year: int, *, holidays) -> bool:
    """Whether the ``holidays`` calendar only estimates ``year``: the official schedule of that year is not in it.

    Two signs, from what the ``holidays`` package knows: a holiday of the year carries the calendar's "estimated"
    label; or the calendar lists each year's substituted days (China's 调休, published every autumn for the next
    year) and has none for this year or any later one.
    """
    dt.date(year, 1, 1) in holidays  # noqa: B015 - asking fills the year in (the calendar expands lazily)
    marker = str(getattr(holidays, "estimated_label", "") or "").replace("%s", "").strip()
    if marker and any(marker in str(name) for day, name in holidays.items() if day.year == year):
        return True
    substituted_years = [
        known
        for known, days in (getattr(holidays, "special_public_holidays", None) or {}).items()
        if any(isinstance(entry, tuple) and len(entry) == 4 for entry in days)
    ]
    return bool(substituted_years) and year > max(substituted_years)


def is_estimated_year(year: int, *, calendar: Calendar) -> bool:
    """Whether working days of ``year`` rest on an estimate: the holiday library lacks the year's official schedule
    (:func:`holidays_estimated`) and no exception of the calendar falls in that year."""
    if not holidays_estimated(year, holidays=calendar.holidays):
        return False
    return not any(day.year == year for day in calendar.exceptions)


def estimated_years(first: dt.date, last: dt.date, *, calendar: Calendar) -> list[int]:
    """The years from ``first`` to ``last`` whose working days are only estimated (see :func:`is_estimated_year`)."""
    return [year for year in range(first.year, last.year + 1) if is_estimated_year(year, calendar=calendar)]
