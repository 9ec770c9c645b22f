"""A new row written with what points at it, in one statement on PostgreSQL: a new
resident with the account that links to it, a new order with its first history row. The
INSERT is a data-modifying WITH of the other statement; SQLite, which has no such WITH,
takes two (``storage.rows``' plain writes)."""

from __future__ import annotations

from collections.abc import Mapping
from functools import lru_cache
from typing import Any

from sqlalchemy import CTE, Insert, Table, Update, bindparam, insert, select, update
from sqlalchemy.orm.attributes import set_committed_value
from sqlmodel import Session, SQLModel

from storage.rows import core, hand_over, insert_row, table_of, update_row, written


def insert_linked(session: Session, row: SQLModel, holder: SQLModel, column: str) -> None:
    """``insert_row``, and ``holder``'s ``column`` pointed at the new row (``update_row``):
    on PostgreSQL in one statement, the INSERT a data-modifying WITH of the UPDATE; on
    SQLite, which has no such WITH, in two. Only for a new row, of a table with one
    generated integer key, and a holder the session holds."""
    if core(session).dialect.name != "postgresql":
        insert_row(session, row)
        update_row(session, holder, **{column: _key_of(row)})
        return
    holders = table_of(type(holder))
    key = _written_within(session, row, _linking(table_of(type(row)), holders, column),
                          {"row_key": getattr(holder, holders.primary_key.columns[0].name)})
    set_committed_value(holder, column, key)


def insert_with(session: Session, row: SQLModel, child: Table, column: str,
                values: Mapping[str, Any]) -> None:
    """``insert_row``, and a row of ``child`` whose ``column`` is the new row's key, its
    other columns ``values`` (a history row of a new order): on PostgreSQL in one
    statement, the INSERT a data-modifying WITH of the child's; on SQLite, which has no such
    WITH, in two. Only for a new row, of a table with one generated integer key; the child
    row is not the session's."""
    connection = core(session)
    if connection.dialect.name != "postgresql" or row in session:
        insert_row(session, row)
        connection.execute(_inserting_plain(child), {**values, column: _key_of(row)})
        return
    _written_within(session, row, _with_child(table_of(type(row)), child, column, tuple(values)),
                    {f"child_{name}": value for name, value in values.items()})


def _key_of(row: SQLModel) -> Any:
    """The generated key of a row written already."""
    return getattr(row, written(table_of(type(row)))[1])


def _written_within(session: Session, row: SQLModel, statement: Insert | Update,
                    params: Mapping[str, Any]) -> Any:
    """Write the new ``row`` inside ``statement`` (built on ``_made``), with ``params`` of
    its own, and hand it to the session with its key, which is returned."""
    names, key = written(table_of(type(row)))
    values = {f"new_{name}": row.__dict__.get(name) for name in names}
    row.__dict__[key] = core(session).execute(statement, {**values, **params}).scalar_one()
    hand_over(session, row)
    return row.__dict__[key]


def _made(table: Table) -> CTE:
    """The INSERT of a new row as a data-modifying WITH, returning its key."""
    names, key = written(table)
    return insert(table).values({name: bindparam(f"new_{name}") for name in names}).returning(
        table.c[key]).cte("made")


@lru_cache(maxsize=8)
def _linking(table: Table, holders: Table, column: str) -> Update:
    key = written(table)[1]
    made = _made(table)
    return update(holders).where(holders.primary_key.columns[0] == bindparam("row_key")).values(
        {column: select(made.c[key]).scalar_subquery()}).returning(holders.c[column])


@lru_cache(maxsize=32)
def _inserting_plain(table: Table) -> Insert:
    return insert(table)


@lru_cache(maxsize=8)
def _with_child(table: Table, child: Table, column: str, names: tuple[str, ...]) -> Insert:
    key = written(table)[1]
    made = _made(table)
    columns = [made.c[key].label(column)] + [
        bindparam(f"child_{name}", type_=child.c[name].type).label(name) for name in names]
    return insert(child).from_select([column, *names], select(*columns)).returning(
        child.c[column])
