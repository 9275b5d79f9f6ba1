"""The voters' admin screens: voting codes (generated per unit, printed with QR codes or sent as XLSX) and the
voter roll (staff of approved units marked as voters in bulk). Who may is the access policy's answer
(``voters.codes``, ``voters.roll``: province administrators)."""

from urllib.parse import urlencode

from django import forms
from django.shortcuts import render
from django.urls import reverse
from django.utils.html import format_html
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from wagtail_modeladmin.options import ModelAdminGroup

from ..exports import FormulaSafeIndexView, xlsx_response
from ..forms.voters import SHEET, GenerateCodesForm, MarkVotersForm
from ..models import CallPage, EligibleVoter, Organization, VotingCode
from ..rules.ids import parse_id
from ..rules.voters import show_code
from ..services import voters
from .base import ActionView, AwardsModelAdmin, PolicyMenuItem, admin_url
from .display import WordsInspectView
from .policy import PolicyPermissionHelper
from .voting import VoteAdmin


class VotingCodePermissionHelper(PolicyPermissionHelper):
    """Codes are made by the generator, never one by one in a form, and never deleted (votes name them); province
    administrators list and inspect them and revoke one."""

    list_action = inspect_action = edit_action = "voters.codes"


class EligibleVoterPermissionHelper(PolicyPermissionHelper):
    list_action = create_action = inspect_action = edit_action = delete_action = "voters.roll"


def _code_url(request, call, code):
    """The link a QR code opens: the code page of the call's site, with the code in it."""
    _site_id, root_url, _path = call.get_url_parts(request) or (None, request.build_absolute_uri("/")[:-1], None)
    return f"{root_url}{reverse('wagtail_awards:voting_code')}?{urlencode({'c': show_code(code)})}"


def _xlsx(request, call, organization, codes):
    rows = [[organization.name, number, show_code(code), _code_url(request, call, code)] for number, code in codes]
    response = xlsx_response(
        filename=f"voting-codes-{call.year}-{organization.pk}",
        headings=[_("Unit"), _("Number"), _("Voting code"), _("Link")],
        rows=rows,
        sheet_title=str(call.year),
    )
    response["Cache-Control"] = "no-store"
    return response


class GenerateCodesView(ActionView):
    """Make a unit's voting codes and show them once: a sheet to print (QR codes) or an XLSX file."""

    action = "voters.codes"
    page_title = gettext_lazy("Generate voting codes")
    header_icon = "key"
    template_name = "wagtail_awards/admin/voting/codes_generate.html"
    form_class = GenerateCodesForm
    invalid_status = 200

    def perform(self, form):
        data = form.cleaned_data
        return voters.generate_codes(
            call=data["call"], organization=data["organization"], count=data["count"], user=self.request.user
        )

    def done(self, form, codes):
        # The codes are shown this once, as the answer to the POST: no redirect.
        call, organization = form.cleaned_data["call"], form.cleaned_data["organization"]
        if form.cleaned_data["format"] != SHEET:
            return _xlsx(self.request, call, organization, codes)
        cards = []
        for number, code in codes:
            url = _code_url(self.request, call, code)
            cards.append({"number": number, "code": show_code(code), "url": url, "qr": voters.qr_svg(url)})
        context = {"call": call, "organization": organization, "cards": cards, "downloadable": True}
        response = render(self.request, "wagtail_awards/admin/voting/codes_sheet.html", context)
        response["Cache-Control"] = "no-store"
        return response


class CodeBatchForm(forms.Form):
    """The codes of a sheet just made, sent back by the sheet with their call and unit."""

    call = forms.CharField()
    organization = forms.CharField()

    def clean(self):
        data = super().clean()
        data["call"] = CallPage.objects.filter(pk=parse_id(data.get("call", "")) or 0).first()
        data["organization"] = Organization.objects.filter(pk=parse_id(data.get("organization", "")) or 0).first()
        if data["call"] is None or data["organization"] is None:
            raise forms.ValidationError(_("Those codes were not found."))
        return data


class CodesAsXlsxView(ActionView):
    """The codes of a sheet just made, as XLSX (POST from the sheet); only live codes of its unit count."""

    action = "voters.codes"
    form_class = CodeBatchForm
    invalid_message = gettext_lazy("Those codes were not found.")

    def perform(self, form):
        data = form.cleaned_data
        return voters.codes_of_batch(
            self.request.POST.getlist("code"), call=data["call"], organization=data["organization"]
        )

    def done(self, form, codes):
        return _xlsx(self.request, form.cleaned_data["call"], form.cleaned_data["organization"], codes)

    def get_success_url(self):
        return admin_url("generate_voting_codes")


class MarkVotersView(ActionView):
    """Put the verified addresses of the approved members of chosen units on the voter roll."""

    action = "voters.roll"
    page_title = gettext_lazy("Mark staff as voters")
    header_icon = "user"
    template_name = "wagtail_awards/admin/voting/mark_voters.html"
    form_class = MarkVotersForm
    invalid_status = 200

    def perform(self, form):
        return voters.mark_staff_as_voters(units=form.cleaned_data["units"], user=self.request.user)

    def success_message(self, result):
        added, missing = result
        return format_html(
            _("{added} addresses added to the voter roll; {missing} members have no verified address yet."),
            added=added,
            missing=missing,
        )


class VotingCodeAdmin(AwardsModelAdmin):
    model = VotingCode
    menu_label = gettext_lazy("Voting codes")
    menu_icon = "key"
    list_display = ("organization", "number", "call", "revoked", "created_at")
    list_filter = ("revoked", "call__title")
    search_fields = ("organization__name",)
    list_select_related = ("organization", "call")
    inspect_view_enabled = True
    inspect_view_class = WordsInspectView
    inspect_view_fields = ("call", "organization", "number", "revoked", "created_at", "created_by")
    permission_helper_class = VotingCodePermissionHelper
    index_view_class = FormulaSafeIndexView
    # Only revoking is edited; the code itself is not kept.
    form_fields_exclude = ("call", "organization", "number", "created_by")
    admin_views = (
        ("wagtail_awards/votingcode/generate/", GenerateCodesView, "generate_voting_codes"),
        ("wagtail_awards/votingcode/xlsx/", CodesAsXlsxView, "voting_codes_xlsx"),
    )


class EligibleVoterAdmin(AwardsModelAdmin):
    model = EligibleVoter
    menu_label = gettext_lazy("Voter roll")
    menu_icon = "user"
    list_display = ("email", "organization", "added_at")
    list_filter = ("organization__kind", "organization__city")
    search_fields = ("email", "organization__name")
    list_select_related = ("organization",)
    inspect_view_enabled = True
    inspect_view_class = WordsInspectView
    inspect_view_fields = ("email", "organization", "added_at", "added_by")
    form_fields_exclude = ("added_by",)
    permission_helper_class = EligibleVoterPermissionHelper
    index_view_class = FormulaSafeIndexView
    admin_views = (("wagtail_awards/eligiblevoter/mark/", MarkVotersView, "mark_voters"),)


class VotersAdminGroup(ModelAdminGroup):
    menu_label = gettext_lazy("Voters")
    menu_icon = "user"
    menu_order = 265
    items = (VotingCodeAdmin, EligibleVoterAdmin, VoteAdmin)

    def get_submenu_items(self):
        items = super().get_submenu_items()
        actions = [
            (gettext_lazy("Generate voting codes"), "generate_voting_codes", "key", "voters.codes"),
            (gettext_lazy("Mark staff as voters"), "mark_voters", "user", "voters.roll"),
        ]
        for label, url_name, icon, action in actions:
            items.append(PolicyMenuItem(label, url_name, action=action, icon_name=icon, order=len(items) + 1))
        return items
