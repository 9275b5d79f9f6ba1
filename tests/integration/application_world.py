"""A call open for applications with its form page, two units under one city, one user per role."""

import io
from dataclasses import dataclass, field

from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from tests.factories import local, make_call, make_org, make_user
from wagtail_awards.enums import OrganizationKind, Role
from wagtail_awards.models import ApplicationFormField, ApplicationFormPage

#: The call's deadline, the last accepted instant: 2021-10-19 23:59:59 Asia/Shanghai.
DEADLINE = local(2021, 10, 19, 23, 59, 59)
BEFORE = local(2021, 10, 10, 10, 0)

PDF = b"%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n"
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00\x00\x00\rIHDR" + b"\x00" * 40


@dataclass
class World:
    call: object
    page: object
    orgs: dict = field(default_factory=dict)
    users: dict = field(default_factory=dict)


def build(site_root) -> World:
    call = make_call(site_root, year=2021, deadline=DEADLINE)
    page = ApplicationFormPage(
        title="在线申报",
        slug="apply",
        materials_extensions="pdf, docx, jpg, png",
        materials_max_size_mb=1,
        materials_max_files=3,
    )
    page.form_fields = [
        ApplicationFormField(label="项目简介", field_type="multiline", required=True),
        ApplicationFormField(label="Plan", field_type="file", required=False, allowed_extensions="pdf", max_size_mb=1),
        ApplicationFormField(label="Photos", field_type="files", required=False, allowed_extensions="jpg, png"),
    ]
    call.add_child(instance=page)
    page.save_revision().publish()
    world = World(call=call, page=ApplicationFormPage.objects.get(pk=page.pk))
    province = make_org("江苏省教育科技工会", OrganizationKind.PROVINCE)
    nanjing = make_org("南京市教育工会", OrganizationKind.CITY, province, "南京")
    suzhou = make_org("苏州市教育工会", OrganizationKind.CITY, province, "苏州")
    world.orgs = {
        "province": province,
        "nanjing": nanjing,
        "suzhou": suzhou,
        "a": make_org("南京市第一中学工会", parent=nanjing, city="南京"),
        "b": make_org("南京市金陵中学工会", parent=nanjing, city="南京"),
        "c": make_org("苏州中学工会", parent=suzhou, city="苏州"),
    }
    o = world.orgs
    world.users = {
        "a": make_user("applicant-a", org=o["a"], role=Role.APPLICANT, email="a@example.com"),
        "a2": make_user("colleague-a", org=o["a"], role=Role.APPLICANT),
        "b": make_user("applicant-b", org=o["b"], role=Role.APPLICANT),
        "c": make_user("applicant-c", org=o["c"], role=Role.APPLICANT),
        "nanjing": make_user("recommender-nj", org=nanjing, role=Role.RECOMMENDER),
        "suzhou": make_user("recommender-sz", org=suzhou, role=Role.RECOMMENDER),
        "reviewer": make_user("reviewer", org=suzhou, role=Role.REVIEWER),
        "province": make_user("province", org=province, role=Role.PROVINCE_ADMIN),
        "nobody": make_user("nobody"),
    }
    return world


def save_url(world):
    return reverse("wagtail_awards:application_save", args=[world.page.pk])


def upload(name, content):
    return SimpleUploadedFile(name, content)


def summary_name():
    from wagtail.contrib.forms.utils import get_field_clean_name

    return get_field_clean_name("项目简介")


def complete_data(**overrides):
    data = {
        "token": overrides.pop("token", "5f0c7c4e-7a53-4c6f-9a51-0d7f1d3c2a11"),
        "reviewing_unit": "南京市教育工会",
        "responsible_department": "工会办公室",
        "unit_name": "南京市第一中学工会",
        "project_name": "教职工心理健康服务",
        "theme": "暖心聚力",
        summary_name(): "为教职工提供心理咨询。",
        "declaration": "on",
        "materials": [upload("申报书.pdf", PDF)],
        "action": "save",
    }
    data.update(overrides)
    return {k: v for k, v in data.items() if v is not None}


def stream(data: bytes):
    return io.BytesIO(data)
