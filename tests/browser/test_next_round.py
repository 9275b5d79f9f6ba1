"""Next year's round in the browser: the editor makes the next round from this year's call in a handful of actions,
and an applicant applies to it.

Every click, key-in and page the editor opens after logging in is counted; the budget is 10. The clock moves to
the new round's application stage by changing its dates in the database, never by sleeping.
"""

import datetime as dt
import re

from django.utils import timezone

from wagtail_awards.models import Application, ApplicationFormPage, CallPage

from .conftest import screenshot

PASSWORD = "awards-demo"
PDF = b"%PDF-1.4\n1 0 obj<</Type/Catalog>>endobj\ntrailer<</Root 1 0 R>>\n%%EOF\n"


class Counted:
    """The editor's browser, counting what they do."""

    def __init__(self, page):
        self.page, self.actions = page, 0

    def goto(self, url):
        self.actions += 1
        self.page.goto(url)

    def click(self, locator):
        self.actions += 1
        locator.click()

    def check(self, locator):
        self.actions += 1
        locator.check()


def site_login(page, base, username):
    page.goto(base + "/awards/accounts/login/")
    page.get_by_label("用户名").fill(username)
    page.get_by_label("密码").fill(PASSWORD)
    page.get_by_role("button", name="登录").click()
    page.wait_for_load_state()


def new_page(browser, **options):
    context = browser.new_context(locale="zh-CN", timezone_id="Asia/Shanghai", **options)
    page = context.new_page()
    page.set_default_timeout(20_000)
    return page


def test_the_editor_makes_next_years_round_in_ten_actions_and_an_applicant_applies(demo_site, browser, tmp_path):
    base = demo_site.url
    this_year = timezone.localdate().year
    source = CallPage.objects.get(slug=str(this_year))

    page = new_page(browser, viewport={"width": 1280, "height": 900})
    page.goto(base + "/admin/login/")
    page.fill("#id_username", "editor")
    page.fill("#id_password", PASSWORD)
    page.click("button[type=submit]")
    page.wait_for_url(base + "/admin/")

    editor = Counted(page)
    editor.goto(f"{base}/admin/pages/{source.pk}/edit/")
    editor.click(page.locator("header").get_by_role("button", name="操作"))
    editor.click(page.get_by_role("link", name="以此为模板创建下一年度评选"))
    assert page.get_by_label("新一年度").input_value() == str(this_year + 1)
    screenshot(page, "next-round-form")
    editor.click(page.get_by_role("button", name="创建新一年度评选"))
    page.wait_for_url(re.compile(r"/admin/awards/rounds/\d+/from/\d+/$"))
    report = page.locator("main").inner_text()
    assert f"{this_year + 1}年度评选已创建为草稿" in report
    assert "申报截止时间" in report and "需核对" in report
    screenshot(page, "next-round-report")
    editor.check(page.get_by_label("我已核对以上日期和文字。"))
    editor.click(page.get_by_role("button", name="发布新一年度评选"))
    page.wait_for_load_state()
    assert "已发布" in page.locator(".messages").inner_text()
    assert editor.actions <= 10, editor.actions

    new = CallPage.objects.get(year=this_year + 1, slug=str(this_year + 1))
    assert new.live and str(this_year + 1) in new.title and str(this_year) not in new.title
    form_page = ApplicationFormPage.objects.child_of(new).get()
    assert form_page.live and str(this_year + 1) in form_page.title
    assert [f.label for f in form_page.get_form_fields()] == [
        f.label for f in ApplicationFormPage.objects.child_of(source).get().get_form_fields()
    ]
    page.context.close()

    # A year later: the new round's applications are open.
    now = timezone.now()
    CallPage.objects.filter(pk=new.pk).update(
        application_opens=now - dt.timedelta(days=1), application_deadline=now + dt.timedelta(days=20)
    )
    pdf = tmp_path / "申报书.pdf"
    pdf.write_bytes(PDF)
    applicant = new_page(browser, viewport={"width": 390, "height": 800}, is_mobile=True)
    site_login(applicant, base, "applicant")
    applicant.goto(base + new.url)
    applicant.get_by_role("link", name="在线申报").first.click()
    applicant.wait_for_url(re.compile(rf"/{this_year + 1}/apply/$"))
    assert applicant.get_by_label("审核单位").input_value() == "江苏省教育科技工会"
    applicant.get_by_label("归口业务部门").fill("工会办公室")
    applicant.get_by_label("项目名称").fill("教职工健康步道")
    applicant.get_by_label("主题").select_option(index=1)
    applicant.get_by_label("项目简介").fill("在校园内修建健康步道，组织教职工每日健步走。")
    applicant.get_by_label("项目负责人").fill("周老师")
    applicant.get_by_label("联系电话").fill("025-00000000")
    applicant.locator('input[name="materials"]').set_input_files(str(pdf))
    applicant.locator('input[name="declaration"]').check()
    applicant.get_by_role("button", name="在线申报").click()
    applicant.wait_for_url(re.compile(r"/awards/applications/\d+/submitted/$"))
    reference = applicant.locator("strong[data-reference]").inner_text()
    assert reference == f"{this_year + 1}-0001"
    assert Application.objects.get(call=new).status == "submitted"
    screenshot(applicant, "next-round-applied")
    applicant.context.close()


def test_after_a_vote_the_thanks_are_in_view_on_the_voted_card(demo_site, browser):
    """On a phone, the page comes back at the card voted for, and the thanks are there, in view."""
    from wagtail_awards.models import VotingPage

    base = demo_site.url
    voting = VotingPage.objects.get(slug="vote", url_path__contains="vote-")
    page = new_page(browser, viewport={"width": 360, "height": 740}, is_mobile=True)
    site_login(page, base, "voter")  # the demo voter: a verified address
    page.goto(base + voting.url)
    page.wait_for_selector("[data-vote-answer]")
    page.fill("[data-vote-answer]", "passed")
    card = page.locator(".awards-candidate").nth(3)
    card.locator("[data-vote-link]").click()
    page.wait_for_selector("[data-vote-done]")
    thanks = page.locator("[data-vote-done]")
    assert "已计入" in thanks.inner_text()
    box, viewport = thanks.bounding_box(), page.viewport_size
    assert 0 <= box["y"] and box["y"] + box["height"] <= viewport["height"]
    assert "awards-candidate--voted" in page.locator(".awards-candidate", has=thanks).get_attribute("class")
    page.context.close()
