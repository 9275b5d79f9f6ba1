"""The one-time captcha as a form field: :class:`OneTimeCaptchaField` and :class:`CaptchaFormMixin`, which hands it
the request (see :mod:`wagtail_awards.services.captcha`)."""

from captcha.fields import CaptchaField, CaptchaTextInput
from django.core.exceptions import ImproperlyConfigured, ValidationError
from django.forms.fields import MultiValueField
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from ..services.captcha import TOO_MANY_QUESTIONS, audio_url, check_purpose, consume_captcha, is_bound, issue_challenge


class OneTimeCaptchaWidget(CaptchaTextInput):
    """The question as an image with a translated text alternative, a fixed size (no layout shift) and the
    spoken question when the site has one; past the limit, a message instead of a question."""

    template_name = "wagtail_awards/captcha/widget.html"
    request = None
    purpose = None
    #: Whether the last rendering found the client past the limit (and showed no question).
    limited = False
    #: A question already issued for this rendering (:meth:`OneTimeCaptchaField.use_key`).
    issued_key = None

    def fetch_captcha_store(self, name, value, attrs=None, generator=None):
        if self.request is None:
            raise ImproperlyConfigured(
                "Bind the captcha field to the request first (CaptchaFormMixin, or OneTimeCaptchaField.bind)."
            )
        self._key, self.issued_key = self.issued_key or issue_challenge(self.request, purpose=self.purpose), None
        self.limited = self._key is None
        self._value = [self._key or "", ""]
        self.id_ = self.build_attrs(attrs).get("id", None)

    def get_context(self, name, value, attrs):
        context = super(CaptchaTextInput, self).get_context(name, value, attrs)
        context["limited"] = self._key is None
        context["limited_message"] = TOO_MANY_QUESTIONS
        context["image"] = reverse("captcha-image", kwargs={"key": self._key}) if self._key else ""
        context["audio"] = audio_url(self._key) if self._key else None
        return context


class OneTimeCaptchaField(CaptchaField):
    """``captcha.fields.CaptchaField`` validated with :func:`consume_captcha`: a solved challenge passes once, on
    a form of its ``purpose``, for the visitor it was shown to.

    The field needs the request (:meth:`bind`; :class:`CaptchaFormMixin` does it): rendering issues a challenge
    for the request's visitor and address, cleaning checks the answer against the request's session.
    """

    default_error_messages = {
        "invalid": _("The answer to the question was wrong or the question has expired. Please answer the new one."),
        "required": _("Please answer the question."),
    }

    def __init__(self, *args, purpose: str, consume=True, **kwargs):
        # consume=False: clean() only checks that an answer was given to a challenge bound to this purpose and
        # visitor; the caller consumes the challenge with consume_captcha() itself, e.g. inside the transaction of
        # what the captcha protects.
        self.purpose = check_purpose(purpose)
        self.consume = consume
        self.request = None
        kwargs.setdefault("widget", OneTimeCaptchaWidget())
        kwargs.setdefault("error_messages", {}).setdefault("invalid", self.default_error_messages["invalid"])
        kwargs["error_messages"].setdefault("required", self.default_error_messages["required"])
        super().__init__(*args, **kwargs)
        self.widget.purpose = self.purpose

    def bind(self, request):
        """Use ``request`` (its session and client address) for this form instance's challenge."""
        self.request = request
        self.widget.request = request
        self.widget.purpose = self.purpose

    def use_key(self, key):
        """Show the question ``key`` (issued by the caller with :func:`issue_challenge`) instead of a new one."""
        self.widget.issued_key = key

    def __deepcopy__(self, memo):
        copy = super().__deepcopy__(memo)
        copy.request = None
        copy.widget.request = None
        return copy

    def clean(self, value):
        # The sub-fields' own checks (required, types); the stock lookup-then-delete is skipped.
        MultiValueField.clean(self, value)
        if self.request is None:
            raise ImproperlyConfigured("Bind the captcha field to the request before validating the form.")
        key, response = (list(value or []) + ["", ""])[:2]
        session = self.request.session
        if not self.consume:
            if not is_bound(key, purpose=self.purpose, session=session):
                raise ValidationError(self.error_messages["invalid"], code="invalid")
            return value
        if not consume_captcha(key=key, response=response, purpose=self.purpose, session=session):
            raise ValidationError(self.error_messages["invalid"], code="invalid")
        return value


class CaptchaFormMixin:
    """A form with :class:`OneTimeCaptchaField` fields, built with ``request=`` so its challenges are bound to the
    visitor and counted against the client's address: ``MyForm(request.POST, request=request)``."""

    def __init__(self, *args, request, **kwargs):
        super().__init__(*args, **kwargs)
        for field in self.fields.values():
            if isinstance(field, OneTimeCaptchaField):
                field.bind(request)
