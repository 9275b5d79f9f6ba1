"""Attempts count per key in fixed windows of the shared cache, and start afresh at a window's boundary."""

import datetime as dt
import time

import pytest

from tests.redis_helpers import redis_cache, round_trips
from wagtail_awards import throttle

START = dt.datetime(2021, 11, 15, 1, 0, tzinfo=dt.UTC).timestamp()


def test_attempts_count_per_fixed_window_and_start_afresh_at_its_boundary():
    assert throttle.allow("test", "k", limit=2, window=3600, now=START)
    assert not throttle.reached("test", "k", limit=2, window=3600, now=START + 60)
    assert throttle.allow("test", "k", limit=2, window=3600, now=START + 59 * 60)
    assert throttle.reached("test", "k", limit=2, window=3600, now=START + 59 * 60)
    assert not throttle.allow("test", "k", limit=2, window=3600, now=START + 3599)
    # The next window: nothing counted yet.
    assert not throttle.reached("test", "k", limit=2, window=3600, now=START + 3600)
    assert throttle.allow("test", "k", limit=2, window=3600, now=START + 3600)


def test_keys_and_scopes_count_apart_and_no_limit_never_limits():
    assert throttle.allow("test", "a", limit=1, window=60, now=START)
    assert throttle.allow("test", "b", limit=1, window=60, now=START)
    assert throttle.allow("other", "a", limit=1, window=60, now=START)
    assert not throttle.allow("test", "a", limit=1, window=60, now=START)
    assert all(throttle.allow("test", "a", limit=0, window=60, now=START) for _ in range(5))
    assert not throttle.reached("test", "a", limit=0, window=60, now=START)


@pytest.fixture
def redis(tmp_path):
    with redis_cache(tmp_path) as cache:
        yield cache


def test_on_redis_an_attempt_is_one_round_trip_and_its_counter_expires(redis):
    client = redis.client.get_client(write=True)
    now = time.time()
    with round_trips(redis) as sent:
        assert throttle.allow("test", "k", limit=2, window=60, now=now)
    assert len(sent) == 1  # the SET NX EX and the INCR go as one transaction
    assert throttle.allow("test", "k", limit=2, window=60, now=now)
    assert not throttle.allow("test", "k", limit=2, window=60, now=now)
    assert throttle.reached("test", "k", limit=2, window=60, now=now)
    key = redis.make_key(throttle._key("test", "k", window=60, now=now))
    assert 60 < client.ttl(key) <= 120
    # Given back twice (the refused attempt and one more), one attempt is left in the window.
    throttle.give_back("test", "k", limit=2, window=60, now=now)
    throttle.give_back("test", "k", limit=2, window=60, now=now)
    assert not throttle.reached("test", "k", limit=2, window=60, now=now)
    assert throttle.allow("test", "k", limit=2, window=60, now=now)
    assert not throttle.allow("test", "k", limit=2, window=60, now=now)


def test_giving_back_without_a_counter_does_nothing():
    throttle.give_back("test", "none", limit=2, window=60, now=START)
    assert throttle.allow("test", "none", limit=1, window=60, now=START)
    assert not throttle.allow("test", "none", limit=1, window=60, now=START)
