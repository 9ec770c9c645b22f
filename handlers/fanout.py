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

from sqlalchemy import (
    JSON,
    ColumnElement,
    Select,
    Subquery,
    bindparam,
    case,
    insert,
    literal,
)
from sqlalchemy import select as wide_select
from sqlalchemy.orm import Mapped
from sqlmodel import col, select

from handlers.context import Context
from handlers.messages import Button, Outgoing
from handlers.privacy import for_audience
from handlers.queued import waiting_columns
from storage.idlists import listed, one_of
from storage.messaging import OutboxMessage
from storage.models import Identity, Member
from storage.rows import core

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
    waiting = waiting_columns(ctx.now)
    source = (wide_select(
        col(Identity.channel), col(Identity.user_id), text.label("text"),
        bindparam("buttons", [{"label": b.label, "data": b.data} for b in buttons],
                  type_=JSON), *waiting.values())
        .join(chosen, chosen.c.id == Identity.member_id)
        .order_by(col(Identity.member_id), col(Identity.id)))
    ctx.flush_outbox()  # what was queued before goes out before
    ctx.session.flush()
    # SQLAlchemy keeps an INSERT's row count only when asked: psycopg's is gone (-1) once
    # the cursor is closed, which read as "queued" when nobody was.
    result = ctx.session.execute(
        insert(OutboxMessage).from_select([*_TO_MEMBERS, *waiting], source),
        execution_options={"preserve_rowcount": True})
    return int(getattr(result, "rowcount", 0) or 0)


_TO_MEMBERS = ["channel", "to_user", "text", "buttons"]
"""What a message to members has of its own; the rest is how it waits (``waiting``)."""


def _dialect(ctx: Context) -> str:
    return ctx.session.get_bind().dialect.name


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
    waiting = waiting_columns(ctx.now)
    source = (wide_select(
        col(Identity.channel), col(Identity.user_id), texts.c.text, texts.c.buttons,
        *waiting.values())
        .select_from(pairs)
        .join(Identity, col(Identity.member_id) == pairs.c.member_id)
        .join(texts, texts.c.order_id == pairs.c.order_id)
        .order_by(pairs.c.n, col(Identity.id)))
    ctx.flush_outbox()  # what was queued before goes out before
    core(ctx.session).execute(insert(OutboxMessage).from_select([*_TO_MEMBERS, *waiting],
                                                                source))
    return reached
