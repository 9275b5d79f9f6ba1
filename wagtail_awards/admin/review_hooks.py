"""Hooks of the round's screens: the app's admin URLs, the home-page panel and the logged actions."""

from django.templatetags.static import static
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _
from wagtail import hooks

from .. import access, admin
from .dashboard import RoundPanel


@hooks.register("register_admin_urls")
def awards_admin_urls():
    """The app's own admin views, in one URL namespace (wagtail-modeladmin registers its own views itself)."""
    return admin.urls()


@hooks.register("construct_homepage_panels")
def round_panel(request, panels):
    if access.can(request.user, "round.dashboard"):
        panels.append(RoundPanel(request))


@hooks.register("insert_global_admin_css")
def review_admin_css():
    return format_html('<link rel="stylesheet" href="{}">', static("wagtail_awards/css/review-admin.css"))


@hooks.register("register_log_actions")
def review_log_actions(actions):
    actions.register_action("wagtail_awards.recommend", _("Recommendation"), _("Recommendation decided"))
    actions.register_action(
        "wagtail_awards.submit_recommendations", _("Submit recommendations"), _("Recommendation list submitted")
    )
    actions.register_action(
        "wagtail_awards.unlock_recommendations", _("Unlock recommendations"), _("Recommendation list unlocked")
    )
    actions.register_action("wagtail_awards.assign_reviewer", _("Assign reviewer"), _("Reviewer assigned"))
    actions.register_action("wagtail_awards.unassign_reviewer", _("Remove reviewer"), _("Reviewer removed"))
    actions.register_action("wagtail_awards.score", _("Score"), _("Scores saved"))
    actions.register_action("wagtail_awards.prize", _("Prize"), _("Prize changed"))
