from django.templatetags.static import static
from django.utils.html import format_html
from wagtail import hooks

from . import admin
from .admin import application_hooks as application_admin_hooks  # noqa: F401  (registers the application hooks)
from .admin import review_hooks  # noqa: F401  (registers the review screens' hooks)
from .admin import round_hooks as round_admin_hooks  # noqa: F401  (registers next year's round: action, URLs, copies)
from .admin import voting as voting_admin  # noqa: F401  (registers the vote audit's hooks)

admin.register()


@hooks.register("insert_global_admin_css")
def awards_admin_css():
    return format_html('<link rel="stylesheet" href="{}">', static("wagtail_awards/css/admin.css"))


@hooks.register("register_log_actions")
def register_publicity_log_actions(actions):
    from django.utils.translation import gettext_lazy as _

    actions.register_action("wagtail_awards.objection_filed", _("File objection"), _("Objection filed"))
    actions.register_action("wagtail_awards.award_cancelled", _("Cancel award"), _("Award cancelled"))
    actions.register_action("wagtail_awards.award_finalised", _("Finalise award"), _("Award made final"))
