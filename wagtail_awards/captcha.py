"""A captcha that can be used exactly once, for one purpose, by the visitor it was shown to.

django-simple-captcha 0.7 looks the challenge up and deletes it in two statements, so two requests carrying one solved
challenge can both read it before either deletes it, and both pass. Here the challenge is consumed by a single
conditional ``DELETE`` and only the request that deleted the row passes.

Every challenge is bound to its *purpose* (``"vote"``, ``"objection"``, ``"registration"``…) and to the visitor's
session: its key is a random part and a keyed hash (``salted_hmac``) of that part, the purpose and a secret kept in
the session. A key shown on one form, or to one visitor, fails on another form or for another visitor, with no extra
table and no extra query. New challenges (forms, the vote endpoint, ``captcha/refresh/``, the audio) are limited per
client address like the vote (:func:`challenge_allowed`).

This module is the public face (a re-export): the functions are :mod:`wagtail_awards.services.captcha`'s, the
form field :mod:`wagtail_awards.forms.captcha`'s, the question :mod:`wagtail_awards.rules.captcha`'s.

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
