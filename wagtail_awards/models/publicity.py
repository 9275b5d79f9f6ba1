from decimal import Decimal

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from ..enums import AwardStatus, ObjectionStatus
from .applications import private_storage


def objection_file_name(instance, filename):
    from uuid import uuid4

    return f"objections/{uuid4().hex}"


class Award(models.Model):
    """A proposed or final award of one application: a prize level, the most-popular title, or both."""

    application = models.OneToOneField("wagtail_awards.Application", on_delete=models.CASCADE, related_name="award")
    prize_rank = models.PositiveSmallIntegerField(_("prize"), null=True, blank=True, help_text=_("1, 2 or 3"))
    most_popular = models.BooleanField(_("most popular"), default=False)
    status = models.CharField(_("status"), max_length=20, choices=AwardStatus.choices, default=AwardStatus.PROPOSED)
    cancel_reason = models.TextField(_("reason for cancellation"), blank=True)
    federation_subsidised = models.BooleanField(
        _("subsidised by the provincial federation"),
        default=False,
        help_text=_("Recommended to and subsidised by the provincial federation of trade unions."),
    )
    subsidy = models.DecimalField(_("subsidy (yuan)"), max_digits=10, decimal_places=2, default=Decimal("0"))
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("award")
        verbose_name_plural = _("awards")

    def __str__(self):
        return str(self.application)


class Objection(models.Model):
    """An objection (异议) against a project in publicity."""

    application = models.ForeignKey("wagtail_awards.Application", on_delete=models.CASCADE, related_name="objections")
    name = models.CharField(_("name"), max_length=100)
    contact = models.CharField(_("contact"), max_length=100)
    content = models.TextField(_("content"))
    file = models.FileField(
        _("file"), storage=private_storage, upload_to=objection_file_name, blank=True, max_length=200
    )
    status = models.CharField(
        _("status"), max_length=20, choices=ObjectionStatus.choices, default=ObjectionStatus.RECEIVED
    )
    finding = models.TextField(_("finding"), blank=True)
    reply = models.TextField(_("reply"), blank=True)
    created_at = models.DateTimeField(_("filed"), auto_now_add=True)
    ip_hash = models.CharField(max_length=64, blank=True)

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("objection")
        verbose_name_plural = _("objections")

    def __str__(self):
        return f"{self.application} · {self.created_at:%Y-%m-%d}"
