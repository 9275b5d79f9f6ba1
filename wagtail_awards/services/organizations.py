"""Importing the hierarchy of organisations from rows (a CSV file's)."""

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from ..enums import OrganizationKind
from ..models import Organization

KIND_ALIASES = {
    **{kind.value: kind for kind in OrganizationKind},
    **{str(kind.label): kind for kind in OrganizationKind},
    "省": OrganizationKind.PROVINCE,
    "市": OrganizationKind.CITY,
    "高校": OrganizationKind.UNIVERSITY,
    "科研院所": OrganizationKind.INSTITUTE,
    "基层": OrganizationKind.GRASSROOTS,
}


@dataclass
class ImportResult:
    created: int = 0
    updated: int = 0
    errors: list[str] = field(default_factory=list)


def import_organizations(*, rows: Iterable[Mapping[str, str]]) -> ImportResult:
    """Create or update organisations from rows with ``name``, ``kind``, ``parent`` (a name) and ``city``.

    Parents may come later in the file than their children. Side effects: writes ``Organization`` rows in one
    transaction; nothing is written when any row is wrong (the errors name the line numbers, from 2).
    """
    result = ImportResult()
    pending = []
    for line, row in enumerate(rows, start=2):
        name = (row.get("name") or "").strip()
        kind = KIND_ALIASES.get((row.get("kind") or "").strip())
        if not name:
            result.errors.append(_("Line %(line)d: the name is missing.") % {"line": line})
            continue
        if kind is None:
            result.errors.append(_("Line %(line)d: unknown kind “%(kind)s”.") % {"line": line, "kind": row.get("kind")})
            continue
        pending.append((line, name, kind, (row.get("parent") or "").strip(), (row.get("city") or "").strip()))
    if result.errors:
        return result

    with transaction.atomic():
        known = {org.name: org for org in Organization.objects.all()}
        # Resolve parents in as many passes as the depth of the tree needs.
        while pending:
            waiting = []
            for line, name, kind, parent_name, city in pending:
                if parent_name and parent_name not in known:
                    waiting.append((line, name, kind, parent_name, city))
                    continue
                org = known.get(name)
                created = org is None
                org = org or Organization(name=name)
                org.kind, org.city = kind, city
                org.parent = known[parent_name] if parent_name else None
                try:
                    org.full_clean()
                except ValidationError as exc:
                    messages = "; ".join(m for msgs in exc.message_dict.values() for m in msgs)
                    result.errors.append(_("Line %(line)d: %(error)s") % {"line": line, "error": messages})
                    continue
                org.save()
                known[name] = org
                result.created += created
                result.updated += not created
            if len(waiting) == len(pending):
                for line, _name, _kind, parent_name, _city in waiting:
                    result.errors.append(
                        _("Line %(line)d: unknown parent “%(parent)s”.") % {"line": line, "parent": parent_name}
                    )
                break
            pending = waiting
        if result.errors:
            transaction.set_rollback(True)
            result.created = result.updated = 0
    return result
