"""Finding what a command names: an order number, a duty, a member, the sender's community."""

from __future__ import annotations

import re

from sqlalchemy import or_
from sqlmodel import Session, col, select

from handlers.chat.request import Request
from handlers.errors import WorkflowError
from handlers.rules import timerules
from handlers.texts import t
from storage.models import Community, GroupChat, Identity, Member, Order
from storage.timers import TimeRules

_ORDER_NUMBER = re.compile(r"[0-9]+")
MAX_ORDER_DIGITS = 9  # larger numbers name no order and would overflow the integer column


def order_by_number(session: Session, arg: str | None) -> Order:
    """The order a number like ``12`` or ``#12`` names; a clear refusal otherwise."""
    if not arg:
        raise WorkflowError(t("need_order_number"))
    digits = arg.lstrip("#＃")
    if not _ORDER_NUMBER.fullmatch(digits):
        raise WorkflowError(t("bad_order_number", arg=arg))
    order = session.get(Order, int(digits)) if len(digits) <= MAX_ORDER_DIGITS else None
    if order is None:
        raise WorkflowError(t("no_such_order", id=digits))
    return order


def group_community(session: Session, req: Request) -> Community | None:
    """The community a group chat is bound to; None for private chats and unbound groups."""
    if not req.incoming.is_group:
        return None
    if not req.bound_known:
        row = session.exec(timerules.with_rules(select(Community, TimeRules).join(
            GroupChat, col(GroupChat.community_id) == col(Community.id)), col(Community.id))
            .where(col(GroupChat.channel) == req.incoming.channel,
                   col(GroupChat.chat_id) == req.incoming.chat_id)).first()
        req.bound, rules = row if row is not None else (None, None)
        timerules.noted(session, req.bound.id if req.bound else None, rules)
        req.bound_known = True
    return req.bound


def member_named(session: Session, community_id: int, arg: str) -> Member:
    """An active member of the community by number, name or account id."""
    query = select(Member).where(Member.community_id == community_id,
                                 col(Member.active).is_(True))
    if _ORDER_NUMBER.fullmatch(arg):
        query = query.where(Member.id == (int(arg) if len(arg) <= MAX_ORDER_DIGITS else 0))
    else:
        by_account = select(Identity.member_id).where(Identity.user_id == arg)
        query = query.where(or_(col(Member.name) == arg, col(Member.id).in_(by_account)))
    found = session.exec(query).first()
    if found is None:
        raise WorkflowError(t("no_such_member", arg=arg))
    return found
