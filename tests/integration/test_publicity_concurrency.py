"""Finalising a call's awards from several requests at once changes each award once (PostgreSQL row locks)."""

import pytest

from tests.builders import build_world, local
from tests.conftest import run_together
from wagtail_awards.enums import AwardStatus
from wagtail_awards.models import Award, AwardsLogEntry
from wagtail_awards.services import publicity

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]
THREADS = 4


def test_concurrent_finalising_changes_each_award_once(site_root):
    starts = local(2021, 9, 29, 9)  # five working days, to 11 October
    world = build_world(site_root, stage="publicity", now=starts, year=2021, projects=6, publicity_starts=starts)
    call, awards = world.call, list(world.awards.values())
    now = local(2021, 10, 12, 9)
    results = run_together([lambda: publicity.finalise_awards(call=call, now=now)] * THREADS)
    assert sorted(results) == [0] * (THREADS - 1) + [len(awards)]
    assert AwardsLogEntry.objects.filter(action="wagtail_awards.award_finalised").count() == len(awards)
    assert set(Award.objects.values_list("status", flat=True)) == {AwardStatus.FINAL}
