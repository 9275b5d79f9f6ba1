"""Counting attempts per key and window in the shared cache (every app server sees the same counts)."""

import time

from django.core.cache import cache


def allow(scope: str, key: str, *, limit: int, window: int, now: float | None = None, session=None) -> bool:
    """Count one attempt of ``key`` in ``scope`` and say whether it is within ``limit`` per fixed ``window``
    seconds. ``limit`` 0 never limits. Counted by the shared cache itself, so concurrent attempts on several
    servers all count: on Redis one round trip (a transaction of ``SET NX EX`` and ``INCR``), elsewhere ``add``
    then ``incr``.

    ``session``: a visitor's session not loaded yet; when it is kept in the same Redis (the cache session engine),
    it is read in the same round trip.
    """
    if limit <= 0:
        return True
    return _count(_key(scope, key, window=window, now=now), timeout=window + 60, session=session) <= limit


def give_back(scope: str, key: str, *, limit: int, window: int, now: float | None = None) -> None:
    """Uncount one attempt of ``key`` counted by :func:`allow` in the same window (one that turned out not to be
    one: for limits that count an attempt up front and only keep the count when it succeeded)."""
    if limit <= 0:
        return
    try:
        cache.decr(_key(scope, key, window=window, now=now))
    except ValueError:  # the window's counter has expired: nothing to give back
        pass


def _count(cache_key: str, *, timeout: int, session=None) -> int:
    client = _redis_client()
    if client is not None:
        raw_key = cache.make_key(cache_key)
        preload = _preloadable(session)
        with client.pipeline(transaction=True) as pipe:
            if preload:
                pipe.get(cache.make_key(session.cache_key))
            pipe.set(raw_key, 0, ex=timeout, nx=True)
            pipe.incr(raw_key)
            *stored, _created, count = pipe.execute()
        if preload:
            _fill(session, stored[0])
        return count
    cache.add(cache_key, 0, timeout=timeout)
    try:
        return cache.incr(cache_key)
    except ValueError:  # expired between add and incr
        cache.add(cache_key, 1, timeout=timeout)
        return 1


def _preloadable(session) -> bool:
    """Whether ``session`` is one of the cache session engine's, in this cache, with a key and not loaded yet."""
    from django.conf import settings
    from django.contrib.sessions.backends.cache import SessionStore

    return (
        type(session) is SessionStore
        and settings.SESSION_CACHE_ALIAS == "default"
        and session.session_key is not None
        and not hasattr(session, "_session_cache")
    )


def _fill(session, stored) -> None:
    """Load ``session`` with what its cache key held, as its own ``load()`` would have."""
    try:
        data = cache.client.decode(stored) if stored is not None else None
    except Exception:  # noqa: BLE001 - unreadable session data: a new session, as ``load()`` treats it
        data = None
    if data is None:
        session._session_key = None  # expired or unknown: a new, empty session (``load()`` does the same)
    session._session_cache = data if data is not None else {}


def _redis_client():
    """The Redis client of the shared cache when it is django-redis' (whose integers are stored as Redis integers),
    else ``None``."""
    client = getattr(cache, "client", None)
    if client is None or not hasattr(client, "get_client") or not hasattr(cache, "make_key"):
        return None
    return client.get_client(write=True)


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
