import re

from wagtail_awards.models import CallPage

from .conftest import axe_violations, horizontal_overflow, screenshot


def test_demo_notice_shows_closed_countdown_and_timeline(demo_site, page):
    page.goto(demo_site.url + "/2021/")
    assert "关于开展2021年度全省教科系统基层工会服务教职工优质项目申报工作的通知" in page.title()
    countdown = page.locator("[data-awards-countdown]")
    assert "2021年10月19日" in countdown.inner_text()
    assert "已截止" in countdown.inner_text()
    stages = page.locator(".awards-timeline__stage")
    assert stages.count() == 7
    current = page.locator('.awards-timeline__stage[aria-current="step"]')
    assert current.count() == 1
    assert "发布并奖补" in current.inner_text()
    screenshot(page, "notice-2021")


def test_open_call_countdown_ticks_in_the_browser(demo_site, page):
    call = CallPage.objects.order_by("-year").first()
    page.goto(demo_site.url + call.url)
    countdown = page.locator("[data-awards-countdown]")
    assert "申报中" in countdown.inner_text()
    page.wait_for_selector("[data-awards-countdown][data-countdown-live]")
    seconds = page.locator('[data-unit="seconds"]')
    first = seconds.inner_text()
    page.wait_for_function(
        "(before) => document.querySelector('[data-unit=\"seconds\"]').textContent !== before", arg=first
    )
    assert re.fullmatch(r"\d+", seconds.inner_text())
    assert page.locator('.awards-timeline__stage[aria-current="step"]').get_attribute("data-stage") == "application"
    screenshot(page, "notice-open")


def test_notice_fits_a_phone_and_has_no_serious_accessibility_violations(demo_site, phone):
    for path in ("/", "/2021/"):
        phone.goto(demo_site.url + path)
        assert horizontal_overflow(phone) <= 0, path
        assert axe_violations(phone) == [], path
