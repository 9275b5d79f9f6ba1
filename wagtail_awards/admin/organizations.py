from django.utils.translation import gettext_lazy as _
from wagtail_modeladmin.options import ModelAdminGroup

from ..exports import FormulaSafeIndexView
from ..models import CalendarException, Membership, Organization
from .applications import ApplicationAdmin, PastAwardAdmin
from .base import AwardsModelAdmin


class OrganizationAdmin(AwardsModelAdmin):
    model = Organization
    index_view_class = FormulaSafeIndexView
    menu_label = _("Organisations")
    menu_icon = "group"
    list_display = ("name", "kind", "parent", "city")
    list_filter = ("kind", "city")
    search_fields = ("name", "city")
    list_select_related = ("parent",)
    inspect_view_enabled = True


class MembershipAdmin(AwardsModelAdmin):
    model = Membership
    index_view_class = FormulaSafeIndexView
    menu_label = _("Memberships")
    menu_icon = "user"
    list_display = ("user", "organization", "role")
    list_filter = ("role", "organization__kind")
    search_fields = ("user__username", "user__first_name", "user__last_name", "organization__name")
    list_select_related = ("user", "organization")


class CalendarExceptionAdmin(AwardsModelAdmin):
    model = CalendarException
    index_view_class = FormulaSafeIndexView
    menu_label = _("Working-day exceptions")
    menu_icon = "date"
    list_display = ("day", "is_working_day", "note")
    list_filter = ("is_working_day",)


class AwardsAdminGroup(ModelAdminGroup):
    menu_label = _("Awards")
    menu_icon = "trophy"
    menu_order = 250
    items = (ApplicationAdmin, PastAwardAdmin, OrganizationAdmin, MembershipAdmin, CalendarExceptionAdmin)
