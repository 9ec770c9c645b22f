"""A resident's own orders (居民): /my lists them, /rate rates a finished one, and what waits
for their rating or is still being dealt with, which a bare reply may be about."""

from __future__ import annotations

from collections.abc import Collection

from sqlmodel import col, select

from handlers.chat import lookup
from handlers.chat.request import Request
from handlers.context import Context
from handlers.errors import WorkflowError
from handlers.messages import Outgoing
from handlers.orders import notices, resident_moves, states
from handlers.orders.followers import followed_by
from handlers.orders.views import order_line
from handlers.texts import t
from nlu import Reply, parse_reply
from storage.models import Order
from storage.models import OrderStatus as S

MY_LIMIT = 10


def my(ctx: Context, req: Request) -> list[Outgoing]:
    """/my: the sender's own orders, newest first."""
    if req.identity.resident_id is None:
        return req.tell(t("my_none"))
    rows = ctx.session.exec(select(Order).where(Order.resident_id == req.identity.resident_id)
                            .order_by(col(Order.id).desc()).limit(MY_LIMIT)).all()
    if not rows:
        return req.tell(t("my_none"))
    return req.tell("\n".join([t("my_title")] + [order_line(o) for o in rows]))


def rate(ctx: Context, req: Request) -> list[Outgoing]:
    """/rate ID stars [words]: rate one's own finished order; stars as 5, 5星, 五星 or 满意,
    and what follows them kept as the comment.

    Without an order number (评价 不满意 桌椅很乱, as WeChat users type it) the one order
    waiting for the sender's rating is rated. A pressed star (``rate:12:5``) is rewritten to
    show the rating.
    """
    if len(req.args) < 2 or parse_reply(req.args[1]).intent != "rating":
        return _rate_waiting(ctx, req, parse_reply(" ".join(req.args)))
    said = parse_reply(req.args[1])
    stars = said.stars or 0  # a rating, as checked above
    comment = " ".join(filter(None, [said.comment, *req.args[2:]]))
    order = lookup.order_by_number(ctx.session, req.args[0])
    return (rate_order(ctx, req, order, stars, comment)
            + req.edit(notices.rating_given(order, stars)))


def rate_order(ctx: Context, req: Request, order: Order, stars: int,
               comment: str = "") -> list[Outgoing]:
    """Record a rating, and the words beside it, from the sender, who must be the order's
    resident (or whoever filed it on the beneficiary's behalf)."""
    if req.identity.resident_id is None:
        raise WorkflowError(t("rate_not_yours", id=order.id))
    resident_moves.rate(ctx, order, req.identity.resident_id, stars, req.actor, comment)
    return []


def _rate_waiting(ctx: Context, req: Request, said: Reply) -> list[Outgoing]:
    waiting = awaiting_rating(ctx, req)
    if said.stars is None or not waiting:
        raise WorkflowError(t("usage_rate"))
    if len(waiting) > 1:
        return req.reply(t("rate_which", numbers=" ".join(f"#{o.id}" for o in waiting)))
    return rate_order(ctx, req, waiting[0], said.stars, said.comment)


def awaiting_rating(ctx: Context, req: Request) -> list[Order]:
    """The sender's orders that wait for their rating."""
    return _own(ctx, req, states.AWAITING_RESIDENT)


def live_orders(ctx: Context, req: Request) -> list[Order]:
    """The sender's orders still being dealt with."""
    return _own(ctx, req, states.OUTSTANDING)


def _own(ctx: Context, req: Request, statuses: Collection[S]) -> list[Order]:
    """The sender's orders in ``statuses``: those they filed or follow (相同诉求)."""
    if req.identity.resident_id is None:
        return []
    return list(ctx.session.exec(select(Order).where(
        followed_by(req.identity.resident_id), col(Order.status).in_(statuses))).all())
