"""Organisations and people: units, users with a role, verified voters, approved memberships."""

from django.contrib.auth import get_user_model

from wagtail_awards.enums import OrganizationKind, Role
from wagtail_awards.models import Membership, Organization

#: The password of every user made here unless given.
PASSWORD = "a-Long-pass-2021"


def make_org(name, kind=OrganizationKind.GRASSROOTS, parent=None, city=""):
    return Organization.objects.create(name=name, kind=kind, parent=parent, city=city)


def make_user(username, *, org=None, role=None, password="pw", group=False, **fields):
    """A user; a member of ``org`` with ``role`` when both are given (and in the role's admin group when
    ``group``)."""
    user = get_user_model().objects.create_user(username=username, password=password, **fields)
    if org and role:
        Membership.objects.create(user=user, organization=org, role=role)
    if group:
        from wagtail_awards.services.setup import ensure_role_groups

        user.groups.add(ensure_role_groups()[role])
    return user


def verify_voter(user, email=None):
    """Make ``user`` a voter with a verified e-mail address (as opening the confirmation link does)."""
    from wagtail_awards.services import accounts

    user.email = email or user.email or f"{user.username}@example.org"
    user.save(update_fields=["email"])
    accounts.mark_email_verified(user=user)
    return user


def make_province_admin(username="province-admin"):
    """A province administrator: a member of the province union with that role, in its admin group (the province
    union is made when there is none)."""
    province = Organization.objects.filter(kind=OrganizationKind.PROVINCE).first() or make_org(
        "江苏省教育科技工会", OrganizationKind.PROVINCE
    )
    return make_user(username, org=province, role=Role.PROVINCE_ADMIN, group=True)


def approve(membership_or_user, *, by, unit=None):
    """Approve a pending membership (of ``membership_or_user`` in ``unit``) as ``by``; returns it."""
    from wagtail_awards.services.accounts import decide_membership

    membership = membership_or_user
    if not isinstance(membership, Membership):
        membership = Membership.objects.get(user=membership_or_user, organization=unit)
    return decide_membership(membership=membership, approve=True, by=by)
