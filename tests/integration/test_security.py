"""CSRF on every form of the site and the admin; security headers with the production settings."""

import datetime as dt
import importlib
import sys

import pytest
from django.core.files.base import ContentFile
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client, override_settings
from django.urls import reverse
from django.utils import timezone

from tests.builders import PDF, build_world, make_application, make_user
from wagtail_awards.models import ApplicationFile, Award, CallPage, Objection, PublicityPage, ReviewAssignment
from wagtail_awards.services import recommendation as rec_rules

pytestmark = pytest.mark.django_db

#: A CSRF token of the right form (a cookie and a form field carrying the same secret pass the check).
TOKEN = "Q" * 32


@pytest.fixture
def round_(site_root):
    world = build_world(site_root)
    call, unit, applicant = world.call, world.orgs["nj1"], world.users["applicant"]
    now = timezone.now()
    submitted = make_application(
        call, org=unit, applicant=applicant, recommending_organization=world.orgs["nanjing"], reference="2026-0001"
    )
    submitted.submitted_at = now
    submitted.save()
    draft = make_application(call, org=unit, applicant=applicant, status="draft", project_name="草稿")
    stored = ApplicationFile.objects.create(
        application=draft,
        field_name="materials",
        file=ContentFile(PDF, name="x.pdf"),
        original_name="申报书.pdf",
        content_type="application/pdf",
        size=len(PDF),
        sha256="0" * 64,
    )
    candidate = make_application(
        call, org=unit, applicant=applicant, recommending_organization=world.orgs["nanjing"], status="recommended"
    )
    assignment = ReviewAssignment.objects.create(application=candidate, reviewer=world.users["reviewer_seu"])
    award = Award.objects.create(application=make_application(call, status="proposed"), prize_rank=1)
    objection = Objection.objects.create(application=award.application, name="张", contact="1", content="异议")
    CallPage.objects.filter(pk=call.pk).update(
        voting_opens=now - dt.timedelta(hours=1),
        voting_closes=now + dt.timedelta(days=1),
        publicity_starts=now - dt.timedelta(hours=1),
    )
    publicity_page = PublicityPage(title="公示", slug="publicity")
    call.add_child(instance=publicity_page)
    publicity_page.save_revision().publish()
    rec_list = rec_rules.get_list(call=call, organization=world.orgs["nanjing"])
    world.apps.update(submitted=submitted, draft=draft, candidate=candidate)
    world.awards["award"] = award
    world.publicity_page = publicity_page
    world.extra.update(file=stored, assignment=assignment, objection=objection, rec_list=rec_list)
    return world


def endpoints(w):
    """(name, user key or None, url, data) of every POST the site and the app's admin screens take."""
    call, form_page = w.call, w.form_page
    save = reverse("wagtail_awards:application_save", args=[form_page.pk])
    review = "wagtail_awards_admin:"
    return [
        ("register", None, reverse("wagtail_awards:register"), {"account-username": "x"}),
        ("login", None, reverse("wagtail_awards:login"), {"username": "applicant", "password": "pw"}),
        ("logout", "applicant", reverse("wagtail_awards:logout"), {}),
        ("password reset", None, reverse("wagtail_awards:password_reset"), {"email": "a@example.com"}),
        ("choose unit", "applicant", reverse("wagtail_awards:choose_unit"), {"unit-new_unit_name": "新单位"}),
        ("save draft", "applicant", save, {"action": "save", "project_name": "新项目"}),
        ("submit", "applicant", save, {"action": "submit", "application": w.apps["draft"].pk}),
        (
            "upload",
            "applicant",
            save,
            {"application": w.apps["draft"].pk, "materials": SimpleUploadedFile("a.pdf", PDF)},
        ),
        ("remove file", "applicant", save, {"application": w.apps["draft"].pk, "remove_files": w.extra["file"].pk}),
        ("withdraw", "applicant", reverse("wagtail_awards:application_withdraw", args=[w.apps["submitted"].pk]), {}),
        ("form page", "applicant", form_page.url, {"project_name": "x"}),
        (
            "vote",
            "voter",
            reverse("wagtail_awards:vote", args=[call.pk, w.apps["candidate"].pk]),
            {"captcha_1": "passed"},
        ),
        ("objection", None, w.publicity_page.url, {"application": w.awards["award"].application_id, "name": "x"}),
        (
            "objection form",
            None,
            reverse("wagtail_awards:objection", args=[w.publicity_page.pk]),
            {"application": w.awards["award"].application_id, "name": "x"},
        ),
        ("admin login", None, reverse("wagtailadmin_login"), {"username": "province", "password": "pw"}),
        ("recommend", "rec_nj", reverse(review + "decide", args=[w.apps["candidate"].pk]), {"decision": "x"}),
        ("submit list", "rec_nj", reverse(review + "submit_list"), {"org": w.orgs["nanjing"].pk, "call": call.pk}),
        ("unlock list", "province", reverse(review + "unlock_list", args=[w.extra["rec_list"].pk]), {"reason": "x"}),
        ("assign", "province", reverse(review + "assign", args=[w.apps["candidate"].pk]), {"reviewer": ""}),
        ("auto assign", "province", reverse(review + "auto_assign"), {"k": "2", "call": call.pk}),
        ("score", "reviewer_seu", reverse(review + "score", args=[w.extra["assignment"].pk]), {"comment": "x"}),
        ("unassign", "province", reverse(review + "unassign", args=[w.extra["assignment"].pk]), {}),
        ("prizes", "province", reverse(review + "ranking"), {"call": call.pk}),
        (
            "cancel award",
            "province",
            reverse("wagtail_awards_admin:cancel_award", args=[w.awards["award"].pk]),
            {"reason": "x"},
        ),
        ("edit award", "province", reverse("wagtail_awards_award_modeladmin_edit", args=[w.awards["award"].pk]), {}),
        (
            "handle objection",
            "province",
            reverse("wagtail_awards_objection_modeladmin_edit", args=[w.extra["objection"].pk]),
            {"status": "checking"},
        ),
        ("invalidate votes", "province", reverse("wagtail_awards_admin:vote_audit", args=[call.pk]), {"reason": "x"}),
        ("import past awards", "province", reverse("wagtail_awards_admin:import_past_awards"), {}),
        ("add organisation", "province", reverse("wagtail_awards_organization_modeladmin_create"), {"name": "x"}),
    ]


def client_for(world, user_key, *, token):
    client = Client(enforce_csrf_checks=True)
    if user_key:
        client.force_login(world.users[user_key])
    if token:
        client.cookies["csrftoken"] = TOKEN
    return client


def test_every_form_refuses_a_post_without_a_csrf_token(round_):
    for name, user_key, url, data in endpoints(round_):
        response = client_for(round_, user_key, token=False).post(url, data)
        assert response.status_code == 403, name
        # The same request with a token passes the check (whatever the view then answers), so the 403 was CSRF.
        response = client_for(round_, user_key, token=True).post(url, {**data, "csrfmiddlewaretoken": TOKEN})
        assert response.status_code != 403, (name, response.status_code)


def test_a_wrong_csrf_token_is_refused_too(round_):
    client = client_for(round_, "applicant", token=True)
    save = reverse("wagtail_awards:application_save", args=[round_.form_page.pk])
    response = client.post(save, {"action": "save", "project_name": "x", "csrfmiddlewaretoken": "R" * 32})
    assert response.status_code == 403
    assert not round_.call.applications.filter(project_name="x").exists()


# Security headers


def production_security_settings(monkeypatch):
    """The security settings of ``example_site.settings.production``, read from the module itself."""
    monkeypatch.setenv("SECRET_KEY", "x" * 50)
    monkeypatch.setenv("ALLOWED_HOSTS", "awards.example.org")
    sys.modules.pop("example_site.settings.production", None)
    try:
        module = importlib.import_module("example_site.settings.production")
    finally:
        sys.modules.pop("example_site.settings.production", None)
    names = [n for n in dir(module) if n.startswith("SECURE_") or n.endswith("_COOKIE_SECURE")]
    values = {name: getattr(module, name) for name in [*names, "X_FRAME_OPTIONS"]}
    values["ALLOWED_HOSTS"] = ["awards.example.org"]
    return values


@pytest.fixture
def production(monkeypatch):
    values = production_security_settings(monkeypatch)
    with override_settings(**values):
        yield values


def https_get(client, url):
    return client.get(url, HTTP_HOST="awards.example.org", HTTP_X_FORWARDED_PROTO="https")


@pytest.mark.parametrize("url", ["/", "/awards/accounts/login/", "/admin/login/", "/awards/vote/challenge/"])
def test_production_settings_send_the_security_headers(production, site_root, url):
    response = https_get(Client(), url)
    assert response.status_code in (200, 302), url
    assert response["X-Frame-Options"] == "DENY"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Strict-Transport-Security"] == "max-age=31536000; includeSubDomains; preload"
    assert response["Referrer-Policy"] == "same-origin"
    assert response["Cross-Origin-Opener-Policy"] == "same-origin"


def test_production_settings_redirect_plain_http_and_keep_cookies_secure(production, site_root):
    response = Client().get("/awards/accounts/login/", HTTP_HOST="awards.example.org")
    assert response.status_code == 301
    assert response["Location"] == "https://awards.example.org/awards/accounts/login/"
    response = https_get(Client(), "/awards/accounts/login/")
    assert response.cookies["csrftoken"]["secure"]
    make_user("someone", password="Some-Password-1")
    client = Client()
    response = client.post(
        "/awards/accounts/login/",
        {"username": "someone", "password": "Some-Password-1"},
        HTTP_HOST="awards.example.org",
        HTTP_X_FORWARDED_PROTO="https",
    )
    assert response.status_code == 302
    assert response.cookies["sessionid"]["secure"] and response.cookies["sessionid"]["httponly"]


def test_pages_cannot_be_framed_even_without_the_production_settings(site_root, client):
    assert client.get("/")["X-Frame-Options"] == "DENY"
