"""What each public page weighs in the browser: bytes transferred for HTML, CSS, JavaScript, images and the rest.

    .venv/bin/python bench/page_weight.py [--port 8765] [--runs 1]

Builds the demo site in a temporary directory (SQLite, ``WAGTAIL_AWARDS_VAR_DIR``), serves it with
``manage.py runserver`` (``example_site.settings.dev``: static files straight from the apps, not compressed) and
opens every page in a fresh Debian chromium context (empty cache), counting the encoded body and header bytes of
every response (Playwright's ``request.sizes()``), JavaScript-initiated ones (the vote captcha) included.
Pages behind a login are loaded after logging in as the demo applicant; the login itself is not counted.

Prints a table with each page's total as a ratio to the notice page (the baseline: text, timeline, countdown).
"""

import argparse
import os
import subprocess
import sys
import tempfile
import time
import urllib.request
from collections import defaultdict
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
CHROMIUM = os.environ.get("WAGTAIL_AWARDS_CHROMIUM", "/usr/bin/chromium")
KINDS = ("html", "css", "js", "images", "other")
KIND_OF = {"document": "html", "stylesheet": "css", "script": "js", "image": "images"}


def manage(env, *args, **kwargs):
    return subprocess.run(
        [sys.executable, str(ROOT / "example_site" / "manage.py"), *args], env=env, check=True, **kwargs
    )


def start_site(var_dir, port):
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "example_site.settings.dev",
        "WAGTAIL_AWARDS_VAR_DIR": str(var_dir),
    }
    env.pop("DATABASE_URL", None)
    manage(env, "migrate", "--noinput", stdout=subprocess.DEVNULL)
    manage(env, "load_awards_demo", stdout=subprocess.DEVNULL)
    server = subprocess.Popen(
        [sys.executable, str(ROOT / "example_site" / "manage.py"), "runserver", f"127.0.0.1:{port}", "--noreload"],
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    base = f"http://127.0.0.1:{port}"
    for _ in range(100):
        try:
            urllib.request.urlopen(base + "/", timeout=2)
            return server, base
        except OSError:
            time.sleep(0.2)
    server.terminate()
    raise SystemExit("the site did not start")


def page_paths(var_dir):
    """(name, path, needs login) of the pages to weigh, read from the demo database."""
    os.environ["DJANGO_SETTINGS_MODULE"] = "example_site.settings.dev"
    os.environ["WAGTAIL_AWARDS_VAR_DIR"] = str(var_dir)
    os.environ.pop("DATABASE_URL", None)
    sys.path.insert(0, str(ROOT))
    import django

    django.setup()
    from django.utils import timezone

    from wagtail_awards.models import ApplicationFormPage, CallPage, PublicityPage, VotingPage

    year = timezone.localdate().year
    open_call = CallPage.objects.get(slug=str(year))
    form_page = ApplicationFormPage.objects.child_of(open_call).get()
    return [
        ("notice", open_call.url, False),
        ("calls", "/", False),
        ("notice 2021", "/2021/", False),
        ("application form", form_page.url, True),
        ("my applications", "/awards/applications/", True),
        ("voting", VotingPage.objects.get(url_path__contains="/vote-").url, False),
        ("publicity", PublicityPage.objects.get(url_path__contains="/publicity-").url, False),
        ("results", PublicityPage.objects.get(url_path__contains="/2021/").url, False),
        ("login", "/awards/accounts/login/", False),
    ]


def weigh(browser, base, path, *, login):
    context = browser.new_context(locale="zh-CN", viewport={"width": 360, "height": 740})
    page = context.new_page()
    if login:
        # Through the context's own HTTP client: the session cookie is shared, the browser cache stays empty.
        context.request.get(base + "/awards/accounts/login/")
        token = next(c["value"] for c in context.cookies() if c["name"] == "csrftoken")
        response = context.request.post(
            base + "/awards/accounts/login/",
            form={"username": "applicant", "password": "awards-demo", "csrfmiddlewaretoken": token},
            headers={"Referer": base + "/awards/accounts/login/"},
        )
        assert response.ok and any(c["name"] == "sessionid" for c in context.cookies()), "login failed"
    sizes = defaultdict(int)
    requests = []
    page.on("requestfinished", lambda request: requests.append(request))
    page.goto(base + path)
    page.wait_for_load_state("networkidle")
    for request in requests:
        measured = request.sizes()
        kind = KIND_OF.get(request.resource_type, "other")
        sizes[kind] += measured["responseBodySize"] + measured["responseHeadersSize"]
    sizes["requests"] = len(requests)
    context.close()
    return sizes


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--port", type=int, default=8765)
    args = parser.parse_args()
    from playwright.sync_api import sync_playwright

    with tempfile.TemporaryDirectory(prefix="awards-page-weight-") as var_dir:
        server, base = start_site(Path(var_dir), args.port)
        try:
            pages = page_paths(Path(var_dir))
            with sync_playwright() as playwright:
                browser = playwright.chromium.launch(executable_path=CHROMIUM, headless=True, args=["--no-sandbox"])
                rows = [(name, path, weigh(browser, base, path, login=login)) for name, path, login in pages]
                browser.close()
        finally:
            server.terminate()
            server.wait()
    baseline = sum(rows[0][2][k] for k in KINDS)
    print(f"{'page':<18} {'requests':>8} " + " ".join(f"{k:>8}" for k in KINDS) + f" {'total':>9} {'× notice':>9}")
    for name, _path, sizes in rows:
        total = sum(sizes[k] for k in KINDS)
        cells = " ".join(f"{sizes[k]:>8}" for k in KINDS)
        print(f"{name:<18} {sizes['requests']:>8} {cells} {total:>9} {total / baseline:>9.2f}")
    print("bytes: encoded bodies plus headers, as transferred; DEBUG static files (no compression)")


if __name__ == "__main__":
    main()
