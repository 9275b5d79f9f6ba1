import os
import threading

import pytest
from hypothesis import settings as hypothesis_settings

# CI runs the property tests on a fixed set of examples, so a red build always reproduces; locally they explore.
hypothesis_settings.register_profile("ci", derandomize=True, print_blob=True)
if os.environ.get("CI"):
    hypothesis_settings.load_profile("ci")


def pytest_collection_modifyitems(config, items):
    """Tests marked ``postgres`` need PostgreSQL (row locks, one connection per thread): on any other database they
    are skipped before any set-up, so no transactional flush runs for them either."""
    from django.conf import settings

    if "postgresql" in settings.DATABASES["default"]["ENGINE"]:
        return
    skip = pytest.mark.skip(reason="needs PostgreSQL (DATABASE_URL=postgres://…)")
    for item in items:
        if item.get_closest_marker("postgres"):
            item.add_marker(skip)


def run_together(jobs, *, threads=None):
    """Run ``jobs`` (callables) on ``threads`` threads (one per job unless given), all released at once; return each
    job's result, or the exception it raised, in the order of ``jobs``. Each thread closes its database connections
    when done (each thread has its own)."""
    from django.db import connections

    results = [None] * len(jobs)
    pending = list(enumerate(jobs))
    lock = threading.Lock()
    count = threads or len(jobs)
    one_each = threads is None
    barrier = threading.Barrier(count)

    def worker():
        try:
            barrier.wait(timeout=60)
            while True:
                with lock:
                    if not pending:
                        return
                    index, job = pending.pop(0)
                try:
                    results[index] = job()
                except Exception as exc:  # noqa: BLE001 - handed to the test, which asserts on it
                    results[index] = exc
                if one_each:
                    return
        finally:
            connections.close_all()

    workers = [threading.Thread(target=worker) for _ in range(count)]
    for thread in workers:
        thread.start()
    for thread in workers:
        thread.join(timeout=300)
    return results


_MIGRATED_STATE = {}


@pytest.fixture(scope="session")
def django_db_setup(django_db_setup, django_db_blocker):
    """Snapshot what the migrations put in the test database (root page, locale, collection, groups).

    Transactional tests (live server, real concurrency) commit their data and the tables are flushed after each;
    the fixture below puts the migrations' rows back from this snapshot before the next such test.
    (pytest-django's own serialized rollback does not survive a mix of test kinds.)
    """
    from django.db import connection

    with django_db_blocker.unblock():
        _MIGRATED_STATE[connection.alias] = connection.creation.serialize_db_to_string()


def _is_transactional(request):
    marker = request.node.get_closest_marker("django_db")
    if marker and (marker.kwargs.get("transaction") or (marker.args and marker.args[0])):
        return True
    return any(name in request.fixturenames for name in ("transactional_db", "live_server"))


@pytest.fixture(autouse=True)
def _migrated_rows_for_transactional_tests(request):
    if not _is_transactional(request):
        return
    request.getfixturevalue("transactional_db")
    from django.apps import apps
    from django.contrib.contenttypes.models import ContentType
    from django.core.management import call_command
    from django.core.management.color import no_style
    from django.db import connection
    from wagtail.models import Page

    if Page.objects.exists():
        return
    # The flush after the previous test recreated content types and permissions with new ids; start clean.
    call_command("flush", interactive=False, inhibit_post_migrate=True, verbosity=0)
    connection.creation.deserialize_db_from_string(_MIGRATED_STATE[connection.alias])
    # Rows came back with their ids; move PostgreSQL's sequences past them.
    with connection.cursor() as cursor:
        for sql in connection.ops.sequence_reset_sql(no_style(), apps.get_models()):
            cursor.execute(sql)
    ContentType.objects.clear_cache()


@pytest.fixture(autouse=True)
def _empty_cache():
    """Each test starts with an empty cache: cached rows (working-day exceptions, pages) of an earlier test's
    rolled-back data must not leak into it."""
    from django.core.cache import cache

    cache.clear()


@pytest.fixture
def site_root(db):
    """A call index page as the default site's root."""
    from tests.builders import make_site

    return make_site()


@pytest.fixture
def call_page(site_root):
    """The world's 2021 call, its applications open from 22 September to 19 October, 23:59:59."""
    from tests.builders import DEADLINE, build_world

    return build_world(site_root, deadline=DEADLINE).call


@pytest.fixture(autouse=True)
def _empty_cache():
    """Rate limits count in the cache: every test starts with none counted."""
    from django.core.cache import cache

    cache.clear()


@pytest.fixture
def fresh_cache():
    """An empty cache before and after the test: rate limits count there."""
    from django.core.cache import cache

    cache.clear()
    yield cache
    cache.clear()


@pytest.fixture(autouse=True)
def _expired_challenges_kept(monkeypatch):
    """Expired challenges are cleared at random, one challenge in fifty; tests counting queries need none of that."""
    monkeypatch.setattr("wagtail_awards.services.captcha.clear_expired_now", lambda: False)
