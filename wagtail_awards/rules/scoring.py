"""Scores to totals to a ranking (pure: numbers in, numbers out).

Rounding is defined once here, always ``ROUND_HALF_UP`` on :class:`~decimal.Decimal`:

- a review's weighted total is ``Σ value / max_score × weight`` over the criteria, rounded to 3 places
  (what ``ReviewAssignment.total`` stores); with weights adding up to 100 it runs from 0 to 100;
- a project's total is the mean (or trimmed mean) of its reviews' stored totals, rounded to 2 places;
- averages and spreads shown per criterion or per project are rounded to 2 places.

Projects are ranked on their rounded totals, so two projects that show the same total share a rank.
"""

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal

from ..enums import ScoringMethod

REVIEW_PLACES = Decimal("0.001")
PROJECT_PLACES = Decimal("0.01")
#: With this many reviews or more, the trimmed mean drops the highest and the lowest.
TRIM_FROM = 5


def _round(value: Decimal, places: Decimal) -> Decimal:
    return value.quantize(places, rounding=ROUND_HALF_UP)


@dataclass(frozen=True)
class CriterionScore:
    value: Decimal
    max_score: int
    weight: Decimal


def check_score(*, value: Decimal, max_score: int) -> bool:
    """Whether ``value`` is an allowed score for a criterion scored out of ``max_score``."""
    return Decimal(0) <= Decimal(value) <= Decimal(max_score)


def weighted_total(*, scores: Iterable[CriterionScore]) -> Decimal:
    """A review's weighted total: ``Σ value / max_score × weight``, rounded to 3 places."""
    total = Decimal(0)
    for score in scores:
        total += Decimal(score.value) / Decimal(score.max_score) * Decimal(score.weight)
    return _round(total, REVIEW_PLACES)


def mean(values: Sequence[Decimal]) -> Decimal | None:
    if not values:
        return None
    return sum(values, Decimal(0)) / len(values)


def project_total(*, totals: Sequence[Decimal], method: str = ScoringMethod.MEAN) -> Decimal | None:
    """A project's total from its reviews' totals, rounded to 2 places (``None`` without reviews).

    ``trimmed_mean`` drops one highest and one lowest total when there are :data:`TRIM_FROM` or more reviews,
    and is the plain mean below that.
    """
    values = sorted(Decimal(t) for t in totals)
    if not values:
        return None
    if method == ScoringMethod.TRIMMED_MEAN and len(values) >= TRIM_FROM:
        values = values[1:-1]
    return _round(mean(values), PROJECT_PLACES)


def spread(values: Sequence[Decimal]) -> Decimal | None:
    """Highest minus lowest, rounded to 2 places (``None`` when empty)."""
    if not values:
        return None
    return _round(max(values) - min(values), PROJECT_PLACES)


@dataclass(frozen=True)
class CriterionStats:
    name: str
    average: Decimal | None
    spread: Decimal | None
    count: int


def criterion_stats(*, names: Sequence[str], reviews: Iterable[dict[str, Decimal]]) -> list[CriterionStats]:
    """Average and spread of each criterion across reviews (each review maps criterion name to value)."""
    reviews = list(reviews)
    stats = []
    for name in names:
        values = [Decimal(review[name]) for review in reviews if review.get(name) is not None]
        average = mean(values)
        stats.append(
            CriterionStats(
                name=name,
                average=None if average is None else _round(average, PROJECT_PLACES),
                spread=spread(values),
                count=len(values),
            )
        )
    return stats


@dataclass
class RankedProject:
    """One line of the ranking. ``key`` is whatever the caller identifies the project by."""

    key: object
    total: Decimal | None
    review_totals: list[Decimal] = field(default_factory=list)
    rank: int | None = None
    tied: bool = False

    @property
    def spread(self):
        return spread(self.review_totals)

    @property
    def reviews(self):
        return len(self.review_totals)


def rank(*, projects: Iterable[RankedProject]) -> list[RankedProject]:
    """Projects sorted by total, highest first, with competition ranks (1, 2, 2, 4) and ties flagged.

    Projects without a total come last, unranked. The order among tied projects is their input order.
    """
    projects = list(projects)
    scored = sorted((p for p in projects if p.total is not None), key=lambda p: p.total, reverse=True)
    unscored = [p for p in projects if p.total is None]
    counts = {}
    for project in scored:
        counts[project.total] = counts.get(project.total, 0) + 1
    previous = None
    for position, project in enumerate(scored, start=1):
        project.rank = previous.rank if previous is not None and previous.total == project.total else position
        project.tied = counts[project.total] > 1
        previous = project
    for project in unscored:
        project.rank, project.tied = None, False
    return scored + unscored


@dataclass(frozen=True)
class PrizeLevel:
    rank: int
    count: int


def suggest_prizes(*, ranking: Sequence[RankedProject], levels: Iterable[PrizeLevel]) -> dict[object, int]:
    """Prize ranks by project key, filled down the ranking: first prizes first, each level up to its count.

    A tie that straddles the end of a level is not split: the tied projects all drop to the next level (or to
    none), so equal totals never get different prizes and no level goes over its count. Unscored projects get none.
    """
    suggestion = {}
    scored = [p for p in ranking if p.total is not None]
    index = 0
    for level in sorted(levels, key=lambda lv: lv.rank):
        room = level.count
        while index < len(scored) and room > 0:
            group = [p for p in scored[index:] if p.total == scored[index].total]
            if len(group) > room:
                break
            for project in group:
                suggestion[project.key] = level.rank
            index += len(group)
            room -= len(group)
    return suggestion


def prize_counts_ok(*, assigned: Iterable[int | None], levels: Iterable[PrizeLevel]) -> dict[int, int]:
    """How far each prize rank is over its count (only ranks over it; an empty dict means all fit).

    A rank no level defines counts as over by every use.
    """
    limits = {level.rank: level.count for level in levels}
    used = {}
    for prize in assigned:
        if prize:
            used[prize] = used.get(prize, 0) + 1
    return {prize: n - limits.get(prize, 0) for prize, n in used.items() if n > limits.get(prize, 0)}
