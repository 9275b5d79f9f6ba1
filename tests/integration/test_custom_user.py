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
    assert "5 passed" in result.stdout


def test_the_default_user_model_keeps_its_form_and_refuses_a_username_differing_in_case(db):
    from django.contrib.auth import get_user_model

    from wagtail_awards.forms.accounts import RegistrationForm

    get_user_model().objects.create_user("Zhang", "zhang@example.com", "x-Long-pass-1")
    data = {
        "username": "zhang",
        "first_name": "张老师",
        "email": "li@example.com",
        "password1": "a-Long-pass-2021",
        "password2": "a-Long-pass-2021",
    }
    form = RegistrationForm(data)
    assert list(form.fields) == ["username", "first_name", "email", "password1", "password2"]
    assert form.fields["email"].required and form.fields["first_name"].required
    assert not form.is_valid()
    assert list(form.errors) == ["username"]
    assert RegistrationForm({**data, "username": "li"}).is_valid()


def test_a_visitor_cannot_make_themself_staff(client, db):
    from django.contrib.auth import get_user_model

    from tests.factories import make_org, make_site
    from wagtail_awards.enums import OrganizationKind

    make_site()
    city = make_org("南京市教育工会", OrganizationKind.CITY)
    school = make_org("南京市第一中学工会", parent=city)
    data = {
        "account-username": "mallory",
        "account-first_name": "M",
        "account-email": "m@example.com",
        "account-password1": "a-Long-pass-2021",
        "account-password2": "a-Long-pass-2021",
        "account-is_staff": "on",
        "account-is_superuser": "on",
        "account-groups": "1",
        "unit-unit": school.pk,
    }
    assert client.post("/awards/accounts/register/", data).status_code == 302
    user = get_user_model().objects.get(username="mallory")
    assert not user.is_staff and not user.is_superuser and not user.groups.exists()
