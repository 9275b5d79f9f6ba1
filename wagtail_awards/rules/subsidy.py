"""Subsidies (奖补) of the final list (pure; :mod:`wagtail_awards.services.subsidy` reads a call's amounts).

A project gets the amount of its prize level or of "most popular", the highest one only when it has both; a
project recommended to and subsidised by the provincial federation of trade unions gets nothing from the
province union, and neither does a cancelled award.
"""

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from decimal import Decimal

from ..enums import SubsidyBasis as Basis

ZERO = Decimal("0")


@dataclass(frozen=True)
class Rates:
    """The amounts of one call: by prize rank, and for the most-popular project."""

    prizes: Mapping[int, Decimal]
    most_popular: Decimal = ZERO


@dataclass(frozen=True)
class Subsidy:
    amount: Decimal
    basis: Basis


def amount_for(
    *, prize_rank: int | None, most_popular: bool, federation_subsidised: bool, cancelled: bool, rates: Rates
) -> Subsidy:
    """The subsidy of one award: the highest applicable amount, or nothing (federation-subsidised, cancelled)."""
    if cancelled:
        return Subsidy(ZERO, Basis.CANCELLED)
    if federation_subsidised:
        return Subsidy(ZERO, Basis.FEDERATION)
    candidates = []
    if prize_rank is not None and prize_rank in rates.prizes:
        candidates.append(Subsidy(Decimal(rates.prizes[prize_rank]), Basis.PRIZE))
    if most_popular:
        candidates.append(Subsidy(Decimal(rates.most_popular), Basis.MOST_POPULAR))
    if not candidates:
        return Subsidy(ZERO, Basis.NONE)
    # On a tie the prize level is named: it is the award the project earned first.
    return max(candidates, key=lambda s: (s.amount, s.basis == Basis.PRIZE))


@dataclass(frozen=True)
class AwardFacts:
    """What the subsidy of one award depends on, with what a table shows of it."""

    key: object
    project: str
    unit: str
    prize_rank: int | None
    most_popular: bool
    federation_subsidised: bool
    cancelled: bool
    status: str = ""  # shown as is


@dataclass(frozen=True)
class Line:
    facts: AwardFacts
    subsidy: Subsidy


@dataclass
class Table:
    lines: list[Line] = field(default_factory=list)
    total: Decimal = ZERO
    paid_count: int = 0
    by_basis: dict[Basis, Decimal] = field(default_factory=dict)


def table(*, awards: Iterable[AwardFacts], rates: Rates) -> Table:
    """Every award with its subsidy, the total and the total per basis (cancelled awards are listed at 0)."""
    result = Table()
    for facts in awards:
        subsidy = amount_for(
            prize_rank=facts.prize_rank,
            most_popular=facts.most_popular,
            federation_subsidised=facts.federation_subsidised,
            cancelled=facts.cancelled,
            rates=rates,
        )
        result.lines.append(Line(facts=facts, subsidy=subsidy))
        result.total += subsidy.amount
        result.paid_count += subsidy.amount > 0
        result.by_basis[subsidy.basis] = result.by_basis.get(subsidy.basis, ZERO) + subsidy.amount
    return result
