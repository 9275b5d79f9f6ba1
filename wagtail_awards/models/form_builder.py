"""The application form page's form builder: Wagtail's, plus the fixed fields and file upload fields.

It belongs to the page (``ApplicationFormPage.form_builder``), as Wagtail's own ``FormBuilder`` belongs to its form
pages; the views take the form from the page.
"""

import datetime as dt
from decimal import Decimal

import django.forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from wagtail.contrib.forms.forms import BaseForm, FormBuilder

from ..rules import files as file_rules
from ..rules.applications import (
    DECLARATION_FIELD,
    FIXED_TEXT_FIELDS,
    MATERIALS_FIELD,
    DraftData,
    NewFile,
)
from ..uploads import refusal_message, zip_limits

#: Allowed types of a file field the editor left empty.
DEFAULT_EXTENSIONS = "pdf, doc, docx, jpg, png"


class MultipleFileInput(django.forms.FileInput):
    allow_multiple_selected = True


class UploadField(django.forms.Field):
    """One or several uploaded files, each checked by ``rules.files.check_file``.

    Cleans to a list of ``(UploadedFile, CheckedFile)``. ``max_files`` counts files already stored too: the form
    passes those in ``existing``.
    """

    def __init__(self, *, allowed_extensions, max_size, multiple=False, max_files=1, **kwargs):
        self.allowed_extensions = file_rules.parse_extensions(allowed_extensions or DEFAULT_EXTENSIONS)
        self.max_size = max_size
        self.multiple = multiple
        self.max_files = max_files if multiple else 1
        self.existing = 0
        accept = ",".join(f".{ext}" for ext in self.allowed_extensions)
        attrs = {"accept": accept}
        if multiple:
            attrs["multiple"] = True
        # Always read every file sent under the name, so a forged second file on a single field is refused, not lost.
        widget = MultipleFileInput(attrs=attrs)
        kwargs.setdefault("required", False)
        super().__init__(widget=widget, **kwargs)

    def to_python(self, data):
        if not data:
            return []
        return list(data) if isinstance(data, list | tuple) else [data]

    def validate(self, value):
        # Required-ness is decided on submission (a draft may lack files); see ``services.applications.submit``.
        pass

    def clean(self, data, initial=None):
        uploads = self.to_python(data)
        errors, checked = [], []
        for upload in uploads:
            try:
                checked.append(
                    (
                        upload,
                        file_rules.check_file(
                            name=upload.name,
                            stream=upload,
                            allowed=self.allowed_extensions,
                            max_size=self.max_size,
                            **zip_limits(),
                        ),
                    )
                )
            except ValidationError as exc:
                errors.extend(exc.messages)
        if not self.multiple and len(uploads) > 1:
            errors.append(gettext("Choose one file only."))
        elif len(checked) + self.existing > self.max_files:
            errors.append(
                gettext("At most %(count)d files are accepted here; remove one first.") % {"count": self.max_files}
            )
        if errors:
            raise ValidationError(errors)
        return checked

    def help_line(self):
        return gettext("Accepted: %(types)s; at most %(size)s each.") % {
            "types": ", ".join(self.allowed_extensions),
            "size": file_rules.format_size(self.max_size),
        }


class ApplicationForm(BaseForm):
    """Built by :class:`ApplicationFormBuilder`. Knows which fields are required on submission."""

    #: name → label of the fields required before submitting; set by the builder.
    required_items: dict = {}

    def __init__(self, *args, existing_counts=None, upload_errors=(), **kwargs):
        kwargs.setdefault("use_required_attribute", False)
        super().__init__(*args, **kwargs)
        self.upload_errors = list(upload_errors)
        for name, field in self.fields.items():
            if isinstance(field, UploadField):
                field.existing = (existing_counts or {}).get(name, 0)
            field.awards_required = name in self.required_items

    def clean(self):
        cleaned = super().clean()
        # Files the upload handler refused while they streamed in (too large) never reached the form.
        for refusal in self.upload_errors:
            field_name = refusal.field_name if refusal.field_name in self.fields else None
            self.add_error(field_name, refusal_message(refusal))
        return cleaned

    def draft_data(self, *, remove_file_ids=()) -> DraftData:
        """The cleaned values as ``rules.applications.DraftData``."""
        data = DraftData(remove_file_ids=list(remove_file_ids))
        for name, value in self.cleaned_data.items():
            field = self.fields[name]
            if isinstance(field, UploadField):
                data.new_files.extend(NewFile(field_name=name, upload=u, checked=c) for u, c in value)
                data.max_files[name] = field.max_files
            elif name in FIXED_TEXT_FIELDS:
                data.fixed[name] = value or ""
            elif name == DECLARATION_FIELD:
                data.declaration = bool(value)
            else:
                data.answers[name] = _json_value(value)
        return data


def _json_value(value):
    if isinstance(value, dt.datetime | dt.date | dt.time):
        return value.isoformat()
    if isinstance(value, Decimal):
        return str(value)
    return value


class ApplicationFormBuilder(FormBuilder):
    """Wagtail's form builder with the fixed fields of an application first and three more field types:
    ``file`` (one file), ``files`` (several) and ``declaration`` (a checkbox that must be ticked to submit).

    Every field is optional for a draft; the fields marked required must be filled before submission.
    """

    def __init__(self, fields, *, page=None):
        super().__init__(fields)
        self.page = page
        self.required_items = {}

    def get_field_options(self, field):
        options = super().get_field_options(field)
        if options.pop("required"):
            self.required_items[field.clean_name or field.get_field_clean_name()] = field.label
        options["required"] = False
        return options

    def create_file_field(self, field, options):
        options.pop("initial", None)
        return UploadField(
            allowed_extensions=field.allowed_extensions, max_size=field.max_size_mb * 1024 * 1024, **options
        )

    def create_files_field(self, field, options):
        options.pop("initial", None)
        return UploadField(
            allowed_extensions=field.allowed_extensions,
            max_size=field.max_size_mb * 1024 * 1024,
            multiple=True,
            max_files=field.max_files,
            **options,
        )

    def create_declaration_field(self, field, options):
        options.pop("initial", None)
        return django.forms.BooleanField(**options)

    def fixed_fields(self):
        page = self.page
        themes = [(t.name, t.name) for t in page.themes()] if page else []
        text = {"max_length": 200, "required": False}
        fields = {
            "reviewing_unit": django.forms.CharField(
                label=_("Reviewing unit"), help_text=_("The union that reviews your application first."), **text
            ),
            "responsible_department": django.forms.CharField(label=_("Responsible department"), **text),
            "unit_name": django.forms.CharField(
                label=_("Applicant unit name"),
                help_text=_("Your unit as registered; its recommending organisation or the province union changes it."),
                disabled=True,
                **text,
            ),
            "project_name": django.forms.CharField(label=_("Project name"), **text),
            "theme": django.forms.ChoiceField(label=_("Theme"), choices=[("", "---------"), *themes], required=False),
            MATERIALS_FIELD: UploadField(
                label=page.materials_label if page else _("Application materials"),
                help_text=page.materials_help if page else "",
                allowed_extensions=page.materials_extensions if page else DEFAULT_EXTENSIONS,
                max_size=(page.materials_max_size_mb if page else 20) * 1024 * 1024,
                multiple=True,
                max_files=page.materials_max_files if page else 5,
            ),
        }
        for name in ("reviewing_unit", "responsible_department", "unit_name", "project_name", "theme"):
            self.required_items[name] = fields[name].label
        self.required_items[MATERIALS_FIELD] = fields[MATERIALS_FIELD].label
        return fields

    def declaration_field(self):
        label = (self.page.declaration_text if self.page else "") or _(
            "I declare that the materials submitted are true and lawful."
        )
        self.required_items[DECLARATION_FIELD] = gettext("Declaration")
        return {DECLARATION_FIELD: django.forms.BooleanField(label=label, required=False)}

    @property
    def formfields(self):
        self.required_items = {}
        fields = self.fixed_fields()
        fields.update(super().formfields)
        fields.update(self.declaration_field())
        return fields

    def get_form_class(self):
        formfields = self.formfields
        return type("ApplicationForm", (ApplicationForm,), {**formfields, "required_items": dict(self.required_items)})
