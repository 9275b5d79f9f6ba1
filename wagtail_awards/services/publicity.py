"""Publicity (公示) in the database: objections, cancellations and the final list.

Each function says what it writes; the period arithmetic is :mod:`wagtail_awards.rules.publicity`.
"""

import datetime as dt
import hashlib

from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils.translation import gettext as _
from wagtail.log_actions import log

from .. import throttle
from ..conf import awards_settings
from ..enums import ApplicationStatus, AwardStatus, CancelReason
from ..models import Award, Objection
from ..rules import subsidy, transitions
from ..rules.publicity import Countdown, cancel_refusal, objection_fingerprint
from .subsidy import rates_for_call


class PublicityError(Exception):
    """A publicity action refused; ``str()`` is a translated message for the user."""


class ObjectionLimited(PublicityError):
    """Too many objections from one address (in all, or against one project) in the window."""


def finalise_awards(*, call, now: dt.datetime, period: Countdown | None = None) -> int:
    """Make the proposed awards of ``call`` final once its publicity period has ended; return how many changed.

    Run by ``manage.py awards_finalise`` (cron), never by reading a page. Idempotent: only awards still proposed
    change, under a row lock, so two runs at once change each award once. Side effects: writes ``Award`` (status,
    subsidy, ``finalised_at``) and ``Application`` (status ``awarded``) rows and one log entry per award.
    """
    period = period or call.publicity_countdown(now=now)
    if period is None or not period.has_ended:
        return 0
    rates = rates_for_call(call=call)
    changed = 0
    with transaction.atomic():
        awards = (
            Award.objects.select_for_update(of=("self",))
            .select_related("application")
            .filter(application__call=call, status=AwardStatus.PROPOSED)
        )
        for award in awards:
            application = award.application
            transitions.check_move(current=application.status, target=ApplicationStatus.AWARDED)
            award.status = AwardStatus.FINAL
            award.finalised_at = now
            award.subsidy = subsidy.amount_for(
                prize_rank=award.prize_rank,
                most_popular=award.most_popular,
                federation_subsidised=award.federation_subsidised,
                cancelled=False,
                rates=rates,
            ).amount
            award.save(update_fields=["status", "finalised_at", "subsidy", "updated_at"])
            application.status = ApplicationStatus.AWARDED
            application.save(update_fields=["status", "updated_at"])
            log(instance=award, action="wagtail_awards.award_finalised")
            changed += 1
    return changed


def cancel_award(*, award, category: str, reason: str, user, now: dt.datetime) -> None:
    """Cancel a proposed award (虚假、错报、内容不实) with a reason.

    Raises :class:`PublicityError` unless the award is still proposed and its publicity period has not ended
    (:func:`~wagtail_awards.rules.publicity.cancel_refusal`). Side effects: writes the ``Award``
    (status, reason, who and when, subsidy 0) and its ``Application`` (status ``cancelled``, reason) and logs
    ``wagtail_awards.award_cancelled`` on the award.
    """
    with transaction.atomic():
        award = (
            Award.objects.select_for_update(of=("self",))
            .select_related("application", "application__call")
            .get(pk=award.pk)
        )
        application = award.application
        refusal = cancel_refusal(status=award.status, period=application.call.publicity_countdown(now=now))
        if refusal:
            raise PublicityError(refusal)
        try:
            transitions.check_move(current=application.status, target=ApplicationStatus.CANCELLED)
        except transitions.TransitionError as exc:
            raise PublicityError(_("This application cannot be cancelled in its present status.")) from exc
        label = CancelReason(category).label
        award.status = AwardStatus.CANCELLED
        award.cancel_category = category
        award.cancel_reason = reason
        award.cancelled_at = now
        award.cancelled_by = user
        award.subsidy = 0
        award.save()
        application.status = ApplicationStatus.CANCELLED
        application.status_reason = f"{label}: {reason}"
        application.save(update_fields=["status", "status_reason", "updated_at"])
        log(
            instance=award,
            action="wagtail_awards.award_cancelled",
            user=user,
            data={"category": category, "reason": reason},
        )
    return award


def _file_digest(file) -> str:
    digest = hashlib.sha256()
    for chunk in file.chunks():
        digest.update(chunk)
    file.seek(0)
    return digest.hexdigest()


def _objection_allowed(*, application, ip_hash: str, now) -> bool:
    """Counts one objection from ``ip_hash``: within both limits of ``WAGTAIL_AWARDS_OBJECTION_*``?"""

    window, at = awards_settings.OBJECTION_WINDOW, now.timestamp()
    per_address = throttle.allow("objection", ip_hash, limit=awards_settings.OBJECTION_IP_LIMIT, window=window, now=at)
    per_project = throttle.allow(
        "objection", f"{ip_hash}:{application.pk}", limit=awards_settings.OBJECTION_PROJECT_LIMIT, window=window, now=at
    )
    return per_address and per_project


def file_objection(*, application, call, name: str, contact: str, content: str, file=None, ip_hash: str = "", now):
    """Record an objection (异议) against ``application`` while ``call``'s publicity period is open.

    Returns the ``Objection``; its ``repeats`` is more than 1 when the same objection (same project, same address,
    same normalised text and evidence) had been filed before: then no new row is written, the stored one counts
    one more filing.

    Raises :class:`PublicityError` outside the period or when the project is not listed, and
    :class:`ObjectionLimited` past ``WAGTAIL_AWARDS_OBJECTION_IP_LIMIT`` objections from the address, or
    ``WAGTAIL_AWARDS_OBJECTION_PROJECT_LIMIT`` against this project, in ``WAGTAIL_AWARDS_OBJECTION_WINDOW``
    (counted in the shared cache, duplicates included). Side effects: writes or updates an ``Objection`` row (and
    its file in private storage) and logs ``wagtail_awards.objection_filed`` for a new one.
    """
    period = call.publicity_countdown(now=now)
    if period is None or not period.is_open:
        raise PublicityError(_("Objections can be filed only during the publicity period."))
    award = getattr(application, "award", None)
    if application.call_id != call.pk or award is None or award.status != AwardStatus.PROPOSED:
        raise PublicityError(_("This project is not in publicity."))
    if not _objection_allowed(application=application, ip_hash=ip_hash, now=now):
        raise ObjectionLimited(_("Too many objections from your network. Please try again tomorrow."))
    fingerprint = objection_fingerprint(text=content, file_digest=_file_digest(file) if file else "")
    same = Objection.objects.filter(application=application, ip_hash=ip_hash, fingerprint=fingerprint)
    if same.update(repeats=F("repeats") + 1):
        return same.get()
    objection = Objection(
        application=application, name=name, contact=contact, content=content, ip_hash=ip_hash, fingerprint=fingerprint
    )
    if file:
        objection.file_name = file.name[-255:]
        objection.file.save(file.name, file, save=False)
    try:
        with transaction.atomic():
            objection.save()
    except IntegrityError:
        # The same objection, filed at the same moment by a second request: count it on the stored one.
        if objection.file:
            objection.file.delete(save=False)
        same.update(repeats=F("repeats") + 1)
        return same.get()
    log(instance=objection, action="wagtail_awards.objection_filed")
    return objection
