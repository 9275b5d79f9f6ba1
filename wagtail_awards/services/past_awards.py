"""Importing the awards of years before the site (往年获奖项目) from a CSV or XLSX file into ``PastAward`` rows.

The matching of a project against earlier awards is :mod:`wagtail_awards.rules.past_awards`.
"""

import csv
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import Path

from django.db import transaction
from django.utils.translation import gettext as _
from openpyxl import load_workbook

from ..models import PastAward
from ..rules.names import normalise_name
from ..rules.past_awards import normalise_row


@dataclass
class ImportResult:
    created: int = 0
    unchanged: int = 0
    errors: list[str] = field(default_factory=list)


def import_past_awards(*, rows: Iterable[Mapping]) -> ImportResult:
    """Create ``PastAward`` rows from ``year, project_name, unit_name[, prize]`` rows (Chinese headers accepted).

    A row already present (same year and normalised names) is left as it is. Side effects: writes in one
    transaction; nothing is written when any row is wrong (errors name the line numbers, from 2).
    """
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
    path = Path(path)
    if path.suffix.lower() in (".xlsx", ".xlsm"):
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
