"""Admin screens of the publicity stage: objections, awards (with cancellation) and the subsidy table."""

from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404
from django.utils import timezone
from django.utils.functional import cached_property
from django.utils.html import format_html
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from wagtail.admin.panels import FieldPanel, Panel
from wagtail_modeladmin.helpers import ButtonHelper
from wagtail_modeladmin.options import ModelAdminGroup

from .. import access
from ..enums import AwardStatus
from ..exports import FormulaSafeIndexView, xlsx_response
from ..forms.publicity import CancelAwardForm
from ..models import Award, CallPage, Objection
from ..rules.ids import parse_id
from ..rules.publicity import cancel_refusal
from ..services import publicity, subsidy
from .base import ActionView, AdminView, AwardsModelAdmin, PolicyMenuItem, admin_url
from .display import WordsInspectView
from .filters import ProjectCallFilter
from .policy import PolicyPermissionHelper
from .ranking import RankingView


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
                evidence_url=admin_url("objection_file", objection.pk) if objection.pk and objection.file else "",
            )
            return context


class EvidenceView(AdminView):
    """The evidence file of an objection, as a download, to users who may handle objections."""

    action = "objections.handle"

    def get_object(self):
        objection = get_object_or_404(Objection, pk=self.kwargs["pk"])
        if not objection.file:
            raise Http404
        return objection

    def get(self, request, *args, **kwargs):
        return FileResponse(
            self.object.file.open("rb"),
            as_attachment=True,
            filename=self.object.file_name or "evidence",
            content_type="application/octet-stream",
        )


class ObjectionAdmin(AwardsModelAdmin):
    model = Objection
    index_view_class = FormulaSafeIndexView
    menu_label = gettext_lazy("Objections")
    menu_icon = "warning"
    list_display = ("application", "name", "contact", "content_excerpt", "status", "created_at", "repeats", "evidence")
    list_export = ("application", "name", "contact", "content", "status", "created_at", "repeats", "file_name")
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
            admin_url("objection_file", obj.pk),
            obj.file_name or _("Download"),
        )

    evidence.short_description = gettext_lazy("Evidence")

    admin_views = (("wagtail_awards/objection/<awards_id:pk>/file/", EvidenceView, "objection_file"),)


class AwardButtonHelper(ButtonHelper):
    @cached_property
    def may_cancel(self):
        # Once per listing, not once per row.
        return access.can(self.request.user, "awards.cancel")

    @cached_property
    def _periods(self):
        return {}

    def _cancellable(self, award):
        """Whether the rule lets ``award`` be cancelled now (each call's publicity period worked out once)."""
        call = award.application.call
        if call.pk not in self._periods:
            self._periods[call.pk] = call.publicity_countdown(now=timezone.now())
        return cancel_refusal(status=award.status, period=self._periods[call.pk]) is None

    def get_buttons_for_obj(self, obj, exclude=None, classnames_add=None, classnames_exclude=None):
        buttons = super().get_buttons_for_obj(obj, exclude, classnames_add, classnames_exclude)
        if obj.status == AwardStatus.PROPOSED and self.may_cancel and self._cancellable(obj):
            buttons.append(
                {
                    "url": admin_url("cancel_award", obj.pk),
                    "label": _("Cancel award"),
                    "classname": "button button-small button-secondary no",
                    "title": _("Cancel this proposed award with a reason"),
                }
            )
        return buttons


class CancelAwardView(ActionView):
    """Cancel a proposed award (虚假、错报、内容不实) with a reason; province administrators only."""

    action = "awards.cancel"
    page_title = gettext_lazy("Cancel award")
    template_name = "wagtail_awards/admin/publicity/cancel_award.html"
    form_class = CancelAwardForm
    refused_by = (publicity.PublicityError,)
    # The page, not a 400, answers a form without a reason, and a refusal (the award is no longer proposed).
    invalid_status = refused_status = 200

    def get_object(self):
        return get_object_or_404(Award.objects.select_related("application", "application__call"), pk=self.kwargs["pk"])

    def perform(self, form):
        publicity.cancel_award(
            award=self.object,
            category=form.cleaned_data["category"],
            reason=form.cleaned_data["reason"],
            user=self.request.user,
            now=timezone.now(),
        )

    def success_message(self, result):
        return _("The award of “%(project)s” is cancelled.") % {"project": self.object.application.project_name}

    def get_context_data(self, **kwargs):
        # Reading the screen writes nothing: an award whose period has ended waits for ``awards_finalise``.
        period = self.object.application.call.publicity_countdown(now=timezone.now())
        refusal = cancel_refusal(status=self.object.status, period=period)
        return super().get_context_data(award=self.object, can_cancel=refusal is None, refusal=refusal, **kwargs)


class SubsidyView(AdminView):
    """The subsidy table (奖补) of one call with totals; ``?format=xlsx`` downloads it as a spreadsheet."""

    action = "subsidies.view"
    page_title = gettext_lazy("Subsidies")
    header_icon = "table"
    template_name = "wagtail_awards/admin/publicity/subsidies.html"

    @cached_property
    def calls(self):
        calls = list(CallPage.objects.filter(applications__award__isnull=False).distinct().order_by("-year"))
        labels = {option.pk: label for option, label in CallPage.menu()}
        for option in calls:
            option.menu_label = labels.get(option.pk, option.title)
        return calls

    @cached_property
    def call(self):
        call_id = parse_id(self.request.GET.get("call", ""))
        chosen = next((c for c in self.calls if c.pk == call_id), None) if call_id else None
        return chosen or (self.calls[0] if self.calls else None)

    @cached_property
    def table(self):
        return subsidy.table_for_call(call=self.call) if self.call else None

    @cached_property
    def levels(self):
        return {level.rank: level.name for level in self.call.prize_levels.all()} if self.call else {}

    def get(self, request, *args, **kwargs):
        if self.table is not None and request.GET.get("format") == "xlsx":
            return self.spreadsheet()
        return super().get(request, *args, **kwargs)

    def get_context_data(self, **kwargs):
        return super().get_context_data(
            calls=self.calls, call=self.call, table=self.table, levels=self.levels, **kwargs
        )

    def spreadsheet(self):
        rows = [
            [
                line.facts.project,
                line.facts.unit,
                self.levels.get(line.facts.prize_rank, ""),
                _("Yes") if line.facts.most_popular else "",
                str(line.facts.status),
                str(line.subsidy.basis.label),
                float(line.subsidy.amount),
            ]
            for line in self.table.lines
        ]
        rows.append([_("Total"), "", "", "", "", "", float(self.table.total)])
        return xlsx_response(
            filename=f"subsidies-{self.call.year}",
            headings=[
                _("Project"),
                _("Unit"),
                _("Prize"),
                _("Most popular"),
                _("Status"),
                _("Basis"),
                _("Subsidy (yuan)"),
            ],
            rows=rows,
            sheet_title=str(self.call.year),
        )


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

    admin_views = (
        ("wagtail_awards/award/<awards_id:pk>/cancel/", CancelAwardView, "cancel_award"),
        ("wagtail_awards/subsidies/", SubsidyView, "subsidies"),
        ("awards/review/ranking/", RankingView, "ranking"),
    )


class PublicityAdminGroup(ModelAdminGroup):
    menu_label = gettext_lazy("Publicity and results")
    menu_icon = "doc-full"
    menu_order = 260
    items = (AwardAdmin, ObjectionAdmin)

    def get_submenu_items(self):
        items = super().get_submenu_items()
        items.append(
            PolicyMenuItem(
                gettext_lazy("Subsidies"), "subsidies", action="subsidies.view", icon_name="table", order=len(items) + 1
            )
        )
        return items
