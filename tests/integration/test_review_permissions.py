"""The permission matrix of the review screens: each role × each screen (list, inspect, edit, export, file
download) × its own object and somebody else's. Denied means Wagtail's "no permission" redirect to the admin
home (or 403); out-of-scope objects are 404, and out-of-scope rows never appear in a list or an export."""

import pytest
from django.core.files.base import ContentFile
from django.urls import NoReverseMatch, reverse

from tests.integration.review_world import build_round
from wagtail_awards.domain import recommendation as rec
from wagtail_awards.domain import review
from wagtail_awards.models import ApplicationFile, Recommendation, RecommendationList, ReviewAssignment

pytestmark = pytest.mark.django_db

ADMIN = "/admin/awards/review/"


@pytest.fixture
def world(site_root):
    world = build_round(site_root)
    rec.decide(user=world.users["rec_nj"], application=world.apps["nj1"], decision="recommend")
    rec.decide(user=world.users["rec_sz"], application=world.apps["sz1"], decision="recommend")
    for app in world.apps.values():
        app.refresh_from_db()
    admin = world.users["province"]
    world.own_item = review.assign(user=admin, application=world.apps["nj1"], reviewer=world.users["reviewer_prov"])
    world.other_item = review.assign(user=admin, application=world.apps["sz1"], reviewer=world.users["reviewer_seu"])
    world.files = {}
    for key in ("nj1", "sz1"):
        item = ApplicationFile(
            application=world.apps[key],
            field_name="materials",
            original_name=f"{key}.pdf",
            content_type="application/pdf",
            size=8,
            sha256="0" * 64,
        )
        item.file.save(f"{key}.pdf", ContentFile(b"%PDF-1.4"), save=False)
        item.save()
        world.files[key] = item
    rec.submit(
        user=world.users["rec_sz"],
        rec_list=rec.get_list(call=world.call, organization=world.orgs["suzhou"]),
        confirm_under_minimum=True,
    )
    world.lists = {
        key: RecommendationList.objects.get(organization=world.orgs[key], call=world.call)
        for key in ("nanjing", "suzhou")
    }
    return world


def denied(response):
    """Wagtail's answers to no permission: 403, the admin home with a message, or the login (no admin access)."""
    if response.status_code == 403:
        return True
    location = response.get("Location", "")
    return response.status_code == 302 and (
        location == reverse("wagtailadmin_home") or location.startswith(reverse("wagtailadmin_login"))
    )


def body(response):
    """The response's text, read once (exports stream)."""
    if not hasattr(response, "_text"):
        content = b"".join(response.streaming_content) if response.streaming else response.content
        response._text = content.decode("utf-8", errors="replace")
    return response._text


def shows(response, text):
    return response.status_code == 200 and text in body(response)


def hides(response, text):
    return response.status_code == 200 and text not in body(response)


def file_url(item):
    try:
        return reverse("wagtail_awards:application_file", args=[item.pk])
    except NoReverseMatch:
        return None


def matrix(world):
    """``(role, screen, check)`` rows; ``check(client)`` returns True when the response is as expected."""
    call = f"?call={world.call.pk}"
    nj1, sz1 = world.apps["nj1"], world.apps["sz1"]
    own_name, other_name = nj1.project_name, sz1.project_name
    decide = {"a{pk}-decision": "not_recommend", "a{pk}-comment": "x"}

    def post_decide(client, app):
        return client.post(f"{ADMIN}recommend/{app.pk}/", {k.format(pk=app.pk): v for k, v in decide.items()})

    def post_score(client, item):
        data = {f"criterion_{c.pk}": "50" for c in world.call.criteria.all()}
        return client.post(f"{ADMIN}scores/{item.pk}/", data)

    own_org, other_org = world.orgs["nanjing"].pk, world.orgs["suzhou"].pk
    own_file, other_file = file_url(world.files["nj1"]), file_url(world.files["sz1"])
    rows = []
    for role in ("province", "rec_nj", "reviewer_prov", "applicant"):
        is_admin, is_rec, is_rev = role == "province", role == "rec_nj", role == "reviewer_prov"
        sees_own = is_admin or is_rec or is_rev
        # Projects in the round: list, inspect, export.
        rows += [
            (role, "applications list: own", lambda c: shows(c.get(ADMIN + "applications/" + call), own_name))
            if sees_own
            else (role, "applications list", lambda c: denied(c.get(ADMIN + "applications/" + call))),
            (
                role,
                "applications list: other",
                (lambda c: shows(c.get(ADMIN + "applications/" + call), other_name))
                if is_admin
                else (lambda c: hides(c.get(ADMIN + "applications/" + call), other_name))
                if sees_own
                else (lambda c: denied(c.get(ADMIN + "applications/" + call))),
            ),
            (
                role,
                "applications export: own/other",
                (
                    lambda c: (
                        shows(r := c.get(ADMIN + "applications/" + call + "&export=csv"), own_name)
                        and shows(r, other_name)
                    )
                )
                if is_admin
                else (
                    lambda c: (
                        shows(r := c.get(ADMIN + "applications/" + call + "&export=csv"), own_name)
                        and hides(r, other_name)
                    )
                )
                if sees_own
                else (lambda c: denied(c.get(ADMIN + "applications/" + call + "&export=csv"))),
            ),
            (
                role,
                "inspect: own",
                (lambda c: shows(c.get(f"{ADMIN}applications/{nj1.pk}/"), own_name))
                if sees_own
                else (lambda c: denied(c.get(f"{ADMIN}applications/{nj1.pk}/"))),
            ),
            (
                role,
                "inspect: other",
                (lambda c: shows(c.get(f"{ADMIN}applications/{sz1.pk}/"), other_name))
                if is_admin
                else (lambda c: c.get(f"{ADMIN}applications/{sz1.pk}/").status_code == 404)
                if sees_own
                else (lambda c: denied(c.get(f"{ADMIN}applications/{sz1.pk}/"))),
            ),
        ]
        # Recommendation: list, export, edit (decide), submit, unlock.
        rows += [
            (
                role,
                "recommend list: own",
                (lambda c: shows(c.get(ADMIN + "recommend/" + call + f"&org={own_org}"), own_name))
                if is_admin or is_rec
                else (lambda c: denied(c.get(ADMIN + "recommend/" + call))),
            ),
            (
                role,
                "recommend list: other",
                (lambda c: shows(c.get(ADMIN + "recommend/" + call + f"&org={other_org}"), other_name))
                if is_admin
                else (lambda c: c.get(ADMIN + "recommend/" + call + f"&org={other_org}").status_code == 404)
                if is_rec
                else (lambda c: denied(c.get(ADMIN + "recommend/" + call + f"&org={other_org}"))),
            ),
            (
                role,
                "recommend export",
                (
                    lambda c: (
                        shows(r := c.get(ADMIN + "recommend/" + call + "&export=csv"), own_name)
                        and hides(r, other_name)
                    )
                )
                if is_rec
                else (lambda c: shows(c.get(ADMIN + "recommend/" + call + f"&org={other_org}&export=csv"), other_name))
                if is_admin
                else (lambda c: denied(c.get(ADMIN + "recommend/" + call + "&export=csv"))),
            ),
            (
                role,
                "recommend export: other",
                (lambda c: c.get(ADMIN + "recommend/" + call + f"&org={other_org}&export=csv").status_code == 404)
                if is_rec
                else (lambda c: True),
            ),
            (
                role,
                "decide: own",
                (
                    lambda c: (
                        post_decide(c, nj1).status_code == 302
                        and Recommendation.objects.get(application=nj1).decision == "not_recommend"
                    )
                )
                if is_rec
                else (
                    lambda c: (
                        denied(post_decide(c, nj1))
                        and Recommendation.objects.get(application=nj1).decision == "recommend"
                    )
                ),
            ),
            (
                role,
                "decide: other",
                (lambda c: post_decide(c, sz1).status_code == 404)
                if is_rec
                else (lambda c: denied(post_decide(c, sz1))),
            ),
            (
                role,
                "submit: other",
                (
                    lambda c: (
                        c.post(ADMIN + "recommend/submit/", {"call": world.call.pk, "org": other_org}).status_code
                        == 404
                        and RecommendationList.objects.get(pk=world.lists["suzhou"].pk).submitted_by
                        == world.users["rec_sz"]
                    )
                )
                if is_rec
                else (lambda c: denied(c.post(ADMIN + "recommend/submit/", {"call": world.call.pk, "org": other_org}))),
            ),
            (
                role,
                "unlock",
                (
                    lambda c: (
                        c.post(
                            f"{ADMIN}recommend/lists/{world.lists['suzhou'].pk}/unlock/", {"reason": "x"}
                        ).status_code
                        == 302
                        and not RecommendationList.objects.get(pk=world.lists["suzhou"].pk).is_locked
                    )
                )
                if is_admin
                else (
                    lambda c: (
                        denied(c.post(f"{ADMIN}recommend/lists/{world.lists['suzhou'].pk}/unlock/", {"reason": "x"}))
                        and RecommendationList.objects.get(pk=world.lists["suzhou"].pk).is_locked
                    )
                ),
            ),
        ]
        # Expert review: list, export, edit (score).
        rows += [
            (
                role,
                "scores list: own/other",
                (lambda c: shows(r := c.get(ADMIN + "scores/" + call), own_name) and shows(r, other_name))
                if is_admin
                else (lambda c: shows(r := c.get(ADMIN + "scores/" + call), own_name) and hides(r, other_name))
                if is_rev
                else (lambda c: denied(c.get(ADMIN + "scores/" + call))),
            ),
            (
                role,
                "scores export",
                (
                    lambda c: (
                        shows(r := c.get(ADMIN + "scores/" + call + "&export=csv"), own_name) and hides(r, other_name)
                    )
                )
                if is_rev
                else (
                    lambda c: (
                        shows(r := c.get(ADMIN + "scores/" + call + "&export=csv"), own_name) and shows(r, other_name)
                    )
                )
                if is_admin
                else (lambda c: denied(c.get(ADMIN + "scores/" + call + "&export=csv"))),
            ),
            (
                role,
                "score: own",
                (
                    lambda c: (
                        post_score(c, world.own_item).status_code == 302
                        and ReviewAssignment.objects.get(pk=world.own_item.pk).total is not None
                    )
                )
                if is_rev
                else (lambda c: denied(post_score(c, world.own_item))),
            ),
            (
                role,
                "score: other",
                (
                    lambda c: (
                        post_score(c, world.other_item).status_code == 404
                        and ReviewAssignment.objects.get(pk=world.other_item.pk).total is None
                    )
                )
                if is_rev
                else (lambda c: denied(post_score(c, world.other_item))),
            ),
        ]
        # Assignment and ranking: province administrators only.
        rows += [
            (
                role,
                "assignments list",
                (lambda c: shows(c.get(ADMIN + "assignments/" + call), other_name))
                if is_admin
                else (lambda c: denied(c.get(ADMIN + "assignments/" + call))),
            ),
            (
                role,
                "assign (edit)",
                (
                    lambda c: (
                        c.post(
                            f"{ADMIN}assignments/{nj1.pk}/add/", {"reviewer": world.users["reviewer_sz"].pk}
                        ).status_code
                        == 302
                        and ReviewAssignment.objects.filter(application=nj1).count() == 2
                    )
                )
                if is_admin
                else (
                    lambda c: (
                        denied(c.post(f"{ADMIN}assignments/{nj1.pk}/add/", {"reviewer": world.users["reviewer_sz"].pk}))
                        and ReviewAssignment.objects.filter(application=nj1).count() == 1
                    )
                ),
            ),
            (
                role,
                "ranking list",
                (lambda c: shows(c.get(ADMIN + "ranking/" + call), own_name))
                if is_admin
                else (lambda c: denied(c.get(ADMIN + "ranking/" + call))),
            ),
            (
                role,
                "ranking export",
                (lambda c: shows(c.get(ADMIN + "ranking/" + call + "&export=csv"), other_name))
                if is_admin
                else (lambda c: denied(c.get(ADMIN + "ranking/" + call + "&export=csv"))),
            ),
            (
                role,
                "ranking edit",
                (lambda c: c.post(ADMIN + "ranking/" + call, {}).status_code == 302)
                if is_admin
                else (lambda c: denied(c.post(ADMIN + "ranking/" + call, {}))),
            ),
        ]
        # File download (the applications' own view).
        if own_file:
            rows += [
                (
                    role,
                    "file download: own",
                    (lambda c: c.get(own_file).status_code == 200)
                    if sees_own or role == "applicant"
                    else (lambda c: c.get(own_file).status_code == 404),
                ),
                (
                    role,
                    "file download: other",
                    (lambda c: c.get(other_file).status_code == 200)
                    if is_admin
                    else (lambda c: c.get(other_file).status_code == 404),
                ),
            ]
    return rows


@pytest.mark.parametrize("role", ["province", "rec_nj", "reviewer_prov", "applicant"])
def test_permission_matrix(world, client, role):
    client.force_login(world.users[role])
    failures = [screen for r, screen, check in matrix(world) if r == role and not check(client)]
    assert failures == []


def test_the_matrix_covers_every_screen_for_every_role(world):
    rows = matrix(world)
    for role in ("province", "rec_nj", "reviewer_prov", "applicant"):
        screens = {screen for r, screen, _check in rows if r == role}
        assert len(screens) >= 21, (role, sorted(screens))


def test_logged_out_users_go_to_the_login(world, client):
    response = client.get(ADMIN + "ranking/")
    assert response.status_code == 302 and "/admin/login/" in response["Location"]
