from django.utils.translation import gettext_lazy as _
from wagtail_modeladmin.options import ModelAdminGroup

from ..exports import FormulaSafeIndexView
from ..models import CalendarException, Organization
from .applications import ApplicationAdmin, PastAwardAdmin
from .base import AwardsModelAdmin
from .display import WordsInspectView
from .memberships import MembershipAdmin
from .policy import PolicyPermissionHelper


class OrganizationPermissionHelper(PolicyPermissionHelper):
    list_action = create_action = inspect_action = edit_action = "organizations.manage"


class CalendarPermissionHelper(PolicyPermissionHelper):
    list_action = create_action = inspect_action = edit_action = delete_action = "calendar.manage"


class OrganizationAdmin(AwardsModelAdmin):
    model = Organization
    index_view_class = FormulaSafeIndexView
    menu_label = _("Organisations")
    menu_icon = "group"
    list_display = ("name", "kind", "parent", "city", "approved")
    list_filter = ("kind", "city", "approved")
    search_fields = ("name", "city")
    list_select_related = ("parent",)
    inspect_view_enabled = True
    inspect_view_class = WordsInspectView
    inspect_view_fields = ("name", "kind", "parent", "city", "approved")
    permission_helper_class = OrganizationPermissionHelper


class CalendarExceptionAdmin(AwardsModelAdmin):
    model = CalendarException
    index_view_class = FormulaSafeIndexView
    menu_label = _("Working-day exceptions")
    menu_icon = "date"
    list_display = ("day", "is_working_day", "note")
    list_filter = ("is_working_day",)
    search_fields = ("note",)
    inspect_view_enabled = True
    inspect_view_class = WordsInspectView
    inspect_view_fields = ("day", "is_working_day", "note")
    permission_helper_class = CalendarPermissionHelper


class AwardsAdminGroup(ModelAdminGroup):
    menu_label = _("Awards")
    menu_icon = "success"
    menu_order = 250
    items = (ApplicationAdmin, PastAwardAdmin, OrganizationAdmin, MembershipAdmin, CalendarExceptionAdmin)
