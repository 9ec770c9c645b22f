"""Rows taken for a while (leased): a worker claims the oldest due rows that no other worker
holds and moves their next attempt past the lease, so rows whose worker dies are due again
once it runs out. Used by the outbox's senders and the inbound journal's retries."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import TypeVar

from sqlalchemy import ColumnElement, inspect, update
from sqlalchemy.orm.attributes import set_committed_value
from sqlmodel import Session, SQLModel, select

from storage.rows import table_of

Leased = TypeVar("Leased", bound=SQLModel)


def lease(session: Session, model: type[Leased], *where: ColumnElement[bool],
          until: datetime, limit: int) -> Sequence[Leased]:
    """The first ``limit`` rows of ``model`` matching ``where``, by id, skipping rows another
    transaction holds (``SKIP LOCKED`` on PostgreSQL), their ``next_attempt_at`` set to
    ``until`` in one UPDATE."""
    table = table_of(model)
    rows = session.exec(select(model).where(*where).order_by(table.c.id).limit(limit)
                        .with_for_update(skip_locked=True)).all()
    if rows:
        held = [inspect(row).identity[0] for row in rows]
        session.execute(update(table).where(table.c.id.in_(held)).values(next_attempt_at=until))
        for row in rows:  # the rows handed back say what was written
            set_committed_value(row, "next_attempt_at", until)
    return rows
