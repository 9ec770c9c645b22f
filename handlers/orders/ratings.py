"""Ratings of an order's work (评价): the rows the residents' stars are kept in, and the
running tallies they count in.

The move a rating makes (closed or returned) is ``handlers.orders.resident_moves.rate``'s; here is
what a rating writes, and a rating given when the order no longer awaits one.
"""

from __future__ import annotations

from sqlmodel import select

from handlers import people
from handlers.context import Context
from handlers.errors import WorkflowError
from handlers.ledger import running
from handlers.orders import states
from handlers.orders.views import STATUS_NAMES
from handlers.texts import t
from nlu.replies import MAX_COMMENT_CHARS
from storage.models import Member, Order, Rating, stored_id
from storage.models import OrderStatus as S


def services_changed(ctx: Context, order: Order, member: Member | None = None) -> None:
    """A service on the order was recorded (``member``'s finish) or rated: recount the
    running tallies it is in (服务累计), in the transaction of the step."""
    running.recount_order(ctx.session, stored_id(order),
                          None if member is None else stored_id(member))


def keep(ctx: Context, order: Order, resident_id: int | None, stars: int, comment: str = "",
         by_default: bool = False) -> None:
    """Keep a resident's rating of the order's current round, with what they wrote beside
    the stars, and recount the tallies it counts in."""
    ctx.session.add(Rating(order_id=stored_id(order), resident_id=resident_id,
                           round=order.round, stars=stars, at=ctx.now,
                           comment=comment[:MAX_COMMENT_CHARS], by_default=by_default))
    services_changed(ctx, order)


def rate_after(ctx: Context, order: Order, resident_id: int, stars: int,
               comment: str) -> None:
    """A rating for an order no longer awaiting one: a follower's opinion after the first
    rating decided it, or a refusal saying why.

    Raises:
        WorkflowError: The resident rated already, or the order takes no rating now.
    """
    given = ctx.session.exec(select(Rating.resident_id, Rating.by_default).where(
        Rating.order_id == order.id, Rating.round == order.round)).all()
    raters = {rater for rater, by_default in given if not by_default}
    if resident_id in raters:
        raise WorkflowError(t("rate_already", id=order.id))
    in_time = order.rating_deadline is not None and ctx.now <= order.rating_deadline
    if raters and in_time and order.status in states.FINAL | {S.RETURNED}:
        keep(ctx, order, resident_id, stars, comment)
        ctx.queue(people.to_resident(ctx.session, resident_id,
                                     t("resident_thanks", id=order.id, stars=stars)))
        return
    if order.status == S.CLOSED and order.rating_deadline is not None:
        raise WorkflowError(t("rate_too_late", id=order.id))
    raise WorkflowError(t("rate_not_now", id=order.id, status=STATUS_NAMES[order.status]))
