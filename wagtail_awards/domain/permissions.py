"""Who may see and change applications and their files. Plain functions over users and applications.

Every site view, admin screen and file download asks these; nothing else decides access to an application.

- the applicant's unit: members of ``application.organization`` (any role) see it; its applicants change it
  while it is a draft;
- its recommending organisation: recommenders of ``application.recommending_organization``, once it has been
  submitted (a draft is the unit's own working copy);
- reviewers assigned to it through a ``ReviewAssignment``;
- province administrators (a ``province_admin`` membership) and superusers: every application.
"""

from django.db.models import Q

from ..enums import ApplicationStatus, Role


def _memberships(user):
    """``[(organization id, role)]`` of an active user (``None`` otherwise), read once per user object: a
    request's user is loaded afresh, so a membership added during one request counts from the next."""
    if not getattr(user, "is_authenticated", False) or not user.is_active:
        return None
    cache = getattr(user, "_awards_memberships", None)
    if cache is None:
        from ..models import Membership

        cache = list(Membership.objects.filter(user=user).values_list("organization_id", "role"))
        user._awards_memberships = cache
    return cache


def is_province_admin(user) -> bool:
    memberships = _memberships(user)
    if memberships is None:
        return False
    return user.is_superuser or any(role == Role.PROVINCE_ADMIN for _org, role in memberships)


def organization_ids(user, *, role: str | None = None) -> set[int]:
    """The organisations ``user`` belongs to (with ``role`` when given)."""
    memberships = _memberships(user) or []
    return {org for org, r in memberships if role is None or r == role}


def applicant_units(user):
    """The organisations ``user`` may apply for (an ``applicant`` membership), by name."""
    from ..models import Organization

    return Organization.objects.filter(pk__in=organization_ids(user, role=Role.APPLICANT)).order_by("name")


def visible_applications(user, queryset=None):
    """``queryset`` (default: every application) narrowed to what ``user`` may see."""
    from ..models import Application

    queryset = Application.objects.all() if queryset is None else queryset
    if _memberships(user) is None:
        return queryset.none()
    if is_province_admin(user):
        return queryset
    condition = Q(organization_id__in=organization_ids(user))
    recommending = organization_ids(user, role=Role.RECOMMENDER)
    if recommending:
        condition |= Q(recommending_organization_id__in=recommending) & ~Q(status=ApplicationStatus.DRAFT)
    condition |= Q(review_assignments__reviewer=user)
    return queryset.filter(condition).distinct()


def can_view_application(user, application) -> bool:
    """Whether ``user`` may see ``application``, its answers and its files."""
    memberships = _memberships(user)
    if memberships is None:
        return False
    if is_province_admin(user):
        return True
    if application.organization_id in organization_ids(user):
        return True
    if (
        application.status != ApplicationStatus.DRAFT
        and application.recommending_organization_id
        and application.recommending_organization_id in organization_ids(user, role=Role.RECOMMENDER)
    ):
        return True
    return application.review_assignments.filter(reviewer=user).exists()


def can_edit_application(user, application) -> bool:
    """Whether ``user`` may change ``application`` as its applicant (the deadline is checked separately)."""
    from .applications import is_locked

    if _memberships(user) is None:
        return False
    return application.organization_id in organization_ids(user, role=Role.APPLICANT) and not is_locked(
        status=application.status
    )


def can_withdraw_application(user, application) -> bool:
    """Whether ``user`` may withdraw ``application`` as its applicant (the deadline is checked separately)."""
    if _memberships(user) is None:
        return False
    return application.organization_id in organization_ids(user, role=Role.APPLICANT)


def can_download_file(user, application_file) -> bool:
    """Whether ``user`` may download one uploaded file: exactly those who may see its application."""
    return can_view_application(user, application_file.application)
