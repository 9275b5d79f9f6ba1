"""Finalising a call's awards from several requests at once changes each award once (PostgreSQL row locks)."""

import pytest

from tests.builders import local, make_publicity
from tests.conftest import run_together
from wagtail_awards.enums import AwardStatus
from wagtail_awards.models import Award, AwardsLogEntry
from wagtail_awards.services import publicity

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]
THREADS = 4


def test_concurrent_finalising_changes_each_award_once(site_root):
    call, _page, awards = make_publicity(site_root, projects=6)
    now = local(2021, 10, 12, 9)
    results = run_together([lambda: publicity.finalise_awards(call=call, now=now)] * THREADS)
    assert sorted(results) == [0] * (THREADS - 1) + [len(awards)]
    assert AwardsLogEntry.objects.filter(action="wagtail_awards.award_finalised").count() == len(awards)
    assert set(Award.objects.values_list("status", flat=True)) == {AwardStatus.FINAL}
