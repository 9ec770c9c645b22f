"""Delivering the outbox: pending messages of one channel, with retries and backoff.

A channel supplies a ``Sender``; a raised ``DeliveryError`` with ``permanent=True`` (a user
who blocked the bot) stops retrying that message and marks a private message's recipient
unreachable (a group the bot was removed from is unbound and its admins told); any other
exception retries it later. With the default 20 attempts the backoff (2 s doubling to
10 min) keeps a message for about two hours of a platform's outage.
"""

from __future__ import annotations

import asyncio
import contextlib
import time
from collections.abc import Awaitable, Callable, Collection
from datetime import datetime, timedelta

from sqlalchemy import update
from sqlalchemy.engine import Engine
from sqlmodel import Session, col, select

from handlers.chat.reach import UNREACHABLE_MARK, cannot_reach, group_lost
from handlers.context import outbox_rows
from handlers.messages import Button, Outgoing
from storage.db import transaction
from storage.messaging import OutboxMessage, OutboxStatus
from storage.models import Identity, stored_id

Sender = Callable[[Outgoing], None]
AsyncSender = Callable[[Outgoing], Awaitable[None]]
BatchSender = Callable[[list[Outgoing]], Awaitable[list[Exception | None]]]
"""Sends many messages at once (WeCom: one call for many users); one outcome per message."""
BATCH = 100
MAX_BACKOFF = timedelta(minutes=10)
# A claimed row whose worker died is sent again once its lease runs out; a live worker renews
# the leases of the rows still waiting in its hands, so a slow platform never causes a double.
LEASE = timedelta(seconds=30)
RENEW_EVERY = LEASE.total_seconds() / 3


class DeliveryError(Exception):
    """A message could not be delivered; ``permanent`` means trying again will not help."""

    def __init__(self, message: str, *, permanent: bool = False,
                 unreachable: bool | None = None, chat_gone: bool = False) -> None:
        super().__init__(message)
        self.permanent = permanent
        self.unreachable = permanent if unreachable is None else unreachable
        """The recipient cannot get private messages (blocked, or never opened the chat);
        a permanent error about the message itself (malformed) is not about them."""
        self.chat_gone = chat_gone
        """The bot can no longer post in the group at all (removed from it)."""


def as_outgoing(row: OutboxMessage) -> Outgoing:
    """The outbox row as the message a channel sends."""
    buttons = tuple(Button(b["label"], b["data"]) for b in row.buttons)
    return Outgoing(row.channel, row.text, to_chat=row.to_chat, to_user=row.to_user,
                    buttons=buttons, attachment=row.attachment, replaces=row.replaces)


def deliver(engine: Engine, channel: str, send: Sender, now: datetime,
            max_attempts: int = 20) -> list[Outgoing]:
    """Send what is due for ``channel``, oldest first; returns what was sent.

    Rows are claimed (leased) in one short transaction. A sent row is settled in its own
    right after its send, so a worker killed mid-batch leaves at most the message in flight
    to be sent again; failures are settled together at the end, so everyone found
    unreachable in one round is named in one note. No database lock is held while a
    platform is slow to answer, and two workers delivering at once never send the same row.
    """
    claimed = _claim(engine, channel, now)
    outcomes: list[tuple[int, Exception | None]] = []
    for row_id, message in claimed:
        outcomes.append((row_id, _outcome(send, message)))
        if outcomes[-1][1] is None:
            _settle(engine, outcomes[-1:], now, max_attempts)
    _settle(engine, _failures(outcomes), now, max_attempts)
    return _delivered(claimed, outcomes)


async def deliver_async(engine: Engine, channel: str, send: AsyncSender, now: datetime,
                        max_attempts: int = 20, send_batch: BatchSender | None = None,
                        renew_every: float = RENEW_EVERY) -> list[Outgoing]:
    """``deliver`` for a channel whose client is asynchronous; the database work runs in a
    worker thread so the event loop never waits on a lock.

    With ``send_batch`` every claimed message goes to it at once and each row is settled
    by its own outcome. Otherwise chats are sent to side by side, each in order: a group
    broadcast paced to Telegram's 20 a minute must not hold up a private reply. Leases of
    the rows not yet settled are renewed every ``renew_every`` seconds.
    """
    claimed = await asyncio.to_thread(_claim, engine, channel, now)
    waiting = {row_id for row_id, _ in claimed}

    async def settle(outcomes: list[tuple[int, Exception | None]]) -> None:
        await asyncio.to_thread(_settle, engine, outcomes, now, max_attempts)
        waiting.difference_update(row_id for row_id, _ in outcomes)

    renewing = asyncio.create_task(_renew(engine, waiting, now, renew_every))
    try:
        if send_batch is not None and claimed:
            results = await _batch_outcomes(send_batch, [m for _, m in claimed])
            outcomes = list(zip([row_id for row_id, _ in claimed], results, strict=True))
            await settle(outcomes)
        else:
            outcomes = await _per_chat_outcomes(send, claimed, settle)
            await settle(_failures(outcomes))
    finally:
        renewing.cancel()
        with contextlib.suppress(asyncio.CancelledError):
            await renewing
    return _delivered(claimed, outcomes)


async def _renew(engine: Engine, waiting: Collection[int], now: datetime,
                 every: float) -> None:
    """Keep the leases of ``waiting`` rows ahead of the clock while their sends go on."""
    started = time.monotonic()
    while True:
        await asyncio.sleep(every)
        if waiting:
            until = now + timedelta(seconds=time.monotonic() - started) + LEASE
            await asyncio.to_thread(_extend_leases, engine, list(waiting), until)


def _extend_leases(engine: Engine, row_ids: list[int], until: datetime) -> None:
    with transaction(engine) as session:
        session.execute(update(OutboxMessage)
                        .where(col(OutboxMessage.id).in_(row_ids),
                               col(OutboxMessage.status) == OutboxStatus.PENDING)
                        .values(next_attempt_at=until))


async def _per_chat_outcomes(
        send: AsyncSender, claimed: list[tuple[int, Outgoing]],
        settle: Callable[[list[tuple[int, Exception | None]]], Awaitable[None]],
) -> list[tuple[int, Exception | None]]:
    by_chat: dict[tuple[str | None, str | None], list[int]] = {}
    for index, (_, message) in enumerate(claimed):
        by_chat.setdefault((message.to_chat, message.to_user), []).append(index)
    outcomes: list[tuple[int, Exception | None]] = [(row_id, None) for row_id, _ in claimed]

    async def in_order(indices: list[int]) -> None:
        for index in indices:
            row_id, message = claimed[index]
            outcomes[index] = (row_id, await _async_outcome(send, message))
            if outcomes[index][1] is None:
                await settle([outcomes[index]])

    await asyncio.gather(*(in_order(indices) for indices in by_chat.values()))
    return outcomes


async def _async_outcome(send: AsyncSender, message: Outgoing) -> Exception | None:
    try:
        await send(message)
    except Exception as error:  # noqa: BLE001  (any failure is retried or parked)
        return error
    return None


async def _batch_outcomes(send_batch: BatchSender,
                          messages: list[Outgoing]) -> list[Exception | None]:
    try:
        results = await send_batch(messages)
    except Exception as error:  # noqa: BLE001  (any failure is retried or parked)
        return [error] * len(messages)
    if len(results) != len(messages):
        return [RuntimeError("the batch sender lost count")] * len(messages)
    return list(results)


def _outcome(send: Sender, message: Outgoing) -> Exception | None:
    try:
        send(message)
    except Exception as error:  # noqa: BLE001  (any failure is retried or parked)
        return error
    return None


def _failures(outcomes: list[tuple[int, Exception | None]],
              ) -> list[tuple[int, Exception | None]]:
    return [(row_id, error) for row_id, error in outcomes if error is not None]


def _delivered(claimed: list[tuple[int, Outgoing]],
               outcomes: list[tuple[int, Exception | None]]) -> list[Outgoing]:
    return [message for (_, message), (_, error) in zip(claimed, outcomes, strict=True)
            if error is None]


def _claim(engine: Engine, channel: str, now: datetime) -> list[tuple[int, Outgoing]]:
    with transaction(engine) as session:
        rows = session.exec(
            select(OutboxMessage).where(OutboxMessage.channel == channel,
                                        OutboxMessage.status == OutboxStatus.PENDING,
                                        OutboxMessage.next_attempt_at <= now)
            .order_by(col(OutboxMessage.id)).limit(BATCH).with_for_update(skip_locked=True)
        ).all()
        for row in rows:
            row.next_attempt_at = now + LEASE
            session.add(row)
        return [(stored_id(row), as_outgoing(row)) for row in rows]


def _settle(engine: Engine, outcomes: list[tuple[int, Exception | None]], now: datetime,
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
