"""The preliminary review and recommendation (初审推荐) in the admin.

Two model screens: the recommendation lists (one per recommending organisation and call: submitted and locked, or
not) and the decisions on each application. A recommender sees their own organisation's, a province administrator
every one. Their views: the recommender's work list (their organisation's applicants, the quota, a form per
project; province administrators see the table of every recommending organisation and may open any list
read-only), a decision on one project, submitting a list (after a confirmation: it locks the list) and unlocking one
(province administrators, with a reason).
"""

from django.contrib.admin import SimpleListFilter
from django.db.models import Count, Q
from django.http import Http404
from django.shortcuts import get_object_or_404
from django.utils import timezone
from django.utils.functional import cached_property
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from .. import access
from ..enums import RecommendationDecision
from ..exports import FormulaSafeIndexView
from ..forms.review import DecisionForm, UnlockForm
from ..models import Application, Organization, Recommendation, RecommendationList
from ..rules.ids import parse_id
from ..services import recommendation as rec_rules
from .base import ActionView, AdminView, AwardsModelAdmin, ScopedInspectView
from .filters import CallFilter
from .policy import PolicyPermissionHelper
from .round_screens import TEMPLATES, RoundExportMixin, RoundMixin, application_queryset


def decision_form(application, data=None):
    """The form of a decision on ``application`` (its fields prefixed, so a list holds one per project)."""
    recommendation = getattr(application, "recommendation", None)
    return DecisionForm(
        data,
        prefix=f"a{application.pk}",
        initial={
            "decision": recommendation.decision if recommendation else RecommendationDecision.RECOMMEND,
            "order": recommendation.order if recommendation else None,
            "comment": recommendation.comment if recommendation else "",
        },
    )


class RecommendView(RoundMixin, RoundExportMixin, AdminView):
    """A recommender's list (their organisation's applicants, the quota, a form per project). Province
    administrators see the table of every recommending organisation and may open any list read-only."""

    call_switcher = True
    action = "round.recommend"
    work_of = ("recommender",)
    page_title = _("Preliminary review and recommendation")
    template_name = TEMPLATES + "recommend.html"
    export_filename = "recommendations"
    list_export = [
        "recommending_organization.name",
        "reference",
        "project_name",
        "unit_name",
        "decision",
        "order",
        "comment",
        "get_status_display",
    ]
    export_headings = {
        "recommending_organization.name": _("recommending organisation"),
        "reference": _("reference number"),
        "project_name": _("project name"),
        "unit_name": _("applicant unit name"),
        "decision": _("decision"),
        "order": _("order"),
        "comment": _("comment"),
        "get_status_display": _("status"),
    }
    custom_field_preprocess = {}

    @cached_property
    def organization(self):
        raw = self.request.GET.get("org") or self.request.POST.get("org")
        allowed = access.recommending_organizations_for(self.request.user)
        if raw:
            org_id = parse_id(raw)
            if org_id is None:
                raise Http404
            return get_object_or_404(allowed, pk=org_id)
        if self.user_roles.province_admin:
            return None
        return allowed.order_by("name").first()

    def applications(self, organization=None):
        queryset = access.visible_applications(self.request.user, access.Purpose.ROUND).filter(call=self.call)
        queryset = application_queryset().filter(pk__in=queryset.values("pk"))
        if organization is not None:
            queryset = queryset.filter(recommending_organization=organization)
        return queryset.select_related("recommendation")

    def export_rows(self):
        rows = []
        for application in self.applications(self.organization):
            recommendation = getattr(application, "recommendation", None)
            application.decision = recommendation.get_decision_display() if recommendation else ""
            application.order = recommendation.order if recommendation else None
            application.comment = recommendation.comment if recommendation else ""
            rows.append(application)
        return rows

    def overview(self):
        """Every recommending organisation with its list's state for the call (a fixed number of queries)."""
        lists = {
            rl.organization_id: rl
            for rl in RecommendationList.objects.filter(call=self.call).annotate(
                recommended=Count("items", filter=Q(items__decision=RecommendationDecision.RECOMMEND))
            )
        }
        applied = dict(
            Application.objects.filter(call=self.call, status__in=rec_rules.VISIBLE_TO_RECOMMENDERS)
            .values_list("recommending_organization")
            .annotate(n=Count("pk"))
        )
        rows = []
        for org in access.recommending_organizations_for(self.request.user).order_by("kind", "name"):
            low, high = rec_rules.quota_limits(call=self.call, organization=org)
            rec_list = lists.get(org.pk)
            rows.append(
                {
                    "organization": org,
                    "list": rec_list,
                    "applications": applied.get(org.pk, 0),
                    "recommended": rec_list.recommended if rec_list else 0,
                    "min": low,
                    "max": high,
                }
            )
        return rows

    def get_context_data(self, **kwargs):
        organization = self.organization
        if organization is None:
            return super().get_context_data(overview=self.overview(), unlock_form=UnlockForm(), **kwargs)
        rec_list = RecommendationList.objects.filter(call=self.call, organization=organization).first()
        low, high = rec_rules.quota_limits(call=self.call, organization=organization)
        applications = list(self.applications(organization))
        used = sum(
            1
            for a in applications
            if getattr(a, "recommendation", None) and a.recommendation.decision == RecommendationDecision.RECOMMEND
        )
        can_edit = (
            access.can(self.request.user, "organization.edit_list", organization)
            and not (rec_list and rec_list.is_locked)
            and rec_rules.recommendation_open(
                now=timezone.now(),
                application_deadline=self.call.application_deadline,
                deadline=self.call.recommendation_deadline,
            )
        )
        rows = [
            {
                "application": application,
                "recommendation": getattr(application, "recommendation", None),
                "form": decision_form(application) if can_edit and application.status in rec_rules.DECIDABLE else None,
            }
            for application in applications
        ]
        return super().get_context_data(
            organization=organization,
            rec_list=rec_list,
            quota=rec_rules.QuotaStatus(used=used, min_count=low, max_count=high),
            rows=rows,
            can_edit=can_edit,
            unlock_form=UnlockForm(),
            **kwargs,
        )


class DecideView(RoundMixin, ActionView):
    """A recommender's decision on one of their applicants (recommend or not, the order, a comment)."""

    action = "round.decide"
    page_title = _("Recommendation")
    template_name = TEMPLATES + "decide.html"
    refused_by = (rec_rules.RecommendationError,)

    def get_object(self):
        visible = access.visible_applications(self.request.user, access.Purpose.ROUND)
        application = get_object_or_404(
            application_queryset().filter(pk__in=visible.values("pk")).select_related("recommendation"),
            pk=self.kwargs["pk"],
        )
        if not access.can(self.request.user, "application.recommend", application):
            raise Http404
        self.call = application.call
        return application

    def get_form(self, data=None, files=None):
        return decision_form(self.object, data)

    def perform(self, form):
        rec_rules.decide(
            user=self.request.user,
            application=self.object,
            decision=form.cleaned_data["decision"],
            comment=form.cleaned_data["comment"],
            order=form.cleaned_data["order"],
        )

    def success_message(self, result):
        return gettext("Saved: %(project)s.") % {"project": self.object.project_name}

    def refusal_message(self, error):
        # Refused (e.g. over the quota): back to the list, where the quota and the other decisions are.
        return gettext("Not saved: %(project)s. %(reason)s") % {"project": self.object.project_name, "reason": error}

    def get_success_url(self):
        return self.round_url("recommend", org=self.object.recommending_organization_id)

    def get_context_data(self, **kwargs):
        return super().get_context_data(application=self.object, back_url=self.get_success_url(), **kwargs)


class SubmitListView(RoundMixin, ActionView):
    """A recommender submits their organisation's list once: first a page says it locks the list and lists what is
    sent (with a warning under the minimum), then the confirmed POST submits it."""

    action = "round.submit_list"
    page_title = _("Submit the recommendation list")
    template_name = TEMPLATES + "submit.html"
    http_method_names = ["post", "options"]
    confirm_first = True
    refused_by = (rec_rules.RecommendationError,)

    def get_object(self):
        org_id = parse_id(self.request.POST.get("org", ""))
        organization = Organization.objects.filter(pk=org_id).first() if org_id else None
        if not access.can(self.request.user, "organization.edit_list", organization):
            raise Http404
        return organization

    @cached_property
    def rec_list(self):
        return rec_rules.get_list(call=self.call, organization=self.object)

    def perform(self, form):
        rec_rules.submit(user=self.request.user, rec_list=self.rec_list, confirm_under_minimum=True)

    def success_message(self, result):
        return gettext("The recommendation list has been submitted.")

    def get_success_url(self):
        return self.round_url("recommend", org=self.object.pk)

    def get_context_data(self, **kwargs):
        # Submitting locks the list for good: say so and list what is sent before doing it.
        status = rec_rules.quota_status(rec_list=self.rec_list)
        warning = ""
        if status.under_minimum:
            warning = gettext(
                "Only %(used)d recommended, fewer than the minimum of %(min)d. Confirm to submit all the same."
            ) % {"used": status.used, "min": status.min_count}
        recommended = (
            Recommendation.objects.filter(recommendation_list=self.rec_list, decision=RecommendationDecision.RECOMMEND)
            .select_related("application")
            .order_by("order", "application__reference")
        )
        return super().get_context_data(
            organization=self.object,
            warning=warning,
            recommended=recommended,
            back_url=self.get_success_url(),
            **kwargs,
        )


class UnlockListView(RoundMixin, ActionView):
    """A province administrator unlocks a submitted list, with a reason, so its organisation can change it."""

    action = "round.unlock_list"
    form_class = UnlockForm
    invalid_message = _("Give a reason for unlocking.")
    refused_by = (rec_rules.RecommendationError,)

    def get_object(self):
        rec_list = get_object_or_404(RecommendationList.objects.select_related("organization"), pk=self.kwargs["pk"])
        self.call = rec_list.call
        return rec_list

    def perform(self, form):
        rec_rules.unlock(user=self.request.user, rec_list=self.object, reason=form.cleaned_data["reason"])

    def success_message(self, result):
        return gettext("%(org)s can change its list again.") % {"org": self.object.organization}

    def get_success_url(self):
        return self.round_url("recommend")


# The model screens


class RecommendationPermissionHelper(PolicyPermissionHelper):
    """Lists and decisions are made on the round's screens; here they are listed, inspected and exported."""

    list_action = inspect_action = "round.recommend"


class SubmittedFilter(SimpleListFilter):
    title = _("List submitted")
    parameter_name = "submitted"

    def lookups(self, request, model_admin):
        return [("yes", _("Yes")), ("no", _("No"))]

    def queryset(self, request, queryset):
        if self.value() in ("yes", "no"):
            return queryset.filter(submitted_at__isnull=self.value() == "no")
        return queryset


class RecommendationListAdmin(AwardsModelAdmin):
    """Each recommending organisation's list for a call: how many it recommends, whether it is submitted."""

    model = RecommendationList
    index_view_class = FormulaSafeIndexView
    menu_label = _("Recommendation lists")
    menu_icon = "list-ol"
    list_display = ("organization", "call", "recommended", "submitted_at", "submitted_by")
    list_filter = (CallFilter, SubmittedFilter)
    search_fields = ("organization__name",)
    inspect_view_enabled = True
    inspect_view_class = ScopedInspectView
    inspect_view_fields = ("organization", "call", "submitted_at", "submitted_by")
    permission_helper_class = RecommendationPermissionHelper
    # Saving a list must cost no more than it did: no reference index of its rows.
    index_references = False
    admin_views = (
        ("awards/review/recommend/", RecommendView, "recommend"),
        ("awards/review/recommend/submit/", SubmitListView, "submit_list"),
        ("awards/review/recommend/lists/<awards_id:pk>/unlock/", UnlockListView, "unlock_list"),
    )

    def get_queryset(self, request):
        organizations = access.recommending_organizations_for(request.user)
        return (
            super()
            .get_queryset(request)
            .filter(organization__in=organizations)
            .select_related("organization", "call", "submitted_by")
            .annotate(recommended_count=Count("items", filter=Q(items__decision=RecommendationDecision.RECOMMEND)))
        )

    def recommended(self, obj):
        return obj.recommended_count

    recommended.short_description = _("Recommended")
    recommended.admin_order_field = "recommended_count"


class RecommendationCallFilter(CallFilter):
    lookup = "recommendation_list__call_id"


class RecommendationAdmin(AwardsModelAdmin):
    """Every decision of the preliminary review: the project, its organisation's decision, order and comment."""

    model = Recommendation
    index_view_class = FormulaSafeIndexView
    menu_label = _("Recommendation decisions")
    menu_icon = "tasks"
    list_display = ("application", "organization", "decision", "order", "decided_at")
    list_export = ("application", "organization", "decision", "order", "comment", "decided_at")
    list_filter = (RecommendationCallFilter, "decision")
    search_fields = ("application__reference", "application__project_name", "application__unit_name")
    list_select_related = ("application", "recommendation_list__organization")
    inspect_view_enabled = True
    inspect_view_class = ScopedInspectView
    inspect_view_fields = ("application", "recommendation_list", "decision", "order", "comment", "decided_at")
    permission_helper_class = RecommendationPermissionHelper
    index_references = False
    admin_views = (("awards/review/recommend/<awards_id:pk>/", DecideView, "decide"),)

    def get_queryset(self, request):
        organizations = access.recommending_organizations_for(request.user)
        return super().get_queryset(request).filter(recommendation_list__organization__in=organizations)

    def organization(self, obj):
        return obj.recommendation_list.organization

    organization.short_description = _("recommending organisation")
    organization.admin_order_field = "recommendation_list__organization__name"
