"""A new question for a form (``captcha/refresh/``) and the spoken question (``captcha/audio/<key>.wav``).

Both are limited like every new question (:func:`wagtail_awards.services.captcha.challenge_allowed`); neither may be
cached.
"""

import subprocess
import tempfile

from captcha.models import CaptchaStore
from django.http import Http404, HttpResponse, JsonResponse
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.cache import never_cache

from ..rules.captcha import spoken_question
from ..services import captcha


@never_cache
def refresh(request):
    """``{"key", "image_url", "audio_url"}`` of a new question for ``?purpose=`` (the form's purpose), as the
    library's refresh answers; HTTP 429 with a translated ``error`` past the limit, 400 without a valid purpose."""
    purpose = request.GET.get("purpose", "")
    if not captcha.PURPOSE_PATTERN.match(purpose):
        return JsonResponse({"error": "purpose"}, status=400)
    key = captcha.issue_challenge(request, purpose=purpose)
    if key is None:
        return JsonResponse({"error": str(captcha.TOO_MANY_QUESTIONS)}, status=429)
    return JsonResponse(
        {
            "key": key,
            "image_url": reverse("captcha-image", kwargs={"key": key}),
            "audio_url": captcha.audio_url(key),
        }
    )


@never_cache
def audio(request, key):
    """The question of ``key`` spoken in English by ``CAPTCHA_FLITE_PATH`` (e.g. flite from Debian), as WAV.

    Synthesis runs a program, so each request counts as a new question against the client's address.
    """
    program = captcha.speech_program()
    if not program:
        raise Http404
    store = CaptchaStore.objects.filter(hashkey=key, expiration__gt=timezone.now()).first()
    if store is None:
        return HttpResponse(status=410)
    if not captcha.challenge_allowed(request):
        return HttpResponse(str(captcha.TOO_MANY_QUESTIONS), status=429, content_type="text/plain; charset=utf-8")
    with tempfile.NamedTemporaryFile(suffix=".wav") as out:
        done = subprocess.run(
            [program, "-t", spoken_question(store.challenge), "-o", out.name],
            capture_output=True,
            timeout=20,
            check=False,
        )
        data = out.read()
    if done.returncode != 0 or not data:
        raise Http404
    response = HttpResponse(data, content_type="audio/wav")
    response["Content-Disposition"] = 'inline; filename="question.wav"'
    return response
