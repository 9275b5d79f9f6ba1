"""Members of units and their requests to join (待审核), approved by the unit's recommending organisation or a
province administrator; one-time invitations to a unit.

A recommender sees the applicant memberships of the units under their organisation only; a province
administrator sees every membership and may also add and change them. Every decision is logged.
"""

from django import forms
from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from wagtail_modeladmin.helpers import ButtonHelper

from .. import access
from ..conf import awards_settings
from ..enums import MembershipStatus
from ..exports import FormulaSafeIndexView
from ..models import Membership
from ..services import accounts
from .base import AwardsModelAdmin
from .policy import PolicyPermissionHelper


class MembershipPermissionHelper(PolicyPermissionHelper):
    list_action = "memberships.review"
    create_action = "organizations.manage"
    edit_action = "organizations.manage"


class MembershipButtonHelper(ButtonHelper):
    def get_buttons_for_obj(self, obj, exclude=None, classnames_add=None, classnames_exclude=None):
        buttons = super().get_buttons_for_obj(obj, exclude, classnames_add, classnames_exclude)
        if not access.can(self.request.user, "membership.decide", obj):
            return buttons
        if obj.status != MembershipStatus.APPROVED:
            buttons.append(self._button(obj, "approve", _("Approve"), "button-secondary"))
        if obj.status == MembershipStatus.PENDING:
            buttons.append(self._button(obj, "reject", _("Reject"), "button-secondary no"))
        if obj.status == MembershipStatus.APPROVED:
            buttons.append(self._button(obj, "remove", _("Remove from the unit"), "button-secondary no"))
        return buttons

    @staticmethod
    def _button(obj, decision, label, classname):
        return {
            "url": reverse("wagtail_awards_membership_decide", args=[obj.pk, decision]),
            "label": label,
            "classname": f"button button-small {classname}",
            "title": label,
        }


class DecisionForm(forms.Form):
    note = forms.CharField(
        label=gettext_lazy("Note"),
        required=False,
        max_length=500,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=gettext_lazy("Kept with the decision and in the log."),
    )


class InvitationIssueForm(forms.Form):
    unit = forms.ModelChoiceField(label=gettext_lazy("Unit"), queryset=None)
    note = forms.CharField(
        label=gettext_lazy("For whom"),
        required=False,
        max_length=200,
        help_text=gettext_lazy("E.g. the name of the person who will use it; kept with the invitation."),
    )
    days = forms.IntegerField(label=gettext_lazy("Valid for (days)"), min_value=1, max_value=365)

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["unit"].queryset = access.units_approved_by(user).filter(approved=True).order_by("name")
        self.fields["days"].initial = awards_settings.INVITATION_DAYS


DECISIONS = {
    "approve": gettext_lazy("Approve the membership"),
    "reject": gettext_lazy("Reject the request"),
    "remove": gettext_lazy("Remove from the unit"),
}


def decide_view(request, pk, decision):
    """Confirm and take one decision on a membership (POST); the policy decides who may."""
    if decision not in DECISIONS:
        raise PermissionDenied
    membership = get_object_or_404(Membership.objects.select_related("user", "organization"), pk=pk)
    if not access.can(request.user, "membership.decide", membership):
        raise PermissionDenied
    form = DecisionForm(request.POST if request.method == "POST" else None)
    index = reverse("wagtail_awards_membership_modeladmin_index")
    if request.method == "POST" and form.is_valid():
        note = form.cleaned_data["note"]
        try:
            if decision == "remove":
                accounts.remove_membership(membership=membership, by=request.user, note=note)
            else:
                accounts.decide_membership(
                    membership=membership, approve=decision == "approve", by=request.user, note=note
                )
        except accounts.DecisionRefused as exc:
            messages.error(request, str(exc))
        else:
            messages.success(
                request,
                _("%(decision)s: %(user)s · %(unit)s.")
                % {
                    "decision": DECISIONS[decision],
                    "user": membership.user.get_full_name() or membership.user.get_username(),
                    "unit": membership.organization.name,
                },
            )
        return redirect(index)
    unit, near = membership.organization, []
    if not unit.approved:
        near = [org.name for org in accounts.near_units(unit.name, exclude_pk=unit.pk)]
    return TemplateResponse(
        request,
        "wagtail_awards/admin/memberships/decide.html",
        {
            "membership": membership,
            "decision": decision,
            "form": form,
            "near": near,
            "index_url": index,
            "page_title": DECISIONS[decision],
            "header_title": DECISIONS[decision],
            "header_icon": "user",
        },
        status=400 if form.errors else 200,
    )


def invite_view(request):
    """Issue a one-time invitation to a unit; the code and link are shown once, here."""
    if not access.can(request.user, "memberships.review"):
        raise PermissionDenied
    form = InvitationIssueForm(request.POST or None, user=request.user)
    issued = None
    if request.method == "POST" and form.is_valid():
        try:
            invitation, code = accounts.issue_invitation(
                unit=form.cleaned_data["unit"],
                by=request.user,
                note=form.cleaned_data["note"],
                days=form.cleaned_data["days"],
            )
        except accounts.DecisionRefused as exc:
            messages.error(request, str(exc))
        else:
            issued = {
                "invitation": invitation,
                "code": code,
                "link": request.build_absolute_uri(reverse("wagtail_awards:join_code", args=[code])),
            }
            form = InvitationIssueForm(user=request.user)
    return TemplateResponse(
        request,
        "wagtail_awards/admin/memberships/invite.html",
        {
            "form": form,
            "issued": issued,
            "index_url": reverse("wagtail_awards_membership_modeladmin_index"),
            "page_title": _("Invite a member"),
            "header_title": _("Invite a member"),
            "header_icon": "user",
        },
        status=400 if form.errors else 200,
    )


class MembershipAdmin(AwardsModelAdmin):
    model = Membership
    index_view_class = FormulaSafeIndexView
    menu_label = gettext_lazy("Members and requests")
    menu_icon = "user"
    list_display = ("member", "email", "organization", "role", "status", "requested_at", "new_unit")
    list_filter = ("status", "role", "organization__kind")
    search_fields = ("user__username", "user__first_name", "user__last_name", "user__email", "organization__name")
    list_select_related = ("user", "organization")
    ordering = ("-requested_at",)
    permission_helper_class = MembershipPermissionHelper
    button_helper_class = MembershipButtonHelper
    index_template_name = "wagtail_awards/admin/memberships/index.html"
    form_fields_exclude = ("requested_at", "decided_at", "decided_by")

    def get_queryset(self, request):
        return access.memberships_for(request.user).select_related("user", "organization")

    def member(self, obj):
        return obj.user.get_full_name() or obj.user.get_username()

    member.short_description = gettext_lazy("Member")

    def email(self, obj):
        return getattr(obj.user, obj.user.get_email_field_name(), "")

    email.short_description = gettext_lazy("E-mail address")

    def new_unit(self, obj):
        """A unit requested with the membership is new: the approver checks its name."""
        return _("new unit, to be approved with it") if not obj.organization.approved else ""

    new_unit.short_description = gettext_lazy("Unit")

    def get_admin_urls_for_registration(self):
        return super().get_admin_urls_for_registration() + (
            path(
                "wagtail_awards/membership/<int:pk>/<str:decision>/",
                decide_view,
                name="wagtail_awards_membership_decide",
            ),
            path("wagtail_awards/membership/invite/", invite_view, name="wagtail_awards_membership_invite"),
        )
