from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _
from wagtail.admin.panels import FieldPanel
from wagtail.fields import RichTextField, StreamField
from wagtail.models import Page

from ..blocks import VotingBodyBlock
from ..layout import LayoutPageMixin
from .editing import AwardsPageForm


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


class VoterDay(models.Model):
    """How many votes one voter cast in one call on one (local) day, and how many they may.

    Every vote increments ``votes`` in the vote's own transaction; the check constraint ``votes <= cap`` makes the
    database refuse the vote past the daily cap (``WAGTAIL_AWARDS_VOTES_PER_DAY``, written on each vote), so
    concurrent votes of one voter cannot overshoot it.
    """

    call = models.ForeignKey("wagtail_awards.CallPage", on_delete=models.CASCADE, related_name="+")
    voter_key = models.CharField(max_length=64)
    day = models.DateField(_("day"))
    votes = models.PositiveIntegerField(_("votes"), default=0)
    cap = models.PositiveIntegerField(_("votes allowed"), default=0)

    class Meta:
        verbose_name = _("votes of a voter on a day")
        verbose_name_plural = _("votes of voters per day")
        constraints = [
            models.UniqueConstraint(fields=["call", "voter_key", "day"], name="awards_one_counter_per_voter_day"),
            models.CheckConstraint(condition=models.Q(votes__lte=models.F("cap")), name="awards_votes_within_cap"),
        ]

    def __str__(self):
        return f"{self.voter_key} · {self.day}: {self.votes}"


class VotingPage(LayoutPageMixin, Page):
    """A page holding the online vote of its call: text and voting blocks (which may also sit on other pages)."""

    intro = RichTextField(_("introduction"), blank=True)
    body = StreamField(VotingBodyBlock(), verbose_name=_("body"), blank=True)

    content_panels = Page.content_panels + [FieldPanel("intro"), FieldPanel("body")]
    parent_page_types = ["wagtail_awards.CallPage"]
    subpage_types = []
    template = "wagtail_awards/pages/voting_page.html"
    base_form_class = AwardsPageForm

    class Meta:
        verbose_name = _("voting page")
        verbose_name_plural = _("voting pages")

    def default_slug(self, data):
        return "vote"
