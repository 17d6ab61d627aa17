"""Statements that PostgreSQL plans once per connection: for the reads and writes that come by the hundred.

Django binds parameters on the client, so every execution is a new text for the server, parsed and planned
again. ``fetchone_prepared`` binds them on the server instead (psycopg's ``ServerBindingCursor``): with
``prepare_threshold`` in the database's OPTIONS (ziat/settings/base.py) psycopg prepares the statement on its
first execution and the server reuses its plan. The cursor is wrapped as Django wraps its own, so the statement
is counted and logged as any other (and seen by ``CaptureQueriesContext``).
"""

from django.db import DEFAULT_DB_ALIAS, connections
from django.db.backends.postgresql.base import ServerBindingCursor


def fetchone_prepared(sql, params):
    """The first row of ``sql`` (``%s`` or ``%(name)s`` placeholders), executed with server-side binding."""
    db = connections[DEFAULT_DB_ALIAS]
    db.ensure_connection()
    db.validate_thread_sharing()
    raw = ServerBindingCursor(db.connection)
    with db.make_debug_cursor(raw) if db.queries_logged else db.make_cursor(raw) as cursor:
        cursor.execute(sql, params)
        return cursor.fetchone()
