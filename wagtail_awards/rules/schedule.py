"""The stages of a call in time (pure: no database)."""

import datetime as dt
from dataclasses import dataclass

from ..enums import DeadlineState, Stage


def end_of_minute(value: dt.datetime | None) -> dt.datetime | None:
    """A deadline given to the minute (seconds and microseconds zero) as the last instant of that minute.

    The admin's date-time widget has no seconds, so “23:59” is all an editor can enter for “by the end of the day”;
    a value with seconds of its own is kept as it is.
    """
    if value is None or value.second or value.microsecond:
        return value
    return value.replace(second=59, microsecond=999999)


@dataclass(frozen=True)
class StageSpan:
    """One stage of a call with its start and end instants (either may be unknown)."""

    stage: Stage
    starts: dt.datetime | None
    ends: dt.datetime | None
    current: bool = False
    done: bool = False

    @property
    def label(self):
        return self.stage.label


def stage_spans(
    *,
    now: dt.datetime,
    published: dt.datetime | None,
    application_opens: dt.datetime | None,
    application_deadline: dt.datetime,
    recommendation_deadline: dt.datetime | None,
    review_deadline: dt.datetime | None,
    voting_opens: dt.datetime | None,
    voting_closes: dt.datetime | None,
    publicity_starts: dt.datetime | None,
    publicity_ends: dt.datetime | None,
) -> list[StageSpan]:
    """Every stage of a call in order, the one running at ``now`` marked ``current``, earlier ones ``done``.

    Ends are the last instant inside a stage. The current stage is the last one whose start is known and not
    after ``now``; before any start it is the notice. A stage without a known start is never current.
    """
    opens = application_opens or published
    raw = [
        (Stage.NOTICE, published, None),
        (Stage.APPLICATION, opens, application_deadline),
        (Stage.RECOMMENDATION, application_deadline, recommendation_deadline),
        (Stage.REVIEW, recommendation_deadline, review_deadline),
        (Stage.VOTE, voting_opens, voting_closes),
        (Stage.PUBLICITY, publicity_starts, publicity_ends),
        (Stage.RESULTS, publicity_ends, None),
    ]
    current_index = 0
    for index, (_stage, starts, _ends) in enumerate(raw):
        if starts is not None and starts <= now:
            current_index = index
    return [
        StageSpan(stage=stage, starts=starts, ends=ends, current=index == current_index, done=index < current_index)
        for index, (stage, starts, ends) in enumerate(raw)
    ]


def deadline_state(
    *, now: dt.datetime, opens: dt.datetime | None, deadline: dt.datetime, closing_soon: dt.timedelta
) -> DeadlineState:
    """Where ``now`` stands against a window ending at ``deadline`` (the last instant still accepted)."""
    if opens is not None and now < opens:
        return DeadlineState.NOT_OPEN
    if now > deadline:
        return DeadlineState.CLOSED
    if deadline - now <= closing_soon:
        return DeadlineState.CLOSING_SOON
    return DeadlineState.OPEN


@dataclass(frozen=True)
class TimeLeft:
    days: int
    hours: int
    minutes: int
    seconds: int


def time_left(*, now: dt.datetime, deadline: dt.datetime) -> TimeLeft:
    """Days, hours, minutes and seconds from ``now`` to ``deadline`` (all zero once it has passed)."""
    remaining = max(int((deadline - now).total_seconds()), 0)
    days, rest = divmod(remaining, 86400)
    hours, rest = divmod(rest, 3600)
    minutes, seconds = divmod(rest, 60)
    return TimeLeft(days=days, hours=hours, minutes=minutes, seconds=seconds)
