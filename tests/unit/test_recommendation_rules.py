import datetime as dt

from wagtail_awards.rules.recommendation import QuotaStatus, quota_allows, recommendation_open

DEADLINE = dt.datetime(2021, 10, 19, 23, 59, 59, tzinfo=dt.UTC)


def test_quota_allows_up_to_the_maximum():
    assert quota_allows(used=2, max_count=3)
    assert not quota_allows(used=3, max_count=3)
    assert not quota_allows(used=0, max_count=0)


def test_quota_status():
    status = QuotaStatus(used=1, min_count=2, max_count=3)
    assert status.under_minimum and not status.full and status.remaining == 2
    assert QuotaStatus(used=3, min_count=2, max_count=3).full


def test_recommendation_window_runs_from_the_application_deadline_to_its_own():
    end = DEADLINE + dt.timedelta(days=10)
    assert not recommendation_open(now=DEADLINE, application_deadline=DEADLINE, deadline=end)
    assert recommendation_open(now=DEADLINE + dt.timedelta(seconds=1), application_deadline=DEADLINE, deadline=end)
    assert recommendation_open(now=end, application_deadline=DEADLINE, deadline=end)
    assert not recommendation_open(now=end + dt.timedelta(seconds=1), application_deadline=DEADLINE, deadline=end)
    assert recommendation_open(now=end + dt.timedelta(days=99), application_deadline=DEADLINE, deadline=None)
