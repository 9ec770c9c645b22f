"""Retention: rows that only served delivery and de-duplication do not pile up for ever.

Delivered outbox messages, handled inbound-journal entries and the ids of messages seen are
deleted once older than the retention (``WHISTLE_RETENTION_DAYS``). What reports and audits
need stays: orders and their history, ratings, check-ins, points, the notices once sent.
Undeliverable messages and parked inbound ones stay too, until the office has seen them.
"""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy import ColumnElement, delete, select
from sqlalchemy.orm import Mapped
from sqlmodel import SQLModel, col

from handlers.context import Context
from storage.inbound import InboundMessage, InboundStatus
from storage.messaging import InboundSeen, OutboxMessage, OutboxStatus

PURGE_EVERY = timedelta(hours=1)
CHUNK = 5000
"""Rows of each kind deleted at most per run: the write lock stays short, and a backlog
(the first run on an old database) goes in a few hours of runs."""


def purge(ctx: Context) -> None:
    """Delete, up to ``CHUNK`` of each kind, what has outlived the retention."""
    before = ctx.now - ctx.policy.retention
    expired: tuple[tuple[type[SQLModel], Mapped[int | None], ColumnElement[bool]], ...] = (
        (OutboxMessage, col(OutboxMessage.id),
         (col(OutboxMessage.status) == OutboxStatus.SENT) & (col(OutboxMessage.sent_at) < before)),
        (InboundMessage, col(InboundMessage.id),
         (col(InboundMessage.status) == InboundStatus.HANDLED)
         & (col(InboundMessage.handled_at) < before)),
        (InboundSeen, col(InboundSeen.id), col(InboundSeen.at) < before),
    )
    for table, key, old in expired:
        oldest = select(key).where(old).limit(CHUNK).scalar_subquery()
        ctx.session.execute(delete(table).where(key.in_(oldest)))
