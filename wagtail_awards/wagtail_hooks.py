"""The app's wiring into Wagtail: every hook it registers, in one place.

- serving: the application form and publicity pages are served by their views (``on_serve_page``, inside Wagtail's
  own privacy check), so the page models stay below the services they need;
- the admin: the model admins, the round's screens (URLs, menu, home-page panel, stylesheet), next year's round
  (page buttons, URLs) and copies of pages that keep their voting blocks on their own call;
- Wagtail's log: the app's records log to ``AwardsLogEntry`` and every action the app logs has its label.
"""

from django.apps import apps
from django.templatetags.static import static
from django.utils.functional import cached_property
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.ui.menus.pages import PageMenuItem
from wagtail.log_actions import LogFormatter
from wagtail.models import Page

from . import access, admin
from .admin import rounds
from .admin.base import PolicyMenuItem, admin_url
from .admin.dashboard import RoundPanel
from .enums import ApplicationStatus
from .models import ApplicationFormPage, AwardsLogEntry, CallPage, PublicityPage
from .services.round_copy import point_copied_pages_at_their_call
from .views.applications import form_page
from .views.publicity import publicity_page

admin.register()


# Serving pages

#: Pages whose answer needs the services and forms that their models sit below: each is served by its view.
PAGE_VIEWS = {ApplicationFormPage: form_page, PublicityPage: publicity_page}


@hooks.register("on_serve_page", order=100)
def serve_pages_through_their_views(serve):
    """Wagtail's serving chain, wrapped after its own privacy check (order 0): a page of :data:`PAGE_VIEWS` goes to
    its view, any other page to its ``serve``. A preview runs the page model alone (its ``get_context``)."""

    def serve_page(page, request, args, kwargs):
        view = PAGE_VIEWS.get(type(page))
        if view is None:
            return serve(page, request, args, kwargs)
        return view(request, page)

    return serve_page


# The round's screens


@hooks.register("register_admin_urls")
def awards_admin_urls():
    """The app's own admin views, in one URL namespace (wagtail-modeladmin registers its own views itself); the
    round's work screens are in the 评审 menu group of ``admin.reviews``."""
    return admin.urls()


@hooks.register("register_admin_menu_item")
def vote_audit_menu_item():
    return PolicyMenuItem(
        _("Vote audit"), "vote_audit_index", action="votes.audit", icon_name="tick-inverse", order=260
    )


@hooks.register("construct_homepage_panels")
def round_panel(request, panels):
    if access.can(request.user, "round.dashboard"):
        panels.append(RoundPanel(request))


@hooks.register("insert_global_admin_css")
def review_admin_css():
    return format_html('<link rel="stylesheet" href="{}">', static("wagtail_awards/css/review-admin.css"))


# Next year's round, and copies of pages


class NextRoundMenuItem(PageMenuItem):
    label = _("Create next year's round from this call")
    icon_name = "copy"

    @cached_property
    def url(self):
        return admin_url("next_round", self.page.pk)

    def is_shown(self, user):
        return issubclass(self.page.specific_class or object, CallPage) and rounds.may_start_next_round(user, self.page)


@hooks.register("register_page_header_buttons")
def next_round_header_button(page, user, view_name, next_url=None):
    yield NextRoundMenuItem(page=page, priority=25)


@hooks.register("register_page_listing_more_buttons")
def next_round_listing_button(page, user, next_url=None):
    yield NextRoundMenuItem(page=page, priority=25)


@hooks.register("after_copy_page")
def keep_copies_on_their_call(request, page, new_page):
    point_copied_pages_at_their_call(original=page, copy=new_page, user=request.user)


@hooks.register("filter_form_submissions_for_user")
def hide_application_pages_from_form_submissions(user, editable_forms):
    """Application pages stay out of Wagtail's generic form submissions screen: their submissions are applications,
    listed under 评优 → 申报."""
    return editable_forms.not_type(ApplicationFormPage)


# Wagtail's log


@hooks.register("register_log_actions")
def register_awards_log_model(actions):
    """The app's records (not its pages) log to ``AwardsLogEntry``, which Wagtail's reports show to province
    administrators only (see ``access``)."""
    for model in apps.get_app_config("wagtail_awards").get_models():
        if not issubclass(model, Page) and model is not AwardsLogEntry:
            actions.register_model(model, AwardsLogEntry)


class StatusChange(LogFormatter):
    """An application's move along its status flow (``services.transitions.move``), in words."""

    label = _("Change application status")

    def format_message(self, log_entry):
        def label(value):
            try:
                return ApplicationStatus(value).label
            except ValueError:
                return value

        data = log_entry.data or {}
        return _("Status changed from %(old)s to %(new)s") % {
            "old": label(data.get("from")),
            "new": label(data.get("to")),
        }

    def format_comment(self, log_entry):
        return (log_entry.data or {}).get("reason", "")


@hooks.register("register_log_actions")
def register_log_actions(actions):
    # Applications
    actions.register_action("wagtail_awards.save_draft", _("Save application draft"), _("Application draft saved"))
    actions.register_action("wagtail_awards.submit", _("Submit application"), _("Application submitted"))
    actions.register_action("wagtail_awards.withdraw", _("Withdraw application"), _("Application withdrawn"))
    actions.register_action("wagtail_awards.reopen", _("Reopen application"), _("Application reopened as a draft"))
    actions.register_action("wagtail_awards.status")(StatusChange)
    # Recommendation and expert review
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
    # Publicity
    actions.register_action("wagtail_awards.objection_filed", _("File objection"), _("Objection filed"))
    actions.register_action("wagtail_awards.award_cancelled", _("Cancel award"), _("Award cancelled"))
    actions.register_action("wagtail_awards.award_finalised", _("Finalise award"), _("Award made final"))
    # People
    actions.register_action("wagtail_awards.membership_requested", _("Ask to join a unit"), _("Asked to join a unit"))
    actions.register_action("wagtail_awards.membership_approved", _("Approve membership"), _("Membership approved"))
    actions.register_action("wagtail_awards.membership_rejected", _("Reject membership"), _("Membership rejected"))
    actions.register_action("wagtail_awards.membership_removed", _("Remove member"), _("Member removed"))
    actions.register_action("wagtail_awards.invitation_issued", _("Issue invitation"), _("Invitation issued"))
    actions.register_action("wagtail_awards.invitation_used", _("Use invitation"), _("Joined with an invitation"))
    actions.register_action(
        "wagtail_awards.past_award_cleared", _("Clear of past awards"), _("Not the same as a past award")
    )
    # Next year's round
    actions.register_action("wagtail_awards.next_round", _("Create next round"), _("Next year's round created"))
    # The vote
    actions.register_action("wagtail_awards.invalidate_votes", _("Invalidate votes"), _("Votes invalidated"))
    actions.register_action(
        "wagtail_awards.most_popular", _("Record the most popular project"), _("Recorded as the most popular project")
    )
