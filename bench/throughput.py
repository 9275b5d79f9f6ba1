"""Throughput of the site's public pages, votes and audit screens under wrk, as ratios to baselines of the same run.

    DATABASE_URL=postgres://user:pw@127.0.0.1:5432/awards_bench REDIS_URL=redis://127.0.0.1:6379/5 \\
        .venv/bin/python bench/throughput.py [--duration 10] [--connections 8] [--large-votes 1000000]

The database is emptied and migrated, the demo is loaded, and bench calls are added; the Redis database is
flushed. wrk (Debian's, installed with apt-get when missing) drives the example site under gunicorn
(``bench.settings``: the production settings with a bare view and a check-free vote) over the loopback.

Measured in ``--rounds`` interleaved rounds (every line once per round, so that a shared machine's load weighs on all
alike), ``--duration`` seconds per line in all, with ``--connections`` connections; the floor vote and the votes in
``--vote-rounds`` shorter rounds (``--vote-duration`` seconds per line in all), each round starting one line later.
A vote line's rate is the votes answered within its rounds' windows; every vote sent is answered before the next
round, and counted in the consistency check:

- ``bare``: a Django view returning "ok" (the server and framework alone), the baseline of every ratio;
- ``plain page``: the site root (the call index: the site's base template and a list of calls), rendered;
- each public page (notice, voting, publicity, results) *rendered* for a signed-in visitor (the page cache does not
  answer: the page is built by Django, its content fragments and rows from the shared cache), *cached* (a visitor
  without a session: the page cache answers) and *cold* (a server with the page cache, fragments and rows off);
- ``floor vote``: one INSERT and one counter UPDATE in one transaction, no checks — the cheapest durable vote;
- ``vote (<voter identity>)``: the real vote endpoint for each voter identity (verified account, voting code,
  insecure device), on a server that accepts all three (each request carries only its own), every request a new
  solved captcha: CSRF, per-address limit, voter, captcha, window, candidate, limits, counters;
- the vote audit and the ranking screens, and the voting page (rendered and cold), with ``--small-votes`` votes and
  ``--small-apps`` projects against ``--large-votes`` and ``--large-apps`` (loaded with ``generate_series``).

It prints requests per second, ratios to the bare view and (votes) to the floor vote, the client's CPU (wrk's CPU
time over the wall time: near the number of wrk threads means the client was the limit), and checks for every
voter mode that accepted votes = stored votes = tallied votes = the tallies the voting page shows.
"""

import argparse
import datetime as dt
import os
import re
import secrets
import signal
import statistics
import string
import subprocess
import sys
import tempfile
import time
import uuid
from pathlib import Path

import serving

LUA = r"""
-- Requests from a data file, one per line: PATH <tab> COOKIE <tab> BODY (a POST when BODY is not empty).
-- Each wrk thread sends every n-th line, once, for a window of args[3] seconds from its first request (or until its
-- lines run out); then its connections ask the bare view until every data request it sent is answered (15 s at
-- most), and it stops. So no data request is left in flight at the end, and its answers are all counted. They are
-- told from the bare view's by their status (the bare view answers 200; votes answer 303 or an error). The rate is
-- the answers received within the window: a request that reaches the server late (now and then one takes a second
-- or two over a new connection on the loopback) costs its own time, not the whole window's.
-- Times: gettimeofday through LuaJIT's ffi.
local ffi = require("ffi")
ffi.cdef[[
typedef struct { long tv_sec; long tv_usec; } awards_timeval;
int gettimeofday(awards_timeval *tv, void *tz);
]]
local function now()
    local t = ffi.new("awards_timeval")
    ffi.C.gettimeofday(t, nil)
    return tonumber(t.tv_sec) + tonumber(t.tv_usec) / 1e6
end
local threads = {}
local next_id = 0
function setup(thread)
    thread:set("id", next_id)
    next_id = next_id + 1
    table.insert(threads, thread)
end
function init(args)
    lines, counter, statuses, sent, answered, in_window = {}, 1, {}, 0, 0, 0
    -- wrk asks the first thread's script for one request before the thread runs (to learn the pipeline's depth)
    -- and never sends it: that one is the bare view's, not a data line (which would never be answered).
    verifying = id == 0
    window, started, ended = tonumber(args[3]), nil, nil
    local n = 0
    for line in io.lines(args[1]) do
        if n % tonumber(args[2]) == id then table.insert(lines, line) end
        n = n + 1
    end
end
local function sending()
    if ended == nil and (lines[counter] == nil or now() >= started + window) then ended = now() end
    return ended == nil
end
function request()
    if verifying then
        verifying = false
        return wrk.format("GET", "/bench/bare/")
    end
    started = started or now()
    if not sending() then
        return wrk.format("GET", "/bench/bare/")
    end
    local line = lines[counter]
    counter = counter + 1
    sent = sent + 1
    local path, cookie, body = line:match("^([^\t]*)\t([^\t]*)\t(.*)$")
    local headers = {}
    if cookie ~= "" then headers["Cookie"] = cookie end
    if body ~= "" then
        headers["Content-Type"] = "application/x-www-form-urlencoded"
        return wrk.format("POST", path, headers, body)
    end
    return wrk.format("GET", path, headers)
end
function response(status, headers, body)
    if status ~= 200 then
        statuses[status] = (statuses[status] or 0) + 1
        answered = answered + 1
        if ended == nil and now() < started + window then in_window = in_window + 1 end
    end
    -- A request that never reached the server (a connection lost while writing) has no answer: 15 s at most.
    if not sending() and (answered >= sent or now() > started + window + 15) then wrk.thread:stop() end
end
function done(summary, latency, requests)
    for _, thread in ipairs(threads) do
        for status, count in pairs(thread:get("statuses")) do
            io.write(string.format("STATUS %s %d\n", status, count))
        end
        io.write(string.format("IN WINDOW %d\n", thread:get("in_window")))
        io.write(string.format("WINDOW %.6f %.6f\n", thread:get("started") or 0, thread:get("ended") or 0))
    end
end
"""


def parse_args():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--duration", type=int, default=12, help="seconds per measurement, over all its rounds")
    parser.add_argument("--rounds", type=int, default=3, help="interleaved rounds of every measurement")
    parser.add_argument("--connections", type=int, default=8)
    parser.add_argument("--threads", type=int, default=2, help="wrk threads")
    parser.add_argument("--workers", type=int, default=4, help="gunicorn worker processes")
    parser.add_argument("--port", type=int, default=8765)
    parser.add_argument("--candidates", type=int, default=20)
    parser.add_argument("--small-votes", type=int, default=1_000)
    parser.add_argument("--large-votes", type=int, default=1_000_000)
    parser.add_argument("--small-apps", type=int, default=100)
    parser.add_argument("--large-apps", type=int, default=5_000)
    parser.add_argument("--vote-rounds", type=int, default=12, help="interleaved rounds of the floor and the votes")
    parser.add_argument(
        "--vote-duration", type=int, default=24, help="seconds per vote line (and the floor), over all its rounds"
    )
    parser.add_argument("--votes", type=int, default=16000, help="most votes sent in each voter mode and to the floor")
    parser.add_argument(
        "--only",
        type=re.compile,
        default=None,
        metavar="REGEX",
        help="measure only the lines whose name matches (searched; bare and floor vote are always measured)",
    )
    return parser.parse_args()


#: Lines measured whatever ``--only`` says: the baselines of every ratio.
BASELINES = ("bare", "bare (caches off)", "floor vote")


def wanted(args, name):
    """Whether the line ``name`` is measured in this run (``--only``)."""
    return args.only is None or name in BASELINES or bool(args.only.search(name))


def wrk(args, url_path, *, data=None, cookie=None, connections=None, duration=None, threads=None):
    """Run wrk on ``url_path`` (or the requests in ``data``, a file of request lines); its figures as a dict."""
    program = serving.ensure_program("wrk", "wrk")
    threads = threads or args.threads
    duration = duration or args.duration
    command = [
        program,
        f"-t{threads}",
        f"-c{connections or args.connections}",
        # wrk's main thread waits for -d whatever its threads do: a data file's window, plus at most the 15 s its
        # threads wait for the last answers (they stop themselves once every request is answered), plus a margin.
        f"-d{duration + 20 if data is not None else duration}s",
        "--timeout",
        "60s",
        "--latency",
    ]
    if cookie:
        command += ["-H", f"Cookie: {cookie}"]
    if data is not None:
        script = Path(data).with_suffix(".lua")
        script.write_text(LUA)
        command += ["-s", str(script)]
    command.append(f"http://{serving.HOST}:{args.port}{url_path}")
    if data is not None:
        command += ["--", str(data), str(threads), str(duration)]
    started = time.perf_counter()
    process = subprocess.Popen(command, stdout=subprocess.PIPE, text=True)
    if data is not None:
        stop_when_threads_stopped(process)
    output = process.stdout.read()
    _pid, returncode, usage = os.wait4(process.pid, 0)
    wall = time.perf_counter() - started
    if returncode:
        sys.exit(f"wrk failed:\n{output}")
    statuses = {}
    for status, count in re.findall(r"^STATUS (\d+) (\d+)$", output, re.M):
        statuses[int(status)] = statuses.get(int(status), 0) + int(count)
    latency = re.search(r"Latency\s+([\d.]+)(us|ms|s)\b", output)
    units = {"us": 0.001, "ms": 1.0, "s": 1000.0}
    if data is not None:
        # The data requests answered per second within the threads' windows (each from its first request to the end
        # of its window or of its lines).
        in_window = sum(int(n) for n in re.findall(r"^IN WINDOW (\d+)$", output, re.M))
        windows = [float(b) - float(a) for a, b in re.findall(r"^WINDOW ([\d.]+) ([\d.]+)$", output, re.M)]
        rate, requests = in_window / (sum(windows) / len(windows)), in_window
    else:
        rate = float(re.search(r"Requests/sec:\s+([\d.]+)", output)[1])
        requests = int(re.search(r"(\d+) requests in ", output)[1])
    return {
        "rate": rate,
        "requests": requests,
        "latency_ms": float(latency.group(1)) * units[latency.group(2)] if latency else 0.0,
        "non_2xx_3xx": int((re.search(r"Non-2xx or 3xx responses: (\d+)", output) or [0, 0])[1]),
        "socket_errors": "Socket errors" in output,
        "statuses": statuses,
        "client_cpu": (usage.ru_utime + usage.ru_stime) / wall,
    }


def stop_when_threads_stopped(process):
    """Interrupt wrk once its threads have stopped themselves (every data request answered): its main thread would
    sleep out ``-d`` (the window plus the margin for the last answers) before printing. Interrupted (SIGINT), it
    prints its figures and the script's at once. Its threads are read from ``/proc``; elsewhere wrk runs out ``-d``."""
    tasks = Path(f"/proc/{process.pid}/task")
    seen = False
    while process.poll() is None:
        try:
            count = len(os.listdir(tasks))
        except OSError:
            return
        if count > 1:
            seen = True
        elif seen:  # only the main thread is left
            process.send_signal(signal.SIGINT)
            return
        time.sleep(0.05)


# The bench world


def bench_call(index, slug, *, now, candidates, status="scored"):
    """A call whose vote is open, with ``candidates`` candidates and a voting page showing tallies."""
    import json

    from wagtail_awards.models import Application, CallPage, Organization, VotingPage

    call = CallPage(
        title=f"基准 {slug}",
        slug=slug,
        issuer="基准测试",
        year=now.year,
        application_deadline=now - dt.timedelta(days=30),
        voting_opens=now - dt.timedelta(days=20),
        voting_closes=now + dt.timedelta(days=2),
    )
    index.add_child(instance=call)
    call.save_revision().publish()
    org = Organization.objects.filter(kind="grassroots").first()
    from django.contrib.auth import get_user_model

    applicant = get_user_model().objects.get(username="applicant")
    Application.objects.bulk_create(
        Application(
            call=call,
            applicant=applicant,
            organization=org,
            unit_name=org.name,
            project_name=f"基准项目{n + 1}",
            summary="用于吞吐量测试的候选项目，服务教职工的项目简介。",
            reference=f"B{call.pk}-{n + 1:05d}",
            status=status,
        )
        for n in range(candidates)
    )
    body = [{"type": "voting", "value": {"call": call.pk, "heading": "", "intro": "", "show_tallies": "during"}}]
    page = VotingPage(title=f"基准投票 {slug}", slug="vote", body=json.dumps(body))
    call.add_child(instance=page)
    page.save_revision().publish()
    return CallPage.objects.get(pk=call.pk), page


def load_votes(call, count, *, now):
    """``count`` valid votes spread over the call's candidates and its last 14 days, 5,000 addresses, one voter
    each (bulk SQL), then its tallies and roll-up as the cron job would leave them."""
    from django.db import connection

    from wagtail_awards.conf import awards_settings
    from wagtail_awards.models import Application
    from wagtail_awards.services import voting

    ids = list(Application.objects.filter(call=call).order_by("pk").values_list("pk", flat=True))
    with connection.cursor() as cursor:
        cursor.execute(
            """
            INSERT INTO wagtail_awards_vote
                (call_id, application_id, voter_id, voter_key, day, ip_hash, user_agent_hash, created_at, valid,
                 invalid_reason)
            SELECT %s, (%s::bigint[])[1 + g %% %s], NULL, 'bench:' || g, (t.at AT TIME ZONE 'Asia/Shanghai')::date,
                   md5((g %% 5000)::text), '', t.at, TRUE, ''
            FROM generate_series(1, %s) AS g,
                 LATERAL (
                     SELECT %s::timestamptz - make_interval(secs => (g::bigint * 7919) %% (14 * 24 * 3600))
                 ) AS t(at)
            """,
            [call.pk, ids, len(ids), count, now],
        )
    voting.recount_tallies(call=call)
    voting.roll_up_votes(call_id=call.pk, now=now, threshold=awards_settings.VOTE_BURST)


def load_ranking(call, count):
    """``count`` scored projects with two submitted reviews each and their criterion scores."""
    from decimal import Decimal

    from django.contrib.auth import get_user_model
    from django.utils import timezone

    from wagtail_awards.models import Application, CallCriterion, Organization, ReviewAssignment, Score

    CallCriterion.objects.bulk_create(
        CallCriterion(page=call, name=name, weight=Decimal(25), max_score=100)
        for name in ("实效性", "创新创优性", "可持续性", "可推广性")
    )
    org = Organization.objects.filter(kind="grassroots").first()
    users = get_user_model().objects
    applicant = users.get(username="applicant")
    reviewers = [users.get(username="reviewer"), users.get(username="reviewer2")]
    now = timezone.now()
    apps = Application.objects.bulk_create(
        Application(
            call=call,
            applicant=applicant,
            organization=org,
            unit_name=org.name,
            project_name=f"评审项目{n}",
            reference=f"R{call.pk}-{n:05d}",
            status="scored",
            submitted_at=now,
        )
        for n in range(count)
    )
    assignments = ReviewAssignment.objects.bulk_create(
        ReviewAssignment(application=a, reviewer=r, total=Decimal(50 + (n * 37 + i * 11) % 50), submitted_at=now)
        for n, a in enumerate(apps)
        for i, r in enumerate(reviewers)
    )
    criteria = list(call.criteria.all())
    Score.objects.bulk_create(
        (
            Score(assignment=a, criterion=c, criterion_name=c.name, value=Decimal(60))
            for a in assignments
            for c in criteria
        ),
        batch_size=5000,
    )


def csrf_token():
    alphabet = string.ascii_letters + string.digits
    return "".join(secrets.choice(alphabet) for _ in range(32))


def captchas(sessions, *, now):
    """A solved vote question for each of ``sessions`` (bound to its visitor, as the vote endpoint hands them out):
    ``[(key, answer), …]``."""
    from captcha.models import CaptchaStore

    from wagtail_awards.captcha import VOTE, bound_key

    stores = [
        CaptchaStore(
            challenge="bench",
            response=f"{n}",
            hashkey=bound_key(purpose=VOTE, session=session),
            expiration=now + dt.timedelta(hours=3),
        )
        for n, session in enumerate(sessions)
    ]
    for session in {id(s): s for s in sessions}.values():
        session.save()
    CaptchaStore.objects.bulk_create(stores, batch_size=5000)
    from django.core.cache import cache

    from wagtail_awards.services.captcha import answer_cache_key, answers_in_shared_cache

    if answers_in_shared_cache():  # as the vote endpoint keeps them on Redis
        answers = {answer_cache_key(s.hashkey): s.response for s in stores}
        keys = list(answers)
        for start in range(0, len(keys), 5000):
            cache.set_many({key: answers[key] for key in keys[start : start + 5000]}, timeout=3 * 3600)
    return [(s.hashkey, s.response) for s in stores]


def write_lines(path, lines):
    Path(path).write_text("".join(f"{p}\t{c}\t{b}\n" for p, c, b in lines))
    return path


def form(fields):
    import urllib.parse

    return urllib.parse.urlencode(fields)


class VoterMode:
    """One voter identity mode: the server's setting and how each prepared vote says who votes."""

    def __init__(self, name, env, voters):
        self.name, self.env, self.voters = name, env, voters


def keep_account_checks():
    """Keep the bench's verified voters' account checks in the shared cache, as the question each of them asks for
    before a vote does (the bench prepares the questions without asking: measured is the vote alone)."""
    from django.contrib.auth import get_user_model
    from django.core.cache import cache

    from wagtail_awards.access import verified_email
    from wagtail_awards.account_checks import ACCOUNT_CHECK_SECONDS, account_check_key
    from wagtail_awards.rules.voters import Voter
    from wagtail_awards.services import voters

    users = get_user_model().objects.filter(username__startswith="bench-voter").select_related("awards_verified_email")
    checks = {}
    for user in users:
        voter = Voter(key=voters.email_key(verified_email(user)), user_id=user.pk)
        checks[account_check_key(user.pk)] = voters.account_check_of(user, voter)
    cache.set_many(checks, ACCOUNT_CHECK_SECONDS)


def account_voters(count):
    """Verified accounts, signed in: ``count`` sessions, each with the hint cookie its browser keeps once it asked
    for a question (which names the account: its attempts are then counted with the session read)."""
    from wagtail_awards.access import verified_email
    from wagtail_awards.rules.voters import Voter
    from wagtail_awards.services import voters

    cookies = []
    for user in serving.verified_voters(count, prefix="bench-voter"):
        hint = voters.account_cookie_value(Voter(key=voters.email_key(verified_email(user)), user_id=user.pk))
        cookies.append(f"{serving.session_cookie(user)}; {voters.ACCOUNT_COOKIE}={hint}")
    return cookies


def code_voters(count, call):
    """Voting codes entered in the browser: ``count`` signed code cookies."""
    from django.contrib.auth import get_user_model

    from wagtail_awards.models import Organization, VotingCode
    from wagtail_awards.services import voters

    unit = Organization.objects.filter(kind="grassroots").first()
    made = voters.generate_codes(call=call, organization=unit, count=count, user=get_user_model().objects.first())
    codes = VotingCode.objects.in_bulk([voters.code_hash(code) for _number, code in made], field_name="code_hash")
    return [f"{voters.CODE_COOKIE}={voters.code_cookie_value(code)}" for code in codes.values()]


def device_voters(count, call=None):
    """Anonymous devices (insecure): a signed device cookie each."""
    from wagtail_awards.services import voters

    return [f"{voters.DEVICE_COOKIE}={voters.device_cookie_value(uuid.uuid4().hex)}" for _ in range(count)]


VOTER_MODES = [
    VoterMode("verified account", {"WAGTAIL_AWARDS_VOTERS": "verified_account"}, lambda n, call: account_voters(n)),
    VoterMode("voting code", {"WAGTAIL_AWARDS_VOTERS": "voting_code"}, code_voters),
    VoterMode("insecure device", {"WAGTAIL_AWARDS_VOTERS": "insecure_device"}, device_voters),
]


def prepare_votes(directory, call, page, mode, *, count, now):
    """A data file of ``count`` votes for ``call`` in ``mode``: three per voter, each on its own candidate.

    A voter's three votes are a third of the file apart (each in its own round), as people vote: one voter's votes
    sent at the same instant would queue on that voter's day counter, which the floor vote does not have.
    """
    from wagtail_awards.models import Application

    candidates = list(Application.objects.filter(call=call).order_by("pk").values_list("pk", flat=True))
    voters = [serving.visitor_session(cookie) for cookie in mode.voters((count + 2) // 3, call)]
    token = csrf_token()
    lines = []
    for n, (key, answer) in enumerate(captchas([voters[n % len(voters)][1] for n in range(count)], now=now)):
        number, nth = n % len(voters), n // len(voters)
        voter = voters[number][0]
        candidate = candidates[(number + nth * 7) % len(candidates)]
        body = form({"captcha_0": key, "captcha_1": answer, "next": page.url, "csrfmiddlewaretoken": token})
        lines.append((f"/awards/vote/{call.pk}/{candidate}/", f"{voter}; csrftoken={token}", body))
    return write_lines(Path(directory) / f"votes-{call.slug}.txt", lines)


def scale_lines(label):
    """The names of the lines measured on the ``label`` ("small" or "large") calls."""
    return (
        f"voting page, {label} votes",
        f"vote audit, {label}",
        f"ranking, {label}",
        f"voting page, {label} votes, cold",
    )


def split(path, rounds):
    """The lines of a data file in ``rounds`` files of about equal size (one per round)."""
    lines = Path(path).read_text().splitlines(keepends=True)
    size = (len(lines) + rounds - 1) // rounds
    parts = []
    for n in range(rounds):
        part = Path(path).with_name(f"{Path(path).stem}-{n}.txt")
        part.write_text("".join(lines[n * size : (n + 1) * size]))
        parts.append(part)
    return parts


def prepare_floor(directory, call, *, count, now):
    from wagtail_awards.models import Application, VoterDay
    from wagtail_awards.rules.voting import voting_day

    candidate = Application.objects.filter(call=call).values_list("pk", flat=True).first()
    counters = VoterDay.objects.bulk_create(
        (VoterDay(call=call, voter_key=f"floor-{n}", day=voting_day(now), cap=10**6) for n in range(count)),
        batch_size=5000,
    )
    lines = [
        ("/bench/minimal-vote/", "", form({"call": call.pk, "application": candidate, "counter": c.pk, "next": "/"}))
        for c in counters
    ]
    return write_lines(Path(directory) / "floor.txt", lines)


def shown_tallies(args, page):
    """The sum of the tallies the voting page shows, rendered afresh (``?voted=`` skips the block's cache)."""
    html = serving.request(args.port, "GET", f"{page.url}?voted=0").text()
    return sum(int(n) for n in re.findall(r'data-vote-count="(\d+)"', html))


def main():
    args = parse_args()
    serving.ensure_program("wrk", "wrk")
    workdir = Path(tempfile.mkdtemp(prefix="awards-bench-"))
    # Static files, uploads and the bench's data files live there, for this process and the servers it starts.
    os.environ["WAGTAIL_AWARDS_VAR_DIR"] = str(workdir)
    serving.setup_django()
    from django.core.management import call_command
    from django.utils import timezone

    print("Preparing the database (demo, bench calls, votes, projects) …", flush=True)
    serving.load_demo(clear_cache=True)
    from django.contrib.auth import get_user_model

    from wagtail_awards.models import CallIndexPage

    now = timezone.now()
    index = CallIndexPage.objects.first()
    User = get_user_model()
    # The signed-in visitor of the rendered pages: a voter with a verified address.
    reader = serving.session_cookie(serving.verified_voters(1, prefix="bench-reader")[0])
    admin = serving.session_cookie(User.objects.get(username="province"))
    # The open vote of the demo has a few candidates; the bench shows --candidates.
    pages = serving.demo_pages(args.candidates)
    prepared = args.votes
    floor_call, _floor_page = bench_call(index, "bench-floor", now=now, candidates=1)
    floor_data = prepare_floor(workdir, floor_call, count=prepared, now=now)
    mode_runs = []
    for n, mode in enumerate(VOTER_MODES):
        if not wanted(args, f"vote ({mode.name})"):
            continue
        call, page = bench_call(index, f"bench-vote-{n}", now=now, candidates=args.candidates)
        mode_runs.append((mode, call, page, prepare_votes(workdir, call, page, mode, count=prepared, now=now)))
    scale = {}
    for label, votes, apps in (
        ("small", args.small_votes, args.small_apps),
        ("large", args.large_votes, args.large_apps),
    ):
        if not any(wanted(args, name) for name in scale_lines(label)):
            continue
        call, page = bench_call(index, f"bench-{label}-votes", now=now, candidates=args.candidates)
        started = time.perf_counter()
        load_votes(call, votes, now=now)
        ranking_call, _page = bench_call(index, f"bench-{label}-ranking", now=now, candidates=0)
        load_ranking(ranking_call, apps)
        print(
            f"  {label}: {votes} votes, {apps} projects in review ({time.perf_counter() - started:.0f} s)", flush=True
        )
        scale[label] = (call, page, ranking_call)
    call_command("awards_rollup_votes", verbosity=0)

    results, checks = {}, []

    def run(lines, *, rounds=args.rounds, duration=args.duration, rotate=False):
        """Measure every line of ``lines`` (name, path, options) in ``rounds`` interleaved rounds, each for a share
        of ``duration``, so that the load of a shared machine weighs on all of them alike; with ``rotate`` each
        round starts one line later, so that none always follows the same one."""
        lines = [line for line in lines if wanted(args, line[0])]
        if not lines:
            return
        share = max(1, round(duration / rounds))
        for round_ in range(rounds):
            turn = round_ % len(lines) if rotate else 0
            for name, path, options in lines[turn:] + lines[:turn]:
                options = dict(options)
                if "data" in options:
                    options["data"] = options["data"][round_]
                before = options.pop("before", None)
                if before is not None:
                    before()
                figures = wrk(args, path, duration=options.pop("duration", share), **options)
                total = results.setdefault(name, {**figures, "rate": 0.0, "requests": 0, "seconds": 0.0, "rounds": []})
                total["rounds"].append(figures)
        for name, _path, _options in lines:
            total = results[name]
            rounds = total.pop("rounds")
            total["round_rates"] = [f["rate"] for f in rounds]
            total["requests"] = sum(f["requests"] for f in rounds)
            total["seconds"] = sum(f["requests"] / f["rate"] for f in rounds if f["rate"])
            total["rate"] = total["requests"] / total["seconds"] if total["seconds"] else 0.0
            total["latency_ms"] = sum(f["latency_ms"] * f["requests"] for f in rounds) / max(1, total["requests"])
            total["client_cpu"] = sum(f["client_cpu"] for f in rounds) / len(rounds)
            total["non_2xx_3xx"] = sum(f["non_2xx_3xx"] for f in rounds)
            total["socket_errors"] = any(f["socket_errors"] for f in rounds)
            statuses = {}
            for figures in rounds:
                for status, count in figures["statuses"].items():
                    statuses[status] = statuses.get(status, 0) + count
            total["statuses"] = statuses
            print(f"  {name:<34}{total['rate']:>9.1f} req/s  {total['latency_ms']:>8.1f} ms", flush=True)

    admin_screen = {"cookie": admin, "connections": 2, "threads": 1}
    print("Serving with the production caches (every voter identity accepted) …", flush=True)
    all_voters = {"WAGTAIL_AWARDS_VOTERS": ",".join(mode.env["WAGTAIL_AWARDS_VOTERS"] for mode in VOTER_MODES)}
    server = serving.start_gunicorn(args.port, workers=args.workers, env=all_voters)
    try:
        for _ in range(2):  # warm every worker: templates, content types, cached rows
            for path in (*pages.values(), "/"):
                serving.request(args.port, "GET", path)
                serving.request(args.port, "GET", path, headers={"Cookie": reader})
        lines = [("bare", "/bench/bare/", {}), ("plain page, rendered", "/", {"cookie": reader})]
        for name, path in pages.items():
            lines += [(f"{name}, rendered", path, {"cookie": reader}), (f"{name}, cached", path, {})]
        run(lines)
        # The votes against the floor: many short rounds, each line in turn first, so that the machine's drift
        # (other load, the database's checkpoints, Redis' snapshots) weighs on each alike.
        lines = [("floor vote", "/", {"data": split(floor_data, args.vote_rounds)})]
        for mode, _call, _page, data in mode_runs:
            options = {"data": split(data, args.vote_rounds)}
            if mode.name == "verified account":
                options["before"] = keep_account_checks
            lines.append((f"vote ({mode.name})", "/", options))
        run(lines, rounds=args.vote_rounds, duration=args.vote_duration, rotate=True)
        lines = []
        for label, (call, page, ranking_call) in scale.items():
            lines += [
                (f"voting page, {label} votes", page.url, {"cookie": reader}),
                (f"vote audit, {label}", f"/admin/awards/votes/{call.pk}/", admin_screen),
                (f"ranking, {label}", f"/admin/awards/review/ranking/?call={ranking_call.pk}", admin_screen),
            ]
        run(lines)
        for mode, call, page, _data in mode_runs:
            checks.append((mode.name, results[f"vote ({mode.name})"], call, shown_tallies(args, page)))
    finally:
        serving.stop(server)

    lines = [("bare (caches off)", "/bench/bare/", {}), ("plain page, cold", "/", {"cookie": reader})]
    lines += [(f"{name}, cold", path, {"cookie": reader}) for name, path in pages.items()]
    lines += [
        (f"voting page, {label} votes, cold", page.url, {"cookie": reader})
        for label, (_call, page, _ranking) in scale.items()
    ]
    if any(name not in BASELINES and wanted(args, name) for name, _path, _options in lines):
        print("Serving with the public page cache, fragments and rows turned off …", flush=True)
        server = serving.start_gunicorn(args.port, workers=args.workers, env={"PAGE_CACHE_SECONDS": "0"})
        try:
            run(lines)
        finally:
            serving.stop(server)

    from django.db import connection

    connection.close()
    report(args, results, checks, scale)


def report(args, results, checks, scale):
    from django.db.models import Sum
    from django.utils import timezone

    from wagtail_awards.models import Vote, VoteTally
    from wagtail_awards.rules.voting import TALLY_GRACE
    from wagtail_awards.services import voting

    bare, floor = results["bare"]["rate"], results["floor vote"]["rate"]
    print()
    print(
        f"gunicorn workers: {args.workers}; wrk: {args.threads} threads, {args.connections} connections; "
        f"{args.rounds} rounds, {args.duration} s per line in all; votes and floor: {args.vote_rounds} rounds, "
        f"{args.vote_duration} s per line in all (at most {args.votes} votes per line); {args.candidates} candidates"
    )
    print(f"{'request':<36}{'req/s':>9}{'× bare':>8}{'× floor':>9}{'ms':>8}{'client CPU':>11}  statuses")
    for name, figures in results.items():
        cold = "cold" in name or "caches off" in name
        base = results["bare (caches off)"]["rate"] if cold else bare
        versus_floor = (
            f"{figures['rate'] / floor:>9.2f}"
            if "vote" in name and "page" not in name and "audit" not in name
            else " " * 9
        )
        statuses = figures["statuses"] or {"non-2xx/3xx": figures["non_2xx_3xx"]}
        shown = ", ".join(f"{k}: {v}" for k, v in sorted(statuses.items(), key=str))
        if figures["socket_errors"]:
            shown += ", socket errors"
        print(
            f"{name:<36}{figures['rate']:>9.1f}{figures['rate'] / base:>8.2f}{versus_floor}"
            f"{figures['latency_ms']:>8.1f}{figures['client_cpu']:>10.0%}  {shown}"
        )
    print()
    # How far the rounds scatter: each round's vote against the floor of the same round.
    for name, figures in results.items():
        if name.startswith("vote (") and len(figures["round_rates"]) > 1:
            ratios = [
                rate / base
                for rate, base in zip(figures["round_rates"], results["floor vote"]["round_rates"], strict=True)
                if base
            ]
            print(
                f"{name} × floor of the same round: median {statistics.median(ratios):.2f}, "
                f"{min(ratios):.2f}–{max(ratios):.2f} "
                f"over {len(ratios)} rounds"
            )
    ok = True
    for name, figures, call, shown in checks:
        accepted = figures["statuses"].get(303, 0)
        stored = Vote.objects.filter(call=call).count()
        tallied = sum(voting.tallies(call=call).values())
        # Then every vote rolled up into the counters (as cron does a minute later): the same count.
        voting.roll_up_tallies(call_id=call.pk, now=timezone.now() + 2 * TALLY_GRACE)
        rolled = VoteTally.objects.filter(call=call).aggregate(n=Sum("votes"))["n"] or 0
        good = accepted == stored == tallied == shown == rolled and set(figures["statuses"]) == {303}
        ok &= good
        print(
            f"votes ({name}): accepted {accepted}, stored {stored}, tallied {tallied}, shown {shown}, "
            f"rolled up {rolled}: " + ("OK" if good else "MISMATCH")
        )
    for label, small_name, large_name in (
        ("vote audit", "vote audit, small", "vote audit, large"),
        ("ranking", "ranking, small", "ranking, large"),
        ("voting page, rendered", "voting page, small votes", "voting page, large votes"),
        ("voting page, cold", "voting page, small votes, cold", "voting page, large votes, cold"),
    ):
        if small_name not in results or large_name not in results:
            continue  # not measured (--only)
        small, large = results[small_name], results[large_name]
        print(
            f"{label} at {args.large_votes} votes / {args.large_apps} projects: "
            f"{small['rate'] / large['rate']:.2f}× its time at {args.small_votes} votes / {args.small_apps} projects "
            f"({1000 / large['rate']:.1f} ms against {1000 / small['rate']:.1f} ms a request)"
        )
    print("consistency:", "OK" if ok else "MISMATCH")
    sys.exit(0 if ok else 1)


if __name__ == "__main__":
    main()
