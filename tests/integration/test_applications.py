"""Drafts, submission, deadline, completeness, past awards, idempotency and visibility of applications."""

import uuid

import pytest
import time_machine
from django.core import mail
from django.urls import reverse

from tests.builders import BEFORE, DEADLINE, PDF, build_world, complete_data, summary_name, upload
from wagtail_awards.enums import ApplicationStatus
from wagtail_awards.models import Application, ApplicationFile, AwardsLogEntry, PastAward
from wagtail_awards.services import applications as rules

pytestmark = pytest.mark.django_db


@pytest.fixture
def world(site_root):
    return build_world(site_root, deadline=DEADLINE)


@pytest.fixture
def frozen():
    with time_machine.travel(BEFORE, tick=False) as traveller:
        yield traveller


def login(client, world, who="applicant"):
    client.force_login(world.users[who])
    return client


def test_form_page_shows_fixed_and_editor_fields(client, world, frozen):
    login(client, world)
    response = client.get(world.form_page.url)
    assert response.status_code == 200
    html = response.content.decode()
    for name in ("reviewing_unit", "responsible_department", "unit_name", "project_name", "theme", "materials"):
        assert f'name="{name}"' in html
    assert 'name="declaration"' in html
    assert f'name="{summary_name()}"' in html
    assert 'name="plan"' in html and 'accept=".pdf"' in html
    assert "暖心聚力" in html  # the call's themes
    assert "南京市第一中学工会" in html  # the unit name is filled in


def test_anonymous_is_sent_to_login(client, world, frozen):
    response = client.get(world.form_page.url)
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("wagtail_awards:login"))


def test_save_draft_then_edit_then_submit(client, world, frozen, django_capture_on_commit_callbacks):
    login(client, world)
    data = complete_data(materials=None, declaration=None, project_name="初稿")
    response = client.post(world.save_url, data)
    assert response.status_code == 302
    application = Application.objects.get()
    assert application.status == ApplicationStatus.DRAFT
    assert application.project_name == "初稿" and application.reference is None
    assert application.recommending_organization == world.orgs["nanjing"]
    assert application.answers[summary_name()] == "为教职工提供心理咨询。"

    # Come back and edit: upload the materials and tick the declaration.
    response = client.get(f"{world.form_page.url}?application={application.pk}")
    assert response.status_code == 200 and "初稿" in response.content.decode()
    data = complete_data(application=application.pk, project_name="教职工心理健康服务")
    response = client.post(world.save_url, data)
    assert response.status_code == 302
    application.refresh_from_db()
    assert application.project_name == "教职工心理健康服务"
    assert application.files.count() == 1
    assert Application.objects.count() == 1

    data = complete_data(application=application.pk, materials=None, action="submit")
    with django_capture_on_commit_callbacks(execute=True):  # the receipt goes once the submission is committed
        response = client.post(world.save_url, data)
    assert response.status_code == 302
    assert response["Location"] == reverse("wagtail_awards:application_submitted", args=[application.pk])
    application.refresh_from_db()
    assert application.status == ApplicationStatus.SUBMITTED
    assert application.reference == "2021-0001"
    assert application.submitted_at == BEFORE

    confirmation = client.get(response["Location"])
    assert "2021-0001" in confirmation.content.decode()
    assert len(mail.outbox) == 1 and "2021-0001" in mail.outbox[0].subject
    assert mail.outbox[0].to == ["a@example.com"]

    actions = list(AwardsLogEntry.objects.filter(object_id=str(application.pk)).values_list("action", flat=True))
    assert "wagtail_awards.submit" in actions and "wagtail_awards.save_draft" in actions


def test_submitted_application_is_locked(client, world, frozen):
    login(client, world)
    client.post(world.save_url, complete_data(action="submit"))
    application = Application.objects.get()
    assert application.status == ApplicationStatus.SUBMITTED
    response = client.post(world.save_url, complete_data(application=application.pk, project_name="改名"))
    application.refresh_from_db()
    assert application.project_name == "教职工心理健康服务"
    assert response.status_code == 302
    # The edit form is not offered any more.
    response = client.get(f"{world.form_page.url}?application={application.pk}")
    assert response.status_code == 302


def test_withdraw_before_deadline_then_edit_and_resubmit(client, world, frozen):
    login(client, world)
    client.post(world.save_url, complete_data(action="submit"))
    application = Application.objects.get()
    response = client.post(reverse("wagtail_awards:application_withdraw", args=[application.pk]), {"confirm": "1"})
    assert response.status_code == 302
    application.refresh_from_db()
    assert application.status == ApplicationStatus.WITHDRAWN
    client.post(world.save_url, complete_data(application=application.pk, materials=None, action="submit"))
    application.refresh_from_db()
    assert application.status == ApplicationStatus.SUBMITTED
    assert application.reference == "2021-0001"  # kept, not a new number
    actions = set(AwardsLogEntry.objects.filter(object_id=str(application.pk)).values_list("action", flat=True))
    assert {"wagtail_awards.withdraw", "wagtail_awards.reopen", "wagtail_awards.submit"} <= actions


def test_withdraw_refused_after_deadline(client, world):
    with time_machine.travel(BEFORE, tick=False):
        login(client, world)
        client.post(world.save_url, complete_data(action="submit"))
    application = Application.objects.get()
    with time_machine.travel(DEADLINE.timestamp() + 1, tick=False):
        response = client.post(
            reverse("wagtail_awards:application_withdraw", args=[application.pk]), {"confirm": "1"}, follow=True
        )
    application.refresh_from_db()
    assert application.status == ApplicationStatus.SUBMITTED
    assert "截止" in response.content.decode()


@pytest.mark.parametrize(
    ("instant", "accepted"),
    [
        (DEADLINE.timestamp() - 1, True),
        (DEADLINE.timestamp(), True),
        (DEADLINE.timestamp() + 0.5, False),
        (DEADLINE.timestamp() + 1, False),
    ],
)
def test_deadline_boundary(client, world, instant, accepted):
    """The deadline is the last accepted instant, Asia/Shanghai; one second (even half a second) late is late."""
    login(client, world)
    with time_machine.travel(instant, tick=False):
        response = client.post(world.save_url, complete_data(action="submit"))
    if accepted:
        assert response.status_code == 302
        assert Application.objects.get().status == ApplicationStatus.SUBMITTED
    else:
        assert response.status_code == 400
        assert not Application.objects.exists()
        assert not ApplicationFile.objects.exists()
        assert "申报截止时间已过" in response.content.decode()


def test_draft_saved_before_deadline_cannot_be_submitted_after(client, world):
    login(client, world)
    with time_machine.travel(BEFORE, tick=False):
        client.post(world.save_url, complete_data())
    application = Application.objects.get()
    with time_machine.travel(DEADLINE.timestamp() + 1, tick=False):
        response = client.post(world.save_url, complete_data(application=application.pk, action="submit"))
        page = client.get(world.form_page.url)
    assert response.status_code == 400
    application.refresh_from_db()
    assert application.status == ApplicationStatus.DRAFT and application.reference is None
    assert application.files.count() == 1  # the second upload was not stored
    assert "申报截止时间已过" in page.content.decode()


@pytest.mark.parametrize(
    "missing",
    ["reviewing_unit", "responsible_department", "project_name", "theme", "summary", "declaration"],
)
def test_incomplete_application_cannot_be_submitted(client, world, frozen, missing):
    login(client, world)
    key = summary_name() if missing == "summary" else missing
    data = complete_data(action="submit", **{key: None})
    response = client.post(world.save_url, data)
    assert response.status_code == 400
    application = Application.objects.get()  # the draft is kept: nothing is lost
    assert application.status == ApplicationStatus.DRAFT and application.reference is None
    html = response.content.decode()
    assert "申报材料不完整" in html
    # A box to tick says so (勾选); a field to fill says that.
    assert ("提交前必须勾选" if missing == "declaration" else "提交前必须填写") in html
    assert not mail.outbox


def test_the_unit_name_comes_from_the_unit_not_from_what_is_typed(client, world, frozen):
    login(client, world)
    response = client.post(world.save_url, complete_data(action="submit", unit_name="南京市某某名校工会"))
    assert response.status_code == 302
    application = Application.objects.get()
    assert application.status == ApplicationStatus.SUBMITTED
    assert application.unit_name == application.organization.name != "南京市某某名校工会"


def test_materials_are_required_to_submit(client, world, frozen):
    login(client, world)
    response = client.post(world.save_url, complete_data(action="submit", materials=None))
    assert response.status_code == 400
    assert Application.objects.get().status == ApplicationStatus.DRAFT


def test_past_award_cannot_apply(client, world, frozen):
    PastAward.objects.create(
        year=2019, project_name="教职工 心理健康服务！", unit_name="南京市第一中学 工会", prize="一等奖"
    )
    login(client, world)
    response = client.post(world.save_url, complete_data(action="submit"))
    assert response.status_code == 400
    assert "已于2019年获奖，不能再次申报" in response.content.decode()
    assert Application.objects.get().status == ApplicationStatus.DRAFT


def test_past_award_of_another_unit_does_not_block_but_is_flagged(client, world, frozen):
    PastAward.objects.create(year=2019, project_name="教职工心理健康服务", unit_name="苏州中学工会")
    login(client, world)
    client.post(world.save_url, complete_data(action="submit"))
    application = Application.objects.get()
    assert application.status == ApplicationStatus.SUBMITTED
    assert [m["unit_name"] for m in application.past_award_matches] == ["苏州中学工会"]


def test_replayed_new_submission_creates_one_application(client, world, frozen, django_capture_on_commit_callbacks):
    """A double-click or a replayed POST of the same form (same token) never creates two applications."""
    login(client, world)
    data = complete_data(action="submit")
    with django_capture_on_commit_callbacks(execute=True):
        first = client.post(world.save_url, data)
        second = client.post(world.save_url, complete_data(action="submit"))
    assert first.status_code == second.status_code == 302
    assert first["Location"] == second["Location"]
    assert Application.objects.count() == 1
    assert Application.objects.get().reference == "2021-0001"
    assert ApplicationFile.objects.count() == 1
    assert len(mail.outbox) == 1


def test_replayed_draft_save_updates_the_same_draft(client, world, frozen):
    login(client, world)
    client.post(world.save_url, complete_data(materials=None))
    client.post(world.save_url, complete_data(materials=None, project_name="第二次"))
    assert Application.objects.count() == 1
    assert Application.objects.get().project_name == "第二次"


def test_a_new_form_is_a_new_application(client, world, frozen):
    login(client, world)
    client.post(world.save_url, complete_data(action="submit"))
    client.post(world.save_url, complete_data(action="submit", token=str(uuid.uuid4()), project_name="另一个项目"))
    assert sorted(Application.objects.values_list("reference", flat=True)) == ["2021-0001", "2021-0002"]


def test_replayed_submit_of_existing_draft_is_harmless(client, world, frozen, django_capture_on_commit_callbacks):
    login(client, world)
    client.post(world.save_url, complete_data())
    application = Application.objects.get()
    data = complete_data(application=application.pk, materials=None, action="submit")
    with django_capture_on_commit_callbacks(execute=True):
        client.post(world.save_url, data)
        response = client.post(
            world.save_url, complete_data(application=application.pk, materials=None, action="submit")
        )
    assert response.status_code == 302
    application.refresh_from_db()
    assert application.reference == "2021-0001"
    assert len(mail.outbox) == 1


def test_remove_a_file_from_a_draft(client, world, frozen, django_capture_on_commit_callbacks):
    login(client, world)
    client.post(world.save_url, complete_data(materials=[upload("a.pdf", PDF), upload("b.pdf", PDF)]))
    application = Application.objects.get()
    first, second = application.files.order_by("original_name")
    path = first.file.path
    with django_capture_on_commit_callbacks(execute=True):
        client.post(world.save_url, complete_data(application=application.pk, materials=None, remove_files=[first.pk]))
    assert list(application.files.values_list("original_name", flat=True)) == ["b.pdf"]
    import os

    assert not os.path.exists(path)


def test_other_units_files_cannot_be_removed(client, world, frozen):
    login(client, world, "applicant_nj2")
    client.post(world.save_url, complete_data(unit_name="南京市金陵中学工会"))
    theirs = ApplicationFile.objects.get()
    client.logout()
    login(client, world, "applicant")
    client.post(world.save_url, complete_data(token=str(uuid.uuid4()), materials=None, remove_files=[theirs.pk]))
    assert ApplicationFile.objects.filter(pk=theirs.pk).exists()


def test_too_many_files_refused(client, world, frozen):
    login(client, world)
    response = client.post(world.save_url, complete_data(materials=[upload(f"{i}.pdf", PDF) for i in range(4)]))
    assert response.status_code == 400
    assert "最多" in response.content.decode()
    assert not ApplicationFile.objects.exists()


# Visibility


def test_another_units_application_is_invisible(client, world, frozen):
    login(client, world, "applicant_nj2")
    client.post(world.save_url, complete_data(unit_name="南京市金陵中学工会", action="submit"))
    application = Application.objects.get()
    client.logout()
    login(client, world, "applicant")
    assert client.get(reverse("wagtail_awards:application_detail", args=[application.pk])).status_code == 404
    assert client.get(f"{world.form_page.url}?application={application.pk}").status_code == 404
    listing = client.get(reverse("wagtail_awards:my_applications")).content.decode()
    assert "2021-0001" not in listing
    response = client.post(world.save_url, complete_data(application=application.pk, project_name="偷改"))
    assert response.status_code == 404
    assert client.post(reverse("wagtail_awards:application_withdraw", args=[application.pk])).status_code == 404
    application.refresh_from_db()
    assert application.project_name == "教职工心理健康服务" and application.status == ApplicationStatus.SUBMITTED


def test_colleague_of_the_same_unit_sees_and_edits_the_draft(client, world, frozen):
    login(client, world)
    client.post(world.save_url, complete_data())
    application = Application.objects.get()
    client.logout()
    login(client, world, "colleague")
    assert client.get(reverse("wagtail_awards:application_detail", args=[application.pk])).status_code == 200
    assert "教职工心理健康服务" in client.get(reverse("wagtail_awards:my_applications")).content.decode()


def test_my_applications_lists_status_and_reference(client, world, frozen):
    login(client, world)
    client.post(world.save_url, complete_data(action="submit"))
    client.post(world.save_url, complete_data(token=str(uuid.uuid4()), project_name="草稿项目", materials=None))
    html = client.get(reverse("wagtail_awards:my_applications")).content.decode()
    assert "2021-0001" in html and "已申报" in html
    assert "草稿项目" in html and "草稿" in html


def test_user_without_unit_cannot_apply(client, world, frozen):
    login(client, world, "nobody")
    page = client.get(world.form_page.url)
    assert page.status_code == 200 and reverse("wagtail_awards:choose_unit") in page.content.decode()
    response = client.post(world.save_url, complete_data())
    assert response.status_code == 403
    assert not Application.objects.exists()


def test_call_page_links_to_the_form_while_open(client, world):
    with time_machine.travel(BEFORE, tick=False):
        html = client.get(world.call.url).content.decode()
    assert world.form_page.url in html
    with time_machine.travel(DEADLINE.timestamp() + 1, tick=False):
        html = client.get(world.call.url).content.decode()
    assert f'href="{world.form_page.url}"' not in html


def test_receipt_and_submit_rules_directly(world, frozen):
    """``submit`` refuses a draft of the wrong state and numbers per call."""
    application = rules.save_draft(
        call=world.call,
        user=world.users["applicant"],
        organization=world.orgs["nj1"],
        data=rules.DraftData(fixed={"project_name": "X"}),
        token=uuid.uuid4(),
    )
    with pytest.raises(rules.ApplicationRefused) as exc:
        rules.submit(application=application, user=world.users["applicant"], required={"theme": "主题"})
    assert exc.value.code == "incomplete" and exc.value.fields == ["theme"]
