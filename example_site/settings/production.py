"""Production: several app servers behind a proxy, one PostgreSQL, one Redis.

Everything secret or host-specific comes from the environment:
SECRET_KEY, DATABASE_URL, REDIS_URL, ALLOWED_HOSTS (comma separated), CSRF_TRUSTED_ORIGINS (comma separated),
TRUSTED_PROXY_COUNT (default 1) or TRUSTED_PROXIES (comma separated addresses or networks, one per hop).

The proxy contract: the app servers are reachable only through the proxy (bound to 127.0.0.1 or a private
network the proxy alone reaches). They trust its X-Forwarded-Proto (SECURE_PROXY_SSL_HEADER) and read the client
address from the X-Forwarded-For it appends to; a client reaching them directly could claim both.
"""

import os

from .base import *  # noqa: F403
from .base import MIDDLEWARE

DEBUG = False
SECRET_KEY = os.environ["SECRET_KEY"]
ALLOWED_HOSTS = [h.strip() for h in os.environ.get("ALLOWED_HOSTS", "").split(",") if h.strip()]
CSRF_TRUSTED_ORIGINS = [o.strip() for o in os.environ.get("CSRF_TRUSTED_ORIGINS", "").split(",") if o.strip()]

# One cache shared by every app server: rate limits, sessions and page fragments must agree across them.
CACHES = {
    "default": {
        "BACKEND": "django_redis.cache.RedisCache",
        "LOCATION": os.environ.get("REDIS_URL", "redis://127.0.0.1:6379/0"),
        "OPTIONS": {"CLIENT_CLASS": "django_redis.client.DefaultClient"},
    }
}
SESSION_ENGINE = "django.contrib.sessions.backends.cache"

# The public pages (notice, voting, publicity, results) from that cache, for visitors without a session; first, so a
# hit costs nothing else. Purged on publishing; tallies on them are at most this many seconds old.
MIDDLEWARE = ["wagtail_awards.middleware.PublicPageCacheMiddleware", *MIDDLEWARE]
WAGTAIL_AWARDS_PAGE_CACHE_SECONDS = int(os.environ.get("PAGE_CACHE_SECONDS", "30"))
# Who votes (comma separated): verified_account, voting_code, insecure_device (see the README).
WAGTAIL_AWARDS_VOTERS = [v.strip() for v in os.environ.get("WAGTAIL_AWARDS_VOTERS", "verified_account").split(",") if v]

STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.ManifestStaticFilesStorage"},
}

# Trusted only because the app servers are reachable through the proxy alone (see the README's proxy contract): the
# proxy must set X-Forwarded-Proto itself, replacing whatever a client sent.
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
# The client address for rate limits, IP hashes and burst detection: the one the proxy appended to X-Forwarded-For.
WAGTAIL_AWARDS_TRUSTED_PROXY_COUNT = int(os.environ.get("TRUSTED_PROXY_COUNT", "1"))
WAGTAIL_AWARDS_TRUSTED_PROXIES = [p.strip() for p in os.environ.get("TRUSTED_PROXIES", "").split(",") if p.strip()]
SECURE_SSL_REDIRECT = os.environ.get("SECURE_SSL_REDIRECT", "1") == "1"
SECURE_HSTS_SECONDS = int(os.environ.get("SECURE_HSTS_SECONDS", "31536000"))
SECURE_HSTS_INCLUDE_SUBDOMAINS = True
SECURE_HSTS_PRELOAD = True
SECURE_CONTENT_TYPE_NOSNIFF = True
# Every cookie the site sets is Secure: session, CSRF, language, messages (Django uses SESSION_COOKIE_SECURE for
# them) and the app's vote device cookie (it follows SESSION_COOKIE_SECURE).
SESSION_COOKIE_SECURE = True
CSRF_COOKIE_SECURE = True
LANGUAGE_COOKIE_SECURE = True
# Messages wait in the session, not in a cookie of their own (Django deletes that cookie without the Secure flag).
MESSAGE_STORAGE = "django.contrib.messages.storage.session.SessionStorage"
X_FRAME_OPTIONS = "DENY"
# Django's defaults, stated so that a change is seen: no full URLs in Referer to other sites, no window.opener.
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"

EMAIL_BACKEND = os.environ.get("EMAIL_BACKEND", "django.core.mail.backends.smtp.EmailBackend")
EMAIL_HOST = os.environ.get("EMAIL_HOST", "localhost")
# A receipt is sent while its application's row is locked; a mail server that hangs must not hold it for long.
EMAIL_TIMEOUT = int(os.environ.get("EMAIL_TIMEOUT", "10"))
DEFAULT_FROM_EMAIL = os.environ.get("DEFAULT_FROM_EMAIL", "webmaster@localhost")

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": "WARNING"},
}
