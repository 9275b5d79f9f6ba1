"""Script typed by anyone — applicants, recommenders, reviewers, the public — is shown escaped on every page.

Each text a user can enter gets its own payload; every public and admin page that shows it is read back, and must
carry the escaped payload and never the raw one.
"""

import datetime as dt
import os
from urllib.parse import quote

import pytest
from django.core.files.base import ContentFile
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from django.utils.html import escape
from wagtail.contrib.forms.utils import get_field_clean_name

from tests.builders import PDF, approve, bound_challenge, build_world, make_voting_page, register
from wagtail_awards.models import (
    Application,
    ApplicationFile,
    Award,
    CallPage,
    Membership,
    Objection,
    Organization,
    PublicityPage,
    ReviewAssignment,
)
from wagtail_awards.services import review as review_rules

pytestmark = pytest.mark.django_db

RAW = "<script>alert("


def payload(tag):
    """A text that breaks out of an attribute and opens a script, tagged with the field it was typed into."""
    return f'"><script>alert("{tag}")</script>'


def escaped(tag):
    return str(escape(payload(tag)))


def read(client, url, *tags, status=200):
    """GET ``url``; no raw script anywhere, and each of ``tags``' payloads shown escaped."""
    response = client.get(url)
    assert response.status_code == status, url
    html = response.content.decode()
    assert RAW not in html, url
    missing = [tag for tag in tags if escaped(tag) not in html]
    assert not missing, (url, missing)
    return html


def login(user):
    client = Client()
    client.force_login(user)
    return client


@pytest.fixture
def world(site_root):
    return build_world(site_root)


def test_every_user_text_is_escaped_wherever_it_is_shown(world):
    call, form_page = world.call, world.form_page

    # Registration: the applicant's name and a new unit's name.
    applicant = Client()
    response = register(
        applicant,
        "applicant@example.com",
        name=payload("person"),
        new_unit_name=payload("unit"),
        parent=world.orgs["nanjing"],
        note=payload("note"),
    )
    assert response.status_code == 302
    unit = Organization.objects.get(name=payload("unit"))
    # The approver reads the request (the unit's name, the note) before approving it.
    read(login(world.users["rec_nj"]), reverse("wagtail_awards_membership_modeladmin_index"), "unit", "person")
    membership = Membership.objects.get(organization=unit)
    read(
        login(world.users["rec_nj"]),
        reverse("wagtail_awards_admin:decide_membership", args=[membership.pk, "approve"]),
        "unit",
        "note",
    )
    approve(membership, by=world.users["rec_nj"])

    # The application: every fixed text field, the editor's fields, an uploaded file with an odd name.
    summary, leader = get_field_clean_name("项目简介"), get_field_clean_name("项目负责人")
    response = applicant.post(
        reverse("wagtail_awards:application_save", args=[form_page.pk]),
        {
            "token": "0b7f1c9e-3a52-4d61-8b9a-2f1e0c4d5a6b",
            "reviewing_unit": payload("reviewing"),
            "responsible_department": payload("department"),
            "unit_name": payload("unitname"),  # ignored: the unit's name comes from its organisation
            "project_name": payload("project"),
            "theme": "暖心聚力",
            summary: payload("summary"),
            leader: payload("leader"),
            "declaration": "on",
            "materials": [SimpleUploadedFile("O'Brien & Co <b>.pdf", PDF)],
            "action": "submit",
        },
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    application = Application.objects.get(call=call)
    assert application.status == "submitted" and application.organization == unit
    # The upload cleaner replaces < and >; a name stored by any other way must be escaped all the same.
    uploaded = application.files.get()
    assert uploaded.original_name == "O'Brien & Co _b_.pdf"
    ApplicationFile.objects.create(
        application=application,
        field_name="materials",
        file=ContentFile(PDF, name="x.pdf"),
        original_name=payload("file") + ".pdf",
        content_type="application/pdf",
        size=len(PDF),
        sha256="0" * 64,
    )
    Application.objects.filter(pk=application.pk).update(summary=payload("abstract"))

    texts = ("reviewing", "department", "unit", "project", "summary", "leader", "file")
    read(applicant, reverse("wagtail_awards:application_detail", args=[application.pk]), *texts, "person", "unit")
    html = read(applicant, reverse("wagtail_awards:application_submitted", args=[application.pk]), *texts)
    assert escape("O'Brien & Co _b_.pdf") in html
    read(applicant, reverse("wagtail_awards:my_applications"), "project", "person")
    # A draft again (withdrawn): the form shows every value back in its inputs.
    applicant.post(reverse("wagtail_awards:application_withdraw", args=[application.pk]), {"confirm": "1"})
    assert Application.objects.get(pk=application.pk).status == "withdrawn"
    read(applicant, f"{form_page.url}?application={application.pk}", *texts, "unit")
    Application.objects.filter(pk=application.pk).update(status="submitted")

    # Preliminary review: the recommender's comment.
    now = timezone.now()
    CallPage.objects.filter(pk=call.pk).update(
        application_deadline=now - dt.timedelta(minutes=1),
        recommendation_deadline=now + dt.timedelta(days=1),
        review_deadline=now + dt.timedelta(days=2),
    )
    recommender = login(world.users["rec_nj"])
    response = recommender.post(
        reverse("wagtail_awards_admin:decide", args=[application.pk]),
        {
            f"a{application.pk}-decision": "recommend",
            f"a{application.pk}-order": "1",
            f"a{application.pk}-comment": payload("recommendation"),
        },
    )
    assert response.status_code == 302
    review = f"{reverse('wagtail_awards_admin:recommend')}?call={call.pk}"
    read(recommender, review, "project", "unit", "recommendation")
    read(recommender, reverse("wagtail_awards_admin:decide", args=[application.pk]), "project", "recommendation")
    read(recommender, f"{reverse('wagtail_awards_admin:projects')}?call={call.pk}", "project")
    read(
        recommender,
        reverse("wagtail_awards_admin:project", args=[application.pk]),
        *texts,
        "abstract",
        "recommendation",
    )

    # Expert review: the reviewer's comment.
    province = login(world.users["province"])
    application.refresh_from_db()
    review_rules.assign(user=world.users["province"], application=application, reviewer=world.users["reviewer_seu"])
    item = ReviewAssignment.objects.get(application=application)
    reviewer = login(world.users["reviewer_seu"])
    scores = {f"criterion_{c.pk}": "90" for c in call.criteria.all()}
    response = reviewer.post(
        reverse("wagtail_awards_admin:score", args=[item.pk]), {**scores, "comment": payload("review")}
    )
    assert response.status_code == 302
    read(reviewer, reverse("wagtail_awards_admin:score", args=[item.pk]), "project", "review")
    read(reviewer, f"{reverse('wagtail_awards_admin:scores')}?call={call.pk}", "project")
    read(province, f"{reverse('wagtail_awards_admin:assignments')}?call={call.pk}", "project")
    read(province, f"{reverse('wagtail_awards_admin:scores')}?call={call.pk}", "project")
    read(province, f"{reverse('wagtail_awards_admin:ranking')}?call={call.pk}", "project", "unit")
    read(
        province,
        reverse("wagtail_awards_admin:project", args=[application.pk]),
        *texts,
        "abstract",
        "recommendation",
        "review",
    )
    review_rules.set_prizes(user=world.users["province"], call=call, prizes={application.pk: 1})

    # The admin's lists, inspect views and history of the round.
    read(province, reverse("wagtail_awards_application_modeladmin_index"), "project", "unit")
    read(province, reverse("wagtail_awards_application_modeladmin_inspect", args=[application.pk]), *texts, "unit")
    read(province, reverse("wagtail_awards_application_modeladmin_history", args=[application.pk]), "project", "person")
    read(province, reverse("wagtail_awards_organization_modeladmin_index"), "unit")
    read(province, reverse("wagtail_awards_membership_modeladmin_index"), "unit")
    read(province, reverse("wagtailadmin_home"))
    read(province, reverse("wagtailadmin_reports:site_history"), "project", "person")

    # The vote: candidates are shown with their names and summary.
    now = timezone.now()
    CallPage.objects.filter(pk=call.pk).update(
        voting_opens=now - dt.timedelta(hours=1), voting_closes=now + dt.timedelta(days=1)
    )
    voting_page = make_voting_page(CallPage.objects.get(pk=call.pk))
    read(Client(), voting_page.url, "project", "unit", "abstract")
    voter = login(world.users["voter"])
    vote_url = reverse("wagtail_awards:vote", args=[call.pk, application.pk])
    read(voter, vote_url, "project", "unit")
    # The page to return to after voting is given in the URL and put back into the form.
    read(voter, f"{vote_url}?next=/{quote(payload('next'))}", "next")
    read(Client(), f"{reverse('wagtail_awards:login')}?next=/{quote(payload('login'))}", "login")
    read(Client(), f"{reverse('wagtail_awards:register')}?next=/{quote(payload('register'))}", "register")
    read(province, reverse("wagtail_awards_admin:vote_audit", args=[call.pk]), "project")

    # Publicity: an objection from the public and a cancellation by the province administrator.
    CallPage.objects.filter(pk=call.pk).update(
        voting_closes=now - dt.timedelta(minutes=1), publicity_starts=now - dt.timedelta(minutes=30)
    )
    publicity_page = PublicityPage(title="公示", slug="publicity")
    CallPage.objects.get(pk=call.pk).add_child(instance=publicity_page)
    publicity_page.save_revision().publish()
    public = Client()
    read(public, publicity_page.url, "project", "unit")
    response = public.post(
        publicity_page.url,
        {
            "application": application.pk,
            "name": payload("objector"),
            "contact": payload("contact"),
            "content": payload("objection"),
            "captcha_0": bound_challenge(public, "objection")[0],
            "captcha_1": "passed",
        },
    )
    assert response.status_code == 302
    objection = Objection.objects.get()
    Objection.objects.filter(pk=objection.pk).update(finding=payload("finding"), reply=payload("reply"))
    read(province, reverse("wagtail_awards_objection_modeladmin_index"), "project", "objector", "contact")
    read(
        province,
        reverse("wagtail_awards_objection_modeladmin_inspect", args=[objection.pk]),
        "project",
        "objector",
        "contact",
        "objection",
        "finding",
        "reply",
    )
    award = Award.objects.get(application=application)
    read(province, reverse("wagtail_awards_award_modeladmin_index"), "project")
    read(province, reverse("wagtail_awards_admin:cancel_award", args=[award.pk]), "project")
    response = province.post(
        reverse("wagtail_awards_admin:cancel_award", args=[award.pk]),
        {"category": "false", "reason": payload("reason")},
    )
    assert response.status_code == 302
    read(public, publicity_page.url, "project", "unit", "reason")
    read(province, f"{reverse('wagtail_awards_admin:subsidies')}?call={call.pk}", "project", "unit")

    # The final list, after the period (the cancelled project is no longer listed).
    CallPage.objects.filter(pk=call.pk).update(publicity_starts=timezone.now() - dt.timedelta(days=30))
    assert CallPage.objects.get(pk=call.pk).publicity_countdown(now=timezone.now()).has_ended
    read(public, publicity_page.url)
    call_command("awards_finalise", stdout=open(os.devnull, "w"))
    read(public, publicity_page.url)
