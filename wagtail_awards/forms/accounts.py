"""Applicant registration: a Django user plus the unit the user applies for."""

import django.forms
from django.contrib.auth.forms import UserCreationForm
from django.utils.translation import gettext_lazy as _

from ..enums import RECOMMENDING_KINDS, OrganizationKind


class RegistrationForm(UserCreationForm):
    email = django.forms.EmailField(
        label=_("E-mail address"), help_text=_("Receipts and password resets are sent here.")
    )
    first_name = django.forms.CharField(label=_("Your name"), max_length=150)

    class Meta(UserCreationForm.Meta):
        fields = ("username", "first_name", "email")


class UnitForm(django.forms.Form):
    """Pick an existing grassroots unit, or name a new one under a city union, university or institute."""

    unit = django.forms.ModelChoiceField(
        label=_("Your unit"),
        queryset=None,
        required=False,
        help_text=_("The grassroots union you apply for."),
    )
    new_unit_name = django.forms.CharField(
        label=_("Or a new unit"), max_length=200, required=False, help_text=_("Only if your unit is not listed.")
    )
    parent = django.forms.ModelChoiceField(
        label=_("It belongs to"),
        queryset=None,
        required=False,
        help_text=_("The city education union, university or institute above the new unit."),
    )

    def __init__(self, *args, **kwargs):
        from ..models import Organization

        super().__init__(*args, **kwargs)
        self.fields["unit"].queryset = Organization.objects.filter(kind=OrganizationKind.GRASSROOTS).order_by("name")
        self.fields["parent"].queryset = Organization.objects.filter(kind__in=RECOMMENDING_KINDS).order_by(
            "kind", "name"
        )

    def clean(self):
        cleaned = super().clean()
        unit, name, parent = cleaned.get("unit"), (cleaned.get("new_unit_name") or "").strip(), cleaned.get("parent")
        if unit and name:
            raise django.forms.ValidationError(_("Choose a unit from the list or name a new one, not both."))
        if not unit and not name:
            raise django.forms.ValidationError(_("Choose your unit or give the name of a new one."))
        if name and not parent:
            self.add_error("parent", _("Choose the city union, university or institute your unit belongs to."))
        return cleaned
