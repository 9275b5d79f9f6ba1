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
    return allow_and_take(scope, key, limit=limit, window=window, now=now, session=session)[0]


def allow_and_take(
    scope: str, key: str, *, limit: int, window: int, now: float | None = None, session=None, take: str | None = None
) -> tuple[bool, object]:
    """:func:`allow`, and on Redis also read and delete the shared cache's entry ``take`` in the same round trip:
    ``(within, value)``, ``value`` ``None`` when there was none. Redis' ``GETDEL`` gives an entry to exactly one of
    several concurrent callers, on any server. ``take`` is for Redis only (see :func:`shared_redis`)."""
    client = shared_redis()
    if take is not None and client is None:
        raise ValueError("taking an entry in the attempt's round trip needs the shared cache on Redis")
    if client is None:
        if limit <= 0:
            return True, None
        return _count(_key(scope, key, window=window, now=now), timeout=window + 60) <= limit, None
    counter = cache.make_key(_key(scope, key, window=window, now=now)) if limit > 0 else None
    preload = _preloadable(session)
    if counter is None and not preload and take is None:
        return True, None
    with client.pipeline(transaction=True) as pipe:
        if preload:
            pipe.get(cache.make_key(session.cache_key))
        if take is not None:
            pipe.getdel(cache.make_key(take))
        if counter is not None:
            pipe.set(counter, 0, ex=window + 60, nx=True)
            pipe.incr(counter)
        replies = pipe.execute()
    if preload:
        _fill(session, replies.pop(0))
    taken = _decode(replies.pop(0)) if take is not None else None
    return (counter is None or replies[-1] <= limit), taken


def give_back(scope: str, key: str, *, limit: int, window: int, now: float | None = None) -> None:
    """Uncount one attempt of ``key`` counted by :func:`allow` in the same window (one that turned out not to be
    one: for limits that count an attempt up front and only keep the count when it succeeded)."""
    if limit <= 0:
        return
    try:
        cache.decr(_key(scope, key, window=window, now=now))
    except ValueError:  # the window's counter has expired: nothing to give back
        pass


def _count(cache_key: str, *, timeout: int) -> int:
    """Count one on ``cache_key`` with the cache's own ``add`` and ``incr`` (a cache other than Redis)."""
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


def _decode(stored):
    """A value as the shared cache stored it (django-redis' serialisation), ``None`` when missing or unreadable."""
    try:
        return cache.client.decode(stored) if stored is not None else None
    except Exception:  # noqa: BLE001 - unreadable data: as if there were none
        return None


def _fill(session, stored) -> None:
    """Load ``session`` with what its cache key held, as its own ``load()`` would have."""
    data = _decode(stored)
    if data is None:
        session._session_key = None  # expired or unknown: a new, empty session (``load()`` does the same)
    session._session_cache = data if data is not None else {}


def shared_redis():
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
