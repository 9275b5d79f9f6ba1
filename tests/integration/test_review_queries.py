"""The review screens, the round's model screens and their exports run the same number of queries for 10 and for 40
applications: a query per row would show at 40 as it would at 500."""

from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from tests.builders import build_world
from wagtail_awards.enums import ApplicationStatus
from wagtail_awards.models import Application, Recommendation, ReviewAssignment, Score
from wagtail_awards.services import recommendation as rec

pytestmark = pytest.mark.django_db

ADMIN = "/admin/awards/review/"
MODELS = "/admin/wagtail_awards/"


def grow(world, total):
    """Bring the call to ``total`` applications in review in Nanjing, each recommended, assigned and scored."""
    existing = Application.objects.filter(call=world.call).count()
    orgs = [world.orgs["nj1"], world.orgs["nj2"]]
    now = timezone.now()
    apps = Application.objects.bulk_create(
        [
            Application(
                call=world.call,
                applicant=world.users["applicant"],
                organization=orgs[n % 2],
                recommending_organization=world.orgs["nanjing"],
                project_name=f"项目{n}",
                reference=f"Q{n:04d}",
                status=ApplicationStatus.SCORED,
                submitted_at=now,
            )
            for n in range(existing, total)
        ]
    )
    rec_list = rec.get_list(call=world.call, organization=world.orgs["nanjing"])
    Recommendation.objects.bulk_create(
        [Recommendation(recommendation_list=rec_list, application=a, decision="recommend", order=1) for a in apps]
    )
    items = ReviewAssignment.objects.bulk_create(
        [
            ReviewAssignment(application=a, reviewer=world.users[name], total=Decimal(60 + n % 30), submitted_at=now)
            for n, a in enumerate(apps)
            for name in ("reviewer_prov", "reviewer_seu")
        ]
    )
    criteria = list(world.call.criteria.all())
    Score.objects.bulk_create(
        [Score(assignment=i, criterion=c, criterion_name=c.name, value=Decimal(70)) for i in items for c in criteria]
    )


SCREENS = [
    ("province", "applications/"),
    ("province", "applications/?export=csv"),
    ("province", "recommend/"),
    ("province", "recommend/?org={nanjing}"),
    ("province", "assignments/"),
    ("province", "scores/"),
    ("province", "scores/?export=xlsx"),
    ("province", "ranking/"),
    ("province", "ranking/?export=csv"),
    ("province", "ranking/?suggest=1"),
    ("rec_nj", "applications/"),
    ("rec_nj", "recommend/"),
    ("rec_nj", "recommend/?export=xlsx"),
    ("reviewer_prov", "applications/"),
    ("reviewer_prov", "scores/"),
    ("reviewer_prov", "scores/?export=csv"),
    # The round's model screens (their lists page by 100: every row shown at 10 and at 40)
    ("province", MODELS + "recommendationlist/"),
    ("province", MODELS + "recommendation/"),
    ("province", MODELS + "recommendation/?export=csv"),
    ("province", MODELS + "reviewassignment/"),
    ("province", MODELS + "reviewassignment/?export=xlsx"),
    ("rec_nj", MODELS + "recommendation/"),
    ("reviewer_prov", MODELS + "reviewassignment/"),
]


def count(client, url):
    client.get(url)  # warm caches (content types, site, sessions)
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
        if response.streaming:
            b"".join(response.streaming_content)
    assert response.status_code == 200, url
    return len(queries)


def measure(world, client):
    figures = {}
    for username, path in SCREENS:
        client.force_login(world.users[username])
        sep = "&" if "?" in path else "?"
        prefix = "" if path.startswith("/") else ADMIN
        url = prefix + path.format(nanjing=world.orgs["nanjing"].pk) + f"{sep}call={world.call.pk}"
        figures[(username, path)] = count(client, url)
    client.force_login(world.users["province"])
    figures[("province", "dashboard")] = count(client, "/admin/")
    return figures


def test_list_screens_do_not_grow_with_the_number_of_applications(site_root, client):
    world = build_world(site_root, stage="review")
    grow(world, 10)
    small = measure(world, client)
    grow(world, 40)
    assert Application.objects.filter(call=world.call).count() == 40
    large = measure(world, client)
    assert large == small
