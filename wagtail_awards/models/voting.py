from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class Vote(models.Model):
    """One vote for one candidate. Tallies count valid votes only."""

    call = models.ForeignKey("wagtail_awards.CallPage", on_delete=models.CASCADE, related_name="votes")
    application = models.ForeignKey("wagtail_awards.Application", on_delete=models.CASCADE, related_name="votes")
    voter = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="award_votes"
    )
    # The user id, or a device id for anonymous voting: what the per-voter limits count.
    voter_key = models.CharField(max_length=64)
    day = models.DateField(_("day"))
    ip_hash = models.CharField(max_length=64, blank=True)
    user_agent_hash = models.CharField(max_length=64, blank=True)
    created_at = models.DateTimeField(_("time"), auto_now_add=True)
    valid = models.BooleanField(_("valid"), default=True)
    invalid_reason = models.CharField(_("reason for invalidation"), max_length=200, blank=True)

    class Meta:
        verbose_name = _("vote")
        verbose_name_plural = _("votes")
        indexes = [
            models.Index(fields=["call", "application", "valid"]),
            models.Index(fields=["ip_hash", "created_at"]),
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["voter_key", "application", "day"], name="awards_one_vote_per_candidate_day"
            )
        ]

    def __str__(self):
        return f"{self.voter_key} → {self.application_id} ({self.day})"
