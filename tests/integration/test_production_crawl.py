"""The example site as deployed: production settings, ``collectstatic`` into the manifest storage, gunicorn on
PostgreSQL with Redis, behind a proxy that says HTTPS and appends the client address. Every public page, every admin
screen and every export, as each role of the demo, is crawled: no answer is a 500.

Admin screens are discovered, not listed: from the admin menu (Wagtail renders it as JSON in the page) and from
every link of every screen reached, so a new screen is crawled as soon as a menu or a list links to it. Each kind of
URL (digits and keys replaced, query names kept) is fetched at most ``PER_KIND`` times per role.

Along the way it checks what the proxy contract promises: every HTML answer has a Content-Security-Policy, every
cookie is ``Secure``, and every static file a page names is in ``STATIC_ROOT`` (which the proxy serves).
"""

import html
import os
import re
import secrets
import shutil
import signal
import socket
import subprocess
import sys
import threading
import time
from collections import Counter
from http.cookies import SimpleCookie
from pathlib import Path
from urllib.parse import parse_qsl, urldefrag, urljoin, urlsplit

import pytest
from django.conf import settings

pytestmark = [
    pytest.mark.postgres,
    pytest.mark.skipif(
        "postgresql" not in settings.DATABASES["default"]["ENGINE"],
        reason="needs PostgreSQL: production settings are for PostgreSQL (CI runs the suite there)",
    ),
]

ROOT = Path(__file__).resolve().parents[2]
PASSWORD = "awards-demo"
ROLES = {
    "province": "admin",
    "editor": "admin",
    "recommender": "admin",
    "reviewer": "admin",
    "applicant": "site",
    "anonymous": None,
}
PER_KIND = 1
MAX_REQUESTS_PER_ROLE = 700
#: Links the crawl does not follow: leaving, and what is not a page of this site.
SKIP = re.compile(r"logout|^/captcha/|^/media/|^/static/|^/documents/\d+/|/edit/preview/")


def free_port():
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def database_url(name):
    db = settings.DATABASES["default"]
    user, password = db.get("USER", ""), db.get("PASSWORD", "")
    host, port = db.get("HOST") or "127.0.0.1", db.get("PORT") or 5432
    return f"postgres://{user}:{password}@{host}:{port}/{name}"


def admin_sql(*statements):
    import psycopg

    db = settings.DATABASES["default"]
    with psycopg.connect(
        dbname="postgres",
        user=db.get("USER"),
        password=db.get("PASSWORD"),
        host=db.get("HOST") or "127.0.0.1",
        port=db.get("PORT") or 5432,
        autocommit=True,
    ) as connection:
        for statement in statements:
            connection.execute(statement)


def wait_for(port, process, what, seconds=90):
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"{what} stopped: exit {process.returncode}")
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=1):
                return
        except OSError:
            time.sleep(0.2)
    raise RuntimeError(f"{what} did not start in {seconds} s")


@pytest.fixture(scope="module")
def production_site(tmp_path_factory):
    """migrate, collectstatic, load_awards_demo and gunicorn, all with ``example_site.settings.production``."""
    redis_server = shutil.which("redis-server")
    if not redis_server:
        pytest.fail("redis-server is missing: production settings need Redis (.ci/run installs it)")
    var = tmp_path_factory.mktemp("production-var")
    name = f"{settings.DATABASES['default']['NAME']}_crawl"[:63]
    admin_sql(f'DROP DATABASE IF EXISTS "{name}"', f'CREATE DATABASE "{name}"')
    redis_port, port = free_port(), free_port()
    redis = subprocess.Popen(
        [redis_server, "--port", str(redis_port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no"],
        stdout=subprocess.DEVNULL,
    )
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "example_site.settings.production",
        "PYTHONPATH": str(ROOT),
        "SECRET_KEY": secrets.token_urlsafe(50),
        "DATABASE_URL": database_url(name),
        "REDIS_URL": f"redis://127.0.0.1:{redis_port}/0",
        "ALLOWED_HOSTS": "127.0.0.1",
        "CSRF_TRUSTED_ORIGINS": f"https://127.0.0.1:{port}",
        "WAGTAIL_AWARDS_VAR_DIR": str(var),
        "WAGTAILADMIN_BASE_URL": f"https://127.0.0.1:{port}",
        "EMAIL_BACKEND": "django.core.mail.backends.locmem.EmailBackend",
    }
    env.pop("CAPTCHA_TEST_MODE", None)
    gunicorn = None
    try:
        wait_for(redis_port, redis, "redis-server")
        manage = [sys.executable, str(ROOT / "example_site" / "manage.py")]
        for command in (["migrate", "--noinput"], ["collectstatic", "--noinput"], ["load_awards_demo"]):
            done = subprocess.run(manage + command, env=env, capture_output=True, text=True, timeout=600)
            assert done.returncode == 0, (command, done.stderr[-3000:])
        gunicorn = subprocess.Popen(
            [sys.executable, "-m", "gunicorn", "example_site.wsgi", "-w", "3", "-b", f"127.0.0.1:{port}"],
            env=env,
            cwd=ROOT,
            stdout=subprocess.DEVNULL,
            stderr=open(var / "gunicorn.log", "w"),  # noqa: SIM115 - closed with the process
        )
        wait_for(port, gunicorn, "gunicorn")
        yield {"base": f"http://127.0.0.1:{port}", "port": port, "static_root": var / "static", "log": var}
    finally:
        for process in (gunicorn, redis):
            if process is not None and process.poll() is None:
                process.send_signal(signal.SIGTERM)
                try:
                    process.wait(timeout=20)
                except subprocess.TimeoutExpired:
                    process.kill()
        admin_sql(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


class Visitor:
    """One person's browser, as the proxy forwards it: HTTPS said by X-Forwarded-Proto, an address appended."""

    def __init__(self, site, address):
        import requests

        self.site = site
        self.http = requests.Session()
        self.cookies = {}
        self.insecure_cookies = set()
        self.address = address

    def request(self, method, path, **kwargs):
        headers = {
            "X-Forwarded-Proto": "https",
            "X-Forwarded-For": self.address,
            "Referer": f"https://127.0.0.1:{self.site['port']}{path}",
            "Cookie": "; ".join(f"{k}={v}" for k, v in self.cookies.items()),
        }
        response = self.http.request(
            method, self.site["base"] + path, headers=headers, allow_redirects=False, timeout=120, **kwargs
        )
        # The session's own jar would not send Secure cookies over the proxy's plain HTTP: keep them by hand.
        self.http.cookies.clear()
        for raw in response.raw.headers.getlist("Set-Cookie"):
            for name, morsel in SimpleCookie(raw).items():
                if not morsel["secure"]:
                    self.insecure_cookies.add(name)
                if morsel.value and morsel["max-age"] != "0":
                    self.cookies[name] = morsel.value
                else:
                    self.cookies.pop(name, None)
        return response

    def log_in(self, kind, username):
        path = "/admin/login/" if kind == "admin" else "/awards/accounts/login/"
        form = self.request("GET", path)
        token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', form.text)[1]
        response = self.request(
            "POST", path, data={"csrfmiddlewaretoken": token, "username": username, "password": PASSWORD}
        )
        assert response.status_code == 302, (username, response.status_code)


LINK = re.compile(r"""<a\b[^>]*?\bhref\s*=\s*["']([^"']+)["']""", re.I)
MENU_URL = re.compile(r'"url":\s*"(/[^"]*)"')
STATIC = re.compile(r"""(?:src|href)\s*=\s*["'](/static/[^"'?#]+)""", re.I)


def kind_of(path):
    """What a URL is, for the per-kind budget: digits and keys replaced, query values dropped."""
    split = urlsplit(path)
    shape = re.sub(r"\d+", "N", split.path)
    shape = re.sub(r"[0-9a-f]{20,}", "K", shape)
    return shape, tuple(sorted({key for key, _value in parse_qsl(split.query, keep_blank_values=True)}))


def links(page_path, text):
    found = [html.unescape(href) for href in LINK.findall(text)]
    found += [url.encode().decode("unicode_escape") for url in MENU_URL.findall(text)]
    for href in found:
        href = urldefrag(urljoin(page_path, href))[0]
        split = urlsplit(href)
        if split.scheme or split.netloc or not split.path.startswith("/"):
            continue
        if SKIP.search(split.path):
            continue
        yield href


def crawl(site, role, kind):
    visitor = Visitor(site, address=f"203.0.113.{list(ROLES).index(role) + 10}")
    if kind:
        visitor.log_in(kind, role)
    starts = ["/", "/admin/"] if kind == "admin" else ["/", "/awards/applications/", "/admin/"]
    queue, seen, kinds = list(starts), set(starts), Counter()
    result = {"fetched": {}, "no_csp": [], "static": set(), "visitor": visitor}
    while queue and len(result["fetched"]) < MAX_REQUESTS_PER_ROLE:
        path = queue.pop(0)
        response = visitor.request("GET", path)
        result["fetched"][path] = response.status_code
        if response.status_code in (301, 302, 303) and response.headers.get("Location", "").startswith("/"):
            target = response.headers["Location"]
            if target not in seen and not SKIP.search(target):
                seen.add(target)
                queue.append(target)
        if "text/html" not in response.headers.get("Content-Type", ""):
            continue
        if "Content-Security-Policy" not in response.headers:
            result["no_csp"].append(path)
        result["static"].update(STATIC.findall(response.text))
        for href in links(path, response.text):
            if href in seen:
                continue
            seen.add(href)
            shape = kind_of(href)
            if kinds[shape] >= PER_KIND:
                continue
            kinds[shape] += 1
            queue.append(href)
    return result


def test_every_page_screen_and_export_as_every_role_without_a_server_error(production_site):
    results = {}

    def run(role, kind):
        results[role] = crawl(production_site, role, kind)

    threads = [threading.Thread(target=run, args=item) for item in ROLES.items()]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert set(results) == set(ROLES), "a crawler failed: " + str(set(ROLES) - set(results))

    errors = [(role, path, code) for role, r in results.items() for path, code in r["fetched"].items() if code >= 500]
    log = (production_site["log"] / "gunicorn.log").read_text()[-4000:]
    assert not errors, f"{errors}\n{log}"

    # The crawl reached what it is for: screens of every kind for each role, the lists that failed before, exports.
    fetched = {role: r["fetched"] for role, r in results.items()}
    admin_screens = {
        role: {p for p, s in f.items() if p.startswith("/admin/") and s == 200} for role, f in fetched.items()
    }
    for role in ("province", "editor", "recommender", "reviewer"):
        assert len(admin_screens[role]) >= 5, (role, sorted(admin_screens[role]))
    assert fetched["province"].get("/admin/wagtail_awards/award/") == 200
    assert any("export=" in p and s == 200 for p, s in fetched["province"].items()), "no export was crawled"
    assert any("export=" in p and s == 200 for p, s in fetched["recommender"].items()), "no export was crawled"
    assert fetched["applicant"].get("/awards/applications/") == 200
    public = {p for p, s in fetched["anonymous"].items() if s == 200 and not p.startswith("/admin/")}
    assert len(public) >= 8, sorted(public)
    totals = {role: len(f) for role, f in fetched.items()}
    print("requests per role:", totals, "statuses:", Counter(s for f in fetched.values() for s in f.values()))
    (production_site["log"] / "crawled.txt").write_text(
        "\n".join(f"{role} {code} {path}" for role, f in fetched.items() for path, code in sorted(f.items()))
    )

    for role, r in results.items():
        assert not r["no_csp"], (role, r["no_csp"][:10])
        assert not r["visitor"].insecure_cookies, (role, r["visitor"].insecure_cookies)
    static_root = production_site["static_root"]
    named = set().union(*(r["static"] for r in results.values()))
    missing = sorted(url for url in named if not (static_root / url.removeprefix("/static/")).is_file())
    assert named and not missing, missing[:20]
