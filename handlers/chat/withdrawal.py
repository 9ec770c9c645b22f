"""A resident withdraws their own need (撤回) while nobody has arrived, after saying yes.

``/cancel 12`` on one's own order, or ``不用来了`` / ``我自己解决了`` as a reply, asks first;
a press of 确认撤回 (``withdraw:12``) or a 是 settles it, a 否 keeps the order. An admin's
``/cancel 12 理由`` cancels at once, as it always has.
"""

from __future__ import annotations

from sqlmodel import col, select

from handlers import roles
from handlers.chat import admin, conversation
from handlers.chat.gates import Role, admit
from handlers.chat.lookup import order_by_number
from handlers.chat.request import Request
from handlers.context import Context
from handlers.errors import WorkflowError
from handlers.messages import Button, Outgoing
from handlers.orders import resident_moves, states
from handlers.orders.views import STATUS_NAMES
from handlers.texts import t
from storage.messaging import Conversation
from storage.models import Order

FLOW = "withdraw"
YES_WORDS = frozenset({"是", "是的", "确定", "确认", "对", "好", "好的", "嗯", "撤回", "确定撤回",
                       "确认撤回", "yes", "y"})
NO_WORDS = frozenset({"否", "不", "不是", "不撤", "不撤了", "保留", "先不", "no", "n"})


def cancel(ctx: Context, req: Request) -> list[Outgoing]:
    """/cancel ID (取消): an admin of the order's community cancels it with a reason; the
    resident who filed it is asked whether to withdraw it."""
    scope = roles.admin_scope(ctx.session, req.identity) if req.args else None
    if scope:
        found = order_by_number(ctx.session, req.args[0])
        if found.community_id in scope.communities:
            req.granted = admit(ctx.session, req, Role.ORDER_ADMIN)
            return admin.cancel(ctx, req)
    if not req.args:
        asked = ask(ctx, req)
        if asked is None:
            raise WorkflowError(t("withdraw_nothing"))
        return asked
    return _confirm_question(ctx, req, _own(ctx, req, req.args[0]))


def ask(ctx: Context, req: Request) -> list[Outgoing] | None:
    """不用来了: ask about the sender's one withdrawable need, or which of several; None
    when they have none (the words were about something else)."""
    mine = withdrawable(ctx, req)
    if not mine:
        return None
    if len(mine) > 1:
        return req.reply(t("withdraw_which", numbers=" ".join(f"#{o.id}" for o in mine)))
    return _confirm_question(ctx, req, mine[0])


def confirm(ctx: Context, req: Request) -> list[Outgoing]:
    """The 确认撤回 button (``withdraw:12``), or 撤回 12 typed: withdraw the need."""
    order = _own(ctx, req, req.args[0] if req.args else None)
    waiting = conversation.active(ctx, req)
    if waiting is not None and waiting.flow == FLOW:
        conversation.end(ctx, waiting)
    return _withdraw(ctx, req, order)


def answer(ctx: Context, req: Request, convo: Conversation) -> list[Outgoing] | None:
    """是 withdraws the need asked about, 否 keeps it; anything else leaves the question and
    is read afresh (None)."""
    conversation.end(ctx, convo)
    said = req.incoming.text.strip().lower()
    order = ctx.session.get(Order, convo.data.get("order_id"))
    if order is None:
        return None
    if said in YES_WORDS:
        return _withdraw(ctx, req, order)
    if said in NO_WORDS or conversation.cancel_words(said):
        return req.reply(t("withdraw_kept", id=order.id))
    return None


def left(convo: Conversation) -> str:
    """What the sender is told when a command interrupts the question."""
    return t("withdraw_left", id=convo.data.get("order_id", ""))


def withdrawable(ctx: Context, req: Request) -> list[Order]:
    """The sender's needs nobody has arrived for yet, newest first."""
    if req.identity.resident_id is None:
        return []
    return list(ctx.session.exec(select(Order).where(
        Order.resident_id == req.identity.resident_id,
        col(Order.status).in_(states.WITHDRAWABLE)).order_by(col(Order.id).desc())).all())


def _own(ctx: Context, req: Request, number: str | None) -> Order:
    """The sender's order with that number; someone else's reads as not found, so nobody
    learns which numbers exist."""
    if not number:
        raise WorkflowError(t("need_order_number"))
    try:
        order = order_by_number(ctx.session, number)
    except WorkflowError:
        raise WorkflowError(t("withdraw_not_yours", id=number.lstrip("#＃"))) from None
    if req.identity.resident_id is None or order.resident_id != req.identity.resident_id:
        raise WorkflowError(t("withdraw_not_yours", id=order.id))
    return order


def _confirm_question(ctx: Context, req: Request, order: Order) -> list[Outgoing]:
    if order.status not in states.WITHDRAWABLE:
        raise WorkflowError(t("withdraw_not_now", id=order.id,
                              status=STATUS_NAMES[order.status]))
    conversation.save(ctx, req, FLOW, "confirm", {"order_id": order.id})
    return req.tell(t("withdraw_confirm", id=order.id),
                    (Button(t("button_withdraw"), f"withdraw:{order.id}"),))


def _withdraw(ctx: Context, req: Request, order: Order) -> list[Outgoing]:
    resident_moves.withdraw(ctx, order, req.identity.resident_id or 0, req.actor)
    return req.edit(t("withdraw_done", id=order.id))
