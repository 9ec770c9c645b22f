"""Nothing received is lost: what could not be handled before it was acknowledged is retried.

A platform is told "received" once a message is handled or, failing that, once it is in the
inbound journal (``storage.inbound``): handling that raised (a busy database, a bug) and
handling still running at WeChat's deadline. ``retry_due`` hands journalled messages to the
core again with backoff; one that keeps failing is parked and listed by
``whistle undelivered --inbound``. A message handled meanwhile is not handled twice: the core
de-duplicates by platform message id, in the transaction that handles it.
"""

from __future__ import annotations

import logging
from dataclasses import asdict
from datetime import datetime, timedelta

from sqlalchemy.engine import Engine
from sqlmodel import col, select

from handlers.chat.process import process_many
from handlers.messages import Incoming, Location
from handlers.rules.policy import Policy
from storage.db import transaction
from storage.inbound import InboundMessage, InboundStatus
from storage.leases import lease
from storage.models import stored_id

log = logging.getLogger(__name__)
MAX_ATTEMPTS = 10  # with the backoff, about half an hour of trying
MAX_BACKOFF = timedelta(minutes=10)
HOLD = timedelta(seconds=60)
"""How long a message whose handling is still running is left to it before a retry."""
BATCH = 50


def record(engine: Engine, incoming: Incoming, now: datetime, error: str = "") -> None:
    """Journal ``incoming``: failed with ``error``, or (no error) still being handled."""
    attempts = 1 if error else 0
    with transaction(engine) as session:
        session.add(InboundMessage(
            channel=incoming.channel, user_id=incoming.user_id, payload=asdict(incoming),
            attempts=attempts, last_error=error[:1000], received_at=now,
            next_attempt_at=now + (_backoff(attempts) if error else HOLD)))


def retry_due(engine: Engine, policy: Policy, now: datetime) -> int:
    """Hand the journalled messages that are due to the core again, as one batch
    (``process_many``); returns how many were handled. Rows are claimed first, so two
    processes never retry the same one at once."""
    claimed = _claim(engine, now)
    outcomes = process_many(engine, policy, [(incoming, now) for _, incoming in claimed])
    handled = 0
    for (row_id, _), outcome in zip(claimed, outcomes, strict=True):
        if isinstance(outcome, Exception):  # any failure is retried or parked
            log.warning("inbound #%s failed again: %r", row_id, outcome)
            _settle(engine, row_id, now, repr(outcome))
            continue
        _settle(engine, row_id, now)
        handled += 1
    return handled


def parked_lines(engine: Engine) -> list[str]:
    """One line per parked message, oldest first: who, when, why, and what it said."""
    with transaction(engine) as session:
        rows = session.exec(select(InboundMessage)
                            .where(InboundMessage.status == InboundStatus.PARKED)
                            .order_by(col(InboundMessage.id))).all()
        return [f"#{row.id} {row.channel}:{row.user_id} {row.received_at:%Y-%m-%d %H:%M} "
                f"failed {row.attempts}×: {row.last_error} | "
                f"{str(row.payload.get('text', ''))[:40]}" for row in rows]


def _claim(engine: Engine, now: datetime) -> list[tuple[int, Incoming]]:
    with transaction(engine) as session:
        rows = lease(session, InboundMessage, col(InboundMessage.status) == InboundStatus.PENDING,
                     col(InboundMessage.next_attempt_at) <= now, until=now + HOLD, limit=BATCH)
        return [(stored_id(row), _incoming(row.payload)) for row in rows]


def _settle(engine: Engine, row_id: int, now: datetime, error: str = "") -> None:
    with transaction(engine) as session:
        row = session.get_one(InboundMessage, row_id)
        if not error:
            row.status, row.handled_at = InboundStatus.HANDLED, now
        else:
            row.attempts += 1
            row.last_error = error[:1000]
            parked = row.attempts >= MAX_ATTEMPTS
            row.status = InboundStatus.PARKED if parked else InboundStatus.PENDING
            row.next_attempt_at = now + _backoff(row.attempts)
        session.add(row)


def _backoff(attempts: int) -> timedelta:
    return min(timedelta(seconds=2 ** (attempts + 1)), MAX_BACKOFF)


def _incoming(payload: dict) -> Incoming:
    location = payload.get("location")
    return Incoming(**{**payload, "location": Location(**location) if location else None})
