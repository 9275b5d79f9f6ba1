"""The recommendation quota holds under concurrent requests (PostgreSQL: real row locks, one connection per thread)."""

import pytest

from tests.builders import build_world, make_application
from tests.conftest import run_together
from wagtail_awards.enums import ApplicationStatus
from wagtail_awards.models import Application, Recommendation
from wagtail_awards.services import recommendation as rec


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_fifty_parallel_recommendations_for_one_city_with_max_three_accept_exactly_three(site_root):
    world = build_world(site_root, stage="review")
    for n in range(50 - 3):
        make_application(
            world.call,
            org=world.orgs["nj2"],
            applicant=world.users["applicant"],
            recommending_organization=world.orgs["nanjing"],
            reference=f"C{n:03d}",
        )
    applications = list(
        Application.objects.filter(recommending_organization=world.orgs["nanjing"], status=ApplicationStatus.SUBMITTED)
        .select_related("call", "recommending_organization")
        .order_by("pk")
    )
    assert len(applications) == 50
    assert world.call.quota_for("city").max_count == 3
    user = world.users["rec_nj"]

    def recommend(application):
        return lambda: rec.decide(user=user, application=application, decision="recommend")

    results = run_together([recommend(application) for application in applications])
    accepted = [a.pk for a, result in zip(applications, results, strict=True) if not isinstance(result, Exception)]
    refused = [result for result in results if isinstance(result, rec.RecommendationError)]
    errors = [repr(r) for r in results if isinstance(r, Exception) and not isinstance(r, rec.RecommendationError)]
    assert errors == []
    assert len(accepted) == 3 and len(refused) == 47
    assert Recommendation.objects.filter(decision="recommend").count() == 3
    assert Application.objects.filter(status=ApplicationStatus.RECOMMENDED).count() == 3
    assert set(Application.objects.filter(status=ApplicationStatus.RECOMMENDED).values_list("pk", flat=True)) == set(
        accepted
    )
