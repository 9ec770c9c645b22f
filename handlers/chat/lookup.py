"""Finding what a command names: an order number, a duty, a member, the sender's community."""

from __future__ import annotations

import re

from sqlalchemy import Select, bindparam, or_
from sqlalchemy import select as wide_select
from sqlmodel import Session, col, select

from handlers import people
from handlers.chat.request import Request
from handlers.errors import WorkflowError
from handlers.texts import t
from storage.models import Community, GroupChat, Identity, Member, Order
from storage.rows import attach_joined, core, table_of
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
        row = core(session).execute(_BOUND, {"channel": req.incoming.channel,
                                             "chat": req.incoming.chat_id}).first()
        req.bound, rules = (attach_joined(session, row, Community, TimeRules)
                            if row is not None else (None, None))
        people.note_community(session, req.bound, rules, row)
        req.bound_known = True
    return req.bound


def _bound() -> Select:
    """The community a group is bound to, with its time rules and learning's stamp; built
    once, as building a statement costs more than running it."""
    communities, groups = table_of(Community), table_of(GroupChat)
    return people.with_community_notes(
        wide_select(*communities.c, *table_of(TimeRules).c).join(
            groups, groups.c.community_id == communities.c.id), communities.c.id
    ).where(groups.c.channel == bindparam("channel"),
                               groups.c.chat_id == bindparam("chat"))


_BOUND = _bound()


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
