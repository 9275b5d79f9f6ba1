"""Preliminary review and recommendation (初审推荐), pure: who may be decided on, the quota, the window.

Recording decisions and submitting the list, with the quota held under concurrency, are
:mod:`wagtail_awards.services.recommendation`.
"""

import datetime as dt
from dataclasses import dataclass

from ..enums import ROUND_STATUSES, ApplicationStatus

#: Statuses in which a recommender may (re)decide on an application.
DECIDABLE = (ApplicationStatus.SUBMITTED, ApplicationStatus.RECOMMENDED, ApplicationStatus.NOT_RECOMMENDED)
#: Statuses a recommender sees: submitted or later, never drafts or withdrawn ones.
VISIBLE_TO_RECOMMENDERS = ROUND_STATUSES


@dataclass(frozen=True)
class QuotaStatus:
    used: int
    min_count: int
    max_count: int

    @property
    def remaining(self):
        return max(self.max_count - self.used, 0)

    @property
    def under_minimum(self):
        return self.used < self.min_count

    @property
    def full(self):
        return self.used >= self.max_count


def quota_allows(*, used: int, max_count: int) -> bool:
    """Whether one more recommendation fits when ``used`` are already recommended (pure)."""
    return used + 1 <= max_count


def recommendation_open(*, now: dt.datetime, application_deadline: dt.datetime, deadline: dt.datetime | None) -> bool:
    """Recommending runs from the application deadline to the recommendation deadline, if one is set (pure)."""
    if now <= application_deadline:
        return False
    return deadline is None or now <= deadline
