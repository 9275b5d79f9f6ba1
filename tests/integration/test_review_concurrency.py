"""The recommendation quota holds under concurrent requests (PostgreSQL: real row locks, one connection per thread)."""

import threading

import pytest
from django.db import connection, connections

from tests.factories import make_application, make_site
from tests.integration.review_world import build_round
from wagtail_awards.enums import ApplicationStatus
from wagtail_awards.models import Application, Recommendation
from wagtail_awards.services import recommendation as rec


def ensure_tree():
    """The root page and locale the migrations made: a flush after an earlier transactional test removes them."""
    from wagtail.models import Locale, Page

    if not Locale.objects.exists():
        Locale.objects.create(language_code="zh-hans")
    if Page.get_first_root_node() is None:
        Page.add_root(instance=Page(title="Root", slug="root", locale=Locale.objects.first()))


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_fifty_parallel_recommendations_for_one_city_with_max_three_accept_exactly_three():
    if connection.vendor != "postgresql":
        pytest.skip("needs PostgreSQL row locks")
    ensure_tree()
    world = build_round(make_site())
    for n in range(50 - 3):
        make_application(
            world.call,
            org=world.orgs["nj2"],
            applicant=world.users["applicant"],
            recommending_organization=world.orgs["nanjing"],
            reference=f"C{n:03d}",
        )
    ids = list(
        Application.objects.filter(
            recommending_organization=world.orgs["nanjing"], status=ApplicationStatus.SUBMITTED
        ).values_list("pk", flat=True)
    )
    assert len(ids) == 50
    assert world.call.quota_for("city").max_count == 3
    user = world.users["rec_nj"]
    barrier = threading.Barrier(len(ids))
    accepted, refused, errors = [], [], []

    def worker(pk):
        try:
            application = Application.objects.select_related("call", "recommending_organization").get(pk=pk)
            barrier.wait(timeout=30)
            rec.decide(user=user, application=application, decision="recommend")
            accepted.append(pk)
        except rec.RecommendationError:
            refused.append(pk)
        except Exception as error:  # noqa: BLE001 - reported below
            errors.append(repr(error))
        finally:
            connections.close_all()

    threads = [threading.Thread(target=worker, args=(pk,)) for pk in ids]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    assert errors == []
    assert len(accepted) == 3 and len(refused) == 47
    assert Recommendation.objects.filter(decision="recommend").count() == 3
    assert Application.objects.filter(status=ApplicationStatus.RECOMMENDED).count() == 3
    assert set(Application.objects.filter(status=ApplicationStatus.RECOMMENDED).values_list("pk", flat=True)) == set(
        accepted
    )
