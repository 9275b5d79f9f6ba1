"""The demo carries a round in review: every role's screens show real data."""

import pytest
from django.core.management import call_command

from wagtail_awards.enums import ApplicationStatus
from wagtail_awards.models import Application, CallPage, RecommendationList, ReviewAssignment

pytestmark = pytest.mark.django_db


def load():
    call_command("load_awards_demo", stdout=open("/dev/null", "w"))


def counts():
    return (
        CallPage.objects.count(),
        Application.objects.count(),
        RecommendationList.objects.count(),
        ReviewAssignment.objects.count(),
        ReviewAssignment.objects.filter(submitted_at__isnull=False).count(),
    )


def test_demo_round_in_review_is_idempotent_and_fills_every_screen(client):
    load()
    first = counts()
    load()
    assert counts() == first
    call = CallPage.objects.get(slug__startswith="review-")
    assert call.stages()[3].current  # the expert review stage
    statuses = set(Application.objects.filter(call=call).values_list("status", flat=True))
    assert {ApplicationStatus.RECOMMENDED, ApplicationStatus.NOT_RECOMMENDED, ApplicationStatus.SCORED} <= statuses
    assert RecommendationList.objects.filter(call=call, submitted_at__isnull=False).count() >= 4
    assert RecommendationList.objects.filter(call=call, submitted_at__isnull=True).exists()

    screens = {
        "province": [
            ("/admin/awards/review/recommend/", "南京市教育工会"),
            ("/admin/awards/review/ranking/", "教职工亲子阅读营"),
            ("/admin/awards/review/assignments/", "评审专家二"),
            ("/admin/", "awards-round"),
        ],
        "recommender": [("/admin/awards/review/recommend/", "青年教师微课工作坊")],
        "reviewer": [("/admin/awards/review/scores/", "/admin/awards/review/scores/")],
    }
    for username, pages in screens.items():
        client.login(username=username, password="awards-demo")
        for url, text in pages:
            response = client.get(url)
            assert response.status_code == 200, url
            assert text in response.content.decode(), (username, url, text)
        client.logout()
