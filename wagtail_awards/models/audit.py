from django.db import models
from django.utils.translation import gettext_lazy as _
from wagtail.models.audit_log import BaseLogEntry, ModelLogEntryManager

from ..access import can
from ..rules.cells import neutralise


class AwardsLogEntryManager(ModelLogEntryManager):
    def get_instance_title(self, instance):
        """The entry's label, as Wagtail's reports show and export it: inert if it would be a spreadsheet formula."""
        return neutralise(super().get_instance_title(instance))

    def viewable_by_user(self, user):
        """Wagtail's reports (site history and its exports, object histories) ask this: the round's entries —
        applications, recommendations, reviews and scores, votes, awards, memberships — are for province
        administrators only, whatever model permissions a user's groups hold."""
        if can(user, "logs.view_all"):
            return self.all()
        return self.none()


class AwardsLogEntry(BaseLogEntry):
    """Wagtail log entries of the app's own records, kept apart from ``ModelLogEntry`` so that Wagtail's reports
    show them through :class:`AwardsLogEntryManager` (registered in ``wagtail_hooks`` for the app's models)."""

    object_id = models.CharField(max_length=255, blank=False, db_index=True)

    objects = AwardsLogEntryManager()

    class Meta(BaseLogEntry.Meta):
        ordering = ["-timestamp", "-id"]
        verbose_name = _("award log entry")
        verbose_name_plural = _("award log entries")

    def __str__(self):
        return f"AwardsLogEntry {self.pk}: '{self.action}' on '{self.object_verbose_name}' with id {self.object_id}"
