"""Middleware of the app: the public page cache, and the Content-Security-Policy of every page.

``PublicPageCacheMiddleware`` goes first in ``MIDDLEWARE`` to serve cached public pages cheaply. The
Content-Security-Policy is: django-csp's middleware, with a policy of its own for Wagtail's admin.

The site's pages and the app's own pages load scripts and styles from static files only (no inline script, style or
event handler): ``CONTENT_SECURITY_POLICY`` can say ``script-src 'self'`` and ``style-src 'self'``. Wagtail's admin
(everything under the admin's URL prefix) writes ``style`` attributes in some of its templates and shows previews in
a frame of its own, so it gets ``WAGTAIL_AWARDS_ADMIN_CONTENT_SECURITY_POLICY`` (same form as django-csp's
``CONTENT_SECURITY_POLICY``) instead; its scripts stay ``'self'`` only.

Use it in ``MIDDLEWARE`` instead of ``csp.middleware.CSPMiddleware``.
"""

from csp.middleware import CSPMiddleware
from django.conf import settings
from django.contrib.auth import SESSION_KEY
from django.core.cache import DEFAULT_CACHE_ALIAS
from django.urls import NoReverseMatch, reverse
from wagtail import views as wagtail_views

from . import page_cache
from .conf import awards_settings
from .models.calendar import EXCEPTIONS_CACHE_KEY

#: The admin's policy when the site sets none: the public policy's rules plus inline styles, data and blob images
#: (uploads before they are sent) and frames of the admin's own previews.
DEFAULT_ADMIN_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        "style-src": ["'self'", "'unsafe-inline'"],
        "img-src": ["'self'", "data:", "blob:"],
        "font-src": ["'self'", "data:"],
        "connect-src": ["'self'"],
        "frame-src": ["'self'"],
        "media-src": ["'self'"],
        "object-src": ["'none'"],
        "base-uri": ["'self'"],
        "form-action": ["'self'"],
        "frame-ancestors": ["'self'"],
    }
}


def admin_prefix() -> str | None:
    try:
        return reverse("wagtailadmin_home")
    except NoReverseMatch:
        return None


class ContentSecurityPolicyMiddleware(CSPMiddleware):
    """django-csp's middleware; under the Wagtail admin's prefix the admin policy replaces the site's."""

    def get_policy_parts(self, request, response, report_only=False):
        parts = super().get_policy_parts(request, response, report_only=report_only)
        prefix = admin_prefix()
        if not report_only and parts.config is None and prefix and request.path_info.startswith(prefix):
            policy = getattr(settings, "WAGTAIL_AWARDS_ADMIN_CONTENT_SECURITY_POLICY", None) or DEFAULT_ADMIN_POLICY
            parts.config = policy["DIRECTIVES"]
        return parts


class PublicPageCacheMiddleware:
    """Answer the public pages from the shared cache for visitors without a session; keep what pages mark public.

    Put it first in ``MIDDLEWARE``: a hit then costs no session, database or template work (the stored response
    already carries the headers the other middleware added). See :mod:`wagtail_awards.page_cache`.

    A page it does not answer is rendered by Wagtail with the site and its root page from the row cache
    (:func:`~wagtail_awards.page_cache.site_for_request`) instead of two queries, and the rows it read last time
    (and whether the visitor may use the admin) read in one round trip (:func:`~wagtail_awards.page_cache.
    prefetch`).
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        key = page_cache.request_key(request)
        if key is not None:
            cached = page_cache.fetch(key)
            if cached is not None:
                return cached
        response = self.get_response(request)
        if key is not None and page_cache.storable(request, response):
            page_cache.store(key, response)
        if getattr(request, "awards_prefetched", False):
            page_cache.learn(request, response)
        return response

    def process_view(self, request, view_func, view_args, view_kwargs):
        if view_func is not wagtail_views.serve or not page_cache.seconds():
            return None
        user_id = request.session.get(SESSION_KEY) if hasattr(request, "session") else None
        # The working-day exceptions (most public pages read them) come with the generation when they share its cache.
        shared = [EXCEPTIONS_CACHE_KEY] if awards_settings.PAGE_CACHE == DEFAULT_CACHE_ALIAS else []
        visitor = [page_cache.admin_access_name(user_id)] if user_id else []
        page_cache.prefetch(request, per_visitor=visitor, shared=shared)
        request.awards_prefetched = True
        if not hasattr(request, "_wagtail_site"):
            site = page_cache.site_for_request(request)
            if site is not None:
                request._wagtail_site = site  # what Wagtail's Site.find_for_request keeps for the request
        return None
