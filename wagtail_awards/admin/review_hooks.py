"""Hooks of the review screens: URLs, the menu, the home-page panel and the logged actions."""

from django.templatetags.static import static
from django.urls import include, path, reverse
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.menu import Menu, MenuItem, SubmenuMenuItem

from .. import access
from . import review
from .dashboard import RoundPanel


@hooks.register("register_admin_urls")
def review_urls():
    return [path("awards/review/", include((review.urlpatterns(), review.NAMESPACE), namespace=review.NAMESPACE))]


class RoleMenuItem(MenuItem):
    """A menu item shown to whoever the policy lets open its screen."""

    def __init__(self, label, url_name, *, action, **kwargs):
        self.url_name, self.action = url_name, action
        super().__init__(label, "#", **kwargs)

    def is_shown(self, request):
        return access.can(request.user, self.action)

    def render_component(self, request):
        self.url = reverse(f"{review.NAMESPACE}:{self.url_name}")
        return super().render_component(request)


review_menu = Menu(
    items=[
        RoleMenuItem(
            _("Projects in the round"),
            "applications",
            action=review.ApplicationListView.action,
            icon_name="list-ul",
            order=100,
        ),
        RoleMenuItem(
            _("Preliminary review and recommendation"),
            "recommend",
            action=review.RecommendView.action,
            icon_name="tasks",
            order=200,
        ),
        RoleMenuItem(
            _("Reviewer assignment"),
            "assignments",
            action=review.AssignmentsView.action,
            icon_name="group",
            order=300,
        ),
        RoleMenuItem(
            _("Expert review"),
            "scores",
            action=review.ScoresView.action,
            icon_name="edit",
            order=400,
        ),
        RoleMenuItem(
            _("Ranking and prizes"),
            "ranking",
            action=review.RankingView.action,
            icon_name="order",
            order=500,
        ),
    ]
)


@hooks.register("register_admin_menu_item")
def review_menu_item():
    return SubmenuMenuItem(_("Review"), review_menu, icon_name="tasks", name="awards-review", order=240)


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
