from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class WagtailAwardsConfig(AppConfig):
    name = "wagtail_awards"
    label = "wagtail_awards"
    verbose_name = _("Awards")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        from django.core import checks

        from . import page_cache, voters

        page_cache.connect_signals()
        checks.register(voters.check_settings)
