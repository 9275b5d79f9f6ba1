"""Expert review (pure): which call the round's screens open on, whether scoring is open, a row of the ranking.

Assignment and scoring arithmetic are :mod:`.assignment` and :mod:`.scoring`; reading and writing reviews is
:mod:`wagtail_awards.services.review`.
"""

from dataclasses import dataclass, field

from django.utils import timezone

from ..enums import ApplicationStatus, Stage
from . import scoring


def pick_current_call(*, calls, now):
    """The call the round's screens open on (``calls`` newest first): the newest in its recommendation or
    expert review stage; else the newest whose applications have closed; else the newest."""
    calls = list(calls)
    in_review = (Stage.RECOMMENDATION, Stage.REVIEW)
    for call in calls:
        if any(span.current and span.stage in in_review for span in call.stages(now=now)):
            return call
    for call in calls:
        if call.application_deadline < now:
            return call
    return calls[0] if calls else None


def review_open(*, call, now=None) -> bool:
    """Reviewers may score until the call's review deadline (no deadline: always)."""
    now = now or timezone.now()
    return call.review_deadline is None or now <= call.review_deadline


@dataclass
class RankingRow:
    application: object
    ranked: scoring.RankedProject
    criteria: list = field(default_factory=list)
    prize_rank: int | None = None

    @property
    def total(self):
        return self.ranked.total

    @property
    def rank(self):
        return self.ranked.rank


@dataclass
class Standings:
    """The whole ranking of a call in light rows: ``ranked`` (:class:`scoring.RankedProject`, keyed by application
    pk, in rank order), each project's ``statuses`` and current ``prizes`` (rank or ``None``)."""

    ranked: list
    statuses: dict
    prizes: dict

    def suggestion(self, levels) -> dict[int, int]:
        """Prize ranks by application pk, filled down the ranking; projects still waiting for a review take no part."""
        ready = [project for project in self.ranked if self.statuses[project.key] != ApplicationStatus.RECOMMENDED]
        return scoring.suggest_prizes(ranking=ready, levels=levels)
