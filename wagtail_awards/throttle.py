"""Counting attempts per key and window in the shared cache (every app server sees the same counts)."""

import time

from django.core.cache import cache


def allow(scope: str, key: str, *, limit: int, window: int, now: float | None = None) -> bool:
    """Count one attempt of ``key`` in ``scope`` and say whether it is within ``limit`` per fixed ``window``
    seconds. ``limit`` 0 never limits. ``add`` then ``incr``, so concurrent attempts on several servers all count.
    """
    if limit <= 0:
        return True
    slot = int((time.time() if now is None else now) // max(1, window))
    cache_key = f"wagtail_awards:{scope}:{key}:{slot}"
    cache.add(cache_key, 0, timeout=window + 60)
    try:
        count = cache.incr(cache_key)
    except ValueError:  # expired between add and incr
        cache.add(cache_key, 1, timeout=window + 60)
        count = 1
    return count <= limit
