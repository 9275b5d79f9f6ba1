from .base import *  # noqa: F403
from .base import VAR_DIR

DEBUG = True
SECRET_KEY = "demo-only-not-secret"  # noqa: S105 - the demo never runs in production
ALLOWED_HOSTS = ["127.0.0.1", "localhost", "[::1]"]
EMAIL_BACKEND = "django.core.mail.backends.console.EmailBackend"

VAR_DIR.mkdir(parents=True, exist_ok=True)

# The demo's voters: verified accounts (the "voter" login) and voting codes (/media/demo-voting-codes.html).
WAGTAIL_AWARDS_VOTERS = ["verified_account", "voting_code"]
