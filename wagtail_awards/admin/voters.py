"""The voters' admin screens: voting codes (generated per unit, printed with QR codes or sent as XLSX) and the
voter roll (staff of approved units marked as voters in bulk). Who may is the access policy's answer
(``voters.codes``, ``voters.roll``: province administrators)."""

import re
from urllib.parse import urlencode

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.shortcuts import redirect, render
from django.urls import path, reverse
from django.utils.html import format_html
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST
from wagtail.admin.menu import MenuItem
from wagtail_modeladmin.options import ModelAdminGroup

from .. import access
from ..exports import FormulaSafeIndexView, xlsx_response
from ..forms.voting_codes import SHEET, GenerateCodesForm, MarkVotersForm
from ..models import CallPage, EligibleVoter, Organization, VotingCode
from ..rules.voters import show_code
from ..services import voters
from .base import AwardsModelAdmin
from .policy import PolicyPermissionHelper


class VotingCodePermissionHelper(PolicyPermissionHelper):
    """Codes are made by the generator, never one by one in a form, and never deleted (votes name them); province
    administrators list them and revoke one."""

    list_action = edit_action = "voters.codes"


class EligibleVoterPermissionHelper(PolicyPermissionHelper):
    list_action = create_action = edit_action = delete_action = "voters.roll"


class VotingCodeAdmin(AwardsModelAdmin):
    model = VotingCode
    menu_label = gettext_lazy("Voting codes")
    menu_icon = "key"
    list_display = ("organization", "number", "call", "revoked", "created_at")
    list_filter = ("revoked", "call__title")
    search_fields = ("organization__name",)
    list_select_related = ("organization", "call")
    permission_helper_class = VotingCodePermissionHelper
    index_view_class = FormulaSafeIndexView
    # Only revoking is edited; the code itself is not kept.
    form_fields_exclude = ("call", "organization", "number", "created_by")

    def get_admin_urls_for_registration(self):
        return super().get_admin_urls_for_registration() + (
            path("wagtail_awards/votingcode/generate/", generate_codes, name="wagtail_awards_voting_codes_generate"),
            path("wagtail_awards/votingcode/xlsx/", codes_as_xlsx, name="wagtail_awards_voting_codes_xlsx"),
        )


class EligibleVoterAdmin(AwardsModelAdmin):
    model = EligibleVoter
    menu_label = gettext_lazy("Voter roll")
    menu_icon = "user"
    list_display = ("email", "organization", "added_at")
    search_fields = ("email", "organization__name")
    list_select_related = ("organization",)
    form_fields_exclude = ("added_by",)
    permission_helper_class = EligibleVoterPermissionHelper
    index_view_class = FormulaSafeIndexView

    def get_admin_urls_for_registration(self):
        return super().get_admin_urls_for_registration() + (
            path("wagtail_awards/eligiblevoter/mark/", mark_voters, name="wagtail_awards_voters_mark"),
        )


class PolicyMenuItem(MenuItem):
    def __init__(self, *args, action, **kwargs):
        self.action = action
        super().__init__(*args, **kwargs)

    def is_shown(self, request):
        return access.can(request.user, self.action)


class VotersAdminGroup(ModelAdminGroup):
    menu_label = gettext_lazy("Voters")
    menu_icon = "user"
    menu_order = 265
    items = (VotingCodeAdmin, EligibleVoterAdmin)

    def get_submenu_items(self):
        items = super().get_submenu_items()
        actions = [
            (gettext_lazy("Generate voting codes"), "wagtail_awards_voting_codes_generate", "key", "voters.codes"),
            (gettext_lazy("Mark staff as voters"), "wagtail_awards_voters_mark", "user", "voters.roll"),
        ]
        for label, url_name, icon, action in actions:
            items.append(PolicyMenuItem(label, reverse(url_name), icon_name=icon, order=len(items) + 1, action=action))
        return items


def _code_url(request, call, code):
    """The link a QR code opens: the code page of the call's site, with the code in it."""
    _site_id, root_url, _path = call.get_url_parts(request) or (None, request.build_absolute_uri("/")[:-1], None)
    return f"{root_url}{reverse('wagtail_awards:voting_code')}?{urlencode({'c': show_code(code)})}"


def generate_codes(request):
    """Make a unit's voting codes and show them once: a sheet to print (QR codes) or an XLSX file."""
    if not access.can(request.user, "voters.codes"):
        raise PermissionDenied
    form = GenerateCodesForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        codes = voters.generate_codes(
            call=data["call"], organization=data["organization"], count=data["count"], user=request.user
        )
        if data["format"] == SHEET:
            return _sheet(request, data["call"], data["organization"], codes)
        return _xlsx(request, data["call"], data["organization"], codes)
    context = {"form": form, "page_title": _("Generate voting codes"), "header_icon": "key"}
    return render(request, "wagtail_awards/admin/voting/codes_generate.html", context)


@require_POST
def codes_as_xlsx(request):
    """The codes of a sheet just made, as XLSX: the sheet sends them back; only live codes of its unit count."""
    if not access.can(request.user, "voters.codes"):
        raise PermissionDenied
    call = _by_pk(CallPage, request.POST.get("call", ""))
    organization = _by_pk(Organization, request.POST.get("organization", ""))
    if call is None or organization is None:
        messages.error(request, _("Those codes were not found."))
        return redirect("wagtail_awards_voting_codes_generate")
    codes = voters.codes_of_batch(request.POST.getlist("code"), call=call, organization=organization)
    return _xlsx(request, call, organization, codes)


def _by_pk(model, raw):
    return model.objects.filter(pk=int(raw)).first() if re.fullmatch(r"[0-9]{1,12}", raw) else None


def _sheet(request, call, organization, codes):
    cards = []
    for number, code in codes:
        url = _code_url(request, call, code)
        cards.append({"number": number, "code": show_code(code), "url": url, "qr": voters.qr_svg(url)})
    context = {"call": call, "organization": organization, "cards": cards, "downloadable": True}
    response = render(request, "wagtail_awards/admin/voting/codes_sheet.html", context)
    response["Cache-Control"] = "no-store"  # the codes are shown this once
    return response


def _xlsx(request, call, organization, codes):
    rows = [
        [organization.name, number, show_code(code), _code_url(request, call, code)] for number, code in codes
    ]
    response = xlsx_response(
        filename=f"voting-codes-{call.year}-{organization.pk}",
        headings=[_("Unit"), _("Number"), _("Voting code"), _("Link")],
        rows=rows,
        sheet_title=str(call.year),
    )
    response["Cache-Control"] = "no-store"
    return response


def mark_voters(request):
    """Put the verified addresses of the approved members of chosen units on the voter roll."""
    if not access.can(request.user, "voters.roll"):
        raise PermissionDenied
    form = MarkVotersForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        added, missing = voters.mark_staff_as_voters(units=form.cleaned_data["units"], user=request.user)
        messages.success(
            request,
            format_html(
                _("{added} addresses added to the voter roll; {missing} members have no verified address yet."),
                added=added,
                missing=missing,
            ),
        )
        return redirect("wagtail_awards_eligiblevoter_modeladmin_index")
    context = {"form": form, "page_title": _("Mark staff as voters"), "header_icon": "user"}
    return render(request, "wagtail_awards/admin/voting/mark_voters.html", context)
