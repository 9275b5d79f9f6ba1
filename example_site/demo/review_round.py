"""Demo content of a round in expert review: last year's call with applications from several cities,
submitted recommendation lists, reviewer assignments and most of the scores.

The call's dates move with today so its review is always open. Everything goes through the app's rules
(``services.recommendation`` and ``services.review``), so statuses, totals and the log are what real use leaves.
"""

import datetime as dt
from decimal import Decimal

from django.contrib.auth import get_user_model
from django.utils import timezone

from wagtail_awards.enums import ApplicationStatus, OrganizationKind, Role
from wagtail_awards.models import (
    Application,
    CallPage,
    CallPrizeLevel,
    Membership,
    Organization,
    RecommendationList,
    ReviewAssignment,
)
from wagtail_awards.rules.workdays import local_tz
from wagtail_awards.services import recommendation as rec_rules
from wagtail_awards.services import review as review_rules
from wagtail_awards.services.setup import ensure_role_groups

#: (grassroots unit, project name, theme). None of them won in 2021: past winners may not apply again.
PROJECTS = [
    ("南京市第一中学工会", "“书香教工”读书沙龙", "暖心聚力"),
    ("南京市琅琊路小学工会", "青年教师微课工作坊", "建功立业"),
    ("南京市金陵中学工会", "教职工亲子阅读营", "暖心聚力"),
    ("南京市第一中学工会", "银龄教师传帮带", "举旗育人"),
    ("无锡市第一中学工会", "教工健步走打卡", "强基固本"),
    ("苏州市实验小学工会", "“苏韵”教工合唱团", "暖心聚力"),
    ("苏州中学工会", "名师工作室帮带计划", "建功立业"),
    ("苏州中学工会", "教职工子女暑托班", "暖心聚力"),
    ("扬州中学工会", "教工运河健步行", "学悟守正"),
    ("南京大学文学院分工会", "“经典共读”教工读书会", "学悟守正"),
    ("东南大学机械工程学院分工会", "青年教师创新工坊", "建功立业"),
]
#: What each recommending organisation decides: project names recommended in order; the rest not.
RECOMMENDED = {
    "南京市教育工会": ["青年教师微课工作坊", "教职工亲子阅读营", "“书香教工”读书沙龙"],
    "苏州市教育工会": ["“苏韵”教工合唱团", "名师工作室帮带计划"],
    "无锡市教育工会": ["教工健步走打卡"],
    "南京大学工会": ["“经典共读”教工读书会"],
    "东南大学工会": ["青年教师创新工坊"],
}
#: Lists left open (not submitted) so the province's table shows both states.
OPEN_LISTS = {"扬州市教育工会"}
REVIEWERS = [
    ("reviewer", "评审专家", "东南大学工会"),
    ("reviewer2", "评审专家二", "江苏省教育科技工会"),
    ("reviewer3", "评审专家三", "南京师范大学工会"),
    ("reviewer4", "评审专家四", "江苏省教育科学研究院工会"),
    ("reviewer5", "评审专家五", "苏州大学工会"),
]
#: Base score per project (by order in PROJECTS) and per reviewer offset: varied totals with one tie.
BASE = [88, 84, 91, 70, 76, 86, 84, 72, 74, 80, 79]
OFFSETS = {"reviewer": 2, "reviewer2": -1, "reviewer3": 0, "reviewer4": 1, "reviewer5": -2}
#: Reviews the demo reviewer still has to do (by project name), so their screen has work left.
LEFT_FOR_DEMO_REVIEWER = 1


def _local(day, hour=0, minute=0, second=0):
    return dt.datetime.combine(day, dt.time(hour, minute, second), tzinfo=local_tz())


def review_dates(today):
    return {
        "application_opens": _local(today - dt.timedelta(days=45), 9),
        "application_deadline": _local(today - dt.timedelta(days=25), 23, 59, 59),
        "recommendation_deadline": _local(today - dt.timedelta(days=8), 23, 59, 59),
        "review_deadline": _local(today + dt.timedelta(days=12), 23, 59, 59),
        "voting_opens": _local(today + dt.timedelta(days=14), 9),
        "voting_closes": _local(today + dt.timedelta(days=20), 23, 59, 59),
        "publicity_starts": _local(today + dt.timedelta(days=27), 9),
    }


def load_review_round(*, index, notice, fill, password):
    """Create (once) or move (every run) the demo call in review. ``fill`` fills a call from the notice;
    new demo reviewers get ``password``."""
    today = timezone.localdate(timezone=local_tz())
    year = today.year - 1
    dates = review_dates(today)
    call = CallPage.objects.filter(slug=f"review-{year}").first()
    if call is not None:
        for name, value in dates.items():
            setattr(call, name, value)
        call.save_revision().publish()
        return call
    call = CallPage(
        title=notice.title.replace("2021", str(year)) + "（专家评审）",
        slug=f"review-{year}",
        issuer=notice.issuer,
        year=year,
        addressees=notice.addressees,
        first_published_at=dates["application_opens"],
        **dates,
    )
    fill(call, notice, year=year)
    # Few projects in the demo round: fewer prizes than the notice's defaults, so the ranking has losers.
    call.prize_levels = [
        CallPrizeLevel(rank=level.rank, name=level.name, count=count, subsidy=level.subsidy)
        for level, count in zip(call.prize_levels.all(), (2, 3, 3), strict=False)
    ]
    index.add_child(instance=call)
    call.save_revision().publish()
    call = CallPage.objects.get(pk=call.pk)
    _fill_round(call, dates, password=password)
    return call


def _fill_round(call, dates, *, password):
    User = get_user_model()
    groups = ensure_role_groups()
    orgs = {org.name: org for org in Organization.objects.all()}
    province_admin = User.objects.get(username="province")

    applicant = User.objects.filter(username="applicant").first()
    others, created = User.objects.get_or_create(username="demo-applicants", defaults={"first_name": "示例申报人"})
    if created:
        others.set_unusable_password()
        others.save()
    submitted_at = dates["application_deadline"] - dt.timedelta(days=2)
    applications = []
    for number, (unit, project, theme) in enumerate(PROJECTS, start=1):
        org = orgs[unit]
        applications.append(
            Application.objects.create(
                call=call,
                applicant=applicant if applicant and unit == "南京市第一中学工会" else others,
                organization=org,
                recommending_organization=org.recommending_organization,
                reviewing_unit=org.recommending_organization.name,
                responsible_department="工会办公室",
                unit_name=unit,
                project_name=project,
                theme=theme,
                summary=f"{unit}围绕“{theme}”开展的服务教职工项目：{project}。",
                declaration=True,
                reference=f"{call.year}-R{number:03d}",
                status=ApplicationStatus.SUBMITTED,
                submitted_at=submitted_at,
            )
        )

    # Preliminary review: each recommending organisation's recommender decides and submits.
    deciding = dates["recommendation_deadline"] - dt.timedelta(days=2)
    recommenders = {}
    for org_name in {a.recommending_organization.name for a in applications}:
        org = orgs[org_name]
        user = _recommender(org, groups)
        recommenders[org_name] = user
        recommended = RECOMMENDED.get(org_name, [])
        for application in applications:
            if application.recommending_organization_id != org.pk:
                continue
            decision = "recommend" if application.project_name in recommended else "not_recommend"
            rec_rules.decide(
                user=user,
                application=application,
                decision=decision,
                order=recommended.index(application.project_name) + 1 if decision == "recommend" else None,
                comment="材料齐全，特色鲜明，同意推荐。" if decision == "recommend" else "名额有限，本年度暂不推荐。",
                now=deciding,
            )
        if org_name not in OPEN_LISTS:
            rec_rules.submit(
                user=user,
                rec_list=rec_rules.get_list(call=call, organization=org),
                confirm_under_minimum=True,
                now=deciding,
            )
    # Organisations without applicants still get an (empty, open) list row for the table.
    for org_name in OPEN_LISTS:
        RecommendationList.objects.get_or_create(call=call, organization=orgs[org_name])

    # Expert review: five reviewers, three per project, most scores in.
    reviewers = {}
    for username, name, org_name in REVIEWERS:
        user, created = User.objects.get_or_create(username=username, defaults={"first_name": name})
        if created:
            user.set_password(password)
            user.save()
        Membership.objects.get_or_create(user=user, organization=orgs[org_name], role=Role.REVIEWER)
        user.groups.add(groups[Role.REVIEWER])
        reviewers[username] = user
    review_rules.auto_assign(user=province_admin, call=call, k=3)
    scoring_day = dates["recommendation_deadline"] + dt.timedelta(days=3)
    criteria = list(call.criteria.all())
    left = LEFT_FOR_DEMO_REVIEWER
    for item in ReviewAssignment.objects.filter(application__call=call).select_related("reviewer", "application"):
        username = item.reviewer.get_username()
        if username == "reviewer" and left:
            left -= 1
            continue
        base = BASE[[p for _u, p, _t in PROJECTS].index(item.application.project_name)] + OFFSETS[username]
        values = {c.pk: Decimal(min(c.max_score, max(0, base + (index % 3) - 1))) for index, c in enumerate(criteria)}
        review_rules.save_scores(
            user=item.reviewer,
            item=item,
            values=values,
            comment="项目实效明显，建议在更大范围推广。",
            now=scoring_day,
        )


def _recommender(org, groups):
    """The organisation's recommender: the demo ``recommender`` for Nanjing, one made up for the others."""
    membership = Membership.objects.filter(organization=org, role=Role.RECOMMENDER).select_related("user").first()
    if membership:
        return membership.user
    User = get_user_model()
    kind = "city" if org.kind == OrganizationKind.CITY else "unit"
    user, created = User.objects.get_or_create(
        username=f"recommender-{kind}-{org.pk}", defaults={"first_name": f"{org.name}初审员"}
    )
    if created:
        user.set_unusable_password()
        user.save()
    Membership.objects.get_or_create(user=user, organization=org, role=Role.RECOMMENDER)
    user.groups.add(groups[Role.RECOMMENDER])
    return user
