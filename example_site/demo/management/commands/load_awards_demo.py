"""Loads the demo: the 2021 notice, a call open for applications this year, organisations and one login per role.

Running it again changes nothing that exists, except that the open call's dates move with today so the demo
always shows a live application stage.
"""

import datetime as dt
import re
from decimal import Decimal
from pathlib import Path

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group, Permission
from django.core.files.base import ContentFile
from django.core.management.base import BaseCommand
from django.db import transaction
from django.utils import timezone
from django.utils.html import escape
from wagtail.documents import get_document_model
from wagtail.models import GroupPagePermission, Page, Site, Task, Workflow

from example_site.demo.application_round import load_application_round
from example_site.demo.notice import load_notice_2021
from example_site.demo.publicity_round import load_publicity_round
from example_site.demo.review_round import load_review_round
from example_site.demo.voting_round import load_voting_round
from wagtail_awards import access
from wagtail_awards.enums import OrganizationKind, Role
from wagtail_awards.models import (
    CallAttachment,
    CallCondition,
    CallCriterion,
    CallIndexPage,
    CallPage,
    CallPrizeLevel,
    CallQuota,
    CallTheme,
    Membership,
    Organization,
)
from wagtail_awards.rules import rounds
from wagtail_awards.rules.workdays import local_tz
from wagtail_awards.services import accounts
from wagtail_awards.services.setup import ensure_role_groups

#: Every demo login shares this password. Demo only: never load the demo into a real site.
DEMO_PASSWORD = "awards-demo"

PROVINCE = "江苏省教育科技工会"
CITIES = ["南京", "无锡", "徐州", "常州", "苏州", "南通", "连云港", "淮安", "盐城", "扬州", "镇江", "泰州", "宿迁"]
UNIVERSITIES = ["南京大学工会", "东南大学工会", "南京师范大学工会", "苏州大学工会", "江南大学工会"]
INSTITUTES = ["江苏省农业科学院工会", "江苏省教育科学研究院工会"]
GRASSROOTS = [
    ("南京市第一中学工会", "南京市教育工会", "南京"),
    ("南京市琅琊路小学工会", "南京市教育工会", "南京"),
    ("南京市金陵中学工会", "南京市教育工会", "南京"),
    ("无锡市第一中学工会", "无锡市教育工会", "无锡"),
    ("苏州市实验小学工会", "苏州市教育工会", "苏州"),
    ("苏州中学工会", "苏州市教育工会", "苏州"),
    ("扬州中学工会", "扬州市教育工会", "扬州"),
    ("南京大学文学院分工会", "南京大学工会", "南京"),
    ("东南大学机械工程学院分工会", "东南大学工会", "南京"),
    ("南京市鼓楼实验小学工会", "南京市教育工会", "南京"),
]
#: The unit the demo's "pending" login has asked to join (the recommender approves it in the admin).
PENDING_UNIT = "南京市鼓楼实验小学工会"

# Demo values: the notice names the prize levels but not their number or amount.
PRIZES = [(1, "一等奖", 10, Decimal("10000")), (2, "二等奖", 20, Decimal("6000")), (3, "三等奖", 30, Decimal("3000"))]
MOST_POPULAR = ("最受教职工欢迎项目", Decimal("10000"))
CRITERIA_DESCRIPTIONS = {
    "实效性": "服务内容精准，教职工参与度、满意度、受益度高",
    "创新创优性": "有创新、有特色，体现新时代服务教职工工作的特点规律",
    "可持续性": "已实施并有投入，机制健全，能长期坚持",
    "可推广性": "具有引领示范效应，可在更高层次、更广领域推广复制",
}
URL_IN_BRACKETS = re.compile(r"<(https?://[^>]+)>")


def _local(day: dt.date, hour=0, minute=0, second=0):
    return dt.datetime.combine(day, dt.time(hour, minute, second), tzinfo=local_tz())


def _end_of(day: dt.date):
    return _local(day, 23, 59, 59)


def _rich(text: str) -> str:
    return "<p>" + escape(URL_IN_BRACKETS.sub(r"\1", text)) + "</p>"


#: The operation guide of this site (``docs/guide``: built from screenshots of the demo by ``make guide``).
GUIDE_PDF = Path(__file__).resolve().parents[2] / "data" / "operation-guide.pdf"
GUIDE_TITLE = "服务教职工优质项目网上申报操作指南"
WEEKDAYS = "一二三四五六日"
NOTICE_DEADLINE = re.compile(r"\d{4}年\d{1,2}月\d{1,2}日（周[一二三四五六日]）")


def notice_body(notice, *, year: int, deadline: dt.datetime | None):
    """The notice's text for ``year``: its year and its deadline (with the weekday) in the words of the notice.

    The themes are not repeated here: the call lists them in its own section.
    """
    body = []
    local = deadline.astimezone(local_tz()).date() if deadline else None
    when = f"{local.year}年{local.month}月{local.day}日（周{WEEKDAYS[local.weekday()]}）" if local else ""

    def paragraph(text):
        text = rounds.replace_year(text, 2021, year)
        if when:
            text = NOTICE_DEADLINE.sub(when, text)
        return {"type": "paragraph", "value": _rich(text)}

    theme_texts = {f"深化“{name}”行动，{text}" for name, text in notice.themes}
    body.extend(paragraph(text) for text in notice.intro)
    for heading, paragraphs in notice.sections:
        body.append({"type": "heading", "value": heading})
        body.extend(paragraph(text) for text in paragraphs if text not in theme_texts)
    return body


def operation_guide():
    """This site's operation guide as a Wagtail document (one for every call), a PDF served as ``application/pdf``."""
    Document = get_document_model()
    document = Document.objects.filter(title=GUIDE_TITLE).first()
    if document is None and not GUIDE_PDF.exists():
        return None  # being built: `make guide` photographs a demo loaded without it
    if document is None:
        document = Document(title=GUIDE_TITLE)
        document.file.save("operation-guide.pdf", ContentFile(GUIDE_PDF.read_bytes()), save=False)
        document.save()
    return document


class Command(BaseCommand):
    help = "Load the demo content: the 2021 notice, an open call, organisations and demo logins (idempotent)."

    @transaction.atomic
    def handle(self, *args, **options):
        notice = load_notice_2021()
        orgs = self.load_organizations()
        self.load_users(orgs)
        index = self.load_site()
        self.load_editing(index)
        self.load_call_2021(index, notice)
        self.load_open_call(index, notice)
        self.load_applications_demo()
        self.load_review_demo(index, notice)
        self.load_publicity_demo(index, notice)
        self.load_voting_demo(index, notice)
        self.stdout.write(
            self.style.SUCCESS(
                "Demo content loaded. Logins (demo only): "
                + ", ".join(
                    f"{name}/{DEMO_PASSWORD}"
                    for name in ("province", "editor", "recommender", "reviewer", "applicant", "pending", "voter")
                )
                + "; voting codes: /media/demo-voting-codes.html"
            )
        )

    # Organisations and people

    def load_organizations(self):
        def org(name, kind, parent=None, city=""):
            obj, _ = Organization.objects.get_or_create(
                name=name, defaults={"kind": kind, "parent": parent, "city": city}
            )
            return obj

        province = org(PROVINCE, OrganizationKind.PROVINCE)
        orgs = {PROVINCE: province}
        for city in CITIES:
            name = f"{city}市教育工会"
            orgs[name] = org(name, OrganizationKind.CITY, province, city)
        for name in UNIVERSITIES:
            orgs[name] = org(
                name, OrganizationKind.UNIVERSITY, province, "南京" if name.startswith(("南京", "东南")) else name[:2]
            )
        for name in INSTITUTES:
            orgs[name] = org(name, OrganizationKind.INSTITUTE, province, "南京")
        for name, parent, city in GRASSROOTS:
            orgs[name] = org(name, OrganizationKind.GRASSROOTS, orgs[parent], city)
        return orgs

    def load_users(self, orgs):
        groups = ensure_role_groups()
        User = get_user_model()
        people = [
            ("province", "省教科工会管理员", PROVINCE, Role.PROVINCE_ADMIN),
            ("editor", "省教科工会编辑", PROVINCE, None),
            ("recommender", "南京市教育工会初审员", "南京市教育工会", Role.RECOMMENDER),
            ("reviewer", "评审专家", "东南大学工会", Role.REVIEWER),
            ("applicant", "南京市第一中学工会", "南京市第一中学工会", Role.APPLICANT),
        ]
        for username, name, org_name, role in people:
            user, created = User.objects.get_or_create(
                username=username, defaults={"first_name": name, "email": f"{username}@example.com"}
            )
            if created:
                user.set_password(DEMO_PASSWORD)
                user.is_superuser = user.is_staff = role == Role.PROVINCE_ADMIN
                user.save()
            if role:
                Membership.objects.get_or_create(user=user, organization=orgs[org_name], role=role)
                if role in groups:
                    user.groups.add(groups[role])
            else:
                user.groups.add(Group.objects.get(name="Editors"))
        self.load_people_states(orgs)

    def load_people_states(self, orgs):
        """A login for each state of a person: a member whose request to join a unit waits for approval, and a
        voter whose account has a confirmed e-mail address and no unit."""
        User = get_user_model()
        for username, name in (("pending", "鼓楼实验小学工会 刘老师"), ("voter", "教职工 赵老师")):
            user, created = User.objects.get_or_create(
                username=username, defaults={"first_name": name, "email": f"{username}@example.com"}
            )
            if created:
                user.set_password(DEMO_PASSWORD)
                user.save()
            if username == "voter" and access.verified_email(user) is None:
                accounts.mark_email_verified(user=user)
        pending = User.objects.get(username="pending")
        if not Membership.objects.filter(user=pending).exists():
            accounts.request_membership(
                user=pending, unit=orgs[PENDING_UNIT], note="工会主席，电话 025-00000000（示例）"
            )

    # Pages

    def load_site(self):
        index = CallIndexPage.objects.first()
        if index is None:
            root = Page.get_first_root_node()
            index = root.add_child(
                instance=CallIndexPage(
                    title="服务教职工优质项目评选",
                    slug="awards",
                    intro="<p>江苏省教育科技工会组织开展的全省教科系统基层工会服务教职工优质项目申报、评审、投票与公示。</p>",
                )
            )
            index.save_revision().publish()
        site = Site.objects.filter(is_default_site=True).first() or Site(hostname="localhost", is_default_site=True)
        old_root = site.root_page if site.pk else None
        site.root_page, site.site_name = index, "江苏省教育科技工会"
        site.save()
        # Wagtail's starter "Welcome" page is replaced by the call index.
        if old_root and old_root.pk != index.pk and old_root.specific_class is Page:
            old_root.delete()
        return index

    def load_editing(self, index):
        """The editor publishes the notice pages they edit; Wagtail's default workflow and root page get Chinese
        names (they show in the page editor: “提交给省教科工会审核”)."""
        Page.objects.filter(depth=1, title="Root").update(title="根页面", draft_title="根页面")
        Workflow.objects.filter(name="Moderators approval").update(name="省教科工会审核")
        Task.objects.filter(name="Moderators approval").update(name="省教科工会审核")
        editors = Group.objects.filter(name="Editors").first()
        if editors is not None:
            publish = Permission.objects.get(content_type__app_label="wagtailcore", codename="publish_page")
            GroupPagePermission.objects.get_or_create(group=editors, page=index, permission=publish)

    def _fill(self, call, notice, *, year):
        call.body = notice_body(notice, year=year, deadline=call.application_deadline)
        call.themes = [CallTheme(name=name, description=text) for name, text in notice.themes]
        call.conditions = [CallCondition(text=text) for text in notice.conditions]
        call.quotas = [
            CallQuota(
                organization_kind=OrganizationKind.CITY, min_count=notice.city_quota[0], max_count=notice.city_quota[1]
            ),
            CallQuota(
                organization_kind=OrganizationKind.UNIVERSITY,
                min_count=notice.university_quota[0],
                max_count=notice.university_quota[1],
            ),
            CallQuota(
                organization_kind=OrganizationKind.INSTITUTE,
                min_count=notice.university_quota[0],
                max_count=notice.university_quota[1],
            ),
        ]
        weight = Decimal(100) / len(notice.criteria)
        call.criteria = [
            CallCriterion(name=name, weight=weight, max_score=100, description=CRITERIA_DESCRIPTIONS.get(name, ""))
            for name in notice.criteria
        ]
        call.prize_levels = [CallPrizeLevel(rank=r, name=n, count=c, subsidy=s) for r, n, c, s in PRIZES]
        call.most_popular_label, call.most_popular_subsidy = MOST_POPULAR
        call.contact_name, call.contact_phone = notice.contact_name, notice.contact_phone
        guide = operation_guide()
        call.attachments = [CallAttachment(document=guide, title=GUIDE_TITLE)] if guide else []

    def load_call_2021(self, index, notice):
        if CallPage.objects.filter(year=2021).exists():
            return
        call = CallPage(
            title=notice.title,
            slug="2021",
            issuer=notice.issuer,
            year=2021,
            addressees=notice.addressees,
            application_opens=_local(dt.date(2021, 9, 22), 9),
            application_deadline=_end_of(notice.deadline),
            recommendation_deadline=_end_of(dt.date(2021, 10, 29)),
            review_deadline=_end_of(dt.date(2021, 11, 12)),
            voting_opens=_local(dt.date(2021, 11, 15), 9),
            voting_closes=_end_of(dt.date(2021, 11, 21)),
            publicity_starts=_local(dt.date(2021, 11, 29), 9),
            first_published_at=_local(dt.date(2021, 9, 22), 9),
        )
        self._fill(call, notice, year=2021)
        index.add_child(instance=call)
        call.save_revision().publish()

    def load_open_call(self, index, notice):
        today = timezone.localdate(timezone=local_tz())
        year = today.year
        deadline = today + dt.timedelta(days=30)
        dates = {
            "application_opens": _local(today - dt.timedelta(days=7), 9),
            "application_deadline": _end_of(deadline),
            "recommendation_deadline": _end_of(deadline + dt.timedelta(days=10)),
            "review_deadline": _end_of(deadline + dt.timedelta(days=24)),
            "voting_opens": _local(deadline + dt.timedelta(days=25), 9),
            "voting_closes": _end_of(deadline + dt.timedelta(days=31)),
            "publicity_starts": _local(deadline + dt.timedelta(days=38), 9),
        }
        call = CallPage.objects.filter(year=year).first()
        if call is None:
            call = CallPage(
                title=notice.title.replace("2021", str(year)),
                slug=str(year),
                issuer=notice.issuer,
                year=year,
                addressees=notice.addressees,
                **dates,
            )
            self._fill(call, notice, year=year)
            index.add_child(instance=call)
        else:
            for name, value in dates.items():
                setattr(call, name, value)
            # The notice names its deadline, which moves with today.
            call.body = notice_body(notice, year=year, deadline=call.application_deadline)
        call.save_revision().publish()

    def load_review_demo(self, index, notice):
        """Last year's call in expert review: applications, submitted lists, assignments and most scores."""
        load_review_round(index=index, notice=notice, fill=self._fill, password=DEMO_PASSWORD)

    def load_publicity_demo(self, index, notice):
        """A call in publicity (its countdown running) and the 2021 call's published final list."""
        load_publicity_round(index=index, notice=notice, fill=self._fill)

    def load_voting_demo(self, index, notice):
        """Voting pages: the 2021 call's closed vote with its result, and a call whose vote is open now."""
        load_voting_round(index=index, notice=notice, fill=self._fill)

    def load_applications_demo(self):
        """The application form pages (open call and 2021) and sample drafts and submissions of the open call."""
        load_application_round(password=DEMO_PASSWORD)
