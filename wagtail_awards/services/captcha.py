"""One-time captchas, bound to their purpose and visitor: issuing, binding and consuming challenges (the
``CaptchaStore`` rows of django-simple-captcha).

:mod:`wagtail_awards.captcha` is the public face (fields, these functions, the question); the form field and mixin
are :mod:`wagtail_awards.forms.captcha`, the question itself :mod:`wagtail_awards.rules.captcha`.

django-simple-captcha 0.7 looks the challenge up and deletes it in two statements, so two requests carrying one solved
challenge can both read it before either deletes it, and both pass. Here the challenge is consumed by a single
conditional ``DELETE`` and only the request that deleted the row passes.

Every challenge is bound to its *purpose* (``"vote"``, ``"objection"``, ``"registration"``…) and to the visitor's
session: its key is a random part and a keyed hash (``salted_hmac``) of that part, the purpose and a secret kept in
the session. A key shown on one form, or to one visitor, fails on another form or for another visitor, with no extra
table and no extra query. New challenges (forms, the vote endpoint, ``captcha/refresh/``, the audio) are limited per
client address like the vote (:func:`challenge_allowed`).
"""

import random
import re
import secrets

from captcha.conf import settings as captcha_settings
from captcha.models import CaptchaStore
from django.conf import settings
from django.core.cache import cache
from django.core.exceptions import ImproperlyConfigured
from django.db import connection
from django.urls import reverse
from django.utils import timezone
from django.utils.crypto import constant_time_compare, salted_hmac
from django.utils.translation import gettext_lazy as _

from .. import throttle
from ..addresses import client_address, client_hash
from ..conf import awards_settings
from ..rules.voting import VOTE_RATE

#: What a test-mode client may answer to any live challenge (``CAPTCHA_TEST_MODE`` only).
TEST_MODE_ANSWER = "passed"


#: Purposes of the app's own forms; a host site may use any other word (letters, digits, ``-`` and ``_``).
VOTE = "vote"


OBJECTION = "objection"


REGISTRATION = "registration"


PURPOSE_PATTERN = re.compile(r"^[a-z][a-z0-9_-]{0,31}$")


#: Where the visitor's captcha secret is kept in the session.
SESSION_KEY = "wagtail_awards_captcha"


_NONCE_HEX = 16


_TAG_HEX = 24  # a key is 40 hex digits, as long as the library's own


#: The message shown instead of a question past the limit (also the JSON ``error`` of the endpoints).
TOO_MANY_QUESTIONS = _("Too many questions from your network. Please wait a while and try again.")


def _visitor_secret(session, *, create: bool) -> str | None:
    if session is None:
        return None
    value = session.get(SESSION_KEY)
    if not isinstance(value, str) or len(value) != 32:
        if not create:
            return None
        value = session[SESSION_KEY] = secrets.token_hex(16)
    return value


def _tag(*, purpose: str, secret: str, nonce: str) -> str:
    value = f"{purpose}\x00{secret}\x00{nonce}"
    return salted_hmac("wagtail_awards.captcha", value, algorithm="sha256").hexdigest()[:_TAG_HEX]


def check_purpose(purpose: str) -> str:
    if not isinstance(purpose, str) or not PURPOSE_PATTERN.match(purpose):
        raise ImproperlyConfigured(f"A captcha purpose is a short lowercase word, not {purpose!r}.")
    return purpose


def bound_key(*, purpose: str, session) -> str:
    """A new key bound to ``purpose`` and the visitor of ``session`` (creating the visitor's secret if needed)."""
    nonce = secrets.token_hex(_NONCE_HEX // 2)
    secret = _visitor_secret(session, create=True)
    return nonce + _tag(purpose=check_purpose(purpose), secret=secret, nonce=nonce)


def is_bound(key: str, *, purpose: str, session) -> bool:
    """Whether ``key`` was issued for ``purpose`` to the visitor of ``session``."""
    key = (key or "").strip()
    secret = _visitor_secret(session, create=False)
    if secret is None or len(key) != _NONCE_HEX + _TAG_HEX:
        return False
    nonce, tag = key[:_NONCE_HEX], key[_NONCE_HEX:]
    return constant_time_compare(tag, _tag(purpose=check_purpose(purpose), secret=secret, nonce=nonce))


def consume_captcha(
    *, key: str, response: str, purpose: str | None = None, session=None, now=None, burn_on_failure: bool = True
) -> bool:
    """Whether ``response`` solves the live challenge ``key``; the challenge is used up either way.

    With a ``purpose``, the key must also have been issued for that purpose to the visitor of ``session``
    (:func:`is_bound`); ``purpose=None`` is for callers that checked the binding already (a form with
    ``OneTimeCaptchaField(consume=False)`` checks it in ``clean``).

    Side effects: deletes the ``CaptchaStore`` row of ``key``. A right answer deletes it in one conditional
    ``DELETE`` and passes only if that statement removed exactly one row, so of several concurrent requests with the
    same solved challenge exactly one passes. A wrong answer deletes the challenge too (unless ``burn_on_failure`` is
    false: then call :func:`burn_captcha` after the caller's transaction), so it cannot be guessed at.
    With ``CAPTCHA_TEST_MODE`` the answer ``"passed"`` solves any live challenge (still once, still bound).

    Called inside a transaction, the deletion commits or rolls back with it: a vote and its captcha are one commit.
    """
    key = (key or "").strip()
    response = (response or "").strip().lower()
    if not key or not response or not key.isalnum() or len(key) > 64 or "\x00" in response:
        # Not a key the library makes (40 hex digits): nothing to look up, and no NUL reaches the database.
        return False
    if purpose is not None and not is_bound(key, purpose=purpose, session=session):
        if burn_on_failure:
            burn_captcha(key=key)
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
    """Delete the challenge ``key`` whatever its answer (after a failed or refused attempt), and its answer in the
    shared cache where votes' answers are kept there."""
    if key and key.isalnum() and len(key) <= 64:
        CaptchaStore.objects.filter(hashkey=key).delete()
        cached = answer_cache_key(key)
        if cached is not None and answers_in_shared_cache():
            cache.delete(cached)


def new_challenge(*, purpose: str, session) -> str:
    """A new challenge's key, bound to ``purpose`` and ``session`` (one database row, to be consumed or to expire).

    Not limited: use :func:`issue_challenge` for anything a client can ask for. A vote's answer is also kept in the
    shared cache when it is Redis (:func:`answers_in_shared_cache`).
    """
    challenge, response = captcha_settings.get_challenge()()
    key = bound_key(purpose=purpose, session=session)
    CaptchaStore.objects.create(challenge=challenge, response=response, hashkey=key)
    if purpose == VOTE and answers_in_shared_cache():
        cache.set(answer_cache_key(key), response, timeout=60 * int(captcha_settings.CAPTCHA_TIMEOUT))
    return key


# Votes' questions in the shared cache
#
# On Redis a vote takes its question's answer from the shared cache (Redis' GETDEL: exactly one of several concurrent
# requests, on any server, gets it) in the same round trip that counts its attempt and reads its session; the vote's
# statement then does not touch the question table. The database row stays for the image and audio and expires.


def answers_in_shared_cache() -> bool:
    """Whether vote questions' answers are kept (and taken) in the shared cache: it is Redis, through django-redis."""
    return throttle.shared_redis() is not None


def answer_cache_key(key: str) -> str | None:
    """The shared cache's key of the answer to the vote question ``key``; ``None`` for a key the app never makes."""
    key = (key or "").strip()
    if len(key) != _NONCE_HEX + _TAG_HEX or not key.isalnum():
        return None
    return f"wagtail_awards:captcha:{key}"


def solves(*, answer: str, stored) -> bool:
    """Whether ``answer`` (as given) solves a question whose stored answer is ``stored`` (``None``: no live question,
    or it was taken already). With ``CAPTCHA_TEST_MODE`` the answer ``"passed"`` solves any live question."""
    if not isinstance(stored, str):
        return False
    answer = (answer or "").strip().lower()
    if captcha_settings.CAPTCHA_TEST_MODE and answer == TEST_MODE_ANSWER:
        return True
    return bool(answer) and constant_time_compare(answer, stored)


def challenge_allowed(request, *, now=None) -> bool:
    """Whether the client of ``request`` may have one more question; counts it.

    Every question is a database row: one address gets twice ``WAGTAIL_AWARDS_VOTE_IP_LIMIT`` per
    ``WAGTAIL_AWARDS_VOTE_IP_WINDOW``, shared by every form, the vote endpoint, refreshes and the audio.
    """
    return throttle.allow(
        VOTE_RATE,
        f"challenge:{client_hash(client_address(request))}",
        limit=2 * awards_settings.VOTE_IP_LIMIT,
        window=awards_settings.VOTE_IP_WINDOW,
        now=(now or timezone.now()).timestamp(),
    )


def clear_expired_now() -> bool:
    """Whether this challenge also clears the expired ones: about one in fifty."""
    return random.random() < 0.02


def issue_challenge(request, *, purpose: str, now=None) -> str | None:
    """A new challenge for ``purpose`` bound to the visitor of ``request``, or ``None`` past the limit."""
    if not challenge_allowed(request, now=now):
        return None
    if clear_expired_now():
        # Expired challenges are cleared now and then, instead of on every answer as the stock field does.
        CaptchaStore.remove_expired()
    return new_challenge(purpose=purpose, session=request.session)


def speech_program() -> str | None:
    """``CAPTCHA_FLITE_PATH``, read at each call (the library reads its settings once, at import)."""
    return getattr(settings, "CAPTCHA_FLITE_PATH", None)


def audio_url(key: str) -> str | None:
    """The spoken question of ``key``, when the site has a speech synthesiser (``CAPTCHA_FLITE_PATH``)."""
    return reverse("captcha-audio", kwargs={"key": key}) if speech_program() else None
