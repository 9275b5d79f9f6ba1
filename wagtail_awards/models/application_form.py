"""The application form page of a call, built on Wagtail's form builder (``wagtail.contrib.forms``)."""

from django.core.exceptions import ValidationError
from django.core.validators import MinValueValidator
from django.db import models
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils import timezone
from django.utils.functional import cached_property
from django.utils.translation import gettext_lazy as _
from modelcluster.fields import ParentalKey
from wagtail.admin.panels import FieldPanel, FieldRowPanel, InlinePanel, MultiFieldPanel
from wagtail.contrib.forms.models import FORM_FIELD_CHOICES, AbstractForm, AbstractFormField
from wagtail.fields import RichTextField

from ..layout import LayoutPageMixin
from ..rules import files as file_rules
from ..rules.applications import DECLARATION_FIELD, FIXED_TEXT_FIELDS, RESERVED_NAMES
from .editing import AwardsFormPageForm
from .form_builder import DEFAULT_EXTENSIONS, ApplicationFormBuilder, UploadField
from .pages import CallPage

#: Wagtail's field types and the application's own.
APPLICATION_FIELD_CHOICES = (
    *FORM_FIELD_CHOICES,
    ("file", _("File upload")),
    ("files", _("File upload (several files)")),
    ("declaration", _("Declaration checkbox")),
)


def _check_extensions(value):
    unknown = file_rules.unknown_extensions(file_rules.parse_extensions(value or ""))
    if unknown:
        raise ValidationError(
            _("The content of these file types cannot be checked, so they cannot be allowed: %(types)s.")
            % {"types": ", ".join(unknown)}
        )


class ApplicationFormField(AbstractFormField):
    """A field the editor adds to the application form, including file upload fields."""

    page = ParentalKey("ApplicationFormPage", on_delete=models.CASCADE, related_name="form_fields")
    field_type = models.CharField(_("field type"), max_length=16, choices=APPLICATION_FIELD_CHOICES)
    field_type.required_on_save = True
    allowed_extensions = models.CharField(
        _("allowed file types"),
        max_length=200,
        blank=True,
        validators=[_check_extensions],
        # Keep in step with DEFAULT_EXTENSIONS (a translated string cannot be formatted at import time).
        help_text=_(
            "File fields only: extensions separated by commas, e.g. pdf, docx, jpg. Empty: pdf, doc, docx, jpg, png."
        ),
    )
    max_size_mb = models.PositiveSmallIntegerField(
        _("maximum size per file (MB)"), default=20, validators=[MinValueValidator(1)]
    )
    max_files = models.PositiveSmallIntegerField(
        _("maximum number of files"), default=5, validators=[MinValueValidator(1)]
    )

    panels = [
        *AbstractFormField.panels,
        FieldRowPanel([FieldPanel("allowed_extensions"), FieldPanel("max_size_mb"), FieldPanel("max_files")]),
    ]

    class Meta(AbstractFormField.Meta):
        # Fields added in code have no sort order; the primary key keeps them in the order they were added.
        ordering = ["sort_order", "pk"]
        verbose_name = _("application form field")
        verbose_name_plural = _("application form fields")

    def clean(self):
        super().clean()
        if self.label and (self.clean_name or self.get_field_clean_name()) in RESERVED_NAMES:
            raise ValidationError({"label": _("This name is taken by a fixed field of the form; choose another.")})


class ApplicationFormPage(LayoutPageMixin, AbstractForm):
    """The online application of a call (申报). Child of a ``CallPage``; at most one per call.

    The fixed fields (reviewing unit, responsible department, unit name, project name, theme, materials and the
    declaration) are always there and map to ``Application`` columns; fields the editor adds are stored in
    ``Application.answers`` (files in ``ApplicationFile``). Logged-in applicants save drafts and submit; the
    form posts to ``wagtail_awards:application_save``, which limits upload sizes while the files stream in. The
    page is served by ``views.applications.form_page`` (wired in ``wagtail_hooks``).
    """

    intro = RichTextField(_("introduction"), blank=True)
    materials_label = models.CharField(_("materials label"), max_length=200, default=_("Application materials"))
    materials_help = models.CharField(_("materials help text"), max_length=255, blank=True)
    materials_extensions = models.CharField(
        _("materials: allowed file types"), max_length=200, default=DEFAULT_EXTENSIONS, validators=[_check_extensions]
    )
    materials_max_size_mb = models.PositiveSmallIntegerField(
        _("materials: maximum size per file (MB)"), default=20, validators=[MinValueValidator(1)]
    )
    materials_max_files = models.PositiveSmallIntegerField(
        _("materials: maximum number of files"), default=5, validators=[MinValueValidator(1)]
    )
    declaration_text = models.CharField(
        _("declaration"),
        max_length=300,
        default=_("I declare that the materials submitted are true and lawful."),
        help_text=_("The applicant must tick this before submitting."),
    )
    confirmation_text = RichTextField(
        _("confirmation text"), blank=True, help_text=_("Shown with the reference number after submission.")
    )

    form_builder = ApplicationFormBuilder
    base_form_class = AwardsFormPageForm
    landing_page_template = "wagtail_awards/applications/confirmation.html"
    template = "wagtail_awards/applications/form_page.html"

    content_panels = AbstractForm.content_panels + [
        FieldPanel("intro"),
        MultiFieldPanel(
            [
                FieldPanel("materials_label"),
                FieldPanel("materials_help"),
                FieldRowPanel(
                    [
                        FieldPanel("materials_extensions"),
                        FieldPanel("materials_max_size_mb"),
                        FieldPanel("materials_max_files"),
                    ]
                ),
            ],
            heading=_("Materials"),
        ),
        FieldPanel("declaration_text"),
        InlinePanel("form_fields", label=_("Further fields")),
        FieldPanel("confirmation_text"),
    ]

    parent_page_types = ["wagtail_awards.CallPage"]
    subpage_types = []
    max_count_per_parent = 1

    class Meta:
        verbose_name = _("application form page")

    def default_slug(self, data):
        return "apply"

    @cached_property
    def call(self):
        return CallPage.objects.get(pk=self.get_parent().pk)

    def themes(self):
        return list(self.call.themes.all())

    def get_form_class(self):
        return self.form_builder(self.get_form_fields(), page=self).get_form_class()

    def required_items(self):
        """Name → label of every field that must be filled before submission."""
        return self.get_form_class().required_items

    def answer_fields(self):
        """``(name, label)`` of the fields whose answers are stored in ``Application.answers`` (not the files)."""
        return [(f.clean_name, f.label) for f in self.get_form_fields() if f.field_type not in ("file", "files")]

    def upload_limits(self):
        """Name → maximum bytes per file, for every upload field (for the streaming upload handler)."""
        return {
            name: field.max_size
            for name, field in self.get_form_class().base_fields.items()
            if isinstance(field, UploadField)
        }

    def initial_for(self, application):
        """The form's initial values from a saved application."""
        initial = {name: getattr(application, name) for name in FIXED_TEXT_FIELDS}
        initial.update(application.answers)
        initial[DECLARATION_FIELD] = application.declaration
        return initial

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        now = timezone.now()
        context.update(
            call=self.call,
            now=now,
            application_state=self.call.application_state(now=now),
            save_url=reverse("wagtail_awards:application_save", args=[self.pk]),
        )
        return context

    def serve_preview(self, request, mode_name):
        if mode_name == "landing":
            return TemplateResponse(request, self.landing_page_template, self.get_context(request))
        context = self.get_context(request)
        context["form"] = self.get_form(page=self, user=request.user)
        context["preview"] = True
        return TemplateResponse(request, self.get_template(request), context)
