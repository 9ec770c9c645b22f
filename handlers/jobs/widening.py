"""The widening whistle (扩大吹哨): an order still short ``RankingPolicy.widen_after`` after
its whistle reached the best-ranked members goes to every member of its duty, and as long
again after that to the whole community.

Each stage whistles only members not whistled for the order this round (``order_whistle``),
so nobody hears the same order twice; a stage that finds nobody new passes straight on to
the next. The stage and its time are kept on the order, so a sweep run twice, or again after
a restart, widens nothing twice.
"""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy import or_
from sqlmodel import col, select

from handlers import fanout
from handlers.context import Context
from handlers.orders import notices, ranking, states
from handlers.orders.views import community_zone
from handlers.orders.whistled import record_whistled
from storage.models import Community, Order, WhistleStage, stored_id

WIDEN_EVERY = timedelta(minutes=5)
NEXT_STAGE = {WhistleStage.TOP: WhistleStage.DUTY, WhistleStage.DUTY: WhistleStage.COMMUNITY}


def run(ctx: Context, community: Community) -> None:
    """Widen the whistle of each of the community's orders that stayed short long enough."""
    due = ctx.now - ctx.policy.ranking.widen_after
    orders = ctx.session.exec(select(Order).where(
        Order.community_id == community.id, col(Order.status).in_(states.TAKING_SIGN_UPS),
        col(Order.accepted_count) < col(Order.capacity),
        col(Order.whistle_stage).in_(list(NEXT_STAGE)), col(Order.whistled_at) <= due,
        or_(col(Order.event_at).is_(None), col(Order.event_at) > ctx.now))
        .order_by(col(Order.id))).all()
    for order in orders:
        widen(ctx, order)


def widen(ctx: Context, order: Order) -> None:
    """Take the order's whistle to its next stage: privately to the members it adds (the
    groups heard it at the first); on past a stage that adds nobody."""
    text = notices.whistle_text(order, community_zone(ctx.session, order.community_id))
    buttons = notices.accept_button(order)
    while order.whistle_stage in NEXT_STAGE:
        stage = NEXT_STAGE[order.whistle_stage]
        members = ranking.unranked(order, duty_only=stage == WhistleStage.DUTY)
        whistled = record_whistled(ctx, stored_id(order), order.round, stage, members)
        order.whistle_stage, order.whistled_at = stage, ctx.now
        ctx.session.add(order)
        if fanout.to_members(ctx, whistled, text, buttons):
            return
