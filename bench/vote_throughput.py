"""Vote throughput of the example site under gunicorn on PostgreSQL, as ratios to baselines served in the same run.

    DATABASE_URL=postgres://user:pass@127.0.0.1:5432/dbname .venv/bin/python bench/vote_throughput.py

The database is migrated and given a bench call (slug ``bench-vote``) with candidates and a voting page; earlier
bench votes are removed first. The script starts gunicorn on 127.0.0.1 with ``example_site.settings.bench`` and
fires requests from this process with a pool of threads, in rounds that interleave five kinds of request:

- ``bare``: a Django view returning "ok" (the server and framework alone);
- ``floor``: a minimal vote, one INSERT and one counter UPDATE in one transaction, no checks;
- ``vote``: the real vote endpoint: CSRF, per-IP limit, one-time captcha, window, candidate, daily cap, unique vote;
- ``page``: the voting page rendered for every request (a unique query string defeats the cache);
- ``page (cached)``: the same page served from the cache in front of it.

It prints requests per second, the ratios to ``bare``, how much more a vote costs than the floor (target: at most
40 %), and checks that accepted votes = stored votes = the tallies the page shows. Loopback only; every loop is
bounded by the request counts given.
"""

import argparse
import http.client
import os
import re
import secrets
import string
import subprocess
import sys
import threading
import time
import urllib.parse
import uuid
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
HOST = "127.0.0.1"
SETTINGS = "example_site.settings.bench"


def parse_args():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--workers", type=int, default=4, help="gunicorn worker processes")
    parser.add_argument("--concurrency", type=int, default=8, help="client threads")
    parser.add_argument("--requests", type=int, default=400, help="requests of each kind per round")
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--candidates", type=int, default=20)
    parser.add_argument("--port", type=int, default=8765)
    return parser.parse_args()


def setup_django():
    sys.path.insert(0, str(ROOT))
    os.environ["DJANGO_SETTINGS_MODULE"] = SETTINGS
    import django

    django.setup()
    from django.db import connection

    if connection.vendor != "postgresql":
        sys.exit("Set DATABASE_URL to a PostgreSQL database: the benchmark measures the production database.")


def prepare(*, candidates, votes, floor_votes):
    """Bench pages and rows: returns the ids and URLs the requests need."""
    import datetime as dt

    from captcha.models import CaptchaStore
    from django.contrib.auth import get_user_model
    from django.contrib.sessions.backends.db import SessionStore
    from django.core.management import call_command
    from django.utils import timezone
    from wagtail.models import Page, Site

    from wagtail_awards.captcha import VOTE, bound_key
    from wagtail_awards.domain.voting import voting_day
    from wagtail_awards.models import (
        Application,
        CallIndexPage,
        CallPage,
        Organization,
        Vote,
        VoterDay,
        VotingPage,
    )

    call_command("migrate", verbosity=0, interactive=False)
    now = timezone.now()
    index = CallIndexPage.objects.first()
    if index is None:
        index = Page.get_first_root_node().add_child(instance=CallIndexPage(title="Bench", slug="bench"))
        site = Site.objects.filter(is_default_site=True).first() or Site(hostname="localhost", is_default_site=True)
        site.root_page = index
        site.save()

    def call(slug):
        page = CallPage.objects.filter(slug=slug).first()
        if page is None:
            page = CallPage(
                title=slug,
                slug=slug,
                issuer="bench",
                year=now.year,
                application_deadline=now - dt.timedelta(days=30),
                voting_opens=now - dt.timedelta(days=1),
                voting_closes=now + dt.timedelta(days=2),
            )
            index.add_child(instance=page)
        else:
            page.voting_opens, page.voting_closes = now - dt.timedelta(days=1), now + dt.timedelta(days=2)
        page.save_revision().publish()
        return CallPage.objects.get(pk=page.pk)

    full, floor = call("bench-vote"), call("bench-floor")
    for bench_call in (full, floor):
        Vote.objects.filter(call=bench_call).delete()
        VoterDay.objects.filter(call=bench_call).delete()
    user, _ = get_user_model().objects.get_or_create(username="bench-applicant")
    org, _ = Organization.objects.get_or_create(name="基准测试单位", defaults={"kind": "grassroots", "city": "南京"})

    def applications(bench_call, count):
        existing = list(Application.objects.filter(call=bench_call).order_by("pk"))
        for n in range(len(existing), count):
            existing.append(
                Application.objects.create(
                    call=bench_call,
                    applicant=user,
                    organization=org,
                    unit_name=org.name,
                    project_name=f"基准项目{n + 1}",
                    summary="用于吞吐量测试的候选项目。",
                    status="scored",
                )
            )
        return [a.pk for a in existing[:count]]

    full_candidates, floor_candidates = applications(full, candidates), applications(floor, 1)
    page = VotingPage.objects.child_of(full).first()
    if page is None:
        import json

        body = [{"type": "voting", "value": {"call": full.pk, "heading": "", "intro": "", "show_tallies": "during"}}]
        page = VotingPage(title="bench vote", slug="vote", body=json.dumps(body))
        full.add_child(instance=page)
        page.save_revision().publish()
    day = voting_day(now)
    counters = VoterDay.objects.bulk_create(
        VoterDay(call=floor, voter_key=f"floor-{n}", day=day, cap=10**6) for n in range(floor_votes)
    )
    CaptchaStore.objects.filter(challenge="bench").delete()
    expiration = now + dt.timedelta(hours=2)
    # Questions are bound to a visitor's session: every bench vote comes from one session holding the secret.
    session = SessionStore()
    captchas = [
        CaptchaStore(
            challenge="bench", response=f"{n}", hashkey=bound_key(purpose=VOTE, session=session), expiration=expiration
        )
        for n in range(votes)
    ]
    session.save()
    CaptchaStore.objects.bulk_create(captchas, batch_size=1000)
    return {
        "full_call": full.pk,
        "floor_call": floor.pk,
        "candidates": full_candidates,
        "floor_candidate": floor_candidates[0],
        "counters": [c.pk for c in counters],
        "captchas": [(c.hashkey, c.response) for c in captchas],
        "page_url": page.url,
        "session": session.session_key,
    }


class Request:
    def __init__(self, method, path, body=None, headers=None):
        self.method, self.path, self.body, self.headers = method, path, body, headers or {}


def form(fields, headers=None):
    body = urllib.parse.urlencode(fields)
    return body, {"Content-Type": "application/x-www-form-urlencoded", **(headers or {})}


def fire(port, requests, concurrency):
    """Send ``requests`` on ``concurrency`` threads (one connection per request); return seconds and statuses."""
    statuses = Counter()
    lock = threading.Lock()
    queue = list(reversed(requests))

    def worker():
        local = Counter()
        while True:
            with lock:
                if not queue:
                    break
                request = queue.pop()
            connection = http.client.HTTPConnection(HOST, port, timeout=60)
            try:
                connection.request(request.method, request.path, body=request.body, headers=request.headers)
                response = connection.getresponse()
                response.read()
                local[response.status] += 1
            except OSError as exc:
                local[type(exc).__name__] += 1
            finally:
                connection.close()
        with lock:
            statuses.update(local)

    threads = [threading.Thread(target=worker) for _ in range(concurrency)]
    started = time.perf_counter()
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return time.perf_counter() - started, statuses


def start_server(args):
    env = dict(os.environ, DJANGO_SETTINGS_MODULE=SETTINGS, CONN_MAX_AGE="60", PYTHONPATH=str(ROOT))
    command = [
        str(Path(sys.executable).with_name("gunicorn")),
        "example_site.wsgi:application",
        "--bind",
        f"{HOST}:{args.port}",
        "--workers",
        str(args.workers),
        "--log-level",
        "warning",
        "--chdir",
        str(ROOT),
    ]
    server = subprocess.Popen(command, env=env)
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        try:
            connection = http.client.HTTPConnection(HOST, args.port, timeout=2)
            connection.request("GET", "/bench/bare/")
            if connection.getresponse().status == 200:
                return server
        except OSError:
            time.sleep(0.2)
        if server.poll() is not None:
            break
    server.terminate()
    sys.exit("gunicorn did not start")


def shown_tallies(port, page_url):
    connection = http.client.HTTPConnection(HOST, port, timeout=30)
    connection.request("GET", f"{page_url}?check={uuid.uuid4().hex}")
    html = connection.getresponse().read().decode()
    return sum(int(n) for n in re.findall(r'data-vote-count="(\d+)"', html))


def main():
    args = parse_args()
    setup_django()
    per_kind = args.requests * args.rounds
    data = prepare(candidates=args.candidates, votes=per_kind + 20, floor_votes=per_kind + 20)
    alphabet = string.ascii_letters + string.digits
    csrf = "".join(secrets.choice(alphabet) for _ in range(32))
    captchas = iter(data["captchas"])
    counters = iter(data["counters"])
    page_url = data["page_url"]
    sequence = iter(range(10**9))

    def bare():
        return Request("GET", "/bench/bare/")

    def page():
        return Request("GET", f"{page_url}?n={next(sequence)}")

    def cached_page():
        return Request("GET", page_url)

    def floor():
        body, headers = form(
            {
                "call": data["floor_call"],
                "application": data["floor_candidate"],
                "counter": next(counters),
                "next": page_url,
            }
        )
        return Request("POST", "/bench/minimal-vote/", body, headers)

    def vote():
        key, answer = next(captchas)
        candidate = data["candidates"][next(sequence) % len(data["candidates"])]
        body, headers = form(
            {"captcha_0": key, "captcha_1": answer, "next": page_url, "csrfmiddlewaretoken": csrf},
            {"Cookie": f"csrftoken={csrf}; sessionid={data['session']}"},
        )
        return Request("POST", f"/awards/vote/{data['full_call']}/{candidate}/", body, headers)

    kinds = {"bare": bare, "floor": floor, "vote": vote, "page": page, "page (cached)": cached_page}
    server = start_server(args)
    totals = {kind: [0, 0.0, Counter()] for kind in kinds}
    cpu_started, wall_started = time.process_time(), time.perf_counter()
    try:
        warm_up = {kind: fire(args.port, [make() for _ in range(10)], 2)[1] for kind, make in kinds.items()}
        for _round in range(args.rounds):
            for kind, make in kinds.items():
                seconds, statuses = fire(args.port, [make() for _ in range(args.requests)], args.concurrency)
                totals[kind][0] += args.requests
                totals[kind][1] += seconds
                totals[kind][2].update(statuses)
        client_cpu = (time.process_time() - cpu_started) / (time.perf_counter() - wall_started)
        shown = shown_tallies(args.port, page_url)
    finally:
        server.terminate()
        try:
            server.wait(timeout=15)
        except subprocess.TimeoutExpired:
            server.kill()

    from django.db import connection

    from wagtail_awards.domain import voting
    from wagtail_awards.models import CallPage, Vote

    connection.close()
    full_call = CallPage.objects.get(pk=data["full_call"])
    stored = Vote.objects.filter(call=full_call).count()
    tallied = sum(voting.tallies(call=full_call).values())
    # Every 303 is an accepted vote, the warm-up's included.
    accepted = totals["vote"][2][303] + warm_up["vote"][303]
    floor_accepted = totals["floor"][2][303] + warm_up["floor"][303]
    floor_stored = Vote.objects.filter(call_id=data["floor_call"]).count()

    rates = {kind: n / seconds for kind, (n, seconds, _statuses) in totals.items()}
    print(
        f"gunicorn workers: {args.workers}, client threads: {args.concurrency}, "
        f"{args.rounds} rounds × {args.requests} requests of each kind, {args.candidates} candidates"
    )
    print(f"{'kind':<15}{'req/s':>10}{'× bare':>10}   statuses")
    for kind, rate in rates.items():
        statuses = ", ".join(f"{status}: {count}" for status, count in sorted(totals[kind][2].items(), key=str))
        print(f"{kind:<15}{rate:>10.1f}{rate / rates['bare']:>10.2f}   {statuses}")
    extra = rates["floor"] / rates["vote"] - 1
    print(f"a full vote costs {extra:+.0%} relative to the floor vote (target: at most +40%)")
    print(f"cached page: {rates['page (cached)'] / rates['page']:.1f}× the uncached render rate")
    print(f"votes: accepted {accepted}, stored {stored}, tallied {tallied}, shown on the page {shown}")
    print(f"floor votes: {floor_accepted} accepted, {floor_stored} stored")
    print(f"client CPU: {client_cpu:.0%} of one core (near 100% means the client, not the server, was the limit)")
    ok = (
        accepted == stored == tallied == shown
        and set(totals["vote"][2]) == {303}
        and floor_accepted == floor_stored
        and set(totals["floor"][2]) == {303}
    )
    print("consistency:", "OK" if ok else "MISMATCH")
    sys.exit(0 if ok else 1)


if __name__ == "__main__":
    main()
