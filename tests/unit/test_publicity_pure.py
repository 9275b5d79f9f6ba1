import datetime as dt
from zoneinfo import ZoneInfo

import pytest

from wagtail_awards.enums import PublicityState
from wagtail_awards.rules import publicity
from wagtail_awards.rules.workdays import Calendar, holiday_calendar

TZ = ZoneInfo("Asia/Shanghai")
CN = holiday_calendar("CN")
START = dt.datetime(2021, 9, 29, 9, tzinfo=TZ)


def at(*args):
    return publicity.countdown(
        now=dt.datetime(*args, tzinfo=TZ), starts=START, working_days=5, tz=TZ, calendar=Calendar(holidays=CN)
    )


def test_period_2021_runs_from_29_september_to_11_october():
    period = at(2021, 9, 29, 9)
    assert period.first_day == dt.date(2021, 9, 29)
    assert period.last_day == dt.date(2021, 10, 11)
    assert period.ends == dt.datetime(2021, 10, 12, tzinfo=TZ)


def test_countdown_at_the_start():
    period = at(2021, 9, 29, 9)
    assert period.state == PublicityState.OPEN
    assert period.working_days_left == 5
    # 12 October 00:00 − 29 September 09:00 = 12 days 15 hours
    assert (period.time_left.days, period.time_left.hours, period.time_left.minutes) == (12, 15, 0)


def test_before_the_start_nothing_has_been_used():
    period = at(2021, 9, 29, 8, 59, 59)
    assert period.state == PublicityState.NOT_STARTED
    assert period.working_days_left == 5


@pytest.mark.parametrize(
    ("moment", "left"),
    [
        ((2021, 9, 30, 12), 4),  # Thursday, day 2
        ((2021, 10, 1, 10), 3),  # National Day: holiday, 8, 9 (make-up Saturday) and 11 October remain
        ((2021, 10, 7, 23), 3),
        ((2021, 10, 8, 10), 3),  # Friday after the holiday, counted as today
        ((2021, 10, 9, 10), 2),  # the make-up Saturday is a working day
        ((2021, 10, 10, 10), 1),  # Sunday: only Monday remains
    ],
)
def test_countdown_across_the_national_day_holiday(moment, left):
    period = at(*moment)
    assert period.state == PublicityState.OPEN
    assert period.working_days_left == left


def test_countdown_in_the_last_minute():
    period = at(2021, 10, 11, 23, 59, 1)
    assert period.state == PublicityState.OPEN
    assert period.working_days_left == 1
    assert (period.time_left.days, period.time_left.hours, period.time_left.minutes, period.time_left.seconds) == (
        0,
        0,
        0,
        59,
    )


def test_after_the_end():
    period = at(2021, 10, 12, 0, 0, 0)
    assert period.state == PublicityState.ENDED
    assert period.working_days_left == 0
    assert period.time_left.seconds == 0 and period.time_left.days == 0


def test_an_exception_moves_the_end():
    period = publicity.countdown(
        now=START,
        starts=START,
        working_days=5,
        tz=TZ,
        calendar=Calendar(holidays=CN, exceptions={dt.date(2021, 10, 8): False}),
    )
    assert period.last_day == dt.date(2021, 10, 12)


def test_a_start_on_a_day_off_begins_on_the_next_working_day():
    period = publicity.countdown(
        now=START,
        starts=dt.datetime(2021, 10, 2, 9, tzinfo=TZ),
        working_days=5,
        tz=TZ,
        calendar=Calendar(holidays=CN),
    )
    assert period.first_day == dt.date(2021, 10, 8)
    assert period.last_day == dt.date(2021, 10, 13)  # 8, 9 (make-up Saturday), 11, 12, 13


def test_an_award_can_be_cancelled_only_while_proposed_and_until_the_period_ends():
    from django.utils import translation

    from wagtail_awards.enums import AwardStatus

    with translation.override("en"):
        assert publicity.cancel_refusal(status=AwardStatus.PROPOSED, period=at(2021, 10, 11, 23, 59, 59)) is None
        assert publicity.cancel_refusal(status=AwardStatus.PROPOSED, period=None) is None
        assert publicity.cancel_refusal(status=AwardStatus.PROPOSED, period=at(2021, 10, 12, 0)) == (
            "The publicity period has ended: the award can no longer be cancelled."
        )
        for status in (AwardStatus.FINAL, AwardStatus.CANCELLED):
            assert publicity.cancel_refusal(status=status, period=at(2021, 10, 1, 10)) == (
                "Only a proposed award can be cancelled."
            )
