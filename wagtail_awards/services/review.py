"""Reviewer assignment, scoring, the ranking and prizes in the database. Who sees what is ``access``.

The arithmetic lives in :mod:`wagtail_awards.rules.scoring`, the assignment rule in
:mod:`wagtail_awards.rules.assignment` and the rest of the review's rules in :mod:`wagtail_awards.rules.review`;
this module reads and writes rows around them.
"""

from decimal import Decimal

from django.db import transaction
from django.db.models import Prefetch
from django.utils import timezone
from django.utils.translation import gettext as _
from wagtail.log_actions import log

from ..enums import REVIEW_STATUSES, ApplicationStatus, AwardStatus, MembershipStatus, Role
from ..models import Application, Award, CallPage, Membership, ReviewAssignment, Score
from ..rules import assignment, scoring, transitions
from ..rules.applications import list_separator
from ..rules.review import RankingRow, Standings, pick_current_call, review_open

#: Statuses of projects that go to the expert review.
IN_REVIEW = REVIEW_STATUSES


class ReviewError(Exception):
    """A refused review step; ``str(error)`` is a translated message for the user."""


def current_call(*, now=None):

    return pick_current_call(calls=CallPage.objects.order_by("-year", "-pk"), now=now or timezone.now())


# Reviewer assignment


def reviewer_pool():
    """Users holding a reviewer membership, with their organisations, as :class:`assignment.Reviewer`."""

    by_user: dict[int, set] = {}
    users = {}
    memberships = Membership.objects.filter(
        role=Role.REVIEWER, status=MembershipStatus.APPROVED, user__is_active=True
    ).select_related("user")
    for membership in memberships:
        by_user.setdefault(membership.user_id, set()).add(membership.organization_id)
        users[membership.user_id] = membership.user
    reviewers = [
        assignment.Reviewer(key=user_id, organizations=frozenset(orgs)) for user_id, orgs in sorted(by_user.items())
    ]
    return reviewers, users


def _project(application):
    return assignment.Project(
        key=application.pk,
        organization=application.organization_id,
        recommending_organization=application.recommending_organization_id,
    )


def assign(*, user, application, reviewer):
    """Assign ``reviewer`` to ``application`` by hand.

    Raises :class:`ReviewError` when the project is not in review, the user is not a reviewer, or the reviewer
    belongs to the project's own or recommending organisation. Side effects: creates the ``ReviewAssignment``,
    moves a ``scored`` project back to ``recommended`` (it has a review to wait for), logs.
    """

    if application.status not in (ApplicationStatus.RECOMMENDED, ApplicationStatus.SCORED):
        raise ReviewError(_("Only recommended projects are assigned reviewers."))
    orgs = frozenset(
        Membership.objects.filter(user=reviewer, role=Role.REVIEWER, status=MembershipStatus.APPROVED).values_list(
            "organization_id", flat=True
        )
    )
    if not orgs:
        raise ReviewError(_("This user is not a reviewer."))
    if assignment.is_conflicted(
        reviewer=assignment.Reviewer(key=reviewer.pk, organizations=orgs), project=_project(application)
    ):
        raise ReviewError(_("A reviewer may not score a project of their own or its recommending organisation."))
    with transaction.atomic():
        item, created = ReviewAssignment.objects.get_or_create(
            application=application, reviewer=reviewer, defaults={"assigned_by": user}
        )
        if created:
            if application.status == ApplicationStatus.SCORED:
                _move(application, ApplicationStatus.RECOMMENDED)
            log(application, "wagtail_awards.assign_reviewer", user=user, data={"reviewer": reviewer.get_username()})
    return item


def unassign(*, user, item):
    """Remove an assignment that has no submitted scores. Side effects: deletes it, logs."""
    if item.submitted_at:
        raise ReviewError(_("This review has been scored and cannot be removed."))
    application = item.application
    reviewer = item.reviewer.get_username()
    item.delete()
    log(application, "wagtail_awards.unassign_reviewer", user=user, data={"reviewer": reviewer})


def auto_assign(*, user, call, k: int) -> assignment.AutoAssignResult:
    """Give every recommended project of ``call`` ``k`` reviewers, load balanced across the call.

    Side effects: creates ``ReviewAssignment`` rows and one log entry per project that got reviewers.
    """

    projects = list(
        Application.objects.filter(call=call, status=ApplicationStatus.RECOMMENDED).order_by("reference", "pk")
    )
    reviewers, users = reviewer_pool()
    existing = ReviewAssignment.objects.filter(application__call=call).values_list("application_id", "reviewer_id")
    result = assignment.auto_assign(
        projects=[_project(a) for a in projects], reviewers=reviewers, k=k, existing=list(existing)
    )
    by_pk = {a.pk: a for a in projects}
    with transaction.atomic():
        ReviewAssignment.objects.bulk_create(
            [
                ReviewAssignment(application_id=app_pk, reviewer_id=reviewer_pk, assigned_by=user)
                for app_pk, reviewer_pk in result.pairs
            ]
        )
        for app_pk in sorted({app_pk for app_pk, _r in result.pairs}):
            names = [users[r].get_username() for a, r in result.pairs if a == app_pk]
            log(by_pk[app_pk], "wagtail_awards.assign_reviewer", user=user, data={"reviewers": names, "auto": k})
    return result


# Scoring


def save_scores(*, user, item, values: dict, comment: str = "", now=None):
    """Store ``user``'s scores for their assignment ``item`` (``values`` maps criterion pk to a Decimal).

    Raises :class:`ReviewError` when the user is not the assigned reviewer, the review has closed, the project
    is not in review, a criterion is missing or a value is out of range. Side effects: writes ``Score`` rows,
    the weighted total and ``submitted_at`` on the assignment, moves the project to ``scored`` once all its
    reviews are in, logs.
    """

    call = item.application.call
    if item.reviewer_id != user.pk:
        raise ReviewError(_("Only the assigned reviewer may score this project."))
    if not review_open(call=call, now=now):
        raise ReviewError(_("The review has closed."))
    if item.application.status not in (ApplicationStatus.RECOMMENDED, ApplicationStatus.SCORED):
        raise ReviewError(_("This project is no longer open to scoring."))
    criteria = list(call.criteria.all())
    parts = []
    for criterion in criteria:
        value = values.get(criterion.pk)
        if value is None:
            raise ReviewError(_("Score every criterion."))
        if not scoring.check_score(value=value, max_score=criterion.max_score):
            raise ReviewError(
                _("%(name)s: the score must be between 0 and %(max)d.")
                % {"name": criterion.name, "max": criterion.max_score}
            )
        parts.append(
            scoring.CriterionScore(value=Decimal(value), max_score=criterion.max_score, weight=criterion.weight)
        )
    total = scoring.weighted_total(scores=parts)
    with transaction.atomic():
        for criterion in criteria:
            Score.objects.update_or_create(
                assignment=item,
                criterion=criterion,
                defaults={"criterion_name": criterion.name, "value": Decimal(values[criterion.pk])},
            )
        item.comment, item.total, item.submitted_at = comment, total, now or timezone.now()
        item.save(update_fields=["comment", "total", "submitted_at"])
        application = item.application
        pending = ReviewAssignment.objects.filter(application=application, submitted_at__isnull=True).exists()
        if not pending and application.status == ApplicationStatus.RECOMMENDED:
            _move(application, ApplicationStatus.SCORED)
        log(application, "wagtail_awards.score", user=user, data={"reviewer": user.get_username(), "total": str(total)})
    return item


def _move(application, target):
    transitions.check_move(current=application.status, target=target)
    application.status = target
    application.save(update_fields=["status", "updated_at"])


# Ranking and prizes


def standings(*, call) -> Standings:
    """The call's projects in review ranked on their totals: two narrow queries (the projects, their reviews'
    totals), then the arithmetic of :mod:`.scoring`; no project is loaded whole."""
    projects = list(
        Application.objects.filter(call=call, status__in=IN_REVIEW)
        .order_by("reference", "pk")
        .values_list("pk", "status", "award__prize_rank", "award__status")
    )
    totals = {pk: [] for pk, *_rest in projects}
    reviews = ReviewAssignment.objects.filter(
        application__call=call, application__status__in=IN_REVIEW, submitted_at__isnull=False, total__isnull=False
    ).values_list("application_id", "total")
    for application_id, total in reviews.order_by("pk"):
        totals[application_id].append(total)
    ranked = scoring.rank(
        projects=[
            scoring.RankedProject(
                key=pk,
                total=scoring.project_total(totals=totals[pk], method=call.scoring_method),
                review_totals=totals[pk],
            )
            for pk, *_rest in projects
        ]
    )
    return Standings(
        ranked=ranked,
        statuses={pk: status for pk, status, _prize, _award in projects},
        prizes={pk: prize if award and award != AwardStatus.CANCELLED else None for pk, _s, prize, award in projects},
    )


def ranking(*, call, keys=None, standing: Standings | None = None) -> list[RankingRow]:
    """Rows of the call's ranking with their projects, reviews' criteria and prizes, in rank order: all of them, or
    only the projects whose pks are in ``keys`` (one page). A fixed number of queries."""

    standing = standing or standings(call=call)
    ranked = standing.ranked if keys is None else [project for project in standing.ranked if project.key in keys]
    applications = (
        Application.objects.filter(pk__in=[project.key for project in ranked])
        .select_related("organization", "recommending_organization", "award")
        .prefetch_related(
            Prefetch(
                "review_assignments",
                queryset=ReviewAssignment.objects.filter(submitted_at__isnull=False).prefetch_related(
                    Prefetch("scores", queryset=Score.objects.only("assignment_id", "criterion_name", "value"))
                ),
            )
        )
        .in_bulk()
    )
    names = [criterion.name for criterion in call.criteria.all()]
    rows = []
    for project in ranked:
        application = applications[project.key]
        reviews = list(application.review_assignments.all())
        rows.append(
            RankingRow(
                application=application,
                ranked=project,
                criteria=scoring.criterion_stats(
                    names=names, reviews=[{s.criterion_name: s.value for s in r.scores.all()} for r in reviews]
                ),
                prize_rank=standing.prizes[project.key],
            )
        )
    return rows


def prize_levels(call):
    return [scoring.PrizeLevel(rank=level.rank, count=level.count) for level in call.prize_levels.all()]


def suggest(*, call, rows=None) -> dict[int, int]:
    """Prize ranks by application pk, filled down the ranking within the call's counts (nothing is saved).

    Projects still waiting for a review take no part."""
    if rows is None:
        return standings(call=call).suggestion(prize_levels(call))
    ready = [row.ranked for row in rows if row.application.status != ApplicationStatus.RECOMMENDED]
    return scoring.suggest_prizes(ranking=ready, levels=prize_levels(call))


def set_prizes(*, user, call, prizes: dict[int, int | None]):
    """Save prize ranks (application pk → rank or ``None``) for the call's scored projects.

    Raises :class:`ReviewError` when a project is not scored, a rank is not one of the call's prize levels,
    or a level would go over its count. Side effects: creates or updates ``Award`` rows (status proposed),
    moves projects to ``proposed`` (or back to ``scored`` when their prize is taken away), one log entry per
    change.
    """

    levels = prize_levels(call)
    known = {level.rank for level in levels}
    with transaction.atomic():
        applications = {
            a.pk: a
            for a in Application.objects.select_for_update()
            .filter(call=call, status__in=(ApplicationStatus.SCORED, ApplicationStatus.PROPOSED))
            .order_by("pk")
        }
        awards = {a.application_id: a for a in Award.objects.filter(application__call=call)}
        for pk, prize in prizes.items():
            if pk not in applications:
                raise ReviewError(_("Only scored projects can be given a prize."))
            if prize and prize not in known:
                raise ReviewError(_("Unknown prize level."))
        final = {pk: (a.prize_rank if a.status != AwardStatus.CANCELLED else None) for pk, a in awards.items()}
        final.update(prizes)
        over = scoring.prize_counts_ok(assigned=final.values(), levels=levels)
        if over:
            names = {level.rank: level.name for level in call.prize_levels.all()}
            raise ReviewError(
                _("Too many projects for %(prizes)s.")
                % {"prizes": list_separator().join(str(names.get(r, r)) for r in sorted(over))}
            )
        changed = 0
        for pk, prize in prizes.items():
            application = applications[pk]
            award = awards.get(pk)
            before = award.prize_rank if award else None
            if before == prize:
                continue
            if prize:
                if award is None:
                    award = Award(application=application)
                award.prize_rank, award.status, award.decided_by = prize, AwardStatus.PROPOSED, user
                award.save()
                if application.status == ApplicationStatus.SCORED:
                    _move(application, ApplicationStatus.PROPOSED)
            elif award is not None:
                award.prize_rank, award.decided_by = None, user
                award.save()
                if not award.most_popular and application.status == ApplicationStatus.PROPOSED:
                    _move(application, ApplicationStatus.SCORED)
            log(application, "wagtail_awards.prize", user=user, data={"from": before, "to": prize})
            changed += 1
    return changed
