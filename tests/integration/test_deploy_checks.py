"""The production settings pass Django's deployment checks and send the security headers."""

import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def run_check(extra_env=None):
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "example_site.settings.production",
        "SECRET_KEY": "x" * 20 + "-production-like-secret-key-of-sufficient-length-and-variety-0123456789",
        "ALLOWED_HOSTS": "awards.example.org",
        "DATABASE_URL": "sqlite:///:memory:",
        **(extra_env or {}),
    }
    # The browser tests relax async safety for themselves; a deployment never does.
    env.pop("DJANGO_ALLOW_ASYNC_UNSAFE", None)
    return subprocess.run(
        [sys.executable, "example_site/manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_check_deploy_reports_nothing_with_production_settings():
    result = run_check()
    assert result.returncode == 0, result.stdout + result.stderr
    assert "System check identified no issues" in result.stdout


def test_check_deploy_fails_without_https_redirect():
    # The check above can fail: turning one protection off is reported.
    result = run_check({"SECURE_SSL_REDIRECT": "0"})
    assert result.returncode != 0
    assert "security.W008" in result.stdout + result.stderr
