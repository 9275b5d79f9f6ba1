"""Storage is bounded: a unit's files stay within its quota and its open drafts within their cap (each field's file
count under concurrent saves is in ``test_applications_concurrency``, on PostgreSQL). Every refusal says why and
keeps what the applicant typed."""

import uuid

import pytest
import time_machine
from django.test import Client, override_settings

from tests.builders import BEFORE, DEADLINE, PDF, build_world, complete_data, upload
from wagtail_awards.enums import ApplicationStatus
from wagtail_awards.models import Application, ApplicationFile

KB = 1024


def pdf(size):
    return PDF + bytes(size - len(PDF))


def post(client, world, **data):
    with time_machine.travel(BEFORE, tick=False):
        return client.post(world.save_url, complete_data(**data))


@pytest.fixture
def world(site_root):
    return build_world(site_root, deadline=DEADLINE)


@pytest.fixture
def applicant(client, world):
    client.force_login(world.users["applicant"])
    return client


@pytest.mark.django_db
@override_settings(WAGTAIL_AWARDS_UNIT_STORAGE_QUOTA=300 * KB)
def test_unit_storage_quota(applicant, world):
    first = post(applicant, world, token=str(uuid.uuid4()), materials=[upload("a.pdf", pdf(200 * KB))])
    assert first.status_code == 302
    # A colleague of the same unit, in another draft: the quota is the unit's, across its applications.
    colleague = Client()
    colleague.force_login(world.users["colleague"])
    response = post(colleague, world, token=str(uuid.uuid4()), materials=[upload("b.pdf", pdf(150 * KB))])
    assert response.status_code == 400
    html = response.content.decode()
    assert "未保存任何内容：贵单位的文件将达到" in html and "300 KB" in html
    assert "教职工心理健康服务" in html  # what was typed is still in the form
    assert ApplicationFile.objects.count() == 1 and Application.objects.count() == 1
    # Another unit has its own quota.
    other = Client()
    other.force_login(world.users["applicant_nj2"])
    assert post(other, world, token=str(uuid.uuid4()), materials=[upload("c.pdf", pdf(200 * KB))]).status_code == 302


@pytest.mark.django_db
@override_settings(WAGTAIL_AWARDS_UNIT_STORAGE_QUOTA=300 * KB)
def test_removing_files_makes_room(applicant, world):
    token = str(uuid.uuid4())
    assert post(applicant, world, token=token, materials=[upload("a.pdf", pdf(200 * KB))]).status_code == 302
    application = Application.objects.get()
    old = ApplicationFile.objects.get()
    response = post(
        applicant,
        world,
        token=token,
        application=application.pk,
        remove_files=old.pk,
        materials=[upload("b.pdf", pdf(250 * KB))],
    )
    assert response.status_code == 302
    assert list(ApplicationFile.objects.values_list("original_name", flat=True)) == ["b.pdf"]


@pytest.mark.django_db
@override_settings(WAGTAIL_AWARDS_MAX_OPEN_DRAFTS=2)
def test_open_drafts_per_unit_and_call_are_capped(applicant, world):
    for _ in range(2):
        assert post(applicant, world, token=str(uuid.uuid4())).status_code == 302
    response = post(applicant, world, token=str(uuid.uuid4()), project_name="第三个项目")
    assert response.status_code == 400
    html = response.content.decode()
    assert "贵单位在本次评选中已有 2 份未提交的草稿" in html
    assert "第三个项目" in html
    assert Application.objects.count() == 2
    # Saving one of the open drafts again is still possible, and a submitted one no longer counts.
    draft = Application.objects.first()
    assert post(applicant, world, token=str(draft.submission_token), application=draft.pk).status_code == 302
    Application.objects.filter(pk=draft.pk).update(status=ApplicationStatus.SUBMITTED)
    assert post(applicant, world, token=str(uuid.uuid4())).status_code == 302
