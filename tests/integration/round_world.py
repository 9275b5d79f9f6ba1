"""A call open for applications, its form page and one user per role, for the security and robustness tests."""

import datetime as dt
from decimal import Decimal

from django.utils import timezone

from tests.factories import make_call, make_org, make_user
from tests.voting_helpers import verify_voter
from wagtail_awards.enums import OrganizationKind, Role
from wagtail_awards.models import ApplicationFormField, ApplicationFormPage, CallPage, CallPrizeLevel
from wagtail_awards.services.setup import ensure_role_groups

PDF = b"%PDF-1.4\n1 0 obj<</Type/Catalog>>endobj\ntrailer<</Root 1 0 R>>\n%%EOF\n"


def build_world(site_root):
    """A call open for applications with its form page (two editor fields), a city, one user per role."""
    now = timezone.now()
    call = make_call(
        site_root,
        year=2026,
        application_opens=now - dt.timedelta(days=1),
        deadline=now + dt.timedelta(days=5),
        most_popular_label="最受教职工欢迎项目",
    )
    call.prize_levels = [CallPrizeLevel(rank=1, name="一等奖", count=2, subsidy=Decimal(10000))]
    call.save_revision().publish()
    form_page = ApplicationFormPage(title="在线申报", slug="apply", materials_extensions="pdf")
    form_page.form_fields = [
        ApplicationFormField(label="项目简介", field_type="multiline", required=True),
        ApplicationFormField(label="项目负责人", field_type="singleline", required=False),
        ApplicationFormField(label="实施方案", field_type="file", required=False, allowed_extensions="pdf, docx"),
    ]
    call.add_child(instance=form_page)
    form_page.save_revision().publish()
    province = make_org("江苏省教育科技工会", OrganizationKind.PROVINCE)
    nanjing = make_org("南京市教育工会", OrganizationKind.CITY, province, "南京")
    seu = make_org("东南大学工会", OrganizationKind.UNIVERSITY, province, "南京")
    groups = ensure_role_groups()

    def person(username, org, role):
        user = make_user(username, org=org, role=role)
        user.groups.add(groups[role])
        return user

    return {
        "call": CallPage.objects.get(pk=call.pk),
        "form_page": ApplicationFormPage.objects.get(pk=form_page.pk),
        "nanjing": nanjing,
        "province": person("province", province, Role.PROVINCE_ADMIN),
        "recommender": person("recommender", nanjing, Role.RECOMMENDER),
        "reviewer": person("reviewer", seu, Role.REVIEWER),
        "voter": verify_voter(make_user("voter")),
    }
