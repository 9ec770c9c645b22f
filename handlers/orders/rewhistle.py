"""Whistles blown again, for many orders at once: places came free (a no-show sweep's chunk,
a member giving a place back), so each order is news again to those it reached.

However many orders, the same few statements: the rankings of those never whistled in a
few (``handlers.orders.standings``, or read ahead in a sweep's plain read), who hears each
read in one and the messages written in bulk (``handlers.fanout``).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from collections.abc import Set as AbstractSet

from sqlalchemy import Select, func, literal
from sqlmodel import col

from handlers import fanout, people
from handlers.context import Context
from handlers.messages import Outgoing
from handlers.orders import notices, standings
from handlers.orders.ahead import Ahead, zones_of
from handlers.orders.whistled import record_listed, whistled_before_each
from storage.idlists import update_each
from storage.models import Order, WhistleStage, stored_id
from storage.rows import table_of


def whistle_again(ctx: Context, freed: Sequence[tuple[Order, AbstractSet[int]]],
                  ahead: Ahead | None = None) -> None:
    """Whistle orders again whose places came free, each but the members given with it:
    everyone whistled for it this round so far hears it again and its widening waits from
    now; an order never whistled gets its first whistle, the best-ranked members of its duty
    (``standings.first_whistled``; ``ahead`` holds, by order, those ranked beforehand in
    a sweep's plain read, with the time zones and groups). The groups hear every one.

    However many orders, the same few statements: the rankings in a few, the messages read
    in one and written in bulk (``fanout.to_members_each``).
    """
    if not freed:
        return
    session, orders = ctx.session, [order for order, _ in freed]
    skip = {stored_id(order): set(members) for order, members in freed}
    communities = {order.community_id for order in orders}
    zones = zones_of(session, communities, ahead)
    messages = {stored_id(o): (notices.whistle_text(o, zones[o.community_id]),
                               notices.accept_button(o)) for o in orders}
    queued: dict[int, int] = {}
    for ids, members in _whistled(ctx, orders, {} if ahead is None else ahead.ranked):
        told = {i: messages[i] for i in ids}
        queued |= (fanout.to_members_each(ctx, members, told, skip) if isinstance(members, Select)
                   else fanout.to_listed_each(ctx, members, told, skip))
    _whistled_now(ctx, orders)
    for order in orders:
        if not queued.get(stored_id(order)):
            notices.nobody_whistled(ctx, order, skip[stored_id(order)])
    groups = people.group_chats(session, communities) if ahead is None else ahead.groups
    ctx.queue([Outgoing(channel, text, to_chat=chat, buttons=buttons)
               for order in orders for channel, chat in groups[order.community_id]
               for text, buttons in [messages[stored_id(order)]]])


def _whistled_now(ctx: Context, orders: list[Order]) -> None:
    """The orders' widening waits from now, a first whistle's at its first stage: one UPDATE
    however many orders (the ORM would write each order's row apart), the orders taking
    what it wrote as if read again."""
    first = literal(WhistleStage.TOP, table_of(Order).c.whistle_stage.type)
    update_each(ctx.session, orders,
                {"whistle_stage": func.coalesce(col(Order.whistle_stage), first),
                 "whistled_at": ctx.now},
                {"whistle_stage": lambda order: order.whistle_stage or WhistleStage.TOP})


def _whistled(ctx: Context, orders: list[Order], ranked: Mapping[int, Sequence[int]]
              ) -> list[tuple[list[int], Select | list[tuple[int, int]]]]:
    """Who hears the orders whistled again, as (order ids, a selection of ``order_id`` and
    ``id``, or those pairs listed) for each way chosen: first whistled (to those ranked
    beforehand, or ranked now), or whistled before."""
    chosen: list[tuple[list[int], Select | list[tuple[int, int]]]] = []
    fresh = [o for o in orders if o.whistle_stage is None]
    unknown = [o for o in fresh if o.id not in ranked]
    if unknown:
        ranked = {**ranked, **standings.first_whistled(ctx.session, unknown, ctx.policy,
                                                       ctx.now)}
    if fresh:
        rows = [(stored_id(o), o.round, member) for o in fresh
                for member in ranked.get(stored_id(o), ())]
        chosen.append(([stored_id(o) for o in fresh],
                       record_listed(ctx, WhistleStage.TOP, rows)))
    before = [stored_id(o) for o in orders if o.whistle_stage is not None]
    if before:
        chosen.append((before, whistled_before_each(before)))
    return chosen
