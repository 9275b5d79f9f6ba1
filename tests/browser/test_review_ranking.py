"""The province administrator's ranking screen on the demo round: ties marked, prizes suggested and confirmed."""

from wagtail_awards.enums import ApplicationStatus
from wagtail_awards.models import Application, Award, CallPage

from .conftest import screenshot


def log_in(page, base, username):
    page.goto(base + "/admin/login/")
    page.fill("#id_username", username)
    page.fill("#id_password", "awards-demo")
    page.click("button[type=submit]")
    page.wait_for_url(base + "/admin/")


def test_ranking_suggests_prizes_by_rank_and_the_admin_confirms(demo_site, page):
    log_in(page, demo_site.url, "province")
    page.goto(demo_site.url + "/admin/awards/review/ranking/")
    rows = page.locator(".awards-ranking tbody tr")
    assert rows.count() == 8
    assert page.locator(".awards-ranking__tied").count() == 2
    assert "评审未完成" in page.locator(".awards-ranking").inner_text()

    page.click("text=按名次建议")
    page.wait_for_selector(".help-info")
    selects = page.locator(".awards-ranking select")
    chosen = [selects.nth(i).input_value() for i in range(selects.count())]
    # Demo counts: two first prizes, three second, three third; the tie at 6th drops to third prize together.
    assert chosen == ["1", "1", "2", "2", "3", "3", "3"]
    page.click("text=保存奖项")
    page.wait_for_selector(".messages .success")
    call = CallPage.objects.get(slug__startswith="review-")
    assert Award.objects.filter(application__call=call, prize_rank=1).count() == 2
    assert Application.objects.filter(call=call, status=ApplicationStatus.PROPOSED).count() == 7
    assert "一等奖: 2 / 2" in page.locator(".awards-review__levels").inner_text()
    page.goto(demo_site.url + "/admin/awards/review/ranking/")
    assert page.locator(".awards-ranking select").nth(0).input_value() == "1"
    screenshot(page, "ranking")


def test_reviewer_scores_the_review_left_open(demo_site, page):
    log_in(page, demo_site.url, "reviewer")
    page.goto(demo_site.url + "/admin/awards/review/scores/")
    page.click("a.button:text('评分')")
    page.wait_for_selector(".awards-review__criterion input")
    inputs = page.locator(".awards-review__criterion input")
    assert inputs.count() == 4
    for i in range(4):
        inputs.nth(i).fill("88")
    inputs.nth(0).fill("101")
    page.click("text=保存评分")
    page.wait_for_selector(".awards-review__criterion .error-message, .awards-review__criterion .errorlist")
    assert "100" in page.locator(".awards-review__criterion").first.inner_text()  # the range error names the maximum
    page.locator(".awards-review__criterion input").nth(0).fill("90")
    page.click("text=保存评分")
    page.wait_for_selector(".messages .success")
    assert "已完成评审 5 / 5 份" in page.locator("main").inner_text()
