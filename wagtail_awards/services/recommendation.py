"""Preliminary review and recommendation (初审推荐) within quotas, in the database (the rules are
:mod:`wagtail_awards.rules.recommendation`).

The quota is held under concurrent requests by locking the organisation's ``RecommendationList`` row
(``select_for_update`` inside ``transaction.atomic``): every decision on one organisation's list is serialised.
"""

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from wagtail.log_actions import log

from ..enums import ApplicationStatus, RecommendationDecision
from ..models import Application, Recommendation, RecommendationList
from ..rules import transitions
from ..rules.recommendation import (
    DECIDABLE,
    QuotaStatus,
    quota_allows,
    recommendation_open,
)
from ..rules.recommendation import VISIBLE_TO_RECOMMENDERS as VISIBLE_TO_RECOMMENDERS  # for the screens' lists


class RecommendationError(Exception):
    """A refused recommendation step; ``str(error)`` is a translated message for the user."""


class UnderMinimum(RecommendationError):
    """Submitting fewer than the minimum needs the recommender's confirmation."""


def quota_limits(*, call, organization) -> tuple[int, int]:
    """``(min, max)`` for ``organization``'s kind in ``call``; ``(0, 0)`` when the call sets no quota for it."""
    quota = call.quota_for(organization.kind)
    return (quota.min_count, quota.max_count) if quota else (0, 0)


def get_list(*, call, organization):
    """The organisation's recommendation list for the call, created when missing (safe under concurrency)."""

    rec_list, _created = RecommendationList.objects.get_or_create(call=call, organization=organization)
    return rec_list


def quota_status(*, rec_list, call=None, organization=None) -> QuotaStatus:

    call = call or rec_list.call
    organization = organization or rec_list.organization
    low, high = quota_limits(call=call, organization=organization)
    used = Recommendation.objects.filter(
        recommendation_list=rec_list, decision=RecommendationDecision.RECOMMEND
    ).count()
    return QuotaStatus(used=used, min_count=low, max_count=high)


def decide(*, user, application, decision: str, comment: str = "", order: int | None = None, now=None):
    """Record ``user``'s decision on ``application`` for its recommending organisation.

    Raises :class:`RecommendationError` when the list is submitted, the window is closed, the application is
    not open to a decision, or recommending would go over the quota. Side effects: locks the organisation's
    ``RecommendationList`` row for the transaction, creates or updates the ``Recommendation``, moves the
    application to ``recommended`` / ``not_recommended`` and writes a log entry. Returns the recommendation.
    """

    now = now or timezone.now()
    call = application.call
    organization = application.recommending_organization
    if organization is None:
        raise RecommendationError(_("This application has no recommending organisation."))
    if not recommendation_open(
        now=now, application_deadline=call.application_deadline, deadline=call.recommendation_deadline
    ):
        raise RecommendationError(_("Recommendations are not open for this call."))
    rec_list = get_list(call=call, organization=organization)
    with transaction.atomic():
        rec_list = RecommendationList.objects.select_for_update().get(pk=rec_list.pk)
        if rec_list.is_locked:
            raise RecommendationError(_("The list has been submitted and is locked."))
        application = Application.objects.select_for_update().get(pk=application.pk)
        if application.status not in DECIDABLE:
            raise RecommendationError(_("This application cannot be decided on in its present status."))
        existing = Recommendation.objects.filter(application=application).first()
        if decision == RecommendationDecision.RECOMMEND and not (
            existing and existing.decision == RecommendationDecision.RECOMMEND
        ):
            low, high = quota_limits(call=call, organization=organization)
            used = Recommendation.objects.filter(
                recommendation_list=rec_list, decision=RecommendationDecision.RECOMMEND
            ).count()
            if not quota_allows(used=used, max_count=high):
                raise RecommendationError(
                    _("The quota is full: at most %(max)d projects may be recommended.") % {"max": high}
                )
        if decision == RecommendationDecision.RECOMMEND and order is None:
            order = (existing.order if existing and existing.order else None) or (
                Recommendation.objects.filter(
                    recommendation_list=rec_list, decision=RecommendationDecision.RECOMMEND
                ).count()
                + 1
            )
        recommendation = existing or Recommendation(application=application)
        recommendation.recommendation_list = rec_list
        recommendation.decision = decision
        recommendation.comment = comment
        recommendation.order = order if decision == RecommendationDecision.RECOMMEND else None
        recommendation.decided_by = user
        recommendation.save()
        target = (
            ApplicationStatus.RECOMMENDED
            if decision == RecommendationDecision.RECOMMEND
            else ApplicationStatus.NOT_RECOMMENDED
        )
        if application.status != target:
            transitions.check_move(current=application.status, target=target)
            application.status = target
            application.save(update_fields=["status", "updated_at"])
        log(
            application,
            "wagtail_awards.recommend",
            user=user,
            data={"decision": decision, "order": recommendation.order, "comment": comment},
        )
    return recommendation


def submit(*, user, rec_list, confirm_under_minimum: bool = False, now=None):
    """Submit the list once; it is locked afterwards.

    Raises :class:`UnderMinimum` when fewer than the minimum are recommended and ``confirm_under_minimum`` is
    false, :class:`RecommendationError` when it is already submitted or over the maximum. Side effects: sets
    ``submitted_at``/``submitted_by`` on the locked row and writes a log entry.
    """

    now = now or timezone.now()
    with transaction.atomic():
        rec_list = (
            RecommendationList.objects.select_for_update().select_related("call", "organization").get(pk=rec_list.pk)
        )
        if rec_list.is_locked:
            raise RecommendationError(_("The list has already been submitted."))
        status = quota_status(rec_list=rec_list)
        if status.used > status.max_count:
            raise RecommendationError(
                _("The quota is full: at most %(max)d projects may be recommended.") % {"max": status.max_count}
            )
        if status.under_minimum and not confirm_under_minimum:
            raise UnderMinimum(
                _("Only %(used)d recommended, fewer than the minimum of %(min)d. Confirm to submit all the same.")
                % {"used": status.used, "min": status.min_count}
            )
        rec_list.submitted_at, rec_list.submitted_by = now, user
        rec_list.save(update_fields=["submitted_at", "submitted_by"])
        log(rec_list, "wagtail_awards.submit_recommendations", user=user, data={"recommended": status.used})
    return rec_list


def unlock(*, user, rec_list, reason: str = ""):
    """Reopen a submitted list (province administrators). Side effects: clears ``submitted_at``, logs."""

    with transaction.atomic():
        rec_list = RecommendationList.objects.select_for_update().get(pk=rec_list.pk)
        if not rec_list.is_locked:
            raise RecommendationError(_("The list is not submitted."))
        rec_list.submitted_at = rec_list.submitted_by = None
        rec_list.save(update_fields=["submitted_at", "submitted_by"])
        log(rec_list, "wagtail_awards.unlock_recommendations", user=user, data={"reason": reason})
    return rec_list
