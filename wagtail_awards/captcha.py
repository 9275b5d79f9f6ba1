"""A captcha that can be used exactly once, for one purpose, by the visitor it was shown to (how:
:mod:`wagtail_awards.services.captcha`).

This module is the public face, a re-export: the functions are :mod:`wagtail_awards.services.captcha`'s, the form
field :mod:`wagtail_awards.forms.captcha`'s, the question :mod:`wagtail_awards.rules.captcha`'s
(``CAPTCHA_CHALLENGE_FUNCT = "wagtail_awards.captcha.arithmetic_challenge"``).

Use :class:`OneTimeCaptchaField` in a form (and :class:`CaptchaFormMixin`, which hands it the request), or
:func:`issue_challenge` and :func:`consume_captcha` directly (e.g. from an API view).
"""

from .forms.captcha import CaptchaFormMixin, OneTimeCaptchaField, OneTimeCaptchaWidget
from .rules.captcha import arithmetic_challenge, spoken_question
from .services.captcha import (
    OBJECTION,
    REGISTRATION,
    TEST_MODE_ANSWER,
    VOTE,
    bound_key,
    burn_captcha,
    challenge_allowed,
    consume_captcha,
    is_bound,
    issue_challenge,
    new_challenge,
)

__all__ = [
    "OBJECTION",
    "REGISTRATION",
    "TEST_MODE_ANSWER",
    "VOTE",
    "CaptchaFormMixin",
    "OneTimeCaptchaField",
    "OneTimeCaptchaWidget",
    "arithmetic_challenge",
    "bound_key",
    "burn_captcha",
    "challenge_allowed",
    "consume_captcha",
    "is_bound",
    "issue_challenge",
    "new_challenge",
    "spoken_question",
]
