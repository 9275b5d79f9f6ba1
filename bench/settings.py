"""Settings of the benchmarks in ``bench/``: the production settings (shared Redis cache and sessions, the public
page cache, no DEBUG) with bench-only baseline URLs and limits opened for one client address.

Never use them to serve a site: ``bench.urls`` adds a bare view and a check-free vote endpoint. Secrets and hosts
default to bench values; ``DATABASE_URL`` and ``REDIS_URL`` come from the environment.
"""

import os

os.environ.setdefault("SECRET_KEY", "bench-only-not-secret-0123456789-abcdefghijklmnopqrstuvwxyz")
os.environ.setdefault("ALLOWED_HOSTS", "127.0.0.1,localhost")
os.environ.setdefault("SECURE_SSL_REDIRECT", "0")
os.environ.setdefault("SECURE_HSTS_SECONDS", "0")

from example_site.settings.production import *  # noqa: E402, F403

ROOT_URLCONF = "bench.urls"
# Plain HTTP on the loopback: cookies are sent by the bench's own clients.
SESSION_COOKIE_SECURE = False
CSRF_COOKIE_SECURE = False

# Who votes: WAGTAIL_AWARDS_VOTERS from the environment, as in production (bench/throughput.py starts one
# server per voter mode).
# Every bench client comes from 127.0.0.1: the per-address limits would stop the run.
WAGTAIL_AWARDS_VOTE_IP_LIMIT = int(os.environ.get("VOTE_IP_LIMIT", str(10**9)))
LOGGING = {"version": 1, "disable_existing_loggers": False, "root": {"level": "ERROR"}}
