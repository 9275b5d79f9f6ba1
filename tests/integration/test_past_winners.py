"""Past winners may not apply again (往年已获奖项目不再参评): the site's own final awards and imported ones bar a
project of the same organisation whatever its name's spelling; near matches reach a province administrator."""

import uuid

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from tests.builders import PDF, build_world, local, make_application
from wagtail_awards.enums import ApplicationStatus
from wagtail_awards.models import Application, ApplicationFormPage, PastAward

pytestmark = pytest.mark.django_db


def application_data(page, *, project, unit_name, token=None):
    fields = {f.label: f.clean_name for f in page.get_form_fields()}
    data = {
        "token": token or str(uuid.uuid4()),
        "reviewing_unit": "江苏省教育科技工会",
        "responsible_department": "工会办公室",
        "unit_name": unit_name,
        "project_name": project,
        "theme": "暖心聚力",
        "declaration": "on",
        "materials": [SimpleUploadedFile("申报书.pdf", PDF)],
        "action": "submit",
    }
    for label, name in fields.items():
        if label in ("项目简介", "项目负责人", "联系电话"):
            data[name] = "王老师"
    return data


@pytest.mark.parametrize(
    ("project", "unit_name"),
    [
        ("教职工心理关爱驿站", "南京市金陵中学工会"),
        (" 教职工 心理关爱驿站 ", "南京金陵中学工会"),
        ("教職工心理關愛驛站", "金陵中学"),
        ("教职工\u200b心理关爱驿站。", "另一个单位的名字"),
        ("“教职工心理关爱驿站”", ""),
    ],
)
def test_a_2021_winner_of_the_demo_cannot_apply_in_a_later_call(project, unit_name):
    call_command("load_awards_demo", stdout=open("/dev/null", "w"))
    year = timezone.localdate().year
    page = ApplicationFormPage.objects.get(url_path__endswith=f"/{year}/apply/").specific
    assert page.call.application_state() in ("open", "closing_soon")
    client = Client()
    assert client.login(username="applicant-jinling", password="awards-demo")
    response = client.post(
        reverse("wagtail_awards:application_save", args=[page.pk]),
        application_data(page, project=project, unit_name=unit_name),
    )
    assert response.status_code == 400
    assert "已于2021年获奖，不能再次申报" in response.content.decode()
    application = Application.objects.get(call=page.call, project_name=project.strip())
    assert application.status == ApplicationStatus.DRAFT and application.reference is None
    assert application.unit_name == "南京市金陵中学工会"


@pytest.fixture
def world(site_root):
    """The applying world (its call of 2026) after a call of 2021 that gave 南京市金陵中学工会 an award and
    cancelled one of 南京市第一中学工会, and an imported award of 2019."""
    world = build_world(site_root, year=2026)
    school, other = world.orgs["nj2"], world.orgs["nj1"]
    old = build_world(site_root, stage="review", now=local(2021, 10, 21, 10), year=2021, projects=0, beside=world).call
    make_application(old, org=school, project_name="教职工心理关爱驿站", status=ApplicationStatus.AWARDED)
    make_application(old, org=other, project_name="被撤销的项目", status=ApplicationStatus.CANCELLED)
    PastAward.objects.create(year=2019, project_name="教工书屋", unit_name="南京市金陵中學工會", prize="一等奖")
    return world


#: Who submits: the world's member of 南京市金陵中学工会, or of 南京市第一中学工会.
MEMBERS = {"school_member": "applicant_nj2", "other_member": "applicant"}


def submit(world, who, project):
    client = Client()
    client.force_login(world.users[MEMBERS[who]])
    page = world.form_page
    data = application_data(page, project=project, unit_name="")
    return client.post(reverse("wagtail_awards:application_save", args=[page.pk]), data)


@pytest.mark.parametrize(
    ("who", "project", "barred"),
    [
        ("school_member", "教职工心理关爱驿站", True),  # the site's own final award
        ("school_member", "教工 书屋", True),  # imported, matched on the organisation's name
        ("other_member", "被撤销的项目", False),  # a cancelled award bars nothing
        ("other_member", "教职工心理关爱驿站", False),  # another unit's project of the same name: flagged only
        ("school_member", "全新的项目", False),
    ],
)
def test_earlier_awards_bar_the_same_organisations_project(world, who, project, barred):
    response = submit(world, who, project)
    application = Application.objects.get(call__year=2026, project_name=project.strip())
    if barred:
        assert response.status_code == 400 and "不能再次申报" in response.content.decode()
        assert application.status == ApplicationStatus.DRAFT
    else:
        assert response.status_code == 302
        assert application.status == ApplicationStatus.SUBMITTED


def test_a_near_match_is_flagged_and_decided_by_a_province_administrator(world):
    assert submit(world, "school_member", "教职工心理关爱驿站（二期）").status_code == 302
    flagged = Application.objects.get(project_name="教职工心理关爱驿站（二期）")
    assert [(m["year"], m["project_name"]) for m in flagged.past_award_matches] == [(2021, "教职工心理关爱驿站")]
    inspect = reverse("wagtail_awards_application_modeladmin_inspect", args=[flagged.pk])
    decide = reverse("wagtail_awards_admin:decide_past_award", args=[flagged.pk])
    index = reverse("wagtail_awards_application_modeladmin_index") + "?past_award=near"

    province, recommender = Client(), Client()
    province.force_login(world.users["province"])
    recommender.force_login(world.users["rec_nj"])
    assert "教职工心理关爱驿站（二期）" in province.get(index).content.decode()
    assert "data-past-award-matches" in province.get(inspect).content.decode()
    # The recommender sees the flag but may not decide.
    assert "data-past-award-matches" in recommender.get(inspect).content.decode()
    assert recommender.post(decide, {"decision": "other"}).status_code in (302, 403)
    flagged.refresh_from_db()
    assert flagged.past_award_cleared_at is None

    province.post(decide, {"decision": "other", "reason": "二期为新内容"})
    flagged.refresh_from_db()
    assert flagged.past_award_cleared_at is not None and flagged.status == ApplicationStatus.SUBMITTED
    assert "教职工心理关爱驿站（二期）" not in province.get(index).content.decode()

    assert submit(world, "other_member", "教职工心理关爱驿站").status_code == 302
    same = Application.objects.get(call__year=2026, organization__name="南京市第一中学工会")
    assert same.past_award_matches
    province.post(reverse("wagtail_awards_admin:decide_past_award", args=[same.pk]), {"decision": "same"})
    same.refresh_from_db()
    assert same.status == ApplicationStatus.INELIGIBLE and "往年获奖项目" in same.status_reason
