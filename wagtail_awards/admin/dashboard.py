"""The round's panel on the Wagtail admin home page."""

from django.db.models import Count, Q
from django.utils import timezone
from wagtail.admin.ui.components import Component

from .. import access
from ..enums import ApplicationStatus, RecommendationDecision
from ..models import RecommendationList
from ..rules import schedule
from ..services import review as rules


def next_deadline(call, *, now):
    """``(label, instant)`` of the call's next stage end after ``now``, or ``None``."""
    for span in call.stages(now=now):
        if span.ends is not None and span.ends > now:
            return span.label, span.ends
    return None


class RoundPanel(Component):
    """Applications per stage and per city, recommendation lists submitted, reviews done and the countdown to the
    next deadline, for the call the round screens open on. Recommenders and reviewers see their own scope."""

    name = "awards_round"
    order = 90
    template_name = "wagtail_awards/admin/dashboard/round_panel.html"

    def __init__(self, request):
        self.request = request

    def get_context_data(self, parent_context):
        context = super().get_context_data(parent_context)
        user = self.request.user
        roles = access.roles(user)
        call = rules.current_call()
        if call is None:
            return {"call": None}
        now = timezone.now()
        applications = access.visible_applications(user, access.Purpose.PROGRESS).filter(call=call)
        by_status = dict(applications.order_by().values_list("status").annotate(n=Count("pk", distinct=True)))
        stages = [
            (status.label, by_status.get(status.value, 0)) for status in ApplicationStatus if by_status.get(status)
        ]
        by_city = list(
            applications.exclude(status=ApplicationStatus.DRAFT)
            .order_by()
            .values("organization__city")
            .annotate(n=Count("pk", distinct=True))
            .order_by("-n", "organization__city")
        )
        lists = RecommendationList.objects.filter(call=call)
        if not roles.province_admin:
            lists = lists.filter(organization__in=roles.recommender_orgs)
        lists = lists.aggregate(
            total=Count("pk", distinct=True),
            submitted=Count("pk", filter=Q(submitted_at__isnull=False), distinct=True),
            recommended=Count("items", filter=Q(items__decision=RecommendationDecision.RECOMMEND)),
        )
        reviews = access.assignments_for(user).filter(application__call=call)
        reviews = reviews.aggregate(total=Count("pk"), done=Count("pk", filter=Q(submitted_at__isnull=False)))
        deadline = next_deadline(call, now=now)
        context.update(
            call=call,
            roles=roles,
            stages=stages,
            by_city=by_city,
            lists=lists,
            reviews=reviews,
            deadline_label=deadline[0] if deadline else None,
            deadline=deadline[1] if deadline else None,
            time_left=schedule.time_left(now=now, deadline=deadline[1]) if deadline else None,
        )
        return context
