"""What a visitor does through the site: questions bound to a test client's session, registration."""

import re

from captcha.models import CaptchaStore
from django.core import mail
from django.urls import reverse

from wagtail_awards.captcha import TEST_MODE_ANSWER, new_challenge

from .people import PASSWORD


def bound_challenge(client, purpose):
    """``(key, answer)`` of a new question for ``purpose`` bound to ``client``'s session (created if needed), as a
    real visitor gets it from a form or the vote endpoint."""
    session = client.session
    key = new_challenge(purpose=purpose, session=session)
    session.save()
    return key, CaptchaStore.objects.get(hashkey=key).response


def register(client, email, *, name="张老师", password=PASSWORD, confirm=True, **unit):
    """Register through the site's form (question answered in test mode), then open the link of the confirmation
    e-mail when ``confirm``; returns the response to the form. ``unit`` takes ``unit``, ``new_unit_name``,
    ``parent`` and ``note`` (organisations or their pks)."""
    data = {
        "account-email": email,
        "account-first_name": name,
        "account-password1": password,
        "account-password2": password,
        "account-captcha_0": bound_challenge(client, "registration")[0],
        "account-captcha_1": TEST_MODE_ANSWER,
    }
    data.update({f"unit-{key}": getattr(value, "pk", value) for key, value in unit.items()})
    sent = len(mail.outbox)
    response = client.post(reverse("wagtail_awards:register"), data)
    if confirm and response.status_code == 302 and len(mail.outbox) > sent:
        link = re.search(r"https?://[^/\s]+(/\S+/verify/\S+)", mail.outbox[-1].body).group(1)
        client.get(link)
    return response
