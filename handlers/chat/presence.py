"""Who wrote just now: their identity, when they last wrote, and the messages that waited
for them to write again.

WeChat lets an Official Account push customer-service messages only within 48 hours of the
user's last message (the 48 h window). A channel parks a message it may not push with
``WINDOW_CLOSED`` in its error; the user's next message puts those rows back in the queue.
On Telegram a bot may not open a private chat: a private message it could not deliver is
marked ``UNREACHABLE_MARK``, and the person's next private message sends it again.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from functools import cache
from typing import Any

from sqlalchemy import ColumnElement, Insert, and_, bindparam, exists, false, or_, select, update
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.sql.expression import BindParameter, Executable
from sqlmodel import Session, col
from sqlmodel import select as model_select

from handlers import remembered
from handlers.chat.conversation import conversing, no_conversation
from handlers.chat.reach import RESEND_WITHIN, UNREACHABLE_MARK
from handlers.messages import Incoming
from handlers.people import NAME_CHARS
from storage.messaging import InboundSeen, OutboxMessage, OutboxStatus, parked
from storage.models import Identity
from storage.rows import attach, core, table_of

WINDOW_CLOSED = "reply window closed"
"""The start of ``OutboxMessage.last_error`` for a message parked until the user writes."""


def arrived(session: Session, incoming: Incoming, now: datetime) -> Identity:
    """The sender's identity, created on first sight and marked seen now, in one statement;
    and what waited for them to write, queued again in a second, when anything waits.

    The display name is kept up to date. Whoever writes privately has unblocked the bot:
    messages reach them again (writing in a group shows no such thing; on Telegram they may
    never have opened a private chat). The same statement tells whether a message of theirs
    is parked and whether a conversation of theirs is under way, so that most messages,
    with neither, cost no statement for either (``conversation.active`` reads the mark).
    """
    name = incoming.display_name[:NAME_CHARS]
    upsert = _upsert(session.get_bind().dialect.name, bool(name), not incoming.is_group)
    values = core(session).execute(
        upsert, {"channel": incoming.channel, "user": incoming.user_id, "name": name,
                 "now": now}).one()._asdict()
    return _seen(session, incoming, now, values)


def _seen(session: Session, incoming: Incoming, now: datetime,
          values: dict[str, Any]) -> Identity:
    """The sender, from the row the upsert returned; what waited for them queued again."""
    waiting, talking = values.pop("parked"), values.pop("talking")
    sender = attach(session, Identity, values)
    if waiting:
        _release_waiting(session, incoming, now)
    if not talking:
        no_conversation(session, incoming)
    return sender


def arrived_once(session: Session, incoming: Incoming, now: datetime) -> Identity | None:
    """``arrived``, if this is the message's first copy (``first_copy``); None for a copy
    handled before. On PostgreSQL in one statement: the journal's INSERT is a
    data-modifying WITH of the identity's upsert, which upserts only what it inserted, and
    the sender's remembered community is read ahead with them (``remembered.with_remembered``)."""
    connection = core(session)
    if not incoming.message_id or connection.dialect.name != "postgresql":
        return arrived(session, incoming, now) if first_copy(session, incoming, now) else None
    name = incoming.display_name[:NAME_CHARS]
    row = connection.execute(_upsert(connection.dialect.name, bool(name),
                                     not incoming.is_group, once=True), {
        "channel": incoming.channel, "user": incoming.user_id, "name": name, "now": now,
        "chat": incoming.chat_id, "message": incoming.message_id}).first()
    if row is None:
        return None
    remembered.note_remembered(session, row[len(_ARRIVED):])
    return _seen(session, incoming, now, dict(zip(_ARRIVED, row, strict=False)))


def first_copy(session: Session, incoming: Incoming, now: datetime) -> bool:
    """Record the message id; False when it was recorded before (WeChat retries a callback
    three times). The unique key decides, so two copies at once cannot both pass."""
    if not incoming.message_id:
        return True
    connection = core(session)
    return connection.execute(_first(connection.dialect.name), {
        "channel": incoming.channel, "chat": incoming.chat_id,
        "message": incoming.message_id, "now": now}).first() is not None


def first_copies(session: Session, timed: Sequence[tuple[Incoming, datetime]]) -> list[bool]:
    """``first_copy`` for a batch of messages handled in one transaction, their ids recorded
    in one statement: True for each whose id was not recorded before, nor earlier in the
    batch (the first of two copies is the one handled)."""
    named = [(incoming, now) for incoming, now in timed if incoming.message_id]
    recorded: set[tuple[str, str, str]] = set()
    if named:
        seen = table_of(InboundSeen)
        insert = postgresql.insert if session.get_bind().dialect.name == "postgresql" \
            else sqlite.insert
        recorded = {tuple(row) for row in core(session).execute(
            insert(seen).values([
                {"channel": incoming.channel, "chat_id": incoming.chat_id,
                 "message_id": incoming.message_id, "at": now} for incoming, now in named])
            .on_conflict_do_nothing(index_elements=["channel", "chat_id", "message_id"])
            .returning(seen.c.channel, seen.c.chat_id, seen.c.message_id))}
    firsts = []
    for incoming, _ in timed:
        key = (incoming.channel, incoming.chat_id, incoming.message_id)
        firsts.append(not incoming.message_id or key in recorded)
        recorded.discard(key)
    return firsts


@cache
def _first(dialect: str) -> Insert:
    """The de-duplicating INSERT, built once: building a statement costs more than running
    it."""
    seen = table_of(InboundSeen)
    return (postgresql.insert if dialect == "postgresql" else sqlite.insert)(seen).values(
        channel=bindparam("channel"), chat_id=bindparam("chat"),
        message_id=bindparam("message"), at=bindparam("now")
    ).on_conflict_do_nothing(index_elements=["channel", "chat_id", "message_id"]).returning(
        seen.c.id)


@cache
def _upsert(dialect: str, named: bool, private: bool, once: bool = False) -> Executable:
    """The statement ``arrived`` sends, built once for each kind of message: a statement is
    dearer to build than to run. ``once``: of ``arrived_once`` on PostgreSQL, whose row
    goes in only when ``_first`` put the message's id in."""
    channel: BindParameter[str] = bindparam("channel")
    user: BindParameter[str] = bindparam("user")
    identities = table_of(Identity)
    insert = postgresql.insert if dialect == "postgresql" else sqlite.insert
    values = {"channel": channel, "user_id": user, "display_name": bindparam(
        "name", type_=identities.c.display_name.type), "unreachable": false(),
        "last_seen_at": bindparam("now", type_=identities.c.last_seen_at.type)}
    if once:
        inserted = _first(dialect).cte("seen")
        fresh = insert(identities).from_select(list(values), select(
            *(value.label(name) for name, value in values.items())).select_from(inserted))
    else:
        fresh = insert(identities).values(values)
    changes = {"last_seen_at": fresh.excluded.last_seen_at}
    if named:
        changes["display_name"] = fresh.excluded.display_name
    if private:
        changes["unreachable"] = fresh.excluded.unreachable
    upsert = fresh.on_conflict_do_update(index_elements=["channel", "user_id"], set_=changes)
    returning = upsert.returning(*identities.c, waits_for(channel, user).label("parked"),
                                 conversing(channel, user).label("talking"))
    if not once:
        return returning
    # The sender's remembered community comes back with them: a need from someone who
    # filed one before asks for it next (``remembered.remembered_community``), and a statement
    # of its own would be one more round trip inside the write transaction.
    arrived = returning.cte("arrived")
    return remembered.with_remembered(select(arrived), arrived.c.resident_id)


_ARRIVED = (*table_of(Identity).c.keys(), "parked", "talking")
"""The columns ``_upsert`` returns of the sender, in order, before any read ahead."""


def waits_for(channel: ColumnElement[str], user: ColumnElement[str]) -> ColumnElement[bool]:
    """SQL: whether a message parked for the account (``channel``, ``user``) waits: found by
    the parked index (``storage.messaging.OutboxMessage``), not among every parked
    message of the channel."""
    outbox = table_of(OutboxMessage).c
    return exists().where(outbox.channel == channel, outbox.to_user == user,
                          parked(outbox.status))


def _release_waiting(session: Session, incoming: Incoming, now: datetime) -> None:
    """Queue again what was parked for the sender's next message: always what waited for
    the 48 h window; after a private message also what could not reach them lately (older
    news, a whistle long since full, is not worth it)."""
    waiting = col(OutboxMessage.last_error).startswith(WINDOW_CLOSED)
    if not incoming.is_group:
        waiting = or_(waiting, and_(col(OutboxMessage.last_error).startswith(UNREACHABLE_MARK),
                                    col(OutboxMessage.created_at) >= now - RESEND_WITHIN))
    session.execute(
        update(OutboxMessage).where(
            col(OutboxMessage.channel) == incoming.channel,
            col(OutboxMessage.to_user) == incoming.user_id,
            parked(table_of(OutboxMessage).c.status), waiting)
        .values(status=OutboxStatus.PENDING, next_attempt_at=now, attempts=0),
        execution_options={"synchronize_session": False})


def last_seen(session: Session, channel: str, user_id: str) -> datetime | None:
    """When the account last wrote, or None if it never has."""
    return session.exec(model_select(Identity.last_seen_at).where(
        Identity.channel == channel, Identity.user_id == user_id)).first()
