"""Publicity (公示): the period of working days, its countdown, objections, cancellations and the final list.

The first half is pure (dates and numbers in, values out). The second half changes the database; each function
says what it writes.
"""

import datetime as dt
import hashlib
import unicodedata
from collections.abc import Mapping
from dataclasses import dataclass
from zoneinfo import ZoneInfo

from ..enums import PublicityState
from . import workdays as _workdays
from .schedule import TimeLeft, time_left

# Pure: the period and its countdown


@dataclass(frozen=True)
class Countdown:
    """Where a publicity period stands at one instant.

    ``ends`` is exclusive (the first instant after the period: midnight after ``last_day``, local time).
    ``working_days_left`` counts today when today is a working day inside the period.
    """

    state: PublicityState
    starts: dt.datetime
    ends: dt.datetime
    first_day: dt.date
    last_day: dt.date
    working_days: int
    working_days_left: int
    time_left: TimeLeft

    @property
    def is_open(self) -> bool:
        return self.state == PublicityState.OPEN

    @property
    def has_ended(self) -> bool:
        return self.state == PublicityState.ENDED


def publicity_state(*, now: dt.datetime, starts: dt.datetime, ends: dt.datetime) -> PublicityState:
    """Not started before ``starts``, open until ``ends`` (exclusive), ended from then on."""
    if now < starts:
        return PublicityState.NOT_STARTED
    if now < ends:
        return PublicityState.OPEN
    return PublicityState.ENDED


def countdown(
    *,
    now: dt.datetime,
    starts: dt.datetime,
    working_days: int,
    tz: ZoneInfo,
    calendar,
    exceptions: Mapping[dt.date, bool] | None = None,
) -> Countdown:
    """The countdown of a period of ``working_days`` starting at ``starts``, seen at ``now``.

    Day 1 is the start date when it is a working day, else the next working day; the period ends at the end of
    its last working day (local time in ``tz``). Before the start every working day is still ahead; after the end
    none is.
    """
    first_day = _workdays.nth_working_day(starts.astimezone(tz).date(), 1, calendar=calendar, exceptions=exceptions)
    ends = _workdays.period_end(starts, working_days, tz=tz, calendar=calendar, exceptions=exceptions)
    last_day = ends.date() - dt.timedelta(days=1)
    state = publicity_state(now=now, starts=starts, ends=ends)
    if state == PublicityState.NOT_STARTED:
        days_left = working_days
    elif state == PublicityState.ENDED:
        days_left = 0
    else:
        today = now.astimezone(tz).date()
        days_left = _workdays.working_days_between(today, last_day, calendar=calendar, exceptions=exceptions)
    return Countdown(
        state=state,
        starts=starts,
        ends=ends,
        first_day=first_day,
        last_day=last_day,
        working_days=working_days,
        working_days_left=days_left,
        time_left=time_left(now=now, deadline=ends if state == PublicityState.OPEN else now),
    )


def hash_address(*, address: str, secret: str) -> str:
    """A keyed hash of a client address, so objections can be told apart without storing the address."""
    return hashlib.sha256(f"{secret}:{address}".encode()).hexdigest()


def normalise_objection(text: str) -> str:
    """An objection's text as compared for duplicates: NFKC, case-folded, without any whitespace.

    Full-width and half-width forms, letter case and spacing or line breaks do not make a different objection.
    """
    folded = unicodedata.normalize("NFKC", text or "").casefold()
    return "".join(folded.split())


def objection_fingerprint(*, text: str, file_digest: str = "") -> str:
    """What makes two objections against one project from one address the same: the normalised text and the
    evidence file's SHA-256 (an objection with other evidence is another objection)."""
    return hashlib.sha256(f"{normalise_objection(text)}\x00{file_digest}".encode()).hexdigest()


# With the database


class PublicityError(Exception):
    """A publicity action refused; ``str()`` is a translated message for the user."""


class ObjectionLimited(PublicityError):
    """Too many objections from one address (in all, or against one project) in the window."""


def call_countdown(*, call, now: dt.datetime) -> Countdown | None:
    """The countdown of ``call``'s publicity period, or ``None`` when it has no start yet.

    Side effects: reads the ``CalendarException`` table once.
    """
    if not call.publicity_starts:
        return None
    from .. import workdays

    return countdown(
        now=now,
        starts=call.publicity_starts,
        working_days=call.publicity_working_days,
        tz=workdays.local_tz(),
        calendar=workdays._calendar(),
        exceptions=workdays.calendar_exceptions(),
    )


def finalise_awards(*, call, now: dt.datetime, period: Countdown | None = None) -> int:
    """Make the proposed awards of ``call`` final once its publicity period has ended; return how many changed.

    Idempotent: only awards still proposed change, under a row lock, so two readers finalising at once change
    each award once. Side effects: writes ``Award`` (status, subsidy, ``finalised_at``) and ``Application``
    (status ``awarded``) rows and one log entry per award.
    """
    from django.db import transaction
    from wagtail.log_actions import log

    from ..enums import ApplicationStatus, AwardStatus
    from ..models import Award
    from . import subsidy, transitions

    period = period or call_countdown(call=call, now=now)
    if period is None or not period.has_ended:
        return 0
    rates = subsidy.rates_for_call(call=call)
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

    Raises :class:`PublicityError` unless the award is still proposed. Side effects: writes the ``Award``
    (status, reason, who and when, subsidy 0) and its ``Application`` (status ``cancelled``, reason) and logs
    ``wagtail_awards.award_cancelled`` on the award.
    """
    from django.db import transaction
    from django.utils.translation import gettext as _
    from wagtail.log_actions import log

    from ..enums import ApplicationStatus, AwardStatus, CancelReason
    from ..models import Award
    from . import transitions

    with transaction.atomic():
        award = Award.objects.select_for_update(of=("self",)).select_related("application").get(pk=award.pk)
        if award.status != AwardStatus.PROPOSED:
            raise PublicityError(_("Only a proposed award can be cancelled."))
        application = award.application
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
    from ..conf import awards_settings
    from .voting import within_rate_limit

    window = awards_settings.OBJECTION_WINDOW
    per_address = within_rate_limit(
        key=f"objection:{ip_hash}", now=now, limit=awards_settings.OBJECTION_IP_LIMIT, window=window
    )
    per_project = within_rate_limit(
        key=f"objection:{ip_hash}:{application.pk}",
        now=now,
        limit=awards_settings.OBJECTION_PROJECT_LIMIT,
        window=window,
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
    from django.db import IntegrityError, transaction
    from django.db.models import F
    from django.utils.translation import gettext as _
    from wagtail.log_actions import log

    from ..enums import AwardStatus
    from ..models import Objection

    period = call_countdown(call=call, now=now)
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
