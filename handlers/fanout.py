"""Messages to many members at once, written to the outbox in SQL.

A whistle to a duty's members is one INSERT … SELECT however many they are: the
recipients are chosen in SQL (``handlers.recipients``), and the text, computed once in Python, is
passed through the same privacy guard as every other message (``handlers.privacy``) before
it goes in as a parameter. A notice that differs only by the member's name is one INSERT …
SELECT too, the name put in by SQL (``named``); others are bulk inserts in chunks.
"""

from __future__ import annotations

import json
from collections.abc import Collection, Mapping, Sequence
from typing import Any

from sqlalchemy import (
    JSON,
    ColumnElement,
    Select,
    Subquery,
    bindparam,
    case,
    exists,
    func,
    insert,
    literal,
)
from sqlalchemy import select as wide_select
from sqlalchemy.orm import Mapped
from sqlalchemy.types import TypeEngine
from sqlmodel import col, select

from handlers.context import Context
from handlers.messages import Button, Outgoing
from handlers.privacy import for_audience
from storage.idlists import listed, one_of
from storage.messaging import OutboxMessage, OutboxStatus
from storage.models import Acceptance, AcceptanceStatus, Identity, Member, Order, WhistleStage
from storage.rows import core
from storage.whistles import OrderWhistle

CHUNK = 1000
NAME = "\x00name\x00"  # where ``named`` puts each member's own name


def to_members(ctx: Context, members: Select, text: str,
               buttons: tuple[Button, ...] = ()) -> int:
    """One private message to every account of the selected members, written in one
    statement; returns how many messages were queued."""
    guarded = for_audience(Outgoing("", text, to_user="", buttons=buttons))
    return _to_accounts(ctx, members.subquery(), literal(guarded.text), guarded.buttons)


def named(text: str, name: ColumnElement[str] | Mapped[str]) -> ColumnElement[str]:
    """The text with each ``NAME`` in it replaced, in SQL, by the ``name`` column: one text
    for many members who are each greeted by name (past the privacy guard as every other)."""
    first, *rest = for_audience(Outgoing("", text, to_user="")).text.split(NAME)
    whole: ColumnElement[str] = literal(first)
    for part in rest:
        whole = whole + name + literal(part)
    return whole


def among(members: Collection[int]) -> ColumnElement[bool]:
    """Whether the member is one of ``members``: one parameter for them all
    (``storage.idlists``), not one a member (which costs more than running the statement)."""
    return one_of(col(Member.id), members)


def each_named(ctx: Context, by_text: Mapping[str, Collection[int]]) -> int:
    """Each text (with ``NAME`` for the member's name) to every account of its members, in
    one INSERT … SELECT: the few distinct texts are chosen by member in SQL."""
    groups = [(text, members) for text, members in by_text.items() if members]
    if not groups:
        return 0
    name = col(Member.name)
    whens = [(among(members), named(text, name)) for text, members in groups]
    chosen = whens[0][1] if len(whens) == 1 else case(*whens)
    return each_their_own(ctx, select(col(Member.id).label("id"), chosen.label("text"))
                          .where(among([m for _, members in groups for m in members])))


def each_their_own(ctx: Context, members: Select) -> int:
    """A private message to every account of each selected member, its text chosen in SQL:
    ``members`` selects ``id`` and ``text`` (built with ``named``). One INSERT … SELECT
    however many the members; returns how many messages were queued."""
    chosen = members.subquery()
    return _to_accounts(ctx, chosen, chosen.c.text, ())


def _to_accounts(ctx: Context, chosen: Subquery, text: ColumnElement[str],
                 buttons: tuple[Button, ...]) -> int:
    """Messages to every account of the members ``chosen`` (an ``id`` column), in one
    INSERT … SELECT, in the order of the members and their accounts."""
    source = (wide_select(
        col(Identity.channel), col(Identity.user_id), text.label("text"),
        bindparam("buttons", [{"label": b.label, "data": b.data} for b in buttons],
                  type_=JSON),
        literal(OutboxStatus.PENDING, _type("status")).label("status"),
        literal(0).label("attempts"), literal("").label("last_error"),
        literal(ctx.now, _type("created_at")).label("created_at"),
        literal(ctx.now, _type("next_attempt_at")).label("next_attempt_at"))
        .join(chosen, chosen.c.id == Identity.member_id)
        .order_by(col(Identity.member_id), col(Identity.id)))
    columns = ["channel", "to_user", "text", "buttons", "status", "attempts", "last_error",
               "created_at", "next_attempt_at"]
    ctx.flush_outbox()  # what was queued before goes out before
    ctx.session.flush()
    # SQLAlchemy keeps an INSERT's row count only when asked: psycopg's is gone (-1) once
    # the cursor is closed, which read as "queued" when nobody was.
    result = ctx.session.execute(insert(OutboxMessage).from_select(columns, source),
                                 execution_options={"preserve_rowcount": True})
    return int(getattr(result, "rowcount", 0) or 0)


def _type(column: str, table: Any = OutboxMessage) -> TypeEngine[Any]:
    """The type of a column, so a literal is stored as the ORM would store it."""
    return table.__table__.c[column].type


def record_whistled(ctx: Context, order_id: int, round_: int, stage: WhistleStage,
                    members: Select) -> Select:
    """Write down, in one INSERT … SELECT, that the selected members (an ``id`` column) are
    whistled for the order's round at ``stage``; the ids of those just written down."""
    chosen = members.subquery()
    written = record_whistled_each(ctx, [order_id], stage, wide_select(
        literal(order_id).label("order_id"), literal(round_).label("round"), chosen.c.id))
    return select(written.subquery().c.id)


def record_whistled_each(ctx: Context, order_ids: Collection[int], stage: WhistleStage,
                         members: Select) -> Select:
    """``record_whistled`` for many orders in one INSERT … SELECT: ``members`` selects
    ``order_id``, ``round`` and ``id`` for the orders ``order_ids``; the ``order_id`` and
    ``id`` of those just written down."""
    ctx.session.flush()
    # Rows written from here on have higher ids: the mark tells this batch from the last.
    # Each order's latest, not one max(): PostgreSQL plans a lone max(id) as a backward
    # walk of the whole table's ids, which on stale statistics reads every later row.
    mark = max(ctx.session.execute(wide_select(func.max(OrderWhistle.id))
                                   .where(col(OrderWhistle.order_id).in_(list(order_ids)))
                                   .group_by(col(OrderWhistle.order_id))).scalars(),
               default=0)
    chosen = members.subquery()
    ctx.session.execute(insert(OrderWhistle).from_select(_WHISTLE_COLUMNS, wide_select(
        chosen.c.order_id, chosen.c.round, chosen.c.id,
        literal(stage, _type("stage", OrderWhistle)),
        literal(ctx.now, _type("at", OrderWhistle)))))
    return (select(col(OrderWhistle.order_id), col(OrderWhistle.member_id).label("id"))
            .where(col(OrderWhistle.order_id).in_(list(order_ids)), col(OrderWhistle.id) > mark))


def record_listed(ctx: Context, stage: WhistleStage, rows: Sequence[tuple[int, int, int]]
                  ) -> list[tuple[int, int]]:
    """``record_whistled_each`` for members chosen beforehand, listed as (order id, round,
    member id), in one INSERT … SELECT from the rows passed as one parameter
    (``storage.idlists.listed``: the database renders them, not SQLAlchemy a row at a
    time); the (order id, member id) written down, which are all of them: nothing needs
    reading back."""
    if rows:
        given = listed(_dialect(ctx), "whistled",
                       {"order_id": "int", "round": "int", "member_id": "int"}, rows)
        core(ctx.session).execute(insert(OrderWhistle).from_select(_WHISTLE_COLUMNS, wide_select(
            given.c.order_id, given.c.round, given.c.member_id,
            literal(stage, _type("stage", OrderWhistle)),
            literal(ctx.now, _type("at", OrderWhistle))).order_by(given.c.n)))
    return [(order_id, member) for order_id, _, member in rows]


def _dialect(ctx: Context) -> str:
    return ctx.session.get_bind().dialect.name


_WHISTLE_COLUMNS = ["order_id", "round", "member_id", "stage", "at"]


def whistled_before_each(order_ids: Collection[int]) -> Select:
    """The members whistled for each order's current round so far who hold no place on it
    (a place come free again is news only to those still without one): columns
    ``order_id`` and ``id``."""
    holding = exists().where(
        col(Acceptance.order_id) == OrderWhistle.order_id,
        col(Acceptance.member_id) == OrderWhistle.member_id,
        col(Acceptance.round) == OrderWhistle.round,
        col(Acceptance.status) == AcceptanceStatus.ACCEPTED)
    return (select(col(OrderWhistle.order_id), col(OrderWhistle.member_id).label("id"))
            .join(Order, col(Order.id) == OrderWhistle.order_id)
            # The orders named on both sides: on statistics that call the whistles few,
            # PostgreSQL otherwise hashes every order in the city to join a handful.
            .where(col(OrderWhistle.order_id).in_(list(order_ids)),
                   col(Order.id).in_(list(order_ids)),
                   col(OrderWhistle.round) == Order.round, ~holding))


def to_members_each(ctx: Context, members: Select,
                    messages: Mapping[int, tuple[str, tuple[Button, ...]]],
                    skip: Mapping[int, Collection[int]]) -> dict[int, int]:
    """For each order, its message (text and buttons) privately to every account of the
    members ``members`` selects for it (``order_id`` and ``id``), but the members ``skip``
    names for it: one SELECT of the accounts and one bulk INSERT a thousand messages at a
    time, however many orders. How many messages each order queued."""
    queued = dict.fromkeys(messages, 0)
    outgoing = []
    chosen = members.subquery()
    for order_id, member_id, channel, user_id in ctx.session.execute(
            wide_select(chosen.c.order_id, chosen.c.id, col(Identity.channel),
                        col(Identity.user_id))
            .join(Identity, col(Identity.member_id) == chosen.c.id)
            .order_by(chosen.c.order_id, chosen.c.id, col(Identity.id))).all():
        if member_id in skip.get(order_id, ()):
            continue
        text, buttons = messages[order_id]
        outgoing.append(Outgoing(channel, text, to_user=user_id, buttons=buttons))
        queued[order_id] += 1
    for start in range(0, len(outgoing), CHUNK):
        ctx.queue(outgoing[start:start + CHUNK])
    return queued


def to_listed_each(ctx: Context, members: Sequence[tuple[int, int]],
                   messages: Mapping[int, tuple[str, tuple[Button, ...]]],
                   skip: Mapping[int, Collection[int]]) -> dict[int, int]:
    """``to_members_each`` for members listed as (order id, member id): one INSERT … SELECT
    from the pairs and the orders' messages passed as parameters (``listed``), in the order
    of order, member and account, after what was queued before. How many members each
    order reached (whose accounts got its message; a member has at least one)."""
    chosen = sorted((order_id, member) for order_id, member in members
                    if member not in skip.get(order_id, ()))
    reached = dict.fromkeys(messages, 0)
    for order_id, _ in chosen:
        reached[order_id] += 1
    if not chosen:
        return reached
    pairs = listed(_dialect(ctx), "pairs", {"order_id": "int", "member_id": "int"}, chosen)
    guarded = {order_id: for_audience(Outgoing("", text, to_user="", buttons=buttons))
               for order_id, (text, buttons) in messages.items()}
    texts = listed(_dialect(ctx), "texts", {"order_id": "int", "text": "text", "buttons": "json"},
                   [(order_id, m.text, json.dumps([{"label": b.label, "data": b.data}
                                                   for b in m.buttons]))
                    for order_id, m in guarded.items() if reached[order_id]], looked_up=True)
    source = (wide_select(
        col(Identity.channel), col(Identity.user_id), texts.c.text, texts.c.buttons,
        literal(OutboxStatus.PENDING, _type("status")).label("status"),
        literal(0).label("attempts"), literal("").label("last_error"),
        literal(ctx.now, _type("created_at")).label("created_at"),
        literal(ctx.now, _type("next_attempt_at")).label("next_attempt_at"))
        .select_from(pairs)
        .join(Identity, col(Identity.member_id) == pairs.c.member_id)
        .join(texts, texts.c.order_id == pairs.c.order_id)
        .order_by(pairs.c.n, col(Identity.id)))
    ctx.flush_outbox()  # what was queued before goes out before
    core(ctx.session).execute(insert(OutboxMessage).from_select(
        ["channel", "to_user", "text", "buttons", "status", "attempts", "last_error",
         "created_at", "next_attempt_at"], source))
    return reached
