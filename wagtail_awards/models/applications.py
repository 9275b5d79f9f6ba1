from uuid import uuid4

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from ..enums import ApplicationStatus
from ..rules import applications as rules
from ..rules.names import normalise_name
from ..storage import private_storage as _private_storage
from .application_form import ApplicationFormPage
from .organizations import Organization


class Application(models.Model):
    """One project applied for in one call by one unit."""

    call = models.ForeignKey(
        "wagtail_awards.CallPage", verbose_name=_("call"), on_delete=models.PROTECT, related_name="applications"
    )
    applicant = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("applicant"),
        on_delete=models.PROTECT,
        related_name="award_applications",
    )
    organization = models.ForeignKey(
        "wagtail_awards.Organization",
        verbose_name=_("applicant unit"),
        on_delete=models.PROTECT,
        related_name="applications",
    )
    # Kept with the application (not looked up each time) so scoping queries stay one join deep.
    recommending_organization = models.ForeignKey(
        "wagtail_awards.Organization",
        verbose_name=_("recommending organisation"),
        on_delete=models.PROTECT,
        related_name="recommended_applications",
        null=True,
        blank=True,
    )

    reviewing_unit = models.CharField(_("reviewing unit"), max_length=200, blank=True)
    responsible_department = models.CharField(_("responsible department"), max_length=200, blank=True)
    unit_name = models.CharField(_("applicant unit name"), max_length=200, blank=True)
    project_name = models.CharField(_("project name"), max_length=200, blank=True)
    theme = models.CharField(_("theme"), max_length=100, blank=True)
    summary = models.TextField(_("project summary"), blank=True)
    answers = models.JSONField(_("other answers"), default=dict, blank=True)
    declaration = models.BooleanField(_("declaration accepted"), default=False)

    # Unique within its call (see Meta): a call copied with the same year numbers its applications afresh.
    reference = models.CharField(_("reference number"), max_length=20, null=True, blank=True, db_index=True)
    status = models.CharField(
        _("status"), max_length=20, choices=ApplicationStatus.choices, default=ApplicationStatus.DRAFT, db_index=True
    )
    status_reason = models.TextField(_("reason"), blank=True)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)
    submitted_at = models.DateTimeField(_("submitted"), null=True, blank=True)
    # The form's one-time token: a replayed or double-clicked POST finds the application it created.
    submission_token = models.UUIDField(null=True, blank=True, unique=True, editable=False)
    # Earlier awards that look like this project without being it for certain (see ``rules.past_awards``);
    # a province administrator decides: the same project (ineligible) or another one (cleared).
    past_award_matches = models.JSONField(_("similar past awards"), default=list, blank=True)
    past_award_cleared_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    past_award_cleared_at = models.DateTimeField(_("cleared of past awards"), null=True, blank=True)
    # The receipt e-mail is sent after the submission commits; one that could not be sent stays due for
    # ``manage.py awards_send_receipts``.
    receipt_due = models.BooleanField(_("receipt due"), default=False, db_index=True, editable=False)
    receipt_sent_at = models.DateTimeField(_("receipt sent"), null=True, blank=True, editable=False)
    receipt_attempts = models.PositiveSmallIntegerField(_("receipt attempts"), default=0, editable=False)
    receipt_error = models.CharField(_("receipt error"), max_length=255, blank=True, editable=False)

    class Meta:
        ordering = ["call", "reference", "pk"]
        verbose_name = _("application")
        verbose_name_plural = _("applications")
        indexes = [
            models.Index(fields=["call", "status"]),
            models.Index(fields=["recommending_organization", "status"]),
        ]
        constraints = [
            models.UniqueConstraint(fields=["call", "reference"], name="awards_unique_reference_per_call"),
        ]

    def __str__(self):
        return f"{self.reference or _('draft')} · {self.project_name or _('(untitled)')}"

    def labelled_answers(self):
        """``(label, answer)`` of the editor-defined fields, labelled as on the call's application form."""
        page = ApplicationFormPage.objects.child_of(self.call).first()
        fields = page.answer_fields() if page else []
        return rules.labelled_answers(answers=self.answers, fields=fields)

    @property
    def is_proposed(self):
        """Proposed for an award: its review is over (no reviewer is added any more)."""
        return self.status == ApplicationStatus.PROPOSED

    @property
    def normalised_project_name(self):
        return normalise_name(self.project_name)

    @property
    def normalised_unit_name(self):
        return normalise_name(self.unit_name or self.organization.name)


def application_file_name(instance, filename):
    """A random name under the private root; the uploaded name is kept in ``original_name`` only."""
    return f"applications/{uuid4().hex[:2]}/{uuid4().hex}"


def private_storage():
    """The storage of application files, looked up when a file is saved (the setting may change; migrations keep
    this callable rather than a path)."""
    return _private_storage()


class ApplicationFile(models.Model):
    """A file uploaded with an application, stored under a random name outside the public media path."""

    application = models.ForeignKey(Application, on_delete=models.CASCADE, related_name="files")
    field_name = models.CharField(_("field"), max_length=100)
    file = models.FileField(_("file"), storage=private_storage, upload_to=application_file_name, max_length=200)
    original_name = models.CharField(_("file name"), max_length=255)
    content_type = models.CharField(pgettext_lazy("of a file", "content type"), max_length=100)
    size = models.PositiveBigIntegerField(_("size (bytes)"))
    sha256 = models.CharField(max_length=64)
    uploaded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+")
    uploaded_at = models.DateTimeField(_("uploaded"), auto_now_add=True)

    class Meta:
        ordering = ["field_name", "uploaded_at"]
        verbose_name = _("application file")
        verbose_name_plural = _("application files")

    def __str__(self):
        return self.original_name


class PastAward(models.Model):
    """A project awarded in an earlier year; it may not apply again (往年已获评项目不再参评)."""

    year = models.PositiveSmallIntegerField(_("year"))
    project_name = models.CharField(_("project name"), max_length=200)
    unit_name = models.CharField(_("unit name"), max_length=200)
    prize = models.CharField(_("prize"), max_length=100, blank=True)
    # The unit as an organisation of the site, when its name matches one (set on import and on save).
    organization = models.ForeignKey(
        "wagtail_awards.Organization",
        verbose_name=_("unit"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="past_awards",
    )
    normalised_project = models.CharField(max_length=200, editable=False, db_index=True)
    normalised_unit = models.CharField(max_length=200, editable=False)

    class Meta:
        ordering = ["-year", "project_name"]
        verbose_name = _("past award")
        verbose_name_plural = _("past awards")
        constraints = [
            models.UniqueConstraint(fields=["year", "normalised_project", "normalised_unit"], name="awards_unique_past")
        ]

    def __str__(self):
        return f"{self.year} · {self.project_name} · {self.unit_name}"

    def save(self, *args, **kwargs):
        self.normalised_project = normalise_name(self.project_name)
        self.normalised_unit = normalise_name(self.unit_name)
        if self.organization_id is None and self.normalised_unit:
            self.organization = Organization.objects.filter(normalised_name=self.normalised_unit).first()
        super().save(*args, **kwargs)
