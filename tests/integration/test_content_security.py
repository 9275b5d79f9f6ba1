"""A Content-Security-Policy on every HTML page, nothing inline for it to allow; Secure cookies in production."""

import re

import pytest
from django.test import Client, override_settings
from django.urls import reverse

from tests.integration.test_security import production_security_settings, round_  # noqa: F401 - fixture

pytestmark = pytest.mark.django_db


def directives(response):
    header = response["Content-Security-Policy"]
    return {part.split()[0]: part.split()[1:] for part in header.split(";") if part.strip()}


def public_pages(world):
    return [
        "/",
        world.call.url,
        world.publicity_page.url,
        reverse("wagtail_awards:login"),
        reverse("wagtail_awards:register"),
        reverse("wagtail_awards:password_reset"),
        reverse("wagtail_awards:vote", args=[world.call.pk, world.apps["candidate"].pk]),
    ]


INLINE_SCRIPT = re.compile(r"<script\b(?![^>]*\bsrc=)(?![^>]*application/(?:ld\+)?json)[^>]*>", re.I)
INLINE_STYLE = re.compile(r"<style\b|\sstyle=\"", re.I)
HANDLER = re.compile(r"\son[a-z]+\s*=", re.I)


def test_every_public_page_has_a_strict_policy_and_nothing_inline(client, round_):  # noqa: F811
    voter = Client()
    voter.force_login(round_.users["voter"])
    vote = reverse("wagtail_awards:vote", args=[round_.call.pk, round_.apps["candidate"].pk])
    for url in public_pages(round_):
        response = (voter if url == vote else client).get(url)
        assert response.status_code == 200, url
        policy = directives(response)
        assert policy["script-src"] == ["'self'"], url
        assert policy["style-src"] == ["'self'"], url
        assert policy["object-src"] == ["'none'"] and policy["frame-ancestors"] == ["'none'"], url
        html = response.content.decode()
        assert not INLINE_SCRIPT.search(html), (url, INLINE_SCRIPT.search(html))
        assert not INLINE_STYLE.search(html), (url, INLINE_STYLE.search(html))
        assert not HANDLER.search(html), (url, HANDLER.search(html))


def test_the_apps_own_site_pages_logged_in_have_it_too(client, round_):  # noqa: F811
    client.force_login(round_.users["applicant"])
    for url in [
        reverse("wagtail_awards:my_applications"),
        reverse("wagtail_awards:application_detail", args=[round_.apps["submitted"].pk]),
        f"{round_.form_page.url}?application={round_.apps['draft'].pk}",
    ]:
        response = client.get(url)
        assert response.status_code == 200 and directives(response)["script-src"] == ["'self'"], url
        html = response.content.decode()
        assert not (INLINE_SCRIPT.search(html) or INLINE_STYLE.search(html) or HANDLER.search(html)), url


def test_wagtails_admin_has_its_own_policy_scripts_still_from_the_site_only(client, round_):  # noqa: F811
    client.force_login(round_.users["province"])
    for url in ["/admin/", "/admin/login/", reverse("wagtail_awards_award_modeladmin_index")]:
        policy = directives(client.get(url))
        assert policy["script-src"] == ["'self'"], url
        assert policy["style-src"] == ["'self'", "'unsafe-inline'"], url
        assert policy["frame-ancestors"] == ["'self'"], url


@override_settings(
    WAGTAIL_AWARDS_ADMIN_CONTENT_SECURITY_POLICY={"DIRECTIVES": {"default-src": ["'self'"], "script-src": ["'none'"]}}
)
def test_the_admin_policy_is_a_setting(client, round_):  # noqa: F811
    client.force_login(round_.users["province"])
    assert directives(client.get("/admin/")) == {"default-src": ["'self'"], "script-src": ["'none'"]}


def test_the_vote_device_cookie_is_secure_in_production(monkeypatch, round_):  # noqa: F811
    """Session, CSRF and language cookies were Secure in production; the vote's device cookie was not."""
    values = production_security_settings(monkeypatch)
    values.update(WAGTAIL_AWARDS_VOTERS=["insecure_device"], SECURE_SSL_REDIRECT=False)
    assert values["LANGUAGE_COOKIE_SECURE"] and values["SESSION_COOKIE_SECURE"] and values["CSRF_COOKIE_SECURE"]
    from tests.builders import bound_challenge

    with override_settings(**values):
        client = Client()
        key, _answer = bound_challenge(client, "vote")
        url = reverse("wagtail_awards:vote", args=[round_.call.pk, round_.apps["candidate"].pk])
        response = client.post(
            url,
            {"captcha_0": key, "captcha_1": "passed", "next": "/"},
            HTTP_HOST="awards.example.org",
            HTTP_X_FORWARDED_PROTO="https",
        )
    # A browser without a device is given a signed one with the refusal.
    assert response.status_code == 403
    assert response.cookies["awards_device"]["secure"] and response.cookies["awards_device"]["httponly"]


def test_the_production_settings_trust_one_proxy_for_the_client_address(monkeypatch):
    monkeypatch.setenv("SECRET_KEY", "x" * 50)
    import importlib
    import sys

    sys.modules.pop("example_site.settings.production", None)
    try:
        module = importlib.import_module("example_site.settings.production")
    finally:
        sys.modules.pop("example_site.settings.production", None)
    assert module.WAGTAIL_AWARDS_TRUSTED_PROXY_COUNT == 1 and module.WAGTAIL_AWARDS_TRUSTED_PROXIES == []
    assert module.SECURE_PROXY_SSL_HEADER == ("HTTP_X_FORWARDED_PROTO", "https")
