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
def register_awards_log_model(actions):
    """The app's records (not its pages) log to ``AwardsLogEntry``, which Wagtail's reports show to province
    administrators only (see ``access``)."""
    from django.apps import apps
    from wagtail.models import Page

    from .models import AwardsLogEntry

    for model in apps.get_app_config("wagtail_awards").get_models():
        if not issubclass(model, Page) and model is not AwardsLogEntry:
            actions.register_model(model, AwardsLogEntry)


@hooks.register("register_log_actions")
def register_publicity_log_actions(actions):
    from django.utils.translation import gettext_lazy as _

    actions.register_action("wagtail_awards.objection_filed", _("File objection"), _("Objection filed"))
    actions.register_action("wagtail_awards.award_cancelled", _("Cancel award"), _("Award cancelled"))
    actions.register_action("wagtail_awards.award_finalised", _("Finalise award"), _("Award made final"))


@hooks.register("register_log_actions")
def register_people_log_actions(actions):
    from django.utils.translation import gettext_lazy as _

    actions.register_action("wagtail_awards.membership_requested", _("Ask to join a unit"), _("Asked to join a unit"))
    actions.register_action("wagtail_awards.membership_approved", _("Approve membership"), _("Membership approved"))
    actions.register_action("wagtail_awards.membership_rejected", _("Reject membership"), _("Membership rejected"))
    actions.register_action("wagtail_awards.membership_removed", _("Remove member"), _("Member removed"))
    actions.register_action("wagtail_awards.invitation_issued", _("Issue invitation"), _("Invitation issued"))
    actions.register_action("wagtail_awards.invitation_used", _("Use invitation"), _("Joined with an invitation"))
    actions.register_action(
        "wagtail_awards.past_award_cleared", _("Clear of past awards"), _("Not the same as a past award")
    )
