"""The app's system checks: each fires on a misconfigured setting and all are silent on the example site."""

import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.contrib.auth.base_user import AbstractBaseUser
from django.core import checks
from django.db import models
from django.test import override_settings
from django.test.utils import isolate_apps
from django.urls import include, path
from wagtail import urls as wagtail_urls

import wagtail_awards
from wagtail_awards import checks as awards_checks

ROOT = Path(__file__).resolve().parents[2]
APP_DIR = Path(wagtail_awards.__file__).resolve().parent


def app_messages(**kwargs):
    """Every message of the app's checks, as (id, message) pairs."""
    messages = checks.run_checks(**kwargs)
    return [(m.id, m.msg) for m in messages if m.id and m.id.startswith("wagtail_awards.")]


def ids(**kwargs):
    return {message_id for message_id, _ in app_messages(**kwargs)}


class WithoutApp:
    urlpatterns = [path("captcha/", include("captcha.urls")), path("", include(wagtail_urls))]


class WithoutCaptcha:
    urlpatterns = [path("awards/", include("wagtail_awards.urls")), path("", include(wagtail_urls))]


class AppAtRoot:
    urlpatterns = [
        path("captcha/", include("captcha.urls")),
        path("", include("wagtail_awards.urls")),
        path("", include(wagtail_urls)),
    ]


def test_silent_with_the_test_settings():
    assert app_messages() == []


@pytest.mark.parametrize("settings_module", ["example_site.settings.dev", "example_site.settings.test"])
def test_manage_py_check_is_silent_on_the_example_site(settings_module, tmp_path):
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": settings_module, "WAGTAIL_AWARDS_VAR_DIR": str(tmp_path / "var")}
    env.pop("WAGTAIL_AWARDS_BASE_TEMPLATE", None)
    result = subprocess.run(
        [sys.executable, "example_site/manage.py", "check", "--fail-level", "WARNING"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout


# URLs -------------------------------------------------------------------------------------------------------------


def test_app_urls_missing():
    with override_settings(ROOT_URLCONF=WithoutApp):
        assert "wagtail_awards.E001" in ids()


def test_app_urls_at_the_root_hide_pages():
    with override_settings(ROOT_URLCONF=AppAtRoot, LOGIN_URL="wagtail_awards:login"):
        assert ids() == {"wagtail_awards.W001"}


@pytest.mark.parametrize(
    ("login_url", "fires"),
    [
        ("/accounts/login/", True),  # only Wagtail's page serving answers there: a 404
        ("no-such-url-name", True),
        ("/no/such/path.html", True),
        ("wagtail_awards:login", False),
        ("/awards/accounts/login/", False),
        ("/admin/login/", False),
        ("https://sso.example.org/login", False),  # an external identity provider
    ],
)
def test_login_url_must_reach_a_login_view(login_url, fires):
    with override_settings(LOGIN_URL=login_url):
        assert ("wagtail_awards.E002" in ids()) is fires


def test_captcha_urls_missing():
    with override_settings(ROOT_URLCONF=WithoutCaptcha):
        assert ids() == {"wagtail_awards.E003"}


# Time zone --------------------------------------------------------------------------------------------------------


def test_time_zone_differs_from_the_sites():
    with override_settings(TIME_ZONE="UTC"):
        messages = app_messages()
    assert [m[0] for m in messages] == ["wagtail_awards.W002"]
    assert "Asia/Shanghai" in messages[0][1] and "UTC" in messages[0][1]
    with override_settings(TIME_ZONE="UTC", WAGTAIL_AWARDS_TIME_ZONE="UTC"):
        assert ids() == set()


# Directories ------------------------------------------------------------------------------------------------------


def test_private_root_must_be_set():
    with override_settings(WAGTAIL_AWARDS_PRIVATE_ROOT=None):
        assert ids() == {"wagtail_awards.E004"}


def test_a_private_storage_entry_stands_in_for_the_private_root(settings):
    memory = {"BACKEND": "django.core.files.storage.InMemoryStorage"}
    settings.STORAGES = {**settings.STORAGES, "awards_private": memory}
    with override_settings(WAGTAIL_AWARDS_PRIVATE_ROOT=None, WAGTAIL_AWARDS_PRIVATE_STORAGE="awards_private"):
        from wagtail_awards.storage import private_storage

        assert ids() == set()
        assert type(private_storage()).__name__ == "InMemoryStorage"


@pytest.mark.parametrize(
    "private_root",
    [
        ROOT / "example_site" / "awards-private",  # the project (manage.py is there)
        APP_DIR / "private",  # an installed app's code
        "MEDIA_ROOT",
        "STATIC_ROOT",
    ],
)
def test_private_root_outside_code_and_public_directories(private_root, settings, tmp_path):
    settings.STATIC_ROOT = tmp_path / "static"
    if private_root in ("MEDIA_ROOT", "STATIC_ROOT"):
        private_root = Path(getattr(settings, private_root)) / "private"
    with override_settings(WAGTAIL_AWARDS_PRIVATE_ROOT=private_root):
        assert ids() == {"wagtail_awards.E005"}
    assert not Path(private_root).exists()


def test_private_root_inside_the_project_of_a_wagtail_start_layout(tmp_path, monkeypatch):
    """``mysite/manage.py`` beside the settings package ``mysite/mysite/settings/``: the project is ``mysite/``."""
    project = tmp_path / "mysite"
    (project / "mysite" / "settings").mkdir(parents=True)
    (project / "manage.py").write_text("")
    module = type(sys)("mysite.settings.production")
    module.__file__ = str(project / "mysite" / "settings" / "production.py")
    monkeypatch.setitem(sys.modules, "mysite.settings.production", module)
    monkeypatch.setenv("DJANGO_SETTINGS_MODULE", "mysite.settings.production")
    with override_settings(WAGTAIL_AWARDS_PRIVATE_ROOT=project / "awards-private"):
        assert project in awards_checks.project_directories()
        assert ids() == {"wagtail_awards.E005"}
    with override_settings(WAGTAIL_AWARDS_PRIVATE_ROOT=tmp_path / "mysite-private"):
        assert ids() == set()


def test_private_root_not_writable(tmp_path):
    blocked = tmp_path / "a-file"
    blocked.write_text("")
    with override_settings(WAGTAIL_AWARDS_PRIVATE_ROOT=blocked / "private"):
        assert ids() == {"wagtail_awards.E006"}


@pytest.mark.parametrize("setting", ["STATIC_ROOT", "MEDIA_ROOT"])
def test_public_roots_not_writable(setting, tmp_path):
    blocked = tmp_path / "a-file"
    blocked.write_text("")
    with override_settings(**{setting: blocked / "root"}):
        messages = app_messages()
    assert [m[0] for m in messages] == ["wagtail_awards.W003"]
    assert setting in messages[0][1]


def test_media_root_of_a_remote_storage_is_not_checked(tmp_path):
    blocked = tmp_path / "a-file"
    blocked.write_text("")
    storages = {
        "default": {"BACKEND": "django.core.files.storage.InMemoryStorage"},
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    }
    with override_settings(MEDIA_ROOT=blocked / "root", STORAGES=storages):
        assert ids() == set()


# User model -------------------------------------------------------------------------------------------------------


@isolate_apps("wagtail_awards")
def test_a_custom_user_model_with_what_registration_needs_passes():
    class Member(AbstractBaseUser):
        class Meta:
            app_label = "wagtail_awards"

        email_address = models.EmailField(unique=True)
        staff_number = models.CharField(max_length=20)
        is_active = models.BooleanField(default=True)
        USERNAME_FIELD = "email_address"
        EMAIL_FIELD = "email_address"
        REQUIRED_FIELDS = ["staff_number"]

    assert awards_checks.user_model_errors(Member) == []


@isolate_apps("wagtail_awards")
def test_a_custom_user_model_missing_what_registration_needs():
    class Unit(models.Model):  # noqa: DJ008
        class Meta:
            app_label = "wagtail_awards"

    class Member(AbstractBaseUser):
        class Meta:
            app_label = "wagtail_awards"

        number = models.CharField(max_length=20, unique=True)
        units = models.ManyToManyField(Unit)
        USERNAME_FIELD = "number"
        REQUIRED_FIELDS = ["units", "nickname"]

    errors = awards_checks.user_model_errors(Member)
    assert [e.id for e in errors] == ["wagtail_awards.E007"]
    text = errors[0].msg
    # No EMAIL_FIELD ("email" by default) for receipts and password resets, a many-to-many and an unknown field,
    # a login name too short for an e-mail address, no is_active field to wait for the address's confirmation.
    assert "EMAIL_FIELD names 'email'" in text
    assert "'units', which a registration form cannot fill" in text
    assert "'nickname', which is not a field" in text
    assert "USERNAME_FIELD names 'number', which cannot hold an e-mail address" in text
    assert "no is_active field" in text


@isolate_apps("wagtail_awards")
def test_a_user_model_without_a_password_fails():
    class Person(models.Model):  # noqa: DJ008
        class Meta:
            app_label = "wagtail_awards"

        email = models.EmailField()
        USERNAME_FIELD = "email"
        REQUIRED_FIELDS = []

        @classmethod
        def get_email_field_name(cls):
            return "email"

    errors = awards_checks.user_model_errors(Person)
    assert "set_password" in errors[0].msg


# Base template ----------------------------------------------------------------------------------------------------


def _templates(**sources):
    return [
        {
            "BACKEND": "django.template.backends.django.DjangoTemplates",
            "DIRS": [ROOT / "example_site" / "templates"],
            "OPTIONS": {
                "loaders": [
                    ("django.template.loaders.locmem.Loader", sources),
                    "django.template.loaders.filesystem.Loader",
                    "django.template.loaders.app_directories.Loader",
                ],
                "context_processors": ["django.template.context_processors.request"],
            },
        }
    ]


def test_base_template_missing():
    with override_settings(WAGTAIL_AWARDS_BASE_TEMPLATE="site/no-such-base.html"):
        assert ids() == {"wagtail_awards.E008"}


def test_base_template_without_the_blocks():
    sources = {
        "bare.html": "<html><title>{% block title %}{% endblock %}</title>{% block content %}{% endblock %}</html>",
        "child.html": '{% extends "base.html" %}{% block content %}x{% endblock %}',
    }
    with override_settings(TEMPLATES=_templates(**sources), WAGTAIL_AWARDS_BASE_TEMPLATE="bare.html"):
        messages = app_messages()
    assert [m[0] for m in messages] == ["wagtail_awards.W004"]
    assert "extra_css, extra_js" in messages[0][1]
    # Blocks inherited from the template it extends count: the example site's base.html has them all.
    with override_settings(TEMPLATES=_templates(**sources), WAGTAIL_AWARDS_BASE_TEMPLATE="child.html"):
        assert ids() == set()


def test_the_example_sites_base_passes():
    with override_settings(WAGTAIL_AWARDS_BASE_TEMPLATE="base.html"):
        assert ids() == set()


def test_files_are_refused_without_a_private_root(tmp_path):
    from django.core.exceptions import ImproperlyConfigured
    from django.core.files.base import ContentFile

    from wagtail_awards.storage import private_storage

    with override_settings(WAGTAIL_AWARDS_PRIVATE_ROOT=None), pytest.raises(ImproperlyConfigured):
        private_storage().save("a.pdf", ContentFile(b"%PDF-1.4"))
    with override_settings(WAGTAIL_AWARDS_PRIVATE_ROOT=tmp_path / "private"):
        name = private_storage().save("a.pdf", ContentFile(b"%PDF-1.4"))
    assert (tmp_path / "private" / name).read_bytes() == b"%PDF-1.4"


@isolate_apps("wagtail_awards")
def test_required_fields_that_would_let_a_visitor_grant_rights_are_reported_and_never_asked():
    from django.contrib.auth.models import PermissionsMixin

    from wagtail_awards.rules.user_fields import extra_account_fields

    class Member(AbstractBaseUser, PermissionsMixin):
        class Meta:
            app_label = "wagtail_awards"

        email = models.EmailField(unique=True)
        is_staff = models.BooleanField(default=False)
        USERNAME_FIELD = "email"
        REQUIRED_FIELDS = ["is_staff", "groups"]

    assert extra_account_fields(Member) == ()
    (error,) = awards_checks.user_model_errors(Member)
    assert "'is_staff', which a visitor registering must not set" in error.msg
    assert "'groups', which a visitor registering must not set" in error.msg


@pytest.mark.parametrize(
    "handlers",
    [
        ["django.core.files.uploadhandler.MemoryFileUploadHandler"],  # Django's default
        [
            "django.core.files.uploadhandler.MemoryFileUploadHandler",
            "wagtail_awards.uploads.UploadPolicyHandler",
        ],
        [],
    ],
)
def test_the_upload_policy_must_be_the_first_handler(handlers):
    with override_settings(FILE_UPLOAD_HANDLERS=handlers):
        assert ids() == {"wagtail_awards.W005"}
