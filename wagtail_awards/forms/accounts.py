"""Applicant registration: a Django user plus the unit the user applies for."""

import django.forms
from django.contrib.auth import get_user_model
from django.contrib.auth.forms import BaseUserCreationForm, UsernameField
from django.core.exceptions import FieldDoesNotExist
from django.db import models
from django.utils.translation import gettext_lazy as _

from ..enums import RECOMMENDING_KINDS, OrganizationKind

#: Fields a new account also asks for when the user model has them.
NAME_FIELDS = ("first_name",)
#: Fields a visitor never sets, whatever ``REQUIRED_FIELDS`` says (the system check reports them there).
PRIVILEGED_FIELDS = frozenset(
    {"password", "is_active", "is_staff", "is_superuser", "groups", "user_permissions", "last_login", "date_joined"}
)


def account_field_names(user_model):
    """The user model's fields a new account is made of: ``USERNAME_FIELD``, the name fields it has, its
    ``EMAIL_FIELD`` and its ``REQUIRED_FIELDS``, each once, in that order, never a privileged one."""
    names = [user_model.USERNAME_FIELD]
    names += [name for name in NAME_FIELDS if _has_field(user_model, name)]
    names += [user_model.get_email_field_name(), *user_model.REQUIRED_FIELDS]
    allowed = (name for name in names if _has_field(user_model, name) and name not in PRIVILEGED_FIELDS)
    return tuple(dict.fromkeys(allowed))


def _has_field(model, name):
    try:
        model._meta.get_field(name)
    except FieldDoesNotExist:
        return False
    return True


def _field_classes(user_model):
    if not _has_field(user_model, user_model.USERNAME_FIELD):
        return {}  # the system check wagtail_awards.E007 says so
    field = user_model._meta.get_field(user_model.USERNAME_FIELD)
    plain_text = isinstance(field, models.CharField) and not isinstance(field, models.EmailField)
    return {user_model.USERNAME_FIELD: UsernameField} if plain_text else {}


class AccountForm(BaseUserCreationForm):
    """A new user of ``AUTH_USER_MODEL`` with a password, built from ``get_user_model()``'s own fields.

    It asks for the fields of :func:`account_field_names`, requires the e-mail address (receipts and password
    resets go there), and refuses a username that differs from an existing one only in case. Forms that create
    site users (registration, invitations) subclass it, so they work with a custom user model.
    """

    class Meta:
        model = get_user_model()
        fields = account_field_names(model)
        field_classes = _field_classes(model)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        email = self._meta.model.get_email_field_name()
        if email in self.fields:
            self.fields[email].required = True
            self.fields[email].label = _("E-mail address")
            self.fields[email].help_text = _("Receipts and password resets are sent here.")
        for name in NAME_FIELDS:
            if name in self.fields:
                self.fields[name].required = True
                self.fields[name].label = _("Your name")

    def clean(self):
        cleaned = super().clean()
        model = self._meta.model
        name = model.USERNAME_FIELD
        value = cleaned.get(name)
        if isinstance(value, str) and model._default_manager.filter(**{f"{name}__iexact": value}).exists():
            self.add_error(name, self.instance.unique_error_message(model, [name]))
        return cleaned


class RegistrationForm(AccountForm):
    """The account part of an applicant's registration."""


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
