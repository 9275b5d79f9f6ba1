"""What one vote costs, and that the cheap paths keep every check: the queries of an accepted vote per voter
identity, the signed-in voter read in one query, and the per-voter/per-address attempts counted up front."""

import uuid
from importlib import import_module

import pytest
from django.conf import settings
from django.contrib.auth import BACKEND_SESSION_KEY
from django.core.cache import cache
from django.db import connection
from django.shortcuts import resolve_url
from django.test import Client, RequestFactory, override_settings
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from tests.builders import (
    bound_challenge,
    build_world,
    make_org,
    make_user,
    post_vote,
    verify_voter,
)
from tests.redis_helpers import redis_cache, round_trips
from wagtail_awards import prepared, throttle
from wagtail_awards.models import EligibleVoter, Vote, VotingCode
from wagtail_awards.rules.voters import Need, Voter
from wagtail_awards.rules.voting import VOTE_RATE
from wagtail_awards.services import voters
from wagtail_awards.views.voting import _attempts_key

EVERY_IDENTITY = override_settings(WAGTAIL_AWARDS_VOTERS=["verified_account", "voting_code", "insecure_device"])


@pytest.fixture(autouse=True)
def clear_cache():
    cache.clear()
    yield
    cache.clear()


def ready_vote(client, call, candidate):
    """A vote whose question is bound already, as a callable that sends it (so that only the POST is counted)."""
    key, _answer = bound_challenge(client, "vote")
    return lambda: post_vote(client, call, candidate, key=key)


def queries_of(action):
    with CaptureQueriesContext(connection) as captured:
        result = action()
    return result, [query["sql"] for query in captured.captured_queries]


def account_client(username="cost-voter"):
    client = Client()
    client.force_login(verify_voter(make_user(username)))
    return client


def code_client(call):
    voters.generate_codes(call=call, organization=make_org("常州市第一中学工会"), count=1, user=None)
    client = Client()
    client.cookies[voters.CODE_COOKIE] = voters.code_cookie_value(VotingCode.objects.get(call=call))
    return client


def device_client(call=None):
    client = Client()
    client.cookies[voters.DEVICE_COOKIE] = voters.device_cookie_value(uuid.uuid4().hex)
    return client


# The queries of an accepted vote (PostgreSQL: the vote is one statement there)


@pytest.mark.postgres
@pytest.mark.django_db
@EVERY_IDENTITY
# Sessions in the shared cache, as in production (the tests' default engine is the database).
@override_settings(SESSION_ENGINE="django.contrib.sessions.backends.cache")
@pytest.mark.parametrize(
    ("make_client", "expected"),
    [
        # The signed-in user with its verified address, then the vote.
        (lambda call: account_client(), 2),
        # The vote alone: a code or device voter reads no user and the code is checked by the vote's statement.
        (code_client, 1),
        (device_client, 1),
    ],
    ids=["verified account", "voting code", "insecure device"],
)
def test_an_accepted_vote_is_one_statement_after_the_voter(site_root, make_client, expected):
    world = build_world(site_root, stage="voting", projects=1)
    call, (candidate,) = world.call, world.apps.values()
    response, sql = queries_of(ready_vote(make_client(call), call, candidate))
    assert response.status_code == 303, response.content[:500]
    # The test's own transaction puts a savepoint around the statement; a server in autocommit sends none.
    sql = [query for query in sql if "SAVEPOINT" not in query]
    assert len(sql) == expected, sql
    assert sql[-1].lstrip().startswith("WITH")
    assert Vote.objects.filter(call=call).count() == 1


# The signed-in voter in one query, and only on Django's own terms


def identify_with_session(client):
    request = RequestFactory().post("/")
    engine = import_module(settings.SESSION_ENGINE)
    request.session = engine.SessionStore(client.session.session_key)
    request.session.keys()  # loaded before counting: the session engine of the tests is the database
    # What AuthenticationMiddleware does: the user is loaded lazily, on first use.
    from django.contrib.auth.middleware import AuthenticationMiddleware

    AuthenticationMiddleware(lambda r: None).process_request(request)
    return request, queries_of(lambda: voters.identify(request))


@pytest.mark.django_db
def test_a_verified_account_is_identified_with_one_query():
    client = account_client()
    request, (who, sql) = identify_with_session(client)
    assert isinstance(who, Voter) and who.user_id is not None
    assert len(sql) == 1, sql
    # request.user is the user loaded there, and asks nothing more.
    _user, more = queries_of(lambda: (request.user.pk, request.user.is_authenticated))
    assert request.user.pk == who.user_id and more == []


@pytest.mark.django_db
@override_settings(WAGTAIL_AWARDS_VOTER_ROLL=True)
def test_with_the_roll_a_voter_on_it_is_identified_with_one_query():
    user = verify_voter(make_user("roll-voter"), "Roll.Voter@example.org")
    client = Client()
    client.force_login(user)
    _request, (who, _sql) = identify_with_session(client)
    assert who == Need("roll")
    # On the roll under another spelling of the address only: the entry must be the verified address itself.
    EligibleVoter.objects.create(email="ROLL.VOTER@example.org")
    assert identify_with_session(client)[1][0] == Need("roll")
    EligibleVoter.objects.all().delete()
    EligibleVoter.objects.create(email="roll.voter@example.org")
    _request, (who, sql) = identify_with_session(client)
    assert isinstance(who, Voter) and who.user_id == user.pk
    assert len(sql) == 1, sql


@pytest.mark.django_db
def test_a_session_of_a_changed_password_is_no_voter(site_root):
    """A session whose hash no longer matches (the password was changed elsewhere) is logged out, as by Django."""
    world = build_world(site_root, stage="voting", projects=1)
    call, (candidate,) = world.call, world.apps.values()
    client = account_client()
    user = verify_voter(make_user("other-device"))
    client.force_login(user)
    user.set_password("a new password 123")
    user.save()
    _request, (who, _sql) = identify_with_session(client)
    assert who == Need("login")
    response = post_vote(client, call, candidate)
    assert response.status_code == 302 and response["Location"].startswith(resolve_url(settings.LOGIN_URL))
    assert not Vote.objects.exists()


@pytest.mark.django_db
def test_an_inactive_account_or_one_of_another_backend_is_no_voter():
    client = account_client()
    user = make_user("cost-voter-2")
    verify_voter(user)
    client.force_login(user)
    user.is_active = False
    user.save(update_fields=["is_active"])
    assert identify_with_session(client)[1][0] == Need("login")
    user.is_active = True
    user.save(update_fields=["is_active"])
    assert isinstance(identify_with_session(client)[1][0], Voter)
    # A session naming a backend the site does not use is not trusted.
    session = client.session
    session[BACKEND_SESSION_KEY] = "tests.no.such.Backend"
    session.save()
    assert identify_with_session(client)[1][0] == Need("login")


# Attempts per voter and address: counted up front, kept only when the captcha was solved


@pytest.mark.django_db
@override_settings(WAGTAIL_AWARDS_VOTERS=["insecure_device"], WAGTAIL_AWARDS_VOTE_IP_LIMIT=2, CAPTCHA_TEST_MODE=False)
def test_wrong_answers_do_not_use_up_the_attempts(site_root):
    world = build_world(site_root, stage="voting", projects=4)
    call, candidates = world.call, list(world.apps.values())
    client = device_client()
    for _ in range(5):
        assert post_vote(client, call, candidates[0], answer="wrong").status_code == 400
    for candidate in candidates[:2]:
        key, answer = bound_challenge(client, "vote")
        url = reverse("wagtail_awards:vote", args=[call.pk, candidate.pk])
        assert client.post(url, {"captcha_0": key, "captcha_1": answer, "next": "/"}).status_code == 303
    key, answer = bound_challenge(client, "vote")
    url = reverse("wagtail_awards:vote", args=[call.pk, candidates[2].pk])
    assert client.post(url, {"captcha_0": key, "captcha_1": answer, "next": "/"}).status_code == 429
    assert Vote.objects.count() == 2


@pytest.mark.django_db
@override_settings(WAGTAIL_AWARDS_VOTERS=["insecure_device"], WAGTAIL_AWARDS_VOTE_IP_LIMIT=2)
def test_a_vote_outside_its_window_does_not_use_up_the_attempts(site_root):
    import datetime as dt

    from django.utils import timezone

    now = timezone.now()
    past = build_world(
        site_root,
        stage="voting",
        projects=1,
        voting_opens=now - dt.timedelta(days=3),
        voting_closes=now - dt.timedelta(days=1),
    )
    closed, (late,) = past.call, past.apps.values()
    world = build_world(site_root, stage="voting", year=2031, projects=3, beside=past)
    call, candidates = world.call, list(world.apps.values())
    client = device_client()
    for _ in range(4):
        assert post_vote(client, closed, late).status_code == 403
    assert [post_vote(client, call, candidate).status_code for candidate in candidates] == [303, 303, 429]


# On Redis (production): a code or device vote's attempt and session in one round trip


@pytest.fixture
def redis(tmp_path):
    sessions = "django.contrib.sessions.backends.cache"
    with redis_cache(tmp_path, SESSION_ENGINE=sessions, WAGTAIL_AWARDS_VOTE_IP_LIMIT=5) as shared:
        yield shared


def attempts_of(shared, voter_key, address="127.0.0.1"):
    return shared.get(throttle._key(VOTE_RATE, _attempts_key(voter_key, address), window=3600, now=None)) or 0


@pytest.mark.django_db
@EVERY_IDENTITY
@pytest.mark.parametrize("make_client", [code_client, device_client], ids=["voting code", "insecure device"])
def test_on_redis_a_code_or_device_vote_is_one_round_trip_to_redis(site_root, redis, make_client):
    world = build_world(site_root, stage="voting", projects=1)
    call, (candidate,) = world.call, world.apps.values()
    send = ready_vote(make_client(call), call, candidate)
    with round_trips(redis) as sent:
        response = send()
    # Accepted: the session read with the attempt held the question's secret (the question is bound to it).
    assert response.status_code == 303
    assert len(sent) == 1
    assert attempts_of(redis, Vote.objects.get().voter_key) == 1


@pytest.mark.django_db
@EVERY_IDENTITY
def test_on_redis_a_signed_in_voter_with_a_device_cookie_counts_as_the_account(site_root, redis):
    world = build_world(site_root, stage="voting", projects=1)
    call, (candidate,) = world.call, world.apps.values()
    client = account_client()
    device = uuid.uuid4().hex
    client.cookies[voters.DEVICE_COOKIE] = voters.device_cookie_value(device)
    assert post_vote(client, call, candidate).status_code == 303
    voter_key = Vote.objects.get().voter_key
    assert voter_key.startswith("e:")
    assert attempts_of(redis, voter_key) == 1 and attempts_of(redis, f"d:{device}") == 0


@pytest.mark.django_db
@override_settings(WAGTAIL_AWARDS_VOTERS=["insecure_device"], CAPTCHA_TEST_MODE=False)
def test_on_redis_attempts_that_do_not_count_are_given_back(site_root, redis):
    world = build_world(site_root, stage="voting", projects=1)
    call, (candidate,) = world.call, world.apps.values()
    device = uuid.uuid4().hex
    client = device_client()
    client.cookies[voters.DEVICE_COOKIE] = voters.device_cookie_value(device)
    url = reverse("wagtail_awards:vote", args=[call.pk, candidate.pk])
    # Junk (no question of this visitor), a wrong answer, and a session Redis does not know (expired).
    assert client.post(url, {"captcha_0": "0" * 40, "captcha_1": "1", "next": "/"}).status_code == 400
    assert post_vote(client, call, candidate, answer="wrong").status_code == 400
    key, answer = bound_challenge(client, "vote")
    stranger = device_client()
    stranger.cookies[voters.DEVICE_COOKIE] = voters.device_cookie_value(device)
    stranger.cookies[settings.SESSION_COOKIE_NAME] = "x" * 32
    assert stranger.post(url, {"captcha_0": key, "captcha_1": answer, "next": "/"}).status_code == 400
    assert attempts_of(redis, f"d:{device}") == 0
    # The visitor's own solved question passes, and counts.
    key, answer = bound_challenge(client, "vote")
    assert client.post(url, {"captcha_0": key, "captcha_1": answer, "next": "/"}).status_code == 303
    assert attempts_of(redis, f"d:{device}") == 1


# A verified account's browser keeps a signed hint naming it: its vote then counts the attempt with the session read


@pytest.mark.django_db
@EVERY_IDENTITY
def test_the_question_endpoint_gives_a_verified_voter_the_hint_and_the_vote_uses_it(site_root, redis):
    world = build_world(site_root, stage="voting", projects=2)
    call, candidates = world.call, list(world.apps.values())
    client = account_client()
    # Asking for a question names the account in a signed, HTTP-only cookie.
    response = client.get(reverse("wagtail_awards:vote_challenge"))
    assert response.status_code == 200 and response.json()["key"]
    hint = response.cookies[voters.ACCOUNT_COOKIE]
    who = voters.identify(_request_of(client))
    assert hint["httponly"] and _unsigned_hint(hint.value) == f"{who.user_id}:{who.key}"
    send = ready_vote(client, call, candidates[0])
    with round_trips(redis) as sent:
        response, sql = queries_of(send)
    assert response.status_code == 303
    # One round trip: the session, the account's check (kept when the question was asked), the question's answer
    # and the attempt together; the account is not loaded (only its being active is checked, with the vote).
    assert len(sent) == 1
    assert not [query for query in sql if '"password"' in query], sql
    assert [query for query in sql if '"is_active"' in query], sql
    if connection.vendor == "postgresql":  # there, within the vote's one statement
        assert len([query for query in sql if "SAVEPOINT" not in query]) == 1, sql
    assert attempts_of(redis, Vote.objects.get().voter_key) == 1
    del client.cookies[voters.ACCOUNT_COOKIE]
    send = ready_vote(client, call, candidates[1])
    with round_trips(redis) as sent:
        response = send()
    # Without the hint: the session, the attempt, and the account's check kept again.
    assert response.status_code == 303 and len(sent) == 3
    # The answer gives the hint back.
    assert voters.ACCOUNT_COOKIE in response.cookies


@pytest.mark.django_db
@EVERY_IDENTITY
def test_a_hint_of_another_account_or_a_forged_one_changes_nothing(site_root, redis):
    world = build_world(site_root, stage="voting", projects=2)
    call, candidates = world.call, list(world.apps.values())
    other = verify_voter(make_user("hint-other"), "hint.other@example.org")
    other_voter = Voter(key=voters.email_key("hint.other@example.org"), user_id=other.pk)
    client = account_client()
    # The browser names another account (left by the last person who used it): the vote is still this account's,
    # counted for it alone, and the other account's attempt taken on the guess is given back.
    client.cookies[voters.ACCOUNT_COOKIE] = voters.account_cookie_value(other_voter)
    response = post_vote(client, call, candidates[0])
    assert response.status_code == 303
    vote = Vote.objects.get()
    assert vote.voter_id != other.pk and vote.voter_key != other_voter.key
    assert attempts_of(redis, vote.voter_key) == 1 and attempts_of(redis, other_voter.key) == 0
    # The answer names this account now.
    assert _unsigned_hint(response.cookies[voters.ACCOUNT_COOKIE].value) == f"{vote.voter_id}:{vote.voter_key}"
    # A hint not signed by the site is no hint.
    client.cookies[voters.ACCOUNT_COOKIE] = f"{other.pk}:{other_voter.key}"
    assert post_vote(client, call, candidates[1]).status_code == 303
    assert attempts_of(redis, other_voter.key) == 0
    assert set(Vote.objects.values_list("voter_id", flat=True)) == {vote.voter_id}


def _unsigned_hint(value):
    """The hint cookie's value as the site reads it (signed by the site, or an error)."""
    request = RequestFactory().get("/")
    request.COOKIES[voters.ACCOUNT_COOKIE] = value
    return request.get_signed_cookie(voters.ACCOUNT_COOKIE, salt=voters.ACCOUNT_SALT)


def _request_of(client):
    request = RequestFactory().get("/")
    engine = import_module(settings.SESSION_ENGINE)
    request.session = engine.SessionStore(client.session.session_key)
    from django.contrib.auth.middleware import AuthenticationMiddleware

    AuthenticationMiddleware(lambda r: None).process_request(request)
    return request


def _voter_with_kept_check(site_root, *, projects=2, **user):
    """A world in its vote, and a verified voter's client whose browser has the hint and whose account check is kept
    (it asked for a question)."""
    world = build_world(site_root, stage="voting", projects=projects)
    client = account_client(**user)
    assert client.get(reverse("wagtail_awards:vote_challenge")).status_code == 200
    return world.call, list(world.apps.values()), client


def _check_of(redis, client):
    return redis.get(voters.account_check_key(int(client.session["_auth_user_id"])))


@pytest.mark.django_db
@EVERY_IDENTITY
def test_an_account_deactivated_without_saving_it_cannot_vote_on_its_kept_check(site_root, redis):
    from django.contrib.auth import get_user_model

    call, candidates, client = _voter_with_kept_check(site_root)
    assert _check_of(redis, client) is not None
    # Wagtail's bulk action deactivates users with an UPDATE: no signal, the check stays kept.
    get_user_model().objects.filter(username="cost-voter").update(is_active=False)
    assert _check_of(redis, client) is not None
    response = post_vote(client, call, candidates[0])
    # The vote's statement checks the account: refused, sent to log in, the check dropped, nothing stored.
    assert response.status_code == 302 and response["Location"].startswith(resolve_url(settings.LOGIN_URL))
    assert not Vote.objects.exists() and _check_of(redis, client) is None
    assert post_vote(client, call, candidates[1]).status_code == 302
    assert not Vote.objects.exists()


@pytest.mark.django_db
@EVERY_IDENTITY
def test_a_changed_password_a_removed_address_or_roll_entry_drop_the_kept_check(site_root, redis):
    from django.contrib.auth import get_user_model

    call, candidates, client = _voter_with_kept_check(site_root, projects=3)
    user = get_user_model().objects.get(username="cost-voter")
    user.set_password("another password 456")
    user.save()
    assert _check_of(redis, client) is None
    response = post_vote(client, call, candidates[0])
    assert response.status_code == 302 and response["Location"].startswith(resolve_url(settings.LOGIN_URL))
    assert not Vote.objects.exists()
    # Signed in again and checked again; then the verified address goes.
    client.force_login(user)
    assert client.get(reverse("wagtail_awards:vote_challenge")).status_code == 200
    assert _check_of(redis, client) is not None
    user.awards_verified_email.delete()
    assert _check_of(redis, client) is None
    assert post_vote(client, call, candidates[1]).status_code == 403
    assert not Vote.objects.exists()


@pytest.mark.django_db
@EVERY_IDENTITY
@override_settings(WAGTAIL_AWARDS_VOTER_ROLL=True)
def test_an_address_taken_off_the_roll_drops_the_kept_check(site_root, redis):
    world = build_world(site_root, stage="voting", projects=2)
    call, candidates = world.call, list(world.apps.values())
    user = verify_voter(make_user("roll-kept"), "roll.kept@example.org")
    entry = EligibleVoter.objects.create(email="roll.kept@example.org")
    client = Client()
    client.force_login(user)
    assert client.get(reverse("wagtail_awards:vote_challenge")).status_code == 200
    assert _check_of(redis, client) is not None
    assert post_vote(client, call, candidates[0]).status_code == 303
    # Changed to another address, then removed: either way the kept check goes.
    entry.email = "someone.else@example.org"
    entry.save()
    assert _check_of(redis, client) is None
    assert post_vote(client, call, candidates[1]).status_code == 403
    entry.email = "roll.kept@example.org"
    entry.save()
    assert client.get(reverse("wagtail_awards:vote_challenge")).status_code == 200
    assert _check_of(redis, client) is not None
    EligibleVoter.objects.all().delete()
    assert _check_of(redis, client) is None
    assert post_vote(client, call, candidates[1]).status_code == 403
    assert Vote.objects.count() == 1


@pytest.mark.django_db
@EVERY_IDENTITY
def test_another_account_s_hint_and_kept_check_do_not_vote_for_this_session(site_root, redis):
    call, candidates, victim = _voter_with_kept_check(site_root)
    victim_id = int(victim.session["_auth_user_id"])
    # A stranger signed in as themselves copies the victim's hint cookie (the victim's check is kept).
    stranger = account_client("hint-stranger")
    stranger.cookies[voters.ACCOUNT_COOKIE] = victim.cookies[voters.ACCOUNT_COOKIE].value
    assert post_vote(stranger, call, candidates[0]).status_code == 303
    vote = Vote.objects.get()
    assert vote.voter_id != victim_id and vote.voter_id == int(stranger.session["_auth_user_id"])
    # Without any session, the copied hint is nothing.
    anonymous = Client()
    anonymous.cookies[voters.ACCOUNT_COOKIE] = victim.cookies[voters.ACCOUNT_COOKIE].value
    response = post_vote(anonymous, call, candidates[1])
    assert response.status_code in (302, 403) and Vote.objects.count() == 1


@pytest.mark.postgres
@pytest.mark.django_db
def test_a_vote_writes_no_redundant_index():
    """Each vote writes every index of the vote table (and a voter's first vote of the day the day's counter's): no
    index repeats the leading column of another, and votes without an account skip the account's index."""
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT tablename, indexdef FROM pg_indexes WHERE tablename IN (%s, %s)",
            [Vote._meta.db_table, "wagtail_awards_voterday"],
        )
        indexes = cursor.fetchall()
    columns = {(table, definition.split("(", 1)[1].split(")")[0]) for table, definition in indexes}
    assert (Vote._meta.db_table, "call_id") not in columns
    assert ("wagtail_awards_voterday", "call_id") not in columns
    account = [definition for _table, definition in indexes if "(voter_id)" in definition]
    assert len(account) == 1 and "WHERE (voter_id IS NOT NULL)" in account[0]


# The vote's statement sent prepared (PostgreSQL): planned once per database connection


def prepared_votes():
    """The vote statements prepared on this test's database connection, with their generic and custom plans."""
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT generic_plans + custom_plans FROM pg_prepared_statements WHERE statement LIKE %s",
            ["%WITH candidate AS%"],
        )
        return [row[0] for row in cursor.fetchall()]


@pytest.fixture
def reset_prepared():
    prepared._pooler_drops_them = False
    yield
    prepared._pooler_drops_them = False
    with connection.cursor() as cursor:
        cursor.execute("DEALLOCATE ALL")  # the next test's statements start unprepared (psycopg sees it too)


@pytest.mark.postgres
@pytest.mark.django_db
@EVERY_IDENTITY
def test_the_vote_is_prepared_once_and_then_only_executed(site_root, reset_prepared):
    world = build_world(site_root, stage="voting", projects=3)
    call, candidates = world.call, list(world.apps.values())
    before = sum(prepared_votes())
    for candidate in candidates:
        assert post_vote(device_client(), call, candidate).status_code == 303
    # One statement (device voters send the same one), run three times.
    assert len(prepared_votes()) == 1 and sum(prepared_votes()) - before == 3
    assert Vote.objects.filter(call=call).count() == 3


@pytest.mark.postgres
@pytest.mark.django_db
@EVERY_IDENTITY
@override_settings(WAGTAIL_AWARDS_PREPARED_VOTE=False)
def test_with_prepared_votes_off_nothing_is_prepared(site_root, reset_prepared):
    world = build_world(site_root, stage="voting", projects=1)
    call, (candidate,) = world.call, world.apps.values()
    assert post_vote(device_client(), call, candidate).status_code == 303
    assert prepared_votes() == [] and Vote.objects.filter(call=call).count() == 1


@pytest.mark.postgres
@pytest.mark.django_db
@EVERY_IDENTITY
def test_a_pooler_losing_the_prepared_vote_loses_no_vote(site_root, reset_prepared, caplog):
    """A pooler in transaction mode hands the next statement to a server connection that never saw it prepared:
    the vote runs again unprepared, is counted once, and nothing is prepared any more."""
    world = build_world(site_root, stage="voting", projects=3)
    call, candidates = world.call, list(world.apps.values())
    voter = device_client()
    assert post_vote(voter, call, candidates[0]).status_code == 303
    with connection.cursor() as cursor:
        # Dropped by name behind psycopg's back, as another server connection never had it.
        cursor.execute("SELECT name FROM pg_prepared_statements WHERE statement LIKE %s", ["%WITH candidate AS%"])
        (name,) = cursor.fetchone()
        cursor.execute(f"DEALLOCATE {name}")
    with caplog.at_level("WARNING", logger="wagtail_awards.prepared"):
        assert post_vote(voter, call, candidates[1]).status_code == 303
    assert "max_prepared_statements" in caplog.text
    assert post_vote(voter, call, candidates[2]).status_code == 303
    assert prepared_votes() == []
    assert Vote.objects.filter(call=call).count() == 3
    # The voter's day counted each vote once.
    assert post_vote(voter, call, candidates[0]).status_code != 303
    assert Vote.objects.filter(call=call).count() == 3
