"""Settings of ``bench/vote_throughput.py`` only: production-like (no DEBUG), plus bench-only baseline URLs.

Never use them to serve a site: ``example_site.bench_urls`` adds a bare view and a check-free vote endpoint.
A per-site cache in front of the pages stands in for a front-end cache; the vote endpoints are never cached.
"""

import os

from .base import *  # noqa: F403
from .base import MIDDLEWARE

DEBUG = False
SECRET_KEY = os.environ.get("SECRET_KEY", "bench-only-not-secret")
ALLOWED_HOSTS = ["127.0.0.1", "localhost"]
ROOT_URLCONF = "example_site.bench_urls"

MIDDLEWARE = [
    "django.middleware.cache.UpdateCacheMiddleware",
    *MIDDLEWARE,
    "django.middleware.cache.FetchFromCacheMiddleware",
]
CACHE_MIDDLEWARE_SECONDS = 300
CACHE_MIDDLEWARE_KEY_PREFIX = "bench"

# Every bench client comes from 127.0.0.1 with a fresh device: the per-IP limit would stop the run.
WAGTAIL_AWARDS_VOTE_REQUIRES_LOGIN = False
WAGTAIL_AWARDS_VOTE_IP_LIMIT = 10**9
LOGGING = {"version": 1, "disable_existing_loggers": False, "root": {"level": "ERROR"}}
