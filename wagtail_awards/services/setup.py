"""Setting up a site: the admin groups that give each role its access (``manage.py awards_setup_roles``)."""

from django.contrib.auth.models import Group, Permission
from django.utils.translation import gettext_lazy as _

from ..enums import Role

#: Wagtail admin groups by role; applicants work on the site only and get none.
ROLE_GROUPS = {
    Role.RECOMMENDER: _("Recommenders"),
    Role.REVIEWER: _("Reviewers"),
    Role.PROVINCE_ADMIN: _("Province administrators"),
}


#: Model permissions (codenames in the app) of the roles below province administrator. They open the screens;
#: which objects a user sees there is decided per object by ``access``.
ROLE_PERMISSIONS = {
    Role.RECOMMENDER: [
        "view_application",
        "view_applicationfile",
        "view_recommendationlist",
        "change_recommendationlist",
        "view_recommendation",
        "add_recommendation",
        "change_recommendation",
    ],
    Role.REVIEWER: [
        "view_application",
        "view_applicationfile",
        "view_reviewassignment",
        "view_score",
        "add_score",
        "change_score",
    ],
}


def ensure_role_groups() -> dict[str, Group]:
    """Create (or complete) the admin group of each role and return them by role.

    Side effects: creates ``Group`` rows and adds permissions. Every group may enter the Wagtail admin;
    the province administrators' group may also change every model of the app; recommenders and reviewers get
    the permissions of :data:`ROLE_PERMISSIONS`. What a recommender or reviewer sees inside is scoped per object
    by the app's own views, not by these permissions.
    """
    access_admin = Permission.objects.get(content_type__app_label="wagtailadmin", codename="access_admin")
    app_permissions = Permission.objects.filter(content_type__app_label="wagtail_awards")
    groups = {}
    for role, name in ROLE_GROUPS.items():
        group, _created = Group.objects.get_or_create(name=str(name))
        group.permissions.add(access_admin)
        if role == Role.PROVINCE_ADMIN:
            group.permissions.add(*app_permissions)
        elif role in ROLE_PERMISSIONS:
            group.permissions.add(*app_permissions.filter(codename__in=ROLE_PERMISSIONS[role]))
        groups[role] = group
    return groups
