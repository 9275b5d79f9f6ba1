"""Small builders for test data; each returns saved objects."""

import datetime as dt
from decimal import Decimal
from zoneinfo import ZoneInfo

from django.contrib.auth import get_user_model
from wagtail.models import Page, Site

from wagtail_awards.enums import OrganizationKind
from wagtail_awards.models import (
    CallCriterion,
    CallIndexPage,
    CallPage,
    CallPrizeLevel,
    CallQuota,
    CallTheme,
    Membership,
    Organization,
)

SHANGHAI = ZoneInfo("Asia/Shanghai")


def local(*args):
    return dt.datetime(*args, tzinfo=SHANGHAI)


def make_site():
    root = Page.get_first_root_node()
    index = root.add_child(instance=CallIndexPage(title="Calls", slug="calls"))
    Site.objects.update_or_create(
        is_default_site=True, defaults={"hostname": "localhost", "root_page": index, "site_name": "Test"}
    )
    return index


def make_call(index, *, year=2021, deadline=None, **fields):
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
    call.prize_levels = [CallPrizeLevel(rank=1, name="一等奖", count=2, subsidy=Decimal(10000))]
    index.add_child(instance=call)
    call.save_revision().publish()
    return call


def make_org(name, kind=OrganizationKind.GRASSROOTS, parent=None, city=""):
    return Organization.objects.create(name=name, kind=kind, parent=parent, city=city)


def make_user(username, *, org=None, role=None, password="pw", **fields):
    user = get_user_model().objects.create_user(username=username, password=password, **fields)
    if org and role:
        Membership.objects.create(user=user, organization=org, role=role)
    return user


def make_application(call, *, org=None, applicant=None, status="submitted", **fields):
    """An application of ``call``; a grassroots unit and an applicant user are made when not given."""
    from wagtail_awards.models import Application

    count = Application.objects.count() + 1
    org = org or make_org(f"单位{count}", city=fields.pop("city", "南京"))
    applicant = applicant or make_user(f"applicant-{call.pk}-{count}")
    values = {
        "unit_name": org.name,
        "project_name": f"项目{count}",
        "summary": "服务教职工的项目简介。",
        "theme": "暖心聚力",
    }
    values.update(fields)
    return Application.objects.create(call=call, organization=org, applicant=applicant, status=status, **values)


PASSWORD = "a-Long-pass-2021"


def register(client, email, *, name="张老师", password=PASSWORD, confirm=True, **unit):
    """Register through the site's form (question answered in test mode), then open the link of the confirmation
    e-mail when ``confirm``; returns the response to the form. ``unit`` takes ``unit``, ``new_unit_name``,
    ``parent`` and ``note`` (organisations or their pks)."""
    import re

    from django.core import mail
    from django.urls import reverse

    from tests.captcha_helpers import bound_challenge
    from wagtail_awards.captcha import TEST_MODE_ANSWER

    data = {
        "account-email": email,
        "account-first_name": name,
        "account-password1": password,
        "account-password2": password,
        "account-captcha_0": bound_challenge(client, "registration")[0],
        "account-captcha_1": TEST_MODE_ANSWER,
    }
    data.update({f"unit-{key}": getattr(value, "pk", value) for key, value in unit.items()})
    sent = len(mail.outbox)
    response = client.post(reverse("wagtail_awards:register"), data)
    if confirm and response.status_code == 302 and len(mail.outbox) > sent:
        link = re.search(r"https?://[^/\s]+(/\S+/verify/\S+)", mail.outbox[-1].body).group(1)
        client.get(link)
    return response


def approve(membership_or_user, *, by, unit=None):
    """Approve a pending membership (of ``membership_or_user`` in ``unit``) as ``by``; returns it."""
    from wagtail_awards.services.accounts import decide_membership

    membership = membership_or_user
    if not isinstance(membership, Membership):
        membership = Membership.objects.get(user=membership_or_user, organization=unit)
    return decide_membership(membership=membership, approve=True, by=by)
