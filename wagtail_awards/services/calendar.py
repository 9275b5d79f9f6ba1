"""The site's working days: the arithmetic of :mod:`wagtail_awards.rules.workdays` on the site's calendar — the
configured holidays with the working-day exceptions (工作日调整) entered in the admin.

:mod:`wagtail_awards.workdays` is the public face of this module. Each function reads the exceptions once (one
query); give ``exceptions=`` (``{date: is_working_day}``) to answer on those instead, e.g. for many dates at once.
"""

import datetime as dt
from collections.abc import Mapping

from ..models import CalendarException
from ..rules import workdays
from ..rules.workdays import Calendar, local_tz

__all__ = [
    "calendar_exceptions",
    "estimated_years",
    "is_estimated_year",
    "is_working_day",
    "local_tz",
    "nth_working_day",
    "period_end",
    "site_calendar",
    "working_days_between",
]

Exceptions = Mapping[dt.date, bool] | None


def site_calendar(*, exceptions: Exceptions = None) -> Calendar:
    """The site's calendar, with ``exceptions`` in place of the stored ones when given."""
    if exceptions is None:
        return CalendarException.objects.calendar()
    return Calendar(holidays=workdays.configured_holidays(), exceptions=exceptions)


def calendar_exceptions() -> dict[dt.date, bool]:
    """Every working-day exception as ``{date: is_working_day}``."""
    return dict(site_calendar().exceptions)


def is_working_day(day: dt.date, *, exceptions: Exceptions = None) -> bool:
    """Whether ``day`` is a working day."""
    return workdays.is_working_day(day, calendar=site_calendar(exceptions=exceptions))


def nth_working_day(start: dt.date, n: int, *, exceptions: Exceptions = None) -> dt.date:
    """The ``n``-th working day of a period starting on ``start`` (day 1 is ``start`` when it is a working day)."""
    return workdays.nth_working_day(start, n, calendar=site_calendar(exceptions=exceptions))


def working_days_between(first: dt.date, last: dt.date, *, exceptions: Exceptions = None) -> int:
    """Working days from ``first`` to ``last``, both included."""
    return workdays.working_days_between(first, last, calendar=site_calendar(exceptions=exceptions))


def period_end(start: dt.datetime, working_days: int, *, exceptions: Exceptions = None) -> dt.datetime:
    """The exclusive end instant of a period of ``working_days`` starting at ``start`` (local midnight)."""
    return workdays.period_end(start, working_days, tz=local_tz(), calendar=site_calendar(exceptions=exceptions))


def is_estimated_year(year: int, *, exceptions: Exceptions = None) -> bool:
    """Whether working days of ``year`` rest on the calendar's estimate: the ``holidays`` package lacks the year's
    official schedule and no working-day exception (工作日调整) has been entered for it."""
    return workdays.is_estimated_year(year, calendar=site_calendar(exceptions=exceptions))


def estimated_years(first: dt.date, last: dt.date, *, exceptions: Exceptions = None) -> list[int]:
    """The years from ``first`` to ``last`` whose working days are only estimated (see :func:`is_estimated_year`)."""
    return workdays.estimated_years(first, last, calendar=site_calendar(exceptions=exceptions))
