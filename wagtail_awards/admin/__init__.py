"""Admin screens. Every ``wagtail_modeladmin`` import of the app lives in this sub-package."""

from wagtail_modeladmin.options import modeladmin_register

from .organizations import AwardsAdminGroup
from .publicity import PublicityAdminGroup
from .voters import VotersAdminGroup


def register():
    """Register the app's admin screens (called from ``wagtail_hooks``)."""
    modeladmin_register(AwardsAdminGroup)
    modeladmin_register(PublicityAdminGroup)
    modeladmin_register(VotersAdminGroup)
