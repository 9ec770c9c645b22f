"""Engine and sessions for SQLite (embedded default) and PostgreSQL (production)."""

from __future__ import annotations

import sqlite3
import time
from collections.abc import Iterator
from contextlib import contextmanager

from sqlalchemy import event
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.engine import Engine
from sqlalchemy.engine.interfaces import DBAPIConnection
from sqlalchemy.exc import DisconnectionError
from sqlalchemy.pool import ConnectionPoolEntry
from sqlmodel import Session, SQLModel, create_engine

from storage.gate import gate_writes

Insert = postgresql.Insert | sqlite.Insert

SQLITE_BUSY_TIMEOUT_MS = 30_000
SQLITE_SYNCHRONOUS = "FULL"
READ_ONLY = "whistle_read_only"


def make_engine(url: str, *, echo: bool = False, connect_args: dict | None = None) -> Engine:
    """Create the engine for a database URL.

    SQL parameters are never logged, nor shown in database errors: they hold residents'
    phones and addresses.

    SQLite gets WAL mode with full syncing (each commit durable), a busy timeout and
    ``BEGIN IMMEDIATE`` transactions: a transaction that reads and then writes would
    otherwise fail with SQLITE_BUSY instead of waiting when another writer got there first.
    Its write transactions also pass a fair gate (``storage.gate``), so a message waiting to
    write goes before a sweep's next chunk.

    Args:
        url: A SQLAlchemy URL, e.g. ``sqlite:///whistle.db`` or
            ``postgresql+psycopg://user@host/db``.
        echo: Log every statement.
        connect_args: Extra driver arguments (e.g. a PostgreSQL ``options`` string).

    Returns:
        The engine.
    """
    if url.startswith("sqlite"):
        engine = create_engine(
            url, echo=echo, hide_parameters=True,
            connect_args={"timeout": SQLITE_BUSY_TIMEOUT_MS / 1000}
        )
        _tune_sqlite(engine)
        return engine
    engine = create_engine(url, echo=echo, hide_parameters=True,
                           connect_args=connect_args or {})
    _ping_when_idle(engine)
    return engine


PING_AFTER_IDLE_S = 10.0
"""A pooled connection idle this long is tried before use (the server may have restarted);
one in steady use is not: the try is a round trip, about a tenth of a message's time."""
_IDLE_SINCE = "whistle_idle_since"


def _ping_when_idle(engine: Engine) -> None:
    """Like ``pool_pre_ping``, but only for connections that sat idle in the pool: a dead
    one is replaced before use. One that died in steady use fails its statement, and the
    message goes to the inbound journal to be handled again."""

    @event.listens_for(engine, "checkin")
    def _checked_in(_dbapi_connection: object, record: ConnectionPoolEntry) -> None:
        record.info[_IDLE_SINCE] = time.monotonic()

    @event.listens_for(engine, "checkout")
    def _checked_out(dbapi_connection: DBAPIConnection, record: ConnectionPoolEntry,
                     _proxy: object) -> None:
        since = record.info.pop(_IDLE_SINCE, None)
        if since is None or time.monotonic() - since < PING_AFTER_IDLE_S:
            return
        try:
            engine.dialect.do_ping(dbapi_connection)
        except engine.dialect.loaded_dbapi.Error as gone:
            raise DisconnectionError("the pooled connection is gone") from gone


def _tune_sqlite(engine: Engine) -> None:
    @event.listens_for(engine, "connect")
    def _on_connect(dbapi_connection: sqlite3.Connection, _record: ConnectionPoolEntry) -> None:
        # Let SQLAlchemy, not the driver, decide when a transaction begins.
        dbapi_connection.isolation_level = None
        cursor = dbapi_connection.cursor()
        if engine.url.database not in (None, "", ":memory:"):
            cursor.execute("PRAGMA journal_mode=WAL")
        cursor.execute(f"PRAGMA busy_timeout={SQLITE_BUSY_TIMEOUT_MS}")
        cursor.execute("PRAGMA foreign_keys=ON")
        # Said, not left to how the library was built: in WAL mode FULL puts every commit
        # on disk before it returns; NORMAL would be faster, but a power cut could take the
        # last commits, messages already acknowledged among them.
        cursor.execute(f"PRAGMA synchronous={SQLITE_SYNCHRONOUS}")
        cursor.close()

    gate_writes(engine, read_only=READ_ONLY, timeout=SQLITE_BUSY_TIMEOUT_MS / 1000)


@contextmanager
def transaction(engine: Engine) -> Iterator[Session]:
    """A session whose work commits on success and rolls back on any exception."""
    with Session(engine, expire_on_commit=False) as session:
        try:
            yield session
            session.commit()
        except BaseException:
            session.rollback()
            raise


@contextmanager
def reading(engine: Engine) -> Iterator[Session]:
    """A session for reading only: on SQLite it begins a plain (deferred) transaction, a
    snapshot that takes no write lock, so a sweep can work out what to do while messages
    keep coming in, and write it afterwards in short transactions."""
    with Session(engine.execution_options(**{READ_ONLY: True})) as session:
        try:
            yield session
        finally:
            session.rollback()


def owns_transaction(session: Session) -> bool:
    """Whether the session's transactions are its own to commit: bound to an engine, not to
    one connection whose transaction a caller (a test, a command) holds."""
    return isinstance(session.get_bind(), Engine)


def commit_own(session: Session) -> None:
    """End the session's write transaction, unless it is a caller's."""
    if owns_transaction(session):
        session.commit()


@contextmanager
def read_first(session: Session) -> Iterator[Session]:
    """A session to work out what to write in before writing it: a plain read (``reading``:
    no write lock while a sweep computes), or ``session`` itself when it is bound to one
    connection (a caller's transaction, which must see its own rows)."""
    bind = session.get_bind()
    if not isinstance(bind, Engine):
        yield session
        return
    with reading(bind) as reader:
        yield reader


def dialect_insert(session: Session, table: type[SQLModel]) -> Insert:
    """An INSERT for ``table`` in the session's SQL dialect, so that it can say
    ``ON CONFLICT … DO NOTHING / DO UPDATE`` (SQLite ≥ 3.35 and PostgreSQL both can)."""
    if session.get_bind().dialect.name == "postgresql":
        return postgresql.insert(table)
    return sqlite.insert(table)
