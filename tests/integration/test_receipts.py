"""Receipt e-mails go after the submission commits and can never fail it; those not sent are sent by a command."""

import logging
import smtplib

import pytest
import time_machine
from django.core import mail
from django.core.mail.backends.base import BaseEmailBackend
from django.core.management import call_command
from django.test import override_settings
from django.urls import reverse

from tests.builders import BEFORE, DEADLINE, build_world, complete_data
from wagtail_awards.enums import ApplicationStatus
from wagtail_awards.models import Application

pytestmark = pytest.mark.django_db
FAILING = f"{__name__}.FailingBackend"


class FailingBackend(BaseEmailBackend):
    """A mail server that is down."""

    def send_messages(self, email_messages):
        raise smtplib.SMTPServerDisconnected("Connection unexpectedly closed")


@pytest.fixture
def world(site_root):
    return build_world(site_root, deadline=DEADLINE)


@pytest.fixture
def applicant(client, world):
    client.force_login(world.users["applicant"])
    return client


def submit(client, world, capture, **data):
    with time_machine.travel(BEFORE, tick=False), capture(execute=True):
        return client.post(world.save_url, complete_data(action="submit", **data))


def test_receipt_is_sent_only_after_the_submission_commits(applicant, world, django_capture_on_commit_callbacks):
    with time_machine.travel(BEFORE, tick=False), django_capture_on_commit_callbacks() as callbacks:
        response = applicant.post(world.save_url, complete_data(action="submit"))
        assert response.status_code == 302
        assert mail.outbox == []  # nothing left before the transaction committed
    assert len(callbacks) == 1
    callbacks[0]()
    assert len(mail.outbox) == 1 and "2021-0001" in mail.outbox[0].subject
    assert f"/awards/applications/{Application.objects.get().pk}/" in mail.outbox[0].body
    application = Application.objects.get()
    assert not application.receipt_due and application.receipt_sent_at and application.receipt_attempts == 1


@override_settings(EMAIL_BACKEND=FAILING)
def test_a_failing_mail_server_still_confirms_the_submission(
    applicant, world, django_capture_on_commit_callbacks, caplog
):
    with caplog.at_level(logging.ERROR, logger="wagtail_awards"):
        response = submit(applicant, world, django_capture_on_commit_callbacks)
    assert response.status_code == 302
    application = Application.objects.get()
    assert response["Location"] == reverse("wagtail_awards:application_submitted", args=[application.pk])
    assert application.status == ApplicationStatus.SUBMITTED and application.reference == "2021-0001"
    # Logged and recorded for the command to try again.
    assert application.receipt_due and application.receipt_attempts == 1
    assert "SMTPServerDisconnected" in application.receipt_error
    assert any("was not sent" in record.getMessage() for record in caplog.records)
    confirmation = applicant.get(response["Location"])
    assert confirmation.status_code == 200
    html = confirmation.content.decode()
    assert "2021-0001" in html and "回执邮件暂未发出" in html


def test_the_command_sends_due_receipts_once(applicant, world, django_capture_on_commit_callbacks):
    with override_settings(EMAIL_BACKEND=FAILING):
        submit(applicant, world, django_capture_on_commit_callbacks)
        call_command("awards_send_receipts", stdout=None)  # still down: still due, tried twice
    application = Application.objects.get()
    assert application.receipt_due and application.receipt_attempts == 2 and mail.outbox == []

    call_command("awards_send_receipts")
    assert len(mail.outbox) == 1 and mail.outbox[0].to == ["a@example.com"]
    assert "2021-0001" in mail.outbox[0].subject and "http://127.0.0.1:8000/awards/applications/" in mail.outbox[0].body
    application.refresh_from_db()
    assert not application.receipt_due and application.receipt_sent_at and application.receipt_error == ""
    call_command("awards_send_receipts")
    call_command("awards_send_receipts")
    assert len(mail.outbox) == 1  # never twice


def test_the_command_can_leave_out_receipts_tried_too_often(applicant, world, django_capture_on_commit_callbacks):
    with override_settings(EMAIL_BACKEND=FAILING):
        submit(applicant, world, django_capture_on_commit_callbacks)
    call_command("awards_send_receipts", "--max-attempts", "1")
    assert mail.outbox == [] and Application.objects.get().receipt_due


def test_a_refused_submission_queues_no_receipt(applicant, world, django_capture_on_commit_callbacks):
    response = submit(applicant, world, django_capture_on_commit_callbacks, project_name=None)
    assert response.status_code == 400
    application = Application.objects.get()
    assert application.status == ApplicationStatus.DRAFT and not application.receipt_due and mail.outbox == []
