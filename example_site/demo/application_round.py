"""Demo of the application stage: the form page of the open call (and of 2021), and sample applications.

Idempotent: pages are found by slug, sample applications by their form token.
"""

import uuid

from django.contrib.auth import get_user_model
from django.core.files.base import ContentFile

from wagtail_awards.enums import ApplicationStatus, Role
from wagtail_awards.models import (
    Application,
    ApplicationFormField,
    ApplicationFormPage,
    CallPage,
    Membership,
    Organization,
)
from wagtail_awards.rules.files import check_file
from wagtail_awards.services import applications as rules

TOKENS = uuid.UUID("6b1c8e0e-5f1d-4c1e-9a55-2d9b8c0e7a21")

#: Fields the editor added to the demo form, beside the fixed ones: (label, type, required, help text, options).
EXTRA_FIELDS = [
    ("项目简介", "multiline", True, "项目的服务内容、实施过程与成效，不超过1500字。", {}),
    ("项目负责人", "singleline", True, "", {}),
    ("联系电话", "singleline", True, "", {}),
    ("项目开始实施年份", "number", False, "", {}),
    (
        "实施成效佐证材料",
        "files",
        False,
        "照片或报道截图，可选。",
        {"allowed_extensions": "jpg, png, pdf", "max_size_mb": 10, "max_files": 6},
    ),
]

#: Sample applications of the open call: (username, unit, project, theme, submit?).
SAMPLES = [
    ("applicant", "南京市第一中学工会", "“教工心灵驿站”心理健康服务", "暖心聚力", True),
    ("applicant", "南京市第一中学工会", "青年教师成长沙龙", "建功立业", False),
    ("applicant-jinling", "南京市金陵中学工会", "教职工健身工作室", "暖心聚力", True),
    ("applicant-suzhou", "苏州市实验小学工会", "“红烛讲堂”师德宣讲", "学悟守正", True),
    ("applicant-seu", "东南大学机械工程学院分工会", "青年教师科研互助小组", "建功立业", False),
]

DEMO_PDF = (
    b"%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\n2 0 obj<</Type/Pages/Kids[3 0 R]/Count 1>>endobj\n"
    b"3 0 obj<</Type/Page/Parent 2 0 R/MediaBox[0 0 595 842]>>endobj\ntrailer<</Root 1 0 R>>\n%%EOF\n"
)


def load_application_round(*, password):
    """Form pages under the current-year call and the 2021 call; sample drafts and submissions in the open one."""
    from django.utils import timezone

    from wagtail_awards.rules.workdays import local_tz

    year = timezone.localdate(timezone=local_tz()).year
    for call in CallPage.objects.filter(slug__in=[str(year), "2021"]):
        form_page(call)
    call = CallPage.objects.filter(slug=str(year)).first()
    if call is not None:
        samples(call, password=password)


def form_page(call):
    page = ApplicationFormPage.objects.child_of(call).first()
    if page is not None:
        return page
    page = ApplicationFormPage(
        title=f"{call.year}年度服务教职工优质项目在线申报",
        slug="apply",
        intro=(
            "<p>请基层工会如实填写以下信息，并上传《申报书》等申报材料（PDF、Word 或图片）。"
            "可先“保存草稿”，材料齐全后点击“在线申报”提交；提交后如需修改，可在截止时间前撤回。</p>"
        ),
        materials_label="申报材料（申报书等）",
        materials_help="请上传盖章后的《申报书》扫描件及相关材料。",
        confirmation_text="<p>申报已提交。请等待所属市教育工会或高校工会初审推荐。</p>",
    )
    page.form_fields = [
        ApplicationFormField(label=label, field_type=kind, required=required, help_text=help_text, **options)
        for label, kind, required, help_text, options in EXTRA_FIELDS
    ]
    call.add_child(instance=page)
    page.save_revision().publish()
    return page


def _applicant(username, unit, password):
    User = get_user_model()
    user, created = User.objects.get_or_create(
        username=username, defaults={"first_name": unit.name, "email": f"{username}@example.com"}
    )
    if created:
        user.set_password(password)
        user.save()
    Membership.objects.get_or_create(user=user, organization=unit, role=Role.APPLICANT)
    return user


def samples(call, *, password):
    page = ApplicationFormPage.objects.child_of(call).get()
    required = page.required_items()
    summary, leader, phone = (f.clean_name for f in page.get_form_fields()[:3])
    for number, (username, unit_name, project, theme, submit) in enumerate(SAMPLES, start=1):
        token = uuid.uuid5(TOKENS, f"{call.year}:{number}")
        if Application.objects.filter(submission_token=token).exists():
            continue
        unit = Organization.objects.filter(name=unit_name).first()
        if unit is None:
            continue
        user = _applicant(username, unit, password)
        upload = ContentFile(DEMO_PDF, name="申报书.pdf")
        checked = check_file(name="申报书.pdf", stream=upload, allowed=["pdf"], max_size=1024 * 1024)
        data = rules.DraftData(
            fixed={
                "reviewing_unit": unit.province.name if unit.province else "",
                "responsible_department": "工会办公室",
                "unit_name": unit.name,
                "project_name": project,
                "theme": theme,
            },
            answers={summary: f"{project}：面向全体教职工，常态化开展服务。", leader: "王老师", phone: "025-00000000"},
            declaration=True,
            new_files=[rules.NewFile(field_name="materials", upload=upload, checked=checked)],
        )
        application = rules.save_draft(call=call, user=user, organization=unit, data=data, token=token)
        if submit and application.status == ApplicationStatus.DRAFT:
            rules.submit(application=application, user=user, required=required)
