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
from wagtail.admin.panels import FieldPanel, Panel
from wagtail_modeladmin.helpers import ButtonHelper
from wagtail_modeladmin.options import ModelAdminGroup

from .. import (
    access,
    converters,  # noqa: F401 - registers <awards_id:…>
)
from ..enums import AwardStatus
from ..exports import FormulaSafeIndexView, xlsx_response
from ..forms.publicity import CancelAwardForm
from ..models import Award, CallPage, Objection
from ..rules.ids import parse_id
from ..services import publicity, subsidy
from .applications import ProjectCallFilter
from .base import AwardsModelAdmin
from .display import WordsInspectView
from .policy import PolicyPermissionHelper


class ObjectionPermissionHelper(PolicyPermissionHelper):
    """Objections come from the site; province administrators handle them (status, finding, reply)."""

    list_action = inspect_action = edit_action = "objections.handle"


class AwardPermissionHelper(PolicyPermissionHelper):
    """Awards come from the review; province administrators see them and edit the federation flag."""

    list_action = inspect_action = "awards.view"
    edit_action = "awards.edit"


class ObjectionFactsPanel(Panel):
    """What was filed (project, person, contact, text, evidence), shown above the fields an administrator fills in."""

    class BoundPanel(Panel.BoundPanel):
        template_name = "wagtail_awards/admin/publicity/objection_facts.html"

        def get_context_data(self, parent_context=None):
            context = super().get_context_data(parent_context)
            objection = self.instance
            context.update(
                objection=objection,
                evidence_url=reverse("wagtail_awards_objection_file", args=[objection.pk])
                if objection.pk and objection.file
                else "",
            )
            return context


class ObjectionAdmin(AwardsModelAdmin):
    model = Objection
    index_view_class = FormulaSafeIndexView
    menu_label = gettext_lazy("Objections")
    menu_icon = "warning"
    list_display = ("application", "name", "contact", "content_excerpt", "status", "created_at", "repeats", "evidence")
    list_filter = ("status", ProjectCallFilter)
    search_fields = ("name", "contact", "content", "application__project_name")
    list_select_related = ("application",)
    inspect_view_enabled = True
    inspect_view_class = WordsInspectView
    inspect_view_fields = (
        "application",
        "name",
        "contact",
        "content",
        "file_name",
        "repeats",
        "status",
        "finding",
        "reply",
    )
    permission_helper_class = ObjectionPermissionHelper
    panels = [ObjectionFactsPanel(), FieldPanel("status"), FieldPanel("finding"), FieldPanel("reply")]

    def content_excerpt(self, obj):
        return obj.content[:60] + ("…" if len(obj.content) > 60 else "")

    content_excerpt.short_description = gettext_lazy("content")

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
            path("wagtail_awards/objection/<awards_id:pk>/file/", self.file_view, name="wagtail_awards_objection_file"),
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


class AwardAdmin(AwardsModelAdmin):
    model = Award
    index_view_class = FormulaSafeIndexView
    menu_label = gettext_lazy("Award list")
    menu_icon = "success"
    list_display = ("application", "prize", "most_popular", "status", "federation_subsidised", "subsidy_amount")
    list_filter = ("status", "most_popular", "federation_subsidised", ProjectCallFilter)
    search_fields = ("application__reference", "application__project_name", "application__unit_name")
    list_select_related = ("application", "application__call")
    inspect_view_enabled = True
    inspect_view_class = WordsInspectView
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

    def get_queryset(self, request):
        # Prize names and subsidy rates of every listed call in one query.
        return super().get_queryset(request).prefetch_related("application__call__prize_levels")

    def prize(self, obj):
        names = {level.rank: level.name for level in obj.application.call.prize_levels.all()}
        return names.get(obj.prize_rank, obj.prize_rank or "")

    prize.short_description = gettext_lazy("prize")

    def subsidy_amount(self, obj):
        """As the subsidy screen computes it (a proposed award has no stored amount yet)."""
        rates = subsidy.rates_for_call(call=obj.application.call)
        return subsidy.amount_for(
            prize_rank=obj.prize_rank,
            most_popular=obj.most_popular,
            federation_subsidised=obj.federation_subsidised,
            cancelled=obj.status == AwardStatus.CANCELLED,
            rates=rates,
        ).amount

    subsidy_amount.short_description = gettext_lazy("subsidy (yuan)")

    def get_admin_urls_for_registration(self):
        return super().get_admin_urls_for_registration() + (
            path("wagtail_awards/award/<awards_id:pk>/cancel/", cancel_award_view, name="wagtail_awards_award_cancel"),
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
            "header_icon": "success",
        },
    )


def subsidy_view(request):
    """The subsidy table (奖补) of one call with totals; ``?format=xlsx`` downloads it as a spreadsheet."""
    if not access.can(request.user, "subsidies.view"):
        raise PermissionDenied
    calls = list(CallPage.objects.filter(applications__award__isnull=False).distinct().order_by("-year"))
    labels = {option.pk: label for option, label in CallPage.menu()}
    for option in calls:
        option.menu_label = labels.get(option.pk, option.title)
    call = None
    call_id = parse_id(request.GET.get("call", ""))
    if call_id:
        call = next((c for c in calls if c.pk == call_id), None)
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
