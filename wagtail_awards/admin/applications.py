"""Applications in the Wagtail admin: a list with filters and search, an inspect view with answers and files, and
the history of every status change; the round's list of projects of one call and its project screen; a province
administrator's decision on an application near an earlier award. Past awards are listed here too (imported in the
admin or with ``import_past_awards``).

What a user sees is scoped by :mod:`wagtail_awards.access` (the round's rows: province administrators see every
application from submitted on, a recommender only the applicants of their own organisation, a reviewer only
assigned applications). Other admin screens may subclass :class:`ApplicationAdmin` and narrow
:meth:`ApplicationAdmin.get_queryset` further.
"""

import tempfile
from pathlib import Path

from django import forms
from django.contrib.admin import SimpleListFilter
from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils.functional import cached_property
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from wagtail.admin.ui.tables import Column, DateColumn, UserColumn
from wagtail.coreutils import multigetattr
from wagtail_modeladmin.views import HistoryView

from .. import access
from ..enums import ApplicationStatus
from ..exports import FormulaSafeIndexView
from ..forms.applications import PastAwardImportForm
from ..models import Application, ApplicationFile, ApplicationFormPage, PastAward, Recommendation, ReviewAssignment
from ..rules.applications import display_answer
from ..services.applications import decide_past_award
from ..services.past_awards import import_past_awards, read_rows
from .base import ActionView, AdminView, AwardsModelAdmin, admin_url
from .display import WordsInspectView
from .filters import CallFilter
from .policy import PolicyPermissionHelper
from .round_screens import TEMPLATES, RoundExportMixin, RoundMixin, application_queryset, file_download_url


class ApplicationPermissionHelper(PolicyPermissionHelper):
    """Applications change through the site and the round's own screens, never through a generic edit form."""

    list_action = "round.projects"
    inspect_action = "application.view"


class ApplicationInspectView(WordsInspectView):
    def get_context_data(self, **kwargs):
        application = self.instance
        if application.past_award_matches and application.past_award_cleared_at is None:
            kwargs.update(
                past_award_matches=application.past_award_matches,
                may_decide_past_award=access.can(self.request.user, "application.decide_past_award", application),
                past_award_url=admin_url("decide_past_award", application.pk),
            )
        kwargs.update(
            application=application,
            answers=application.labelled_answers(),
            files=[
                (item, reverse("wagtail_awards:application_file", args=[item.pk])) for item in application.files.all()
            ],
            history_url=self.url_helper.get_action_url("history", self.pk_quoted),
        )
        return super().get_context_data(**kwargs)


class ApplicationHistoryView(HistoryView):
    # wagtail-modeladmin names the user column in English ("User", "system"), outside any catalogue.
    columns = [
        Column("message", label=_("Action")),
        UserColumn("user", label=_("User"), blank_display_name=_("System")),
        DateColumn("timestamp", label=_("Date")),
    ]

    def check_action_permitted(self, user):
        return access.can(user, "application.history", self.instance)


class PastAwardFilter(SimpleListFilter):
    """Applications near an earlier award, waiting for a province administrator's decision."""

    title = _("past awards")
    parameter_name = "past_award"

    def lookups(self, request, model_admin):
        return [("near", _("Near an earlier award, to check"))]

    def queryset(self, request, queryset):
        if self.value() == "near":
            return queryset.exclude(past_award_matches=[]).filter(past_award_cleared_at__isnull=True)
        return queryset


class PastAwardDecisionForm(forms.Form):
    decision = forms.ChoiceField(choices=[("same", "same"), ("other", "other")])
    reason = forms.CharField(required=False, max_length=500)


class PastAwardDecisionView(ActionView):
    """A province administrator decides on an application near an earlier award (POST, from its inspect screen):
    the same project (ineligible) or another one (cleared)."""

    form_class = PastAwardDecisionForm
    invalid_message = _("Choose whether it is the same project as the earlier award.")

    def permitted(self, user):
        return True  # decided on the application itself (get_object)

    def get_object(self):
        application = get_object_or_404(Application, pk=self.kwargs["pk"])
        if not access.can(self.request.user, "application.decide_past_award", application):
            raise PermissionDenied
        return application

    def perform(self, form):
        same = form.cleaned_data["decision"] == "same"
        decide_past_award(application=self.object, same=same, by=self.request.user, reason=form.cleaned_data["reason"])
        return same

    def success_message(self, same):
        if same:
            return gettext("Marked ineligible: the same project as an earlier award.")
        return gettext("Cleared: not an earlier award.")

    def get_success_url(self):
        return self.model_admin.url_helper.get_action_url("inspect", self.object.pk)


# The round's projects (评审 → 参评项目)


class RoundProjectsView(RoundMixin, RoundExportMixin, AdminView):
    """The projects of one call as the user's round role shows them, by status; the export has a column for each
    field the editor added to the call's application form."""

    call_switcher = True
    action = "round.projects"
    page_title = _("Projects in the round")
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
        "reference": _("reference number"),
        "project_name": _("project name"),
        "unit_name": _("applicant unit name"),
        "organization.name": _("applicant unit"),
        "organization.city": _("city"),
        "recommending_organization.name": _("recommending organisation"),
        "theme": _("theme"),
        "get_status_display": _("status"),
        "submitted_at": _("submitted"),
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

    @cached_property
    def status(self):
        status = self.request.GET.get("status")
        return status if status in ApplicationStatus.values else ""

    def rows(self):
        queryset = access.visible_applications(self.request.user, access.Purpose.ROUND).filter(call=self.call)
        if self.status:
            queryset = queryset.filter(status=self.status)
        return application_queryset().filter(pk__in=queryset.values("pk"))

    def export_rows(self):
        return self.rows()

    def get_context_data(self, **kwargs):
        return super().get_context_data(
            applications=list(self.rows()),
            statuses=[choice for choice in ApplicationStatus.choices if choice[0] != ApplicationStatus.DRAFT],
            status=self.status,
            status_query=f"&status={self.status}" if self.status else "",
            **kwargs,
        )


class RoundProjectView(RoundMixin, AdminView):
    """One project of the round: its facts, answers and files, its recommendation and reviews as the user may see
    them."""

    action = "round.projects"
    page_title = _("Project")
    template_name = TEMPLATES + "application.html"

    def get_object(self):
        visible = access.visible_applications(self.request.user, access.Purpose.ROUND)
        application = get_object_or_404(
            application_queryset().filter(pk__in=visible.values("pk")), pk=self.kwargs["pk"]
        )
        self.call = application.call
        return application

    def get_page_subtitle(self):
        return self.object.project_name

    def get_context_data(self, **kwargs):
        application, user = self.object, self.request.user
        reviews = ReviewAssignment.objects.filter(application=application).select_related("reviewer")
        if not access.can(user, "application.view_all_reviews", application):
            reviews = reviews.filter(reviewer=user)
        recommendation = None
        if access.can(user, "application.view_recommendation", application):
            recommendation = Recommendation.objects.filter(application=application).first()
        files = ApplicationFile.objects.filter(application=application)
        return super().get_context_data(
            application=application,
            files=[(file, file_download_url(file)) for file in files],
            reviews=reviews.prefetch_related("scores"),
            recommendation=recommendation,
            answers=application.labelled_answers(),
            **kwargs,
        )


class ApplicationAdmin(AwardsModelAdmin):
    model = Application
    index_view_class = FormulaSafeIndexView
    menu_label = _("Applications")
    menu_icon = "form"
    list_display = ("reference", "project_name", "organization", "city", "theme", "status", "submitted_at")
    list_filter = (CallFilter, "organization__city", "status", "theme", PastAwardFilter)
    search_fields = ("reference", "project_name", "unit_name", "organization__name", "reviewing_unit")
    list_select_related = ("call", "organization")
    list_export = (
        "reference",
        "project_name",
        "unit_name",
        "organization",
        "city",
        "theme",
        "status_label",
        "submitted_at",
    )
    inspect_view_enabled = True
    inspect_view_class = ApplicationInspectView
    inspect_view_fields = (
        "reference",
        "status",
        "status_reason",
        "call",
        "organization",
        "recommending_organization",
        "applicant",
        "reviewing_unit",
        "responsible_department",
        "unit_name",
        "project_name",
        "theme",
        "declaration",
        "created_at",
        "submitted_at",
    )
    inspect_template_name = "wagtail_awards/admin/applications/inspect.html"
    history_view_class = ApplicationHistoryView
    permission_helper_class = ApplicationPermissionHelper
    admin_views = (
        ("wagtail_awards/application/<awards_id:pk>/past-award/", PastAwardDecisionView, "decide_past_award"),
        ("awards/review/applications/", RoundProjectsView, "projects"),
        ("awards/review/applications/<awards_id:pk>/", RoundProjectView, "project"),
    )

    def get_queryset(self, request):
        """Only what ``request.user`` may see (the hook other screens narrow further)."""
        return access.visible_applications(request.user, access.Purpose.ROUND, super().get_queryset(request))

    def city(self, obj):
        return obj.organization.city

    city.short_description = _("city")
    city.admin_order_field = "organization__city"

    def status_label(self, obj):
        return obj.get_status_display()

    status_label.short_description = _("status")


class PastAwardPermissionHelper(PolicyPermissionHelper):
    """Past awards are the province's records: province administrators list, add, change and import them."""

    list_action = create_action = inspect_action = edit_action = delete_action = "past_awards.manage"


class ImportRefused(Exception):
    def __init__(self, errors):
        super().__init__(errors)
        self.errors = errors


class PastAwardImportView(ActionView):
    """Province administrators upload a CSV or XLSX of earlier years' awards (as ``import_past_awards`` reads
    them); nothing is imported when any line is wrong, and every wrong line is named."""

    action = "past_awards.manage"
    page_title = _("Import past awards")
    header_icon = "history"
    template_name = "wagtail_awards/admin/applications/past_award_import.html"
    form_class = PastAwardImportForm
    refused_by = (ImportRefused,)

    def perform(self, form):
        upload = form.cleaned_data["file"]
        with tempfile.NamedTemporaryFile(suffix=Path(upload.name).suffix.lower()) as handle:
            for chunk in upload.chunks():
                handle.write(chunk)
            handle.flush()
            try:
                rows = read_rows(handle.name)
            except Exception as error:  # noqa: BLE001 - any unreadable file gets the same answer
                raise ImportRefused([gettext("The file could not be read as CSV or XLSX.")]) from error
        result = import_past_awards(rows=rows)
        if result.errors:
            raise ImportRefused(result.errors)
        return result

    def success_message(self, result):
        return gettext("%(created)d past awards imported, %(unchanged)d already present.") % {
            "created": result.created,
            "unchanged": result.unchanged,
        }

    def refused(self, form, error):
        return self.show(form, status=400, errors=error.errors)

    def get_context_data(self, **kwargs):
        return super().get_context_data(index_url=self.model_admin.url_helper.index_url, **kwargs)


class PastAwardAdmin(AwardsModelAdmin):
    model = PastAward
    permission_helper_class = PastAwardPermissionHelper
    index_view_class = FormulaSafeIndexView
    menu_label = _("Past awards")
    menu_icon = "history"
    list_display = ("year", "project_name", "unit_name", "prize")
    list_filter = ("year",)
    search_fields = ("project_name", "unit_name")
    inspect_view_enabled = True
    inspect_view_class = WordsInspectView
    inspect_view_fields = ("year", "project_name", "unit_name", "prize", "organization")
    index_template_name = "wagtail_awards/admin/applications/past_award_index.html"
    admin_views = (("wagtail_awards/pastaward/import/", PastAwardImportView, "import_past_awards"),)
