"""What the content checks of an uploaded file cost: the full check against the earlier one, side by side.

    .venv/bin/python bench/file_checks.py [--size-mb 20] [--rounds 3]

Makes three files of ``--size-mb`` on disk, as an upload is kept in a temporary file: a PDF (pages of compressed,
random-looking content, an image, and object streams), a DOCX (a ZIP holding a stored image and compressed XML)
and a PNG. Each is checked by:

- ``earlier``: the check as it was before the active-content rules (read in chunks, SHA-256, the HTML marker list);
- ``full``: ``wagtail_awards.rules.files.check_file`` (the same, plus HTML in UTF-16/UTF-32 and event handlers,
  and the PDF active-content scan or the ZIP directory check);
- ``pdf scan`` / ``zip directory``: those two alone.

Prints the best time of ``--rounds`` for each, the peak Python memory (tracemalloc; a PDF is mapped from disk, which
tracemalloc does not count, so its resident size is the page cache's), and the ratio of each to ``earlier``.
"""

import argparse
import hashlib
import io
import os
import random
import sys
import tempfile
import time
import tracemalloc
import zipfile
import zlib
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "example_site.settings.test")

MB = 1024 * 1024
HTML_MARKERS = (b"<script", b"<html", b"<!doctype html", b"<iframe", b"<body", b"<svg", b"<object", b"<embed")


def noise(size, seed):
    return random.Random(seed).randbytes(size)


def make_pdf(size):
    parts = [
        b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n",
        b"1 0 obj\n<< /Type /Catalog /Pages 2 0 R /OpenAction [3 0 R /Fit] >>\nendobj\n",
    ]
    number = 3
    packed = b" ".join(
        b"%d 0 << /Type /Page /Parent 2 0 R /Resources << /Font << /F1 9 0 R >> >> >>" % n for n in range(200)
    )
    parts.append(
        b"%d 0 obj\n<< /Type /ObjStm /N 200 /First 0 /Filter /FlateDecode /Length %d >>\nstream\n"
        % (number, len(zlib.compress(packed)))
        + zlib.compress(packed)
        + b"\nendstream\nendobj\n"
    )
    while sum(map(len, parts)) < size - 300 * 1024:
        number += 1
        content = noise(256 * 1024, number)  # compressed page content looks like this
        parts.append(
            b"%d 0 obj\n<< /Length %d /Filter /FlateDecode >>\nstream\n" % (number, len(content))
            + content
            + b"\nendstream\nendobj\n"
        )
        parts.append(
            b"%d 0 obj\n<< /Type /Font /Subtype /Type0 /BaseFont /AAAAAA+SimSun >>\nendobj\n" % (number + 1000)
        )
    parts.append(b"trailer\n<< /Root 1 0 R >>\n%%EOF\n")
    return b"".join(parts)


def make_docx(size):
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("[Content_Types].xml", "<Types/>", zipfile.ZIP_DEFLATED)
        text = ("<w:p><w:r><w:t>工会服务项目申报材料</w:t></w:r></w:p>" * 20000).encode()
        archive.writestr("word/document.xml", text, zipfile.ZIP_DEFLATED)
        archive.writestr(
            "word/media/image1.png", b"\x89PNG\r\n\x1a\n" + noise(size - 200 * 1024, 1), zipfile.ZIP_STORED
        )
    return buffer.getvalue()


def make_png(size):
    return b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + noise(size - 16, 2)


def earlier_check(stream):
    """The content check as it was: chunks, SHA-256 and the marker list on lower-cased text."""
    digest, tail = hashlib.sha256(), b""
    stream.seek(0)
    while chunk := stream.read(64 * 1024):
        window = (tail + chunk).lower()
        if any(marker in window for marker in HTML_MARKERS):
            return False
        tail = window[-16:]
        digest.update(chunk)
    return True


def timed(function, rounds):
    best, peak = None, 0
    for _ in range(rounds):
        tracemalloc.start()
        started = time.perf_counter()
        function()
        elapsed = time.perf_counter() - started
        peak = max(peak, tracemalloc.get_traced_memory()[1])
        tracemalloc.stop()
        best = elapsed if best is None else min(best, elapsed)
    return best, peak


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--size-mb", type=int, default=20)
    parser.add_argument("--rounds", type=int, default=3)
    args = parser.parse_args()

    import django

    django.setup()
    from wagtail_awards.rules import files

    size = args.size_mb * MB
    makers = {"pdf": make_pdf, "docx": make_docx, "png": make_png}
    print(f"files of {args.size_mb} MB, best of {args.rounds}")
    print(f"{'file':<6}{'check':<15}{'seconds':>10}{'peak MB':>10}{'× earlier':>11}")
    with tempfile.TemporaryDirectory() as directory:
        for ext, make in makers.items():
            path = Path(directory) / f"bench.{ext}"
            path.write_bytes(make(size))
            with path.open("rb") as stream:
                runs = {
                    "earlier": lambda stream=stream: earlier_check(stream),
                    "full": lambda stream=stream, ext=ext: files.check_file(
                        name=f"a.{ext}", stream=stream, allowed=[ext], max_size=2 * size
                    ),
                }
                if ext == "pdf":
                    runs["pdf scan"] = lambda stream=stream: files.check_active_content(
                        name="a.pdf", extension="pdf", stream=stream
                    )
                if ext == "docx":
                    runs["zip directory"] = lambda stream=stream: files.zip_facts(stream)
                results = {name: timed(run, args.rounds) for name, run in runs.items()}
            base = results["earlier"][0]
            for name, (seconds, peak) in results.items():
                print(f"{ext:<6}{name:<15}{seconds:>10.3f}{peak / MB:>10.2f}{seconds / base:>11.2f}")


if __name__ == "__main__":
    main()
