"""The outbox's rows as delivery takes them: claimed (leased) a batch at a time, their
leases renewed while their sends go on, and settled by each send's outcome (sent, to be
retried after a backoff, or parked undeliverable, with whoever was found unreachable told);
each a short transaction of its own (``bot.outbox`` sends them)."""

from __future__ import annotations

from datetime import datetime, timedelta

from sqlalchemy import update
from sqlalchemy.engine import Engine
from sqlmodel import Session, col, select

from handlers.chat.reach import UNREACHABLE_MARK, cannot_reach, group_lost
from handlers.context import outbox_rows
from handlers.messages import Button, Outgoing
from storage.db import transaction
from storage.leases import lease
from storage.messaging import OutboxMessage, OutboxStatus
from storage.models import Identity, stored_id

BATCH = 100
MAX_BACKOFF = timedelta(minutes=10)
# A claimed row whose worker died is sent again once its lease runs out; a live worker renews
# the leases of the rows still waiting in its hands, so a slow platform never causes a double.
LEASE = timedelta(seconds=30)


def as_outgoing(row: OutboxMessage) -> Outgoing:
    """The outbox row as the message a channel sends."""
    buttons = tuple(Button(b["label"], b["data"]) for b in row.buttons)
    return Outgoing(row.channel, row.text, to_chat=row.to_chat, to_user=row.to_user,
                    buttons=buttons, attachment=row.attachment, replaces=row.replaces)


def extend_leases(engine: Engine, row_ids: list[int], until: datetime) -> None:
    with transaction(engine) as session:
        session.execute(update(OutboxMessage)
                        .where(col(OutboxMessage.id).in_(row_ids),
                               col(OutboxMessage.status) == OutboxStatus.PENDING)
                        .values(next_attempt_at=until))


def claim(engine: Engine, channel: str, now: datetime) -> list[tuple[int, Outgoing]]:
    with transaction(engine) as session:
        rows = lease(session, OutboxMessage, col(OutboxMessage.channel) == channel,
                     col(OutboxMessage.status) == OutboxStatus.PENDING,
                     col(OutboxMessage.next_attempt_at) <= now,
                     until=now + LEASE, limit=BATCH)
        return [(stored_id(row), as_outgoing(row)) for row in rows]


def settle(engine: Engine, outcomes: list[tuple[int, Exception | None]], now: datetime,
            max_attempts: int) -> None:
    if not outcomes:
        return
    lost: dict[str, list[str]] = {}  # channel → users newly found unreachable
    with transaction(engine) as session:
        for row_id, error in outcomes:
            row = session.get(OutboxMessage, row_id)
            if row is None:
                raise LookupError(f"outbox message {row_id} vanished while being sent")
            if error is None:
                row.status, row.sent_at = OutboxStatus.SENT, now
            else:
                _failed(row, error, now, max_attempts)
                if getattr(error, "unreachable", False) and row.to_user is not None:
                    row.last_error = (UNREACHABLE_MARK + row.last_error)[:1000]
                    if _unreachable(session, row):
                        lost.setdefault(row.channel, []).append(row.to_user)
                elif getattr(error, "chat_gone", False) and row.to_chat is not None:
                    _queue(session, group_lost(session, row.channel, row.to_chat), now)
            session.add(row)
        for channel, users in lost.items():
            _queue(session, cannot_reach(session, channel, users), now)


def _queue(session: Session, notes: list[Outgoing], now: datetime) -> None:
    session.add_all(outbox_rows(notes, now))


def _unreachable(session: Session, row: OutboxMessage) -> bool:
    """A user who blocked the bot gets no more private messages until they write again.

    Returns:
        Whether they were reachable until now: the first failure asks them, in their
        community's group, to open a private chat (on Telegram most group members never
        have, and their messages would vanish unseen).
    """
    was_reachable = session.exec(select(Identity.id).where(
        Identity.channel == row.channel, Identity.user_id == row.to_user,
        col(Identity.unreachable).is_(False))).first() is not None
    session.execute(update(Identity).where(col(Identity.channel) == row.channel,
                                           col(Identity.user_id) == row.to_user)
                    .values(unreachable=True))
    return was_reachable


def _failed(row: OutboxMessage, error: Exception, now: datetime, max_attempts: int) -> None:
    row.attempts += 1
    row.last_error = str(error)[:1000]
    if getattr(error, "permanent", False) or row.attempts >= max_attempts:
        row.status = OutboxStatus.UNDELIVERABLE
        return
    row.next_attempt_at = now + min(timedelta(seconds=2**row.attempts), MAX_BACKOFF)
