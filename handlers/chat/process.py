"""One incoming message, one transaction: de-duplicate, route, queue the replies, commit."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy.engine import Engine
from sqlalchemy.exc import IntegrityError
from sqlmodel import col, select

from handlers.chat import router
from handlers.chat.presence import saw
from handlers.chat.request import Request
from handlers.context import Context
from handlers.errors import WorkflowError
from handlers.messages import Incoming, Outgoing
from handlers.people import identity
from handlers.rules.policy import Policy
from storage.db import transaction
from storage.models import InboundSeen

ATTEMPTS = 3


def process(engine: Engine, policy: Policy, incoming: Incoming, now: datetime) -> bool:
    """Handle one incoming message; everything it causes lands in the outbox atomically.

    A refusal rolls back whatever the handler had changed and queues only the refusal.
    A unique-constraint clash (two copies of one message, one member pressing twice at once)
    is retried in a fresh transaction, which then sees what the other one committed.

    Returns:
        False when the message was a duplicate already handled, else True.
    """
    for attempt in range(1, ATTEMPTS + 1):
        try:
            with transaction(engine) as session:
                ctx = Context(session, policy, now)
                if incoming.message_id and _seen(ctx, incoming, incoming.message_id):
                    return False
                ctx.queue(_answer(ctx, incoming))
                saw(ctx.session, incoming.channel, incoming.user_id, now)
            return True
        except IntegrityError:
            if attempt == ATTEMPTS:
                raise
    raise AssertionError("unreachable: the last attempt returns or raises")


def _answer(ctx: Context, incoming: Incoming) -> list[Outgoing]:
    try:
        with ctx.session.begin_nested():
            return router.handle(ctx, incoming)
    except WorkflowError as refusal:
        sender = identity(ctx.session, incoming.channel, incoming.user_id, incoming.display_name,
                          not incoming.is_group)
        req = Request(incoming, sender)
        # A late press on a group's whistle concerns the presser alone; twenty of them
        # ("名额已满") would bury the group's own conversation.
        return req.tell(str(refusal)) if incoming.button else req.reply(str(refusal))


def _seen(ctx: Context, incoming: Incoming, message_id: str) -> bool:
    found = ctx.session.exec(select(InboundSeen.id).where(
        col(InboundSeen.channel) == incoming.channel, col(InboundSeen.chat_id) == incoming.chat_id,
        col(InboundSeen.message_id) == message_id)).first()
    if found is not None:
        return True
    ctx.session.add(InboundSeen(channel=incoming.channel, chat_id=incoming.chat_id,
                                message_id=message_id, at=ctx.now))
    ctx.session.flush()
    return False
