"""Applicant accounts: linking a user to the unit they apply for."""

from django.db import transaction
from django.utils.translation import gettext as _

from ..enums import RECOMMENDING_KINDS, OrganizationKind, Role


class UnitRefused(Exception):
    """The unit cannot be linked; ``str(exc)`` is the translated message."""


def link_applicant(*, user, unit=None, new_unit_name: str = "", parent=None, city: str = ""):
    """Make ``user`` an applicant of ``unit`` (an existing grassroots unit) or of a new grassroots unit
    ``new_unit_name`` under ``parent`` (a city union, university or institute); return the unit.

    Call it from a registration form or from an authentication backend of an external identity provider.
    Side effects: may create an ``Organization``; creates the ``Membership`` (role applicant) unless it exists.
    """
    from ..models import Membership, Organization

    with transaction.atomic():
        if unit is None:
            name = " ".join((new_unit_name or "").split())
            if not name:
                raise UnitRefused(_("Choose your unit or give the name of a new one."))
            if parent is None or parent.kind not in RECOMMENDING_KINDS:
                raise UnitRefused(_("Choose the city union, university or institute your unit belongs to."))
            if Organization.objects.filter(name=name).exists():
                raise UnitRefused(_("A unit of that name exists already: choose it from the list."))
            unit = Organization.objects.create(
                name=name, kind=OrganizationKind.GRASSROOTS, parent=parent, city=city or parent.city
            )
        elif unit.kind != OrganizationKind.GRASSROOTS:
            raise UnitRefused(_("Only a grassroots union can apply."))
        Membership.objects.get_or_create(user=user, organization=unit, role=Role.APPLICANT)
    return unit
