"""Middleware of the app. Add it to ``MIDDLEWARE`` as the first entry to serve cached public pages cheaply."""

from . import page_cache


class PublicPageCacheMiddleware:
    """Answer the public pages from the shared cache for visitors without a session; keep what pages mark public.

    Put it first in ``MIDDLEWARE``: a hit then costs no session, database or template work (the stored response
    already carries the headers the other middleware added). See :mod:`wagtail_awards.page_cache`.
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
        return response
