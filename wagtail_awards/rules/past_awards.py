"""Earlier years' awards (往年已获奖项目), which may not apply again: matching a project against them, and reading
the rows of an import (pure; the import itself is :mod:`wagtail_awards.services.past_awards`).

A project is *the same* as an earlier award when it is the same organisation's (the applicant's unit, not a name
anyone types) and its name is the same once reduced (:func:`rules.names.normalise_name`: full/half width,
traditional/simplified, spaces, punctuation, invisible characters). It is *near* one when the same organisation's
names are alike but not the same, or when the same project name stands under another unit: a province
administrator decides those.
"""

from collections.abc import Iterable, Mapping
from dataclasses import asdict, dataclass

from . import names

#: Accepted column names (English or Chinese) → field.
COLUMNS = {
    "year": "year",
    "年度": "year",
    "年份": "year",
    "project_name": "project_name",
    "project": "project_name",
    "项目名称": "project_name",
    "unit_name": "unit_name",
    "unit": "unit_name",
    "申报单位": "unit_name",
    "申报单位名称": "unit_name",
    "单位": "unit_name",
    "prize": "prize",
    "奖项": "prize",
    "获奖等次": "prize",
}


@dataclass(frozen=True)
class EarlierAward:
    """An award of an earlier year, from the site's own final awards or from an import."""

    source: str  # "award" (made final on the site) or "import" (a PastAward row)
    pk: int
    year: int
    project_name: str
    unit_name: str
    organization_id: int | None

    def as_dict(self) -> dict:
        return asdict(self)


def match_earlier_awards(
    *, project_name: str, organization_id: int, unit_name: str, earlier: Iterable[EarlierAward]
) -> tuple[EarlierAward | None, list[EarlierAward]]:
    """``(the same award or None, near ones)`` for a project of one organisation (pure).

    An earlier award belongs to the organisation when its ``organization_id`` is the organisation's, or, for an
    imported row not linked to an organisation, when its unit name reduces to the organisation's name.
    """
    project, unit = names.normalise_name(project_name), names.normalise_name(unit_name)
    if not project:
        return None, []
    same, near = None, []
    for award in sorted(earlier, key=lambda a: (-a.year, a.source, a.pk)):
        if award.organization_id is not None:
            own = award.organization_id == organization_id
        else:
            own = names.normalise_name(award.unit_name) == unit
        award_project = names.normalise_name(award.project_name)
        if own and award_project == project:
            same = same or award
        elif own and names.is_near(award.project_name, project_name, numbers_matter=False):
            near.append(award)
        elif award_project == project:
            # Another unit's project of the same name: a renamed unit, or a copied project; someone looks.
            near.append(award)
    return same, near


def normalise_row(row: Mapping) -> dict:
    result = {}
    for key, value in row.items():
        name = COLUMNS.get(str(key or "").strip().lower()) or COLUMNS.get(str(key or "").strip())
        if name:
            result[name] = "" if value is None else str(value).strip()
    return result
