"""Application rules (pure): the window, completeness, reference numbers, answers as read, file counts and quotas.

Every refusal raises :class:`ApplicationRefused` with a translated message fit to show the applicant. Saving,
submitting and withdrawing are :mod:`wagtail_awards.services.applications`.
"""

import datetime as dt
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field

from django.utils.translation import gettext as _
from django.utils.translation import ngettext, pgettext

from ..enums import ApplicationStatus
from .files import format_size

#: The fields every application has, stored in columns of ``Application`` (the rest go into ``answers``).
FIXED_TEXT_FIELDS = ("reviewing_unit", "responsible_department", "unit_name", "project_name", "theme")
MATERIALS_FIELD = "materials"
DECLARATION_FIELD = "declaration"
RESERVED_NAMES = frozenset((*FIXED_TEXT_FIELDS, MATERIALS_FIELD, DECLARATION_FIELD, "token", "action", "remove_files"))

#: Statuses in which the applicant may still change the application.
EDITABLE_STATUSES = (ApplicationStatus.DRAFT, ApplicationStatus.WITHDRAWN)


class ApplicationRefused(Exception):
    """A rule refused the action; ``str(exc)`` is the translated message for the applicant."""

    def __init__(self, message, *, code="refused", fields=None, application=None):
        super().__init__(message)
        self.message = message
        self.code = code
        #: The application concerned, when there is one (e.g. the locked one a replayed POST found).
        self.application = application
        #: For an incomplete application: the names of the missing fields.
        self.fields = list(fields or [])


def check_window(*, now: dt.datetime, opens: dt.datetime | None, deadline: dt.datetime) -> None:
    """Refuse unless ``opens <= now <= deadline``; ``deadline`` is the last accepted instant (a second late is late)."""
    if opens is not None and now < opens:
        raise ApplicationRefused(_("Applications are not open yet."), code="not_open")
    if now > deadline:
        raise ApplicationRefused(
            _("The application deadline has passed; nothing can be saved or submitted any more."), code="closed"
        )


def missing_items(
    *, required: Mapping[str, str], values: Mapping[str, object], file_counts: Mapping[str, int]
) -> list[str]:
    """The names in ``required`` (name → label) with neither a non-blank value nor a file, in ``required`` order."""
    missing = []
    for name in required:
        value = values.get(name)
        if isinstance(value, str):
            value = value.strip()
        if value in (None, "", [], (), False) and not file_counts.get(name):
            missing.append(name)
    return missing


def list_separator() -> str:
    """What joins the items of a list in a message (“、” in Chinese)."""
    return pgettext("list separator", ", ")


def format_reference(*, year: int, number: int) -> str:
    """``2021, 1`` → ``"2021-0001"``."""
    return f"{year}-{number:04d}"


def next_reference(*, year: int, existing: Iterable[str]) -> str:
    """The reference after the highest of ``existing`` for ``year`` (``2021-0001`` when there is none)."""
    prefix = f"{year}-"
    numbers = [
        int(ref[len(prefix) :]) for ref in existing if ref and ref.startswith(prefix) and ref[len(prefix) :].isdigit()
    ]
    return format_reference(year=year, number=max(numbers, default=0) + 1)


def display_answer(value):
    """An answer as a person reads it: 是/否 for a checkbox, a list joined with “、”, the rest as it is."""
    if value is True:
        return _("Yes")
    if value is False:
        return _("No")
    if isinstance(value, list | tuple):
        return list_separator().join(str(v) for v in value)
    return value


def labelled_answers(*, answers: Mapping[str, object], fields: Iterable[tuple[str, str]]) -> list[tuple[str, object]]:
    """``(label, answer)`` of the editor-defined fields, in the form's order (``fields`` is ``(name, label)``).

    Answers are stored under the field's machine name (for a Chinese label, an escaped form such as
    ``u9879u76eeu7b80u4ecb``); a person sees the label. An answer whose field has left the form keeps its name.
    """
    fields = list(fields)
    known = {name for name, _label in fields}
    rows = [(label, display_answer(answers[name])) for name, label in fields if name in answers]
    rows += [(name, display_answer(value)) for name, value in answers.items() if name not in known]
    return rows


def is_locked(*, status: str) -> bool:
    """Whether an application in ``status`` is locked for its applicant."""
    return status not in EDITABLE_STATUSES


def can_withdraw(*, status: str, now: dt.datetime, deadline: dt.datetime) -> bool:
    return status == ApplicationStatus.SUBMITTED and now <= deadline


def check_file_counts(*, existing: Mapping[str, int], adding: Mapping[str, int], limits: Mapping[str, int]) -> None:
    """Refuse when a field would hold more files than its limit (``limits``: field name → most files; a field
    without one is not limited here).

    ``existing`` counts the files kept (after removals), ``adding`` the new ones, per field name.
    """
    over = [name for name, count in adding.items() if name in limits and existing.get(name, 0) + count > limits[name]]
    if over:
        raise ApplicationRefused(
            _("At most %(count)d files are accepted here; remove one first.") % {"count": limits[over[0]]},
            code="too_many_files",
            fields=over,
        )


def check_storage_quota(*, used: int, adding: int, quota: int) -> None:
    """Refuse when a unit keeping ``used`` bytes of files would pass its ``quota`` by adding ``adding`` (0: none)."""
    if quota and adding and used + adding > quota:
        raise ApplicationRefused(
            _(
                "Nothing was saved: your unit's files would take %(total)s, more than the %(quota)s it may keep. "
                "Remove files it no longer needs or send smaller ones."
            )
            % {"total": format_size(used + adding), "quota": format_size(quota)},
            code="quota",
        )


def check_open_drafts(*, open_drafts: int, limit: int) -> None:
    """Refuse a new draft when the unit already has ``limit`` drafts open in the call (0: no limit)."""
    if limit and open_drafts >= limit:
        raise ApplicationRefused(
            ngettext(
                "Nothing was saved: your unit already has %(count)d draft open in this call, the most allowed. "
                "Continue it from “My applications”.",
                "Nothing was saved: your unit already has %(count)d drafts open in this call, the most allowed. "
                "Continue one of them from “My applications”.",
                open_drafts,
            )
            % {"count": open_drafts},
            code="drafts",
        )


@dataclass
class NewFile:
    """An uploaded file already checked by ``rules.files.check_file``."""

    field_name: str
    upload: object  # a Django ``UploadedFile``
    checked: object  # ``rules.files.CheckedFile``


@dataclass
class DraftData:
    """What the applicant entered: fixed fields, editor-defined answers, the declaration and file changes."""

    fixed: dict = field(default_factory=dict)
    answers: dict = field(default_factory=dict)
    declaration: bool = False
    new_files: list[NewFile] = field(default_factory=list)
    remove_file_ids: list[int] = field(default_factory=list)
    #: Field name → most files the field holds (counted again under the application's row lock).
    max_files: dict = field(default_factory=dict)
