"""Rows on the hot path without the ORM's unit of work: Core statements on the session's
connection, row objects built, written, changed and taken in at once.

The session's unit of work (flush, identity map, per-attribute events) costs several times
the statements it sends; on the inbound path that was most of a message's time. These
helpers keep the session's view true (every object it holds stands as the database has
it), so later changes go through the session as usual.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import date, datetime, timedelta
from enum import Enum
from functools import cache, lru_cache
from typing import Any, TypeVar

from pydantic.fields import FieldInfo
from sqlalchemy import Insert, Table, Update, bindparam, insert, update
from sqlalchemy.engine import Connection
from sqlalchemy.orm import make_transient_to_detached
from sqlalchemy.orm.attributes import set_committed_value
from sqlmodel import Session, SQLModel


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
def _inserting(table: Table) -> Insert:
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
    names, key = written(table)
    # Read and set in the object's dictionary: through the attributes each value passes
    # the ORM's events, and the row is not the session's yet.
    held = row.__dict__
    values = {name: held.get(name) for name in names}
    held[key] = core(session).execute(_inserting(table), values).scalar_one()
    hand_over(session, row)


@lru_cache(maxsize=32)
def written(table: Table) -> tuple[tuple[str, ...], str]:
    """The columns an INSERT of a new row writes, and its generated key."""
    return (tuple(c.name for c in table.columns if not c.primary_key),
            table.primary_key.columns[0].name)


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
    hand_over(session, row)
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


def hand_over(session: Session, row: SQLModel) -> None:
    """Give the session a row that stands in the database as it stands in the object."""
    make_transient_to_detached(row)
    session.add(row)
