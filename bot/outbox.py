"""Delivering the outbox: pending messages of one channel, with retries and backoff.

A channel supplies a ``Sender``; a raised ``DeliveryError`` with ``permanent=True`` (a user
who blocked the bot) stops retrying that message and marks a private message's recipient
unreachable (a group the bot was removed from is unbound and its admins told); any other
exception retries it later. With the default 20 attempts the backoff (2 s doubling to
10 min) keeps a message for about two hours of a platform's outage. The rows are claimed and
settled in ``bot.outbox_rows``.
"""

from __future__ import annotations

import asyncio
import contextlib
import time
from collections.abc import Awaitable, Callable, Collection
from datetime import datetime, timedelta

from sqlalchemy.engine import Engine

from bot import outbox_rows as rows
from bot.outbox_rows import LEASE
from handlers.messages import Outgoing

Sender = Callable[[Outgoing], None]
AsyncSender = Callable[[Outgoing], Awaitable[None]]
BatchSender = Callable[[list[Outgoing]], Awaitable[list[Exception | None]]]
"""Sends many messages at once (WeCom: one call for many users); one outcome per message."""
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


def deliver(engine: Engine, channel: str, send: Sender, now: datetime,
            max_attempts: int = 20) -> list[Outgoing]:
    """Send what is due for ``channel``, oldest first; returns what was sent.

    Rows are claimed (leased) in one short transaction. A sent row is settled in its own
    right after its send, so a worker killed mid-batch leaves at most the message in flight
    to be sent again; failures are settled together at the end, so everyone found
    unreachable in one round is named in one note. No database lock is held while a
    platform is slow to answer, and two workers delivering at once never send the same row.
    """
    claimed = rows.claim(engine, channel, now)
    outcomes: list[tuple[int, Exception | None]] = []
    for row_id, message in claimed:
        outcomes.append((row_id, _outcome(send, message)))
        if outcomes[-1][1] is None:
            rows.settle(engine, outcomes[-1:], now, max_attempts)
    rows.settle(engine, _failures(outcomes), now, max_attempts)
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
    claimed = await asyncio.to_thread(rows.claim, engine, channel, now)
    waiting = {row_id for row_id, _ in claimed}

    async def settle(outcomes: list[tuple[int, Exception | None]]) -> None:
        await asyncio.to_thread(rows.settle, engine, outcomes, now, max_attempts)
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
            await asyncio.to_thread(rows.extend_leases, engine, list(waiting), until)


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
