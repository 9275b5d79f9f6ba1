from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from ..enums import RecommendationDecision


class RecommendationList(models.Model):
    """A recommending organisation's list for one call; the row locked to hold its quota under concurrency."""

    call = models.ForeignKey(
        "wagtail_awards.CallPage", verbose_name=_("call"), on_delete=models.CASCADE, related_name="recommendation_lists"
    )
    organization = models.ForeignKey(
        "wagtail_awards.Organization",
        verbose_name=_("recommending organisation"),
        on_delete=models.CASCADE,
        related_name="recommendation_lists",
    )
    submitted_at = models.DateTimeField(_("submitted"), null=True, blank=True)
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("submitted by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )

    class Meta:
        verbose_name = _("recommendation list")
        verbose_name_plural = _("recommendation lists")
        constraints = [models.UniqueConstraint(fields=["call", "organization"], name="awards_unique_rec_list")]

    def __str__(self):
        return f"{self.organization} · {self.call}"

    @property
    def is_locked(self):
        return self.submitted_at is not None


class Recommendation(models.Model):
    """A recommending organisation's decision on one application (初审)."""

    recommendation_list = models.ForeignKey(
        RecommendationList, verbose_name=_("recommendation list"), on_delete=models.CASCADE, related_name="items"
    )
    application = models.OneToOneField(
        "wagtail_awards.Application",
        verbose_name=_("application"),
        on_delete=models.CASCADE,
        related_name="recommendation",
    )
    decision = models.CharField(_("decision"), max_length=20, choices=RecommendationDecision.choices)
    order = models.PositiveSmallIntegerField(_("order"), null=True, blank=True)
    comment = models.TextField(_("comment"), blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("decided by"), on_delete=models.SET_NULL, null=True, related_name="+"
    )
    decided_at = models.DateTimeField(_("decided"), auto_now=True)

    class Meta:
        ordering = ["recommendation_list", "order", "pk"]
        verbose_name = _("recommendation")
        verbose_name_plural = _("recommendations")

    def __str__(self):
        return f"{self.application} · {self.get_decision_display()}"


class ReviewAssignment(models.Model):
    """A reviewer asked to score one recommended application."""

    application = models.ForeignKey(
        "wagtail_awards.Application",
        verbose_name=_("application"),
        on_delete=models.CASCADE,
        related_name="review_assignments",
    )
    reviewer = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("Reviewer"), on_delete=models.CASCADE, related_name="award_reviews"
    )
    assigned_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("assigned by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    assigned_at = models.DateTimeField(_("assigned"), auto_now_add=True)
    comment = models.TextField(_("comment"), blank=True)
    total = models.DecimalField(_("weighted total"), max_digits=7, decimal_places=3, null=True, blank=True)
    submitted_at = models.DateTimeField(_("scored"), null=True, blank=True)

    class Meta:
        verbose_name = _("review assignment")
        verbose_name_plural = _("review assignments")
        constraints = [models.UniqueConstraint(fields=["application", "reviewer"], name="awards_unique_assignment")]

    def __str__(self):
        return f"{self.reviewer} → {self.application}"


class Score(models.Model):
    """One criterion's score in one review. ``criterion_name`` keeps the name the score was given under."""

    assignment = models.ForeignKey(ReviewAssignment, on_delete=models.CASCADE, related_name="scores")
    criterion = models.ForeignKey(
        "wagtail_awards.CallCriterion", on_delete=models.SET_NULL, null=True, related_name="scores"
    )
    criterion_name = models.CharField(_("criterion"), max_length=100)
    value = models.DecimalField(_("score"), max_digits=6, decimal_places=2)

    class Meta:
        verbose_name = _("score")
        verbose_name_plural = _("scores")
        constraints = [models.UniqueConstraint(fields=["assignment", "criterion"], name="awards_unique_score")]

    def __str__(self):
        return f"{self.criterion_name}: {self.value}"
