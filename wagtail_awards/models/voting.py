from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from wagtail.admin.panels import FieldPanel
from wagtail.fields import RichTextField, StreamField
from wagtail.models import Page

from ..blocks import VotingBodyBlock
from ..layout import LayoutPageMixin
from .editing import AwardsPageForm
from .pages import PublicPageMixin


class Vote(models.Model):
    """One vote for one candidate. Tallies count valid votes only."""

    # No index of its own: the indexes below lead with the call (each vote writes every index of the table).
    call = models.ForeignKey(
        "wagtail_awards.CallPage",
        verbose_name=_("call"),
        on_delete=models.CASCADE,
        related_name="votes",
        db_index=False,
    )
    application = models.ForeignKey(
        "wagtail_awards.Application", verbose_name=_("application"), on_delete=models.CASCADE, related_name="votes"
    )
    # Indexed only where there is an account (``awards_vote_account``): votes by code or device have none.
    voter = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("voter account"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="award_votes",
        db_index=False,
    )
    # The user id, or a device id for anonymous voting: what the per-voter limits count.
    voter_key = models.CharField(_("Voter"), max_length=64)
    day = models.DateField(_("day"))
    ip_hash = models.CharField(_("IP hash"), max_length=64, blank=True)
    user_agent_hash = models.CharField(max_length=64, blank=True)
    created_at = models.DateTimeField(_("time"), default=timezone.now, editable=False)
    valid = models.BooleanField(_("valid"), default=True)
    invalid_reason = models.CharField(_("reason for invalidation"), max_length=200, blank=True)

    class Meta:
        verbose_name = _("vote")
        verbose_name_plural = _("votes")
        indexes = [
            models.Index(fields=["call", "application", "valid"]),
            models.Index(fields=["ip_hash", "created_at"]),
            # The audit's live hours and the hourly roll-up read one call's votes by time range.
            models.Index(fields=["call", "created_at"], name="awards_vote_call_time"),
            models.Index(fields=["voter"], condition=models.Q(voter__isnull=False), name="awards_vote_account"),
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

    # No index of its own: the unique constraint below leads with the call.
    call = models.ForeignKey("wagtail_awards.CallPage", on_delete=models.CASCADE, related_name="+", db_index=False)
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


class VoteTally(models.Model):
    """One candidate's valid and invalidated votes, so that tallies cost one row per candidate, not a count of votes.

    ``votes`` counts the valid votes cast before the call's :attr:`VoteRollup.tallied_until` (added on a schedule by
    ``services.voting.roll_up_tallies``; the votes since are counted live, through the ``(call, created_at)`` index);
    ``invalid`` counts every invalidated vote. Kept by invalidation in the same transaction as the votes it changes;
    ``services.voting.recount_tallies`` rebuilds them from the votes.
    """

    call = models.ForeignKey("wagtail_awards.CallPage", on_delete=models.CASCADE, related_name="+")
    application = models.OneToOneField(
        "wagtail_awards.Application", on_delete=models.CASCADE, related_name="vote_tally"
    )
    votes = models.PositiveIntegerField(_("valid votes"), default=0)
    invalid = models.PositiveIntegerField(_("invalidated votes"), default=0)

    class Meta:
        verbose_name = _("vote tally")
        verbose_name_plural = _("vote tallies")
        indexes = [models.Index(fields=["call", "-votes"], name="awards_tally_call_votes")]

    def __str__(self):
        return f"{self.application_id}: {self.votes}"


class VoteRollup(models.Model):
    """How far one call's votes are rolled up into :class:`VoteHour` and :class:`VoteBurst` (whole hours)."""

    call = models.OneToOneField("wagtail_awards.CallPage", on_delete=models.CASCADE, related_name="+")
    # Votes before this instant (the start of an hour) are rolled up; none yet when empty.
    rolled_until = models.DateTimeField(_("rolled up until"), null=True, blank=True)
    burst_threshold = models.PositiveIntegerField(_("burst threshold"))
    # Valid votes cast before this instant are in the call's ``VoteTally`` rows; the ones since are counted live.
    # Empty: none are (every vote is counted live).
    tallied_until = models.DateTimeField(_("tallied until"), null=True, blank=True)

    class Meta:
        verbose_name = _("vote roll-up")
        verbose_name_plural = _("vote roll-ups")

    def __str__(self):
        return f"{self.call_id}: {self.rolled_until:%Y-%m-%d %H:%M}"


class VoteHour(models.Model):
    """Valid votes of one candidate in one hour (rolled up for the vote audit)."""

    call = models.ForeignKey("wagtail_awards.CallPage", on_delete=models.CASCADE, related_name="+")
    hour = models.DateTimeField(_("hour starting"))
    application = models.ForeignKey("wagtail_awards.Application", on_delete=models.CASCADE, related_name="+")
    votes = models.PositiveIntegerField(_("votes"))

    class Meta:
        verbose_name = _("votes in an hour")
        verbose_name_plural = _("votes per hour")
        constraints = [models.UniqueConstraint(fields=["call", "hour", "application"], name="awards_one_vote_hour_row")]

    def __str__(self):
        return f"{self.hour:%Y-%m-%d %H:%M} {self.application_id}: {self.votes}"


class VoteBurst(models.Model):
    """Valid votes from one IP hash or one voter in one hour, at least the burst threshold (rolled up)."""

    KINDS = [("ip", _("IP hash")), ("voter", _("Voter"))]

    call = models.ForeignKey("wagtail_awards.CallPage", on_delete=models.CASCADE, related_name="+")
    hour = models.DateTimeField(_("hour starting"))
    kind = models.CharField(_("source"), max_length=5, choices=KINDS)
    value = models.CharField(max_length=64)
    votes = models.PositiveIntegerField(_("votes"))

    class Meta:
        verbose_name = _("burst of votes")
        verbose_name_plural = _("bursts of votes")
        constraints = [
            models.UniqueConstraint(fields=["call", "hour", "kind", "value"], name="awards_one_vote_burst_row")
        ]
        indexes = [models.Index(fields=["call", "-votes", "hour"], name="awards_burst_call_votes")]

    def __str__(self):
        return f"{self.kind} {self.value} {self.hour:%Y-%m-%d %H:%M}: {self.votes}"


class VotingCode(models.Model):
    """A one-time voting code of one call, handed to one person of a unit: the code is that voter.

    Only a keyed hash of the code is stored (``voters.code_hash``); the code itself is shown once, when a province
    administrator generates it (sheet with QR codes, or XLSX). A revoked code votes no more.
    """

    call = models.ForeignKey(
        "wagtail_awards.CallPage", verbose_name=_("call"), on_delete=models.CASCADE, related_name="voting_codes"
    )
    organization = models.ForeignKey(
        "wagtail_awards.Organization",
        verbose_name=_("unit"),
        on_delete=models.PROTECT,
        related_name="voting_codes",
    )
    number = models.PositiveIntegerField(_("number"), help_text=_("The code's number within its unit and call."))
    code_hash = models.CharField(max_length=64, unique=True, editable=False)
    revoked = models.BooleanField(_("revoked"), default=False, help_text=_("A revoked code cannot vote."))
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("created by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )

    class Meta:
        ordering = ["call", "organization", "number"]
        verbose_name = _("voting code")
        verbose_name_plural = _("voting codes")
        constraints = [
            models.UniqueConstraint(fields=["call", "organization", "number"], name="awards_voting_code_number")
        ]

    def __str__(self):
        return f"{self.organization} · {self.number}"


class EligibleVoter(models.Model):
    """A verified e-mail address on the voter roll (used when ``WAGTAIL_AWARDS_VOTER_ROLL`` is on): the staff of
    approved units, marked as voters in bulk by a province administrator."""

    email = models.EmailField(_("e-mail address"), max_length=254, unique=True)
    organization = models.ForeignKey(
        "wagtail_awards.Organization",
        verbose_name=_("unit"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    added_at = models.DateTimeField(_("added"), auto_now_add=True)
    added_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("added by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )

    class Meta:
        ordering = ["organization__name", "email"]
        verbose_name = _("voter")
        verbose_name_plural = _("voters")

    def __str__(self):
        return self.email


class VotingPage(PublicPageMixin, LayoutPageMixin, Page):
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

    def public_until(self, now):
        # The calls of the page's voting blocks, loaded already by the render.
        calls = [block.value.get("call") for block in self.body if block.block_type == "voting"]
        changes = [call.next_change(now) for call in calls if call is not None]
        return min((change for change in changes if change is not None), default=None)

    def default_slug(self, data):
        return "vote"
