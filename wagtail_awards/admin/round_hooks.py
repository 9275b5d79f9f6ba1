"""Hooks of next year's round: the page action on a call, its URLs, its log action, and copies that keep their
voting blocks pointed at their own call (Wagtail's own "copy" included)."""

from django.urls import include, path, reverse
from django.utils.functional import cached_property
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.ui.menus.pages import PageMenuItem

from ..domain.round_copy import point_copied_pages_at_their_call
from ..models import CallPage
from . import rounds


@hooks.register("register_admin_urls")
def round_urls():
    return [path("awards/rounds/", include((rounds.urlpatterns(), rounds.NAMESPACE), namespace=rounds.NAMESPACE))]


class NextRoundMenuItem(PageMenuItem):
    label = _("Create next year's round from this call")
    icon_name = "copy"

    @cached_property
    def url(self):
        return reverse(f"{rounds.NAMESPACE}:next", args=[self.page.pk])

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


@hooks.register("register_log_actions")
def round_log_actions(actions):
    actions.register_action("wagtail_awards.next_round", _("Create next round"), _("Next year's round created"))
