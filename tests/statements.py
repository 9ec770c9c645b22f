"""Counting the SQL statements a piece of work sends to the database."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field

from sqlalchemy import event
from sqlalchemy.engine import Engine

# What a transaction's edges cost the driver, not the unit of work: SQLite's BEGIN
# IMMEDIATE (storage/db.py) and savepoints are counted, the commit is not a cursor call.


@dataclass
class Statements:
    """The SQL statements sent while counting, in order.

    Attributes:
        sent: Each statement's text, one entry per execution (a bulk insert of many rows
            through executemany is one).
    """

    sent: list[str] = field(default_factory=list)

    def __len__(self) -> int:
        return len(self.sent)

    def listing(self) -> str:
        """The statements, numbered, one per line: what a failing count shows."""
        return "\n".join(f"{n:2}. {' '.join(s.split())[:160]}"
                         for n, s in enumerate(self.sent, 1))


@contextmanager
def counting(engine: Engine) -> Iterator[Statements]:
    """Record every statement ``engine`` executes inside the ``with`` block."""
    statements = Statements()

    def record(_conn: object, _cursor: object, statement: str, *_rest: object) -> None:
        statements.sent.append(statement)

    event.listen(engine, "before_cursor_execute", record)
    try:
        yield statements
    finally:
        event.remove(engine, "before_cursor_execute", record)
