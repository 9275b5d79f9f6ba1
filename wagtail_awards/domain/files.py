"""Rules for uploaded files (pure: no database).

A file is accepted when its name is clean, its extension is allowed for the field, its content starts with the
signature of that extension, it carries no HTML (a polyglot served inline could run script) and it is not larger
than the field's limit. Files are checked from a binary stream read in chunks, so a large file never sits in memory.
"""

import os
import re
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass
from typing import BinaryIO

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

#: Longest original name kept (characters, extension included).
MAX_NAME_LENGTH = 120
#: Bytes read at a time while checking content.
CHUNK_SIZE = 64 * 1024

_ZIP = (b"PK\x03\x04",)
_OLE = (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1",)

#: Extension → (content type, accepted leading byte signatures). Only these can be allowed on a field.
SIGNATURES: dict[str, tuple[str, tuple[bytes, ...]]] = {
    "pdf": ("application/pdf", (b"%PDF-",)),
    "png": ("image/png", (b"\x89PNG\r\n\x1a\n",)),
    "jpg": ("image/jpeg", (b"\xff\xd8\xff",)),
    "jpeg": ("image/jpeg", (b"\xff\xd8\xff",)),
    "gif": ("image/gif", (b"GIF87a", b"GIF89a")),
    "doc": ("application/msword", _OLE),
    "xls": ("application/vnd.ms-excel", _OLE),
    "ppt": ("application/vnd.ms-powerpoint", _OLE),
    "docx": ("application/vnd.openxmlformats-officedocument.wordprocessingml.document", _ZIP),
    "xlsx": ("application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", _ZIP),
    "pptx": ("application/vnd.openxmlformats-officedocument.presentationml.presentation", _ZIP),
    "zip": ("application/zip", _ZIP),
    "mp4": ("video/mp4", ()),  # checked by its "ftyp" box below
}

#: Extensions that must not appear anywhere in a name, even before an allowed one (``report.exe.pdf``).
DANGEROUS_EXTENSIONS = frozenset(
    "exe com bat cmd scr pif msi msp vbs vbe js jse jar wsf wsh ps1 psm1 sh bash csh php php3 php5 phtml phar "
    "pl py rb cgi asp aspx jsp htm html xhtml shtml svg hta swf dll so lnk reg".split()
)

#: Markers of HTML or script; none belongs in an accepted document or image.
HTML_MARKERS = (b"<script", b"<html", b"<!doctype html", b"<iframe", b"<body", b"<svg", b"<object", b"<embed")
_MARKER_OVERLAP = max(len(marker) for marker in HTML_MARKERS)

_CONTROL = re.compile(r"[\x00-\x1f\x7f]")
_UNSAFE = re.compile(r'[<>:"|?*]')


@dataclass(frozen=True)
class CheckedFile:
    """What an accepted file is stored with."""

    name: str
    extension: str
    content_type: str
    size: int
    sha256: str


def parse_extensions(value: str | Iterable[str]) -> list[str]:
    """``"PDF, .docx jpg"`` → ``["pdf", "docx", "jpg"]`` (lower case, no dots, no repeats, order kept)."""
    parts = re.split(r"[\s,;，；、]+", value) if isinstance(value, str) else list(value)
    seen = []
    for part in parts:
        ext = part.strip().lstrip(".").lower()
        if ext and ext not in seen:
            seen.append(ext)
    return seen


def unknown_extensions(extensions: Iterable[str]) -> list[str]:
    """The extensions whose content this module cannot check (an editor may not allow them)."""
    return [ext for ext in extensions if ext not in SIGNATURES]


def clean_name(name: str) -> str:
    """The uploaded name made safe to keep and to send back: no path, no control characters, bounded length.

    Raises ``ValidationError`` when nothing usable is left.
    """
    name = unicodedata.normalize("NFKC", name or "")
    name = _CONTROL.sub("", name)
    # Browsers on Windows may send a full path; keep the last part whichever separator it uses.
    name = re.split(r"[\\/]", name)[-1]
    name = _UNSAFE.sub("_", name).strip().strip(".").strip()
    if not name or name in {".", ".."}:
        raise ValidationError(_("The file has no usable name."), code="name")
    stem, dot, ext = name.rpartition(".")
    if not dot:
        stem, ext = name, ""
    if len(name) > MAX_NAME_LENGTH:
        keep = MAX_NAME_LENGTH - len(ext) - 1 if ext else MAX_NAME_LENGTH
        name = f"{stem[:keep].rstrip()}.{ext}" if ext else stem[:keep]
    return name


def extension_of(name: str) -> str:
    return os.path.splitext(name)[1].lstrip(".").lower()


def check_name(*, name: str, allowed: Iterable[str]) -> tuple[str, str]:
    """Clean ``name`` and check its extension against ``allowed``; return ``(clean name, extension)``.

    Raises ``ValidationError`` for a missing or disallowed extension and for a dangerous inner extension
    (``report.pdf.exe``, ``photo.php.jpg``).
    """
    allowed = parse_extensions(allowed)
    name = clean_name(name)
    ext = extension_of(name)
    if not ext or ext not in allowed:
        raise ValidationError(
            _("“%(name)s”: this type of file is not accepted here. Accepted: %(allowed)s.")
            % {"name": name, "allowed": ", ".join(allowed)},
            code="extension",
        )
    inner = [part.lower() for part in name.split(".")[1:-1]]
    if any(part in DANGEROUS_EXTENSIONS for part in inner):
        raise ValidationError(
            _("“%(name)s”: a file name may not hide another type before its extension.") % {"name": name},
            code="double_extension",
        )
    return name, ext


def matches_signature(*, extension: str, head: bytes) -> bool:
    """Whether the first bytes of a file are those of a file of type ``extension``."""
    if extension not in SIGNATURES:
        return False
    if extension == "mp4":
        return len(head) >= 12 and head[4:8] == b"ftyp"
    return any(head.startswith(signature) for signature in SIGNATURES[extension][1])


def check_size(*, name: str, size: int, max_size: int) -> None:
    if size > max_size:
        raise ValidationError(
            _("“%(name)s” is too large: at most %(limit)s are accepted.")
            % {"name": name, "limit": format_size(max_size)},
            code="size",
        )
    if size == 0:
        raise ValidationError(_("“%(name)s” is empty.") % {"name": name}, code="empty")


def format_size(size: int) -> str:
    """``20971520`` → ``"20 MB"``."""
    for unit, factor in (("GB", 1 << 30), ("MB", 1 << 20), ("KB", 1 << 10)):
        if size >= factor:
            value = size / factor
            return f"{value:.0f} {unit}" if value == int(value) else f"{value:.1f} {unit}"
    return f"{size} B"


def check_file(*, name: str, stream: BinaryIO, allowed: Iterable[str], max_size: int) -> CheckedFile:
    """Check one uploaded file read from ``stream`` (rewound before and after); return what to store.

    Raises ``ValidationError`` (with a translated message naming the file) for a bad name or extension, a size
    over ``max_size``, content that is not of the extension's type, or HTML anywhere in the content.
    Reads the stream in chunks of :data:`CHUNK_SIZE`, so memory use does not grow with the file.
    """
    import hashlib

    name, ext = check_name(name=name, allowed=allowed)
    stream.seek(0)
    digest = hashlib.sha256()
    size = 0
    head = b""
    tail = b""
    while chunk := stream.read(CHUNK_SIZE):
        size += len(chunk)
        if size > max_size:
            check_size(name=name, size=size, max_size=max_size)
        if len(head) < 16:
            head = (head + chunk)[:16]
        window = (tail + chunk).lower()
        if any(marker in window for marker in HTML_MARKERS):
            raise ValidationError(
                _("“%(name)s” contains web page code and is not accepted.") % {"name": name}, code="html"
            )
        tail = window[-_MARKER_OVERLAP:]
        digest.update(chunk)
    stream.seek(0)
    check_size(name=name, size=size, max_size=max_size)
    if not matches_signature(extension=ext, head=head):
        raise ValidationError(
            _("“%(name)s” is not really a %(type)s file.") % {"name": name, "type": ext.upper()}, code="content"
        )
    return CheckedFile(name=name, extension=ext, content_type=SIGNATURES[ext][0], size=size, sha256=digest.hexdigest())
