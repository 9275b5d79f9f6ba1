"""Where a vote spends its time, against the floor vote: milliseconds and CPU a request, queries, cache round
trips, and a profile, each voter identity mode and the floor through the same WSGI handler, in this process.

    DATABASE_URL=postgres://user:pw@127.0.0.1:5432/awards_profile REDIS_URL=redis://127.0.0.1:6379/5 \\
        .venv/bin/python bench/vote_profile.py [--votes 600] [--top 30] [--mode "voting code"|none] [--cpu]

The database is emptied and migrated and the demo is loaded, and the shared cache flushed (as ``bench/throughput.py``
does); the votes are prepared as it prepares them (three a voter, a new solved captcha each) and sent one at a time
through Django's WSGI handler with the bench settings (every voter identity accepted), the modes in turn (a floor
vote, one vote of each mode, a floor vote, …) so that the machine's drift over the run weighs on each alike. It
prints for the floor and each mode: wall and CPU milliseconds a request of this process, of the database backend
that served it and of Redis (``/proc/PID/schedstat``, to the nanosecond, with a connection kept open:
``CONN_MAX_AGE=60`` as in the wrk bench; with a new connection per request, the server's CPU in ticks), SQL
statements and Redis round trips a request, the answers' statuses, and for ``--mode`` the functions taking the most
time (cProfile, cumulative and own time; ``--cpu`` for CPU time). Ratios are to the floor of the same run.
"""

import argparse
import cProfile
import io
import os
import pstats
import sys
import tempfile
import time
from collections import Counter
from pathlib import Path

import serving
import throughput


def parse_args():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--votes", type=int, default=600, help="votes sent in each mode and to the floor")
    parser.add_argument("--candidates", type=int, default=20)
    parser.add_argument("--top", type=int, default=30, help="functions listed in the profile")
    parser.add_argument("--mode", default="insecure device", help="the voter mode profiled (or 'floor vote')")
    parser.add_argument(
        "--cpu", action="store_true", help="profile this process' CPU time (default: wall time, waits included)"
    )
    return parser.parse_args()


def environ(path, cookie, body):
    data = body.encode()
    return {
        "REQUEST_METHOD": "POST",
        "PATH_INFO": path,
        "QUERY_STRING": "",
        "SERVER_NAME": "127.0.0.1",
        "SERVER_PORT": "8000",
        "HTTP_HOST": "127.0.0.1:8000",
        "REMOTE_ADDR": "127.0.0.1",
        "HTTP_COOKIE": cookie,
        "HTTP_USER_AGENT": "vote-profile",
        "CONTENT_TYPE": "application/x-www-form-urlencoded",
        "CONTENT_LENGTH": str(len(data)),
        "SERVER_PROTOCOL": "HTTP/1.1",
        "wsgi.input": io.BytesIO(data),
        "wsgi.url_scheme": "http",
        "wsgi.errors": sys.stderr,
        "wsgi.multithread": False,
        "wsgi.multiprocess": True,
        "wsgi.run_once": False,
        "wsgi.version": (1, 0),
    }


class RedisCalls:
    """Counts the shared cache's Redis round trips (commands and pipelines) while on."""

    def __init__(self):
        import redis

        self.count = 0
        for cls, name in ((redis.Redis, "execute_command"), (redis.client.Pipeline, "execute")):
            original = getattr(cls, name)
            if cls is redis.client.Pipeline:
                wrapper = self._wrap(original)
            else:
                wrapper = self._wrap(original)
            setattr(cls, name, wrapper)

    def _wrap(self, original):
        def call(this, *args, **kwargs):
            # A pipeline's own execute_command only queues; its execute is the round trip.
            import redis

            if isinstance(this, redis.client.Pipeline) and original.__name__ == "execute_command":
                return original(this, *args, **kwargs)
            self.count += 1
            return original(this, *args, **kwargs)

        return call


def cpu_seconds(pid, *, children=False):
    """CPU seconds ``pid`` used (with ``children``: also its children that ended, e.g. the database's backends)."""
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    ticks = int(fields[11]) + int(fields[12]) + ((int(fields[13]) + int(fields[14])) if children else 0)
    return ticks / os.sysconf("SC_CLK_TCK")


def database_cpu(postmaster):
    """CPU seconds of the database server: the postmaster, its ended backends and its running ones."""
    total = cpu_seconds(postmaster, children=True)
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                fields = (entry / "stat").read_text().rsplit(")", 1)[1].split()
            except OSError:
                continue
            if int(fields[1]) == postmaster:
                total += (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")
    return total


def on_cpu(pid):
    """Seconds process ``pid`` has run on a CPU (``/proc/PID/schedstat``, in nanoseconds), 0 when it is gone."""
    try:
        return int(Path(f"/proc/{pid}/schedstat").read_text().split()[0]) / 1e9
    except (OSError, TypeError):
        return 0.0


def database_backend(connection):
    """The process id of the database backend of ``connection`` when it is open, else ``None``."""
    return connection.connection.info.backend_pid if connection.connection is not None else None


def server_pids():
    """The PostgreSQL server's (postmaster) and the shared Redis' process ids, when they run on this machine."""
    from django.core.cache import cache
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_backend_pid()")
        backend = cursor.fetchone()[0]
    postmaster = int(Path(f"/proc/{backend}/stat").read_text().rsplit(")", 1)[1].split()[1])
    redis_pid = cache.client.get_client(write=True).info("server")["process_id"]
    connection.close()
    return postmaster, redis_pid


def main():
    args = parse_args()
    workdir = Path(tempfile.mkdtemp(prefix="awards-vote-profile-"))
    os.environ["WAGTAIL_AWARDS_VAR_DIR"] = str(workdir)
    modes = ",".join(mode.env["WAGTAIL_AWARDS_VOTERS"] for mode in throughput.VOTER_MODES)
    os.environ["WAGTAIL_AWARDS_VOTERS"] = modes
    serving.setup_django()
    from django.core.handlers.wsgi import WSGIHandler
    from django.db import connection
    from django.utils import timezone

    from wagtail_awards.models import CallIndexPage

    print("Preparing the database (demo, bench calls, votes) …", flush=True)
    serving.load_demo(clear_cache=True)
    now = timezone.now()
    index = CallIndexPage.objects.first()
    runs = []
    floor_call, _page = throughput.bench_call(index, "profile-floor", now=now, candidates=1)
    runs.append(("floor vote", throughput.prepare_floor(workdir, floor_call, count=args.votes, now=now)))
    for n, mode in enumerate(throughput.VOTER_MODES):
        call, page = throughput.bench_call(index, f"profile-vote-{n}", now=now, candidates=args.candidates)
        data = throughput.prepare_votes(workdir, call, page, mode, count=args.votes, now=now)
        runs.append((f"vote ({mode.name})", data))
    throughput.keep_account_checks()  # as the questions the verified voters asked for would have
    postmaster, redis_pid = server_pids()
    handler = WSGIHandler()
    redis_calls = RedisCalls()
    connection.close()

    def send(line):
        path, cookie, body = line.rstrip("\n").split("\t")
        statuses = []
        handler(environ(path, cookie, body), lambda status, headers, *rest: statuses.append(status[:3]))
        return statuses[0]

    # Warm: the first requests of a process import and compile; spend a few of the floor's lines on it.
    floor_lines = Path(runs[0][1]).read_text().splitlines(keepends=True)
    for line in floor_lines[-20:]:
        send(line)
    # The modes' requests are sent in turn (floor, one of each mode, floor, …), so that the machine's drift over a
    # run (other load, clock speed) weighs on each alike; each request's CPU is read precisely: this process'
    # (process_time) and, from /proc/PID/schedstat, the database backend's that served it and Redis'.
    streams = []
    for name, data in runs:
        lines = Path(data).read_text().splitlines(keepends=True)
        streams.append((name, lines[:-20] if name == "floor vote" else lines))
    results = {
        name: {"wall": 0.0, "cpu": 0.0, "db": 0.0, "rd": 0.0, "queries": 0, "redis": 0, "statuses": Counter(), "n": 0}
        for name, _lines in streams
    }
    profiler = cProfile.Profile(*((time.process_time,) if args.cpu else ()))
    statements = []

    def counted(execute, sql, params, many, context):
        statements.append(sql)
        return execute(sql, params, many, context)

    with connection.execute_wrapper(counted):
        for n in range(max(len(lines) for _name, lines in streams)):
            for name, lines in streams:
                if n >= len(lines):
                    continue
                r = results[name]
                profiled = name.endswith(f"({args.mode})") or name == args.mode
                statements.clear()
                redis_calls.count = 0
                # A connection kept open (CONN_MAX_AGE, as in the wrk bench): its backend's own CPU, precisely;
                # else the server's (ticks of 10 ms: exact only summed over many requests).
                backend = database_backend(connection)
                db, rd = on_cpu(backend) if backend else database_cpu(postmaster), on_cpu(redis_pid)
                wall, cpu = time.perf_counter(), time.process_time()
                if profiled:
                    profiler.enable()
                status = send(lines[n])
                if profiled:
                    profiler.disable()
                r["wall"] += time.perf_counter() - wall
                r["cpu"] += time.process_time() - cpu
                r["db"] += (on_cpu(backend) if backend else database_cpu(postmaster)) - db
                r["rd"] += on_cpu(redis_pid) - rd
                r["queries"] += len(statements)
                r["redis"] += redis_calls.count
                r["statuses"][status] += 1
                r["n"] += 1
                if profiled:
                    r["profile"] = profiler
    for r in results.values():
        n = r.pop("n")
        for field in ("wall", "cpu", "db", "rd"):
            r[field] = 1000 * r[field] / n
        r["queries"], r["redis"], r["statuses"] = r["queries"] / n, r["redis"] / n, dict(r["statuses"])
    floor = results["floor vote"]
    print(
        f"{'request':<26}{'wall ms':>8}{'CPU ms':>7}{'DB CPU':>7}{'Redis':>6}{'all CPU':>8}{'× floor':>8}"
        f"{'queries':>8}{'redis':>6}  statuses"
    )
    for name, r in results.items():
        total = r["cpu"] + r["db"] + r["rd"]
        floor_total = floor["cpu"] + floor["db"] + floor["rd"]
        print(
            f"{name:<26}{r['wall']:>8.2f}{r['cpu']:>7.2f}{r['db']:>7.2f}{r['rd']:>6.2f}{total:>8.2f}"
            f"{total / floor_total:>8.2f}{r['queries']:>8.1f}{r['redis']:>6.1f}  {r['statuses']}"
        )
    for name, r in results.items():
        if "profile" in r:
            for order in ("cumulative", "tottime"):
                out = io.StringIO()
                pstats.Stats(r["profile"], stream=out).sort_stats(order).print_stats(args.top)
                print(f"\n{name}, by {order}:\n" + out.getvalue().split("\n", 6)[-1])


if __name__ == "__main__":
    main()
