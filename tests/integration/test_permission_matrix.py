"""The permission matrix of the whole app, as a data table: every screen and export of the site and the admin
(Wagtail's own site history report included) × every role × the role's own object and somebody else's.

Each row of :data:`MATRIX` names a request and, per role, what it must give for the *own* object and the *other*
one: ``ok`` (allowed: the object is shown, or the action takes effect), ``hidden`` (a list that answers but
leaves the object out), ``no`` (refused: 403, 404, or sent to a login or the admin home). Every cell runs in a
savepoint that is rolled back, so actions do not leak into the next cell; a failure names its cells.
"""

import datetime as dt
from dataclasses import dataclass

import pytest
from django.contrib.auth.models import Group
from django.core.files.base import ContentFile
from django.db import transaction
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from wagtail.log_actions import log

from tests.builders import World, add_vote, build_world, make_application, make_user
from wagtail_awards.enums import ApplicationStatus, MembershipStatus, Role
from wagtail_awards.models import (
    Application,
    ApplicationFile,
    ApplicationFormPage,
    Award,
    CalendarException,
    EligibleVoter,
    Membership,
    Objection,
    PastAward,
    Recommendation,
    RecommendationList,
    ReviewAssignment,
    VotingCode,
)

pytestmark = pytest.mark.django_db

ROLES = ("province", "recommender", "reviewer", "applicant", "pending", "removed", "voter", "editor", "anonymous")

# Markers: unique project names, found in a page when it shows the object.
OWN, OTHER = "矩阵本市在评项目", "矩阵外市在评项目"
OWN_DRAFT, OTHER_DRAFT = "矩阵本单位草稿", "矩阵外单位草稿"
OWN_SUBMITTED, OTHER_SUBMITTED = "矩阵本单位已申报", "矩阵外单位已申报"
PDF = b"%PDF-1.4\n1 0 obj<</Type/Catalog>>endobj\ntrailer<</Root 1 0 R>>\n%%EOF\n"


def _file(application, name):
    item = ApplicationFile(
        application=application,
        field_name="materials",
        original_name=name,
        content_type="application/pdf",
        size=len(PDF),
        sha256="0" * 64,
    )
    item.file.save(name, ContentFile(PDF), save=False)
    item.save()
    return item


#: The world's person in each role of the matrix (but the pending and removed members and the editor, added here).
ROLE_USERS = {
    "province": "province",
    "recommender": "rec_nj",
    "reviewer": "reviewer_seu",
    "applicant": "applicant_nj2",
    "pending": "pending",
    "removed": "removed",
    "voter": "voter",
    "editor": "editor",
}


def with_objects(site_root) -> World:
    """The world in review, its vote and publicity open too, with a call open for applications beside it, and an
    own and an other object of every kind: own ones of 南京市金陵中学工会 under the Nanjing union, other ones of
    苏州中学工会 under the Suzhou union."""
    now = timezone.now()
    world = build_world(
        site_root,
        stage="review",
        now=now,
        year=2025,
        voting_opens=now - dt.timedelta(days=1),
        voting_closes=now + dt.timedelta(days=1),
        publicity_starts=now - dt.timedelta(hours=1),
    )
    round_call = world.call
    nanjing, suzhou, school, sz_school = (world.orgs[key] for key in ("nanjing", "suzhou", "nj2", "sz1"))
    users = world.users
    for username, status in (("pending", MembershipStatus.PENDING), ("removed", MembershipStatus.REMOVED)):
        users[username] = make_user(username, email=f"{username}@example.com")
        Membership.objects.create(user=users[username], organization=school, role=Role.APPLICANT, status=status)
    users["editor"] = make_user("editor", email="editor@example.com")
    users["editor"].groups.add(Group.objects.get(name="Editors"))

    # A call open for applications (from yesterday to five days ahead), its form page published.
    opening = build_world(site_root, year=2026, now=now, beside=world)
    open_call, form_page = opening.call, opening.form_page

    def app(call, org, name, status, applicant):
        return make_application(
            call,
            org=org,
            applicant=applicant,
            recommending_organization=org.recommending_organization,
            project_name=name,
            status=status,
            submitted_at=None if status == ApplicationStatus.DRAFT else now - dt.timedelta(days=3),
            reference=None if status == ApplicationStatus.DRAFT else f"{call.year}-M{len(name)}{name[2]}",
        )

    own = app(round_call, school, OWN, ApplicationStatus.RECOMMENDED, users["applicant_nj2"])
    other = app(round_call, sz_school, OTHER, ApplicationStatus.RECOMMENDED, users["applicant_sz1"])
    objects = {
        "round_call": round_call,
        "form_page": ApplicationFormPage.objects.get(pk=form_page.pk),
        "own": own,
        "other": other,
        "own_draft": app(open_call, school, OWN_DRAFT, ApplicationStatus.DRAFT, users["applicant_nj2"]),
        "other_draft": app(open_call, sz_school, OTHER_DRAFT, ApplicationStatus.DRAFT, users["applicant_sz1"]),
        "own_submitted": app(open_call, school, OWN_SUBMITTED, ApplicationStatus.SUBMITTED, users["applicant_nj2"]),
        "other_submitted": app(
            open_call, sz_school, OTHER_SUBMITTED, ApplicationStatus.SUBMITTED, users["applicant_sz1"]
        ),
        "nanjing": nanjing,
        "suzhou": suzhou,
        "school": school,
        "sz_school": sz_school,
    }
    objects["own_file"], objects["other_file"] = _file(own, "own.pdf"), _file(other, "other.pdf")
    objects["own_draft_file"] = _file(objects["own_draft"], "own-draft.pdf")
    objects["other_draft_file"] = _file(objects["other_draft"], "other-draft.pdf")
    objects["own_assignment"] = ReviewAssignment.objects.create(application=own, reviewer=users["reviewer_seu"])
    objects["other_assignment"] = ReviewAssignment.objects.create(application=other, reviewer=users["reviewer_prov"])
    objects["own_list"] = RecommendationList.objects.create(call=round_call, organization=nanjing, submitted_at=now)
    objects["other_list"] = RecommendationList.objects.create(call=round_call, organization=suzhou, submitted_at=now)
    for key in ("own", "other"):
        objects[f"{key}_recommendation"] = Recommendation.objects.create(
            recommendation_list=objects[f"{key}_list"], application=objects[key], decision="recommend"
        )
    for key, name in (("own", OWN), ("other", OTHER)):
        objects[f"{key}_past_award"] = PastAward.objects.create(year=2019, project_name=name, unit_name=name)
    objects["own_exception"] = CalendarException.objects.create(day="2025-10-11", is_working_day=True, note=OWN)
    objects["other_exception"] = CalendarException.objects.create(day="2025-09-28", is_working_day=True, note=OTHER)
    for key, unit, letter in (("own", nanjing, "a"), ("other", suzhou, "b")):
        objects[f"{key}_code"] = VotingCode.objects.create(
            call=round_call, organization=unit, number=1, code_hash=letter * 64
        )
        objects[f"{key}_voter"] = EligibleVoter.objects.create(email=f"{key}-voter@example.org", organization=unit)
    for key in ("own", "other"):
        objects[f"{key}_vote"] = add_vote(round_call, objects[key], f"matrix-{key}")
    objects["own_award"] = Award.objects.create(application=own, prize_rank=1)
    objects["other_award"] = Award.objects.create(application=other, prize_rank=1)
    objects["own_objection"] = Objection.objects.create(application=own, name="王", contact="1", content=OWN)
    objects["other_objection"] = Objection.objects.create(application=other, name="李", contact="2", content=OTHER)
    for key in ("own_objection", "other_objection"):
        objects[key].file.save("evidence.pdf", ContentFile(PDF))
    objects["own_request"] = Membership.objects.create(
        user=make_user("asks-nanjing", first_name=OWN), organization=school, role=Role.APPLICANT, status="pending"
    )
    objects["other_request"] = Membership.objects.create(
        user=make_user("asks-suzhou", first_name=OTHER), organization=sz_school, role=Role.APPLICANT, status="pending"
    )
    # The round's history: one log entry per application, with its project's name as the label.
    for key in ("own", "other", "own_draft"):
        log(objects[key], "wagtail_awards.status", user=users["province"], data={"from": "a", "to": "b"})
    world.extra.update(objects)
    return world


# What a request gives


def _text(response):
    content = b"".join(response.streaming_content) if response.streaming else response.content
    return content.decode("utf-8", errors="replace")


def refused(response):
    if response.status_code in (403, 404):
        return True
    location = response.get("Location", "")
    return response.status_code == 302 and (
        location.split("?")[0] in (reverse("wagtailadmin_home"), reverse("wagtailadmin_login"))
        or location.startswith(reverse("wagtail_awards:login"))
        or location.startswith(reverse("wagtailadmin_login"))
    )


def outcome_of_get(response, marker):
    if refused(response):
        return "no"
    if response.status_code == 200:
        return "ok" if marker in _text(response) else "hidden"
    return f"status {response.status_code}"


@dataclass
class Row:
    """One request of the matrix. ``url(world, target)``; ``marker(world, target)`` for GETs; for POSTs
    ``data(world, target)`` and ``done(world, target)`` telling whether the action took effect."""

    url: object
    marker: object = None
    method: str = "get"
    data: object = None
    done: object = None
    #: Puts the world in the state the action needs (inside the cell's savepoint).
    setup: object = None

    def outcome(self, client, world, target):
        if self.setup:
            self.setup(world)
        url = self.url(world, target)
        if self.method == "get":
            return outcome_of_get(client.get(url), self.marker(world, target))
        response = client.post(url, self.data(world, target) if self.data else {})
        if refused(response):
            return "no"
        if response.status_code in (200, 302, 303) and self.done(world, target):
            return "ok"
        return f"status {response.status_code}, not done"


def o(world, name):
    return world.extra[name]


def refreshed(obj):
    return type(obj).objects.get(pk=obj.pk)


# Rows: what each request is. Targets name objects by "own" and "other" (suffixes are added per row).
ROWS = {
    # Site
    "site: my applications": Row(
        url=lambda w, t: reverse("wagtail_awards:my_applications"),
        marker=lambda w, t: OWN_DRAFT if t == "own" else OTHER_DRAFT,
    ),
    "site: application detail (in the round)": Row(
        url=lambda w, t: reverse("wagtail_awards:application_detail", args=[o(w, t).pk]),
        marker=lambda w, t: o(w, t).project_name,
    ),
    "site: application detail (draft)": Row(
        url=lambda w, t: reverse("wagtail_awards:application_detail", args=[o(w, f"{t}_draft").pk]),
        marker=lambda w, t: o(w, f"{t}_draft").project_name,
    ),
    "site: edit form of a draft": Row(
        url=lambda w, t: f"{o(w, 'form_page').url}?application={o(w, f'{t}_draft').pk}",
        marker=lambda w, t: o(w, f"{t}_draft").project_name,
    ),
    "site: save a draft": Row(
        method="post",
        url=lambda w, t: reverse("wagtail_awards:application_save", args=[o(w, "form_page").pk]),
        data=lambda w, t: {"application": o(w, f"{t}_draft").pk, "project_name": "改过的名称", "action": "save"},
        done=lambda w, t: refreshed(o(w, f"{t}_draft")).project_name == "改过的名称",
    ),
    "site: withdraw": Row(
        method="post",
        url=lambda w, t: reverse("wagtail_awards:application_withdraw", args=[o(w, f"{t}_submitted").pk]),
        data=lambda w, t: {"confirm": "1"},  # withdrawing asks first; the matrix sends the confirmed request
        done=lambda w, t: refreshed(o(w, f"{t}_submitted")).status == ApplicationStatus.WITHDRAWN,
    ),
    "site: file of an application in the round": Row(
        url=lambda w, t: reverse("wagtail_awards:application_file", args=[o(w, f"{t}_file").pk]),
        marker=lambda w, t: "%PDF",
    ),
    "site: file of a draft": Row(
        url=lambda w, t: reverse("wagtail_awards:application_file", args=[o(w, f"{t}_draft_file").pk]),
        marker=lambda w, t: "%PDF",
    ),
    # Admin: applications (评优 → 申报)
    "admin: applications list": Row(
        url=lambda w, t: reverse("wagtail_awards_application_modeladmin_index"),
        marker=lambda w, t: o(w, t).project_name,
    ),
    "admin: applications list never shows drafts": Row(
        url=lambda w, t: reverse("wagtail_awards_application_modeladmin_index"),
        marker=lambda w, t: o(w, f"{t}_draft").project_name,
    ),
    "admin: application edit (never)": Row(
        url=lambda w, t: reverse("wagtail_awards_application_modeladmin_edit", args=[o(w, t).pk]),
        marker=lambda w, t: o(w, t).project_name,
    ),
    "admin: application inspect": Row(
        url=lambda w, t: reverse("wagtail_awards_application_modeladmin_inspect", args=[o(w, t).pk]),
        marker=lambda w, t: o(w, t).project_name,
    ),
    "admin: application history": Row(
        url=lambda w, t: reverse("wagtail_awards_application_modeladmin_history", args=[o(w, t).pk]),
        marker=lambda w, t: "状态",
    ),
    # Admin: the round (评审)
    "review: projects": Row(
        url=lambda w, t: reverse("wagtail_awards_admin:projects") + f"?call={o(w, 'round_call').pk}",
        marker=lambda w, t: o(w, t).project_name,
    ),
    "review: projects export": Row(
        url=lambda w, t: reverse("wagtail_awards_admin:projects") + f"?call={o(w, 'round_call').pk}&export=csv",
        marker=lambda w, t: o(w, t).project_name,
    ),
    "review: project": Row(
        url=lambda w, t: reverse("wagtail_awards_admin:project", args=[o(w, t).pk]),
        marker=lambda w, t: o(w, t).project_name,
    ),
    "review: recommendation list": Row(
        url=lambda w, t: (
            reverse("wagtail_awards_admin:recommend")
            + f"?call={o(w, 'round_call').pk}&org={o(w, 'nanjing' if t == 'own' else 'suzhou').pk}"
        ),
        marker=lambda w, t: o(w, t).project_name,
    ),
    "review: recommendation export": Row(
        url=lambda w, t: (
            reverse("wagtail_awards_admin:recommend")
            + f"?call={o(w, 'round_call').pk}&org={o(w, 'nanjing' if t == 'own' else 'suzhou').pk}&export=csv"
        ),
        marker=lambda w, t: o(w, t).project_name,
    ),
    "review: decide": Row(
        method="post",
        url=lambda w, t: reverse("wagtail_awards_admin:decide", args=[o(w, t).pk]),
        setup=lambda w: RecommendationList.objects.update(submitted_at=None),
        data=lambda w, t: {f"a{o(w, t).pk}-decision": "not_recommend", f"a{o(w, t).pk}-comment": "矩阵"},
        done=lambda w, t: refreshed(o(w, t)).status == ApplicationStatus.NOT_RECOMMENDED,
    ),
    "review: submit a list": Row(
        method="post",
        setup=lambda w: RecommendationList.objects.update(submitted_at=None),
        url=lambda w, t: reverse("wagtail_awards_admin:submit_list") + f"?call={o(w, 'round_call').pk}",
        data=lambda w, t: {"org": o(w, "nanjing" if t == "own" else "suzhou").pk, "confirm": "1"},
        done=lambda w, t: refreshed(o(w, f"{t}_list")).submitted_at is not None,
    ),
    "review: unlock a list": Row(
        method="post",
        url=lambda w, t: reverse("wagtail_awards_admin:unlock_list", args=[o(w, f"{t}_list").pk]),
        data=lambda w, t: {"reason": "矩阵"},
        done=lambda w, t: refreshed(o(w, f"{t}_list")).submitted_at is None,
    ),
    "review: assignments": Row(
        url=lambda w, t: reverse("wagtail_awards_admin:assignments") + f"?call={o(w, 'round_call').pk}",
        marker=lambda w, t: o(w, t).project_name,
    ),
    "review: assign a reviewer": Row(
        method="post",
        url=lambda w, t: reverse("wagtail_awards_admin:assign", args=[o(w, t).pk]),
        data=lambda w, t: {"reviewer": w.users["reviewer_prov" if t == "own" else "reviewer_seu"].pk},
        done=lambda w, t: ReviewAssignment.objects.filter(application=o(w, t)).count() == 2,
    ),
    "review: scores": Row(
        url=lambda w, t: reverse("wagtail_awards_admin:scores") + f"?call={o(w, 'round_call').pk}",
        marker=lambda w, t: o(w, t).project_name,
    ),
    "review: scores export": Row(
        url=lambda w, t: reverse("wagtail_awards_admin:scores") + f"?call={o(w, 'round_call').pk}&export=csv",
        marker=lambda w, t: o(w, t).project_name,
    ),
    "review: score a project": Row(
        url=lambda w, t: reverse("wagtail_awards_admin:score", args=[o(w, f"{t}_assignment").pk]),
        marker=lambda w, t: o(w, t).project_name,
    ),
    "review: save scores": Row(
        method="post",
        url=lambda w, t: reverse("wagtail_awards_admin:score", args=[o(w, f"{t}_assignment").pk]),
        data=lambda w, t: {f"criterion_{c.pk}": "50" for c in o(w, "round_call").criteria.all()},
        done=lambda w, t: refreshed(o(w, f"{t}_assignment")).submitted_at is not None,
    ),
    "review: save prizes": Row(
        method="post",
        setup=lambda w: Application.objects.filter(pk__in=[o(w, "own").pk, o(w, "other").pk]).update(
            status=ApplicationStatus.PROPOSED
        ),
        url=lambda w, t: reverse("wagtail_awards_admin:ranking") + f"?call={o(w, 'round_call').pk}",
        data=lambda w, t: {f"prize_{o(w, t).pk}": ""},
        done=lambda w, t: not Award.objects.filter(application=o(w, t), prize_rank__isnull=False).exists(),
    ),
    "review: ranking": Row(
        url=lambda w, t: reverse("wagtail_awards_admin:ranking") + f"?call={o(w, 'round_call').pk}",
        marker=lambda w, t: o(w, t).project_name,
    ),
    "review: ranking export": Row(
        url=lambda w, t: reverse("wagtail_awards_admin:ranking") + f"?call={o(w, 'round_call').pk}&export=csv",
        marker=lambda w, t: o(w, t).project_name,
    ),
    "review: recommendation lists": Row(
        url=lambda w, t: reverse("wagtail_awards_recommendationlist_modeladmin_index"),
        marker=lambda w, t: o(w, "nanjing" if t == "own" else "suzhou").name,
    ),
    "review: recommendation lists export": Row(
        url=lambda w, t: reverse("wagtail_awards_recommendationlist_modeladmin_index") + "?export=csv",
        marker=lambda w, t: o(w, "nanjing" if t == "own" else "suzhou").name,
    ),
    "review: recommendation list inspect": Row(
        url=lambda w, t: reverse("wagtail_awards_recommendationlist_modeladmin_inspect", args=[o(w, f"{t}_list").pk]),
        marker=lambda w, t: o(w, "nanjing" if t == "own" else "suzhou").name,
    ),
    "review: recommendation decisions": Row(
        url=lambda w, t: reverse("wagtail_awards_recommendation_modeladmin_index"),
        marker=lambda w, t: o(w, t).project_name,
    ),
    "review: recommendation decisions export": Row(
        url=lambda w, t: reverse("wagtail_awards_recommendation_modeladmin_index") + "?export=csv",
        marker=lambda w, t: o(w, t).project_name,
    ),
    "review: recommendation decision inspect": Row(
        url=lambda w, t: reverse(
            "wagtail_awards_recommendation_modeladmin_inspect", args=[o(w, f"{t}_recommendation").pk]
        ),
        marker=lambda w, t: o(w, t).project_name,
    ),
    "review: review assignments": Row(
        url=lambda w, t: reverse("wagtail_awards_reviewassignment_modeladmin_index"),
        marker=lambda w, t: o(w, t).project_name,
    ),
    "review: review assignments export": Row(
        url=lambda w, t: reverse("wagtail_awards_reviewassignment_modeladmin_index") + "?export=csv",
        marker=lambda w, t: o(w, t).project_name,
    ),
    "review: review assignment inspect": Row(
        url=lambda w, t: reverse(
            "wagtail_awards_reviewassignment_modeladmin_inspect", args=[o(w, f"{t}_assignment").pk]
        ),
        marker=lambda w, t: o(w, t).project_name,
    ),
    "admin: home page panel": Row(url=lambda w, t: reverse("wagtailadmin_home"), marker=lambda w, t: "awards-round"),
    # Admin: publicity and the vote
    "publicity: awards": Row(
        url=lambda w, t: reverse("wagtail_awards_award_modeladmin_index"), marker=lambda w, t: o(w, t).project_name
    ),
    "publicity: cancel an award": Row(
        method="post",
        url=lambda w, t: reverse("wagtail_awards_admin:cancel_award", args=[o(w, f"{t}_award").pk]),
        setup=lambda w: Application.objects.filter(pk__in=[o(w, "own").pk, o(w, "other").pk]).update(
            status=ApplicationStatus.PROPOSED
        ),
        data=lambda w, t: {"category": "misreported", "reason": "矩阵"},
        done=lambda w, t: refreshed(o(w, f"{t}_award")).status == "cancelled",
    ),
    "publicity: objections": Row(
        url=lambda w, t: reverse("wagtail_awards_objection_modeladmin_index"),
        marker=lambda w, t: o(w, t).project_name,
    ),
    "publicity: objection evidence": Row(
        url=lambda w, t: reverse("wagtail_awards_admin:objection_file", args=[o(w, f"{t}_objection").pk]),
        marker=lambda w, t: "%PDF",
    ),
    "publicity: subsidies": Row(
        url=lambda w, t: reverse("wagtail_awards_admin:subsidies") + f"?call={o(w, 'round_call').pk}",
        marker=lambda w, t: o(w, t).project_name,
    ),
    "publicity: subsidies export": Row(
        url=lambda w, t: reverse("wagtail_awards_admin:subsidies") + f"?call={o(w, 'round_call').pk}&format=xlsx",
        marker=lambda w, t: "",
    ),
    "vote: audit": Row(
        url=lambda w, t: reverse("wagtail_awards_admin:vote_audit", args=[o(w, "round_call").pk]),
        marker=lambda w, t: o(w, t).project_name,
    ),
    "vote: audit index": Row(
        url=lambda w, t: reverse("wagtail_awards_admin:vote_audit_index"), marker=lambda w, t: o(w, "round_call").title
    ),
    "vote: invalidate votes": Row(
        method="post",
        url=lambda w, t: reverse("wagtail_awards_admin:vote_audit", args=[o(w, "round_call").pk]),
        data=lambda w, t: {"voter_key": f"matrix-{t}", "reason": "矩阵"},
        done=lambda w, t: not refreshed(o(w, f"{t}_vote")).valid,
    ),
    "vote: vote records": Row(
        url=lambda w, t: reverse("wagtail_awards_vote_modeladmin_index"), marker=lambda w, t: o(w, t).project_name
    ),
    "vote: vote records export": Row(
        url=lambda w, t: reverse("wagtail_awards_vote_modeladmin_index") + "?export=csv",
        marker=lambda w, t: o(w, t).project_name,
    ),
    "vote: vote record inspect": Row(
        url=lambda w, t: reverse("wagtail_awards_vote_modeladmin_inspect", args=[o(w, f"{t}_vote").pk]),
        marker=lambda w, t: o(w, t).project_name,
    ),
    # Admin: people and records
    "people: members and requests": Row(
        url=lambda w, t: reverse("wagtail_awards_membership_modeladmin_index"),
        marker=lambda w, t: OWN if t == "own" else OTHER,
    ),
    "people: membership inspect": Row(
        url=lambda w, t: reverse("wagtail_awards_membership_modeladmin_inspect", args=[o(w, f"{t}_request").pk]),
        marker=lambda w, t: o(w, f"{t}_request").user.get_username(),
    ),
    "people: approve a request": Row(
        method="post",
        url=lambda w, t: reverse("wagtail_awards_admin:decide_membership", args=[o(w, f"{t}_request").pk, "approve"]),
        done=lambda w, t: refreshed(o(w, f"{t}_request")).status == MembershipStatus.APPROVED,
    ),
    "people: issue an invitation": Row(
        url=lambda w, t: reverse("wagtail_awards_admin:invite"),
        marker=lambda w, t: o(w, "school" if t == "own" else "sz_school").name,
    ),
    "records: organisations": Row(
        url=lambda w, t: reverse("wagtail_awards_organization_modeladmin_index"),
        marker=lambda w, t: o(w, "school" if t == "own" else "sz_school").name,
    ),
    "records: past awards": Row(
        url=lambda w, t: reverse("wagtail_awards_pastaward_modeladmin_index"), marker=lambda w, t: "pastaward"
    ),
    "records: past awards import": Row(
        url=lambda w, t: reverse("wagtail_awards_admin:import_past_awards"), marker=lambda w, t: 'type="file"'
    ),
    "voters: voting codes": Row(
        url=lambda w, t: reverse("wagtail_awards_votingcode_modeladmin_index"), marker=lambda w, t: "votingcode"
    ),
    "voters: generate voting codes": Row(
        url=lambda w, t: reverse("wagtail_awards_admin:generate_voting_codes"), marker=lambda w, t: 'name="count"'
    ),
    "voters: voting code inspect": Row(
        url=lambda w, t: reverse("wagtail_awards_votingcode_modeladmin_inspect", args=[o(w, f"{t}_code").pk]),
        marker=lambda w, t: o(w, f"{t}_code").organization.name,
    ),
    "voters: voter inspect": Row(
        url=lambda w, t: reverse("wagtail_awards_eligiblevoter_modeladmin_inspect", args=[o(w, f"{t}_voter").pk]),
        marker=lambda w, t: o(w, f"{t}_voter").email,
    ),
    "voters: voter roll": Row(
        url=lambda w, t: reverse("wagtail_awards_eligiblevoter_modeladmin_index"), marker=lambda w, t: "eligiblevoter"
    ),
    "voters: mark staff as voters": Row(
        url=lambda w, t: reverse("wagtail_awards_admin:mark_voters"), marker=lambda w, t: 'name="units"'
    ),
    "records: working-day exceptions": Row(
        url=lambda w, t: reverse("wagtail_awards_calendarexception_modeladmin_index"),
        marker=lambda w, t: "calendarexception",
    ),
    "records: past award inspect": Row(
        url=lambda w, t: reverse("wagtail_awards_pastaward_modeladmin_inspect", args=[o(w, f"{t}_past_award").pk]),
        marker=lambda w, t: o(w, f"{t}_past_award").project_name,
    ),
    "records: working-day exception inspect": Row(
        url=lambda w, t: reverse(
            "wagtail_awards_calendarexception_modeladmin_inspect", args=[o(w, f"{t}_exception").pk]
        ),
        marker=lambda w, t: o(w, f"{t}_exception").note,
    ),
    # Wagtail's own report
    "wagtail: site history": Row(
        url=lambda w, t: reverse("wagtailadmin_reports:site_history"), marker=lambda w, t: o(w, t).project_name
    ),
    "wagtail: site history export": Row(
        url=lambda w, t: reverse("wagtailadmin_reports:site_history") + "?export=csv",
        marker=lambda w, t: o(w, t).project_name,
    ),
    "wagtail: site history never shows drafts' entries but to province": Row(
        url=lambda w, t: reverse("wagtailadmin_reports:site_history") + "?export=csv",
        marker=lambda w, t: OWN_DRAFT,
    ),
}

# Expected outcomes: per row, per role (in ROLES order), "own/other".
#              province      recommender   reviewer      applicant     pending  removed  voter    editor       anonymous
MATRIX = {
    "site: my applications": "hidden/hidden hidden/hidden hidden/hidden ok/hidden hidden/hidden hidden/hidden hidden/hidden hidden/hidden no/no",
    "site: application detail (in the round)": "ok/ok ok/no ok/no ok/no no/no no/no no/no no/no no/no",
    "site: application detail (draft)": "no/no no/no no/no ok/no no/no no/no no/no no/no no/no",
    "site: edit form of a draft": "no/no no/no no/no ok/no no/no no/no no/no no/no no/no",
    "site: save a draft": "no/no no/no no/no ok/no no/no no/no no/no no/no no/no",
    "site: withdraw": "no/no no/no no/no ok/no no/no no/no no/no no/no no/no",
    "site: file of an application in the round": "ok/ok ok/no ok/no ok/no no/no no/no no/no no/no no/no",
    "site: file of a draft": "no/no no/no no/no ok/no no/no no/no no/no no/no no/no",
    "admin: applications list": "ok/ok ok/hidden ok/hidden no/no no/no no/no no/no no/no no/no",
    "admin: applications list never shows drafts": "hidden/hidden hidden/hidden hidden/hidden no/no no/no no/no no/no no/no no/no",
    "admin: application edit (never)": "no/no no/no no/no no/no no/no no/no no/no no/no no/no",
    "admin: application inspect": "ok/ok ok/no ok/no no/no no/no no/no no/no no/no no/no",
    "admin: application history": "ok/ok no/no no/no no/no no/no no/no no/no no/no no/no",
    "review: projects": "ok/ok ok/hidden ok/hidden no/no no/no no/no no/no no/no no/no",
    "review: projects export": "ok/ok ok/hidden ok/hidden no/no no/no no/no no/no no/no no/no",
    "review: project": "ok/ok ok/no ok/no no/no no/no no/no no/no no/no no/no",
    "review: recommendation list": "ok/ok ok/no no/no no/no no/no no/no no/no no/no no/no",
    "review: recommendation export": "ok/ok ok/no no/no no/no no/no no/no no/no no/no no/no",
    "review: decide": "no/no ok/no no/no no/no no/no no/no no/no no/no no/no",
    "review: submit a list": "no/no ok/no no/no no/no no/no no/no no/no no/no no/no",
    "review: unlock a list": "ok/ok no/no no/no no/no no/no no/no no/no no/no no/no",
    "review: assignments": "ok/ok no/no no/no no/no no/no no/no no/no no/no no/no",
    "review: assign a reviewer": "ok/ok no/no no/no no/no no/no no/no no/no no/no no/no",
    "review: scores": "ok/ok no/no ok/hidden no/no no/no no/no no/no no/no no/no",
    "review: scores export": "ok/ok no/no ok/hidden no/no no/no no/no no/no no/no no/no",
    "review: score a project": "no/no no/no ok/no no/no no/no no/no no/no no/no no/no",
    "review: save scores": "no/no no/no ok/no no/no no/no no/no no/no no/no no/no",
    "review: save prizes": "ok/ok no/no no/no no/no no/no no/no no/no no/no no/no",
    "review: ranking": "ok/ok no/no no/no no/no no/no no/no no/no no/no no/no",
    "review: ranking export": "ok/ok no/no no/no no/no no/no no/no no/no no/no no/no",
    "review: recommendation lists": "ok/ok ok/hidden no/no no/no no/no no/no no/no no/no no/no",
    "review: recommendation lists export": "ok/ok ok/hidden no/no no/no no/no no/no no/no no/no no/no",
    "review: recommendation list inspect": "ok/ok ok/no no/no no/no no/no no/no no/no no/no no/no",
    "review: recommendation decisions": "ok/ok ok/hidden no/no no/no no/no no/no no/no no/no no/no",
    "review: recommendation decisions export": "ok/ok ok/hidden no/no no/no no/no no/no no/no no/no no/no",
    "review: recommendation decision inspect": "ok/ok ok/no no/no no/no no/no no/no no/no no/no no/no",
    "review: review assignments": "ok/ok no/no ok/hidden no/no no/no no/no no/no no/no no/no",
    "review: review assignments export": "ok/ok no/no ok/hidden no/no no/no no/no no/no no/no no/no",
    "review: review assignment inspect": "ok/ok no/no ok/no no/no no/no no/no no/no no/no no/no",
    "admin: home page panel": "ok/ok ok/ok ok/ok no/no no/no no/no no/no hidden/hidden no/no",
    "publicity: awards": "ok/ok no/no no/no no/no no/no no/no no/no no/no no/no",
    "publicity: cancel an award": "ok/ok no/no no/no no/no no/no no/no no/no no/no no/no",
    "publicity: objections": "ok/ok no/no no/no no/no no/no no/no no/no no/no no/no",
    "publicity: objection evidence": "ok/ok no/no no/no no/no no/no no/no no/no no/no no/no",
    "publicity: subsidies": "ok/ok no/no no/no no/no no/no no/no no/no no/no no/no",
    "publicity: subsidies export": "ok/ok no/no no/no no/no no/no no/no no/no no/no no/no",
    "vote: audit": "ok/ok no/no no/no no/no no/no no/no no/no no/no no/no",
    "vote: audit index": "ok/ok no/no no/no no/no no/no no/no no/no no/no no/no",
    "vote: invalidate votes": "ok/ok no/no no/no no/no no/no no/no no/no no/no no/no",
    "vote: vote records": "ok/ok no/no no/no no/no no/no no/no no/no no/no no/no",
    "vote: vote records export": "ok/ok no/no no/no no/no no/no no/no no/no no/no no/no",
    "vote: vote record inspect": "ok/ok no/no no/no no/no no/no no/no no/no no/no no/no",
    "people: members and requests": "ok/ok ok/hidden no/no no/no no/no no/no no/no no/no no/no",
    "people: membership inspect": "ok/ok ok/no no/no no/no no/no no/no no/no no/no no/no",
    "people: approve a request": "ok/ok ok/no no/no no/no no/no no/no no/no no/no no/no",
    "people: issue an invitation": "ok/ok ok/hidden no/no no/no no/no no/no no/no no/no no/no",
    "records: organisations": "ok/ok no/no no/no no/no no/no no/no no/no no/no no/no",
    "records: past awards": "ok/ok no/no no/no no/no no/no no/no no/no no/no no/no",
    "records: past awards import": "ok/ok no/no no/no no/no no/no no/no no/no no/no no/no",
    "voters: voting codes": "ok/ok no/no no/no no/no no/no no/no no/no no/no no/no",
    "voters: generate voting codes": "ok/ok no/no no/no no/no no/no no/no no/no no/no no/no",
    "voters: voting code inspect": "ok/ok no/no no/no no/no no/no no/no no/no no/no no/no",
    "voters: voter inspect": "ok/ok no/no no/no no/no no/no no/no no/no no/no no/no",
    "voters: voter roll": "ok/ok no/no no/no no/no no/no no/no no/no no/no no/no",
    "voters: mark staff as voters": "ok/ok no/no no/no no/no no/no no/no no/no no/no no/no",
    "records: working-day exceptions": "ok/ok no/no no/no no/no no/no no/no no/no no/no no/no",
    "records: past award inspect": "ok/ok no/no no/no no/no no/no no/no no/no no/no no/no",
    "records: working-day exception inspect": "ok/ok no/no no/no no/no no/no no/no no/no no/no no/no",
    "wagtail: site history": "ok/ok hidden/hidden hidden/hidden no/no no/no no/no no/no hidden/hidden no/no",
    "wagtail: site history export": "ok/ok hidden/hidden hidden/hidden no/no no/no no/no no/no hidden/hidden no/no",
    "wagtail: site history never shows drafts' entries but to province": "ok/ok hidden/hidden hidden/hidden no/no no/no no/no no/no hidden/hidden no/no",
}


def expected(row_name):
    cells = MATRIX[row_name].split()
    assert len(cells) == len(ROLES), row_name
    return {
        role: dict(zip(("own", "other"), cell.split("/"), strict=True)) for role, cell in zip(ROLES, cells, strict=True)
    }


def test_every_row_has_expectations_and_every_expectation_a_row():
    assert set(MATRIX) == set(ROWS)


@pytest.mark.parametrize("row_name", list(ROWS))
def test_permission_matrix(site_root, row_name):
    world = with_objects(site_root)
    row, want = ROWS[row_name], expected(row_name)
    failures = []
    for role in ROLES:
        for target in ("own", "other"):
            client = Client()
            if role != "anonymous":
                client.force_login(world.users[ROLE_USERS[role]])
            with transaction.atomic():
                got = row.outcome(client, world, target)
                transaction.set_rollback(True)
            if got != want[role][target]:
                failures.append(f"{role} × {row_name} × {target}: expected {want[role][target]}, got {got}")
    assert not failures, "\n".join(failures)
