"""What every table module builds its columns with, and a stored row's key."""

from __future__ import annotations

from enum import StrEnum
from typing import Any, Protocol

from sqlalchemy import JSON, Column, Enum
from sqlmodel import Field


def stored_as_text(enum: type[StrEnum], length: int) -> Enum:
    """A column type holding ``enum``'s values as plain VARCHAR(``length``).

    No native database enum and no CHECK constraint, so the schema stays what the
    migrations built and adding a state needs no migration; rows read back as members.
    """
    return Enum(enum, native_enum=False, create_constraint=False, length=length,
                values_callable=lambda members: [member.value for member in members])


def json_field(empty: list | dict) -> Any:
    """A JSON column whose default is ``empty``, which pydantic copies for each row. Not a
    ``default_factory``: pydantic inspects a factory's signature on every construction, and
    for ``list`` that costs more than the rest of building an order."""
    return Field(default=empty, sa_column=Column(JSON, nullable=False))


class _Keyed(Protocol):
    @property
    def id(self) -> int | None: ...


def stored_id(row: _Keyed) -> int:
    """The primary key of a row read from the database or flushed to it.

    Raises:
        ValueError: The row is new and not flushed yet, so it has no key.
    """
    if row.id is None:
        raise ValueError(f"{type(row).__name__} has no id until it is flushed")
    return row.id
