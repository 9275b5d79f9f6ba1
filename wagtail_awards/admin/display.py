"""How the app's model screens show values: words instead of Django admin's icons and Python's True/False."""

from django.utils.translation import gettext as _
from wagtail_modeladmin.views import InspectView


class WordsInspectView(InspectView):
    """The inspect view, with 是/否 for yes-or-no fields."""

    def get_field_display_value(self, field_name, field=None):
        value = super().get_field_display_value(field_name, field)
        if value is True:
            return _("Yes")
        if value is False:
            return _("No")
        return value
