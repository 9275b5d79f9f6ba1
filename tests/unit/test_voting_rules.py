"""The vote's pure rules: window, tally visibility, most popular, local day."""

import datetime as dt
from zoneinfo import ZoneInfo

from wagtail_awards.addresses import client_hash
from wagtail_awards.enums import DeadlineState
from wagtail_awards.rules import voting

SH = ZoneInfo("Asia/Shanghai")
OPENS = dt.datetime(2021, 11, 15, 9, tzinfo=SH)
CLOSES = dt.datetime(2021, 11, 21, 23, 59, 59, tzinfo=SH)
TICK = dt.timedelta(microseconds=1)


def state(now):
    return voting.voting_state(now=now, opens=OPENS, closes=CLOSES)


def test_window_includes_both_ends():
    assert state(OPENS - TICK) == DeadlineState.NOT_OPEN
    assert state(OPENS) == DeadlineState.OPEN
    assert state(CLOSES) == DeadlineState.OPEN
    assert state(CLOSES + TICK) == DeadlineState.CLOSED


def test_no_window_never_opens():
    assert voting.voting_state(now=OPENS, opens=None, closes=None) == DeadlineState.NOT_OPEN
    assert voting.voting_state(now=OPENS, opens=OPENS, closes=None) == DeadlineState.NOT_OPEN


def test_tallies_visible_during_only_when_chosen():
    assert voting.tallies_visible(state=DeadlineState.OPEN, when=voting.TALLIES_DURING)
    assert not voting.tallies_visible(state=DeadlineState.OPEN, when=voting.TALLIES_AFTER)
    assert not voting.tallies_visible(state=DeadlineState.NOT_OPEN, when=voting.TALLIES_DURING)
    assert voting.tallies_visible(state=DeadlineState.CLOSED, when=voting.TALLIES_AFTER)


def test_most_popular_single_tie_and_none():
    assert voting.most_popular({1: 5, 2: 3}) == [1]
    assert voting.most_popular({1: 5, 2: 5, 3: 1}) == [1, 2]
    assert voting.most_popular({}) == []
    assert voting.most_popular({1: 0}) == []


def test_voting_day_is_local():
    # 2021-11-15 16:30 UTC is already the 16th in Shanghai.
    assert voting.voting_day(dt.datetime(2021, 11, 15, 16, 30, tzinfo=dt.UTC)) == dt.date(2021, 11, 16)
    assert voting.voting_day(dt.datetime(2021, 11, 15, 15, 59, tzinfo=dt.UTC)) == dt.date(2021, 11, 15)


def test_client_hash_is_stable_and_not_the_value(settings):
    settings.SECRET_KEY = "k"
    assert client_hash("10.0.0.1") == client_hash("10.0.0.1")
    assert client_hash("10.0.0.1") != client_hash("10.0.0.2")
    assert "10.0.0.1" not in client_hash("10.0.0.1")
