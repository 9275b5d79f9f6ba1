"""Demo content of the online vote: the 2021 call's closed vote with its result, and a call whose vote is open now.

Candidates of the open vote are created directly with a shortlisted status (as the review stage would leave them).
Votes are demo rows with made-up voter keys; the real path is the voting page.
"""

import datetime as dt
import json
from pathlib import Path

from django.contrib.auth import get_user_model
from django.utils import timezone

from wagtail_awards.addresses import client_hash
from wagtail_awards.enums import ApplicationStatus
from wagtail_awards.models import Application, CallPage, Organization, Vote, VotingPage
from wagtail_awards.rules.workdays import local_tz
from wagtail_awards.services.voting import recount_tallies

#: The 2021 candidates by reference number (the publicity demo uses the same projects): unit, project, theme, votes.
#: 2021-G003 was the most popular project; 2021-G006 was cancelled during publicity and is no candidate.
CANDIDATES_2021 = {
    "2021-G001": ("南京市琅琊路小学工会", "青年教师成长营", "建功立业", 81),
    "2021-G002": ("苏州中学工会", "劳模工作室引领计划", "建功立业", 65),
    "2021-G003": ("南京市金陵中学工会", "教职工心理关爱驿站", "暖心聚力", 143),
    "2021-G004": ("苏州市实验小学工会", "“苏式”教工之家", "暖心聚力", 90),
    "2021-G005": ("南京大学文学院分工会", "“学悟守正”理论读书会", "学悟守正", 37),
    "2021-G007": ("扬州中学工会", "运河文化教工研学", "学悟守正", 29),
}
#: (unit, project, theme, seed votes) of the open vote.
OPEN_CANDIDATES = [
    ("南京市第一中学工会", "教工子女暑托班", "暖心聚力", 12),
    ("南京市琅琊路小学工会", "“悦读”教工书屋", "学悟守正", 9),
    ("无锡市第一中学工会", "青年教师午间加油站", "暖心聚力", 15),
    ("苏州市实验小学工会", "教职工健康积分计划", "强基固本", 7),
    ("扬州中学工会", "退休教师银龄讲堂", "举旗育人", 5),
    ("南京大学文学院分工会", "学科育人工作坊", "建功立业", 11),
    ("东南大学机械工程学院分工会", "工匠导师结对计划", "建功立业", 8),
    ("苏州中学工会", "教工之家夜间开放", "暖心聚力", 4),
]
INTRO = "<p>以下项目经初审推荐和专家评审进入网络投票环节。每位教职工每天可投 3 票，每个项目每天限投 1 票。</p>"


def _local(day, hour=0, minute=0, second=0):
    return dt.datetime.combine(day, dt.time(hour, minute, second), tzinfo=local_tz())


def open_vote_dates(today):
    """Review over, the vote opened two days ago and closes in five days, publicity after it."""
    return {
        "application_opens": _local(today - dt.timedelta(days=60), 9),
        "application_deadline": _local(today - dt.timedelta(days=40), 23, 59, 59),
        "recommendation_deadline": _local(today - dt.timedelta(days=30), 23, 59, 59),
        "review_deadline": _local(today - dt.timedelta(days=10), 23, 59, 59),
        "voting_opens": _local(today - dt.timedelta(days=2), 9),
        "voting_closes": _local(today + dt.timedelta(days=5), 23, 59, 59),
        "publicity_starts": _local(today + dt.timedelta(days=8), 9),
    }


#: The open vote's demo voting codes, of one unit. Demo only: real codes are random and shown once.
DEMO_CODES = ["DEMX-CARD-AAA2", "DEMX-CARD-BBB3", "DEMX-CARD-CCC4", "DEMX-CARD-DDD5", "DEMX-CARD-EEE6"]
DEMO_CODE_UNIT = "南京市琅琊路小学工会"


def load_voting_round(*, index, notice, fill):
    """Give the 2021 call a voting page and result; create (once) or move (every run) the call whose vote is open,
    with a sheet of voting codes."""
    call_2021 = CallPage.objects.filter(year=2021).first()
    if call_2021 is not None and call_2021.voting_opens:
        voting_page(call_2021, title="2021年度“最受教职工欢迎项目”网络投票", when="after")
        _votes_2021(call_2021)

    today = timezone.localdate(timezone=local_tz())
    year = today.year - 1  # like the other demo rounds; this year's call is the one open for applications
    dates = open_vote_dates(today)
    slug = f"vote-{year}"
    call = CallPage.objects.filter(slug=slug).first()
    if call is None:
        call = CallPage(
            title=notice.title.replace("2021", str(year)) + "（网络投票）",
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
    _open_candidates(call, submitted_at=dates["application_deadline"] - dt.timedelta(days=2))
    voting_page(call, title=f"{year}年度“最受教职工欢迎项目”网络投票", when="during")
    _voting_codes(call)
    return call


def _voting_codes(call):
    """The demo's voting codes of one unit for the open vote (once), and their printable sheet in ``var/``."""
    from django.conf import settings
    from django.template.loader import render_to_string
    from django.urls import reverse

    from wagtail_awards.models import VotingCode
    from wagtail_awards.services import voters

    unit = Organization.objects.filter(name=DEMO_CODE_UNIT).first()
    if unit is None:
        return
    for number, code in enumerate(DEMO_CODES, start=1):
        VotingCode.objects.get_or_create(
            code_hash=voters.code_hash(code), defaults={"call": call, "organization": unit, "number": number}
        )
    # The same sheet a province administrator prints from the admin (评优 → 投票人 → 生成投票码).
    base = settings.WAGTAILADMIN_BASE_URL.rstrip("/")
    cards = []
    for number, code in enumerate(DEMO_CODES, start=1):
        url = f"{base}{reverse('wagtail_awards:voting_code')}?c={code}"
        cards.append({"number": number, "code": code, "url": url, "qr": voters.qr_svg(url)})
    sheet = render_to_string(
        "wagtail_awards/admin/voting/codes_sheet.html", {"call": call, "organization": unit, "cards": cards}
    )
    # Served by the demo at /media/demo-voting-codes.html.
    target = Path(settings.MEDIA_ROOT) / "demo-voting-codes.html"
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_text(sheet, encoding="utf-8")


def voting_page(call, *, title, when):
    page = VotingPage.objects.child_of(call).first()
    if page is None:
        body = [{"type": "voting", "value": {"call": call.pk, "heading": "", "intro": "", "show_tallies": when}}]
        page = VotingPage(title=title, slug="vote", intro=INTRO, body=json.dumps(body))
        call.add_child(instance=page)
        page.save_revision().publish()
    return page


def _applicant():
    User = get_user_model()
    user, created = User.objects.get_or_create(username="demo-applicants", defaults={"first_name": "示例申报人"})
    if created:
        user.set_unusable_password()
        user.save()
    return user


def _open_candidates(call, *, submitted_at):
    applicant = _applicant()
    orgs = {org.name: org for org in Organization.objects.filter(name__in=[c[0] for c in OPEN_CANDIDATES])}
    for number, (unit, project, theme, seed) in enumerate(OPEN_CANDIDATES, start=1):
        org = orgs.get(unit)
        if org is None:
            continue
        application, created = Application.objects.get_or_create(
            reference=f"{call.year}-V{number:03d}",
            defaults={
                "call": call,
                "applicant": applicant,
                "organization": org,
                "recommending_organization": org.recommending_organization,
                "unit_name": unit,
                "project_name": project,
                "theme": theme,
                "summary": f"{unit}围绕“{theme}”开展的服务教职工项目：{project}。",
                "declaration": True,
                "status": ApplicationStatus.SCORED,
                "submitted_at": submitted_at,
            },
        )
        if created:
            day = timezone.localdate(call.voting_opens, timezone=local_tz())
            Vote.objects.bulk_create(
                Vote(
                    call=call,
                    application=application,
                    voter_key=f"demo:{call.year}:{number}:{n}",
                    day=day,
                    ip_hash=client_hash(f"demo-{n % 17}"),
                )
                for n in range(seed)
            )
    # Demo votes are stored rows, not cast votes: their tallies are counted once here.
    recount_tallies(call=call)


def _candidates_2021(call):
    """The 2021 candidates, found by reference (made by the publicity demo) or made here as proposed projects."""
    applicant = _applicant()
    orgs = {org.name: org for org in Organization.objects.filter(name__in=[c[0] for c in CANDIDATES_2021.values()])}
    found = {}
    for reference, (unit, project, theme, _votes) in CANDIDATES_2021.items():
        org = orgs.get(unit)
        if org is None:
            continue
        found[reference], _created = Application.objects.get_or_create(
            reference=reference,
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
                "submitted_at": call.application_deadline - dt.timedelta(days=1),
            },
        )
    return found


def _votes_2021(call):
    applications = _candidates_2021(call)
    if Vote.objects.filter(call=call).exists():
        return
    votes, times = [], []
    opens = call.voting_opens
    for reference, (_unit, _project, _theme, count) in CANDIDATES_2021.items():
        application = applications.get(reference)
        if application is None:
            continue
        for n in range(count):
            at = opens + dt.timedelta(hours=(n * 7) % 150, minutes=n % 60)
            votes.append(
                Vote(
                    call=call,
                    application=application,
                    voter_key=f"demo:2021:{reference}:{n}",
                    day=timezone.localdate(at, timezone=local_tz()),
                    ip_hash=client_hash(f"demo-{n % 23}"),
                )
            )
            times.append(at)
    created = Vote.objects.bulk_create(votes)
    # created_at is set on insert; put the votes back in the 2021 window for the audit's hourly view.
    for vote, at in zip(created, times, strict=True):
        vote.created_at = at
    Vote.objects.bulk_update(created, ["created_at"])
    recount_tallies(call=call)
