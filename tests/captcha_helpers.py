"""Questions bound to a test client's session, as a real visitor gets them from a form or the vote endpoint."""

from captcha.models import CaptchaStore

from wagtail_awards.captcha import new_challenge


def bound_challenge(client, purpose):
    """``(key, answer)`` of a new question for ``purpose`` bound to ``client``'s session (created if needed)."""
    session = client.session
    key = new_challenge(purpose=purpose, session=session)
    session.save()
    return key, CaptchaStore.objects.get(hashkey=key).response
