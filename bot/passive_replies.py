"""Passive replies (被动回复): due private texts taken from the outbox to answer in the HTTP
response to a WeChat callback, given back should the response miss its deadline."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime

from sqlalchemy import update
from sqlalchemy.engine import Engine
from sqlmodel import col, select

from bot.outbox_rows import BATCH, as_outgoing
from handlers.messages import Outgoing
from storage.db import transaction
from storage.messaging import OutboxMessage, OutboxStatus
from storage.models import stored_id


def take_replies(engine: Engine, channel: str, to_user: str, now: datetime,
                 render: Callable[[Outgoing], str], limit_bytes: int) -> tuple[str, list[int]]:
    """Take the first due private texts for ``to_user`` to answer in an HTTP response.

    Rows are taken in order while they are plain texts and their rendered texts, joined by
    blank lines, fit ``limit_bytes``; they are marked sent. What is left (files, edits,
    the overflow) is delivered as usual. Returns the joined text, empty when none fits, and
    the ids taken, for ``give_back`` should the response miss its deadline.
    """
    with transaction(engine) as session:
        rows = session.exec(
            select(OutboxMessage).where(OutboxMessage.channel == channel,
                                        OutboxMessage.to_user == to_user,
                                        OutboxMessage.status == OutboxStatus.PENDING,
                                        OutboxMessage.next_attempt_at <= now)
            .order_by(col(OutboxMessage.id)).limit(BATCH).with_for_update(skip_locked=True)
        ).all()
        texts: list[str] = []
        taken: list[int] = []
        for row in rows:
            text = render(as_outgoing(row))
            if row.attachment or row.replaces or len(
                    "\n\n".join([*texts, text]).encode()) > limit_bytes:
                break
            texts.append(text)
            taken.append(stored_id(row))
            row.status, row.sent_at = OutboxStatus.SENT, now
            session.add(row)
        return "\n\n".join(texts), taken


def give_back(engine: Engine, row_ids: list[int]) -> None:
    """Return taken replies to the outbox: the response that was to carry them is too late."""
    if not row_ids:
        return
    with transaction(engine) as session:
        session.execute(update(OutboxMessage).where(col(OutboxMessage.id).in_(row_ids))
                        .values(status=OutboxStatus.PENDING, sent_at=None))
