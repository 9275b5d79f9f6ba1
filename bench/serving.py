"""What the bench scripts share: Django set-up on PostgreSQL, a clean database, gunicorn, Redis and HTTP helpers.

Every server is started on the loopback by the script that needs it and stopped by it; nothing here keeps running.
"""

import http.client
import os
import shutil
import subprocess
import sys
import time
import urllib.parse
import uuid
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
HOST = "127.0.0.1"
SETTINGS = "bench.settings"


def ensure_program(program: str, package: str) -> str:
    """The path of ``program``, installed from Debian's ``package`` with apt-get when it is missing."""
    found = shutil.which(program)
    if found:
        return found
    sudo = [] if os.geteuid() == 0 else ["sudo"]
    env = dict(os.environ, DEBIAN_FRONTEND="noninteractive")
    subprocess.run([*sudo, "apt-get", "update", "-qq"], check=True, env=env)
    subprocess.run([*sudo, "apt-get", "install", "-y", "-qq", package], check=True, env=env)
    found = shutil.which(program)
    if not found:
        sys.exit(f"{program} is missing and could not be installed")
    return found


def setup_django(settings: str = SETTINGS):
    """Configure Django in this process with ``settings``; the database must be PostgreSQL."""
    sys.path.insert(0, str(ROOT))
    os.environ["DJANGO_SETTINGS_MODULE"] = settings
    import django

    django.setup()
    from django.db import connection

    if connection.vendor != "postgresql":
        sys.exit("Set DATABASE_URL to a PostgreSQL database of its own: the bench empties it first.")


def reset_database():
    """Empty the database (its ``public`` schema) and migrate it."""
    from django.core.management import call_command
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("DROP SCHEMA public CASCADE; CREATE SCHEMA public")
    call_command("migrate", verbosity=0, interactive=False)


def load_demo(*, clear_cache: bool = False):
    """A fresh database (:func:`reset_database`) with the static files collected and the demo loaded; the shared
    cache flushed too with ``clear_cache``."""
    import io

    from django.core.cache import cache
    from django.core.management import call_command

    reset_database()
    if clear_cache:
        cache.clear()
    call_command("collectstatic", interactive=False, verbosity=0)
    call_command("load_awards_demo", verbosity=0, stdout=io.StringIO())


def session_cookie(user) -> str:
    """A signed-in session of ``user`` in the configured session store, as a ``Cookie`` header part."""
    from importlib import import_module

    from django.conf import settings
    from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY

    store = import_module(settings.SESSION_ENGINE).SessionStore()
    store[SESSION_KEY] = str(user.pk)
    store[BACKEND_SESSION_KEY] = "django.contrib.auth.backends.ModelBackend"
    store[HASH_SESSION_KEY] = user.get_session_auth_hash()
    store.create()
    return f"{settings.SESSION_COOKIE_NAME}={store.session_key}"


def visitor_session(cookie: str):
    """``(cookie, session)``: the session named in ``cookie`` (a ``Cookie`` header part), or a new one added to it;
    questions are bound to a visitor's session."""
    from importlib import import_module

    from django.conf import settings

    engine = import_module(settings.SESSION_ENGINE)
    parts = dict(part.strip().split("=", 1) for part in cookie.split(";") if "=" in part)
    key = parts.get(settings.SESSION_COOKIE_NAME)
    if key:
        return cookie, engine.SessionStore(session_key=key)
    store = engine.SessionStore()
    store.create()
    return f"{cookie}; {settings.SESSION_COOKIE_NAME}={store.session_key}", store


def verified_voters(count: int, *, prefix: str):
    """``count`` new accounts with verified e-mail addresses (as after opening the confirmation link)."""
    from django.contrib.auth import get_user_model
    from django.contrib.auth.hashers import make_password
    from django.utils import timezone

    from wagtail_awards.models import VerifiedEmail

    User = get_user_model()
    tag = uuid.uuid4().hex[:8]
    users = User.objects.bulk_create(
        User(username=f"{prefix}-{n}-{tag}", email=f"{prefix}-{n}-{tag}@bench.example", password=make_password(None))
        for n in range(count)
    )
    VerifiedEmail.objects.bulk_create(
        VerifiedEmail(user=user, email=user.email, verified_at=timezone.now(), source="bench") for user in users
    )
    return users


def start_redis(port: int, directory: Path) -> subprocess.Popen:
    """Debian's ``redis-server`` on ``port`` (no persistence), installed when missing; returns when it answers."""
    program = ensure_program("redis-server", "redis-server")
    server = subprocess.Popen(
        [program, "--port", str(port), "--bind", HOST, "--save", "", "--appendonly", "no", "--dir", str(directory)],
        stdout=subprocess.DEVNULL,
    )
    deadline = time.monotonic() + 20
    while time.monotonic() < deadline:
        try:
            import redis

            if redis.Redis(host=HOST, port=port).ping():
                return server
        except Exception:  # noqa: BLE001 - not up yet
            time.sleep(0.1)
    server.terminate()
    sys.exit("redis-server did not start")


def start_gunicorn(port: int, *, workers: int, env: dict | None = None) -> subprocess.Popen:
    """The example site under gunicorn on ``port`` with the bench settings; returns when it answers."""
    environment = dict(
        os.environ, DJANGO_SETTINGS_MODULE=SETTINGS, CONN_MAX_AGE="60", PYTHONPATH=str(ROOT), **(env or {})
    )
    command = [
        str(Path(sys.executable).with_name("gunicorn")),
        "example_site.wsgi:application",
        "--bind",
        f"{HOST}:{port}",
        "--workers",
        str(workers),
        "--log-level",
        "warning",
        # A loaded machine may take a while over a request; a killed worker would lose answers.
        "--timeout",
        "120",
        "--chdir",
        str(ROOT),
    ]
    server = subprocess.Popen(command, env=environment)
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        try:
            if request(port, "GET", "/bench/bare/").status == 200:
                return server
        except OSError:
            time.sleep(0.2)
        if server.poll() is not None:
            break
    stop(server)
    sys.exit("gunicorn did not start")


def stop(process: subprocess.Popen | None):
    if process is None or process.poll() is not None:
        return
    process.terminate()
    try:
        process.wait(timeout=20)
    except subprocess.TimeoutExpired:
        process.kill()
        process.wait()


class Response:
    def __init__(self, status, headers, body):
        self.status, self.headers, self.body = status, headers, body

    def cookies(self) -> dict:
        """``name: value`` of every ``Set-Cookie``."""
        found = {}
        for name, value in self.headers:
            if name.lower() == "set-cookie":
                pair = value.split(";", 1)[0]
                key, _, val = pair.partition("=")
                found[key.strip()] = val.strip()
        return found

    def header(self, name):
        return next((value for key, value in self.headers if key.lower() == name.lower()), None)

    def text(self):
        return self.body.decode("utf-8", "replace")


def request(port, method, path, *, fields=None, body=None, headers=None, cookies=None, timeout=60) -> Response:
    """One HTTP request on a new connection; ``fields`` are sent as a form, ``cookies`` as a ``Cookie`` header."""
    headers = dict(headers or {})
    if fields is not None:
        body = urllib.parse.urlencode(fields)
        headers["Content-Type"] = "application/x-www-form-urlencoded"
    if cookies:
        headers["Cookie"] = "; ".join(f"{k}={v}" for k, v in cookies.items())
    connection = http.client.HTTPConnection(HOST, port, timeout=timeout)
    try:
        connection.request(method, path, body=body, headers=headers)
        response = connection.getresponse()
        return Response(response.status, response.getheaders(), response.read())
    finally:
        connection.close()


def demo_pages(candidates: int) -> dict:
    """The demo's public pages by name (notice, voting, publicity, results) as URL paths, the open vote brought to
    ``candidates`` candidates (copies of its first one)."""
    from django.utils import timezone

    from wagtail_awards.models import Application, CallPage, PublicityPage, VotingPage

    year = timezone.localdate().year
    open_vote = CallPage.objects.get(slug=f"vote-{year - 1}")
    template = Application.objects.filter(call=open_vote).first()
    for n in range(Application.objects.filter(call=open_vote).count(), candidates):
        template.pk, template.reference = None, f"{year - 1}-B{n:03d}"
        template.project_name = f"基准候选项目{n + 1}"
        template.save()
    return {
        "notice": CallPage.objects.get(slug=str(year)).url,
        "voting": VotingPage.objects.child_of(open_vote).get().url,
        "publicity": PublicityPage.objects.child_of(CallPage.objects.get(slug=f"publicity-{year - 1}")).get().url,
        "results": PublicityPage.objects.child_of(CallPage.objects.get(year=2021)).get().url,
    }
