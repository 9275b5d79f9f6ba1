"""The expert review (评审) in the admin: reviewers assigned to projects, and their scores.

One model screen, the review assignments with their scores (a reviewer sees their own, a province administrator
every one). Its views: the assignment screen (province administrators add and remove reviewers, or complete every
project to a number of reviewers without conflicts), the scores of a call (a reviewer's scoring grid: several
projects saved at once; province administrators see every review) and the score form of one project.
"""

from django.contrib import messages
from django.db.models import Count, Prefetch
from django.http import Http404
from django.shortcuts import get_object_or_404
from django.utils.functional import cached_property
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from wagtail_modeladmin.options import ModelAdminGroup

from .. import access
from ..enums import ApplicationStatus
from ..exports import FormulaSafeIndexView
from ..forms.review import AssignForm, AutoAssignForm, ScoreForm
from ..models import Application, ReviewAssignment, Score
from ..services import review as rules
from .base import ActionView, AdminView, AwardsModelAdmin, PolicyMenuItem, ScopedInspectView, admin_url
from .filters import ProjectCallFilter
from .policy import PolicyPermissionHelper
from .recommendations import RecommendationAdmin, RecommendationListAdmin
from .round_screens import TEMPLATES, RoundExportMixin, RoundMixin, application_queryset, file_download_url

#: Projects a reviewer may still score (once proposed for a prize, the scores stand).
SCOREABLE = (ApplicationStatus.RECOMMENDED, ApplicationStatus.SCORED)


# Reviewer assignment


class AssignmentsView(RoundMixin, AdminView):
    """The call's projects in review with their reviewers; forms to add, remove and assign automatically."""

    call_switcher = True
    action = "round.assign"
    page_title = _("Reviewer assignment")
    template_name = TEMPLATES + "assignments.html"

    def get_context_data(self, **kwargs):
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
        return super().get_context_data(
            applications=applications,
            auto_form=AutoAssignForm(),
            reviewer_load=[(users[r.key], load.get(r.key, 0)) for r in reviewers],
            **kwargs,
        )


class AssignmentAction(RoundMixin, ActionView):
    """An action of the assignment screen, posted from it; back to it."""

    action = "round.assign"
    refused_by = (rules.ReviewError,)

    def get_success_url(self):
        return self.round_url("assignments")


class AssignView(AssignmentAction):
    form_class = AssignForm
    invalid_message = _("Choose a reviewer.")

    def get_object(self):
        application = get_object_or_404(Application, pk=self.kwargs["pk"])
        self.call = application.call
        return application

    def perform(self, form):
        rules.assign(user=self.request.user, application=self.object, reviewer=form.cleaned_data["reviewer"])

    def success_message(self, result):
        return gettext("Reviewer assigned.")


class UnassignView(AssignmentAction):
    def get_object(self):
        item = get_object_or_404(
            ReviewAssignment.objects.select_related("application", "reviewer"), pk=self.kwargs["pk"]
        )
        self.call = item.application.call
        return item

    def perform(self, form):
        rules.unassign(user=self.request.user, item=self.object)

    def success_message(self, result):
        return gettext("Reviewer removed.")


class AutoAssignView(AssignmentAction):
    form_class = AutoAssignForm
    invalid_message = _("Give the number of reviewers per project (1 to 20).")

    def perform(self, form):
        return rules.auto_assign(user=self.request.user, call=self.call, k=form.cleaned_data["k"])

    def success_message(self, result):
        return gettext("%(n)d assignments made.") % {"n": len(result.pairs)}

    def done(self, form, result):
        response = super().done(form, result)
        if result.short:
            messages.warning(
                self.request,
                gettext("%(n)d projects have fewer reviewers than asked: not enough reviewers without a conflict.")
                % {"n": len(result.short)},
            )
        return response


# Scoring


class ScoresView(RoundMixin, RoundExportMixin, ActionView):
    """A reviewer's assigned projects of a call, their own open ones as a scoring grid saved at once; province
    administrators see every review of the call."""

    call_switcher = True
    action = "round.scores"
    work_of = ("reviewer",)
    page_title = _("Expert review")
    template_name = TEMPLATES + "scores.html"
    export_filename = "scores"
    refused_by = (rules.ReviewError,)

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
            "reference": gettext("reference number"),
            "project": gettext("project name"),
            "unit": gettext("applicant unit name"),
            "reviewer": gettext("Reviewer"),
            "total": gettext("weighted total"),
            "comment": gettext("comment"),
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

    @cached_property
    def review_open(self):
        return rules.review_open(call=self.call)

    def get_form(self, data=None, files=None):
        """The grid: the rows of the screen, a reviewer's own open assignments each with its score form."""
        items = list(self.assignments().prefetch_related("application__files"))
        for item in items:
            by_criterion = {s.criterion_id: s.value for s in item.scores.all()}
            item.criterion_values = [by_criterion.get(c.pk) for c in self.criteria]
            item.materials = [(file, file_download_url(file)) for file in item.application.files.all()]
            item.form = None
            if self.review_open and item.reviewer_id == self.request.user.pk and item.application.status in SCOREABLE:
                item.form = ScoreForm(
                    data,
                    prefix=f"s{item.pk}",
                    criteria=self.criteria,
                    initial_scores=by_criterion,
                    initial={"comment": item.comment},
                    comment_rows=1,
                )
        return items

    def post(self, request, *args, **kwargs):
        """Save every row of the grid the reviewer changed (each row validated and saved on its own); rows left as
        they were are not touched. Rows refused stay marked on the grid, shown again."""
        items = self.get_form(request.POST)
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
            except self.refused_by as error:
                form.add_error(None, str(error))
                failed += 1
            else:
                saved += 1
        if failed:
            messages.error(
                request,
                gettext("%(saved)d projects saved; %(failed)d not saved: correct the marked rows.")
                % {"saved": saved, "failed": failed},
            )
            return self.show(items, status=400)
        return self.done(items, saved)

    def success_message(self, saved):
        return gettext("Scores saved for %(n)d projects.") % {"n": saved}

    def get_success_url(self):
        return self.round_url("scores")

    def show(self, items, status=200, **context):
        return self.render(
            status=status,
            items=items,
            criteria=self.criteria,
            review_open=self.review_open,
            editable=any(item.form for item in items),
            done=sum(1 for item in items if item.submitted_at),
            **context,
        )


class ScoreView(RoundMixin, ActionView):
    """A reviewer scores one of their projects; "save and next" goes on to their next project to score."""

    action = "round.score"
    page_title = _("Score a project")
    template_name = TEMPLATES + "score.html"
    refused_by = (rules.ReviewError,)
    refused_status = 409

    def get_object(self):
        item = get_object_or_404(
            ReviewAssignment.objects.select_related("application", "application__organization", "application__call"),
            pk=self.kwargs["pk"],
        )
        if not access.can(self.request.user, "assignment.score", item):
            raise Http404
        self.call = item.application.call
        return item

    def get_form(self, data=None, files=None):
        return ScoreForm(
            data,
            criteria=self.call.criteria.all(),
            initial_scores={s.criterion_id: s.value for s in self.object.scores.all()},
            initial={"comment": self.object.comment},
        )

    def perform(self, form):
        rules.save_scores(
            user=self.request.user, item=self.object, values=form.score_values(), comment=form.cleaned_data["comment"]
        )

    def success_message(self, result):
        return gettext("Scores saved: %(project)s.") % {"project": self.object.application.project_name}

    def next_item(self):
        """The reviewer's next project in this call to score: the next unscored one, else the next in the list."""
        item = self.object
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

    def get_success_url(self):
        following = self.next_item() if self.request.POST.get("next") == "1" else None
        if following is not None:
            return admin_url("score", following.pk)
        return self.round_url("scores")

    def get_context_data(self, **kwargs):
        return super().get_context_data(
            item=self.object,
            review_open=rules.review_open(call=self.call),
            materials=[(file, file_download_url(file)) for file in self.object.application.files.all()],
            next_item=self.next_item(),
            **kwargs,
        )


# The model screen


class ReviewAssignmentPermissionHelper(PolicyPermissionHelper):
    """Assignments are made and scored on the round's screens; here they are listed, inspected and exported."""

    list_action = inspect_action = "round.scores"


class ReviewAssignmentInspectView(ScopedInspectView):
    """An assignment with its scores, one line per criterion."""

    def get_context_data(self, **kwargs):
        return super().get_context_data(scores=self.instance.scores.all(), **kwargs)


class ReviewAssignmentAdmin(AwardsModelAdmin):
    """Every review: the project, the reviewer, the weighted total and when the scores were given."""

    model = ReviewAssignment
    index_view_class = FormulaSafeIndexView
    menu_label = _("Review assignments")
    menu_icon = "group"
    list_display = ("application", "reviewer_name", "total", "submitted_at")
    list_export = ("application", "reviewer_name", "total", "comment", "submitted_at")
    list_filter = (ProjectCallFilter,)
    search_fields = (
        "application__reference",
        "application__project_name",
        "reviewer__username",
        "reviewer__first_name",
        "reviewer__last_name",
    )
    list_select_related = ("application", "reviewer")
    inspect_view_enabled = True
    inspect_view_class = ReviewAssignmentInspectView
    inspect_view_fields = ("application", "reviewer", "total", "comment", "submitted_at")
    inspect_template_name = TEMPLATES + "assignment_inspect.html"
    permission_helper_class = ReviewAssignmentPermissionHelper
    index_references = False
    admin_views = (
        ("awards/review/assignments/", AssignmentsView, "assignments"),
        ("awards/review/assignments/<awards_id:pk>/add/", AssignView, "assign"),
        ("awards/review/assignments/auto/", AutoAssignView, "auto_assign"),
        ("awards/review/assignments/<awards_id:pk>/remove/", UnassignView, "unassign"),
        ("awards/review/scores/", ScoresView, "scores"),
        ("awards/review/scores/<awards_id:pk>/", ScoreView, "score"),
    )

    def get_queryset(self, request):
        return access.assignments_for(request.user, super().get_queryset(request))

    def reviewer_name(self, obj):
        return obj.reviewer.get_full_name() or obj.reviewer.get_username()

    reviewer_name.short_description = _("Reviewer")
    reviewer_name.admin_order_field = "reviewer__username"


class ReviewAdminGroup(ModelAdminGroup):
    """The 评审 menu: the round's work screens, each shown to whoever the policy lets open it, then the model
    screens of the recommendation and the review."""

    menu_label = _("Review")
    menu_icon = "tasks"
    menu_item_name = "awards-review"
    menu_order = 240
    items = (RecommendationListAdmin, RecommendationAdmin, ReviewAssignmentAdmin)
    #: ``(label, URL name, policy action, icon)`` of the work screens, first in the menu.
    work_screens = (
        (_("Projects in the round"), "projects", "round.projects", "list-ul"),
        (_("Preliminary review and recommendation"), "recommend", "round.recommend", "tasks"),
        (_("Reviewer assignment"), "assignments", "round.assign", "group"),
        (_("Expert review"), "scores", "round.scores", "edit"),
        (_("Ranking and prizes"), "ranking", "round.rank", "order"),
    )

    def get_submenu_items(self):
        items = [
            PolicyMenuItem(label, url_name, action=action, icon_name=icon, order=100 * number)
            for number, (label, url_name, action, icon) in enumerate(self.work_screens, start=1)
        ]
        for number, model_admin in enumerate(self.modeladmin_instances, start=1):
            items.append(model_admin.get_menu_item(order=1000 + number))
        return items
