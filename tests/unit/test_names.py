"""Names reduced for matching, and past awards matched on the organisation plus the project's name (pure)."""

import pytest

from wagtail_awards.rules.names import clean_typed_name, is_near, normalise_name
from wagtail_awards.rules.past_awards import EarlierAward, match_earlier_awards


@pytest.mark.parametrize(
    "spelling",
    [
        "南京市金陵中学工会",
        " 南京市 金陵中学工会 ",
        "南京市金陵中學工會",
        "南京市\u200b金陵中学\u200d工会",
        "（南京市金陵中学工会）",
    ],
)
def test_spellings_of_one_name_meet(spelling):
    assert normalise_name(spelling) == normalise_name("南京市金陵中学工会")


def test_a_typed_name_is_cleaned_but_kept_readable():
    assert clean_typed_name(" 东南大学\u200b  土木学院分工会\n") == "东南大学 土木学院分工会"
    assert clean_typed_name("ＡＢＣ工会") == "ABC工会"


@pytest.mark.parametrize(
    ("a", "b", "near"),
    [
        ("南京金陵中学工会", "南京市金陵中学工会", True),
        ("金陵中学工会", "南京市金陵中学工会", True),
        ("南京市第一中学工会", "南京市第二中学工会", False),
        ("苏州市第一中学工会", "南京市第一中学工会", False),
    ],
)
def test_near_unit_names(a, b, near):
    assert is_near(a, b) is near


def test_a_second_phase_of_a_project_is_near_it():
    assert is_near("教职工心理关爱驿站（二期）", "教职工心理关爱驿站", numbers_matter=False)
    assert not is_near("教职工心理关爱驿站（二期）", "教职工心理关爱驿站")


def award(pk, project, *, org=None, unit="南京市金陵中学工会", year=2021, source="award"):
    return EarlierAward(source, pk, year, project, unit, org)


def test_the_same_organisations_project_is_the_same_whatever_the_spelling():
    same, near = match_earlier_awards(
        project_name="教職工 心理關愛驛站",
        organization_id=7,
        unit_name="南京市金陵中学工会",
        earlier=[award(1, "教职工心理关爱驿站", org=7)],
    )
    assert same.pk == 1 and near == []


def test_an_import_without_an_organisation_matches_on_the_units_name():
    earlier = [award(2, "教工书屋", unit="南京市金陵中學工會", source="import", year=2019)]
    same, _near = match_earlier_awards(
        project_name="教工书屋", organization_id=7, unit_name="南京市金陵中学工会", earlier=earlier
    )
    assert same.pk == 2


def test_another_units_project_of_the_same_name_is_near_not_the_same():
    earlier = [award(3, "教工书屋", org=8, unit="南京市金陵中学工会"), award(4, "教工合唱团", org=8)]
    same, near = match_earlier_awards(
        project_name="教工 书屋", organization_id=9, unit_name="无锡市第一中学工会", earlier=earlier
    )
    assert same is None and [a.pk for a in near] == [3]


def test_nothing_matches_an_empty_name():
    assert match_earlier_awards(project_name=" ", organization_id=1, unit_name="x", earlier=[award(1, "x")]) == (
        None,
        [],
    )
