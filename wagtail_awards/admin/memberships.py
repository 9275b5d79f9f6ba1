"""Members of units and their requests to join (待审核), approved by the unit's recommending organisation or a
province administrator; one-time invitations to a unit.

A recommender sees the applicant memberships of the units under their organisation only; a province
administrator sees every membership and may also add and change them. Every decision is logged.
"""

from django import forms
from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from wagtail_modeladmin.helpers import ButtonHelper

from .. import access
from ..conf import awards_settings
from ..enums import MembershipStatus
from ..exports import FormulaSafeIndexView
from ..models import Membership
from ..services import accounts
from .base import ActionView, AwardsModelAdmin, ScopedInspectView, admin_url
from .policy import PolicyPermissionHelper


class MembershipPermissionHelper(PolicyPermissionHelper):
    list_action = inspect_action = "memberships.review"
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
            "url": admin_url("decide_membership", obj.pk, decision),
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


class DecideMembershipView(ActionView):
    """Confirm and take one decision on a membership: approve, reject or remove; the policy decides who may."""

    action = "memberships.review"
    template_name = "wagtail_awards/admin/memberships/decide.html"
    form_class = DecisionForm
    refused_by = (accounts.DecisionRefused,)

    def get_object(self):
        if self.kwargs["decision"] not in DECISIONS:
            raise PermissionDenied
        membership = get_object_or_404(Membership.objects.select_related("user", "organization"), pk=self.kwargs["pk"])
        if not access.can(self.request.user, "membership.decide", membership):
            raise PermissionDenied
        return membership

    def get_page_title(self):
        return DECISIONS[self.kwargs["decision"]]

    def perform(self, form):
        membership, note = self.object, form.cleaned_data["note"]
        if self.kwargs["decision"] == "remove":
            accounts.remove_membership(membership=membership, by=self.request.user, note=note)
        else:
            accounts.decide_membership(
                membership=membership, approve=self.kwargs["decision"] == "approve", by=self.request.user, note=note
            )

    def success_message(self, result):
        membership = self.object
        return _("%(decision)s: %(user)s · %(unit)s.") % {
            "decision": DECISIONS[self.kwargs["decision"]],
            "user": membership.user.get_full_name() or membership.user.get_username(),
            "unit": membership.organization.name,
        }

    def get_context_data(self, **kwargs):
        unit, near = self.object.organization, []
        if not unit.approved:
            near = [org.name for org in accounts.near_units(unit.name, exclude_pk=unit.pk)]
        return super().get_context_data(
            membership=self.object,
            decision=self.kwargs["decision"],
            near=near,
            index_url=self.get_success_url(),
            **kwargs,
        )


class InviteView(ActionView):
    """Issue a one-time invitation to a unit; the code and link are shown once, here."""

    action = "memberships.review"
    page_title = gettext_lazy("Invite a member")
    template_name = "wagtail_awards/admin/memberships/invite.html"
    form_class = InvitationIssueForm
    refused_by = (accounts.DecisionRefused,)
    refused_status = 200

    def get_form_kwargs(self):
        return {"user": self.request.user}

    def perform(self, form):
        return accounts.issue_invitation(
            unit=form.cleaned_data["unit"],
            by=self.request.user,
            note=form.cleaned_data["note"],
            days=form.cleaned_data["days"],
        )

    def done(self, form, result):
        invitation, code = result
        issued = {
            "invitation": invitation,
            "code": code,
            "link": self.request.build_absolute_uri(reverse("wagtail_awards:join_code", args=[code])),
        }
        return self.show(self.get_form(), issued=issued)

    def get_context_data(self, **kwargs):
        return super().get_context_data(index_url=self.get_success_url(), **kwargs)


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
    inspect_view_enabled = True
    # A membership outside the user's list (another city's units) is not found.
    inspect_view_class = ScopedInspectView
    inspect_view_fields = ("user", "organization", "role", "status", "requested_at", "decided_at", "decided_by", "note")
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

    admin_views = (
        ("wagtail_awards/membership/<awards_id:pk>/<str:decision>/", DecideMembershipView, "decide_membership"),
        ("wagtail_awards/membership/invite/", InviteView, "invite"),
    )
