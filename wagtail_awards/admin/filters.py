"""List filters shared by the app's model screens.

Django's related-field filters need ``django.contrib.admin``, which a Wagtail site may not run; these read their
choices from the app's own models instead.
"""

from django.contrib.admin import SimpleListFilter
from django.utils.translation import gettext_lazy as _

from ..models import CallPage
from ..rules.ids import parse_id


class CallFilter(SimpleListFilter):
    """By call, from the call menu (short, distinct titles; no drafts)."""

    title = _("call")
    parameter_name = "call"
    #: The lookup of the call's id from the listed model.
    lookup = "call_id"

    def lookups(self, request, model_admin):
        return [(str(call.pk), label) for call, label in CallPage.menu()]

    def queryset(self, request, queryset):
        call_id = parse_id(self.value())
        return queryset.filter(**{self.lookup: call_id}) if call_id else queryset


class ProjectCallFilter(CallFilter):
    """By the call of the project (awards, objections, recommendations, review assignments)."""

    lookup = "application__call_id"
