"""Applications as stored data, and the data a browser posts to the application form."""

import io

from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from .people import make_org, make_user

PDF = b"%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n"
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00\x00\x00\rIHDR" + b"\x00" * 40


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


def make_candidates(call, count, *, status="recommended"):
    """``count`` shortlisted applications of ``call``, named 候选项目1, 候选项目2, …"""
    return [make_application(call, status=status, project_name=f"候选项目{i + 1}") for i in range(count)]


def save_url(form_page):
    return reverse("wagtail_awards:application_save", args=[form_page.pk])


def upload(name, content):
    return SimpleUploadedFile(name, content)


def stream(data: bytes):
    return io.BytesIO(data)


def summary_name():
    from wagtail.contrib.forms.utils import get_field_clean_name

    return get_field_clean_name("项目简介")


def complete_data(**overrides):
    """What a browser posts for a complete application of the world's unit 南京市第一中学工会 (one PDF of
    materials); an override of ``None`` leaves that field out."""
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
