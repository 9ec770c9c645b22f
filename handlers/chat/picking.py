"""Asking a resident which duty their need is when the classifier is unsure (问一问居民).

A need written privately whose guess is weak or a near-tie is filed as usual and the resident
is asked, with buttons, which of the top two or three duties it is, in plain words
(「邻里纠纷调解」「文明劝导」), or 其他. Where chats have no buttons (WeChat) the resident
replies with the number. The pick sets the order's duty through the workflow; the order still
goes to review. In a group nobody is asked: the admins' review message shows the candidates.
"""

from __future__ import annotations

from handlers.chat import conversation
from handlers.chat.lookup import order_by_number
from handlers.chat.request import Request
from handlers.context import Context
from handlers.errors import WorkflowError
from handlers.learning import examples
from handlers.learning.examples import Source
from handlers.messages import Button, Outgoing
from handlers.orders import matching, resident_moves, states
from handlers.orders.duties import duty_name
from handlers.texts import t
from nlu import DUTIES
from storage.messaging import Conversation
from storage.models import Community, Order

FLOW = "duty"
OTHER = "other"
"""The choice for 其他: none of the duties offered."""


def plain(duty: str) -> str:
    """A duty in the words a resident uses (邻里纠纷调解 rather than 社务协调)."""
    return t(f"duty_plain_{duty}") if duty in DUTIES else t("duty_plain_other")


def ask(ctx: Context, req: Request, order: Order) -> list[Outgoing]:
    """Tell the resident their need is filed and ask which duty it is: a numbered list with
    a button for each, remembered so that a bare number answers it."""
    offered = [*matching.choices(order), OTHER]
    conversation.save(ctx, req, FLOW, "pick", {"order_id": order.id, "choices": offered})
    lines = "\n".join(f"{n}. {plain(duty)}" for n, duty in enumerate(offered, start=1))
    buttons = tuple(Button(f"{n}. {plain(duty)}", f"pick:{order.id}:{duty}")
                    for n, duty in enumerate(offered, start=1))
    community = ctx.session.get_one(Community, order.community_id).name
    return req.tell(t("filed_ask", id=order.id, community=community, choices=lines), buttons)


def press(ctx: Context, req: Request) -> list[Outgoing]:
    """The button ``pick:12:civility`` (or ``pick:12:other``): settle the duty."""
    if len(req.args) != 2 or (req.args[1] not in DUTIES and req.args[1] != OTHER):
        raise WorkflowError(t("button_stale"))
    order = order_by_number(ctx.session, req.args[0])
    waiting = conversation.active(ctx, req)
    if waiting is not None and waiting.flow == FLOW:
        conversation.end(ctx, waiting)
    return _picked(ctx, req, order, req.args[1])


def answer(ctx: Context, req: Request, convo: Conversation) -> list[Outgoing] | None:
    """A number from the list picks that duty; anything else leaves the question and is read
    afresh (None): the admins will classify the need."""
    conversation.end(ctx, convo)
    said = req.incoming.text.strip().rstrip("。.、号")
    offered: list[str] = convo.data.get("choices", [])
    order = ctx.session.get(Order, convo.data.get("order_id"))
    if order is None or not said.isdecimal() or not 1 <= int(said) <= len(offered):
        return None
    return _picked(ctx, req, order, offered[int(said) - 1])


def _picked(ctx: Context, req: Request, order: Order, choice: str) -> list[Outgoing]:
    if req.identity.resident_id is None or order.resident_id != req.identity.resident_id:
        raise WorkflowError(t("pick_not_yours", id=order.id))
    duty = choice if choice in DUTIES else None
    if duty is not None and order.status in states.AWAITING_REVIEW:
        examples.record(ctx.session, order, duty, Source.RESIDENT, ctx.now)
    resident_moves.resident_picks(ctx, order, duty, req.actor)
    said = t("picked", id=order.id, duty=duty_name(duty)) if duty else t("picked_other",
                                                                       id=order.id)
    return req.edit(said) or req.tell(said)
