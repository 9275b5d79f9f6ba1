"""The test settings with a custom AUTH_USER_MODEL (tests/custom_user/models.py)."""

from example_site.settings.test import *  # noqa: F403
from example_site.settings.test import INSTALLED_APPS

INSTALLED_APPS = [*INSTALLED_APPS, "tests.custom_user"]
AUTH_USER_MODEL = "custom_user.Member"
