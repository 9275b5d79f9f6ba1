"""Attempts count per key in fixed windows of the shared cache, and start afresh at a window's boundary."""

import datetime as dt

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
