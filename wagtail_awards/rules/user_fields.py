"""What registration asks of ``AUTH_USER_MODEL``: the e-mail address is the login name (``USERNAME_FIELD``) and the
``EMAIL_FIELD``; ``first_name`` is the person's name when the model has one; any other ``REQUIRED_FIELDS`` of a
custom user model are asked on the form too, never a field that grants rights."""

from django.core.exceptions import FieldDoesNotExist

#: Fields a visitor never sets, whatever ``REQUIRED_FIELDS`` says (the system check ``wagtail_awards.E007`` reports
#: them there).
PRIVILEGED_FIELDS = frozenset(
    {"password", "is_active", "is_staff", "is_superuser", "groups", "user_permissions", "last_login", "date_joined"}
)
#: The name field registration fills when the user model has it.
NAME_FIELD = "first_name"


def has_field(model, name) -> bool:
    try:
        model._meta.get_field(name)
    except FieldDoesNotExist:
        return False
    return True


def fillable(model, name) -> bool:
    """Whether a form can fill the model's field ``name``: a concrete, editable field that is not many-to-many."""
    if not has_field(model, name):
        return False
    field = model._meta.get_field(name)
    return field.concrete and field.editable and not field.many_to_many


def extra_account_fields(user_model) -> tuple[str, ...]:
    """The user model's ``REQUIRED_FIELDS`` that registration asks for besides the address and the name."""
    known = {user_model.USERNAME_FIELD, user_model.get_email_field_name(), NAME_FIELD}
    names = (name for name in user_model.REQUIRED_FIELDS if name not in known and name not in PRIVILEGED_FIELDS)
    return tuple(dict.fromkeys(name for name in names if fillable(user_model, name)))
