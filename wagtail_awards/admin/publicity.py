"""Admin screens of the publicity stage: objections, awards (with cancellation) and the subsidy table."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils import timezone
from django.utils.functional import cached_property
from django.utils.html import format_html
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from wagtail.admin.menu import MenuItem
from wagtail_modeladmin.helpers import ButtonHelper
from wagtail_modeladmin.options import ModelAdmin, ModelAdminGroup

from .. import access
from ..domain import publicity, subsidy
from ..enums import AwardStatus
from ..exports import FormulaSafeIndexView, xlsx_response
from ..forms.publicity import CancelAwardForm
from ..models import Award, CallPage, Objection
from .policy import PolicyPermissionHelper


class ObjectionPermissionHelper(PolicyPermissionHelper):
    """Objections come from the site; province administrators handle them (status, finding, reply)."""

    list_action = inspect_action = edit_action = "objections.handle"


class AwardPermissionHelper(PolicyPermissionHelper):
    """Awards come from the review; province administrators see them and edit the federation flag."""

    list_action = inspect_action = "awards.view"
    edit_action = "awards.edit"


class ObjectionAdmin(ModelAdmin):
    model = Objection
    index_view_class = FormulaSafeIndexView
    menu_label = gettext_lazy("Objections")
    menu_icon = "warning"
    list_display = ("application", "name", "contact", "status", "created_at", "evidence")
    list_filter = ("status", "application__call__title")
    search_fields = ("name", "contact", "content", "application__project_name")
    list_select_related = ("application",)
    inspect_view_enabled = True
    inspect_view_fields = ("application", "name", "contact", "content", "file_name", "status", "finding", "reply")
    permission_helper_class = ObjectionPermissionHelper
    form_fields_exclude = ("application", "name", "contact", "content", "file", "file_name", "ip_hash")

    def evidence(self, obj):
        if not obj.file:
            return ""
        return format_html(
            '<a href="{}">{}</a>',
            reverse("wagtail_awards_objection_file", args=[obj.pk]),
            obj.file_name or _("Download"),
        )

    evidence.short_description = gettext_lazy("Evidence")

    def get_admin_urls_for_registration(self):
        return super().get_admin_urls_for_registration() + (
            path("wagtail_awards/objection/<int:pk>/file/", self.file_view, name="wagtail_awards_objection_file"),
        )

    def file_view(self, request, pk):
        """The evidence file, as a download, to users who may see objections."""
        if not access.can(request.user, "objections.handle"):
            raise PermissionDenied
        objection = get_object_or_404(Objection, pk=pk)
        if not objection.file:
            raise Http404
        return FileResponse(
            objection.file.open("rb"),
            as_attachment=True,
            filename=objection.file_name or "evidence",
            content_type="application/octet-stream",
        )


class AwardButtonHelper(ButtonHelper):
    @cached_property
    def may_cancel(self):
        # Once per listing, not once per row.
        return access.can(self.request.user, "awards.cancel")

    def get_buttons_for_obj(self, obj, exclude=None, classnames_add=None, classnames_exclude=None):
        buttons = super().get_buttons_for_obj(obj, exclude, classnames_add, classnames_exclude)
        if obj.status == AwardStatus.PROPOSED and self.may_cancel:
            buttons.append(
                {
                    "url": reverse("wagtail_awards_award_cancel", args=[obj.pk]),
                    "label": _("Cancel award"),
                    "classname": "button button-small button-secondary no",
                    "title": _("Cancel this proposed award with a reason"),
                }
            )
        return buttons


class AwardAdmin(ModelAdmin):
    model = Award
    index_view_class = FormulaSafeIndexView
    menu_label = gettext_lazy("Award list")
    menu_icon = "trophy"
    list_display = ("application", "prize_rank", "most_popular", "status", "federation_subsidised", "subsidy")
    list_filter = ("status", "most_popular", "federation_subsidised", "application__call__title")
    search_fields = ("application__project_name", "application__unit_name")
    list_select_related = ("application",)
    inspect_view_enabled = True
    permission_helper_class = AwardPermissionHelper
    button_helper_class = AwardButtonHelper
    # Prizes are decided in the review stage; here only the federation flag is edited.
    form_fields_exclude = (
        "application",
        "prize_rank",
        "most_popular",
        "status",
        "cancel_category",
        "cancel_reason",
        "cancelled_at",
        "cancelled_by",
        "finalised_at",
        "subsidy",
        "decided_by",
    )

    def get_admin_urls_for_registration(self):
        return super().get_admin_urls_for_registration() + (
            path("wagtail_awards/award/<int:pk>/cancel/", cancel_award_view, name="wagtail_awards_award_cancel"),
            path("wagtail_awards/subsidies/", subsidy_view, name="wagtail_awards_subsidies"),
        )


def cancel_award_view(request, pk):
    """Cancel a proposed award (虚假、错报、内容不实); province administrators only."""
    if not access.can(request.user, "awards.cancel"):
        raise PermissionDenied
    award = get_object_or_404(Award.objects.select_related("application", "application__call"), pk=pk)
    call = award.application.call
    # An award whose period has ended is final, not proposed, even if no one has opened the page since.
    publicity.finalise_awards(call=call, now=timezone.now())
    award.refresh_from_db()
    form = CancelAwardForm(request.POST or None)
    if request.method == "POST" and award.status == AwardStatus.PROPOSED and form.is_valid():
        try:
            publicity.cancel_award(
                award=award,
                category=form.cleaned_data["category"],
                reason=form.cleaned_data["reason"],
                user=request.user,
                now=timezone.now(),
            )
        except publicity.PublicityError as exc:
            messages.error(request, str(exc))
        else:
            messages.success(
                request, _("The award of “%(project)s” is cancelled.") % {"project": award.application.project_name}
            )
            return redirect(reverse("wagtail_awards_award_modeladmin_index"))
    return TemplateResponse(
        request,
        "wagtail_awards/admin/publicity/cancel_award.html",
        {
            "award": award,
            "form": form,
            "can_cancel": award.status == AwardStatus.PROPOSED,
            "page_title": _("Cancel award"),
            "header_title": _("Cancel award"),
            "header_icon": "trophy",
        },
    )


def subsidy_view(request):
    """The subsidy table (奖补) of one call with totals; ``?format=xlsx`` downloads it as a spreadsheet."""
    if not access.can(request.user, "subsidies.view"):
        raise PermissionDenied
    calls = list(CallPage.objects.filter(applications__award__isnull=False).distinct().order_by("-year"))
    call = None
    if request.GET.get("call", "").isdigit():
        call = next((c for c in calls if c.pk == int(request.GET["call"])), None)
    call = call or (calls[0] if calls else None)
    table = subsidy.table_for_call(call=call) if call else None
    levels = {level.rank: level.name for level in call.prize_levels.all()} if call else {}
    if table is not None and request.GET.get("format") == "xlsx":
        return _xlsx(call, table, levels)
    return TemplateResponse(
        request,
        "wagtail_awards/admin/publicity/subsidies.html",
        {
            "calls": calls,
            "call": call,
            "table": table,
            "levels": levels,
            "page_title": _("Subsidies"),
            "header_title": _("Subsidies"),
            "header_icon": "table",
        },
    )


def _xlsx(call, table, levels):
    rows = [
        [
            line.facts.project,
            line.facts.unit,
            levels.get(line.facts.prize_rank, ""),
            _("Yes") if line.facts.most_popular else "",
            str(line.facts.status),
            str(line.subsidy.basis.label),
            float(line.subsidy.amount),
        ]
        for line in table.lines
    ]
    rows.append([_("Total"), "", "", "", "", "", float(table.total)])
    return xlsx_response(
        filename=f"subsidies-{call.year}",
        headings=[_("Project"), _("Unit"), _("Prize"), _("Most popular"), _("Status"), _("Basis"), _("Subsidy (yuan)")],
        rows=rows,
        sheet_title=str(call.year),
    )


class SubsidyMenuItem(MenuItem):
    def is_shown(self, request):
        return access.can(request.user, "subsidies.view")


class PublicityAdminGroup(ModelAdminGroup):
    menu_label = gettext_lazy("Publicity and results")
    menu_icon = "doc-full"
    menu_order = 260
    items = (AwardAdmin, ObjectionAdmin)

    def get_submenu_items(self):
        items = super().get_submenu_items()
        items.append(
            SubsidyMenuItem(
                gettext_lazy("Subsidies"),
                reverse("wagtail_awards_subsidies"),
                icon_name="table",
                order=len(items) + 1,
            )
        )
        return items
