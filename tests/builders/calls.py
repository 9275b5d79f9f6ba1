"""Calls and their pages: the call itself, its application form, voting and publicity pages, proposed awards."""

import datetime as dt
import json
from decimal import Decimal
from zoneinfo import ZoneInfo

from django.utils import timezone
from wagtail.models import Page, Site

from wagtail_awards.enums import ApplicationStatus, OrganizationKind
from wagtail_awards.models import (
    ApplicationFormField,
    ApplicationFormPage,
    Award,
    CallCriterion,
    CallIndexPage,
    CallPage,
    CallPrizeLevel,
    CallQuota,
    CallTheme,
    PublicityPage,
    VotingPage,
)

from .applications import make_application

SHANGHAI = ZoneInfo("Asia/Shanghai")


def local(*args):
    return dt.datetime(*args, tzinfo=SHANGHAI)


def make_site():
    """A call index page as the default site's root."""
    root = Page.get_first_root_node()
    index = root.add_child(instance=CallIndexPage(title="Calls", slug="calls"))
    Site.objects.update_or_create(
        is_default_site=True, defaults={"hostname": "localhost", "root_page": index, "site_name": "Test"}
    )
    return index


#: One first prize: two projects at 10000.
ONE_PRIZE = ((1, "一等奖", 2, 10000),)


def make_call(index, *, year=2021, deadline=None, prize_levels=ONE_PRIZE, publish=True, **fields):
    """A call of ``year`` under ``index`` (published, or a draft revision unless ``publish``): five themes, city and
    university quotas, four criteria, ``prize_levels`` as (rank, name, count, subsidy); its applications open on
    22 September and close at ``deadline`` (default 19 October, 23:59:59)."""
    values = {
        "title": f"Call {year}",
        "slug": f"call-{year}",
        "issuer": "江苏省教育科技工会",
        "year": year,
        "application_opens": local(year, 9, 22, 9),
        "application_deadline": deadline or local(year, 10, 19, 23, 59, 59),
        "contact_name": "李雅君",
        "contact_phone": "025-83536268",
    }
    values.update(fields)
    call = CallPage(**values)
    call.themes = [CallTheme(name=name) for name in ("学悟守正", "举旗育人", "建功立业", "暖心聚力", "强基固本")]
    call.quotas = [
        CallQuota(organization_kind=OrganizationKind.CITY, min_count=2, max_count=3),
        CallQuota(organization_kind=OrganizationKind.UNIVERSITY, min_count=1, max_count=2),
    ]
    call.criteria = [
        CallCriterion(name=name, weight=Decimal(25)) for name in ("实效性", "创新创优性", "可持续性", "可推广性")
    ]
    call.prize_levels = [
        CallPrizeLevel(rank=rank, name=name, count=count, subsidy=Decimal(subsidy))
        for rank, name, count, subsidy in prize_levels
    ]
    index.add_child(instance=call)
    revision = call.save_revision()
    if publish:
        revision.publish()
    return call


def make_form_page(call):
    """The call's published application form: a required summary, an optional leader's name, a PDF plan, photos
    and an implementation plan; materials in PDF, Word or images, at most three files of 1 MB each."""
    page = ApplicationFormPage(
        title="在线申报",
        slug="apply",
        materials_extensions="pdf, docx, jpg, png",
        materials_max_size_mb=1,
        materials_max_files=3,
    )
    page.form_fields = [
        ApplicationFormField(label="项目简介", field_type="multiline", required=True),
        ApplicationFormField(label="项目负责人", field_type="singleline", required=False),
        ApplicationFormField(label="Plan", field_type="file", required=False, allowed_extensions="pdf", max_size_mb=1),
        ApplicationFormField(label="Photos", field_type="files", required=False, allowed_extensions="jpg, png"),
        ApplicationFormField(label="实施方案", field_type="file", required=False, allowed_extensions="pdf, docx"),
    ]
    call.add_child(instance=page)
    page.save_revision().publish()
    return ApplicationFormPage.objects.get(pk=page.pk)


def make_voting_call(index, *, year=2030, opens=None, closes=None, **fields):
    """A call whose vote is open now (from yesterday to tomorrow unless given)."""
    now = timezone.now()
    return make_call(
        index,
        year=year,
        voting_opens=opens or now - dt.timedelta(days=1),
        voting_closes=closes or now + dt.timedelta(days=1),
        most_popular_label="最受教职工欢迎项目",
        **fields,
    )


def make_voting_page(call, *, when="during", slug="vote"):
    """A published voting page of ``call``: a paragraph and the voting block, tallies shown ``when``."""
    body = json.dumps(
        [
            {"type": "paragraph", "value": "<p>请为您喜爱的项目投票。</p>"},
            {"type": "voting", "value": {"call": call.pk, "heading": "网络投票", "intro": "", "show_tallies": when}},
        ]
    )
    page = VotingPage(title="网络投票", slug=slug, body=body)
    call.add_child(instance=page)
    page.save_revision().publish()
    return page


def make_publicity_page(call):
    page = PublicityPage(title=f"{call.year}年度公示", slug="publicity")
    call.add_child(instance=page)
    page.save_revision().publish()
    return page


PUBLICITY_PRIZES = (
    (1, "一等奖", 2, 10000),
    (2, "二等奖", 5, 6000),
    (3, "三等奖", 100, 3000),
)


def make_publicity(index, *, year=2021, starts=None, projects=3, **fields):
    """A call whose publicity starts at ``starts`` (default 2021-09-29 09:00), its publicity page and
    ``projects`` proposed awards: ranks 1, 2, 3, … (the first one also most popular)."""
    values = {"most_popular_label": "最受教职工欢迎项目", "most_popular_subsidy": Decimal(8000), **fields}
    call = make_call(
        index, year=year, publicity_starts=starts or local(year, 9, 29, 9), prize_levels=PUBLICITY_PRIZES, **values
    )
    page = make_publicity_page(call)
    awards = [make_award(call, rank=min(i + 1, 3), most_popular=i == 0) for i in range(projects)]
    return call, page, awards


def make_award(call, *, rank=3, most_popular=False, application=None, **fields):
    """A proposed award of ``call`` (for ``application``, else a new proposed application)."""
    application = application or make_application(call, status=ApplicationStatus.PROPOSED)
    return Award.objects.create(application=application, prize_rank=rank, most_popular=most_popular, **fields)
