"""Public working-day functions on the configured holiday calendar with the site's ``CalendarException`` rows.

Day 1 of a period is its start date when that is a working day, else the next working day. Example: a publicity
period of 5 working days starting 2021-09-29 ends at the end of 2021-10-11 (National Day holiday and the 调休
make-up working day 2021-10-09 included).

Each call reads the ``CalendarException`` table once (it holds a handful of rows); pass ``exceptions=`` to skip that.
"""

import datetime as dt
from collections.abc import Mapping
from zoneinfo import ZoneInfo

from .conf import awards_settings
from .domain import workdays as _pure


def _calendar():
    return _pure.holiday_calendar(awards_settings.HOLIDAY_COUNTRY, awards_settings.HOLIDAY_SUBDIVISION)


#: The exceptions are kept in the shared cache (they change rarely and are read on every public page of a call).
EXCEPTIONS_CACHE_KEY = "wagtail_awards:calendar-exceptions"
EXCEPTIONS_CACHE_SECONDS = 300


def calendar_exceptions() -> dict[dt.date, bool]:
    """Every ``CalendarException`` as ``{date: is_working_day}`` (from the cache; saving or deleting one forgets it)."""
    from django.core.cache import cache

    from .models import CalendarException

    exceptions = cache.get(EXCEPTIONS_CACHE_KEY)
    if exceptions is None:
        exceptions = dict(CalendarException.objects.values_list("day", "is_working_day"))
        cache.set(EXCEPTIONS_CACHE_KEY, exceptions, EXCEPTIONS_CACHE_SECONDS)
    return exceptions


def forget_calendar_exceptions(**_signal_kwargs) -> None:
    """Drop the cached exceptions now and again once the change is committed (connected to saving and deleting a
    ``CalendarException``), so no request caches the rows of before the commit."""
    from django.core.cache import cache
    from django.db import transaction

    cache.delete(EXCEPTIONS_CACHE_KEY)
    transaction.on_commit(lambda: cache.delete(EXCEPTIONS_CACHE_KEY))


def local_tz() -> ZoneInfo:
    """The time zone deadlines and working days are reckoned in (``WAGTAIL_AWARDS_TIME_ZONE``)."""
    return ZoneInfo(awards_settings.TIME_ZONE)


def is_working_day(day: dt.date, *, exceptions: Mapping[dt.date, bool] | None = None) -> bool:
    """Whether ``day`` is a working day."""
    if exceptions is None:
        exceptions = calendar_exceptions()
    return _pure.is_working_day(day, calendar=_calendar(), exceptions=exceptions)


def nth_working_day(start: dt.date, n: int, *, exceptions: Mapping[dt.date, bool] | None = None) -> dt.date:
    """The ``n``-th working day of a period starting on ``start`` (see the module docstring)."""
    if exceptions is None:
        exceptions = calendar_exceptions()
    return _pure.nth_working_day(start, n, calendar=_calendar(), exceptions=exceptions)


def working_days_between(first: dt.date, last: dt.date, *, exceptions: Mapping[dt.date, bool] | None = None) -> int:
    """Working days from ``first`` to ``last``, both included."""
    if exceptions is None:
        exceptions = calendar_exceptions()
    return _pure.working_days_between(first, last, calendar=_calendar(), exceptions=exceptions)


def period_end(
    start: dt.datetime, working_days: int, *, exceptions: Mapping[dt.date, bool] | None = None
) -> dt.datetime:
    """The exclusive end instant of a period of ``working_days`` starting at ``start`` (local midnight)."""
    if exceptions is None:
        exceptions = calendar_exceptions()
    return _pure.period_end(start, working_days, tz=local_tz(), calendar=_calendar(), exceptions=exceptions)


def is_estimated_year(year: int, *, exceptions: Mapping[dt.date, bool] | None = None) -> bool:
    """Whether working days of ``year`` rest on the calendar's estimate: the ``holidays`` package lacks the year's
    official schedule and no working-day exception (工作日调整) has been entered for it."""
    if not _pure.is_estimated_year(year, calendar=_calendar()):
        return False
    if exceptions is None:
        exceptions = calendar_exceptions()
    return not any(day.year == year for day in exceptions)


def estimated_years(first: dt.date, last: dt.date, *, exceptions: Mapping[dt.date, bool] | None = None) -> list[int]:
    """The years from ``first`` to ``last`` whose working days are only estimated (see :func:`is_estimated_year`)."""
    if exceptions is None:
        exceptions = calendar_exceptions()
    return [year for year in range(first.year, last.year + 1) if is_estimated_year(year, exceptions=exceptions)]
