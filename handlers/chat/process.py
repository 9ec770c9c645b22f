"""One incoming message, one transaction: de-duplicate, route, queue the replies, commit."""

from __future__ import annotations

from datetime import datetime
from functools import cache

from sqlalchemy import bindparam
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.engine import Engine
from sqlalchemy.exc import IntegrityError
from sqlalchemy.sql.expression import Executable
from sqlmodel import Session

from handlers.chat import router
from handlers.chat.presence import arrived
from handlers.chat.request import Request
from handlers.context import Context
from handlers.errors import WorkflowError
from handlers.messages import Incoming, Outgoing
from handlers.rules.policy import Policy
from storage.db import transaction
from storage.models import Identity, InboundSeen
from storage.rows import core, table_of

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
            if not _first_copy(session, incoming, now):
                return False
            # A group's move is the platform's doing, not a word from its sender.
            sender = None if incoming.moved_to else arrived(session, incoming, now)
            ctx = Context(session, policy, now, pending=[])
            ctx.queue(router.handle(ctx, incoming, sender=sender))
            ctx.flush_outbox()
        return True
    except WorkflowError as refusal:
        with transaction(engine) as session:
            if not _first_copy(session, incoming, now):
                return False
            ctx = Context(session, policy, now)
            ctx.queue(_refused(incoming, arrived(session, incoming, now), refusal))
        return True


def _refused(incoming: Incoming, sender: Identity, refusal: WorkflowError) -> list[Outgoing]:
    req = Request(incoming, sender)
    # A late press on a group's whistle concerns the presser alone; twenty of them
    # ("名额已满") would bury the group's own conversation.
    return req.tell(str(refusal)) if incoming.button else req.reply(str(refusal))


def _first_copy(session: Session, incoming: Incoming, now: datetime) -> bool:
    """Record the message id; False when it was recorded before (WeChat retries a callback
    three times). The unique key decides, so two copies at once cannot both pass."""
    if not incoming.message_id:
        return True
    connection = core(session)
    first = _first(connection.dialect.name)
    return connection.execute(first, {"channel": incoming.channel, "chat": incoming.chat_id,
                                      "message": incoming.message_id, "at": now}
                              ).first() is not None


@cache
def _first(dialect: str) -> Executable:
    """The de-duplicating INSERT, built once: building a statement costs more than running
    it."""
    seen = table_of(InboundSeen)
    return (postgresql.insert if dialect == "postgresql" else sqlite.insert)(seen).values(
        channel=bindparam("channel"), chat_id=bindparam("chat"),
        message_id=bindparam("message"), at=bindparam("at")
    ).on_conflict_do_nothing(index_elements=["channel", "chat_id", "message_id"]).returning(
        seen.c.id)
