"""Reference numbers and double submissions under real concurrency (PostgreSQL, one connection per thread)."""

import uuid

import pytest
import time_machine
from django.test import Client

from tests.builders import BEFORE, DEADLINE, PDF, build_world, complete_data, make_org, make_user, upload
from tests.conftest import run_together
from wagtail_awards.enums import ApplicationStatus, Role
from wagtail_awards.models import Application, ApplicationFile
from wagtail_awards.services import applications as rules

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]
THREADS = 8


def test_concurrent_submissions_get_unique_sequential_references(site_root):
    world = build_world(site_root, deadline=DEADLINE)
    required = world.form_page.required_items()
    drafts = []
    with time_machine.travel(BEFORE, tick=False):
        for i in range(THREADS):
            unit = make_org(f"并发单位{i}", parent=world.orgs["nanjing"], city="南京")
            user = make_user(f"concurrent-{i}", org=unit, role=Role.APPLICANT)
            application = Application.objects.create(
                call=world.call,
                applicant=user,
                organization=unit,
                reviewing_unit="南京市教育工会",
                responsible_department="办公室",
                unit_name=unit.name,
                project_name=f"项目{i}",
                theme="暖心聚力",
                declaration=True,
                answers={name: "x" for name in required if name not in rules.FIXED_TEXT_FIELDS},
            )
            ApplicationFile.objects.create(
                application=application,
                field_name="materials",
                file="applications/x",
                original_name="a.pdf",
                content_type="application/pdf",
                size=1,
                sha256="0" * 64,
            )
            drafts.append((application, user))

    def submit(application, user):
        return lambda: rules.submit(application=application, user=user, required=required, now=BEFORE).reference

    results = run_together([submit(a, u) for a, u in drafts])
    assert all(isinstance(r, str) for r in results), results
    assert sorted(results) == [f"2021-{n:04d}" for n in range(1, THREADS + 1)]
    assert Application.objects.filter(status=ApplicationStatus.SUBMITTED).count() == THREADS


def test_double_click_on_submit_creates_one_application(site_root):
    world = build_world(site_root, deadline=DEADLINE)
    token = str(uuid.uuid4())

    def post():
        client = Client()
        client.force_login(world.users["applicant"])
        with time_machine.travel(BEFORE, tick=False):
            return client.post(world.save_url, complete_data(token=token, action="submit")).status_code

    results = run_together([post for _ in range(4)])
    assert results == [302] * 4, results
    assert Application.objects.count() == 1
    application = Application.objects.get()
    assert application.status == ApplicationStatus.SUBMITTED and application.reference == "2021-0001"
    assert application.files.count() == 1  # the later clicks stored nothing


def test_parallel_saves_keep_the_file_limit(site_root):
    """Three saves of 2 files each to one draft whose field holds 5: at most 5 are stored, the rest refused."""
    world = build_world(site_root, deadline=DEADLINE)
    world.form_page.materials_max_files = 5
    world.form_page.save_revision().publish()
    client = Client()
    client.force_login(world.users["applicant"])
    token = str(uuid.uuid4())
    with time_machine.travel(BEFORE, tick=False):
        assert client.post(world.save_url, complete_data(token=token, materials=None)).status_code == 302
    application = Application.objects.get()

    def save(index):
        def job():
            other = Client()
            other.force_login(world.users["applicant"])
            files = [upload(f"{index}-{n}.pdf", PDF) for n in range(2)]
            with time_machine.travel(BEFORE, tick=False):
                data = complete_data(token=token, application=application.pk, materials=files)
                return other.post(world.save_url, data).status_code

        return job

    for _run in range(3):
        ApplicationFile.objects.all().delete()
        results = run_together([save(i) for i in range(3)])
        assert ApplicationFile.objects.filter(application=application).count() <= 5, results
        assert sorted(results) == [302, 302, 400], results
