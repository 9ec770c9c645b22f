"""Engine and sessions for SQLite (embedded default) and PostgreSQL (production)."""

from __future__ import annotations

import sqlite3
import time
from collections.abc import Iterator, Mapping, Sequence
from contextlib import contextmanager
from datetime import date, datetime, timedelta
from enum import Enum
from functools import cache, lru_cache
from typing import Any, TypeVar

from pydantic.fields import FieldInfo
from sqlalchemy import Insert as Insert_
from sqlalchemy import Table, Update, bindparam, event, insert, update
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.engine import Connection, Engine
from sqlalchemy.engine.interfaces import DBAPIConnection
from sqlalchemy.exc import DisconnectionError
from sqlalchemy.orm import make_transient_to_detached
from sqlalchemy.orm.attributes import set_committed_value
from sqlalchemy.pool import ConnectionPoolEntry
from sqlmodel import Session, SQLModel, create_engine

Insert = postgresql.Insert | sqlite.Insert

SQLITE_BUSY_TIMEOUT_MS = 30_000
READ_ONLY = "whistle_read_only"


def make_engine(url: str, *, echo: bool = False, connect_args: dict | None = None) -> Engine:
    """Create the engine for a database URL.

    SQL parameters are never logged, nor shown in database errors: they hold residents'
    phones and addresses.

    SQLite gets WAL mode, a busy timeout and ``BEGIN IMMEDIATE`` transactions: a transaction
    that reads and then writes would otherwise fail with SQLITE_BUSY instead of waiting when
    another writer got there first.

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
        cursor.close()

    @event.listens_for(engine, "begin")
    def _on_begin(connection: Connection) -> None:
        reading = connection.get_execution_options().get(READ_ONLY, False)
        connection.exec_driver_sql("BEGIN" if reading else "BEGIN IMMEDIATE")


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


def table_of(model: type[SQLModel]) -> Table:
    """The model's table, for Core statements: a statement on the table's columns is
    executed without the ORM's layers and its rows are plain rows."""
    return model.__table__  # type: ignore[attr-defined]


def core(session: Session) -> Connection:
    """The session's connection, for a Core statement on the hot path (one built once, on
    ``table_of`` columns): executed there it skips the ORM's execution layers, which cost
    several times the statement. What the session holds is flushed first, as
    ``session.execute`` would, so the statement sees every change of the transaction."""
    session.flush()
    transaction = session.get_transaction()
    held = session.info.get(_CONNECTION)
    if held is not None and held[0] is transaction and transaction is not None \
            and transaction.is_active:
        return held[1]  # the session's way to it is dearer than many a statement
    connection = session.connection()
    session.info[_CONNECTION] = (session.get_transaction(), connection)
    return connection


_CONNECTION = "whistle_connection"
"""The session's note of its transaction and that transaction's connection."""


def dialect_insert(session: Session, table: type[SQLModel]) -> Insert:
    """An INSERT for ``table`` in the session's SQL dialect, so that it can say
    ``ON CONFLICT … DO NOTHING / DO UPDATE`` (SQLite ≥ 3.35 and PostgreSQL both can)."""
    if session.get_bind().dialect.name == "postgresql":
        return postgresql.insert(table)
    return sqlite.insert(table)


Row = TypeVar("Row", bound=SQLModel)


def new_row(model: type[Row], **values: Any) -> Row:
    """A new row object, as ``model(**values)`` builds it, its defaults filled in, but
    built the way the ORM builds a row it loads: the values placed at once. The model's
    constructor sets each attribute through two layers of events (SQLModel's and the
    ORM's), which for an order costs more than the statements that file it.

    Only for models without relationships; nothing is validated, as for any table model.
    """
    row: Row = model._sa_class_manager.new_instance()  # type: ignore[attr-defined]
    fixed, made = _defaults(model)
    row.__dict__.update(fixed)
    for name, field in made:
        row.__dict__[name] = field.get_default(call_default_factory=True)
    row.__dict__.update(values)
    object.__setattr__(row, "__pydantic_fields_set__", set(values))
    return row


@cache
def _defaults(model: type[SQLModel]) -> tuple[dict[str, Any], list[tuple[str, FieldInfo]]]:
    """A model's defaults: the constants, and the fields whose default is made afresh for
    each row (a factory, or a value that could be changed in place)."""
    if model.__sqlmodel_relationships__:
        raise TypeError(f"{model.__name__} has relationships: build it with its constructor")
    fixed: dict[str, Any] = {}
    made: list[tuple[str, FieldInfo]] = []
    for name, field in model.model_fields.items():
        if field.is_required():
            continue
        if field.default_factory is None and isinstance(field.default, _IMMUTABLE):
            fixed[name] = field.default
        else:
            made.append((name, field))
    return fixed, made


_IMMUTABLE = (type(None), str, int, float, bool, Enum, datetime, date, timedelta)


@lru_cache(maxsize=32)
def _inserting(table: Table) -> Insert_:
    return insert(table).returning(*table.primary_key.columns)


def insert_row(session: Session, row: SQLModel) -> None:
    """Write a new row with a plain INSERT and hand it to the session as it now stands,
    its id set: the session's unit of work costs several times the statement it sends, on
    the hot path that is most of a message's time. Later changes are the session's as usual.

    A row the session holds already is flushed instead. Only for tables with one
    generated integer key.
    """
    if row in session:
        session.flush()
        return
    table: Table = row.__table__  # type: ignore[attr-defined]
    values = {c.name: getattr(row, c.name) for c in table.columns if not c.primary_key}
    key = table.primary_key.columns[0].name
    setattr(row, key, core(session).execute(_inserting(table), values).scalar_one())
    _hand_over(session, row)


def update_row(session: Session, row: SQLModel, **changes: Any) -> None:
    """Change a row the session holds with a plain UPDATE at once, and the object to match,
    as the database now has it: on the hot path the session's flush would cost several
    times the statement. Only for tables with one integer key."""
    table: Table = row.__table__  # type: ignore[attr-defined]
    key = table.primary_key.columns[0]
    core(session).execute(_updating(table, tuple(changes)),
                          {"row_key": getattr(row, key.name), **changes})
    for name, value in changes.items():
        set_committed_value(row, name, value)


@lru_cache(maxsize=32)
def _updating(table: Table, names: tuple[str, ...]) -> Update:
    key = table.primary_key.columns[0]
    return update(table).where(key == bindparam("row_key")).values(
        {name: bindparam(name) for name in names})


def attach(session: Session, model: type[Row], values: Mapping[str, Any]) -> Row:
    """A row a Core statement read, every column of it, as the session's object: the one
    the session holds already, brought up to date, else a new one, without the ORM's
    loading machinery (several times the cost of the statement). Later changes are the
    session's as usual."""
    key = session.identity_key(model, values[table_of(model).primary_key.columns[0].name])
    held = session.identity_map.get(key)
    if held is not None:
        for name, value in values.items():
            set_committed_value(held, name, value)
        return held
    row = new_row(model, **values)
    _hand_over(session, row)
    return row


def attach_joined(session: Session, row: Sequence[Any],
                  *models: type[SQLModel]) -> tuple[Any, ...]:
    """A row of a Core statement that read every column of each of ``models`` in turn (a
    join), as the session's objects (``attach``): None for a model an outer join found no
    row of."""
    objects, at = [], 0
    for model in models:
        columns = table_of(model).columns
        values = dict(zip(columns.keys(), row[at:at + len(columns)], strict=True))
        at += len(columns)
        found = values[table_of(model).primary_key.columns[0].name] is not None
        objects.append(attach(session, model, values) if found else None)
    return tuple(objects)


def _hand_over(session: Session, row: SQLModel) -> None:
    """Give the session a row that stands in the database as it stands in the object."""
    make_transient_to_detached(row)
    session.add(row)
