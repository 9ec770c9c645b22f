"""Many ids as one parameter: ``column IN`` a list of thousands without a parameter each.

An expanding ``IN`` sends one parameter per id, and SQLAlchemy renders and converts each
of them in Python: for a sweep's tens of thousands of members that cost more than the
statements did. ``one_of`` passes the whole list as a single value instead: a JSON array
read by ``json_each`` on SQLite, an ``int[]`` compared with ``= ANY`` on PostgreSQL.
``one_of_rows`` is the same for ids a subquery selects (``IN (SELECT …)``), and ``listed``
passes whole rows the same way, as a table a statement selects from.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Collection, Mapping, Sequence
from typing import Any

from sqlalchemy import (
    CTE,
    Boolean,
    ColumnElement,
    Integer,
    Select,
    String,
    Subquery,
    bindparam,
    column,
    text,
    update,
)
from sqlalchemy.dialects import postgresql
from sqlalchemy.engine import Dialect
from sqlalchemy.ext.compiler import compiles
from sqlalchemy.orm import Mapped
from sqlalchemy.orm.attributes import set_committed_value
from sqlalchemy.sql import coercions, roles
from sqlalchemy.sql.compiler import SQLCompiler
from sqlalchemy.sql.visitors import InternalTraversal
from sqlalchemy.types import TypeDecorator, TypeEngine


class IdList(TypeDecorator[list[int]]):
    """A list of ids as one parameter: JSON text on SQLite, an integer array on PostgreSQL."""

    impl = String
    cache_ok = True

    def load_dialect_impl(self, dialect: Dialect) -> TypeEngine[Any]:
        if dialect.name == "postgresql":
            return dialect.type_descriptor(postgresql.ARRAY(Integer))
        return dialect.type_descriptor(String())

    def process_bind_param(self, value: Collection[int] | None, dialect: Dialect) -> Any:
        if value is None:
            return None
        ids = [int(v) for v in value]
        return ids if dialect.name == "postgresql" else json.dumps(ids)


class _OneOf(ColumnElement[bool]):
    """``column`` is one of the ids of a parameter of type ``IdList``."""

    inherit_cache = True
    type = Boolean()
    _is_implicitly_boolean = True  # a predicate: WHERE takes it as it stands, not ``= 1``
    _traverse_internals = [("column", InternalTraversal.dp_clauseelement),
                           ("ids", InternalTraversal.dp_clauseelement)]

    def __init__(self, column: ColumnElement[Any] | Mapped[Any], ids: ColumnElement[Any]
                 ) -> None:
        self.column = coercions.expect(roles.ExpressionElementRole, column)
        self.ids = ids


@compiles(_OneOf)
def _in_json(element: _OneOf, compiler: SQLCompiler, **kw: Any) -> str:
    return (f"{compiler.process(element.column, **kw)} IN "
            f"(SELECT value FROM json_each({compiler.process(element.ids, **kw)}))")


@compiles(_OneOf, "postgresql")
def _any(element: _OneOf, compiler: SQLCompiler, **kw: Any) -> str:
    return f"{compiler.process(element.column, **kw)} = ANY({compiler.process(element.ids, **kw)})"


def one_of(column: ColumnElement[Any] | Mapped[Any], ids: Collection[int]
           ) -> ColumnElement[bool]:
    """Whether ``column`` is one of ``ids``, however many: one parameter for them all."""
    return _OneOf(column, bindparam(None, list(ids), type_=IdList()))


class _OneOfRows(ColumnElement[bool]):
    """``column`` is one of the ids a subquery selects."""

    inherit_cache = True
    type = Boolean()
    _is_implicitly_boolean = True
    _traverse_internals = [("column", InternalTraversal.dp_clauseelement),
                           ("rows", InternalTraversal.dp_clauseelement)]

    def __init__(self, column: ColumnElement[Any] | Mapped[Any], rows: Select[Any]) -> None:
        self.column = coercions.expect(roles.ExpressionElementRole, column)
        self.rows = rows.scalar_subquery().correlate(None)


@compiles(_OneOfRows)
def _in_rows(element: _OneOfRows, compiler: SQLCompiler, **kw: Any) -> str:
    return f"{compiler.process(element.column, **kw)} IN {compiler.process(element.rows, **kw)}"


@compiles(_OneOfRows, "postgresql")
def _any_of_rows(element: _OneOfRows, compiler: SQLCompiler, **kw: Any) -> str:
    return (f"{compiler.process(element.column, **kw)} = "
            f"ANY(ARRAY{compiler.process(element.rows, **kw)})")


def one_of_rows(column: ColumnElement[Any] | Mapped[Any], rows: Select[Any]
                ) -> ColumnElement[bool]:
    """Whether ``column`` is one of the ids ``rows`` selects (one column).

    ``IN (SELECT …)`` on SQLite, which looks each id up. On PostgreSQL the ids are made an
    array first (``= ANY(ARRAY(SELECT …))``): for ``IN`` it plans a semi-join on its
    estimate of the rows matched, and for a few thousand members' running tallies among a
    city's it hashed them after reading every tally (30 ms a chunk of the boards, against
    2 ms looked up by the primary key)."""
    return _OneOfRows(column, rows)


_ARRAYS = {"int": "INTEGER[]", "text": "TEXT[]", "json": "JSON[]"}


def listed(dialect: str, name: str, columns: Mapping[str, str],
           rows: Sequence[Sequence[object]], *, looked_up: bool = False) -> Subquery | CTE:
    """Rows made in Python as a table to select from, so the database writes them out
    (``INSERT … SELECT``) without a parameter, or a Python conversion, for each value.

    On SQLite the rows are one parameter, a JSON array of arrays read by ``json_each``; on
    PostgreSQL each column is one array, ``unnest`` ed together. A column is ``int``,
    ``text`` or ``json`` (a JSON text, stored as it stands); ``n`` numbers the rows in the
    order given.

    Args:
        dialect: The database's dialect name.
        name: The table's name in the statement (and its parameters').
        columns: Each column's name and kind, in the rows' order.
        rows: The rows.
        looked_up: The rows are looked up once a row of another table (a few orders'
            texts joined to their members' accounts): read once into a table of their own
            (a ``MATERIALIZED`` WITH), since ``json_each`` parses its whole array at every
            scan.
    """
    names = list(columns)
    if dialect == "postgresql":
        arrays = ", ".join(f"CAST(:{name}_{i} AS {_ARRAYS[columns[c]]})"
                           for i, c in enumerate(names))
        sql = text(f"SELECT * FROM unnest({arrays}) WITH ORDINALITY "
                   f"AS {name}_rows({', '.join(names)}, n)").bindparams(
            *(bindparam(f"{name}_{i}", [row[i] for row in rows]) for i in range(len(names))))
    else:
        picked = ", ".join(f"value ->> {i} AS {c}" for i, c in enumerate(names))
        sql = text(f"SELECT {picked}, key AS n FROM json_each(:{name})").bindparams(
            bindparam(name, json.dumps([list(row) for row in rows], ensure_ascii=False)))
    table = sql.columns(*(column(c, Integer if columns[c] == "int" else String) for c in names),
                        column("n", Integer))
    return table.cte(name).prefix_with("MATERIALIZED") if looked_up else table.subquery(name)


def update_each(session: Any, rows: Sequence[Any], values: Mapping[str, Any],
                read_back: Mapping[str, Callable[[Any], Any]] | None = None) -> None:
    """Write ``values`` to the stored ``rows`` of one table in one UPDATE (a flush would write
    each row apart), the objects taking what it wrote as if read again: a value as given, or
    for one written as an SQL expression, what ``read_back`` works out for the row."""
    table = rows[0].__table__
    key = table.primary_key.columns[0]
    session.execute(update(table).where(one_of(key, [getattr(row, key.name) for row in rows]))
                    .values(dict(values)).execution_options(synchronize_session=False))
    worked_out = read_back or {}
    for row in rows:
        for name, value in values.items():
            set_committed_value(row, name, worked_out[name](row) if name in worked_out else value)
