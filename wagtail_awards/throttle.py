"""Counting attempts per key and window in the shared cache (every app server sees the same counts)."""

import time

from django.core.cache import cache


def allow(scope: str, key: str, *, limit: int, window: int, now: float | None = None, session=None) -> bool:
    """Count one attempt of ``key`` in ``scope`` and say whether it is within ``limit`` per fixed ``window``
    seconds. ``limit`` 0 never limits. Counted by the shared cache itself, so concurrent attempts on several
    servers all count: on Redis one round trip (:data:`ATTEMPT_SCRIPT`: ``SET NX EX`` and ``INCR``), elsewhere ``add``
    then ``incr``.

    ``session``: a visitor's session not loaded yet; when it is kept in the same Redis (the cache session engine),
    it is read in the same round trip.
    """
    return allow_and_take(scope, key, limit=limit, window=window, now=now, session=session)[0]


def allow_and_take(
    scope: str,
    key: str,
    *,
    limit: int,
    window: int,
    now: float | None = None,
    session=None,
    take: str | None = None,
    read: str | None = None,
) -> tuple[bool, object, object]:
    """:func:`allow`, and on Redis also, in the same round trip, read and delete the shared cache's entry ``take``
    and read its entry ``read``: ``(within, taken, read)``, each value ``None`` when there was none. Redis' ``GETDEL``
    gives an entry to exactly one of several concurrent callers, on any server. ``take`` and ``read`` are for Redis
    only (see :func:`shared_redis`)."""
    client = shared_redis()
    if (take is not None or read is not None) and client is None:
        raise ValueError("taking or reading an entry in the attempt's round trip needs the shared cache on Redis")
    if client is None:
        if limit <= 0:
            return True, None, None
        return _count(_key(scope, key, window=window, now=now), timeout=window + 60) <= limit, None, None
    counter = cache.make_key(_key(scope, key, window=window, now=now)) if limit > 0 else None
    preload = _preloadable(session)
    steps = [("s", cache.make_key(session.cache_key) if preload else None)]
    steps += [("r", cache.make_key(read) if read is not None else None)]
    steps += [("t", cache.make_key(take) if take is not None else None), ("c", counter)]
    keys = [name for _flag, name in steps if name is not None]
    if not keys:
        return True, None, None
    flags = "".join(flag for flag, name in steps if name is not None)
    stored, found, taken, count = client.eval(ATTEMPT_SCRIPT, len(keys), *keys, flags, window + 60)
    if preload:
        _fill(session, stored)
    return (counter is None or count <= limit), _decode(taken), _decode(found)


#: One attempt as one Redis script (atomic, one round trip, one reply to parse): read the session (``s``), read an
#: entry (``r``), take an entry (``t``, ``GETDEL``) and count the attempt (``c``: ``SET NX EX`` then ``INCR``), each
#: only when its flag is in ``ARGV[1]``, on ``KEYS`` in that order. ``ARGV[2]``: the counter's expiry in seconds.
#: Replies with the four answers, ``nil`` for a step not taken. Sent whole (``EVAL``: Redis keeps it compiled), so
#: a restarted or new Redis needs no loading step.
ATTEMPT_SCRIPT = """
local flags, i, out = ARGV[1], 1, {false, false, false, false}
if string.find(flags, 's', 1, true) then out[1] = redis.call('GET', KEYS[i]); i = i + 1 end
if string.find(flags, 'r', 1, true) then out[2] = redis.call('GET', KEYS[i]); i = i + 1 end
if string.find(flags, 't', 1, true) then out[3] = redis.call('GETDEL', KEYS[i]); i = i + 1 end
if string.find(flags, 'c', 1, true) then
  redis.call('SET', KEYS[i], 0, 'EX', ARGV[2], 'NX')
  out[4] = redis.call('INCR', KEYS[i])
end
return out
"""


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
