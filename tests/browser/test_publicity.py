import datetime as dt

from django.utils import timezone

from tests.builders import build_world, make_site
from wagtail_awards.enums import AwardStatus
from wagtail_awards.models import Award, Objection

from .conftest import axe_violations, horizontal_overflow, screenshot


def test_objection_then_cancellation_shows_on_the_publicity_page(migrated_live_server, page):
    index = make_site()
    # The publicity started an hour ago; the province administrator "province" signs in with the password "pw".
    world = build_world(
        index, stage="publicity", year=2021, projects=3, publicity_starts=timezone.now() - dt.timedelta(hours=1)
    )
    publicity_page, target = world.publicity_page, world.awards["p2"]
    url = migrated_live_server.url + publicity_page.url

    # The countdown is on the page and JavaScript refines it.
    page.goto(url)
    countdown = page.locator("[data-awards-countdown]")
    assert "公示中" in countdown.inner_text()
    assert "个工作日" in countdown.inner_text()
    page.wait_for_selector("[data-awards-countdown][data-countdown-live]")
    assert "公示期：" in page.locator("[data-publicity-period]").inner_text()

    # Anyone files an objection.
    form = page.locator("[data-objection-form]")
    form.locator("select[name=application]").select_option(str(target.application_id))
    form.locator("input[name=name]").fill("张老师")
    form.locator("input[name=contact]").fill("13800000000")
    form.locator("textarea[name=content]").fill("该项目材料与实际不符。")
    form.locator("input[name=captcha_1]").fill("passed")
    form.locator("button[type=submit]").click()
    page.wait_for_selector(".awards-message--success")
    assert "异议已收到" in page.locator("[data-objection-filed]").inner_text()
    assert Objection.objects.filter(application=target.application).count() == 1
    screenshot(page, "publicity-objection-filed")

    # The province administrator cancels the award in the admin.
    page.goto(migrated_live_server.url + "/admin/login/")
    page.fill("input[name=username]", "province")
    page.fill("input[name=password]", "pw")
    page.locator("form button[type=submit]").first.click()
    page.wait_for_url("**/admin/")
    page.goto(migrated_live_server.url + "/admin/wagtail_awards/award/")
    row = page.locator("tr", has_text=target.application.project_name)
    row.get_by_role("link", name="撤销奖项").click()
    page.get_by_label("错报").check()
    page.fill("textarea[name=reason]", "申报材料错报参与人数。")
    page.locator("form button[type=submit]", has_text="撤销奖项").click()
    page.wait_for_url("**/admin/wagtail_awards/award/")
    assert Award.objects.get(pk=target.pk).status == AwardStatus.CANCELLED

    # The page shows it as cancelled.
    page.goto(url)
    item = page.locator(f'[data-award="{target.application_id}"]').first
    assert item.get_attribute("data-award-status") == "cancelled"
    assert "公示期间撤销：错报" in item.inner_text()
    screenshot(page, "publicity-cancelled")


def test_demo_publicity_pages_fit_a_phone_and_have_no_serious_accessibility_violations(demo_site, phone):
    from wagtail_awards.models import PublicityPage

    for publicity_page in PublicityPage.objects.live():
        phone.goto(demo_site.url + publicity_page.url)
        assert phone.locator("[data-publicity-period]").is_visible()
        assert horizontal_overflow(phone) <= 0, publicity_page.url
        assert axe_violations(phone) == [], publicity_page.url
        screenshot(phone, f"publicity-demo-{publicity_page.get_parent().slug}")
