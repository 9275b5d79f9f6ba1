"""Working-day arithmetic (pure: no database).

A day is a working day when the ``holidays`` calendar of the configured country says so — it knows weekends,
statutory holidays and, for China, the weekend make-up working days (调休) — unless ``exceptions`` says
otherwise. ``exceptions`` maps a :class:`datetime.date` to ``True`` (a working day) or ``False`` (a day off).
"""

import datetime as dt
from collections.abc import Mapping
from functools import lru_cache
from zoneinfo import ZoneInfo

import holidays

#: The longest run of days off we search through before giving up; a real calendar never gets close.
MAX_SEARCH_DAYS = 366


@lru_cache(maxsize=8)
def holiday_calendar(country: str = "CN", subdivision: str | None = None):
    """The ``holidays`` calendar for a country; years are filled in lazily as they are asked for."""
    return holidays.country_holidays(country, subdiv=subdivision)


def is_estimated_year(year: int, *, calendar) -> bool:
    """Whether ``calendar`` only estimates ``year``: the official schedule of that year is not in it yet.

    Two signs, from what the ``holidays`` package knows: a holiday of the year carries the calendar's "estimated"
    label; or the calendar lists each year's substituted days (China's 调休, published every autumn for the next
    year) and has none for this year or any later one.
    """
    dt.date(year, 1, 1) in calendar  # noqa: B015 - asking fills the year in (the calendar expands lazily)
    marker = str(getattr(calendar, "estimated_label", "") or "").replace("%s", "").strip()
    if marker and any(marker in str(name) for day, name in calendar.items() if day.year == year):
        return True
    substituted_years = [
        known
        for known, days in (getattr(calendar, "special_public_holidays", None) or {}).items()
        if any(isinstance(entry, tuple) and len(entry) == 4 for entry in days)
    ]
    return bool(substituted_years) and year > max(substituted_years)


def is_working_day(day: dt.date, *, calendar, exceptions: Mapping[dt.date, bool] | None = None) -> bool:
    """Whether ``day`` is a working day in ``calendar``, with ``exceptions`` taking precedence."""
    if exceptions and day in exceptions:
        return bool(exceptions[day])
    return calendar.is_working_day(day)


def nth_working_day(start: dt.date, n: int, *, calendar, exceptions: Mapping[dt.date, bool] | None = None) -> dt.date:
    """The ``n``-th working day counting ``start`` as day 1 when it is a working day (else the next one).

    ``n`` must be at least 1. Raises ``ValueError`` when no working day is found within a year.
    """
    if n < 1:
        raise ValueError("n must be at least 1")
    day = start
    found = 0
    for _ in range(MAX_SEARCH_DAYS * n):
        if is_working_day(day, calendar=calendar, exceptions=exceptions):
            found += 1
            if found == n:
                return day
        day += dt.timedelta(days=1)
    raise ValueError("no working day found")


def working_days_between(
    first: dt.date, last: dt.date, *, calendar, exceptions: Mapping[dt.date, bool] | None = None
) -> int:
    """How many working days lie between ``first`` and ``last``, both included (0 when ``last < first``)."""
    count = 0
    day = first
    while day <= last:
        if is_working_day(day, calendar=calendar, exceptions=exceptions):
            count += 1
        day += dt.timedelta(days=1)
    return count


def period_end(
    start: dt.datetime,
    working_days: int,
    *,
    tz: ZoneInfo,
    calendar,
    exceptions: Mapping[dt.date, bool] | None = None,
) -> dt.datetime:
    """The instant a period of ``working_days`` starting at ``start`` ends: midnight after its last working day.

    The returned datetime is exclusive (the first instant after the period) and aware, in ``tz``.
    """
    local_start = start.astimezone(tz)
    last = nth_working_day(local_start.date(), working_days, calendar=calendar, exceptions=exceptions)
    return dt.datetime.combine(last + dt.timedelta(days=1), dt.time.min, tzinfo=tz)
