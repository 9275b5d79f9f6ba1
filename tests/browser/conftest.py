"""Playwright for Python driving Debian's chromium; no browser is ever downloaded."""

import os
from pathlib import Path

import pytest

CHROMIUM = os.environ.get("WAGTAIL_AWARDS_CHROMIUM", "/usr/bin/chromium")
ARTIFACTS = Path(__file__).resolve().parents[2] / "test-artifacts"
# Playwright's sync API runs an event loop in this thread; the ORM calls the tests make around it are safe.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")


def pytest_collection_modifyitems(items):
    for item in items:
        if "tests/browser/" in str(item.fspath):
            item.add_marker(pytest.mark.browser)


@pytest.fixture(scope="session")
def browser():
    from playwright.sync_api import sync_playwright

    if not Path(CHROMIUM).exists():
        pytest.fail(f"{CHROMIUM} is missing: run `make test`, which installs Debian's chromium")
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=CHROMIUM,
            headless=True,
            args=[
                "--no-sandbox",
                "--disable-gpu",
                "--disable-quic",
                "--no-first-run",
                "--disable-background-networking",
                "--disable-component-update",
                "--disable-sync",
                "--disable-dev-shm-usage",
            ],
        )
        yield browser
        browser.close()


@pytest.fixture(autouse=True)
def _fresh_rate_limits():
    """Every browser comes from 127.0.0.1: questions asked by earlier tests must not count against this one."""
    from django.core.cache import cache

    cache.clear()


def refused_by_policy(context):
    """Collects what the Content-Security-Policy refused in any page of ``context`` (the browser logs each)."""
    refused = []

    def watch(page):
        page.on(
            "console",
            lambda message: (
                refused.append(f"{page.url}: {message.text}") if "Content Security Policy" in message.text else None
            ),
        )

    context.on("page", watch)
    return refused


@pytest.fixture
def page(browser):
    context = browser.new_context(locale="zh-CN", timezone_id="Asia/Shanghai", viewport={"width": 1280, "height": 900})
    refused = refused_by_policy(context)
    page = context.new_page()
    page.set_default_timeout(15_000)
    yield page
    context.close()
    assert not refused, "\n".join(refused)


@pytest.fixture
def phone(browser):
    context = browser.new_context(
        locale="zh-CN", timezone_id="Asia/Shanghai", viewport={"width": 360, "height": 740}, is_mobile=True
    )
    refused = refused_by_policy(context)
    page = context.new_page()
    page.set_default_timeout(15_000)
    yield page
    context.close()
    assert not refused, "\n".join(refused)


@pytest.fixture
def migrated_live_server(live_server, transactional_db):
    """A live server on a database holding what the migrations made (see ``tests/conftest.py``)."""
    return live_server


@pytest.fixture
def demo_site(migrated_live_server):
    """The demo content on a live server."""
    from django.core.management import call_command

    call_command("load_awards_demo", stdout=open(os.devnull, "w"))
    return migrated_live_server


def screenshot(page, name):
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / f"{name}.png"), full_page=True)


AXE = Path(__file__).resolve().parents[2] / "node_modules" / "axe-core" / "axe.min.js"


def axe_violations(page, impacts=("serious", "critical")):
    """Run axe-core in the page; return the violations of the given impacts as (id, help, targets)."""
    if not AXE.exists():
        pytest.fail("axe-core is missing: `make test` installs it with npm")
    # Evaluated by the browser's debugging protocol, not added as a script element, which the page's
    # Content-Security-Policy (scripts from the site only) rightly refuses.
    page.evaluate(AXE.read_text(encoding="utf-8"))
    result = page.evaluate("async () => await axe.run(document, {resultTypes: ['violations']})")
    return [
        (v["id"], v["help"], [n["target"] for n in v["nodes"]][:3])
        for v in result["violations"]
        if v["impact"] in impacts
    ]


def horizontal_overflow(page):
    return page.evaluate("document.documentElement.scrollWidth - document.documentElement.clientWidth")


def register_and_confirm(page, base, email, *, name, unit=None, password="Langya-Apply-2026"):
    """A new account in the browser: the registration form (the question answered in test mode), the "check your
    mailbox" page, then the link of the confirmation e-mail, which logs the account in."""
    import re

    from django.core import mail

    page.get_by_label("电子邮箱").fill(email)
    page.get_by_label("您的姓名").fill(name)
    page.locator("#id_account-password1").fill(password)
    page.locator("#id_account-password2").fill(password)
    page.locator("input[name='account-captcha_1']").fill("passed")
    if unit:
        page.get_by_label("所在单位").select_option(label=unit)
    page.get_by_role("button", name="注册").click()
    page.wait_for_url(re.compile(r"/accounts/register/sent/$"))
    assert "请查收邮件" in page.locator("main").inner_text()
    link = re.search(r"https?://[^/\s]+(/\S+/verify/\S+)", mail.outbox[-1].body).group(1)
    page.goto(base + link)
    page.wait_for_url(re.compile(r"/accounts/me/$"))
