"""Applications in the Wagtail admin: a list with filters and search, an inspect view with answers and files, and
the history of every status change. Past awards are listed here too (imported with ``import_past_awards``).

What a user sees is scoped by :mod:`wagtail_awards.access` (the round's rows: province administrators see every
application from submitted on, a recommender only the applicants of their own organisation, a reviewer only
assigned applications). Other admin screens may subclass :class:`ApplicationAdmin` and narrow
:meth:`ApplicationAdmin.get_queryset` further.
"""

from django.contrib import messages
from django.contrib.admin import SimpleListFilter
from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404, redirect
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from wagtail.admin.ui.tables import Column, DateColumn, UserColumn
from wagtail_modeladmin.views import HistoryView

from .. import access
from ..exports import FormulaSafeIndexView
from ..forms.applications import PastAwardImportForm
from ..models import Application, CallPage, PastAward
from ..rules.ids import parse_id
from ..services.applications import decide_past_award
from ..services.past_awards import import_past_awards, read_rows
from .base import AwardsModelAdmin
from .display import WordsInspectView
from .policy import PolicyPermissionHelper


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
                past_award_url=reverse("wagtail_awards_application_past_award", args=[application.pk]),
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


def past_award_view(request, pk):
    """A province administrator decides on an application near an earlier award (POST): same project or not."""
    application = get_object_or_404(Application, pk=pk)
    if request.method != "POST" or not access.can(request.user, "application.decide_past_award", application):
        raise PermissionDenied
    same = request.POST.get("decision") == "same"
    decide_past_award(application=application, same=same, by=request.user, reason=request.POST.get("reason", "")[:500])
    messages.success(
        request,
        _("Marked ineligible: the same project as an earlier award.") if same else _("Cleared: not an earlier award."),
    )
    return redirect(reverse("wagtail_awards_application_modeladmin_inspect", args=[application.pk]))


class CallFilter(SimpleListFilter):
    """By call (Django's related-field filter needs ``django.contrib.admin``, which a Wagtail site may not run)."""

    title = _("call")
    parameter_name = "call"
    #: The lookup of the call's id from the listed model.
    lookup = "call_id"

    def lookups(self, request, model_admin):
        return [(str(call.pk), label) for call, label in CallPage.menu()]

    def queryset(self, request, queryset):
        call_id = parse_id(self.value())
        return queryset.filter(**{self.lookup: call_id}) if call_id else queryset


class ProjectCallFilter(CallFilter):
    """By the call of the project (for awards and objections)."""

    lookup = "application__call_id"


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

    def get_admin_urls_for_registration(self):
        from django.urls import path

        return super().get_admin_urls_for_registration() + (
            path(
                "wagtail_awards/application/<int:pk>/past-award/",
                past_award_view,
                name="wagtail_awards_application_past_award",
            ),
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


class PastAwardAdmin(AwardsModelAdmin):
    model = PastAward
    permission_helper_class = PastAwardPermissionHelper
    index_view_class = FormulaSafeIndexView
    menu_label = _("Past awards")
    menu_icon = "history"
    list_display = ("year", "project_name", "unit_name", "prize")
    list_filter = ("year",)
    search_fields = ("project_name", "unit_name")
    index_template_name = "wagtail_awards/admin/applications/past_award_index.html"

    def get_admin_urls_for_registration(self):
        from django.urls import path

        return super().get_admin_urls_for_registration() + (
            path(
                "wagtail_awards/pastaward/import/",
                self.import_view,
                name="wagtail_awards_pastaward_import",
            ),
        )

    def import_view(self, request):
        """Province administrators upload a CSV or XLSX of earlier years' awards (see ``import_past_awards``)."""
        import tempfile
        from pathlib import Path

        from django.template.response import TemplateResponse

        if not access.can(request.user, "past_awards.manage"):
            raise PermissionDenied
        form = PastAwardImportForm(request.POST or None, request.FILES or None)
        errors = []
        if request.method == "POST" and form.is_valid():
            upload = form.cleaned_data["file"]
            suffix = Path(upload.name).suffix.lower()
            with tempfile.NamedTemporaryFile(suffix=suffix) as handle:
                for chunk in upload.chunks():
                    handle.write(chunk)
                handle.flush()
                try:
                    rows = read_rows(handle.name)
                except Exception:  # noqa: BLE001 - any unreadable file gets the same answer
                    rows = None
            if rows is None:
                errors = [_("The file could not be read as CSV or XLSX.")]
            else:
                result = import_past_awards(rows=rows)
                errors = result.errors
                if not errors:
                    messages.success(
                        request,
                        _("%(created)d past awards imported, %(unchanged)d already present.")
                        % {"created": result.created, "unchanged": result.unchanged},
                    )
                    return redirect(self.url_helper.index_url)
        return TemplateResponse(
            request,
            "wagtail_awards/admin/applications/past_award_import.html",
            {"form": form, "errors": errors, "index_url": self.url_helper.index_url},
            status=400 if errors or form.errors else 200,
        )
