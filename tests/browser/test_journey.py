"""One whole round in the browser, as its people see it, each with their own login.

The editor publishes the call and its application form; two units register and apply (the second one too late);
the city union recommends within its quota; the province administrator assigns reviewers; the reviewers score;
the administrator sets the prizes; staff vote with the captcha; the publicity opens with its countdown, someone
objects and a project is cancelled; the final list and the subsidies appear.

The clock moves between stages by changing the call's dates in the database, never by sleeping.
"""

import datetime as dt
import os
import re

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.core.management import call_command
from django.utils import timezone
from wagtail.models import Site

from tests.builders import build_world, make_application, make_org, make_site, make_user, make_voting_page, verify_voter
from wagtail_awards.enums import Role
from wagtail_awards.models import (
    Application,
    ApplicationFormField,
    ApplicationFormPage,
    Award,
    CallPage,
    Objection,
    PublicityPage,
    Vote,
)

from .conftest import register_and_confirm, screenshot

#: The password of the people who register through the site.
PASSWORD = "Journey-2026-pw"
#: The password of the world's people (the builders' ``make_user``).
WORLD_PASSWORD = "pw"
PDF = b"%PDF-1.4\n1 0 obj<</Type/Catalog>>endobj\ntrailer<</Root 1 0 R>>\n%%EOF\n"


def shot(page, name):
    screenshot(page, f"journey-{name}")


def set_dates(call, **dates):
    """Move the round's clock: change the call's dates in the database (the pages read them on every request)."""
    CallPage.objects.filter(pk=call.pk).update(**dates)


def draft_round():
    """The world's province, cities, units and people, and its call waiting as a draft with its application form;
    three more units of Nanjing with a project each, submitted earlier, and three members of staff who vote."""
    index = make_site()
    Site.objects.filter(is_default_site=True).update(site_name="江苏省教育科技工会")
    now = timezone.now()
    world = build_world(
        index,
        stage="applying",
        publish=False,
        year=2026,
        title="关于开展2026年度基层工会服务教职工优质项目申报工作的通知",
        slug="2026",
        now=now,
        deadline=now + dt.timedelta(days=10),
        recommendation_deadline=now + dt.timedelta(days=20),
        review_deadline=now + dt.timedelta(days=30),
        voting_opens=now + dt.timedelta(days=31),
        voting_closes=now + dt.timedelta(days=35),
        publicity_starts=now + dt.timedelta(days=40),
        prizes=((1, "一等奖", 1, 10000), (2, "二等奖", 2, 6000)),
    )
    call = world.call
    form_page = ApplicationFormPage(
        title="在线申报", slug="apply", materials_extensions="pdf, docx", materials_max_size_mb=5, live=False
    )
    form_page.form_fields = [
        ApplicationFormField(label="项目简介", field_type="multiline", required=True),
        ApplicationFormField(label="项目负责人", field_type="singleline", required=True),
    ]
    call.add_child(instance=form_page)
    form_page.save_revision()

    # The editor publishes (a moderator too); the units register into 琅琊路小学 and 金陵中学 through the site.
    world.users["editor"].groups.add(Group.objects.get(name="Moderators"))
    nanjing = world.orgs["nanjing"]
    units = {
        "langya": make_org("南京市琅琊路小学工会", parent=nanjing, city="南京"),
        "no13": make_org("南京市第十三中学工会", parent=nanjing, city="南京"),
        "no1": world.orgs["nj1"],
        "no29": make_org("南京市第二十九中学工会", parent=nanjing, city="南京"),
    }
    for username, name in (("voter1", "赵老师"), ("voter2", "钱老师"), ("voter3", "孙老师")):
        make_user(username, first_name=name, password=WORLD_PASSWORD)
    # Three more applications of Nanjing, submitted earlier by their units.
    background = (("no13", "教工心理健康驿站"), ("no1", "青年教师成长营"), ("no29", "教工运动俱乐部"))
    for number, (key, project) in enumerate(background, start=1):
        make_application(
            call,
            org=units[key],
            applicant=make_user(f"applicant-{key}", org=units[key], role=Role.APPLICANT, first_name=units[key].name),
            recommending_organization=nanjing,
            project_name=project,
            theme="暖心聚力",
            status="submitted",
            reference=f"2026-{number:04d}",
            submitted_at=now - dt.timedelta(hours=2),
        )
    return world, CallPage.objects.get(pk=call.pk), ApplicationFormPage.objects.get(pk=form_page.pk)


def new_person(browser):
    context = browser.new_context(locale="zh-CN", timezone_id="Asia/Shanghai", viewport={"width": 1280, "height": 900})
    page = context.new_page()
    page.set_default_timeout(15_000)
    return page


def admin_login(page, base, username):
    page.goto(base + "/admin/login/")
    page.fill("#id_username", username)
    page.fill("#id_password", WORLD_PASSWORD)
    page.click("button[type=submit]")
    page.wait_for_url(base + "/admin/")


def site_login(page, base, username):
    page.goto(base + "/awards/accounts/login/")
    page.get_by_label("用户名").fill(username)
    page.get_by_label("密码").fill(WORLD_PASSWORD)
    page.get_by_role("button", name="登录").click()
    page.wait_for_load_state()


def publish_in_editor(page, base, wagtail_page):
    page.goto(f"{base}/admin/pages/{wagtail_page.pk}/edit/")
    page.locator("footer [data-w-dropdown-target='toggle']").first.click()
    page.locator("button[name='action-publish']").click()
    page.wait_for_url(re.compile(r"/admin/pages/\d+/"))


def test_a_whole_round(migrated_live_server, browser, tmp_path):
    base = migrated_live_server.url
    world, call, form_page = draft_round()
    editor_name, city_name, province_name = (world.users[key].username for key in ("editor", "rec_nj", "province"))
    pdf = tmp_path / "项目申报书.pdf"
    pdf.write_bytes(PDF)

    # 1. The editor publishes the notice and its application form in the page editor.
    editor = new_person(browser)
    admin_login(editor, base, editor_name)
    publish_in_editor(editor, base, call)
    publish_in_editor(editor, base, form_page)
    assert CallPage.objects.get(pk=call.pk).live and ApplicationFormPage.objects.get(pk=form_page.pk).live
    editor.goto(base + call.url)
    assert "申报中" in editor.locator("[data-awards-countdown]").inner_text()
    assert editor.locator('.awards-timeline__stage[aria-current="step"]').get_attribute("data-stage") == "application"
    shot(editor, "notice")
    editor.context.close()

    # 2. Two units register and ask to join their units; the city union approves both in the admin.
    first, second = new_person(browser), new_person(browser)
    register_in_browser(first, base, call, "langya", "南京市琅琊路小学工会")
    register_in_browser(second, base, call, "jinling", "南京市金陵中学工会")
    city = new_person(browser)
    admin_login(city, base, city_name)
    city.goto(base + "/admin/wagtail_awards/membership/?status=pending")
    for unit in ("南京市琅琊路小学工会", "南京市金陵中学工会"):
        city.locator("tr", has_text=unit).get_by_role("link", name="批准").click()
        city.get_by_role("button", name="批准加入").click()
        city.wait_for_url(re.compile(r"/admin/wagtail_awards/membership/"))
    assert city.locator("tr", has_text="待审核").count() == 0
    shot(city, "members")
    city.context.close()

    # They apply: the first in time, the second just after the deadline.
    draft(first, base, call, "南京市琅琊路小学工会", "“书香教工”读书会")
    first.locator('input[name="materials"]').set_input_files(str(pdf))
    first.get_by_label("本单位承诺所报材料真实、合法。").check()
    shot(first, "application-form")
    first.get_by_role("button", name="在线申报").click()
    first.wait_for_url(re.compile(r"/awards/applications/\d+/submitted/$"))
    reference = first.locator("strong[data-reference]").inner_text()
    assert re.fullmatch(r"2026-\d{4}", reference)
    assert "项目申报书.pdf" in first.locator("main").inner_text()
    first.get_by_role("link", name="我的申报").first.click()
    assert "已申报" in first.locator("tr", has_text="“书香教工”读书会").inner_text()
    shot(first, "my-applications")

    draft(second, base, call, "南京市金陵中学工会", "金陵教工运动联盟")
    second.locator('input[name="materials"]').set_input_files(str(pdf))
    second.get_by_label("本单位承诺所报材料真实、合法。").check()
    # The deadline passes while the second unit is still on the form.
    now = timezone.now()
    set_dates(call, application_deadline=now - dt.timedelta(seconds=1))
    second.get_by_role("button", name="在线申报").click()
    assert "申报截止时间已过" in second.locator(".awards-messages").inner_text()
    late = Application.objects.get(project_name="金陵教工运动联盟")
    assert late.status == "draft" and late.reference is None
    shot(second, "too-late")
    second.context.close()

    # 3. The city union recommends within its quota (2–3) and submits its list once.
    set_dates(call, recommendation_deadline=now + dt.timedelta(days=1), review_deadline=now + dt.timedelta(days=2))
    city = new_person(browser)
    admin_login(city, base, city_name)
    city.goto(f"{base}/admin/awards/review/recommend/?call={call.pk}")
    assert "初审推荐" in city.title()
    for project, comment in (
        ("“书香教工”读书会", "坚持三年，覆盖全体教职工。"),
        ("教工心理健康驿站", "服务面广。"),
        ("青年教师成长营", "特色鲜明。"),
    ):
        decide(city, project, "recommend", comment)
        assert "已保存" in city.locator(".messages").inner_text()
    decide(city, "教工运动俱乐部", "recommend", "")
    assert "名额" in city.locator(".messages").inner_text()  # a fourth is over the quota
    city.goto(f"{base}/admin/awards/review/recommend/?call={call.pk}")
    decide(city, "教工运动俱乐部", "not_recommend", "与往年项目雷同。")
    city.locator(".awards-review__submit button[type=submit]").click()
    assert "提交后即锁定" in city.locator("[data-confirm-submit]").inner_text()  # irreversible: asked first
    city.locator(".awards-review__submit button[type=submit]").click()
    assert "推荐名单已提交" in city.locator(".messages").inner_text()
    assert Application.objects.filter(call=call, status="recommended").count() == 3
    shot(city, "recommend")
    city.context.close()

    # 4. The province administrator assigns two reviewers to every recommended project.
    province = new_person(browser)
    admin_login(province, base, province_name)
    province.goto(f"{base}/admin/awards/review/assignments/?call={call.pk}")
    province.locator(".awards-review__auto input[name=k]").fill("2")
    province.locator(".awards-review__auto button[type=submit]").click()
    assert "6" in province.locator(".messages").inner_text()
    for application in Application.objects.filter(call=call, status="recommended"):
        assert application.review_assignments.count() == 2
    shot(province, "assignments")

    # 5. The reviewers score the projects assigned to them (the world's three: a university's, a city's and the
    # province's); every project has two, and each reviewer completes all of theirs.
    marks = {"“书香教工”读书会": 92, "教工心理健康驿站": 85, "青年教师成长营": 78}
    reviewed = {project: 0 for project in marks}
    for key, strictness in (("reviewer_seu", 0), ("reviewer_sz", 3), ("reviewer_prov", 1)):
        reviewer = world.users[key]
        mine = Application.objects.filter(call=call, review_assignments__reviewer=reviewer)
        assigned = [project for project in marks if mine.filter(project_name=project).exists()]
        if not assigned:
            continue
        expert = new_person(browser)
        admin_login(expert, base, reviewer.username)
        for project in assigned:
            mark = marks[project]
            expert.goto(f"{base}/admin/awards/review/scores/?call={call.pk}")
            expert.locator("tr", has_text=project).locator("a.button").click()
            expert.wait_for_selector(".awards-review__criterion input")
            inputs = expert.locator(".awards-review__criterion input")
            assert inputs.count() == 4
            for i in range(4):
                inputs.nth(i).fill(str(mark - i - strictness))
            expert.locator("textarea[name=comment]").fill(f"{project}：材料翔实。")
            if project == "“书香教工”读书会" and not any(reviewed.values()):
                shot(expert, "score")
            expert.get_by_role("button", name="保存评分").click()
            expert.wait_for_selector(".messages .success")
            reviewed[project] += 1
        assert f"已完成评审 {len(assigned)} / {len(assigned)} 份" in expert.locator("main").inner_text()
        expert.context.close()
    assert reviewed == {project: 2 for project in marks}

    # 6. The administrator sets the prizes by rank: one first prize, two second prizes.
    province.goto(f"{base}/admin/awards/review/ranking/?call={call.pk}")
    assert "排名与奖项" in province.title()
    province.click("text=按名次建议")
    province.wait_for_selector(".help-info")
    province.click("text=保存奖项")
    province.wait_for_selector(".messages .success")
    assert "一等奖: 1 / 1" in province.locator(".awards-review__levels").inner_text()
    assert Award.objects.get(application__project_name="“书香教工”读书会").prize_rank == 1
    assert Application.objects.filter(call=call, status="proposed").count() == 3
    shot(province, "ranking")

    # 7. Staff vote for the most popular project, each answering the captcha.
    now = timezone.now()
    set_dates(call, voting_opens=now - dt.timedelta(minutes=5), voting_closes=now + dt.timedelta(days=1))
    voting_page = make_voting_page(CallPage.objects.get(pk=call.pk))
    favourite = Application.objects.get(project_name="教工心理健康驿站")
    # Staff vote with accounts whose e-mail addresses are verified.
    for voter in get_user_model().objects.filter(username__in=["voter1", "voter2", "voter3"]):
        verify_voter(voter)
    for username, project in (("voter1", favourite), ("voter2", favourite), ("voter3", project_of("“书香教工”读书会"))):
        voter = new_person(browser)
        site_login(voter, base, username)
        voter.goto(base + voting_page.url)
        voter.wait_for_selector("[data-vote-form]:not([hidden])")
        voter.fill("[data-vote-answer]", "PASSED")
        voter.locator(f"#candidate-{project.pk} [data-vote-link]").click()
        voter.wait_for_selector("[data-vote-done]")
        assert "已计入" in voter.locator("[data-vote-done]").inner_text()
        if username == "voter2":
            # The next question is fetched after the vote; wait for its image.
            voter.wait_for_selector("[data-vote-form]:not([hidden])")
            voter.wait_for_function(
                "() => { const i = document.querySelector('[data-vote-image]'); return i.complete && i.naturalWidth; }"
            )
            shot(voter, "vote")
            # A second vote for the same project on the same day is refused.
            voter.fill("[data-vote-answer]", "PASSED")
            voter.locator(f"#candidate-{project.pk} [data-vote-link]").click()
            assert "今天已为该项目投过票" in voter.locator("[data-vote-refusal]").inner_text()
        voter.context.close()

    assert Vote.objects.filter(application=favourite, valid=True).count() == 2

    # 8. Voting closes; the publicity opens with its working-day countdown, and anyone may object.
    now = timezone.now()
    set_dates(call, voting_closes=now - dt.timedelta(minutes=1), publicity_starts=now - dt.timedelta(hours=1))
    public = new_person(browser)
    public.goto(base + voting_page.url)
    winner = public.locator(f"#candidate-{favourite.pk}")
    assert "最受教职工欢迎项目" in winner.locator(".awards-candidate__badge").inner_text()
    # The administrator records the vote's result on the proposed awards.
    province.goto(f"{base}/admin/awards/votes/{call.pk}/")
    with province.expect_navigation():
        province.get_by_role("button", name="确认最受教职工欢迎项目").click()
    assert "已确认《教工心理健康驿站》为最受教职工欢迎项目" in province.content()
    publicity_page = PublicityPage(title="2026年度优质项目公示", slug="publicity")
    CallPage.objects.get(pk=call.pk).add_child(instance=publicity_page)
    publicity_page.save_revision().publish()
    target = Application.objects.get(project_name="青年教师成长营")
    public.goto(base + publicity_page.url)
    countdown = public.locator("[data-awards-countdown]")
    assert "公示中" in countdown.inner_text() and "个工作日" in countdown.inner_text()
    public.wait_for_selector("[data-awards-countdown][data-countdown-live]")
    form = public.locator("[data-objection-form]")
    form.locator("select[name=application]").select_option(str(target.pk))
    form.locator("input[name=name]").fill("张老师")
    form.locator("input[name=contact]").fill("13800000000")
    form.locator("textarea[name=content]").fill("该项目的参与人数与实际不符。")
    form.locator("input[name=captcha_1]").fill("PASSED")
    form.locator("button[type=submit]").click()
    public.wait_for_selector(".awards-message--success")
    assert "异议已收到" in public.locator("[data-objection-filed]").inner_text()
    assert Objection.objects.filter(application=target).count() == 1
    shot(public, "publicity")

    # 9. The administrator reads the objection and cancels the award.
    province.goto(base + "/admin/wagtail_awards/objection/")
    assert "张老师" in province.locator("tr", has_text="青年教师成长营").inner_text()
    province.goto(base + "/admin/wagtail_awards/award/")
    province.locator("tr", has_text="青年教师成长营").get_by_role("link", name="撤销奖项").click()
    province.get_by_label("错报").check()
    province.fill("textarea[name=reason]", "申报材料错报参与人数。")
    province.locator("form button[type=submit]", has_text="撤销奖项").click()
    province.wait_for_url("**/admin/wagtail_awards/award/")
    public.goto(base + publicity_page.url)
    item = public.locator(f'[data-award="{target.pk}"]').first
    assert item.get_attribute("data-award-status") == "cancelled" and "错报" in item.inner_text()

    # 10. The period ends: the list waits for the finalising job, then it is final, and the subsidies follow the
    # prizes (never two standards).
    set_dates(call, publicity_starts=timezone.now() - dt.timedelta(days=30))
    public.goto(base + publicity_page.url)
    assert "最终名单确认后发布" in public.locator("[data-awaiting-final]").inner_text()
    assert public.locator("[data-objection-form]").count() == 0
    call_command("awards_finalise", stdout=open(os.devnull, "w"))
    public.goto(base + publicity_page.url)
    results = public.locator("[data-results-published]")
    assert "书香教工" in results.inner_text() and "教工心理健康驿站" in results.inner_text()
    assert "青年教师成长营" not in results.inner_text()
    assert "最受教职工欢迎项目" in results.inner_text()
    shot(public, "results")
    province.goto(f"{base}/admin/wagtail_awards/subsidies/?call={call.pk}")
    assert "奖补" in province.title()
    table = province.locator(".awards-admin-subsidies")
    assert "10000.00" in table.locator("tr", has_text="书香教工").inner_text()
    # Second prize (6000) and most popular (8000): only the higher standard.
    assert "8000.00" in table.locator("tr", has_text="教工心理健康驿站").inner_text()
    cancelled = table.locator("tr", has_text="青年教师成长营").inner_text()
    assert "已撤销" in cancelled and cancelled.rstrip().endswith("0")
    shot(province, "subsidies")
    public.context.close()
    province.context.close()


def register_in_browser(page, base, call, username, unit):
    """A new applicant: from the notice to the login page, registers asking to join ``unit`` and confirms the
    address; the request waits for approval."""
    page.goto(base + call.url)
    page.get_by_role("link", name="在线申报").click()
    assert "/awards/accounts/login/" in page.url
    page.locator("#main").get_by_role("link", name="注册").click()
    register_and_confirm(page, base, f"{username}@example.com", name=unit, unit=unit, password=PASSWORD)
    assert "待审核" in page.locator("main").inner_text()


def draft(page, base, call, unit, project):
    """An approved applicant fills and saves a draft."""
    page.goto(base + call.url)
    page.get_by_role("link", name="在线申报").click()
    page.wait_for_url(re.compile(r"/apply/$"))
    assert page.get_by_label("申报单位名称").input_value() == unit
    assert page.get_by_label("审核单位").input_value() == "江苏省教育科技工会"  # as the notice says
    page.get_by_label("归口业务部门").fill("工会办公室")
    page.get_by_label("项目名称").fill(project)
    page.get_by_label("主题").select_option("举旗育人")
    page.get_by_label("项目简介").fill("每月一次教职工读书分享会，已坚持三年。")
    page.get_by_label("项目负责人").fill("周老师")
    page.get_by_role("button", name="保存草稿").click()
    assert "草稿已保存" in page.locator(".awards-messages").inner_text()
    assert Application.objects.get(project_name=project).status == "draft"


def decide(page, project, decision, comment):
    row = page.locator("tr", has_text=project)
    row.locator("select[name$='-decision']").select_option(decision)
    row.locator("textarea[name$='-comment']").fill(comment)
    row.get_by_role("button", name="保存").click()
    page.wait_for_load_state()


def project_of(name):
    return Application.objects.get(project_name=name)
