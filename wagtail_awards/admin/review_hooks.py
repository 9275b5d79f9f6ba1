"""Hooks of the review screens: URLs, the menu, the home-page panel and the logged actions."""

from django.templatetags.static import static
from django.urls import include, path, reverse
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.menu import Menu, MenuItem, SubmenuMenuItem

from ..domain import review as rules
from . import review
from .dashboard import RoundPanel


@hooks.register("register_admin_urls")
def review_urls():
    return [path("awards/review/", include((review.urlpatterns(), review.NAMESPACE), namespace=review.NAMESPACE))]


class RoleMenuItem(MenuItem):
    def __init__(self, label, url_name, *, roles, permission, **kwargs):
        self.url_name, self.roles, self.permission = url_name, roles, permission
        super().__init__(label, "#", **kwargs)

    def is_shown(self, request):
        user_roles = rules.roles_of(request.user)
        return any(getattr(user_roles, role) for role in self.roles) and request.user.has_perm(self.permission)

    def render_component(self, request):
        self.url = reverse(f"{review.NAMESPACE}:{self.url_name}")
        return super().render_component(request)


review_menu = Menu(
    items=[
        RoleMenuItem(
            _("Projects in the round"),
            "applications",
            roles=review.ApplicationListView.roles,
            permission=review.ApplicationListView.permission,
            icon_name="list-ul",
            order=100,
        ),
        RoleMenuItem(
            _("Preliminary review and recommendation"),
            "recommend",
            roles=review.RecommendView.roles,
            permission=review.RecommendView.permission,
            icon_name="tasks",
            order=200,
        ),
        RoleMenuItem(
            _("Reviewer assignment"),
            "assignments",
            roles=review.AssignmentsView.roles,
            permission=review.AssignmentsView.permission,
            icon_name="group",
            order=300,
        ),
        RoleMenuItem(
            _("Expert review"),
            "scores",
            roles=review.ScoresView.roles,
            permission=review.ScoresView.permission,
            icon_name="edit",
            order=400,
        ),
        RoleMenuItem(
            _("Ranking and prizes"),
            "ranking",
            roles=review.RankingView.roles,
            permission=review.RankingView.permission,
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
    user_roles = rules.roles_of(request.user)
    if user_roles.province_admin or user_roles.recommender or user_roles.reviewer:
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
