"""Questions bound to their form and visitor, limited per address however they are asked for, and readable."""

import re
import shutil

import pytest
from captcha.models import CaptchaStore
from django.test import Client, RequestFactory, override_settings
from django.urls import reverse

from tests.builders import bound_challenge
from wagtail_awards import captcha
from wagtail_awards.services import captcha as captcha_service

CLEAR_EXPIRED_NOW = captcha_service.clear_expired_now  # the real one: every test gets a stand-in that never clears

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("fresh_cache")]


@pytest.fixture
def real_answers(settings):
    settings.CAPTCHA_TEST_MODE = False


def session_of(client):
    return client.session


def test_a_solved_question_passes_once_for_its_purpose_and_visitor(client, real_answers):
    key, answer = bound_challenge(client, "objection")
    assert captcha.consume_captcha(key=key, response=answer, purpose="objection", session=session_of(client))
    assert not captcha.consume_captcha(key=key, response=answer, purpose="objection", session=session_of(client))


def test_a_question_for_one_form_fails_on_another(client, real_answers):
    key, answer = bound_challenge(client, "vote")
    assert not captcha.consume_captcha(key=key, response=answer, purpose="objection", session=session_of(client))
    # Refused, and used up: it cannot be tried on its own form afterwards either.
    assert not CaptchaStore.objects.filter(hashkey=key).exists()


def test_a_question_shown_to_one_visitor_fails_for_another(client, real_answers):
    key, answer = bound_challenge(client, "objection")
    other = Client()
    bound_challenge(other, "objection")  # the other visitor has a captcha secret of its own
    assert not captcha.consume_captcha(key=key, response=answer, purpose="objection", session=session_of(other))
    # A visitor without any session fails too.
    assert not captcha.is_bound(key, purpose="objection", session=Client().session)


def test_a_key_made_up_or_issued_by_the_library_is_not_bound(client):
    session = session_of(client)
    captcha.bound_key(purpose="vote", session=session)
    session.save()
    stock = CaptchaStore.generate_key()
    assert not captcha.is_bound(stock, purpose="vote", session=session_of(client))
    assert not captcha.is_bound("0" * 40, purpose="vote", session=session_of(client))
    assert not captcha.is_bound("\x00", purpose="vote", session=session_of(client))


def test_the_form_field_refuses_a_question_of_another_form(rf, client, real_answers):
    from wagtail_awards.forms.voting import VoteForm

    key, answer = bound_challenge(client, "objection")
    request = rf.post("/")
    request.session = session_of(client)
    form = VoteForm({"captcha_0": key, "captcha_1": answer}, request=request)
    assert not form.is_valid() and "captcha" in form.errors
    key, answer = bound_challenge(client, "vote")
    request.session = session_of(client)
    assert VoteForm({"captcha_0": key, "captcha_1": answer}, request=request).is_valid()


def test_the_vote_s_quick_check_accepts_only_what_the_vote_form_accepts(rf, client, real_answers):
    """A vote checks its answer without building its form in the common case; anything the form would refuse (or
    clean differently) must go to the form."""
    from django.http import QueryDict

    from wagtail_awards.forms.voting import VoteForm

    vote_key, answer = bound_challenge(client, "vote")
    other_key, _answer = bound_challenge(client, "objection")
    request = rf.post("/")
    request.session = session_of(client)
    cases = [
        {"captcha_0": vote_key, "captcha_1": answer, "next": "/vote/"},
        {"captcha_0": f" {vote_key} ", "captcha_1": f" {answer.upper()} "},
        {"captcha_0": vote_key, "captcha_1": "   "},
        {"captcha_0": vote_key},
        {"captcha_1": answer},
        {"captcha_0": "", "captcha_1": answer},
        {"captcha_0": other_key, "captcha_1": answer},
        {"captcha_0": "0" * 40, "captcha_1": answer},
        {"captcha_0": vote_key, "captcha_1": answer + "\x00"},
        {"captcha_0": vote_key, "captcha_1": answer, "next": "/\x00"},
        {"captcha_0": vote_key + "\x00", "captcha_1": answer},
    ]
    quick = []
    for data in cases:
        query = QueryDict(mutable=True)
        query.update(data)
        form = VoteForm(query, request=request)
        accepted = VoteForm.accepted_answer(query, request=request)
        if accepted is not None:
            # What the quick check accepts, the form accepts, with the same key and answer.
            assert form.is_valid(), (data, form.errors)
            assert accepted == form.captcha_answer()
        quick.append(accepted is not None)
    # The plain answers take the quick path; no refused one does.
    assert quick == [True, True] + [False] * (len(cases) - 2)


def test_a_form_without_the_request_fails_loudly():
    from django.core.exceptions import ImproperlyConfigured

    from wagtail_awards.forms.voting import VoteForm

    with pytest.raises(TypeError):
        VoteForm({"captcha_0": "x", "captcha_1": "y"})
    field = captcha.OneTimeCaptchaField(purpose="registration")
    with pytest.raises(ImproperlyConfigured):
        field.clean(["x", "y"])
    with pytest.raises(ImproperlyConfigured):
        captcha.OneTimeCaptchaField(purpose="Not a purpose!")


# Refresh and limits


@override_settings(WAGTAIL_AWARDS_VOTE_IP_LIMIT=5)
def test_refresh_respects_the_question_limit(client):
    """The library's refresh created 200 rows after the vote endpoint already answered 429."""
    url = reverse("captcha-refresh") + "?purpose=objection"
    statuses = [client.get(url).status_code for _ in range(10)]
    assert statuses == [200] * 10
    assert client.get(reverse("wagtail_awards:vote_challenge")).status_code in (200, 302)
    before = CaptchaStore.objects.count()
    refused = [client.get(url) for _ in range(50)]
    assert {r.status_code for r in refused} == {429}
    assert "请稍后再试" in refused[0].json()["error"]
    assert CaptchaStore.objects.count() == before
    # Another address still gets questions.
    assert client.get(url, REMOTE_ADDR="10.7.7.7").status_code == 200


def test_refresh_hands_out_a_question_bound_to_the_visitor_and_purpose(client, real_answers):
    data = client.get(reverse("captcha-refresh") + "?purpose=registration").json()
    assert re.fullmatch(r"/captcha/image/\w{40}/", data["image_url"])
    answer = CaptchaStore.objects.get(hashkey=data["key"]).response
    assert not captcha.is_bound(data["key"], purpose="objection", session=session_of(client))
    assert captcha.consume_captcha(key=data["key"], response=answer, purpose="registration", session=session_of(client))


@pytest.mark.parametrize("purpose", ["", "Vote", "a" * 40, "x\x00", "../vote"])
def test_refresh_needs_a_purpose(client, purpose):
    response = client.get(reverse("captcha-refresh"), {"purpose": purpose})
    assert response.status_code == 400
    assert not CaptchaStore.objects.exists()


@override_settings(WAGTAIL_AWARDS_VOTE_IP_LIMIT=2)
def test_a_form_past_the_limit_shows_a_message_instead_of_a_question():
    from wagtail_awards.forms.publicity import ObjectionForm

    request = RequestFactory().get("/")
    request.session = Client().session
    html = [str(ObjectionForm(projects=[], request=request)["captcha"]) for _ in range(5)]
    assert all('name="captcha_1"' in part for part in html[:4])
    assert "data-captcha-limited" in html[4] and 'name="captcha_1"' not in html[4]
    assert CaptchaStore.objects.count() == 4


# The question itself


def test_the_questions_use_two_digit_numbers_and_school_signs():
    seen = set()
    for _ in range(300):
        question, answer = captcha.arithmetic_challenge()
        match = re.fullmatch(r"(\d\d) ([+\u2212\u00d7]) (\d\d?) =", question)
        assert match, question
        a, sign, b = int(match[1]), match[2], int(match[3])
        assert int(answer) == {"+": a + b, "\u2212": a - b, "\u00d7": a * b}[sign] and int(answer) > 0
        assert "*" not in question and "-" not in question
        seen.add(sign)
    assert seen == {"+", "\u2212", "\u00d7"}


def test_the_spoken_question_reads_the_signs_as_words():
    assert captcha.spoken_question("47 + 36 =") == "47 plus 36"
    assert captcha.spoken_question("13 \u00d7 7 =") == "13 times 7"
    assert captcha.spoken_question("61 \u2212 29 =") == "61 minus 29"


@pytest.mark.skipif(not shutil.which("flite"), reason="Debian's flite is not installed (make test installs it)")
def test_the_question_can_be_heard_and_hearing_it_counts_against_the_limit(client, settings):
    settings.CAPTCHA_FLITE_PATH = shutil.which("flite")
    settings.WAGTAIL_AWARDS_VOTE_IP_LIMIT = 1
    data = client.get(reverse("captcha-refresh") + "?purpose=objection").json()
    assert data["audio_url"] == f"/captcha/audio/{data['key']}.wav"
    sound = client.get(data["audio_url"])
    assert sound.status_code == 200 and sound["Content-Type"] == "audio/wav"
    assert sound.content[:4] == b"RIFF" and len(sound.content) > 10_000
    assert client.get(data["audio_url"]).status_code == 429
    assert client.get("/captcha/audio/" + "0" * 40 + ".wav").status_code == 410


def test_without_a_synthesiser_there_is_no_audio(client, settings):
    settings.CAPTCHA_FLITE_PATH = None
    data = client.get(reverse("captcha-refresh") + "?purpose=objection").json()
    assert data["audio_url"] is None
    assert client.get(f"/captcha/audio/{data['key']}.wav").status_code == 404


def test_now_and_then_a_new_question_clears_the_expired_ones(client, monkeypatch):
    import datetime

    from django.utils import timezone

    url = reverse("captcha-refresh") + "?purpose=objection"
    assert client.get(url).status_code == 200
    CaptchaStore.objects.update(expiration=timezone.now() - datetime.timedelta(minutes=1))
    assert client.get(url).status_code == 200
    assert CaptchaStore.objects.count() == 2  # not this time
    monkeypatch.setattr(captcha_service, "clear_expired_now", lambda: True)
    assert client.get(url).status_code == 200
    assert CaptchaStore.objects.filter(expiration__lt=timezone.now()).count() == 0
    assert CaptchaStore.objects.count() == 2


def test_about_one_question_in_fifty_clears_the_expired_ones(monkeypatch):
    import random

    monkeypatch.setattr(random, "random", iter([0.5, 0.019, 0.02, 0.0]).__next__)
    assert [CLEAR_EXPIRED_NOW() for _ in range(4)] == [False, True, False, True]
