from django.apps import AppConfig, apps
from django.conf import settings
from django.core.signals import request_finished, request_started
from django.db.models.signals import post_delete, post_save
from django.utils.translation import gettext_lazy as _
from wagtail.signals import page_published, page_unpublished, post_page_move

from . import account_checks, page_cache
from .checks import register_checks


class WagtailAwardsConfig(AppConfig):
    name = "wagtail_awards"
    label = "wagtail_awards"
    verbose_name = _("Awards")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        register_checks()
        self.connect_page_cache()
        account_checks.connect(
            user=apps.get_model(settings.AUTH_USER_MODEL),
            verified_email=apps.get_model(self.label, "VerifiedEmail"),
            roll=apps.get_model(self.label, "EligibleVoter"),
        )

    def connect_page_cache(self):
        """Purge the cached public pages (:mod:`.page_cache`) whenever what they show may have changed other than by
        a vote; working days move publicity periods, so the cached exceptions go first."""
        # The models of the project's registry (a test's isolated registry holds none of them).
        award, exception = apps.get_model(self.label, "Award"), apps.get_model(self.label, "CalendarException")
        page = apps.get_model("wagtailcore", "Page")
        restriction, site = apps.get_model("wagtailcore", "PageViewRestriction"), apps.get_model("wagtailcore", "Site")
        forget = exception.objects.forget_cached
        post_save.connect(forget, sender=exception, dispatch_uid="wagtail_awards_forget_saved", weak=False)
        post_delete.connect(forget, sender=exception, dispatch_uid="wagtail_awards_forget_gone", weak=False)
        request_started.connect(page_cache.start_request, dispatch_uid="wagtail_awards_page_cache_request_started")
        request_finished.connect(page_cache.end_request, dispatch_uid="wagtail_awards_page_cache_request_finished")
        purge = page_cache.purge
        page_published.connect(purge, dispatch_uid="wagtail_awards_purge_published")
        page_unpublished.connect(purge, dispatch_uid="wagtail_awards_purge_unpublished")
        post_page_move.connect(purge, dispatch_uid="wagtail_awards_purge_moved")
        for model in (award, exception, restriction, site):
            post_save.connect(purge, sender=model, dispatch_uid=f"wagtail_awards_purge_save_{model.__name__}")
            post_delete.connect(purge, sender=model, dispatch_uid=f"wagtail_awards_purge_delete_{model.__name__}")

        def purge_deleted_page(sender, instance, **kwargs):
            if isinstance(instance, page):
                purge()

        post_delete.connect(purge_deleted_page, dispatch_uid="wagtail_awards_purge_deleted_page", weak=False)
