"""Delivering the outbox: pending messages of one channel, with retries and backoff.

A channel supplies a ``Sender``; a raised ``DeliveryError`` with ``permanent=True`` (a user
who blocked the bot) stops retrying that message, any other exception retries it later.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime, timedelta

from sqlalchemy.engine import Engine
from sqlmodel import col, select

from handlers.messages import Button, Outgoing
from storage.db import transaction
from storage.models import OutboxMessage

Sender = Callable[[Outgoing], None]
BATCH = 100
MAX_BACKOFF = timedelta(minutes=10)


class DeliveryError(Exception):
    """A message could not be delivered; ``permanent`` means trying again will not help."""

    def __init__(self, message: str, *, permanent: bool = False) -> None:
        super().__init__(message)
        self.permanent = permanent


def as_outgoing(row: OutboxMessage) -> Outgoing:
    """The outbox row as the message a channel sends."""
    buttons = tuple(Button(b["label"], b["data"]) for b in row.buttons)
    return Outgoing(row.channel, row.text, to_chat=row.to_chat, to_user=row.to_user,
                    buttons=buttons)


def deliver(engine: Engine, channel: str, send: Sender, now: datetime,
            max_attempts: int = 20) -> list[Outgoing]:
    """Send what is due for ``channel``, oldest first; returns what was sent."""
    with transaction(engine) as session:
        rows = session.exec(
            select(OutboxMessage).where(OutboxMessage.channel == channel,
                                        OutboxMessage.status == "pending",
                                        OutboxMessage.next_attempt_at <= now)
            .order_by(col(OutboxMessage.id)).limit(BATCH)
        ).all()
        sent = []
        for row in rows:
            message = as_outgoing(row)
            try:
                send(message)
            except Exception as error:  # noqa: BLE001  (any failure is retried or parked)
                _failed(row, error, now, max_attempts)
            else:
                row.status, row.sent_at = "sent", now
                sent.append(message)
            session.add(row)
    return sent


def _failed(row: OutboxMessage, error: Exception, now: datetime, max_attempts: int) -> None:
    row.attempts += 1
    row.last_error = str(error)[:1000]
    if getattr(error, "permanent", False) or row.attempts >= max_attempts:
        row.status = "undeliverable"
        return
    row.next_attempt_at = now + min(timedelta(seconds=2**row.attempts), MAX_BACKOFF)
