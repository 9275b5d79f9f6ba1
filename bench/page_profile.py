"""Where a rendered public page spends its time: queries, cache calls and a profile, for a signed-in visitor.

    DATABASE_URL=postgres://user:pw@127.0.0.1:5432/awards_profile REDIS_URL=redis://127.0.0.1:6379/5 \\
        .venv/bin/python bench/page_profile.py [--requests 200] [--top 30] [--page voting]

The database is emptied and migrated and the demo is loaded (as ``bench/throughput.py`` does); the shared cache is
not flushed (its keys carry the prefix ``profile``); the open vote gets ``--candidates`` candidates (20, as the
bench). Each page (the site root, the notice, the voting, publicity
and results pages) is asked twice to warm the fragments and rows, then ``--requests`` times through Django's
test client with the session of a verified voter (the page is built by Django, as for a signed-in visitor in
production). It prints per page: milliseconds a request, SQL queries and cache calls a request (by operation), and
for ``--page`` the functions taking the most time (cProfile, cumulative and own time).
"""

import argparse
import cProfile
import io
import os
import pstats
import sys
import time
from collections import Counter

import serving


def parse_args():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--requests", type=int, default=200)
    parser.add_argument("--candidates", type=int, default=20, help="candidates of the open vote (as the bench)")
    parser.add_argument("--top", type=int, default=30, help="functions listed in the profile")
    parser.add_argument("--page", default="voting", help="plain, notice, voting, publicity or results")
    return parser.parse_args()


class CacheCalls:
    """Counts the shared cache's calls by operation while it is on (wraps the cache object's methods)."""

    OPERATIONS = ("get", "get_many", "set", "set_many", "add", "delete", "incr", "has_key", "touch")

    def __init__(self, cache):
        self.counts = Counter()
        self.keys = Counter()
        for name in self.OPERATIONS:
            original = getattr(cache, name)
            setattr(cache, name, self._counted(name, original))

    def _counted(self, name, original):
        def call(*args, **kwargs):
            self.counts[name] += 1
            self.keys[f"{name} {str(args[0])[:60] if args else ''}"] += 1
            return original(*args, **kwargs)

        return call


def main():
    args = parse_args()
    os.environ.setdefault("WAGTAIL_AWARDS_VAR_DIR", "/tmp/awards-profile")
    serving.setup_django()
    from django.conf import settings
    from django.core.cache import caches
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    settings.CACHES["default"]["KEY_PREFIX"] = "profile"
    settings.ALLOWED_HOSTS.append("testserver")
    print("Preparing the database (demo) …", flush=True)
    serving.load_demo()
    pages = {"plain": "/", **serving.demo_pages(args.candidates)}
    reader = serving.verified_voters(1, prefix="profile-reader")[0]
    client = Client()
    client.force_login(reader)
    cache = caches["default"]
    calls = CacheCalls(cache)
    print(f"{'page':<12}{'ms':>8}{'queries':>9}  cache calls a request")
    for name, path in pages.items():
        for _ in range(2):
            assert client.get(path).status_code == 200, path
        calls.counts.clear()
        calls.keys.clear()
        with CaptureQueriesContext(connection) as queries:
            started = time.perf_counter()
            for _ in range(args.requests):
                client.get(path)
            elapsed = time.perf_counter() - started
        shown = ", ".join(f"{op} {n / args.requests:g}" for op, n in sorted(calls.counts.items()))
        print(f"{name:<12}{1000 * elapsed / args.requests:>8.2f}{len(queries) / args.requests:>9.1f}  {shown}")
        if name == args.page:
            sql = Counter(query["sql"][:140] for query in queries.captured_queries)
            profiled = (path, sql, dict(calls.keys))
    path, sql, keys = profiled
    print(f"\nQueries of {args.page} ({path}), per request:")
    for statement, count in sql.most_common():
        print(f"  {count / args.requests:>5g}  {statement}")
    print(f"Cache calls of {args.page}, per request:")
    for key, count in sorted(keys.items()):
        print(f"  {count / args.requests:>5g}  {key}")
    profile = cProfile.Profile()
    profile.enable()
    for _ in range(args.requests):
        client.get(path)
    profile.disable()
    for order in ("cumulative", "tottime"):
        out = io.StringIO()
        pstats.Stats(profile, stream=out).sort_stats(order).print_stats(args.top)
        print(out.getvalue())


if __name__ == "__main__":
    sys.exit(main())
