"""Finding what a command names: an order number, a duty, a member, the sender's community."""

from __future__ import annotations

import re

from sqlalchemy import or_
from sqlmodel import Session, col, select

from handlers import people
from handlers.chat.request import Request
from handlers.errors import WorkflowError
from handlers.texts import t
from storage.models import Community, GroupChat, Identity, Member, Order

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


def admin_order(session: Session, req: Request, arg: str | None) -> Order:
    """An order the sender may administer; refused for anyone not admin of its community."""
    if not people.admin_communities(session, req.identity):
        raise WorkflowError(t("admin_only"))
    order = order_by_number(session, arg)
    if not people.is_admin_of(session, req.identity, order.community_id):
        raise WorkflowError(t("admin_only"))
    return order


def require_admin(session: Session, req: Request) -> Community:
    """The one community the sender administers here: the bound group's, else their only one."""
    scope = admin_scope(session, req)
    if len(scope) != 1:
        raise WorkflowError(t("admin_which_community"))
    return session.get(Community, scope[0])  # type: ignore[return-value]


def admin_scope(session: Session, req: Request) -> list[int]:
    """The communities a listing covers: the bound group's, else all the sender administers."""
    bound = group_community(session, req)
    scopes = people.admin_communities(session, req.identity)
    if not scopes or (bound is not None and None not in scopes and bound.id not in scopes):
        raise WorkflowError(t("admin_only"))
    if bound is not None:
        return [bound.id]
    if None in scopes:
        return list(session.exec(select(Community.id)).all())
    return [c for c in scopes if c is not None]


def group_community(session: Session, req: Request) -> Community | None:
    """The community a group chat is bound to; None for private chats and unbound groups."""
    if not req.incoming.is_group:
        return None
    bound = session.exec(select(GroupChat).where(GroupChat.channel == req.incoming.channel,
                                                 GroupChat.chat_id == req.incoming.chat_id)).first()
    return session.get(Community, bound.community_id) if bound else None


def member_named(session: Session, community_id: int, arg: str) -> Member:
    """A member of the community by number, name or account id."""
    query = select(Member).where(Member.community_id == community_id)
    if _ORDER_NUMBER.fullmatch(arg):
        query = query.where(Member.id == (int(arg) if len(arg) <= MAX_ORDER_DIGITS else 0))
    else:
        by_account = select(Identity.member_id).where(Identity.user_id == arg)
        query = query.where(or_(Member.name == arg, col(Member.id).in_(by_account)))
    found = session.exec(query).first()
    if found is None:
        raise WorkflowError(t("no_such_member", arg=arg))
    return found
