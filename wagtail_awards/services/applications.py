"""Applications in the database: past awards, drafts with their files, submission, withdrawal and receipts.

The rules these apply are :mod:`wagtail_awards.rules.applications`; every refusal raises its
:class:`~wagtail_awards.rules.applications.ApplicationRefused` with a translated message for the applicant.
"""

import logging
import uuid
from collections.abc import Mapping

from django.core.mail import send_mail
from django.db import IntegrityError, transaction
from django.db.models import Count, Sum
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.translation import gettext as _
from wagtail.log_actions import log
from wagtail.models import Page

from ..conf import awards_settings
from ..enums import ApplicationStatus
from ..models import Application, ApplicationFile, Organization, PastAward
from ..rules.applications import (
    DECLARATION_FIELD,
    FIXED_TEXT_FIELDS,
    ApplicationRefused,
    DraftData,
    NewFile,
    check_file_counts,
    check_open_drafts,
    check_storage_quota,
    check_window,
    is_locked,
    list_separator,
    missing_items,
    next_reference,
)
from ..rules.past_awards import EarlierAward, match_earlier_awards
from .transitions import move

logger = logging.getLogger(__name__)


def earlier_awards(*, before_year: int):
    """Every award before ``before_year``: the site's own (awarded applications) and imported ones. A programme
    awards some dozens of projects a year, so all are read (two queries) and matched in Python."""

    site_awards = Application.objects.filter(
        call__year__lt=before_year, status=ApplicationStatus.AWARDED
    ).select_related("call", "organization")
    found = [
        EarlierAward("award", a.pk, a.call.year, a.project_name, a.organization.name, a.organization_id)
        for a in site_awards
    ]
    imported = PastAward.objects.filter(year__lt=before_year)
    found += [EarlierAward("import", p.pk, p.year, p.project_name, p.unit_name, p.organization_id) for p in imported]
    return found


def check_not_awarded_before(*, application) -> None:
    """Refuse a project already awarded in an earlier year (往年已获奖项目不再参评); keep near matches on the
    application for a province administrator to decide (``past_award_matches``), unless one has cleared it."""

    organization = application.organization
    same, near = match_earlier_awards(
        project_name=application.project_name,
        organization_id=organization.pk,
        unit_name=organization.name,
        earlier=earlier_awards(before_year=application.call.year),
    )
    if same is not None:
        raise ApplicationRefused(
            _("“%(project)s” was already awarded in %(year)s and cannot apply again.")
            % {"project": same.project_name, "year": same.year},
            code="past_award",
        )
    if application.past_award_cleared_at is None:
        application.past_award_matches = [award.as_dict() for award in near]


def decide_past_award(*, application, same: bool, by, reason: str = "", now=None):
    """A province administrator's decision on an application flagged as near an earlier award: the same project
    (it becomes ineligible, with ``reason``) or another one (cleared: no longer flagged).

    Side effects: saves the application; logs ``past_award_cleared`` or the move to ``ineligible``.
    """
    with transaction.atomic():
        application = Application.objects.select_for_update().get(pk=application.pk)
        if same:
            move(
                application=application,
                target=ApplicationStatus.INELIGIBLE,
                user=by,
                reason=reason or _("The same project as an earlier award: earlier winners may not apply again."),
            )
        else:
            application.past_award_cleared_at, application.past_award_cleared_by = now or timezone.now(), by
            application.save(update_fields=["past_award_cleared_at", "past_award_cleared_by", "updated_at"])
            log(
                instance=application,
                action="wagtail_awards.past_award_cleared",
                user=by,
                data={"matches": application.past_award_matches, "reason": reason},
            )
    return application


def _call_window(call, now):
    check_window(now=now, opens=call.applications_open_at, deadline=call.application_deadline)


def save_draft(*, call, user, organization, data: DraftData, application=None, token=None, now=None):
    """Create (or update) the draft of ``user``'s unit ``organization`` in ``call``; return it.

    A new draft is keyed by ``token`` (a UUID from the form): replaying the same POST updates the application
    it created instead of creating a second one. A withdrawn application edited again goes back to draft.
    Side effects: writes ``Application`` and ``ApplicationFile`` rows, stores new files, deletes removed ones
    after commit, logs ``wagtail_awards.save_draft``. Refuses after the deadline, on a locked application, for a
    new draft past ``WAGTAIL_AWARDS_MAX_OPEN_DRAFTS``, for more files than a field holds (counted under the
    application's row lock) and past the unit's ``WAGTAIL_AWARDS_UNIT_STORAGE_QUOTA``; then nothing is saved.
    """

    now = now or timezone.now()
    _call_window(call, now)
    with transaction.atomic():
        if application is None or data.new_files:
            # A unit's new drafts and new files take turns (the unit's row, then the application's, always in this
            # order): its open drafts and its storage are counted with nobody adding to them meanwhile.
            Organization.objects.select_for_update().filter(pk=organization.pk).first()
        if application is None:
            application = _application_for_token(call=call, user=user, organization=organization, token=token)
        else:
            application = Application.objects.select_for_update().get(pk=application.pk)
        if application.organization_id != organization.pk or application.call_id != call.pk:
            raise ApplicationRefused(_("You cannot change this application."), code="forbidden")
        if is_locked(status=application.status):
            raise ApplicationRefused(
                _("This application has been submitted and is locked."), code="locked", application=application
            )
        for name in FIXED_TEXT_FIELDS:
            if name in data.fixed and name != "unit_name":
                setattr(application, name, (data.fixed[name] or "").strip())
        # The unit's name is its organisation's, never typed: past awards and lists meet on the organisation.
        application.unit_name = organization.name
        application.answers = {**application.answers, **data.answers}
        application.declaration = bool(data.declaration)
        application.save()
        if application.status == ApplicationStatus.WITHDRAWN:
            move(application=application, target=ApplicationStatus.DRAFT, user=user, action="wagtail_awards.reopen")
        removed = list(application.files.filter(pk__in=data.remove_file_ids))
        for old in removed:
            storage, name = old.file.storage, old.file.name
            old.delete()
            # The stored file goes only once the row is gone for good.
            transaction.on_commit(lambda storage=storage, name=name: storage.delete(name))
        if data.new_files:
            _check_room(application=application, data=data)
        for new in data.new_files:
            _store_file(application=application, new=new, user=user)

        log(instance=application, action="wagtail_awards.save_draft", user=user)
    return application


def _check_room(*, application, data: DraftData):
    """Under the row locks: the fields' file counts and the unit's storage quota with the new files."""
    adding = {}
    for new in data.new_files:
        adding[new.field_name] = adding.get(new.field_name, 0) + 1
    check_file_counts(existing=file_counts(application=application), adding=adding, limits=data.max_files)
    used = ApplicationFile.objects.filter(application__organization_id=application.organization_id).aggregate(
        total=Sum("size")
    )["total"]
    check_storage_quota(
        used=used or 0,
        adding=sum(new.checked.size for new in data.new_files),
        quota=int(awards_settings.UNIT_STORAGE_QUOTA or 0),
    )


def _application_for_token(*, call, user, organization, token):

    token = _as_uuid(token)
    if token is not None:
        existing = Application.objects.select_for_update().filter(submission_token=token).first()
        if existing is not None:
            return existing
    check_open_drafts(
        open_drafts=Application.objects.filter(
            call=call, organization=organization, status=ApplicationStatus.DRAFT
        ).count(),
        limit=int(awards_settings.MAX_OPEN_DRAFTS or 0),
    )
    fields = dict(
        call=call,
        applicant=user,
        organization=organization,
        recommending_organization=organization.recommending_organization,
        unit_name=organization.name,
        submission_token=token,
    )
    try:
        with transaction.atomic():
            return Application.objects.create(**fields)
    except IntegrityError:
        # The same form posted twice at once: the other request created it; use that one.
        return Application.objects.select_for_update().get(submission_token=token)


def _as_uuid(value):
    if not value:
        return None
    try:
        return uuid.UUID(str(value))
    except ValueError:
        return None


def _store_file(*, application, new: NewFile, user):

    checked = new.checked
    stored = ApplicationFile(
        application=application,
        field_name=new.field_name,
        original_name=checked.name,
        content_type=checked.content_type,
        size=checked.size,
        sha256=checked.sha256,
        uploaded_by=user,
    )
    new.upload.seek(0)
    stored.file.save(checked.name, new.upload, save=False)
    stored.save()
    return stored


def file_counts(*, application) -> dict[str, int]:

    return dict(application.files.values_list("field_name").annotate(n=Count("pk")).values_list("field_name", "n"))


def submit(*, application, user, required: Mapping[str, str], now=None):
    """Submit a draft ("在线申报"): check it, give it the next reference number of its call and lock it.

    ``required`` maps the names of required fields to their labels. Submitting an application that is already
    submitted returns it unchanged (a replayed POST is harmless). Side effects: locks the call's page row while
    numbering (references are unique and sequential per call under concurrency), saves the application, logs
    ``wagtail_awards.submit``. Refuses after the deadline, when incomplete, and for a past award.
    """
    now = now or timezone.now()
    with transaction.atomic():
        application = (
            Application.objects.select_for_update().select_related("call", "organization").get(pk=application.pk)
        )
        if application.status == ApplicationStatus.SUBMITTED:
            return application
        if application.status != ApplicationStatus.DRAFT:
            raise ApplicationRefused(_("This application cannot be submitted in its present state."), code="state")
        call = application.call
        _call_window(call, now)
        values = {name: getattr(application, name) for name in FIXED_TEXT_FIELDS}
        values.update(application.answers)
        values[DECLARATION_FIELD] = application.declaration
        missing = missing_items(required=required, values=values, file_counts=file_counts(application=application))
        if missing:
            raise ApplicationRefused(
                _("The application is incomplete: %(fields)s.")
                % {"fields": list_separator().join(str(required[n]) for n in missing)},
                code="incomplete",
                fields=missing,
            )
        check_not_awarded_before(application=application)
        application.save(update_fields=["past_award_matches"])
        if not application.reference:
            # One numbering at a time per call: the call's page row is the lock.
            Page.objects.select_for_update().filter(pk=call.pk).first()
            existing = Application.objects.filter(call=call, reference__startswith=f"{call.year}-").values_list(
                "reference", flat=True
            )
            application.reference = next_reference(year=call.year, existing=existing)
        application.submitted_at = now
        application.save(update_fields=["reference", "submitted_at", "updated_at"])
        move(application=application, target=ApplicationStatus.SUBMITTED, user=user, action="wagtail_awards.submit")
    return application


def withdraw(*, application, user, now=None):
    """Withdraw a submitted application before the deadline; it keeps its reference number.

    Side effects: saves the status, logs ``wagtail_awards.withdraw``.
    """

    now = now or timezone.now()
    with transaction.atomic():
        application = Application.objects.select_for_update().select_related("call").get(pk=application.pk)
        if application.status == ApplicationStatus.WITHDRAWN:
            return application
        if now > application.call.application_deadline:
            raise ApplicationRefused(
                _("The application deadline has passed; the application can no longer be withdrawn."), code="closed"
            )
        if application.status != ApplicationStatus.SUBMITTED:
            raise ApplicationRefused(_("Only a submitted application can be withdrawn."), code="state")
        move(application=application, target=ApplicationStatus.WITHDRAWN, user=user, action="wagtail_awards.withdraw")
    return application


def send_receipt(*, application, request=None, base_url: str = "") -> bool:
    """E-mail the applicant a receipt with the reference number. Returns whether a message was sent.

    ``base_url`` (or ``request``) gives the site's address for the link to the application. Side effects: sends one
    e-mail through Django's configured backend (nothing when the user has no address); a failure raises.
    """
    email = getattr(application.applicant, "email", "")
    if not email:
        return False
    if request is not None and not base_url:
        base_url = f"{request.scheme}://{request.get_host()}"
    context = {"application": application, "base_url": base_url}
    subject = render_to_string("wagtail_awards/applications/receipt_subject.txt", context).strip()
    body = render_to_string("wagtail_awards/applications/receipt_body.txt", context)
    send_mail(subject, body, awards_settings.RECEIPT_FROM, [email])
    return True


def queue_receipt(*, application, base_url: str = "") -> None:
    """Mark the receipt of a newly submitted application as due and send it once the transaction commits.

    Call inside the submission's transaction. The e-mail never fails the submission: it is sent after commit, and a
    failure is logged and recorded on the application for :func:`send_due_receipts` to try again.
    """

    Application.objects.filter(pk=application.pk).update(receipt_due=True, receipt_error="")
    transaction.on_commit(lambda: deliver_receipt(application_id=application.pk, base_url=base_url), robust=True)


def deliver_receipt(*, application_id: int, base_url: str = "") -> bool:
    """Send the due receipt of one application; return whether it is now done (sent, or nothing to send).

    The application's row is locked while sending and a row another process is sending is skipped, so a receipt is
    sent once even when the command runs while the submission's own sending is under way. Never raises for a mail
    failure: logs it, counts the attempt and keeps the receipt due.
    """
    with transaction.atomic():
        application = (
            Application.objects.select_for_update(skip_locked=True)
            .select_related("applicant", "call", "organization")
            .filter(pk=application_id, receipt_due=True)
            .first()
        )
        if application is None:
            return False
        application.receipt_attempts += 1
        try:
            sent = send_receipt(application=application, base_url=base_url)
        except Exception as exc:  # noqa: BLE001 - any backend error (SMTP, network, configuration) is recorded
            logger.exception("The receipt of application %s was not sent", application.pk)
            application.receipt_error = f"{type(exc).__name__}: {exc}"[:255]
            application.save(update_fields=["receipt_attempts", "receipt_error"])
            return False
        application.receipt_due = False
        application.receipt_error = ""
        application.receipt_sent_at = timezone.now() if sent else None
        application.save(update_fields=["receipt_due", "receipt_error", "receipt_sent_at", "receipt_attempts"])
        return True


def send_due_receipts(*, base_url: str = "", max_attempts: int | None = None) -> tuple[int, int]:
    """Try every due receipt once more (oldest submission first); return ``(done, still due)``. Idempotent."""

    due = Application.objects.filter(receipt_due=True)
    if max_attempts is not None:
        due = due.filter(receipt_attempts__lt=max_attempts)
    done = failed = 0
    for application_id in due.order_by("submitted_at", "pk").values_list("pk", flat=True):
        if deliver_receipt(application_id=application_id, base_url=base_url):
            done += 1
        else:
            failed += 1
    return done, failed
