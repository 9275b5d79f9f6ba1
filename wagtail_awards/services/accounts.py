"""People of a round: unit membership requests and their approval, invitations, verified e-mail addresses.

Nobody joins a unit by themselves: a request made on the site stays *pending* until the unit's recommending
organisation or a province administrator approves it, unless it comes with a one-time invitation they issued.
Every decision is written to the log (``AwardsLogEntry``, province administrators' eyes only).
"""

import datetime as dt
import secrets
from dataclasses import dataclass, field

from django.contrib.auth import get_user_model
from django.contrib.auth.tokens import PasswordResetTokenGenerator
from django.core.exceptions import ValidationError
from django.core.mail import send_mail
from django.db import IntegrityError, transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_decode, urlsafe_base64_encode
from django.utils.translation import gettext as _
from wagtail.log_actions import log

from .. import access
from ..conf import awards_settings
from ..enums import RECOMMENDING_KINDS, MembershipStatus, OrganizationKind, Role
from ..models import Membership, Organization, UnitInvitation, VerifiedEmail, invitation_digest
from ..rules import names


class UnitRefused(Exception):
    """The request cannot be made; ``str(exc)`` is the translated message."""


@dataclass
class UnitRequest:
    """What a membership request did: the membership (pending unless invited), and for a new unit the existing
    units whose names are close to it (shown to the approver)."""

    membership: Membership
    new_unit: bool = False
    near_names: list[str] = field(default_factory=list)

    @property
    def pending(self) -> bool:
        return self.membership.status == MembershipStatus.PENDING


def near_units(name: str, *, exclude_pk=None, limit: int = 5) -> list[Organization]:
    """Existing units whose names are close to ``name`` (traditional/simplified, punctuation, a missing 市…)."""
    candidates = Organization.objects.exclude(pk=exclude_pk).only("pk", "name", "normalised_name")
    return [org for org in candidates if names.is_near(name, org.name)][:limit]


def request_membership(*, user, unit=None, new_unit_name: str = "", parent=None, note: str = "") -> UnitRequest:
    """Ask for ``user`` to become an applicant of ``unit`` (an approved grassroots unit), or of a new grassroots
    unit ``new_unit_name`` under ``parent`` (a city union, university or institute). The request is pending.

    A new unit's name is cleaned (NFKC, no invisible characters) and refused when it is the name of an existing
    unit in another spelling (the applicant is told to choose that one); close names are kept for the approver.
    Side effects: may create an unapproved ``Organization``; creates or reopens the ``Membership``; logs.
    """
    new_unit, near = False, []
    with transaction.atomic():
        if unit is None:
            name = names.clean_typed_name(new_unit_name)[:200]
            if not names.normalise_name(name):
                raise UnitRefused(_("Choose your unit or give the name of a new one."))
            if parent is None or parent.kind not in RECOMMENDING_KINDS or not parent.approved:
                raise UnitRefused(_("Choose the city union, university or institute your unit belongs to."))
            same = Organization.objects.filter(normalised_name=names.normalise_name(name)).first()
            if same is not None:
                if same.approved:
                    message = _("Your unit is already registered as “%(name)s”: choose it from the list.")
                    raise UnitRefused(message % {"name": same.name})
                raise UnitRefused(
                    _("A unit named “%(name)s” is already waiting for approval: ask its contact to invite you.")
                    % {"name": same.name}
                )
            near = [org.name for org in near_units(name)]
            try:
                with transaction.atomic():
                    unit = Organization.objects.create(
                        name=name, kind=OrganizationKind.GRASSROOTS, parent=parent, city=parent.city, approved=False
                    )
            except IntegrityError:
                raise UnitRefused(_("Your unit is already registered: choose it from the list.")) from None
            new_unit = True
        elif unit.kind != OrganizationKind.GRASSROOTS or not unit.approved:
            raise UnitRefused(_("Only a grassroots union can apply."))
        membership, created = Membership.objects.select_for_update().get_or_create(
            user=user,
            organization=unit,
            role=Role.APPLICANT,
            defaults={"status": MembershipStatus.PENDING, "note": note[:500]},
        )
        if not created:
            if membership.status == MembershipStatus.APPROVED:
                return UnitRequest(membership=membership)
            membership.status, membership.note = MembershipStatus.PENDING, note[:500]
            membership.requested_at, membership.decided_at, membership.decided_by = timezone.now(), None, None
            membership.save()
        log(
            membership,
            "wagtail_awards.membership_requested",
            user=user,
            data={"unit": unit.name, "new_unit": new_unit, "near": near},
        )
    access.forget(user)
    return UnitRequest(membership=membership, new_unit=new_unit, near_names=near)


def pending_unit_names(user) -> list[str]:
    """Names of the units ``user`` has asked to join, waiting for approval."""
    if not getattr(user, "is_authenticated", False):
        return []
    return list(
        Membership.objects.filter(user=user, role=Role.APPLICANT, status=MembershipStatus.PENDING)
        .order_by("organization__name")
        .values_list("organization__name", flat=True)
    )


def link_applicant(*, user, unit):
    """Make ``user`` an approved applicant of ``unit`` straight away: for trusted sources only, e.g. an
    authentication backend whose identity provider's claims name the unit. Returns the membership.

    Side effects: creates or approves the ``Membership``; logs.
    """
    if unit.kind != OrganizationKind.GRASSROOTS:
        raise UnitRefused(_("Only a grassroots union can apply."))
    with transaction.atomic():
        membership, _created = Membership.objects.select_for_update().get_or_create(
            user=user, organization=unit, role=Role.APPLICANT
        )
        if membership.status != MembershipStatus.APPROVED:
            membership.status, membership.decided_at = MembershipStatus.APPROVED, timezone.now()
            membership.save(update_fields=["status", "decided_at"])
        log(membership, "wagtail_awards.membership_approved", data={"unit": unit.name, "source": "identity provider"})
    access.forget(user)
    return membership


class DecisionRefused(Exception):
    """An approval step that cannot be taken (translated message)."""


def decide_membership(*, membership, approve: bool, by, note: str = "", now=None) -> Membership:
    """Approve or reject a pending request (or re-approve a rejected/removed one). Approving a member of a unit
    requested on the site approves the unit too. Only someone the policy allows (``membership.decide``).

    Side effects: saves the membership (and the unit); logs ``membership_approved`` or ``membership_rejected``.
    """
    if not access.can(by, "membership.decide", membership):
        raise DecisionRefused(_("You may not decide on this membership."))
    now = now or timezone.now()
    with transaction.atomic():
        membership = Membership.objects.select_for_update().select_related("organization", "user").get(pk=membership.pk)
        target = MembershipStatus.APPROVED if approve else MembershipStatus.REJECTED
        if membership.status == target:
            return membership
        if not approve and membership.status != MembershipStatus.PENDING:
            raise DecisionRefused(_("Only a pending request can be rejected; remove an approved member instead."))
        membership.status, membership.decided_at, membership.decided_by = target, now, by
        if note:
            membership.note = note[:500]
        membership.save()
        unit = membership.organization
        if approve and not unit.approved:
            unit.approved = True
            unit.save(update_fields=["approved"])
        log(
            membership,
            "wagtail_awards.membership_approved" if approve else "wagtail_awards.membership_rejected",
            user=by,
            data={"unit": unit.name, "member": membership.user.get_username(), "note": note},
        )
    return membership


def remove_membership(*, membership, by, note: str = "", now=None) -> Membership:
    """Take an approved member out of their unit: they see nothing of it from their next request on.

    Side effects: saves the membership as removed; logs ``membership_removed``.
    """
    if not access.can(by, "membership.decide", membership):
        raise DecisionRefused(_("You may not decide on this membership."))
    with transaction.atomic():
        membership = Membership.objects.select_for_update().select_related("organization", "user").get(pk=membership.pk)
        membership.status, membership.decided_at, membership.decided_by = (
            MembershipStatus.REMOVED,
            now or timezone.now(),
            by,
        )
        if note:
            membership.note = note[:500]
        membership.save()
        log(
            membership,
            "wagtail_awards.membership_removed",
            user=by,
            data={"unit": membership.organization.name, "member": membership.user.get_username(), "note": note},
        )
    return membership


def issue_invitation(*, unit, by, note: str = "", days: int | None = None, now=None) -> tuple[UnitInvitation, str]:
    """A one-time invitation to ``unit`` for one person; returns it and its code (shown once, stored hashed).

    Side effects: creates the ``UnitInvitation``; logs ``invitation_issued``.
    """
    if not access.can(by, "unit.invite", unit):
        raise DecisionRefused(_("You may not invite members to this unit."))
    now = now or timezone.now()
    days = awards_settings.INVITATION_DAYS if days is None else days
    code = secrets.token_urlsafe(18)
    invitation = UnitInvitation.objects.create(
        organization=unit,
        digest=invitation_digest(code),
        note=note[:200],
        created_by=by,
        expires_at=now + dt.timedelta(days=max(1, min(days, 365))),
    )
    log(invitation, "wagtail_awards.invitation_issued", user=by, data={"unit": unit.name, "for": note})
    return invitation, code


def redeem_invitation(*, user, code: str, now=None) -> Membership:
    """Use an invitation: ``user`` becomes an approved applicant of its unit. A code works once, until it expires.

    Raises :class:`UnitRefused` for an unknown, used or expired code (one message for all: a guess learns
    nothing). Side effects: marks the invitation used and approves the membership in one transaction; logs.
    """
    now = now or timezone.now()
    with transaction.atomic():
        invitation = (
            UnitInvitation.objects.select_for_update()
            .select_related("organization")
            .filter(digest=invitation_digest(code), used_at__isnull=True, expires_at__gte=now)
            .first()
        )
        if invitation is None or invitation.organization.kind != OrganizationKind.GRASSROOTS:
            raise UnitRefused(_("This invitation is not valid: it may have been used already or have expired."))
        invitation.used_by, invitation.used_at = user, now
        invitation.save(update_fields=["used_by", "used_at"])
        membership, _created = Membership.objects.select_for_update().get_or_create(
            user=user, organization=invitation.organization, role=Role.APPLICANT
        )
        membership.status, membership.decided_at, membership.decided_by = (
            MembershipStatus.APPROVED,
            now,
            invitation.created_by,
        )
        membership.save()
        unit = invitation.organization
        if not unit.approved:
            unit.approved = True
            unit.save(update_fields=["approved"])
        log(membership, "wagtail_awards.invitation_used", user=user, data={"unit": unit.name})
    access.forget(user)
    return membership


def mark_email_verified(*, user, source: str = "link", now=None) -> VerifiedEmail:
    """Record that ``user``'s present e-mail address is theirs (a link sent there was opened, or an identity
    provider vouched for it: ``source="provider"``). Side effects: creates or updates the ``VerifiedEmail``."""
    email = (getattr(user, user.get_email_field_name(), "") or "").strip()
    record, _created = VerifiedEmail.objects.update_or_create(
        user=user, defaults={"email": email, "verified_at": now or timezone.now(), "source": source}
    )
    if hasattr(user, "_awards_verified_email"):
        del user._awards_verified_email
    return record


# Registration and e-mail verification


class EmailTokenGenerator(PasswordResetTokenGenerator):
    """Tokens of e-mail confirmation links: valid for ``PASSWORD_RESET_TIMEOUT``, used up by activating the account
    or by a change of its address or password."""

    key_salt = "wagtail_awards.accounts.EmailTokenGenerator"

    def _make_hash_value(self, user, timestamp):
        email = getattr(user, user.get_email_field_name(), "") or ""
        return f"{user.pk}{user.password}{user.is_active}{email}{timestamp}"


email_tokens = EmailTokenGenerator()


def find_account(email: str):
    """The account whose login name or e-mail address is ``email`` (case-insensitive), or ``None``."""
    User = get_user_model()
    email = (email or "").strip()
    by_name = {f"{User.USERNAME_FIELD}__iexact": email}
    by_email = {f"{User.get_email_field_name()}__iexact": email}
    return User._default_manager.filter(**by_name).first() or User._default_manager.filter(**by_email).first()


def create_account(*, email: str, password: str, values=None):
    """A new account, inactive until its address is confirmed: the address is also its login name. ``values``: the
    user model's other fields from the registration form (the name, a custom model's required fields)."""
    User = get_user_model()
    fields = {**(values or {}), User.USERNAME_FIELD: email, User.get_email_field_name(): email, "is_active": False}
    user = User(**fields)
    user.set_password(password)
    user.save()
    return user


def _send(*, request, to: str, template: str, context: dict) -> None:
    subject = " ".join(render_to_string(f"{template}_subject.txt", context, request=request).split())
    body = render_to_string(f"{template}_email.txt", context, request=request)
    send_mail(subject, body, None, [to])


def send_confirmation(*, request, user) -> None:
    """E-mail ``user`` the link that confirms their address (and activates the account)."""
    uid = urlsafe_base64_encode(force_bytes(user.pk))
    link = request.build_absolute_uri(reverse("wagtail_awards:verify_email", args=[uid, email_tokens.make_token(user)]))
    to = getattr(user, user.get_email_field_name())
    _send(request=request, to=to, template="wagtail_awards/accounts/confirm", context={"user": user, "link": link})


def send_already_registered(*, request, user) -> None:
    """Tell the owner of an address someone tried to register with it (the page said nothing about it)."""
    to = getattr(user, user.get_email_field_name())
    context = {
        "user": user,
        "login": request.build_absolute_uri(reverse("wagtail_awards:login")),
        "reset": request.build_absolute_uri(reverse("wagtail_awards:password_reset")),
    }
    if not user.is_active and not VerifiedEmail.objects.filter(user=user).exists():
        # Never confirmed: the new attempt gets a fresh link instead (nothing of the attempt itself is kept).
        send_confirmation(request=request, user=user)
        return
    _send(request=request, to=to, template="wagtail_awards/accounts/already_registered", context=context)


def confirm_email(*, uidb64: str, token: str):
    """Activate the account of a confirmation link and record its address as verified; the user, or ``None`` for
    a wrong or used link. Side effects: saves the user (active), creates the ``VerifiedEmail``."""
    User = get_user_model()
    try:
        pk = urlsafe_base64_decode(uidb64).decode()
    except (TypeError, ValueError, UnicodeDecodeError):
        return None
    try:
        pk = User._meta.pk.to_python(pk)
    except ValidationError:
        return None
    if isinstance(pk, int) and not 0 < pk < 2**63:
        return None
    user = User._default_manager.filter(pk=pk).first()
    if user is None:
        return None
    if not email_tokens.check_token(user, token):
        return None
    with transaction.atomic():
        if not user.is_active:
            user.is_active = True
            user.save(update_fields=["is_active"])
        mark_email_verified(user=user)
    return user
