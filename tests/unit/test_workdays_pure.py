"""Working-day rules on the China calendar, without the database."""

import datetime as dt
from zoneinfo import ZoneInfo

import pytest

from wagtail_awards.rules import workdays

CN = workdays.Calendar(holidays=workdays.holiday_calendar("CN"))
D = dt.date


@pytest.mark.parametrize(
    ("day", "expected"),
    [
        (D(2021, 9, 29), True),  # Wednesday
        (D(2021, 10, 1), False),  # National Day
        (D(2021, 10, 6), False),  # day off moved from 2021-09-26
        (D(2021, 10, 9), True),  # Saturday make-up working day (调休)
        (D(2021, 9, 26), True),  # Sunday make-up working day
        (D(2021, 10, 10), False),  # ordinary Sunday
    ],
)
def test_is_working_day_knows_holidays_and_make_up_days(day, expected):
    assert workdays.is_working_day(day, calendar=CN) is expected


def test_national_day_2021_example_of_the_design():
    # 9-29, 9-30, then the holiday 10-1..10-7, then 10-8 (Fri), 10-9 (make-up Sat), 10-11 (Mon).
    assert workdays.nth_working_day(D(2021, 9, 29), 5, calendar=CN) == D(2021, 10, 11)
    assert workdays.working_days_between(D(2021, 9, 29), D(2021, 10, 11), calendar=CN) == 5


def test_start_on_a_day_off_counts_from_the_next_working_day():
    assert workdays.nth_working_day(D(2021, 10, 1), 1, calendar=CN) == D(2021, 10, 8)
    assert workdays.nth_working_day(D(2021, 10, 2), 2, calendar=CN) == D(2021, 10, 9)


def test_exceptions_override_the_library():
    off = workdays.Calendar(holidays=CN.holidays, exceptions={D(2021, 10, 8): False})
    assert workdays.is_working_day(D(2021, 10, 8), calendar=off) is False
    assert workdays.nth_working_day(D(2021, 9, 29), 5, calendar=off) == D(2021, 10, 12)
    extra = workdays.Calendar(holidays=CN.holidays, exceptions={D(2021, 10, 3): True})
    assert workdays.nth_working_day(D(2021, 9, 29), 5, calendar=extra) == D(2021, 10, 9)


def test_working_days_between_is_inclusive_and_empty_when_reversed():
    assert workdays.working_days_between(D(2021, 9, 29), D(2021, 9, 29), calendar=CN) == 1
    assert workdays.working_days_between(D(2021, 10, 1), D(2021, 10, 7), calendar=CN) == 0
    assert workdays.working_days_between(D(2021, 10, 11), D(2021, 9, 29), calendar=CN) == 0


def test_nth_working_day_rejects_n_below_one():
    with pytest.raises(ValueError):
        workdays.nth_working_day(D(2021, 9, 29), 0, calendar=CN)


def test_period_end_is_local_midnight_after_the_last_working_day():
    tz = ZoneInfo("Asia/Shanghai")
    start = dt.datetime(2021, 9, 29, 1, 30, tzinfo=dt.UTC)  # 09:30 in Shanghai
    assert workdays.period_end(start, 5, tz=tz, calendar=CN) == dt.datetime(2021, 10, 12, tzinfo=tz)


def test_period_start_late_in_utc_uses_the_local_date():
    tz = ZoneInfo("Asia/Shanghai")
    # 2021-09-28 17:00 UTC is already 2021-09-29 01:00 in Shanghai.
    start = dt.datetime(2021, 9, 28, 17, 0, tzinfo=dt.UTC)
    assert workdays.period_end(start, 5, tz=tz, calendar=CN) == dt.datetime(2021, 10, 12, tzinfo=tz)
