"""The demo's open vote in a browser: answer the question, vote, see the tally move; on a phone and without JS."""

import re

from wagtail_awards.models import Vote, VotingPage

from .conftest import axe_violations, horizontal_overflow, screenshot


def open_vote_page():
    return VotingPage.objects.get(slug="vote", url_path__contains="/vote-")


def tally(page, candidate_id):
    text = page.locator(f"#candidate-{candidate_id} [data-vote-count]").get_attribute("data-vote-count")
    return int(text)


def first_candidate_id(page):
    return int(page.locator(".awards-candidate").first.get_attribute("id").split("-")[1])


def test_vote_in_the_browser_moves_the_tally(demo_site, page, settings):
    settings.WAGTAIL_AWARDS_VOTERS = ["insecure_device"]
    voting_page = open_vote_page()
    page.goto(demo_site.url + voting_page.url)
    page.wait_for_selector("[data-vote-form]:not([hidden])")
    # The question comes from the uncached endpoint: an image of a real challenge.
    assert re.search(r"/captcha/image/\w+/$", page.locator("[data-vote-image]").get_attribute("src"))
    candidate = first_candidate_id(page)
    before = tally(page, candidate)
    # Voting without an answer is stopped in the page.
    page.locator(f"#candidate-{candidate} [data-vote-link]").click()
    assert page.locator("[data-vote-error]").is_visible()
    page.fill("[data-vote-answer]", "passed")  # CAPTCHA_TEST_MODE
    page.locator("[data-vote-refresh]").click()  # a new question clears the answer
    page.wait_for_function("() => document.querySelector('[data-vote-answer]').value === ''")
    page.fill("[data-vote-answer]", "passed")
    page.locator(f"#candidate-{candidate} [data-vote-link]").click()
    page.wait_for_selector("[data-vote-done]")
    assert "已计入" in page.locator("[data-vote-done]").inner_text()
    assert tally(page, candidate) == before + 1
    assert Vote.objects.filter(application_id=candidate, voter_key__startswith="d:").count() == 1
    screenshot(page, "vote-done")

    # The same voter again for the same candidate today: refused with a clear message.
    page.wait_for_selector("[data-vote-form]:not([hidden])")
    page.fill("[data-vote-answer]", "passed")
    page.locator(f"#candidate-{candidate} [data-vote-link]").click()
    assert "今天已为该项目投过票" in page.locator("[data-vote-refusal]").inner_text()
    assert tally_after_refusal(candidate) == before + 1


def tally_after_refusal(candidate):
    return Vote.objects.filter(application_id=candidate, valid=True).count()


def test_vote_without_javascript(demo_site, browser, settings):
    settings.WAGTAIL_AWARDS_VOTERS = ["insecure_device"]
    context = browser.new_context(java_script_enabled=False, locale="zh-CN", viewport={"width": 360, "height": 740})
    page = context.new_page()
    try:
        voting_page = open_vote_page()
        page.goto(demo_site.url + voting_page.url)
        assert not page.locator("[data-vote-form]").is_visible()
        candidate = first_candidate_id(page)
        before = tally(page, candidate)
        page.locator(f"#candidate-{candidate} [data-vote-link]").click()
        page.wait_for_selector("img.captcha", state="visible")
        page.fill("input[name=captcha_1]", "passed")
        page.locator("button[type=submit]").click()
        assert "已计入" in page.locator("[data-vote-done]").inner_text()
        assert tally(page, candidate) == before + 1
    finally:
        context.close()


def test_voting_page_fits_a_phone(demo_site, phone, settings):
    settings.WAGTAIL_AWARDS_VOTERS = ["insecure_device"]
    voting_page = open_vote_page()
    phone.goto(demo_site.url + voting_page.url)
    phone.wait_for_selector("[data-vote-form]:not([hidden])")
    assert horizontal_overflow(phone) <= 0
    assert axe_violations(phone) == []
    screenshot(phone, "vote-phone")


def test_logged_out_voter_is_asked_to_log_in(demo_site, page):
    voting_page = open_vote_page()
    page.goto(demo_site.url + voting_page.url)
    page.wait_for_selector("[data-vote-login]:not([hidden])")
    assert "请登录后投票" in page.locator("[data-vote-login]").inner_text()
    assert not page.locator("[data-vote-question]").is_visible()
