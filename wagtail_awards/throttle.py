"""Counting attempts per key and window in the shared cache (every app server sees the same counts)."""

import time

from django.core.cache import cache


def allow(scope: str, key: str, *, limit: int, window: int, now: float | None = None) -> bool:
    """Count one attempt of ``key`` in ``scope`` and say whether it is within ``limit`` per fixed ``window``
    seconds. ``limit`` 0 never limits. ``add`` then ``incr``, so concurrent attempts on several servers all count.
    """
    if limit <= 0:
        return True
    cache_key = _key(scope, key, window=window, now=now)
    cache.add(cache_key, 0, timeout=window + 60)
    try:
        count = cache.incr(cache_key)
    except ValueError:  # expired between add and incr
        cache.add(cache_key, 1, timeout=window + 60)
        count = 1
    return count <= limit


def reached(scope: str, key: str, *, limit: int, window: int, now: float | None = None) -> bool:
    """Whether ``key`` has used its ``limit`` attempts in ``scope`` this window (counted by :func:`allow`). Reads
    only: for limits that count an attempt after it succeeded, not when it arrives."""
    if limit <= 0:
        return False
    return (cache.get(_key(scope, key, window=window, now=now)) or 0) >= limit


def _key(scope: str, key: str, *, window: int, now: float | None) -> str:
    """The counter of ``key`` in ``scope`` for the fixed window of ``window`` seconds that ``now`` falls in."""
    slot = int((time.time() if now is None else now) // max(1, window))
    return f"wagtail_awards:{scope}:{key}:{slot}"
