"""A new applicant in the browser: register → fill → save draft → upload a PDF → submit → my applications."""

import re

from django.contrib.auth import get_user_model
from django.utils import timezone

from wagtail_awards.models import Application, ApplicationFormPage, CallPage, Membership
from wagtail_awards.services.accounts import decide_membership

from .conftest import axe_violations, horizontal_overflow, register_and_confirm, screenshot

PDF = b"%PDF-1.4\n1 0 obj<</Type/Catalog>>endobj\ntrailer<</Root 1 0 R>>\n%%EOF\n"


def test_new_applicant_registers_applies_and_sees_the_reference(demo_site, page, tmp_path):
    year = timezone.localdate().year
    call = CallPage.objects.get(slug=str(year))
    form_page = ApplicationFormPage.objects.child_of(call).get()

    # The notice links to the form; an anonymous visitor is asked to log in, and registers from there.
    page.goto(demo_site.url + call.url)
    page.get_by_role("link", name="在线申报").click()
    assert "/awards/accounts/login/" in page.url
    page.locator("#main").get_by_role("link", name="注册").click()
    register_and_confirm(page, demo_site.url, "langya@example.com", name="周老师", unit="南京市琅琊路小学工会")

    # Logged in, the request to join the unit waits for approval: the form says so and offers nothing.
    assert "待审核" in page.locator("main").inner_text()
    page.goto(demo_site.url + form_page.url)
    assert "正在等待推荐单位审核" in page.locator("main").inner_text()
    assert page.locator("input[name='project_name']").count() == 0
    # The city union approves it (the admin's approval is tried in the journey test).
    membership = Membership.objects.get(user__username="langya@example.com")
    decide_membership(membership=membership, approve=True, by=get_user_model().objects.get(username="recommender"))

    # On the form now, with the unit and its reviewing union filled in.
    page.reload()
    assert page.get_by_label("申报单位名称").input_value() == "南京市琅琊路小学工会"
    assert page.get_by_label("审核单位").input_value() == "江苏省教育科技工会"  # as the notice says
    page.get_by_label("归口业务部门").fill("工会办公室")
    page.get_by_label("项目名称").fill("“书香教工”读书会")
    page.get_by_label("主题").select_option("举旗育人")
    page.get_by_label("项目简介").fill("每月一次教职工读书分享会，已坚持三年。")
    page.get_by_label("项目负责人").fill("周老师")
    page.get_by_label("联系电话").fill("025-12345678")
    page.get_by_role("button", name="保存草稿").click()
    assert "草稿已保存" in page.locator(".awards-messages").inner_text()
    application = Application.objects.get(project_name="“书香教工”读书会")
    assert application.status == "draft"

    # Submitting without materials or the declaration is refused, and nothing typed is lost.
    page.get_by_role("button", name="在线申报").click()
    assert "申报材料不完整" in page.locator(".awards-messages").inner_text()
    assert page.get_by_label("项目名称").input_value() == "“书香教工”读书会"

    pdf = tmp_path / "申报书.pdf"
    pdf.write_bytes(PDF)
    page.locator('input[name="materials"]').set_input_files(str(pdf))
    page.get_by_label("本单位承诺所报材料真实、合法。").check()
    assert not axe_violations(page)
    screenshot(page, "application-form")
    page.get_by_role("button", name="在线申报").click()

    page.wait_for_url(re.compile(r"/awards/applications/\d+/submitted/$"))
    reference = page.locator("strong[data-reference]").inner_text()
    assert re.fullmatch(rf"{year}-\d{{4}}", reference)
    assert "申报书.pdf" in page.content()
    screenshot(page, "application-submitted")

    page.get_by_role("link", name="我的申报").first.click()
    row = page.locator("tr", has_text="“书香教工”读书会")
    assert reference in row.inner_text()
    assert "已申报" in row.inner_text()
    application.refresh_from_db()
    assert application.reference == reference and application.files.count() == 1


def test_form_fits_a_phone(demo_site, phone):
    phone.goto(demo_site.url + "/awards/accounts/login/")
    phone.get_by_label("用户名").fill("applicant")
    phone.get_by_label("密码").fill("awards-demo")
    phone.get_by_role("button", name="登录").click()
    assert "我的申报" in phone.title()
    form_page = ApplicationFormPage.objects.child_of(CallPage.objects.get(slug=str(timezone.localdate().year))).get()
    phone.goto(demo_site.url + form_page.url)
    assert horizontal_overflow(phone) <= 0
    assert not axe_violations(phone)
