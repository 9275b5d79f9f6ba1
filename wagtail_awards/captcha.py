"""A captcha that can be used exactly once, even when the same answer is sent several times at once.

django-simple-captcha 0.7 looks the challenge up and deletes it in two statements, so two requests carrying one solved
challenge can both read it before either deletes it, and both pass. Here the challenge is consumed by a single
conditional ``DELETE`` and only the request that deleted the row passes.

Use :class:`OneTimeCaptchaField` in a form, or call :func:`consume_captcha` directly (e.g. from an API view).
"""

from captcha.conf import settings as captcha_settings
from captcha.fields import CaptchaField, CaptchaTextInput
from captcha.models import CaptchaStore
from django.core.exceptions import ValidationError
from django.db import connection
from django.forms.fields import MultiValueField
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

#: What a test-mode client may answer to any live challenge (``CAPTCHA_TEST_MODE`` only).
TEST_MODE_ANSWER = "passed"


def consume_captcha(*, key: str, response: str, now=None, burn_on_failure: bool = True) -> bool:
    """Whether ``response`` solves the live challenge ``key``; the challenge is used up either way.

    Side effects: deletes the ``CaptchaStore`` row of ``key``. A right answer deletes it in one conditional
    ``DELETE`` and passes only if that statement removed exactly one row, so of several concurrent requests with the
    same solved challenge exactly one passes. A wrong answer deletes the challenge too (unless ``burn_on_failure`` is
    false: then call :func:`burn_captcha` after the caller's transaction), so it cannot be guessed at.
    With ``CAPTCHA_TEST_MODE`` the answer ``"passed"`` solves any live challenge (still once).

    Called inside a transaction, the deletion commits or rolls back with it: a vote and its captcha are one commit.
    """
    key = (key or "").strip()
    response = (response or "").strip().lower()
    if not key or not response or not key.isalnum() or len(key) > 64 or "\x00" in response:
        # Not a key the library makes (40 hex digits): nothing to look up, and no NUL reaches the database.
        return False
    now = now or timezone.now()
    table = connection.ops.quote_name(CaptchaStore._meta.db_table)
    sql = f"DELETE FROM {table} WHERE hashkey = %s AND expiration > %s"
    params = [key, now]
    if not (captcha_settings.CAPTCHA_TEST_MODE and response == TEST_MODE_ANSWER):
        sql += " AND response = %s"
        params.append(response)
    # One statement, no read before it: of concurrent requests only the one whose DELETE removed the row passes.
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        if cursor.rowcount == 1:
            return True
    if burn_on_failure:
        burn_captcha(key=key)
    return False


def burn_captcha(*, key: str) -> None:
    """Delete the challenge ``key`` whatever its answer (after a failed or refused attempt)."""
    if key and key.isalnum() and len(key) <= 64:
        CaptchaStore.objects.filter(hashkey=key).delete()


def new_challenge() -> str:
    """A new challenge's key (one database row, to be consumed or to expire)."""
    return CaptchaStore.generate_key()


class OneTimeCaptchaWidget(CaptchaTextInput):
    """The question as an image with a translated text alternative and a fixed size (no layout shift)."""

    template_name = "wagtail_awards/captcha/widget.html"


class OneTimeCaptchaField(CaptchaField):
    """``captcha.fields.CaptchaField`` validated with :func:`consume_captcha`: a solved challenge passes once."""

    default_error_messages = {
        "invalid": _("The answer to the question was wrong or the question has expired. Please answer the new one."),
        "required": _("Please answer the question."),
    }

    def __init__(self, *args, consume=True, **kwargs):
        # consume=False: clean() only checks that an answer was given; the caller consumes the challenge with
        # consume_captcha() itself, e.g. inside the transaction of what the captcha protects.
        self.consume = consume
        kwargs.setdefault("widget", OneTimeCaptchaWidget())
        kwargs.setdefault("error_messages", {}).setdefault("invalid", self.default_error_messages["invalid"])
        kwargs["error_messages"].setdefault("required", self.default_error_messages["required"])
        super().__init__(*args, **kwargs)

    def clean(self, value):
        # The sub-fields' own checks (required, types); the stock lookup-then-delete is skipped.
        MultiValueField.clean(self, value)
        key, response = (list(value or []) + ["", ""])[:2]
        if not self.consume:
            return value
        if not consume_captcha(key=key, response=response):
            raise ValidationError(self.error_messages["invalid"], code="invalid")
        return value
