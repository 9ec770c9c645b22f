"""Many ids as one parameter: ``column IN`` a list of thousands without a parameter each.

An expanding ``IN`` sends one parameter per id, and SQLAlchemy renders and converts each
of them in Python: for a sweep's tens of thousands of members that cost more than the
statements did. ``one_of`` passes the whole list as a single value instead: a JSON array
read by ``json_each`` on SQLite, an ``int[]`` compared with ``= ANY`` on PostgreSQL.
``one_of_rows`` is the same for ids a subquery selects (``IN (SELECT …)``).
"""

from __future__ import annotations

import json
from collections.abc import Collection
from typing import Any

from sqlalchemy import Boolean, ColumnElement, Integer, Select, String, bindparam
from sqlalchemy.dialects import postgresql
from sqlalchemy.engine import Dialect
from sqlalchemy.ext.compiler import compiles
from sqlalchemy.orm import Mapped
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
