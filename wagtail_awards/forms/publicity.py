"""Forms of the publicity stage: an objection (异议) on the site, a cancellation in the admin."""

from django import forms
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from ..enums import CancelReason
from ..rules import files
from ..services.captcha import OBJECTION
from ..uploads import zip_limits
from .captcha import CaptchaFormMixin, OneTimeCaptchaField

#: The largest evidence file accepted with an objection.
MAX_EVIDENCE_SIZE = 10 * 1024 * 1024
#: The types of evidence file accepted with an objection.
EVIDENCE_TYPES = ("pdf", "jpg", "jpeg", "png", "docx")


class ObjectionForm(CaptchaFormMixin, forms.Form):
    """An objection against one of the listed projects. ``projects`` is ``[(application_id, label), …]``.

    ``with_captcha=False`` leaves the question out, for a page that holds nothing per visitor (its question comes
    from the challenge endpoint); a posted objection is always checked with it.
    """

    application = forms.TypedChoiceField(label=_("Project"), coerce=int)
    name = forms.CharField(label=_("Your name"), max_length=100)
    contact = forms.CharField(label=_("Contact (phone or e-mail)"), max_length=100)
    content = forms.CharField(label=_("Objection"), widget=forms.Textarea(attrs={"rows": 6}), max_length=5000)
    file = forms.FileField(
        label=_("Evidence file (optional)"),
        required=False,
    )
    captcha = OneTimeCaptchaField(label=_("Verification"), purpose=OBJECTION)

    def __init__(self, *args, projects=(), with_captcha=True, **kwargs):
        super().__init__(*args, **kwargs)
        if not with_captcha:
            del self.fields["captcha"]
        self.fields["application"].choices = [("", "---------"), *projects]
        self.fields["file"].help_text = gettext("PDF, JPG, PNG or DOCX, at most %(size)s.") % {
            "size": files.format_size(MAX_EVIDENCE_SIZE)
        }

    def clean_content(self):
        content = self.cleaned_data["content"].strip()
        if not content:
            raise forms.ValidationError(_("Please state your objection."))
        return content

    def clean_file(self):
        upload = self.cleaned_data.get("file")
        if not upload:
            return None
        checked = files.check_file(
            name=upload.name, stream=upload, allowed=EVIDENCE_TYPES, max_size=MAX_EVIDENCE_SIZE, **zip_limits()
        )
        upload.name = checked.name
        return upload


class CancelAwardForm(forms.Form):
    category = forms.ChoiceField(
        label=_("Ground"), choices=CancelReason.choices, widget=forms.RadioSelect, initial=CancelReason.FALSE
    )
    reason = forms.CharField(
        label=_("Reason"),
        widget=forms.Textarea(attrs={"rows": 4}),
        max_length=2000,
        help_text=_("What was found; shown on the publicity page."),
    )
