"""Accounts on the site: registration (an e-mail address, a name, a password and a question), and the request to
join a unit (an existing grassroots union, or a new one under a city union, university or institute)."""

import django.forms
from django.contrib.auth import get_user_model, password_validation
from django.contrib.auth.forms import AuthenticationForm
from django.forms.models import fields_for_model
from django.utils.translation import gettext_lazy as _

from ..enums import RECOMMENDING_KINDS, OrganizationKind
from ..models import Organization
from ..rules.cells import FORMULA_TRIGGERS
from ..rules.user_fields import NAME_FIELD, extra_account_fields, has_field
from ..services.captcha import REGISTRATION
from .captcha import CaptchaFormMixin, OneTimeCaptchaField


class RegistrationForm(CaptchaFormMixin, django.forms.Form):
    """A new account. The e-mail address is the login name; whether it is taken is never said on the page (the
    address's owner gets an e-mail either way)."""

    email = django.forms.EmailField(
        label=_("E-mail address"),
        max_length=150,
        help_text=_("You log in with it; a link to confirm it is sent there."),
    )
    first_name = django.forms.CharField(label=_("Your name"), max_length=150)
    password1 = django.forms.CharField(
        label=_("Password"),
        strip=False,
        widget=django.forms.PasswordInput(attrs={"autocomplete": "new-password"}),
        help_text=password_validation.password_validators_help_text_html(),
    )
    password2 = django.forms.CharField(
        label=_("Password again"),
        strip=False,
        widget=django.forms.PasswordInput(attrs={"autocomplete": "new-password"}),
    )
    captcha = OneTimeCaptchaField(label=_("Question"), purpose=REGISTRATION)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # Built for AUTH_USER_MODEL: no name without a name field, and a custom model's other required fields.
        User = get_user_model()
        if not has_field(User, NAME_FIELD):
            del self.fields[NAME_FIELD]
        self.extra_fields = extra_account_fields(User)
        self.fields.update(fields_for_model(User, fields=self.extra_fields))
        for name in self.extra_fields:
            self.fields[name].required = True
        self.order_fields(["email", NAME_FIELD, *self.extra_fields])

    def account_values(self) -> dict:
        """The values of the user model's own fields besides the address: the name and the extra fields."""
        names = [name for name in (NAME_FIELD, *self.extra_fields) if name in self.fields]
        return {name: self.cleaned_data[name] for name in names}

    def clean_email(self):
        return self.cleaned_data["email"].strip().lower()

    def clean(self):
        cleaned = super().clean()
        # A name or address that a spreadsheet would run as a formula has no business in Wagtail's own reports
        # and exports (site history names users there); the app's exports neutralise such text, Wagtail's do not.
        for name in ("email", NAME_FIELD, *self.extra_fields):
            value = cleaned.get(name)
            if isinstance(value, str) and value.startswith(FORMULA_TRIGGERS):
                self.add_error(name, _("It may not start with = + - or @."))
        one, two = cleaned.get("password1"), cleaned.get("password2")
        if one and two and one != two:
            self.add_error("password2", _("The two passwords differ."))
        elif one:
            User = get_user_model()
            values = {name: cleaned.get(name) for name in (NAME_FIELD, *self.extra_fields) if name in self.fields}
            probe = User(**{User.USERNAME_FIELD: cleaned.get("email") or "", **values})
            try:
                password_validation.validate_password(one, probe)
            except django.forms.ValidationError as error:
                self.add_error("password1", error)
        return cleaned


class LoginForm(AuthenticationForm):
    """Django's login form, its first field named for what site users type."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["username"].label = _("E-mail address or user name")


class UnitForm(django.forms.Form):
    """Ask to join an existing grassroots unit, or name a new one under a city union, university or institute.
    Optional at registration (a voter needs no unit); the request waits for approval."""

    unit = django.forms.ModelChoiceField(
        label=_("Your unit"),
        queryset=Organization.objects.none(),
        required=False,
        help_text=_("The grassroots union you apply for."),
    )
    new_unit_name = django.forms.CharField(
        label=_("Or a new unit"), max_length=200, required=False, help_text=_("Only if your unit is not listed.")
    )
    parent = django.forms.ModelChoiceField(
        label=_("It belongs to"),
        queryset=Organization.objects.none(),
        required=False,
        help_text=_("The city education union, university or institute above the new unit."),
    )
    note = django.forms.CharField(
        label=_("Note for the approver"),
        max_length=500,
        required=False,
        widget=django.forms.Textarea(attrs={"rows": 2}),
        help_text=_("E.g. your position in the unit's union and a telephone number."),
    )

    def __init__(self, *args, required=True, **kwargs):
        super().__init__(*args, **kwargs)
        self.required = required
        self.fields["unit"].queryset = Organization.objects.filter(
            kind=OrganizationKind.GRASSROOTS, approved=True
        ).order_by("name")
        self.fields["parent"].queryset = Organization.objects.filter(
            kind__in=RECOMMENDING_KINDS, approved=True
        ).order_by("kind", "name")

    @property
    def wanted(self) -> bool:
        """Whether the form asks for a unit (at registration it may be left empty)."""
        data = self.cleaned_data
        return bool(data.get("unit") or (data.get("new_unit_name") or "").strip())

    def clean(self):
        cleaned = super().clean()
        unit, name, parent = cleaned.get("unit"), (cleaned.get("new_unit_name") or "").strip(), cleaned.get("parent")
        if unit and name:
            raise django.forms.ValidationError(_("Choose a unit from the list or name a new one, not both."))
        if not unit and not name:
            if self.required:
                raise django.forms.ValidationError(_("Choose your unit or give the name of a new one."))
            return cleaned
        if name and not parent:
            self.add_error("parent", _("Choose the city union, university or institute your unit belongs to."))
        return cleaned


class InvitationForm(django.forms.Form):
    code = django.forms.CharField(label=_("Invitation code"), max_length=100)
