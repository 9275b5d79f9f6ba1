"""Forms of the voters' admin screens: generating voting codes, marking the staff of units as voters."""

from django import forms
from django.utils.translation import gettext_lazy as _

from ..models import CallPage, Organization

#: Most codes made at once (one sheet, one file).
MAX_CODES = 1000
SHEET = "sheet"
XLSX = "xlsx"


class GenerateCodesForm(forms.Form):
    call = forms.ModelChoiceField(
        label=_("Call"), queryset=CallPage.objects.exclude(voting_opens=None).order_by("-year", "-pk")
    )
    organization = forms.ModelChoiceField(label=_("Unit"), queryset=Organization.objects.order_by("name"))
    count = forms.IntegerField(
        label=_("Number of codes"),
        min_value=1,
        max_value=MAX_CODES,
        initial=10,
        help_text=_("For example one per member of staff. Codes are shown only now: keep the sheet or the file."),
    )
    format = forms.ChoiceField(
        label=_("As"),
        choices=[(SHEET, _("A sheet to print, with QR codes")), (XLSX, _("An XLSX file"))],
        initial=SHEET,
        widget=forms.RadioSelect,
    )


class MarkVotersForm(forms.Form):
    units = forms.ModelMultipleChoiceField(
        label=_("Units"),
        queryset=Organization.objects.order_by("name"),
        help_text=_("The verified e-mail addresses of their approved members go on the voter roll."),
    )
