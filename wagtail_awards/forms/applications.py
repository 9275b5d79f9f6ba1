"""Forms of the application stage that are not the application itself (that one is the form page's own: see
``models.form_builder``)."""

import django.forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from ..rules import files as file_rules


class PastAwardImportForm(django.forms.Form):
    file = django.forms.FileField(
        label=_("File"),
        help_text=_(
            "CSV (UTF-8 or GB18030) or XLSX with the columns year, project_name, unit_name and optionally prize "
            "(or 年度, 项目名称, 申报单位, 奖项). Nothing is imported if any line is wrong."
        ),
    )

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if file_rules.extension_of(upload.name) not in ("csv", "xlsx"):
            raise ValidationError(gettext("Choose a CSV or XLSX file."))
        if upload.size > 5 * 1024 * 1024:
            raise ValidationError(gettext("The file is larger than 5 MB."))
        return upload
