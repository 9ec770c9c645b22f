"""When each account last wrote, and the messages that waited for it to write again.

WeChat lets an Official Account push customer-service messages only within 48 hours of the
user's last message (the 48 h window). A channel parks a message it may not push with
``WINDOW_CLOSED`` in its error; the user's next message puts those rows back in the queue.
"""

from __future__ import annotations

from datetime import datetime

from sqlmodel import Session, col, select

from storage.models import Identity, OutboxMessage, OutboxStatus

WINDOW_CLOSED = "reply window closed"
"""The start of ``OutboxMessage.last_error`` for a message parked until the user writes."""


def saw(session: Session, channel: str, user_id: str, now: datetime) -> None:
    """Record that the account wrote just now and requeue what waited for that."""
    found = session.exec(select(Identity).where(Identity.channel == channel,
                                                Identity.user_id == user_id)).first()
    if found is not None:
        found.last_seen_at = now
        session.add(found)
    parked = session.exec(select(OutboxMessage).where(
        OutboxMessage.channel == channel, OutboxMessage.to_user == user_id,
        OutboxMessage.status == OutboxStatus.UNDELIVERABLE,
        col(OutboxMessage.last_error).startswith(WINDOW_CLOSED))).all()
    for row in parked:
        row.status, row.next_attempt_at, row.attempts = OutboxStatus.PENDING, now, 0
        session.add(row)


def last_seen(session: Session, channel: str, user_id: str) -> datetime | None:
    """When the account last wrote, or None if it never has."""
    return session.exec(select(Identity.last_seen_at).where(
        Identity.channel == channel, Identity.user_id == user_id)).first()
