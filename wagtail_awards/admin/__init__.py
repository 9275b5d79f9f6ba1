"""Admin screens. Every ``wagtail_modeladmin`` import of the app lives in this sub-package.

The app's admin is its model admins (each a wagtail-modeladmin ``ModelAdmin`` on :class:`.base.AwardsModelAdmin`,
in the menu groups below) and their views (:attr:`.base.AwardsModelAdmin.admin_views`), with the views of next
year's round, which act on a call page. wagtail-modeladmin's own views keep the URL names it gives them; every other
view is named in one namespace, :data:`.base.NAMESPACE`.
"""

from django.urls import include, path

from . import rounds
from .base import NAMESPACE
from .organizations import AwardsAdminGroup
from .publicity import PublicityAdminGroup
from .reviews import ReviewAdminGroup
from .voters import VotersAdminGroup

#: The menu groups of the app's model admins.
GROUPS = (ReviewAdminGroup, AwardsAdminGroup, PublicityAdminGroup, VotersAdminGroup)

_registered = []


def register():
    """Register the app's model admins with Wagtail, as ``wagtail_modeladmin.options.modeladmin_register`` does
    (menus, wagtail-modeladmin's own URLs, permissions); called once, from ``wagtail_hooks``."""
    for group_class in GROUPS:
        group = group_class()
        group.register_with_wagtail()
        _registered.append(group)


def model_admins():
    """The registered model admins."""
    return [model_admin for group in _registered for model_admin in group.modeladmin_instances]


def urls():
    """Every view of the app's admin that is not one of wagtail-modeladmin's own, under :data:`NAMESPACE` (for
    the ``register_admin_urls`` hook)."""
    patterns = [pattern for model_admin in model_admins() for pattern in model_admin.get_admin_view_urls()]
    patterns += [path(route, view.as_view(), name=name) for route, view, name in rounds.ADMIN_VIEWS]
    return [path("", include((patterns, NAMESPACE), namespace=NAMESPACE))]
