"""The applications list in the Wagtail admin, its scoping, inspect view, history; importing past awards."""

import uuid

import pytest
import time_machine
from django.core.management import CommandError, call_command
from django.urls import reverse
from openpyxl import Workbook

from tests.builders import BEFORE, DEADLINE, build_world, complete_data
from wagtail_awards.models import Application, PastAward

pytestmark = pytest.mark.django_db

INDEX = "wagtail_awards_application_modeladmin_index"


@pytest.fixture
def world(site_root):
    """The applying world; its province administrator and recommenders are in their admin groups."""
    return build_world(site_root, deadline=DEADLINE)


@pytest.fixture
def applications(client, world):
    with time_machine.travel(BEFORE, tick=False):
        for who, unit, project in (
            ("applicant", "南京市第一中学工会", "心理健康服务"),
            ("applicant_nj2", "南京市金陵中学工会", "教工之家"),
            ("applicant_sz1", "苏州中学工会", "苏州项目"),
        ):
            client.force_login(world.users[who])
            client.post(
                world.save_url,
                complete_data(token=str(uuid.uuid4()), unit_name=unit, project_name=project, action="submit"),
            )
        client.logout()
    return {a.project_name: a for a in Application.objects.all()}


def listing(client, user, query=""):
    client.force_login(user)
    return client.get(reverse(INDEX) + query)


def test_province_admin_sees_all_with_filters_and_search(client, world, applications):
    html = listing(client, world.users["province"]).content.decode()
    assert all(name in html for name in applications)
    html = listing(client, world.users["province"], "?organization__city=苏州").content.decode()
    assert "苏州项目" in html and "教工之家" not in html
    html = listing(client, world.users["province"], "?q=教工").content.decode()
    assert "教工之家" in html and "苏州项目" not in html
    html = listing(client, world.users["province"], f"?status=draft&call={world.call.pk}").content.decode()
    assert "苏州项目" not in html
    assert listing(client, world.users["province"], "?theme=暖心聚力").status_code == 200


def test_recommender_sees_only_own_applicants(client, world, applications):
    html = listing(client, world.users["rec_nj"]).content.decode()
    assert "心理健康服务" in html and "教工之家" in html and "苏州项目" not in html
    html = listing(client, world.users["rec_sz"]).content.decode()
    assert "苏州项目" in html and "教工之家" not in html


def test_inspect_shows_answers_files_and_history(client, world, applications):
    application = applications["心理健康服务"]
    client.force_login(world.users["province"])
    inspect = reverse("wagtail_awards_application_modeladmin_inspect", args=[application.pk])
    html = client.get(inspect).content.decode()
    assert "为教职工提供心理咨询。" in html and "项目简介" in html
    file = application.files.get()
    assert reverse("wagtail_awards:application_file", args=[file.pk]) in html
    history = client.get(reverse("wagtail_awards_application_modeladmin_history", args=[application.pk]))
    assert history.status_code == 200
    assert "申报已提交" in history.content.decode()


def test_inspect_and_history_of_another_citys_application_denied(client, world, applications):
    application = applications["心理健康服务"]
    client.force_login(world.users["rec_sz"])
    for name in ("inspect", "history"):
        response = client.get(reverse(f"wagtail_awards_application_modeladmin_{name}", args=[application.pk]))
        assert response.status_code in (302, 403)


def test_no_create_or_edit_in_admin(client, world, applications):
    client.force_login(world.users["province"])
    assert client.get(reverse("wagtail_awards_application_modeladmin_create")).status_code in (302, 403)
    application = applications["教工之家"]
    edit = reverse("wagtail_awards_application_modeladmin_edit", args=[application.pk])
    assert client.get(edit).status_code in (302, 403)


def test_list_query_count_does_not_grow(client, world, applications, django_assert_max_num_queries):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client.force_login(world.users["province"])
    client.get(reverse(INDEX))
    with CaptureQueriesContext(connection) as few:
        client.get(reverse(INDEX))
    baseline = len(few.captured_queries)
    assert 0 < baseline <= 30
    with time_machine.travel(BEFORE, tick=False):
        for i in range(10):
            client.force_login(world.users["applicant_nj2"])
            client.post(world.save_url, complete_data(token=str(uuid.uuid4()), project_name=f"项目{i}"))
    client.force_login(world.users["province"])
    with django_assert_max_num_queries(baseline):
        client.get(reverse(INDEX))


# Past awards


def test_import_past_awards_csv(tmp_path):
    path = tmp_path / "past.csv"
    path.write_text(
        "年度,项目名称,申报单位,奖项\n2019,教工之家,南京市金陵中学工会,一等奖\n2020,暖心行动,苏州中学工会,\n",
        "utf-8-sig",
    )
    call_command("import_past_awards", str(path))
    call_command("import_past_awards", str(path))  # again: nothing twice
    assert PastAward.objects.count() == 2
    assert PastAward.objects.get(year=2019).prize == "一等奖"


def test_import_past_awards_xlsx(tmp_path):
    workbook = Workbook()
    sheet = workbook.active
    sheet.append(["year", "project_name", "unit_name", "prize"])
    sheet.append([2020, "心理健康服务", "南京市第一中学工会", "二等奖"])
    path = tmp_path / "past.xlsx"
    workbook.save(path)
    call_command("import_past_awards", str(path))
    assert PastAward.objects.get().normalised_project == "心理健康服务"


def test_import_past_awards_refuses_a_bad_file_whole(tmp_path):
    path = tmp_path / "past.csv"
    path.write_text("year,project_name,unit_name\n2019,A,B\nlast year,C,D\n2020,,E\n", "utf-8")
    with pytest.raises(CommandError) as exc:
        call_command("import_past_awards", str(path))
    assert "第3行" in str(exc.value) and "第4行" in str(exc.value)
    assert not PastAward.objects.exists()


# The page in Wagtail's editor


def test_editor_opens_the_form_page_and_a_new_one_under_the_call(client, world, django_user_model):
    client.force_login(django_user_model.objects.create_superuser("editor", password="x"))
    response = client.get(reverse("wagtailadmin_pages:edit", args=[world.form_page.pk]))
    assert response.status_code == 200
    html = response.content.decode()
    assert "文件上传（多个文件）" in html and "允许的文件类型" in html
    # One form page per call: the call offers no second one.
    add = client.get(reverse("wagtailadmin_pages:add_subpage", args=[world.call.pk])).content.decode()
    assert "applicationformpage" not in add.lower()


def test_reserved_and_unknown_settings_are_refused_in_the_editor(world):
    from django.core.exceptions import ValidationError

    from wagtail_awards.models import ApplicationFormField

    with pytest.raises(ValidationError) as exc:
        ApplicationFormField(page=world.form_page, label="Project name", field_type="singleline").full_clean()
    assert "label" in exc.value.message_dict
    with pytest.raises(ValidationError) as exc:
        ApplicationFormField(
            page=world.form_page, label="附件", field_type="file", allowed_extensions="pdf, exe"
        ).full_clean()
    assert "exe" in str(exc.value.message_dict["allowed_extensions"])


def test_preview_of_the_form(client, world, django_user_model):
    client.force_login(django_user_model.objects.create_superuser("editor", password="x"))
    response = client.get(reverse("wagtailadmin_pages:view_draft", args=[world.form_page.pk]))
    assert response.status_code == 200
    assert 'name="materials"' in response.content.decode()


def test_province_admin_imports_past_awards_in_the_admin(client, world):
    from django.core.files.uploadedfile import SimpleUploadedFile

    client.force_login(world.users["province"])
    index = client.get(reverse("wagtail_awards_pastaward_modeladmin_index")).content.decode()
    assert reverse("wagtail_awards_admin:import_past_awards") in index
    csv = "年度,项目名称,申报单位\n2019,教工之家,南京市金陵中学工会\n".encode("gb18030")
    response = client.post(
        reverse("wagtail_awards_admin:import_past_awards"), {"file": SimpleUploadedFile("往年.csv", csv)}
    )
    assert response.status_code == 302
    assert PastAward.objects.get().unit_name == "南京市金陵中学工会"


def test_admin_import_refuses_a_bad_file_and_others_than_province(client, world):
    from django.core.files.uploadedfile import SimpleUploadedFile

    client.force_login(world.users["province"])
    bad = b"year,project_name,unit_name\nsoon,A,B\n"
    response = client.post(
        reverse("wagtail_awards_admin:import_past_awards"), {"file": SimpleUploadedFile("p.csv", bad)}
    )
    assert response.status_code == 400 and "第2行" in response.content.decode()
    response = client.post(
        reverse("wagtail_awards_admin:import_past_awards"), {"file": SimpleUploadedFile("p.xlsx", b"not a workbook")}
    )
    assert response.status_code == 400
    assert not PastAward.objects.exists()
    client.force_login(world.users["rec_nj"])
    response = client.get(reverse("wagtail_awards_admin:import_past_awards"))
    assert response.status_code in (302, 403)
