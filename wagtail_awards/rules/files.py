"""Rules for uploaded files (pure: no database).

A file is accepted when its name is clean, its extension is allowed for the field, its content starts with the
signature of that extension, it carries no HTML (a polyglot served inline could run script: tags in any of the
usual encodings, including UTF-16 and UTF-32, and event-handler attributes such as ``<img onerror=…>``), it is not
larger than the field's limit, and it is not one of the files that act on their own when a reviewer opens them in a
desktop program: a PDF with active content (script, actions on opening, launching programs, embedded files) or a
ZIP-based document (DOCX, XLSX, PPTX, ZIP) that expands past a size or ratio limit. Files are read in chunks or
mapped from disk, so a large file never sits in memory whole; a ZIP is judged from its central directory, never
by inflating it.
"""

import hashlib
import mmap
import os
import re
import struct
import unicodedata
import zipfile
import zlib
from base64 import a85decode
from collections.abc import Iterable
from dataclasses import dataclass
from typing import BinaryIO

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from django.utils.translation import pgettext

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
#: A tag with an event-handler attribute (``<img src=x onerror=…>``, ``<svg/onload=…>``), in lower-cased text. The
#: attribute text between may hold any byte but control characters and ``<>``, so binary data rarely runs long.
_EVENT_HANDLER = re.compile(rb"<[a-z][a-z0-9:-]*(?:[\s/][^<>\x00-\x08\x0b\x0e-\x1f]{0,400}?)?[\s/\"']on[a-z]{3,}\s*=")
_PRINTABLE = rb"[\x09\x0a\x0d\x20-\x7e]"
#: ASCII text written in UTF-16 or UTF-32 (either byte order, with or without a byte order mark) from a ``<`` on,
#: and the step that takes its ASCII bytes back out. Each starts with a literal, so a search skips ahead quickly.
_WIDE_TEXT = (
    (re.compile(rb"<\x00(?:" + _PRINTABLE + rb"\x00){3,}"), 0, 2),
    (re.compile(rb"\x00<(?:\x00" + _PRINTABLE + rb"){3,}"), 1, 2),
    (re.compile(rb"<\x00\x00\x00(?:" + _PRINTABLE + rb"\x00\x00\x00){3,}"), 0, 4),
    (re.compile(rb"\x00\x00\x00<(?:\x00\x00\x00" + _PRINTABLE + rb"){3,}"), 3, 4),
)
#: Bytes of one chunk kept for the next, so a marker or a tag split between two chunks is still seen.
_OVERLAP = 4096

#: ZIP-based formats, judged by their central directory.
ZIP_EXTENSIONS = frozenset({"docx", "xlsx", "pptx", "zip"})
#: Defaults of the ZIP limits (the app's settings ``WAGTAIL_AWARDS_ZIP_MAX_SIZE`` and ``…_ZIP_MAX_RATIO``).
ZIP_MAX_SIZE = 200 * 1024 * 1024
ZIP_MAX_RATIO = 100
#: The ratio counts only for files expanding past this (a tiny, very regular sheet may expand 200 times harmlessly).
ZIP_RATIO_FLOOR = 10 * 1024 * 1024
#: Most members a ZIP-based file may have (read from its end record before its directory is parsed).
ZIP_MAX_ENTRIES = 10_000

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


def html_in(window: bytes) -> bool:
    """Whether lower-cased ``window`` holds HTML or script: a marker tag or an event-handler attribute, in ASCII-
    compatible text (UTF-8, GB18030…) or in ASCII text written as UTF-16 or UTF-32."""
    texts = [window]
    for pattern, offset, step in _WIDE_TEXT:
        texts.extend(match.group()[offset::step] for match in pattern.finditer(window))
    for text in texts:
        if any(marker in text for marker in HTML_MARKERS) or _EVENT_HANDLER.search(text):
            return True
    return False


# PDF active content

#: PDF names whose presence makes a viewer act on its own: run script, act on opening or on page and field events,
#: launch a program, carry files, play embedded media or run an XML form.
PDF_ACTIVE_NAMES = ("JavaScript", "JS", "OpenAction", "AA", "Launch", "EmbeddedFile", "RichMedia", "XFA")
_PDF_DELIMITERS = rb"[\x00\t\n\x0c\r ()<>\[\]{}/%]"


def _pdf_name(name: str) -> bytes:
    """A pattern for a name after its ``/``, however it is written: each character as itself or as ``#xx``."""
    parts = []
    for char in name:
        code = ord(char)
        parts.append(
            rb"(?:"
            + re.escape(char.encode())
            + rb"|#"
            + (b"%x" % (code >> 4))
            + rb"["
            + (b"%x%X" % (code & 15, code & 15))
            + rb"])"
        )
    return b"".join(parts)


#: Long names, looked for everywhere (stream data too: by chance they do not occur in binary data). The ``/``
#: stands before the alternatives so that a search skips from one ``/`` to the next.
_PDF_LONG = re.compile(
    rb"/(?:" + b"|".join(rb"(?P<%s>%s)" % (n.encode(), _pdf_name(n)) for n in PDF_ACTIVE_NAMES if len(n) > 3) + rb")"
)
#: Short names (``/JS``, ``/AA``, ``/XFA``): whole names only, looked for outside stream data, where a 3-byte run
#: would turn up by chance in about one compressed file in twelve of 20 MB.
_PDF_SHORT = re.compile(
    rb"/(?:"
    + b"|".join(rb"(?P<%s>%s)" % (n.encode(), _pdf_name(n)) for n in PDF_ACTIVE_NAMES if len(n) <= 3)
    + rb")(?="
    + _PDF_DELIMITERS
    + rb"|$)"
)
_PDF_STREAM = re.compile(rb">>[\x00\t\n\x0c\r ]*stream(?:\r\n|\n|\r)")
_PDF_DESTINATION = re.compile(rb"[\x00\t\n\x0c\r ]*\[")
_PDF_ESCAPE = re.compile(rb"#([0-9A-Fa-f]{2})")
_PDF_FILTER = re.compile(rb"/Filter[\x00\t\n\x0c\r ]*(\[[^\]]*\]|/[A-Za-z0-9]+)")
#: Object streams inflated to look inside, at most this many bytes in all (and 8 times the file's own size).
PDF_MAX_INFLATED = 64 * 1024 * 1024


class PdfUncheckable(Exception):
    """The PDF hides objects in streams this module cannot read (encrypted, damaged or unusually encoded)."""


def _pdf_names_in(text, *, short: bool) -> set[str]:
    found = set()
    patterns = (_PDF_LONG, _PDF_SHORT) if short else (_PDF_LONG,)
    for pattern in patterns:
        for match in pattern.finditer(text):
            name = match.lastgroup
            # "/OpenAction [page /Fit]" only says where the document opens; an action dictionary is active.
            if name == "OpenAction" and _PDF_DESTINATION.match(text, match.end()):
                continue
            found.add(name)
    return found


def _pdf_decode(data: bytes, filters: list[bytes], budget: int) -> bytes:
    for name in filters:
        if name in (b"FlateDecode", b"Fl"):
            inflater = zlib.decompressobj()
            try:
                data = inflater.decompress(data, budget + 1)
            except zlib.error as exc:
                raise PdfUncheckable from exc
        elif name in (b"ASCIIHexDecode", b"AHx"):
            digits = re.sub(rb"[^0-9A-Fa-f]", b"", data.split(b">")[0])
            data = bytes.fromhex((digits + b"0" * (len(digits) % 2)).decode())
        elif name in (b"ASCII85Decode", b"A85"):
            try:
                data = a85decode(data.split(b"~>")[0] + b"~>", adobe=data.lstrip().startswith(b"<~"))
            except ValueError as exc:
                raise PdfUncheckable from exc
        else:
            raise PdfUncheckable
        if len(data) > budget:
            raise PdfUncheckable
    return data


def pdf_active_content(data) -> set[str]:
    """The active-content names (from :data:`PDF_ACTIVE_NAMES`) a PDF holds, given its bytes (or a memory map).

    Names are matched however they are escaped (``/J#61vaScript``), in the document's dictionaries, in the
    dictionaries of its streams and inside its object streams (inflated within a budget). Reads each byte a few
    times at most: linear in the file's size. Raises :class:`PdfUncheckable` when an object stream cannot be read.
    """
    found = _pdf_names_in(data, short=False)
    position, budget = 0, min(PDF_MAX_INFLATED, 8 * len(data) + 65536)
    for match in _PDF_STREAM.finditer(data):
        if match.start() < position:
            continue  # inside the data of the stream before
        found |= _pdf_names_in(data[position : match.start()], short=True)
        end = data.find(b"endstream", match.end())
        end = len(data) if end < 0 else end
        window_start = max(0, match.start() - 4096)
        dictionary = data[max(data.rfind(b"obj", window_start, match.start()), window_start) : match.start()]
        dictionary = _PDF_ESCAPE.sub(lambda m: bytes([int(m.group(1), 16)]), dictionary)
        if b"/ObjStm" in dictionary:
            # Objects packed in a stream: their dictionaries are only visible once decoded.
            if b"/DecodeParms" in dictionary or b"/DP" in dictionary:
                raise PdfUncheckable
            filters = _PDF_FILTER.search(dictionary)
            names = re.findall(rb"/([A-Za-z0-9]+)", filters.group(1)) if filters else []
            decoded = _pdf_decode(bytes(data[match.end() : end]), names, budget)
            budget -= len(decoded)
            found |= _pdf_names_in(decoded, short=True)
        position = end
    found |= _pdf_names_in(data[position:], short=True)
    return found


# ZIP-based documents


@dataclass(frozen=True)
class ZipFacts:
    """What a ZIP's directory declares: its members and the bytes they expand to."""

    entries: int
    expanded: int
    size: int


def _zip_entry_count(stream: BinaryIO, size: int) -> int:
    """The member count from the end-of-central-directory record (ZIP64 too), before the directory is parsed."""
    tail_size = min(size, 65536 + 22)
    stream.seek(size - tail_size)
    tail = stream.read(tail_size)
    at = tail.rfind(b"PK\x05\x06")
    if at < 0:
        raise zipfile.BadZipFile("no end record")
    entries = struct.unpack("<H", tail[at + 10 : at + 12])[0]
    locator = tail.rfind(b"PK\x06\x07", 0, at)
    if locator >= 0 and len(tail) >= locator + 20:
        record_offset = struct.unpack("<Q", tail[locator + 8 : locator + 16])[0]
        stream.seek(record_offset)
        record = stream.read(56)
        if record[:4] == b"PK\x06\x06" and len(record) >= 40:
            entries = max(entries, struct.unpack("<Q", record[32:40])[0])
    return entries


def zip_facts(stream: BinaryIO) -> ZipFacts:
    """Read a ZIP's directory (nothing is inflated). Raises ``zipfile.BadZipFile`` for what is not a ZIP, and
    ``ValueError`` when it has more than :data:`ZIP_MAX_ENTRIES` members (before their directory is parsed)."""
    stream.seek(0, os.SEEK_END)
    size = stream.tell()
    entries = _zip_entry_count(stream, size)
    if entries > ZIP_MAX_ENTRIES:
        raise ValueError(entries)
    stream.seek(0)
    with zipfile.ZipFile(stream) as archive:
        infos = archive.infolist()
    if len(infos) > ZIP_MAX_ENTRIES:
        raise ValueError(len(infos))
    return ZipFacts(entries=len(infos), expanded=sum(info.file_size for info in infos), size=size)


def zip_too_large(facts: ZipFacts, *, max_size: int = ZIP_MAX_SIZE, max_ratio: int = ZIP_MAX_RATIO) -> bool:
    """Whether a ZIP expands past ``max_size`` bytes, or past ``max_ratio`` times its size (beyond 10 MB)."""
    if facts.expanded > max_size:
        return True
    return facts.expanded > ZIP_RATIO_FLOOR and facts.expanded > max_ratio * max(facts.size, 1)


def _buffer(stream: BinaryIO):
    """The whole stream as bytes, mapped from disk when it is a file (a temporary upload), else read."""
    try:
        return mmap.mmap(stream.fileno(), 0, access=mmap.ACCESS_READ)
    except (AttributeError, OSError, ValueError):
        stream.seek(0)
        return stream.read()


def check_active_content(
    *, name: str, extension: str, stream: BinaryIO, zip_max_size: int = ZIP_MAX_SIZE, zip_max_ratio: int = ZIP_MAX_RATIO
) -> None:
    """Refuse a PDF with active content or that cannot be checked, and a ZIP-based file that is not a ZIP or expands
    past the limits. Other types pass. The stream is left rewound."""
    try:
        if extension == "pdf":
            data = _buffer(stream)
            try:
                found = pdf_active_content(data)
            except PdfUncheckable:
                raise ValidationError(
                    _(
                        "“%(name)s” is encrypted or damaged, so its content cannot be checked. Save it again as an "
                        "ordinary PDF."
                    )
                    % {"name": name},
                    code="pdf_unchecked",
                ) from None
            finally:
                if isinstance(data, mmap.mmap):
                    data.close()
            if found:
                raise ValidationError(
                    _(
                        "“%(name)s” contains active content (%(what)s), which reviewers' programs could run. Save it "
                        "again without scripts, actions or attachments (e.g. print it to PDF)."
                    )
                    % {"name": name, "what": pgettext("list separator", ", ").join(sorted(found))},
                    code="pdf_active",
                )
        elif extension in ZIP_EXTENSIONS:
            try:
                facts = zip_facts(stream)
            except zipfile.BadZipFile:
                raise ValidationError(
                    _("“%(name)s” is not really a %(type)s file.") % {"name": name, "type": extension.upper()},
                    code="content",
                ) from None
            except ValueError:
                facts = None
            if facts is None or zip_too_large(facts, max_size=zip_max_size, max_ratio=zip_max_ratio):
                raise ValidationError(
                    _(
                        "“%(name)s” expands to far more than its size (at most %(limit)s), as a damaged or harmful "
                        "file does; it is not accepted."
                    )
                    % {"name": name, "limit": format_size(zip_max_size)},
                    code="zip_bomb",
                )
    finally:
        stream.seek(0)


def check_file(
    *,
    name: str,
    stream: BinaryIO,
    allowed: Iterable[str],
    max_size: int,
    zip_max_size: int = ZIP_MAX_SIZE,
    zip_max_ratio: int = ZIP_MAX_RATIO,
) -> CheckedFile:
    """Check one uploaded file read from ``stream`` (rewound before and after); return what to store.

    Raises ``ValidationError`` (with a translated message naming the file) for a bad name or extension, a size
    over ``max_size``, content that is not of the extension's type, HTML anywhere in the content, a PDF with active
    content and a ZIP-based file expanding past ``zip_max_size`` bytes or ``zip_max_ratio`` times its size.
    Reads the stream in chunks of :data:`CHUNK_SIZE` (a PDF is mapped from disk), so memory use does not grow with
    the file.
    """
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
        if html_in(window):
            raise ValidationError(
                _("“%(name)s” contains web page code and is not accepted.") % {"name": name}, code="html"
            )
        tail = window[-_OVERLAP:]
        digest.update(chunk)
    stream.seek(0)
    check_size(name=name, size=size, max_size=max_size)
    if not matches_signature(extension=ext, head=head):
        raise ValidationError(
            _("“%(name)s” is not really a %(type)s file.") % {"name": name, "type": ext.upper()}, code="content"
        )
    check_active_content(
        name=name, extension=ext, stream=stream, zip_max_size=zip_max_size, zip_max_ratio=zip_max_ratio
    )
    return CheckedFile(name=name, extension=ext, content_type=SIGNATURES[ext][0], size=size, sha256=digest.hexdigest())
