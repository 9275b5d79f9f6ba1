"""What an oversize upload costs the server, with the application form's streaming limit and without it.

    .venv/bin/python bench/upload_limit.py [--size-mb 64] [--limit-mb 20]

A multipart body carrying one file of ``--size-mb`` is parsed by Django's multipart parser three ways, in the same
run, in this process (no server, no database):

- ``default``: Django's own upload handlers (memory up to 2.5 MB, then a temporary file);
- ``limited``: ``wagtail_awards.uploads.LimitedUploadHandler`` in front of them with a ``--limit-mb`` limit;
- ``baseline``: a file of exactly ``--limit-mb`` through the default handlers (what an accepted file costs).

It prints the bytes written to temporary files, the peak Python memory (tracemalloc) and the parse time of each,
and the ratios of ``limited`` to ``default`` and to ``baseline``: the limited parse should write at most the limit,
never the whole file.
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


def body_for(size):
    boundary = "BenchBoundary"
    head = (
        f'--{boundary}\r\nContent-Disposition: form-data; name="materials"; filename="big.pdf"\r\n'
        "Content-Type: application/pdf\r\n\r\n"
    ).encode()
    tail = f"\r\n--{boundary}--\r\n".encode()
    payload = b"%PDF-" + bytes(size - 5)
    return boundary, head + payload + tail


def parse(body, boundary, *, limit=None):
    from django.core.files.uploadhandler import load_handler
    from django.http.multipartparser import MultiPartParser
    from django.test import RequestFactory

    from wagtail_awards.uploads import LimitedUploadHandler

    request = RequestFactory().post("/")
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
        handlers.insert(0, LimitedUploadHandler(request, limits={"materials": limit}, default_limit=limit))
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
    boundary, big = body_for(args.size_mb * MB)
    _boundary, exact = body_for(args.limit_mb * MB)
    runs = {
        "default": parse(big, boundary),
        "limited": parse(big, boundary, limit=args.limit_mb * MB),
        "baseline": parse(exact, boundary),
    }
    print(f"file {args.size_mb} MB, limit {args.limit_mb} MB")
    print(f"{'run':<10}{'written MB':>12}{'kept MB':>10}{'peak MB':>10}{'seconds':>10}")
    for name, run in runs.items():
        print(
            f"{name:<10}{run['written'] / MB:>12.1f}{run['kept'] / MB:>10.1f}{run['peak'] / MB:>10.2f}"
            f"{run['seconds']:>10.3f}"
        )
    limited, default, baseline = runs["limited"], runs["default"], runs["baseline"]
    print(
        f"written: limited/default = {limited['written'] / default['written']:.2f}, "
        f"limited/baseline = {limited['written'] / max(baseline['written'], 1):.2f}"
    )
    print(f"time: limited/default = {limited['seconds'] / default['seconds']:.2f}")
    assert limited["kept"] == 0, "the oversize file must not be kept"


if __name__ == "__main__":
    main()
