"""Registration works with a custom AUTH_USER_MODEL (e-mail as username, other required fields).

The user model is fixed for a whole test run, so tests/custom_user/custom_user_checks.py runs in a run of its own
under tests.custom_user.settings.
"""

import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def test_registration_with_a_custom_user_model():
    env = {**os.environ}
    env.pop("DATABASE_URL", None)  # SQLite in memory: the custom user's tables never meet the main test database
    result = subprocess.run(
        [
            sys.executable,
            "-m",
            "pytest",
            "--ds=tests.custom_user.settings",
            "-p",
            "no:cacheprovider",
            "-q",
            "tests/custom_user/custom_user_checks.py",
        ],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert result.returncode == 0, result.stdout[-4000:] + result.stderr[-2000:]
    assert "6 passed" in result.stdout


def test_the_default_user_model_keeps_its_form(db, rf):
    from django.contrib.sessions.backends.db import SessionStore

    from wagtail_awards.forms.accounts import RegistrationForm

    request = rf.get("/")
    request.session = SessionStore()
    form = RegistrationForm(request=request)
    assert list(form.fields) == ["email", "first_name", "password1", "password2", "captcha"]


def test_a_visitor_cannot_make_themself_staff(client, db):
    from django.contrib.auth import get_user_model

    from tests.builders import PASSWORD, bound_challenge, make_site
    from wagtail_awards.captcha import TEST_MODE_ANSWER

    make_site()
    data = {
        "account-email": "mallory@example.com",
        "account-first_name": "M",
        "account-password1": PASSWORD,
        "account-password2": PASSWORD,
        "account-captcha_0": bound_challenge(client, "registration")[0],
        "account-captcha_1": TEST_MODE_ANSWER,
        "account-is_staff": "on",
        "account-is_superuser": "on",
        "account-is_active": "on",
        "account-groups": "1",
    }
    assert client.post("/awards/accounts/register/", data).status_code == 302
    user = get_user_model().objects.get(username="mallory@example.com")
    assert not user.is_staff and not user.is_superuser and not user.groups.exists() and not user.is_active
