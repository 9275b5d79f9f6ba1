from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class WagtailAwardsConfig(AppConfig):
    name = "wagtail_awards"
    label = "wagtail_awards"
    verbose_name = _("Awards")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        from .checks import register_checks

        register_checks()
        from . import page_cache

        page_cache.connect_signals()
