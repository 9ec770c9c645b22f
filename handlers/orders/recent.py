"""The duplicate candidates of a batch's needs (``handlers.chat.process.process_many``), read
once a community and kept up to date in memory: each need of a burst would otherwise read
the same 200 recent orders again, the dearest part of filing it.

What a need is given is exactly what ``matching.candidates`` would read at that moment: the
read is kept only while the transaction writes no order but the batch's new needs, which are
added as they are filed (any other INSERT, UPDATE or DELETE touching orders, the
session's flushes included, drops every read); a later need's window is applied to the
kept rows by their filing time as SQLite compares it (the stored text), and when the window
or the newer needs leave fewer rows than the limit while older ones were left out of the
read, the orders are read again. SQLite only: its write transaction sees no other writer's
commits, while PostgreSQL's statements each see the latest ones.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import datetime
from functools import lru_cache
from typing import Any

from sqlalchemy import event
from sqlalchemy.engine import Connection, Dialect
from sqlmodel import Session

from handlers.orders import states
from handlers.orders.matching import CANDIDATES, Candidate
from storage.models import Order
from storage.rows import core, table_of

_BATCH = "whistle.recent_orders"

Key = tuple[int, bool, str | None]
"""What a read was for: community, whether on a duty, the duty."""

Dated = tuple[int, str, int | None, float | None, float | None, str, str, str]
"""A ``Candidate`` with its filing time as stored (SQLite's text), by which SQL compares."""


@dataclass
class _Read:
    rows: list[Dated]  # newest first
    whole: bool  # fewer than CANDIDATES: no older order of the window was left out
    since: str  # the window's start it was read with


@dataclass
class Batch:
    """The reads kept for one batch's transaction.

    Attributes:
        reads: What was read for each key, while still right.
        filing: Set while a need of the batch is written: its own INSERTs keep the reads.
    """

    reads: dict[Key, _Read] = field(default_factory=dict)
    filing: bool = False

    def written(self, _conn: Connection, _cursor: object, statement: str, *_args: Any) -> None:
        """Cursor hook: a statement that may write orders drops every read."""
        if not self.filing and not statement.startswith("SELECT") and "orders" in statement:
            self.reads.clear()


def keep(session: Session) -> None:
    """Keep the duplicate candidates read in this transaction for the batch's later needs;
    on SQLite only (see the module's docstring)."""
    connection = core(session)
    if connection.dialect.name != "sqlite":
        return
    batch = Batch()
    event.listen(connection, "before_cursor_execute", batch.written)
    session.info[_BATCH] = batch


def of(session: Session) -> Batch | None:
    """The batch's kept reads, if the transaction keeps them."""
    return session.info.get(_BATCH)


def stored_time(connection: Connection) -> Callable[[datetime], str]:
    """A time as the database stores and compares ``orders.created_at``."""
    return _stored_time(connection.dialect)


@lru_cache(maxsize=4)
def _stored_time(dialect: Dialect) -> Callable[[datetime], str]:
    process = table_of(Order).c.created_at.type.dialect_impl(dialect).bind_processor(dialect)
    assert process is not None
    return process


def kept(batch: Batch, key: Key, since: str) -> list[Candidate] | None:
    """The candidates for ``key`` filed at ``since`` or later, newest first, as a read now
    would return them; None when they must be read."""
    read = batch.reads.get(key)
    if read is None or since < read.since:
        return None
    rows = [row for row in read.rows if row[7] >= since][:CANDIDATES]
    if len(rows) < CANDIDATES and not read.whole:
        return None
    return [row[:7] for row in rows]


def store(batch: Batch, key: Key, since: str, rows: Sequence[Dated]) -> None:
    """Keep what was read for ``key`` at ``since`` (newest first)."""
    batch.reads[key] = _Read(list(rows), len(rows) < CANDIDATES, since)


@contextmanager
def filing(session: Session, order: Order) -> Iterator[None]:
    """Around writing the new ``order`` (and its history): the reads it fits take it in."""
    batch = of(session)
    if batch is None:
        yield
        return
    session.flush()  # what else the session holds is written, and counted, before
    batch.filing = True
    try:
        yield
    finally:
        batch.filing = False
    _take_in(batch, order, stored_time(core(session)))


def _take_in(batch: Batch, order: Order, stored: Callable[[datetime], str]) -> None:
    if order.id is None or order.created_at is None or order.status not in states.MERGE_TARGETS:
        batch.reads.clear()
        return
    row: Dated = (order.id, order.text, order.building_id, order.lat, order.lon, order.place,
                  order.address, stored(order.created_at))
    for (community, on_duty, duty), read in batch.reads.items():
        if community == order.community_id and (
                not on_duty or order.duty is None or order.duty == duty):
            read.rows.insert(0, row)  # newest first: a new order's id is the highest
