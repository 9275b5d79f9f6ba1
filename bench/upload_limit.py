"""What an upload costs the server under the request-size policy, against Django's own handlers, side by side.

    .venv/bin/python bench/upload_limit.py [--size-mb 64] [--limit-mb 20]

A multipart body carrying one file of ``--size-mb`` is parsed by Django's multipart parser in this process (no
server, no database), with:

- ``default``: Django's own upload handlers only (memory up to 2.5 MB, then a temporary file): what any view whose
  body is read first by the CSRF middleware used to cost, for anyone, anonymous visitors included;
- ``limited``: ``wagtail_awards.uploads.LimitedUploadHandler`` in front, the file's field limited to ``--limit-mb``;
- ``unknown``: the same handler, the file sent under a field name the form does not have (0 bytes allowed);
- ``anonymous``: the site-wide ``UploadPolicyHandler`` in front, for an anonymous visitor;
- ``baseline``: a file of exactly ``--limit-mb`` through the default handlers (what an accepted file costs).

It prints the bytes written to temporary files, the peak Python memory (tracemalloc) and the parse time of each,
and ratios to ``default`` and to ``baseline``: the limited parse writes at most the limit, the unknown and anonymous
ones nothing.
"""

import argparse
import io
import os
import sys
import time
import tracemalloc
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "example_site.settings.test")

MB = 1024 * 1024


def body_for(size, field="materials"):
    boundary = "BenchBoundary"
    head = (
        f'--{boundary}\r\nContent-Disposition: form-data; name="{field}"; filename="big.pdf"\r\n'
        "Content-Type: application/pdf\r\n\r\n"
    ).encode()
    tail = f"\r\n--{boundary}--\r\n".encode()
    payload = b"%PDF-" + bytes(size - 5)
    return boundary, head + payload + tail


def parse(body, boundary, *, limit=None, policy=False):
    from django.contrib.auth.models import AnonymousUser, User
    from django.core.files.uploadhandler import load_handler
    from django.http.multipartparser import MultiPartParser
    from django.test import RequestFactory

    from wagtail_awards.uploads import LimitedUploadHandler, UploadPolicyHandler

    request = RequestFactory().post("/")
    request.user = AnonymousUser() if policy else User(username="applicant")
    written = {"bytes": 0}

    class CountingTemporary(
        load_handler("django.core.files.uploadhandler.TemporaryFileUploadHandler", request).__class__
    ):
        def receive_data_chunk(self, raw_data, start):
            written["bytes"] += len(raw_data)
            return super().receive_data_chunk(raw_data, start)

    handlers = [
        load_handler("django.core.files.uploadhandler.MemoryFileUploadHandler", request),
        CountingTemporary(request),
    ]
    if limit is not None:
        handlers.insert(0, LimitedUploadHandler(request, limits={"materials": limit}, max_total=len(body)))
    if policy:
        handlers.insert(0, UploadPolicyHandler(request))
    meta = {"CONTENT_TYPE": f"multipart/form-data; boundary={boundary}", "CONTENT_LENGTH": str(len(body))}
    tracemalloc.start()
    started = time.perf_counter()
    _post, files = MultiPartParser(meta, io.BytesIO(body), handlers).parse()
    elapsed = time.perf_counter() - started
    _current, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    kept = sum(f.size for f in files.values())
    for f in files.values():
        f.close()
    return {"written": written["bytes"], "peak": peak, "seconds": elapsed, "kept": kept}


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--size-mb", type=int, default=64)
    parser.add_argument("--limit-mb", type=int, default=20)
    args = parser.parse_args()

    import django

    django.setup()
    from django.test import override_settings

    boundary, big = body_for(args.size_mb * MB)
    _boundary, unknown = body_for(args.size_mb * MB, field="junk")
    _boundary, exact = body_for(args.limit_mb * MB)
    with override_settings(WAGTAIL_AWARDS_MAX_REQUEST_SIZE=2 * len(big)):
        runs = {
            "default": parse(big, boundary),
            "limited": parse(big, boundary, limit=args.limit_mb * MB),
            "unknown": parse(unknown, boundary, limit=args.limit_mb * MB),
            "anonymous": parse(big, boundary, policy=True),
            "baseline": parse(exact, boundary),
        }
    print(f"file {args.size_mb} MB, limit {args.limit_mb} MB")
    print(f"{'run':<10}{'written MB':>12}{'kept MB':>10}{'peak MB':>10}{'seconds':>10}")
    for name, run in runs.items():
        print(
            f"{name:<10}{run['written'] / MB:>12.1f}{run['kept'] / MB:>10.1f}{run['peak'] / MB:>10.2f}"
            f"{run['seconds']:>10.3f}"
        )
    default, baseline = runs["default"], runs["baseline"]
    for name in ("limited", "unknown", "anonymous"):
        run = runs[name]
        print(
            f"{name}: written/default = {run['written'] / default['written']:.2f}, "
            f"written/baseline = {run['written'] / max(baseline['written'], 1):.2f}, "
            f"time/default = {run['seconds'] / default['seconds']:.2f}"
        )
    assert all(runs[name]["kept"] == 0 for name in ("limited", "unknown", "anonymous")), "nothing may be kept"
    assert runs["unknown"]["written"] == runs["anonymous"]["written"] == 0, "nothing may be written"


if __name__ == "__main__":
    main()
