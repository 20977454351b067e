"""Database connections: SQLite's pragmas, how long a write waits for a lock, and "busy" told from a crash.

A write that finds another transaction holding the lock waits for it, but not
for ever: ``SQLITE_BUSY_TIMEOUT_MS`` on SQLite, ``POSTGRES_LOCK_TIMEOUT_MS`` on
PostgreSQL. When the wait runs out the request is answered 503 with
``Retry-After`` (see ``errors.py``) and rolled back, so nothing is half-written.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from sqlalchemy import event
from sqlalchemy.engine import Engine
from sqlalchemy.exc import OperationalError

# The connection record's entry naming the statements prepared on it (absent: none are to be).
PREPARED_STATEMENTS = "glossary_prepared_statements"
# SQLite's primary result codes for "another connection holds the lock".
_SQLITE_BUSY, _SQLITE_LOCKED = 5, 6
# PostgreSQL: lock_timeout ran out, deadlock, serialization failure. Each means "try again".
_POSTGRES_RETRYABLE = {"55P03", "40P01", "40001"}


def configure_connections(engine: Engine, config: Mapping[str, Any]) -> None:
    """Set every new connection of ``engine`` up the way the service needs it."""
    if engine.dialect.name == "sqlite":
        busy_ms = int(config["SQLITE_BUSY_TIMEOUT_MS"])
        mmap_bytes = max(0, int(config["SQLITE_MMAP_MB"])) * 2**20
        event.listen(engine, "connect", lambda connection, _record: _sqlite_pragmas(connection, busy_ms, mmap_bytes))
    elif engine.dialect.name == "postgresql":
        lock_ms = int(config["POSTGRES_LOCK_TIMEOUT_MS"])
        prepared = bool(config["POSTGRES_PREPARED_STATEMENTS"])
        event.listen(
            engine, "connect", lambda connection, record: _postgres_settings(connection, record, lock_ms, prepared)
        )


def _sqlite_pragmas(connection: Any, busy_ms: int, mmap_bytes: int) -> None:
    """WAL for concurrent readers, enforced foreign keys, how long a writer waits for the lock, and
    reads through a memory map.

    Without the map every page read is copied into the connection's own page cache (2 MB by default):
    a lookup of 1,000 terms in a glossary of a million concepts evicted what the searches after it
    needed, and they took four times longer. The mapped pages are the operating system's file cache,
    shared by every connection and worker, and given back when memory runs short."""
    cursor = connection.cursor()
    try:
        cursor.execute("PRAGMA foreign_keys=ON")
        cursor.execute(f"PRAGMA busy_timeout={busy_ms}")
        cursor.execute("PRAGMA journal_mode=WAL")
        cursor.execute("PRAGMA synchronous=NORMAL")
        cursor.execute(f"PRAGMA mmap_size={mmap_bytes}")
    finally:
        cursor.close()


def _postgres_settings(connection: Any, record: Any, lock_ms: int, prepared: bool) -> None:
    """A statement waiting longer than ``lock_ms`` for a row or table lock gives up (0: waits for ever).

    With ``prepared``, the hot reads run as statements this connection prepares once
    (``search/prepared.py``), each with one plan written for any values (``plan_cache_mode``
    concerns named prepared statements only, and those are the only ones: psycopg's own
    automatic preparing is turned off, since it deallocates every prepared statement at each
    rollback, and every read request ends with one)."""
    autocommit = connection.autocommit
    connection.autocommit = True  # a SET outside any transaction lasts for the session
    cursor = connection.cursor()
    try:
        cursor.execute(f"SET lock_timeout = {lock_ms}")
        if prepared:
            cursor.execute("SET plan_cache_mode = force_generic_plan")
            connection.prepare_threshold = None
            record.info[PREPARED_STATEMENTS] = set()
    finally:
        cursor.close()
        connection.autocommit = autocommit


def is_busy(error: OperationalError) -> bool:
    """True when the database refused only because another transaction held a lock too long."""
    original = error.orig
    code = getattr(original, "sqlite_errorcode", None)
    if code is not None:
        return code & 0xFF in (_SQLITE_BUSY, _SQLITE_LOCKED)
    if getattr(original, "sqlstate", None) in _POSTGRES_RETRYABLE:
        return True
    return "database is locked" in str(original)
