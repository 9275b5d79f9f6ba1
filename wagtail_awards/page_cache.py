"""The public pages' cache: whole responses of the notice, voting, publicity and results pages in the shared cache.

A page marks its response public (:func:`mark_public`) when it holds nothing per visitor: no CSRF token, no captcha,
no user name. :class:`wagtail_awards.middleware.PublicPageCacheMiddleware` keeps such responses for visitors without a
session (no log-in, no pending message) and answers them from the cache, before any other middleware, for at most
``WAGTAIL_AWARDS_PAGE_CACHE_SECONDS`` seconds — and never past the page's next change of state (a deadline, the
voting window, the publicity period), so a cached page never shows a stage that has ended. Tallies on a cached page
are at most that many seconds old. Requests with a query string (e.g. ``?voted=`` after a vote) are never cached.

Publishing, unpublishing, moving or deleting any page, changing a page's privacy, a site, an award or a working-day
exception, and invalidating votes purge every cached page at once: the cache keys carry a *generation* that these
events replace.
Captchas and CSRF tokens come from the uncached challenge endpoints.

Within one request the generation (and whatever :func:`per_request` keeps) is read from the shared cache once: a
page asks for it for every row and fragment it reads. A purge in the request itself replaces it at once. A page
served by Wagtail reads the generation and the rows it read on its last visit in two round trips
(:func:`prefetch`, :func:`learn`), not one for each.
"""

import hashlib
import uuid

from asgiref.local import Local
from django.conf import settings
from django.core.cache import caches
from django.core.exceptions import DisallowedHost
from django.http import HttpResponse
from django.utils import timezone
from django.utils.cache import patch_cache_control
from django.utils.translation import get_language, get_language_from_request

from .conf import awards_settings

GENERATION_KEY = "wagtail_awards:pages:generation"
KEY_PREFIX = "wagtail_awards:page"
PREFETCH_KEY = "wagtail_awards:prefetch"
#: Request cookies besides the session's that mean the response may hold something of this visitor (messages).
PERSONAL_COOKIES = ("messages",)


def _cache():
    return caches[awards_settings.PAGE_CACHE]


def seconds() -> int:
    """How long a public page is kept at most (``WAGTAIL_AWARDS_PAGE_CACHE_SECONDS``; ``0`` turns caching off)."""
    return max(0, int(awards_settings.PAGE_CACHE_SECONDS))


_request = Local()


def start_request(**_signal_kwargs) -> None:
    """Begin the values kept for one request (connected to Django's ``request_started``)."""
    _request.values = {}


def end_request(**_signal_kwargs) -> None:
    """Forget the values kept for the request (connected to ``request_finished``): outside a request, every call
    reads the shared cache."""
    _request.values = None


def per_request(name: str, compute):
    """``compute()``'s value, computed once in the current request (every time outside a request)."""
    values = getattr(_request, "values", None)
    if values is None:
        return compute()
    if name not in values:
        values[name] = compute()
    return values[name]


def forget_per_request(name: str) -> None:
    """Drop ``name`` from the values kept for the current request (after a change this request made)."""
    values = getattr(_request, "values", None)
    if values is not None:
        values.pop(name, None)


def _read_generation() -> str:
    cache = _cache()
    current = cache.get(GENERATION_KEY)
    if current is None:
        cache.add(GENERATION_KEY, uuid.uuid4().hex, timeout=None)
        current = cache.get(GENERATION_KEY)
    return current


def generation() -> str:
    """The current generation of cached pages (read once a request). A lost or evicted generation starts a new one
    (a purge)."""
    return per_request(GENERATION_KEY, _read_generation)


def purge(**_signal_kwargs) -> None:
    """Forget every cached page (a new generation). Connected to publishing and the other events listed above."""
    _cache().set(GENERATION_KEY, uuid.uuid4().hex, timeout=None)
    forget_per_request(GENERATION_KEY)


def _row_key(name: str) -> str:
    return f"wagtail_awards:rows:{generation()}:{hashlib.sha256(name.encode()).hexdigest()}"


def remember(name: str, compute, *, timeout: int | None = None, per_visitor: bool = False):
    """``compute()``'s value kept under ``name`` for this generation of cached pages (purged with them), at most
    ``timeout`` seconds (default :func:`seconds`); computed afresh every time when the cache is turned off, and
    whenever it is ``None``.

    For rows a public page shows that change only on publishing or through the purging events above. A value
    :func:`prefetch` read for the request is not read again. ``per_visitor`` names (e.g. holding a user's id)
    are left out of what :func:`learn` keeps for the page.
    """
    if not seconds():
        return compute()
    cache = _cache()
    key = _row_key(name)
    values = getattr(_request, "values", None) or {}
    if key in values.get(_ASKED, ()):
        value = values[_PREFETCHED].get(key)
    else:
        value = cache.get(key)
    if value is None:
        value = compute()
        if value is not None:  # nothing is kept for what was not found (e.g. unknown paths)
            cache.set(key, value, timeout or seconds())
    if value is not None and not per_visitor and _USED in values:
        values[_USED].append(name)
    return value


#: The row names a page read last time, per path and language, kept this long (real pages are few).
PREFETCH_SECONDS = 3600
_ASKED, _PREFETCHED, _USED, _LEARN = "asked", "prefetched", "used", "learn"


def prefetch(request, *, per_visitor=(), shared=()) -> None:
    """Read in two round trips the generation with the ``shared`` keys of the same cache (values :func:`per_request`
    then keeps under their key), then the rows this page read the last time it was rendered (as :func:`learn` kept
    their names) with the ``per_visitor`` names: :func:`remember` then finds them without asking the shared cache
    again. Without a request's values or a cache nothing is read."""
    values = getattr(_request, "values", None)
    if values is None or not seconds():
        return
    try:
        host = request.get_host()
    except DisallowedHost:
        return
    raw = f"{request.scheme}://{host}{request.path}|{get_language()}"
    list_key = f"{PREFETCH_KEY}:{hashlib.sha256(raw.encode()).hexdigest()}"
    cache = _cache()
    found = cache.get_many([GENERATION_KEY, list_key, *shared])
    if GENERATION_KEY not in found:
        return
    values[GENERATION_KEY] = found[GENERATION_KEY]
    for key in shared:
        if found.get(key) is not None:
            values[key] = found[key]
    names = found.get(list_key) or []
    keys = [_row_key(name) for name in [*names, *per_visitor]]
    values[_PREFETCHED] = cache.get_many(keys)
    values[_ASKED] = set(keys)
    values[_USED] = []
    values[_LEARN] = (list_key, names)


def learn(request, response) -> None:
    """Keep the names of the rows this page read (when they changed), for :func:`prefetch` on its next visit: only
    for a page found (GET, 200) at an address without a query string."""
    values = getattr(_request, "values", None) or {}
    if _LEARN not in values or request.method not in ("GET", "HEAD") or response.status_code != 200:
        return
    if request.META.get("QUERY_STRING"):
        return
    list_key, names = values[_LEARN]
    used = list(dict.fromkeys(values[_USED]))
    if used != names:
        _cache().set(list_key, used, PREFETCH_SECONDS)


def site_for_request(request):
    """The Wagtail site answering ``request``, its root page (specific) loaded, kept in the row cache per host and
    port (changing a site purges it); ``None`` when the request's host is not allowed or no site answers it.

    Saves Wagtail's site and root page queries on every page; :class:`~wagtail_awards.middleware.
    PublicPageCacheMiddleware` hands it to Wagtail's serving view.
    """
    from wagtail.models import Site

    try:
        host = request.get_host()  # only allowed hosts get a key of their own
    except DisallowedHost:
        return None
    port = request.get_port()

    def find():
        site = Site.find_for_request(request)
        if site is not None:
            root = site.root_page.specific  # kept on the site object, as Wagtail's routing asks for it
            if hasattr(root, "prepare_for_cache"):
                root.prepare_for_cache()
        return site

    return remember(f"site:{host}:{port}", find)


def admin_access_name(user_id) -> str:
    """The row cache's name of :func:`may_access_admin`'s answer for the user ``user_id``."""
    return f"admin-access:{user_id}"


def may_access_admin(user) -> bool:
    """Whether ``user`` holds Wagtail's ``access_admin`` permission, as Django's permission check answers it for the
    model backend: one query (which the model backend makes in two), kept in the row cache per user for at most
    :func:`seconds`; none for a superuser. It only decides whether the user bar is shown: the admin checks the
    permission itself."""
    from django.contrib.auth.models import Permission
    from django.db.models import Q

    if not user.is_active or not user.is_authenticated:
        return False
    if user.is_superuser:
        return True

    def holds_it():
        permissions = Permission.objects.filter(content_type__app_label="wagtailadmin", codename="access_admin")
        return permissions.filter(Q(user=user) | Q(group__user=user)).exists()

    return remember(admin_access_name(user.pk), holds_it, per_visitor=True)


def _personal_cookies():
    return {settings.SESSION_COOKIE_NAME, *PERSONAL_COOKIES}


def request_key(request) -> str | None:
    """The cache key of ``request``, or ``None`` when its answer may not come from the cache.

    Only GET and HEAD without a query string, from a visitor without a session or pending messages; the key holds
    the scheme, host, path and language.
    """
    if request.method not in ("GET", "HEAD") or request.META.get("QUERY_STRING") or not seconds():
        return None
    if any(name in request.COOKIES for name in _personal_cookies()) or "HTTP_AUTHORIZATION" in request.META:
        return None
    try:
        host = request.get_host()
    except DisallowedHost:
        return None
    language = get_language_from_request(request)
    raw = f"{request.scheme}://{host}{request.path}|{language}"
    return f"{KEY_PREFIX}:{generation()}:{hashlib.sha256(raw.encode()).hexdigest()}"


def mark_public(response, *, until=None):
    """Say that ``response`` holds nothing per visitor and may be cached, at most until the instant ``until``."""
    response.awards_public = True
    response.awards_public_until = until
    return response


def _timeout(response) -> int:
    timeout = seconds()
    until = getattr(response, "awards_public_until", None)
    if until is not None:
        timeout = min(timeout, int((until - timezone.now()).total_seconds()))
    return timeout


def storable(request, response) -> bool:
    """Whether ``response`` to ``request`` (which has a key) may be kept: a public 200 that sets no cookie."""
    if not getattr(response, "awards_public", False) or response.status_code != 200 or response.streaming:
        return False
    if response.cookies or "private" in response.get("Cache-Control", ""):
        return False
    user = getattr(request, "user", None)
    return not (user is not None and user.is_authenticated)


def store(key: str, response) -> None:
    """Keep ``response`` under ``key`` for :func:`seconds` (less when the page changes state sooner)."""
    timeout = _timeout(response)
    if timeout <= 0:
        return
    patch_cache_control(response, max_age=0, s_maxage=timeout)
    headers = [(name, value) for name, value in response.items() if name.lower() not in ("set-cookie", "date")]
    _cache().set(key, (response.content, headers), timeout=timeout)


def fetch(key: str):
    """The response kept under ``key``, or ``None``."""
    kept = _cache().get(key)
    if kept is None:
        return None
    content, headers = kept
    response = HttpResponse(content)
    for name, value in headers:
        response[name] = value
    response["X-Awards-Cache"] = "hit"
    return response
