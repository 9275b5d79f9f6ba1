import datetime as dt
from zoneinfo import ZoneInfo

from wagtail_awards.enums import DeadlineState, Stage
from wagtail_awards.rules.schedule import deadline_state, stage_spans, time_left

TZ = ZoneInfo("Asia/Shanghai")
DEADLINE = dt.datetime(2021, 10, 19, 23, 59, 59, tzinfo=TZ)
OPENS = dt.datetime(2021, 9, 22, 9, tzinfo=TZ)
SOON = dt.timedelta(days=3)


def at(*args):
    return dt.datetime(*args, tzinfo=TZ)


def test_deadline_states_around_the_boundaries():
    assert (
        deadline_state(now=at(2021, 9, 22, 8, 59), opens=OPENS, deadline=DEADLINE, closing_soon=SOON)
        == DeadlineState.NOT_OPEN
    )
    assert deadline_state(now=at(2021, 10, 1), opens=OPENS, deadline=DEADLINE, closing_soon=SOON) == DeadlineState.OPEN
    assert (
        deadline_state(now=at(2021, 10, 17), opens=OPENS, deadline=DEADLINE, closing_soon=SOON)
        == DeadlineState.CLOSING_SOON
    )
    assert deadline_state(now=DEADLINE, opens=OPENS, deadline=DEADLINE, closing_soon=SOON) == DeadlineState.CLOSING_SOON
    one_second_late = DEADLINE + dt.timedelta(seconds=1)
    assert (
        deadline_state(now=one_second_late, opens=OPENS, deadline=DEADLINE, closing_soon=SOON) == DeadlineState.CLOSED
    )


def test_time_left_splits_and_stops_at_zero():
    left = time_left(now=at(2021, 10, 18, 22, 58, 58), deadline=DEADLINE)
    assert (left.days, left.hours, left.minutes, left.seconds) == (1, 1, 1, 1)
    gone = time_left(now=at(2021, 10, 20), deadline=DEADLINE)
    assert (gone.days, gone.hours, gone.minutes, gone.seconds) == (0, 0, 0, 0)


def spans(now, **extra):
    values = dict(
        published=OPENS,
        application_opens=None,
        application_deadline=DEADLINE,
        recommendation_deadline=at(2021, 10, 29, 23, 59),
        review_deadline=at(2021, 11, 12, 23, 59),
        voting_opens=at(2021, 11, 15, 9),
        voting_closes=at(2021, 11, 21, 23, 59),
        publicity_starts=at(2021, 11, 29, 9),
        publicity_ends=at(2021, 12, 3, 23, 59),
    )
    values.update(extra)
    return stage_spans(now=now, **values)


def current(result):
    [stage] = [span.stage for span in result if span.current]
    return stage


def test_current_stage_follows_the_clock():
    assert current(spans(at(2021, 9, 1))) == Stage.NOTICE
    assert current(spans(at(2021, 10, 1))) == Stage.APPLICATION
    assert current(spans(at(2021, 10, 20))) == Stage.RECOMMENDATION
    assert current(spans(at(2021, 11, 1))) == Stage.REVIEW
    assert current(spans(at(2021, 11, 16))) == Stage.VOTE
    assert current(spans(at(2021, 12, 1))) == Stage.PUBLICITY
    assert current(spans(at(2021, 12, 4))) == Stage.RESULTS


def test_earlier_stages_are_done_and_unknown_ones_never_current():
    result = spans(at(2021, 11, 1), voting_opens=None, voting_closes=None)
    assert [span.done for span in result][:3] == [True, True, True]
    assert current(result) == Stage.REVIEW
    assert current(spans(at(2021, 11, 20), voting_opens=None, voting_closes=None)) == Stage.REVIEW
