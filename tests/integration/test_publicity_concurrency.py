"""Finalising a call's awards from several requests at once changes each award once (PostgreSQL row locks)."""

import threading

import pytest
from django.db import connection, connections

from tests.factories import local
from tests.publicity_factories import make_publicity
from wagtail_awards.enums import AwardStatus
from wagtail_awards.models import Award, AwardsLogEntry
from wagtail_awards.services import publicity

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]
THREADS = 4


@pytest.fixture(autouse=True)
def only_on_postgres():
    if connection.vendor != "postgresql":
        pytest.skip("needs PostgreSQL")


@pytest.fixture
def site_root(transactional_db):
    """A call index as the site root; after an earlier transactional test's flush, the root page and locale first."""
    from django.contrib.contenttypes.models import ContentType
    from wagtail.models import Locale, Page

    from tests.factories import make_site

    if Page.get_first_root_node() is None:
        ContentType.objects.clear_cache()
        Locale.objects.get_or_create(language_code="zh-hans")
        Page.add_root(instance=Page(title="Root", slug="root", content_type=ContentType.objects.get_for_model(Page)))
    return make_site()


def test_concurrent_finalising_changes_each_award_once(site_root):
    call, _page, awards = make_publicity(site_root, projects=6)
    now = local(2021, 10, 12, 9)
    barrier = threading.Barrier(THREADS)
    results = []

    def worker():
        try:
            barrier.wait()
            results.append(publicity.finalise_awards(call=call, now=now))
        finally:
            connections.close_all()

    threads = [threading.Thread(target=worker) for _ in range(THREADS)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sorted(results) == [0] * (THREADS - 1) + [len(awards)]
    assert AwardsLogEntry.objects.filter(action="wagtail_awards.award_finalised").count() == len(awards)
    assert set(Award.objects.values_list("status", flat=True)) == {AwardStatus.FINAL}
