"""Demo content of the publicity stage: a call whose publicity started yesterday (the countdown runs) and the
2021 call with its published final list.

Awards are created directly (as the review and vote stages would leave them); cancelling and finalising go through
``wagtail_awards.services.publicity``, so statuses, subsidies and the log are what real use leaves.
"""

import datetime as dt

from django.contrib.auth import get_user_model
from django.utils import timezone

from wagtail_awards.enums import ApplicationStatus, AwardStatus, CancelReason
from wagtail_awards.models import Application, Award, CallPage, Objection, Organization, PublicityPage
from wagtail_awards.rules.workdays import local_tz
from wagtail_awards.services import publicity

#: (unit, project, theme, prize rank or None, most popular, federation subsidised)
PROJECTS = [
    ("南京市琅琊路小学工会", "青年教师成长营", "建功立业", 1, False, False),
    ("苏州中学工会", "劳模工作室引领计划", "建功立业", 1, False, True),
    ("南京市金陵中学工会", "教职工心理关爱驿站", "暖心聚力", 2, True, False),
    ("苏州市实验小学工会", "“苏式”教工之家", "暖心聚力", 2, False, False),
    ("南京大学文学院分工会", "“学悟守正”理论读书会", "学悟守正", 3, False, False),
    ("无锡市第一中学工会", "教工健步走打卡", "强基固本", 3, False, False),
    ("扬州中学工会", "运河文化教工研学", "学悟守正", 3, False, False),
]
#: The call in publicity now (last year's round): other projects, since 2021's winners may not apply again.
LATER_PROJECTS = [
    ("南京市琅琊路小学工会", "教师午间书吧", "暖心聚力", 1, False, False),
    ("苏州中学工会", "青年教师导师制", "建功立业", 1, False, True),
    ("南京市金陵中学工会", "教职工家庭开放日", "暖心聚力", 2, True, False),
    ("苏州市实验小学工会", "教工午间运动角", "强基固本", 2, False, False),
    ("南京大学文学院分工会", "“书香文苑”教工沙龙", "学悟守正", 3, False, False),
    ("无锡市第一中学工会", "教工健步走打卡", "强基固本", 3, False, False),
    ("扬州中学工会", "退休教师返校日", "举旗育人", 3, False, False),
]
#: The 2021 project cancelled during its publicity (by position in PROJECTS), and why.
CANCELLED_2021 = (5, CancelReason.MISREPORTED, "经核查，申报材料中的参与人数与实际不符，属错报。")

INTRO = (
    "<p>经基层申报、初审推荐、专家评审和网络投票，现将拟获奖项目予以公示。"
    "公示期内如有异议，请通过下方表单实名反映。</p>"
)
OBJECTION_NOTE = "<p>异议应写明事实和理由，并留下真实姓名和联系方式；匿名或无具体事实的异议不予受理。</p>"
RESULTS_INTRO = "<p>公示期满，现将评选结果予以发布。</p>"


def _local(day, hour=0, minute=0, second=0):
    return dt.datetime.combine(day, dt.time(hour, minute, second), tzinfo=local_tz())


def publicity_dates(today):
    """Every stage over, the publicity period started yesterday at 9:00 (its countdown runs for days)."""
    return {
        "application_opens": _local(today - dt.timedelta(days=75), 9),
        "application_deadline": _local(today - dt.timedelta(days=55), 23, 59, 59),
        "recommendation_deadline": _local(today - dt.timedelta(days=45), 23, 59, 59),
        "review_deadline": _local(today - dt.timedelta(days=25), 23, 59, 59),
        "voting_opens": _local(today - dt.timedelta(days=20), 9),
        "voting_closes": _local(today - dt.timedelta(days=10), 23, 59, 59),
        "publicity_starts": _local(today - dt.timedelta(days=1), 9),
    }


def load_publicity_round(*, index, notice, fill):
    """Create (once) or move (every run) the demo call in publicity; give the 2021 call its final list."""
    today = timezone.localdate(timezone=local_tz())
    year = today.year - 1
    dates = publicity_dates(today)
    slug = f"publicity-{year}"
    call = CallPage.objects.filter(slug=slug).first()
    if call is None:
        call = CallPage(
            title=notice.title.replace("2021", str(year)) + "（公示）",
            slug=slug,
            issuer=notice.issuer,
            year=year,
            addressees=notice.addressees,
            first_published_at=dates["application_opens"],
            **dates,
        )
        fill(call, notice, year=year)
        index.add_child(instance=call)
    else:
        for name, value in dates.items():
            setattr(call, name, value)
    call.save_revision().publish()
    call = CallPage.objects.get(pk=call.pk)
    _publicity_page(call, title=f"{year}年度服务教职工优质项目评选结果公示")
    awards = _awards(call, LATER_PROJECTS, submitted_at=dates["application_deadline"] - dt.timedelta(days=3))
    if not Objection.objects.filter(application__call=call).exists():
        Objection.objects.create(
            application=awards[3].application,
            name="王老师",
            contact="13900000000",
            content="该项目部分活动照片与往年材料重复，请核实。",
        )

    call_2021 = CallPage.objects.filter(year=2021).first()
    if call_2021 is not None and call_2021.publicity_starts:
        _publicity_page(call_2021, title="2021年度服务教职工优质项目评选结果")
        awards_2021 = _awards(call_2021, PROJECTS, submitted_at=call_2021.application_deadline - dt.timedelta(days=1))
        position, category, reason = CANCELLED_2021
        cancelled = awards_2021[position]
        if cancelled.status == AwardStatus.PROPOSED:
            admin = get_user_model().objects.filter(username="province").first()
            publicity.cancel_award(
                award=cancelled,
                category=category,
                reason=reason,
                user=admin,
                now=call_2021.publicity_starts + dt.timedelta(days=2),
            )
        publicity.finalise_awards(call=call_2021, now=timezone.now())
    return call


def _publicity_page(call, *, title):
    page = PublicityPage.objects.child_of(call).first()
    if page is None:
        page = PublicityPage(
            title=title, slug="publicity", intro=INTRO, objection_note=OBJECTION_NOTE, results_intro=RESULTS_INTRO
        )
        call.add_child(instance=page)
        page.save_revision().publish()
    return page


def _awards(call, projects, *, submitted_at):
    """The call's proposed awards (created once, found by reference number afterwards)."""
    User = get_user_model()
    applicant, created = User.objects.get_or_create(username="demo-applicants", defaults={"first_name": "示例申报人"})
    if created:
        applicant.set_unusable_password()
        applicant.save()
    orgs = {org.name: org for org in Organization.objects.filter(name__in=[p[0] for p in projects])}
    awards = []
    for number, (unit, project, theme, rank, popular, federation) in enumerate(projects, start=1):
        org = orgs[unit]
        application, _created = Application.objects.get_or_create(
            reference=f"{call.year}-G{number:03d}",
            defaults={
                "call": call,
                "applicant": applicant,
                "organization": org,
                "recommending_organization": org.recommending_organization,
                "reviewing_unit": org.recommending_organization.name if org.recommending_organization else "",
                "responsible_department": "工会办公室",
                "unit_name": unit,
                "project_name": project,
                "theme": theme,
                "summary": f"{unit}围绕“{theme}”开展的服务教职工项目：{project}。",
                "declaration": True,
                "status": ApplicationStatus.PROPOSED,
                "submitted_at": submitted_at,
            },
        )
        award, _created = Award.objects.get_or_create(
            application=application,
            defaults={"prize_rank": rank, "most_popular": popular, "federation_subsidised": federation},
        )
        awards.append(award)
    return awards
