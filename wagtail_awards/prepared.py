"""Statements sent prepared: parsed and planned once per database connection, then only executed.

The vote is one large statement (``services.voting``). Planning it costs the database more than running it, and
Django sends every statement unprepared (psycopg's client-side binding, ``prepare_threshold`` ``None``), so each
vote would be planned again. :func:`fetch_one` runs a statement prepared, on PostgreSQL through psycopg 3 when
``WAGTAIL_AWARDS_PREPARED_VOTE`` is on, and unprepared anywhere else. Its cursor is wrapped as Django wraps its own,
so ``connection.execute_wrapper`` and the query log see the statement.

A connection pooler that does not keep prepared statements (PgBouncer before 1.21 in transaction mode, or without
``max_prepared_statements``) loses them between statements: the server answers that the statement does not exist.
The statement then runs again unprepared, and this process sends no statement prepared any more (a warning is
logged once).
"""

import contextlib
import functools
import logging

from django.db import connection, transaction
from django.db.utils import ProgrammingError

from .conf import awards_settings

logger = logging.getLogger(__name__)

#: psycopg prepares a statement on its own after this many runs; only :func:`fetch_one`'s statements ask for it at
#: once, so on a connection Django left unprepared (``prepare_threshold`` ``None``) nothing else is ever prepared.
NEVER_ON_ITS_OWN = 2**31 - 1

#: SQLSTATE of a prepared statement the server does not know (``invalid_sql_statement_name``).
UNKNOWN_STATEMENT = "26000"

_pooler_drops_them = False


def enabled() -> bool:
    """Whether statements asked for prepared are sent prepared on this connection."""
    if not awards_settings.PREPARED_VOTE or _pooler_drops_them or connection.vendor != "postgresql":
        return False
    return _prepared_cursor_class() is not None


@functools.cache
def _prepared_cursor_class():
    """The cursor class that prepares what it runs, or ``None`` without psycopg 3 (imported on PostgreSQL only)."""
    from django.db.backends.postgresql.psycopg_any import is_psycopg3

    if not is_psycopg3:
        return None
    from django.db.backends.postgresql.base import ServerBindingCursor

    class PreparedCursor(ServerBindingCursor):
        """Server-side binding; every statement prepared on its first run (psycopg keeps it per connection)."""

        logged = False

        def execute(self, query, params=None, *, prepare=None, binary=None):
            super().execute(query, params, prepare=True, binary=binary)
            if self.logged and self._query is None:
                # psycopg keeps no text of a statement run prepared, where Django's query log reads it.
                self._query = self._convert_query(query, params)
            return self

    return PreparedCursor


def _savepoint():
    """A savepoint inside a caller's transaction (a failed statement must not break it); none in autocommit."""
    return transaction.atomic() if connection.in_atomic_block else contextlib.nullcontext()


def _prepared_cursor():
    connection.ensure_connection()
    raw = connection.connection
    if raw.prepare_threshold is None:
        raw.prepare_threshold = NEVER_ON_ITS_OWN
    connection.validate_thread_sharing()
    prepared = _prepared_cursor_class()(raw)
    if connection.queries_logged:
        prepared.logged = True
        return connection.make_debug_cursor(prepared)
    return connection.make_cursor(prepared)


def _stop_preparing():
    global _pooler_drops_them
    if not _pooler_drops_them:
        _pooler_drops_them = True
        logger.warning(
            "The database lost a prepared statement (a connection pooler that does not keep them?): statements are "
            "sent unprepared from now on. Let the pooler keep them (PgBouncer 1.21+: max_prepared_statements) or set "
            "WAGTAIL_AWARDS_PREPARED_VOTE = False."
        )


def _fetch_one(make_cursor, sql, params):
    with _savepoint(), make_cursor() as cursor:
        cursor.execute(sql, params)
        return cursor.fetchone()


def fetch_one(sql: str, params):
    """Run the one statement ``sql`` on the default connection, prepared when :func:`enabled`; its first row.

    Inside a caller's transaction it runs in a savepoint, so that a failed constraint leaves the transaction usable.
    """
    if enabled():
        try:
            return _fetch_one(_prepared_cursor, sql, params)
        except ProgrammingError as error:
            if getattr(error.__cause__, "sqlstate", None) != UNKNOWN_STATEMENT:
                raise
            _stop_preparing()
    return _fetch_one(connection.cursor, sql, params)
