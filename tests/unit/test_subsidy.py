from decimal import Decimal

import pytest

from wagtail_awards.rules.subsidy import AwardFacts, Basis, Rates, amount_for, table

RATES = Rates(prizes={1: Decimal(10000), 2: Decimal(6000), 3: Decimal(3000)}, most_popular=Decimal(8000))


def facts(key, *, prize=None, popular=False, federation=False, cancelled=False):
    return AwardFacts(
        key=key,
        project=f"项目{key}",
        unit="单位",
        prize_rank=prize,
        most_popular=popular,
        federation_subsidised=federation,
        cancelled=cancelled,
    )


@pytest.mark.parametrize(
    ("award", "amount", "basis"),
    [
        (facts("prize only", prize=2), Decimal(6000), Basis.PRIZE),
        (facts("popular only", popular=True), Decimal(8000), Basis.MOST_POPULAR),
        (facts("both, prize higher", prize=1, popular=True), Decimal(10000), Basis.PRIZE),
        (facts("both, popular higher", prize=3, popular=True), Decimal(8000), Basis.MOST_POPULAR),
        (facts("federation", prize=1, popular=True, federation=True), Decimal(0), Basis.FEDERATION),
        (facts("cancelled", prize=1, cancelled=True), Decimal(0), Basis.CANCELLED),
        (facts("nothing"), Decimal(0), Basis.NONE),
    ],
)
def test_subsidy_of_one_award(award, amount, basis):
    result = amount_for(
        prize_rank=award.prize_rank,
        most_popular=award.most_popular,
        federation_subsidised=award.federation_subsidised,
        cancelled=award.cancelled,
        rates=RATES,
    )
    assert (result.amount, result.basis) == (amount, basis)


def test_a_tie_names_the_prize_and_pays_once():
    rates = Rates(prizes={1: Decimal(10000)}, most_popular=Decimal(10000))
    result = amount_for(prize_rank=1, most_popular=True, federation_subsidised=False, cancelled=False, rates=rates)
    assert (result.amount, result.basis) == (Decimal(10000), Basis.PRIZE)


def test_subsidy_table_totals():
    result = table(
        awards=[
            facts("a", prize=1),  # prize only: 10000
            facts("b", popular=True),  # most popular only: 8000
            facts("c", prize=3, popular=True),  # both: the higher, 8000, not 11000
            facts("d", prize=2, federation=True),  # federation: 0
            facts("e", prize=1, cancelled=True),  # cancelled: 0
        ],
        rates=RATES,
    )
    assert [line.subsidy.amount for line in result.lines] == [10000, 8000, 8000, 0, 0]
    assert result.total == Decimal(26000)
    assert result.paid_count == 3
    assert result.by_basis[Basis.PRIZE] == Decimal(10000)
    assert result.by_basis[Basis.MOST_POPULAR] == Decimal(16000)
    assert result.by_basis[Basis.FEDERATION] == result.by_basis[Basis.CANCELLED] == 0
