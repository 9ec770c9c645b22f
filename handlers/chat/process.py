"""One incoming message, one transaction: de-duplicate, route, queue the replies, commit."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy.engine import Engine
from sqlalchemy.exc import IntegrityError

from handlers.chat import router
from handlers.chat.presence import arrived_once, first_copy
from handlers.chat.request import Request
from handlers.context import Context
from handlers.errors import WorkflowError
from handlers.messages import Incoming, Outgoing
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


def _once(engine: Engine, policy: Policy, incoming: Incoming, now: datetime) -> bool:
    # A refusal undoes the whole transaction and a second one records only the refusal:
    # cheaper than a savepoint around every message, as refusals are the rare case.
    try:
        with transaction(engine) as session:
            # A group's move is the platform's doing, not a word from its sender.
            if incoming.moved_to:
                if not first_copy(session, incoming, now):
                    return False
                sender = None
            else:
                sender = arrived_once(session, incoming, now)
                if sender is None:
                    return False
            ctx = Context(session, policy, now, pending=[])
            ctx.queue(router.handle(ctx, incoming, sender=sender))
            ctx.flush_outbox()
        return True
    except WorkflowError as refusal:
        with transaction(engine) as session:
            sender = arrived_once(session, incoming, now)
            if sender is None:
                return False
            ctx = Context(session, policy, now)
            ctx.queue(_refused(incoming, sender, refusal))
        return True


def _refused(incoming: Incoming, sender: Identity, refusal: WorkflowError) -> list[Outgoing]:
    req = Request(incoming, sender)
    # A late press on a group's whistle concerns the presser alone; twenty of them
    # ("名额已满") would bury the group's own conversation.
    return req.tell(str(refusal)) if incoming.button else req.reply(str(refusal))
