from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _

from .checks import register_checks


class WagtailAwardsConfig(AppConfig):
    name = "wagtail_awards"
    label = "wagtail_awards"
    verbose_name = _("Awards")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        register_checks()
