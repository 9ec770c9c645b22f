"""One incoming message, one transaction: de-duplicate, route, queue the replies, commit;
or a batch of messages that arrived together, in one transaction."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime

from sqlalchemy.engine import Engine
from sqlalchemy.exc import IntegrityError
from sqlmodel import Session

from handlers.chat import router
from handlers.chat.presence import arrived, arrived_once, first_copies, first_copy
from handlers.chat.request import Request
from handlers.context import Context
from handlers.errors import WorkflowError
from handlers.messages import Incoming, Outgoing
from handlers.orders import recent
from handlers.queued import Queued, write_at
from handlers.rules.policy import Policy
from storage.db import transaction
from storage.models import Identity

ATTEMPTS = 3


def process(engine: Engine, policy: Policy, incoming: Incoming, now: datetime) -> bool:
    """Handle one incoming message; everything it causes lands in the outbox atomically.

    A refusal rolls back whatever the handler had changed and queues only the refusal.
    A unique-constraint clash (one member pressing twice at once) is retried in a fresh
    transaction, which then sees what the other one committed.

    Returns:
        False when the message was a duplicate already handled, else True.
    """
    for attempt in range(1, ATTEMPTS + 1):
        try:
            return _once(engine, policy, incoming, now)
        except IntegrityError:
            if attempt == ATTEMPTS:
                raise
    raise AssertionError("unreachable: the last attempt returns or raises")


Handled = bool | Exception
"""What became of a message of a batch: True handled, False a copy handled before, or the
exception its handling raised (for the caller to journal)."""


def process_many(engine: Engine, policy: Policy,
                 items: Sequence[tuple[Incoming, datetime]]) -> list[Handled]:
    """Handle messages that arrived together (a busy group, a burst) in one transaction:
    the commit, a good part of a message's cost, is paid once, and their replies go to
    the outbox in one INSERT. Each message is routed in its own ``Context``, in the order
    given, so one sender's messages keep theirs, and a copy of one earlier in the batch is
    handled once (its id is recorded already: ``presence.first_copies``).

    Should a message raise (a refusal, a unique-key clash, a bug), the batch is rolled
    back and handled again as the ones before it together, that one alone by
    ``process``, with a refusal's exact outcome, and the ones after together: every
    message ends as it would had each been handled alone, in order. What the commit
    itself raises sends every message through ``process`` alone.

    Returns:
        Each message's outcome, in the order given.
    """
    if len(items) <= 1:
        return [_alone(engine, policy, incoming, now) for incoming, now in items]
    try:
        return _together(engine, policy, items)
    except _Stumbled as stumble:
        at = stumble.at
        return [*process_many(engine, policy, items[:at]),
                _alone(engine, policy, *items[at]),
                *process_many(engine, policy, items[at + 1:])]
    except Exception:  # noqa: BLE001  (each message alone says whose it was)
        return [_alone(engine, policy, incoming, now) for incoming, now in items]


class _Stumbled(Exception):
    """The message at ``at`` of a batch raised; the batch was rolled back."""

    def __init__(self, at: int) -> None:
        super().__init__(at)
        self.at = at


def _together(engine: Engine, policy: Policy,
              items: Sequence[tuple[Incoming, datetime]]) -> list[Handled]:
    with transaction(engine) as session:
        pending: list[tuple[Queued, datetime]] = []
        handled: list[Handled] = []
        recent.keep(session)
        # PostgreSQL records each id in the statement that marks its sender seen; SQLite
        # would spend a statement a message on it, so the batch's ids go in one.
        firsts = first_copies(session, items) if engine.dialect.name == "sqlite" else None
        for at, (incoming, now) in enumerate(items):
            try:
                handled.append(_handle(session, policy, incoming, now, pending,
                                       firsts[at] if firsts is not None else None))
            except Exception as error:
                raise _Stumbled(at) from error
        write_at(session, pending)
    return handled


def _alone(engine: Engine, policy: Policy, incoming: Incoming, now: datetime) -> Handled:
    try:
        return process(engine, policy, incoming, now)
    except Exception as error:  # noqa: BLE001  (the caller journals it)
        return error


def _once(engine: Engine, policy: Policy, incoming: Incoming, now: datetime) -> bool:
    # A refusal undoes the whole transaction and a second one records only the refusal:
    # cheaper than a savepoint around every message, as refusals are the rare case.
    try:
        with transaction(engine) as session:
            pending: list[tuple[Queued, datetime]] = []
            handled = _handle(session, policy, incoming, now, pending)
            write_at(session, pending)
        return handled
    except WorkflowError as refusal:
        with transaction(engine) as session:
            sender = arrived_once(session, incoming, now)
            if sender is None:
                return False
            ctx = Context(session, policy, now)
            ctx.queue(_refused(incoming, sender, refusal))
        return True


def _handle(session: Session, policy: Policy, incoming: Incoming, now: datetime,
            pending: list[tuple[Queued, datetime]], first: bool | None = None) -> bool:
    """Route one message in the open transaction, its replies collected in ``pending``;
    False for a copy handled before. ``first``: whether it is the first copy, when the
    caller recorded its id already (``presence.first_copies``)."""
    if first is False:
        return False
    # A group's move is the platform's doing, not a word from its sender.
    if incoming.moved_to:
        if first is None and not first_copy(session, incoming, now):
            return False
        sender = None
    else:
        sender = arrived(session, incoming, now) if first else arrived_once(
            session, incoming, now)
        if sender is None:
            return False
    ctx = Context(session, policy, now, pending=pending)
    ctx.queue(router.handle(ctx, incoming, sender=sender))
    return True


def _refused(incoming: Incoming, sender: Identity, refusal: WorkflowError) -> list[Outgoing]:
    req = Request(incoming, sender)
    # A late press on a group's whistle concerns the presser alone; twenty of them
    # ("名额已满") would bury the group's own conversation.
    return req.tell(str(refusal)) if incoming.button else req.reply(str(refusal))
