"""Earlier years' awards (往年已获奖项目), which may not apply again: matching a project against them, and importing
the awards of years before the site.

A project is *the same* as an earlier award when it is the same organisation's (the applicant's unit, not a name
anyone types) and its name is the same once reduced (:func:`domain.names.normalise_name`: full/half width,
traditional/simplified, spaces, punctuation, invisible characters). It is *near* one when the same organisation's
names are alike but not the same, or when the same project name stands under another unit: a province
administrator decides those.
"""

from collections.abc import Iterable, Mapping
from dataclasses import asdict, dataclass, field

from django.db import transaction
from django.utils.translation import gettext as _

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


@dataclass
class ImportResult:
    created: int = 0
    unchanged: int = 0
    errors: list[str] = field(default_factory=list)


def normalise_row(row: Mapping) -> dict:
    result = {}
    for key, value in row.items():
        name = COLUMNS.get(str(key or "").strip().lower()) or COLUMNS.get(str(key or "").strip())
        if name:
            result[name] = "" if value is None else str(value).strip()
    return result


def import_past_awards(*, rows: Iterable[Mapping]) -> ImportResult:
    """Create ``PastAward`` rows from ``year, project_name, unit_name[, prize]`` rows (Chinese headers accepted).

    A row already present (same year and normalised names) is left as it is. Side effects: writes in one
    transaction; nothing is written when any row is wrong (errors name the line numbers, from 2).
    """
    from ..models import PastAward, normalise_name

    result = ImportResult()
    pending = []
    for line, raw in enumerate(rows, start=2):
        row = normalise_row(raw)
        if not any(row.values()):
            continue
        year = row.get("year", "")
        try:
            year_value = int(float(year))
        except ValueError:
            year_value = 0
        if not 2000 <= year_value <= 2100:
            result.errors.append(_("Line %(line)d: “%(year)s” is not a year.") % {"line": line, "year": year})
            continue
        if not row.get("project_name") or not row.get("unit_name"):
            result.errors.append(_("Line %(line)d: the project name and the unit name are needed.") % {"line": line})
            continue
        pending.append((year_value, row["project_name"], row["unit_name"], row.get("prize", "")))
    if result.errors:
        return result
    with transaction.atomic():
        for year, project, unit, prize in pending:
            _award, created = PastAward.objects.get_or_create(
                year=year,
                normalised_project=normalise_name(project),
                normalised_unit=normalise_name(unit),
                defaults={"project_name": project, "unit_name": unit, "prize": prize},
            )
            result.created += created
            result.unchanged += not created
    return result


def read_rows(path) -> list[dict]:
    """The rows of a CSV (UTF-8, with or without BOM, or GB18030) or XLSX file, as dicts keyed by the header."""
    import csv
    from pathlib import Path

    path = Path(path)
    if path.suffix.lower() in (".xlsx", ".xlsm"):
        from openpyxl import load_workbook

        workbook = load_workbook(path, read_only=True, data_only=True)
        sheet = workbook.active
        values = list(sheet.iter_rows(values_only=True))
        workbook.close()
        if not values:
            return []
        header = [str(h or "").strip() for h in values[0]]
        return [dict(zip(header, row, strict=False)) for row in values[1:]]
    raw = path.read_bytes()
    for encoding in ("utf-8-sig", "gb18030"):
        try:
            text = raw.decode(encoding)
            break
        except UnicodeDecodeError:
            continue
    else:
        raise ValueError(_("The file is neither UTF-8 nor GB18030 text."))
    return list(csv.DictReader(text.splitlines()))
