"""Admin screens of the preliminary review (初审推荐) and the expert review (评审).

Plain Wagtail admin views registered through hooks (``register_admin_urls``, ``register_admin_menu_item``):
the screens are per-role work lists with inline forms, which wagtail-modeladmin's model CRUD does not fit.

Every view asks the access policy (:mod:`wagtail_awards.access`) on the server: its screen's action, and each
object's action; its rows come from the policy's scoped querysets (out of scope: 404).
Lists export to XLSX and CSV (``?export=xlsx|csv``) through the app's formula-safe exporter
(``wagtail_awards.exports``, with Wagtail's export API), from the same scoped query as the screen.
"""

import datetime
from decimal import Decimal

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.db.models import Count, Prefetch, Q
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect
from django.urls import NoReverseMatch, path, reverse
from django.utils import timezone
from django.utils.functional import cached_property
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views import View
from wagtail.admin.views.generic.base import WagtailAdminTemplateMixin
from wagtail.coreutils import multigetattr

from .. import (
    access,
    converters,  # noqa: F401 - registers <awards_id:…>
)
from ..enums import ApplicationStatus, RecommendationDecision
from ..exports import FormulaSafeExportMixin
from ..forms.review import AssignForm, AutoAssignForm, DecisionForm, PrizeForm, ScoreForm, UnlockForm
from ..models import (
    Application,
    ApplicationFile,
    ApplicationFormPage,
    CallPage,
    Organization,
    Recommendation,
    RecommendationList,
    ReviewAssignment,
    Score,
)
from ..rules.applications import display_answer
from ..rules.ids import parse_id
from ..services import recommendation as rec_rules
from ..services import review as rules

NAMESPACE = "wagtail_awards_review"
TEMPLATES = "wagtail_awards/admin/review/"


def review_url(name, *args, call=None):
    url = reverse(f"{NAMESPACE}:{name}", args=args)
    return f"{url}?call={call.pk}" if call is not None else url


def file_download_url(file):
    """The URL of an application file's download view, when the site has one."""
    for name in ("wagtail_awards:application_file", "wagtail_awards:application_file_download"):
        try:
            return reverse(name, args=[file.pk])
        except NoReverseMatch:
            continue
    return None


class RoundView(WagtailAdminTemplateMixin, View):
    """Base of the screens: the policy's check of the screen's action, the call being worked on."""

    #: The policy action (``access.policy``) that opens the screen.
    action = "round.rank"
    header_icon = "order"
    #: Lists offer a choice of call; screens of one object do not.
    call_switcher = False
    #: Whose own work picks the call a screen opens on: a reviewer's assignments, a recommender's applicants.
    work_of = ("reviewer", "recommender")

    def dispatch(self, request, *args, **kwargs):
        self.user_roles = access.roles(request.user)
        if not access.can(request.user, self.action):
            raise PermissionDenied
        return super().dispatch(request, *args, **kwargs)

    @cached_property
    def call(self):
        raw = self.request.GET.get("call") or self.request.POST.get("call")
        if raw:
            call_id = parse_id(raw)
            if call_id is None:
                raise Http404
            return get_object_or_404(
                CallPage.objects.prefetch_related("quotas", "criteria", "prize_levels"), pk=call_id
            )
        call = self.call_with_my_work() or rules.current_call()
        if call is None:
            raise Http404(_("There is no call yet."))
        return CallPage.objects.prefetch_related("quotas", "criteria", "prize_levels").get(pk=call.pk)

    def call_with_my_work(self):
        """The call a reviewer or recommender opens on: of the calls holding their own work (assigned projects,
        their organisation's applicants), the one in review now, else the latest closed, else the newest."""
        if self.user_roles.province_admin:
            return None
        work = Q(pk__in=[])
        if "reviewer" in self.work_of and self.user_roles.reviewer:
            work |= Q(
                applications__review_assignments__reviewer=self.request.user,
                applications__status__in=rules.IN_REVIEW,
            )
        if "recommender" in self.work_of and self.user_roles.recommender:
            work |= Q(
                applications__recommending_organization__in=self.user_roles.recommender_orgs,
                applications__status__in=rec_rules.VISIBLE_TO_RECOMMENDERS,
            )
        calls = CallPage.objects.filter(work).distinct().order_by("-year", "-pk")
        return rules.pick_current_call(calls=calls, now=timezone.now())

    def get_breadcrumbs_items(self):
        return self.breadcrumbs_items + [{"url": "", "label": self.get_page_title()}]

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context.update(
            call=self.call,
            calls=CallPage.menu(include=self.call) if self.call_switcher else [],
            roles=self.user_roles,
            call_switcher=self.call_switcher,
        )
        return context

    def back(self, name, *args):
        return redirect(review_url(name, *args, call=self.call))


class ExportMixin(FormulaSafeExportMixin):
    """Export buttons in the header; ``?export=`` streams the scoped rows (formula-safe) instead of the page."""

    # Scores and totals stay numbers in XLSX; booleans read as a word; times are local, as on the screens.
    custom_value_preprocess = {
        **FormulaSafeExportMixin.custom_value_preprocess,
        datetime.datetime: {
            "csv": lambda v: timezone.localtime(v).strftime("%Y-%m-%d %H:%M:%S"),
            "xlsx": lambda v: timezone.localtime(v).replace(tzinfo=None),
        },
        Decimal: {"csv": str, "xlsx": float},
        bool: {"csv": lambda v: _("yes") if v else "", "xlsx": lambda v: _("yes") if v else ""},
    }

    def export_rows(self):
        raise NotImplementedError

    def get_filename(self):
        return f"{self.export_filename}-{self.call.year}"

    def get(self, request, *args, **kwargs):
        if self.is_export:
            return self.as_spreadsheet(self.export_rows(), request.GET["export"])
        return super().get(request, *args, **kwargs)


# Applications


def application_queryset():
    return Application.objects.select_related("organization", "recommending_organization", "call").order_by(
        "reference", "pk"
    )


class ApplicationListView(ExportMixin, RoundView):
    call_switcher = True
    action = "round.projects"
    page_title = gettext_lazy("Projects in the round")
    template_name = TEMPLATES + "applications.html"
    export_filename = "applications"
    base_export = [
        "reference",
        "project_name",
        "unit_name",
        "organization.name",
        "organization.city",
        "recommending_organization.name",
        "theme",
        "get_status_display",
        "submitted_at",
    ]
    base_headings = {
        "reference": gettext_lazy("reference number"),
        "project_name": gettext_lazy("project name"),
        "unit_name": gettext_lazy("applicant unit name"),
        "organization.name": gettext_lazy("applicant unit"),
        "organization.city": gettext_lazy("city"),
        "recommending_organization.name": gettext_lazy("recommending organisation"),
        "theme": gettext_lazy("theme"),
        "get_status_display": gettext_lazy("status"),
        "submitted_at": gettext_lazy("submitted"),
    }

    @cached_property
    def answer_fields(self):
        """The fields the editor added to the call's application form, as extra columns (by their labels)."""
        page = ApplicationFormPage.objects.child_of(self.call).first()
        return page.answer_fields() if page else []

    @property
    def list_export(self):
        return [*self.base_export, *(f"answer:{name}" for name, _label in self.answer_fields)]

    @property
    def export_headings(self):
        return {**self.base_headings, **{f"answer:{name}": label for name, label in self.answer_fields}}

    def to_row_dict(self, item):
        row = {field: multigetattr(item, field) for field in self.base_export}
        for name, _label in self.answer_fields:
            row[f"answer:{name}"] = display_answer(item.answers.get(name, ""))
        return row

    def rows(self):
        queryset = access.visible_applications(self.request.user, access.Purpose.ROUND).filter(call=self.call)
        status = self.request.GET.get("status")
        if status in ApplicationStatus.values:
            queryset = queryset.filter(status=status)
        return application_queryset().filter(pk__in=queryset.values("pk"))

    def export_rows(self):
        return self.rows()

    def get(self, request, *args, **kwargs):
        if self.is_export:
            return super().get(request, *args, **kwargs)
        status = request.GET.get("status")
        status = status if status in ApplicationStatus.values else ""
        return self.render_to_response(
            self.get_context_data(
                applications=list(self.rows()),
                statuses=[choice for choice in ApplicationStatus.choices if choice[0] != ApplicationStatus.DRAFT],
                status=status,
                status_query=f"&status={status}" if status else "",
            )
        )


class ApplicationInspectView(RoundView):
    action = "round.projects"
    page_title = gettext_lazy("Project")
    template_name = TEMPLATES + "application.html"

    def get(self, request, pk):
        visible = access.visible_applications(request.user, access.Purpose.ROUND)
        application = get_object_or_404(application_queryset().filter(pk__in=visible.values("pk")), pk=pk)
        self.call = application.call
        self.page_subtitle = application.project_name
        files = [(file, file_download_url(file)) for file in ApplicationFile.objects.filter(application=application)]
        reviews = ReviewAssignment.objects.filter(application=application).select_related("reviewer")
        if not access.can(request.user, "application.view_all_reviews", application):
            reviews = reviews.filter(reviewer=request.user)
        recommendation = None
        if access.can(request.user, "application.view_recommendation", application):
            recommendation = Recommendation.objects.filter(application=application).first()
        return self.render_to_response(
            self.get_context_data(
                application=application,
                files=files,
                reviews=reviews.prefetch_related("scores"),
                recommendation=recommendation,
                answers=application.labelled_answers(),
            )
        )


# Preliminary review and recommendation


class RecommendView(ExportMixin, RoundView):
    """A recommender's list (their organisation's applicants, the quota, a form per project). Province
    administrators see the table of every recommending organisation and may open any list read-only."""

    call_switcher = True
    action = "round.recommend"
    work_of = ("recommender",)
    page_title = gettext_lazy("Preliminary review and recommendation")
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
        "recommending_organization.name": gettext_lazy("recommending organisation"),
        "reference": gettext_lazy("reference number"),
        "project_name": gettext_lazy("project name"),
        "unit_name": gettext_lazy("applicant unit name"),
        "decision": gettext_lazy("decision"),
        "order": gettext_lazy("order"),
        "comment": gettext_lazy("comment"),
        "get_status_display": gettext_lazy("status"),
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

    def get(self, request, *args, **kwargs):
        if self.is_export:
            return super().get(request, *args, **kwargs)
        organization = self.organization
        if organization is None:
            return self.render_to_response(self.get_context_data(overview=self.overview(), unlock_form=UnlockForm()))
        rec_list = RecommendationList.objects.filter(call=self.call, organization=organization).first()
        low, high = rec_rules.quota_limits(call=self.call, organization=organization)
        applications = list(self.applications(organization))
        used = sum(
            1
            for a in applications
            if getattr(a, "recommendation", None) and a.recommendation.decision == RecommendationDecision.RECOMMEND
        )
        can_edit = (
            access.can(request.user, "organization.edit_list", organization)
            and not (rec_list and rec_list.is_locked)
            and rec_rules.recommendation_open(
                now=timezone.now(),
                application_deadline=self.call.application_deadline,
                deadline=self.call.recommendation_deadline,
            )
        )
        rows = []
        for application in applications:
            recommendation = getattr(application, "recommendation", None)
            form = None
            if can_edit and application.status in rec_rules.DECIDABLE:
                form = DecisionForm(
                    prefix=f"a{application.pk}",
                    initial={
                        "decision": recommendation.decision if recommendation else RecommendationDecision.RECOMMEND,
                        "order": recommendation.order if recommendation else None,
                        "comment": recommendation.comment if recommendation else "",
                    },
                )
            rows.append({"application": application, "recommendation": recommendation, "form": form})
        return self.render_to_response(
            self.get_context_data(
                organization=organization,
                rec_list=rec_list,
                quota=rec_rules.QuotaStatus(used=used, min_count=low, max_count=high),
                rows=rows,
                can_edit=can_edit,
                unlock_form=UnlockForm(),
            )
        )


class DecideView(RoundView):
    action = "round.decide"
    page_title = gettext_lazy("Recommendation")
    template_name = TEMPLATES + "decide.html"

    def get_application(self, pk):
        visible = access.visible_applications(self.request.user, access.Purpose.ROUND)
        application = get_object_or_404(application_queryset().filter(pk__in=visible.values("pk")), pk=pk)
        if not access.can(self.request.user, "application.recommend", application):
            raise Http404
        self.call = application.call
        return application

    def get(self, request, pk):
        application = self.get_application(pk)
        recommendation = Recommendation.objects.filter(application=application).first()
        form = DecisionForm(
            prefix=f"a{application.pk}",
            initial={
                "decision": recommendation.decision if recommendation else RecommendationDecision.RECOMMEND,
                "order": recommendation.order if recommendation else None,
                "comment": recommendation.comment if recommendation else "",
            },
        )
        return self.render_to_response(self.context(application, form))

    @staticmethod
    def list_url(application):
        return review_url("recommend", call=application.call) + f"&org={application.recommending_organization_id}"

    def context(self, application, form):
        return self.get_context_data(application=application, form=form, back_url=self.list_url(application))

    def post(self, request, pk):
        application = self.get_application(pk)
        form = DecisionForm(request.POST, prefix=f"a{application.pk}")
        if form.is_valid():
            try:
                rec_rules.decide(
                    user=request.user,
                    application=application,
                    decision=form.cleaned_data["decision"],
                    comment=form.cleaned_data["comment"],
                    order=form.cleaned_data["order"],
                )
            except rec_rules.RecommendationError as error:
                # Refused (e.g. over the quota): back to the list, where the quota and the other decisions are.
                messages.error(
                    request,
                    _("Not saved: %(project)s. %(reason)s") % {"project": application.project_name, "reason": error},
                )
                return redirect(self.list_url(application))
            messages.success(request, _("Saved: %(project)s.") % {"project": application.project_name})
            return redirect(self.list_url(application))
        return self.render_to_response(self.context(application, form), status=400)


class SubmitListView(RoundView):
    action = "round.submit_list"
    page_title = gettext_lazy("Submit the recommendation list")
    template_name = TEMPLATES + "submit.html"

    def post(self, request):
        org_id = parse_id(request.POST.get("org", ""))
        organization = Organization.objects.filter(pk=org_id).first() if org_id else None
        if not access.can(request.user, "organization.edit_list", organization):
            raise Http404
        rec_list = rec_rules.get_list(call=self.call, organization=organization)
        target = review_url("recommend", call=self.call) + f"&org={organization.pk}"
        if request.POST.get("confirm") != "1":
            # Submitting locks the list for good: say so and list what is sent before doing it.
            status = rec_rules.quota_status(rec_list=rec_list)
            warning = ""
            if status.under_minimum:
                warning = _(
                    "Only %(used)d recommended, fewer than the minimum of %(min)d. Confirm to submit all the same."
                ) % {"used": status.used, "min": status.min_count}
            recommended = (
                Recommendation.objects.filter(recommendation_list=rec_list, decision=RecommendationDecision.RECOMMEND)
                .select_related("application")
                .order_by("order", "application__reference")
            )
            return self.render_to_response(
                self.get_context_data(
                    organization=organization, warning=warning, recommended=recommended, back_url=target
                )
            )
        try:
            rec_rules.submit(user=request.user, rec_list=rec_list, confirm_under_minimum=True)
        except rec_rules.RecommendationError as error:
            messages.error(request, str(error))
            return redirect(target)
        messages.success(request, _("The recommendation list has been submitted."))
        return redirect(target)


class UnlockListView(RoundView):
    action = "round.unlock_list"

    def post(self, request, pk):
        rec_list = get_object_or_404(RecommendationList, pk=pk)
        self.call = rec_list.call
        form = UnlockForm(request.POST)
        if not form.is_valid():
            messages.error(request, _("Give a reason for unlocking."))
            return self.back("recommend")
        try:
            rec_rules.unlock(user=request.user, rec_list=rec_list, reason=form.cleaned_data["reason"])
        except rec_rules.RecommendationError as error:
            messages.error(request, str(error))
        else:
            messages.success(request, _("%(org)s can change its list again.") % {"org": rec_list.organization})
        return self.back("recommend")


# Reviewer assignment


class AssignmentsView(RoundView):
    call_switcher = True
    action = "round.assign"
    page_title = gettext_lazy("Reviewer assignment")
    template_name = TEMPLATES + "assignments.html"

    def get(self, request):
        applications = (
            application_queryset()
            .filter(call=self.call, status__in=rules.IN_REVIEW)
            .prefetch_related(
                Prefetch("review_assignments", queryset=ReviewAssignment.objects.select_related("reviewer"))
            )
        )
        reviewers, users = rules.reviewer_pool()
        load = dict(
            ReviewAssignment.objects.filter(application__call=self.call).values_list("reviewer").annotate(n=Count("pk"))
        )
        return self.render_to_response(
            self.get_context_data(
                applications=applications,
                auto_form=AutoAssignForm(),
                reviewer_load=[(users[r.key], load.get(r.key, 0)) for r in reviewers],
            )
        )


class AssignView(RoundView):
    action = "round.assign"

    def post(self, request, pk):
        application = get_object_or_404(Application, pk=pk)
        self.call = application.call
        form = AssignForm(request.POST)
        if not form.is_valid():
            messages.error(request, _("Choose a reviewer."))
            return self.back("assignments")
        try:
            rules.assign(user=request.user, application=application, reviewer=form.cleaned_data["reviewer"])
        except rules.ReviewError as error:
            messages.error(request, str(error))
        else:
            messages.success(request, _("Reviewer assigned."))
        return self.back("assignments")


class UnassignView(RoundView):
    action = "round.assign"

    def post(self, request, pk):
        item = get_object_or_404(ReviewAssignment.objects.select_related("application", "reviewer"), pk=pk)
        self.call = item.application.call
        try:
            rules.unassign(user=request.user, item=item)
        except rules.ReviewError as error:
            messages.error(request, str(error))
        else:
            messages.success(request, _("Reviewer removed."))
        return self.back("assignments")


class AutoAssignView(RoundView):
    action = "round.assign"

    def post(self, request):
        form = AutoAssignForm(request.POST)
        if not form.is_valid():
            messages.error(request, _("Give the number of reviewers per project (1 to 20)."))
            return self.back("assignments")
        result = rules.auto_assign(user=request.user, call=self.call, k=form.cleaned_data["k"])
        messages.success(request, _("%(n)d assignments made.") % {"n": len(result.pairs)})
        if result.short:
            messages.warning(
                request,
                _("%(n)d projects have fewer reviewers than asked: not enough reviewers without a conflict.")
                % {"n": len(result.short)},
            )
        return self.back("assignments")


# Scoring

#: Projects a reviewer may still score (once proposed for a prize, the scores stand).
SCOREABLE = (ApplicationStatus.RECOMMENDED, ApplicationStatus.SCORED)


class ScoresView(ExportMixin, RoundView):
    """A reviewer's assigned projects; province administrators see every review of the call."""

    call_switcher = True
    action = "round.scores"
    work_of = ("reviewer",)
    page_title = gettext_lazy("Expert review")
    template_name = TEMPLATES + "scores.html"
    export_filename = "scores"

    def assignments(self):
        queryset = access.assignments_for(self.request.user).filter(application__call=self.call)
        return (
            queryset.select_related("application", "application__organization", "reviewer")
            .prefetch_related(Prefetch("scores", queryset=Score.objects.only("assignment_id", "criterion_id", "value")))
            .order_by("application__reference", "application_id", "reviewer__username")
        )

    @cached_property
    def criteria(self):
        return list(self.call.criteria.all())

    @property
    def list_export(self):
        return ["reference", "project", "unit", "reviewer", *[f"c{c.pk}" for c in self.criteria], "total", "comment"]

    @property
    def export_headings(self):
        headings = {
            "reference": _("reference number"),
            "project": _("project name"),
            "unit": _("applicant unit name"),
            "reviewer": _("Reviewer"),
            "total": _("weighted total"),
            "comment": _("comment"),
        }
        headings.update({f"c{c.pk}": c.name for c in self.criteria})
        return headings

    def to_row_dict(self, item):
        by_criterion = {s.criterion_id: s.value for s in item.scores.all()}
        row = {
            "reference": item.application.reference,
            "project": item.application.project_name,
            "unit": item.application.unit_name or item.application.organization.name,
            "reviewer": item.reviewer.get_full_name() or item.reviewer.get_username(),
        }
        row.update({f"c{c.pk}": by_criterion.get(c.pk) for c in self.criteria})
        row.update(total=item.total, comment=item.comment)
        return row

    def export_rows(self):
        return self.assignments()

    def grid(self, data=None):
        """The rows of the screen; a reviewer's own open assignments carry a score form (the scoring grid)."""
        items = list(self.assignments().prefetch_related("application__files"))
        review_open = rules.review_open(call=self.call)
        for item in items:
            by_criterion = {s.criterion_id: s.value for s in item.scores.all()}
            item.criterion_values = [by_criterion.get(c.pk) for c in self.criteria]
            item.materials = [(file, file_download_url(file)) for file in item.application.files.all()]
            item.form = None
            if review_open and item.reviewer_id == self.request.user.pk and item.application.status in SCOREABLE:
                item.form = ScoreForm(
                    data,
                    prefix=f"s{item.pk}",
                    criteria=self.criteria,
                    initial_scores=by_criterion,
                    initial={"comment": item.comment},
                    comment_rows=1,
                )
        return items, review_open

    def render_grid(self, items, review_open, status=200):
        return self.render_to_response(
            self.get_context_data(
                items=items,
                criteria=self.criteria,
                review_open=review_open,
                editable=any(item.form for item in items),
                done=sum(1 for item in items if item.submitted_at),
            ),
            status=status,
        )

    def get(self, request, *args, **kwargs):
        if self.is_export:
            return super().get(request, *args, **kwargs)
        return self.render_grid(*self.grid())

    def post(self, request, *args, **kwargs):
        """Save every row of the grid the reviewer changed; rows left as they were are not touched."""
        items, review_open = self.grid(request.POST)
        saved, failed = 0, 0
        for item in items:
            form = item.form
            if form is None or not form.has_changed():
                continue
            if not form.is_valid():
                failed += 1
                continue
            try:
                rules.save_scores(
                    user=request.user, item=item, values=form.score_values(), comment=form.cleaned_data["comment"]
                )
            except rules.ReviewError as error:
                form.add_error(None, str(error))
                failed += 1
            else:
                saved += 1
        if failed:
            messages.error(
                request,
                _("%(saved)d projects saved; %(failed)d not saved: correct the marked rows.")
                % {"saved": saved, "failed": failed},
            )
            return self.render_grid(items, review_open, status=400)
        messages.success(request, _("Scores saved for %(n)d projects.") % {"n": saved})
        return self.back("scores")


class ScoreEditView(RoundView):
    action = "round.score"
    page_title = gettext_lazy("Score a project")
    template_name = TEMPLATES + "score.html"

    def get_item(self, pk):
        item = get_object_or_404(
            ReviewAssignment.objects.select_related("application", "application__organization", "application__call"),
            pk=pk,
        )
        if not access.can(self.request.user, "assignment.score", item):
            raise Http404
        self.call = item.application.call
        return item

    def form(self, item, data=None):
        return ScoreForm(
            data,
            criteria=self.call.criteria.all(),
            initial_scores={s.criterion_id: s.value for s in item.scores.all()},
            initial={"comment": item.comment},
        )

    def context(self, item, form):
        return self.get_context_data(
            item=item,
            form=form,
            review_open=rules.review_open(call=self.call),
            materials=[(file, file_download_url(file)) for file in item.application.files.all()],
            next_item=self.next_item(item),
        )

    def next_item(self, item):
        """The reviewer's next project in this call to score: the next unscored one, else the next in the list."""
        mine = list(
            ReviewAssignment.objects.filter(
                reviewer=self.request.user, application__call=self.call, application__status__in=SCOREABLE
            )
            .select_related("application")
            .order_by("application__reference", "application_id")
        )
        keys = [other.pk for other in mine]
        after = mine[keys.index(item.pk) + 1 :] + mine[: keys.index(item.pk)] if item.pk in keys else mine
        return next((other for other in after if not other.submitted_at), None)

    def get(self, request, pk):
        item = self.get_item(pk)
        return self.render_to_response(self.context(item, self.form(item)))

    def post(self, request, pk):
        item = self.get_item(pk)
        form = self.form(item, request.POST)
        if not form.is_valid():
            return self.render_to_response(self.context(item, form), status=400)
        try:
            rules.save_scores(
                user=request.user, item=item, values=form.score_values(), comment=form.cleaned_data["comment"]
            )
        except rules.ReviewError as error:
            messages.error(request, str(error))
            return self.render_to_response(self.context(item, form), status=409)
        messages.success(request, _("Scores saved: %(project)s.") % {"project": item.application.project_name})
        following = self.next_item(item) if request.POST.get("next") == "1" else None
        if following is not None:
            return redirect(review_url("score", following.pk))
        return self.back("scores")


# Ranking and prizes


class RankingView(ExportMixin, RoundView):
    call_switcher = True
    action = "round.rank"
    page_title = gettext_lazy("Ranking and prizes")
    template_name = TEMPLATES + "ranking.html"
    export_filename = "ranking"
    list_export = [
        "rank",
        "application.reference",
        "application.project_name",
        "application.unit_name",
        "total",
        "reviews",
        "spread",
        "tied",
        "prize",
    ]
    export_headings = {
        "rank": gettext_lazy("Rank"),
        "application.reference": gettext_lazy("reference number"),
        "application.project_name": gettext_lazy("project name"),
        "application.unit_name": gettext_lazy("applicant unit name"),
        "total": gettext_lazy("weighted total"),
        "reviews": gettext_lazy("Reviews"),
        "spread": gettext_lazy("Spread"),
        "tied": gettext_lazy("Tied"),
        "prize": gettext_lazy("prize"),
    }

    #: Projects on one page of the screen (the export has them all).
    per_page = 50

    def rows(self, keys=None, standing=None):
        rows = rules.ranking(call=self.call, keys=keys, standing=standing)
        names = {level.rank: level.name for level in self.call.prize_levels.all()}
        for row in rows:
            row.reviews = row.ranked.reviews
            row.spread = row.ranked.spread
            row.tied = row.ranked.tied
            row.prize = names.get(row.prize_rank, "")
        return rows

    def export_rows(self):
        return self.rows()

    def levels(self):
        return sorted(self.call.prize_levels.all(), key=lambda level: level.rank)

    def page(self, standing):
        """The page of the ranking asked for (``page`` in the query or the form) and its rows."""
        paginator = Paginator(standing.ranked, self.per_page)
        page = paginator.get_page(self.request.POST.get("page") or self.request.GET.get("page"))
        return page, self.rows(keys={project.key for project in page.object_list}, standing=standing)

    def get(self, request, *args, **kwargs):
        if self.is_export:
            return super().get(request, *args, **kwargs)
        standing = rules.standings(call=self.call)
        page, rows = self.page(standing)
        form = PrizeForm(rows=rows, levels=self.levels())
        suggested = request.GET.get("suggest") == "1"
        if suggested:
            suggestion = standing.suggestion(rules.prize_levels(self.call))
            form = PrizeForm(
                rows=rows,
                levels=self.levels(),
                initial={f"prize_{row.application.pk}": suggestion.get(row.application.pk) for row in rows},
            )
        return self.render_to_response(self.context(rows, form, standing, page, suggested=suggested))

    def context(self, rows, form, standing, page, **kwargs):
        for row in rows:
            row.field = form[f"prize_{row.application.pk}"]
        used = {}
        for prize in standing.prizes.values():
            if prize:
                used[prize] = used.get(prize, 0) + 1
        levels = [{"level": level, "used": used.get(level.rank, 0)} for level in self.levels()]
        return self.get_context_data(rows=rows, form=form, levels=levels, page=page, **kwargs)

    def post(self, request):
        standing = rules.standings(call=self.call)
        page, rows = self.page(standing)
        form = PrizeForm(request.POST, rows=rows, levels=self.levels())
        if form.is_valid():
            prizes = {
                pk: prize
                for pk, prize in form.prizes().items()
                if prize != next(row.prize_rank for row in rows if row.application.pk == pk)
            }
            try:
                changed = rules.set_prizes(user=request.user, call=self.call, prizes=prizes)
            except rules.ReviewError as error:
                messages.error(request, str(error))
                return self.render_to_response(self.context(rows, form, standing, page), status=409)
            messages.success(request, _("%(n)d prizes changed.") % {"n": changed})
            response = self.back("ranking")
            if page.number > 1:
                response["Location"] += f"&page={page.number}"
            return response
        return self.render_to_response(self.context(rows, form, standing, page), status=400)


def urlpatterns():
    return [
        path("applications/", ApplicationListView.as_view(), name="applications"),
        path("applications/<awards_id:pk>/", ApplicationInspectView.as_view(), name="application"),
        path("recommend/", RecommendView.as_view(), name="recommend"),
        path("recommend/<awards_id:pk>/", DecideView.as_view(), name="decide"),
        path("recommend/submit/", SubmitListView.as_view(), name="submit"),
        path("recommend/lists/<awards_id:pk>/unlock/", UnlockListView.as_view(), name="unlock"),
        path("assignments/", AssignmentsView.as_view(), name="assignments"),
        path("assignments/<awards_id:pk>/add/", AssignView.as_view(), name="assign"),
        path("assignments/auto/", AutoAssignView.as_view(), name="auto_assign"),
        path("assignments/<awards_id:pk>/remove/", UnassignView.as_view(), name="unassign"),
        path("scores/", ScoresView.as_view(), name="scores"),
        path("scores/<awards_id:pk>/", ScoreEditView.as_view(), name="score"),
        path("ranking/", RankingView.as_view(), name="ranking"),
    ]
