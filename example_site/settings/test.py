import tempfile
from pathlib import Path

from .base import *  # noqa: F403
from .base import DATABASES

DEBUG = False
SECRET_KEY = "test-only"  # noqa: S105
ALLOWED_HOSTS = ["*"]
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
CAPTCHA_TEST_MODE = True

# SQLite in memory unless DATABASE_URL points at a server (CI runs the suite on PostgreSQL too).
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    DATABASES["default"] = {"ENGINE": "django.db.backends.sqlite3", "NAME": ":memory:"}

_tmp = Path(tempfile.mkdtemp(prefix="wagtail-awards-test-"))
MEDIA_ROOT = _tmp / "media"
WAGTAIL_AWARDS_PRIVATE_ROOT = _tmp / "private"
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}

# Pages and voting blocks are rendered afresh for every request; the tests of the page cache turn it on.
WAGTAIL_AWARDS_PAGE_CACHE_SECONDS = 0

# Login throttling is tested on its own (tests/integration/test_accounts.py turns it on); elsewhere tests log in
# through Django's test client, which gives the authentication backends no request.
AXES_ENABLED = False
