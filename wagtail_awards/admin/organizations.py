from django.utils.translation import gettext_lazy as _
from wagtail_modeladmin.options import ModelAdmin, ModelAdminGroup

from ..exports import FormulaSafeIndexView
from ..models import CalendarException, Membership, Organization
from .applications import ApplicationAdmin, PastAwardAdmin
from .display import WordsInspectView, yes_or_blank


class OrganizationAdmin(ModelAdmin):
    model = Organization
    index_view_class = FormulaSafeIndexView
    menu_label = _("Organisations")
    menu_icon = "group"
    list_display = ("name", "kind", "parent", "city")
    list_filter = ("kind", "city")
    search_fields = ("name", "city")
    list_select_related = ("parent",)
    inspect_view_enabled = True
    inspect_view_class = WordsInspectView


class MembershipAdmin(ModelAdmin):
    model = Membership
    index_view_class = FormulaSafeIndexView
    menu_label = _("Memberships")
    menu_icon = "user"
    list_display = ("user", "organization", "role")
    list_filter = ("role", "organization__kind")
    search_fields = ("user__username", "user__first_name", "user__last_name", "organization__name")
    list_select_related = ("user", "organization")


class CalendarExceptionAdmin(ModelAdmin):
    model = CalendarException
    index_view_class = FormulaSafeIndexView
    menu_label = _("Working-day exceptions")
    menu_icon = "date"
    list_display = ("day", "working_day", "note")
    list_filter = ("is_working_day",)

    def working_day(self, obj):
        return yes_or_blank(obj.is_working_day)

    working_day.short_description = _("is a working day")


class AwardsAdminGroup(ModelAdminGroup):
    menu_label = _("Awards")
    menu_icon = "trophy"
    menu_order = 250
    items = (ApplicationAdmin, PastAwardAdmin, OrganizationAdmin, MembershipAdmin, CalendarExceptionAdmin)
