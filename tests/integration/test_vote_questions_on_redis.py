"""Votes' questions in the shared cache (production: Redis). A vote takes its question's answer there, in the round
trip that counts its attempt, and its statement does not touch the question table; every property of the question
still holds: one use, bound to its visitor, expiring, a wrong answer uses it up, and concurrent copies pass once."""

import uuid
from collections import Counter

import pytest
from captcha.conf import settings as captcha_settings
from captcha.models import CaptchaStore
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from tests.builders import bound_challenge, build_world, vote_url
from tests.conftest import run_together
from tests.redis_helpers import redis_cache
from wagtail_awards.models import Vote, VotingCode
from wagtail_awards.services import voters
from wagtail_awards.services.captcha import answer_cache_key

EVERY_IDENTITY = ["verified_account", "voting_code", "insecure_device"]


@pytest.fixture
def redis(tmp_path):
    with redis_cache(
        tmp_path,
        SESSION_ENGINE="django.contrib.sessions.backends.cache",
        WAGTAIL_AWARDS_VOTERS=EVERY_IDENTITY,
        WAGTAIL_AWARDS_VOTE_IP_LIMIT=50,
    ) as shared:
        yield shared


@pytest.fixture
def world(site_root):
    return build_world(site_root, stage="voting")


def device_client(world):
    client = Client()
    client.cookies[voters.DEVICE_COOKIE] = voters.device_cookie_value(uuid.uuid4().hex)
    return client


def code_client(world):
    voters.generate_codes(call=world.call, organization=world.orgs["nj1"], count=1, user=None)
    client = Client()
    client.cookies[voters.CODE_COOKIE] = voters.code_cookie_value(VotingCode.objects.get(call=world.call))
    return client


def account_client(world):
    client = Client()
    client.force_login(world.users["voter"])
    return client


CLIENTS = pytest.mark.parametrize(
    "make_client", [account_client, code_client, device_client], ids=["verified account", "voting code", "device"]
)


def send(client, world, key, answer, candidate="nj1"):
    url = vote_url(world.call, world.apps[candidate])
    return client.post(url, {"captcha_0": key, "captcha_1": answer, "next": "/"})


@pytest.mark.django_db
@CLIENTS
def test_a_vote_takes_its_answer_from_redis_once(world, redis, make_client):
    client = make_client(world)
    key, answer = bound_challenge(client, "vote")
    cached = answer_cache_key(key)
    assert redis.get(cached) == answer
    ttl = redis.client.get_client().ttl(redis.make_key(cached))
    assert 0 < ttl <= 60 * int(captcha_settings.CAPTCHA_TIMEOUT)
    assert send(client, world, key, answer).status_code == 303
    assert redis.get(cached) is None
    # The vote's statement did not touch the question's row: Redis said it was solved, and used it up.
    assert CaptchaStore.objects.filter(hashkey=key).exists()
    # The same solved question again, here or for another candidate: refused, nothing counted.
    assert send(client, world, key, answer).status_code == 400
    assert send(client, world, key, answer, candidate="nj2").status_code == 400
    assert Vote.objects.filter(call=world.call).count() == 1


@pytest.mark.django_db
@CLIENTS
def test_a_wrong_answer_uses_the_question_up(world, redis, make_client):
    client = make_client(world)
    key, answer = bound_challenge(client, "vote")
    wrong = str(int(answer) + 1) if answer.isdigit() else answer + "x"
    response = send(client, world, key, wrong)
    assert response.status_code == 400
    assert 'name="captcha_0"' in response.content.decode()  # a new question on the page
    assert send(client, world, key, answer).status_code == 400
    assert not Vote.objects.exists()


@pytest.mark.django_db
def test_another_visitors_question_does_not_vote(world, redis):
    owner, stranger = device_client(world), device_client(world)
    key, answer = bound_challenge(owner, "vote")
    bound_challenge(stranger, "vote")  # the stranger has a session and a question of its own
    assert send(stranger, world, key, answer).status_code == 400
    assert not Vote.objects.exists()


@pytest.mark.django_db
def test_an_expired_question_does_not_vote(world, redis):
    client = device_client(world)
    key, answer = bound_challenge(client, "vote")
    # Expired in the shared cache (its timeout) while the row waits to be cleared.
    redis.delete(answer_cache_key(key))
    assert send(client, world, key, answer).status_code == 400
    assert not Vote.objects.exists()


@pytest.mark.postgres
@pytest.mark.django_db
@CLIENTS
def test_the_statement_names_only_the_tables_the_vote_touches(world, redis, make_client):
    client = make_client(world)
    key, answer = bound_challenge(client, "vote")
    with CaptureQueriesContext(connection) as captured:
        assert send(client, world, key, answer).status_code == 303
    (statement,) = [q["sql"] for q in captured.captured_queries if q["sql"].lstrip().startswith("WITH")]
    assert CaptchaStore._meta.db_table not in statement
    assert (VotingCode._meta.db_table in statement) == (make_client is code_client)


@pytest.mark.django_db
def test_a_revoked_code_still_does_not_vote(world, redis):
    client = code_client(world)
    VotingCode.objects.filter(call=world.call).update(revoked=True)
    key, answer = bound_challenge(client, "vote")
    assert send(client, world, key, answer).status_code == 403
    assert not Vote.objects.exists()


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_eight_copies_of_one_solved_question_at_once_vote_once(site_root, tmp_path):
    with redis_cache(
        tmp_path,
        SESSION_ENGINE="django.contrib.sessions.backends.cache",
        WAGTAIL_AWARDS_VOTERS=["insecure_device"],
        WAGTAIL_AWARDS_VOTE_IP_LIMIT=0,
    ):
        world = build_world(site_root, stage="voting")
        owner = device_client(world)
        key, answer = bound_challenge(owner, "vote")
        cookies = {name: morsel.value for name, morsel in owner.cookies.items()}
        candidates = ["nj1", "nj2", "nj3", "sz1", "seu1", "nj1", "nj2", "nj3"]

        def job(candidate):
            def run():
                client = Client()
                for name, value in cookies.items():
                    client.cookies[name] = value
                return send(client, world, key, answer, candidate=candidate).status_code

            return run

        statuses = run_together([job(candidate) for candidate in candidates])
        assert Counter(statuses) == {303: 1, 400: 7}, statuses
        assert Vote.objects.filter(call=world.call).count() == 1


def test_solves_needs_a_live_answer_and_the_right_one(monkeypatch):
    from wagtail_awards.services.captcha import solves

    monkeypatch.setattr(captcha_settings, "CAPTCHA_TEST_MODE", False)
    assert solves(answer=" 12 ", stored="12")
    assert not solves(answer="13", stored="12")
    assert not solves(answer="", stored="")
    assert not solves(answer="passed", stored="12")
    assert not solves(answer="12", stored=None)
    assert not solves(answer="12", stored=12)  # not what the app stores: never a pass
    monkeypatch.setattr(captcha_settings, "CAPTCHA_TEST_MODE", True)
    assert solves(answer="passed", stored="12")
    assert not solves(answer="passed", stored=None)


def test_only_keys_the_app_makes_have_a_cache_entry():
    assert answer_cache_key("a" * 40) == "wagtail_awards:captcha:" + "a" * 40
    assert answer_cache_key("a" * 39) is None
    assert answer_cache_key("../" + "a" * 37) is None
