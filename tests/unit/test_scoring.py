"""Totals, means, trimmed means, spreads, ranks and prize suggestions against numbers worked out by hand."""

from decimal import Decimal as D

import pytest

from wagtail_awards.rules import scoring
from wagtail_awards.rules.scoring import CriterionScore, PrizeLevel, RankedProject


def test_weighted_total_uses_weights_and_maximums():
    # 80/100·40 + 9/10·30 + 15/20·30 = 32 + 27 + 22.5 = 81.5
    scores = [
        CriterionScore(value=D("80"), max_score=100, weight=D("40")),
        CriterionScore(value=D("9"), max_score=10, weight=D("30")),
        CriterionScore(value=D("15"), max_score=20, weight=D("30")),
    ]
    assert scoring.weighted_total(scores=scores) == D("81.500")


def test_weighted_total_rounds_half_up_to_three_places():
    # 1/3·100 = 33.3333… → 33.333; 2/3·100 = 66.6666… → 66.667
    assert scoring.weighted_total(scores=[CriterionScore(value=D(1), max_score=3, weight=D(100))]) == D("33.333")
    assert scoring.weighted_total(scores=[CriterionScore(value=D(2), max_score=3, weight=D(100))]) == D("66.667")
    # 0.0005 rounds up, not to even: 1/2000 · 1 = 0.0005 → 0.001
    assert scoring.weighted_total(scores=[CriterionScore(value=D(1), max_score=2000, weight=D(1))]) == D("0.001")


def test_equal_weights_of_the_2021_criteria():
    # Four criteria at 25 % each, out of 100: (90 + 80 + 70 + 60) / 4 = 75
    scores = [CriterionScore(value=D(v), max_score=100, weight=D(25)) for v in (90, 80, 70, 60)]
    assert scoring.weighted_total(scores=scores) == D("75.000")


def test_mean_of_reviewers():
    # (80 + 85 + 90.5) / 3 = 85.1666… → 85.17
    assert scoring.project_total(totals=[D("80"), D("85"), D("90.5")]) == D("85.17")


def test_trimmed_mean_needs_five_reviewers():
    four = [D(60), D(70), D(80), D(100)]
    # Below five the trimmed mean is the plain mean: 310 / 4 = 77.5
    assert scoring.project_total(totals=four, method="trimmed_mean") == D("77.50")
    five = [D(50), D(70), D(80), D(90), D(100)]
    # Drop 50 and 100: (70 + 80 + 90) / 3 = 80; the plain mean would be 78
    assert scoring.project_total(totals=five, method="trimmed_mean") == D("80.00")
    assert scoring.project_total(totals=five, method="mean") == D("78.00")


def test_trimmed_mean_drops_one_of_equal_extremes_only():
    # 60, 60, 70, 90, 90 → drop one 60 and one 90: (60 + 70 + 90) / 3 = 73.33
    assert scoring.project_total(totals=[D(90), D(60), D(70), D(60), D(90)], method="trimmed_mean") == D("73.33")


def test_no_reviews_no_total():
    assert scoring.project_total(totals=[]) is None
    assert scoring.spread([]) is None


def test_criterion_averages_and_spread():
    reviews = [{"实效性": D(80), "可持续性": D(70)}, {"实效性": D(90), "可持续性": D(75)}, {"实效性": D(85)}]
    stats = {s.name: s for s in scoring.criterion_stats(names=["实效性", "可持续性", "可推广性"], reviews=reviews)}
    assert stats["实效性"].average == D("85.00") and stats["实效性"].spread == D("10.00") and stats["实效性"].count == 3
    assert stats["可持续性"].average == D("72.50") and stats["可持续性"].spread == D("5.00")
    assert stats["可推广性"].average is None and stats["可推广性"].count == 0


def test_ranking_shares_ranks_on_ties_and_puts_unscored_last():
    projects = [
        RankedProject(key="a", total=D("80.00")),
        RankedProject(key="b", total=D("90.00")),
        RankedProject(key="c", total=None),
        RankedProject(key="d", total=D("80.00")),
        RankedProject(key="e", total=D("70.00")),
    ]
    ranked = scoring.rank(projects=projects)
    assert [(p.key, p.rank, p.tied) for p in ranked] == [
        ("b", 1, False),
        ("a", 2, True),
        ("d", 2, True),
        ("e", 4, False),
        ("c", None, False),
    ]


def test_ties_are_decided_on_the_rounded_totals():
    # 85.166… and 85.174 both show as 85.17: the same rank.
    one = scoring.project_total(totals=[D("80"), D("85"), D("90.5")])
    two = scoring.project_total(totals=[D("85.174")])
    ranked = scoring.rank(projects=[RankedProject(key=1, total=one), RankedProject(key=2, total=two)])
    assert [p.rank for p in ranked] == [1, 1]


def test_spread_of_reviewers():
    assert RankedProject(key=1, total=D(1), review_totals=[D("72.5"), D("91.25"), D(80)]).spread == D("18.75")


def test_suggested_prizes_fill_levels_in_rank_order():
    ranked = scoring.rank(
        projects=[RankedProject(key=k, total=D(t)) for k, t in [("a", 95), ("b", 90), ("c", 85), ("d", 80), ("e", 75)]]
    )
    levels = [PrizeLevel(rank=2, count=2), PrizeLevel(rank=1, count=1)]
    assert scoring.suggest_prizes(ranking=ranked, levels=levels) == {"a": 1, "b": 2, "c": 2}


def test_a_tie_across_a_level_boundary_is_not_split():
    ranked = scoring.rank(
        projects=[RankedProject(key=k, total=D(t)) for k, t in [("a", 95), ("b", 90), ("c", 90), ("d", 80)]]
    )
    # One first prize, two second: b and c tie at 90 and both get the second prize, d gets none.
    levels = [PrizeLevel(rank=1, count=1), PrizeLevel(rank=2, count=2), PrizeLevel(rank=3, count=0)]
    assert scoring.suggest_prizes(ranking=ranked, levels=levels) == {"a": 1, "b": 2, "c": 2}
    # With two first prizes and a tie for the second place, a alone is first; b and c share the second level.
    levels = [PrizeLevel(rank=1, count=2), PrizeLevel(rank=2, count=2)]
    assert scoring.suggest_prizes(ranking=ranked, levels=levels) == {"a": 1, "b": 2, "c": 2}


def test_prize_counts():
    levels = [PrizeLevel(rank=1, count=1), PrizeLevel(rank=2, count=2)]
    assert scoring.prize_counts_ok(assigned=[1, 2, 2, None], levels=levels) == {}
    assert scoring.prize_counts_ok(assigned=[1, 1, 2], levels=levels) == {1: 1}
    assert scoring.prize_counts_ok(assigned=[3], levels=levels) == {3: 1}


@pytest.mark.parametrize(("value", "ok"), [(D(0), True), (D(100), True), (D("100.01"), False), (D(-1), False)])
def test_score_range(value, ok):
    assert scoring.check_score(value=value, max_score=100) is ok
