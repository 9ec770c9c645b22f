"""Who may run a command: each role's check, run by the registry before any handler.

A check that passes hands the handler what it established (the sender's member row, the
order named, the community acted for), so no handler looks any of it up or checks it again.
"""

from __future__ import annotations

from collections.abc import Callable
from enum import Enum

from sqlmodel import Session, col, select

from handlers import people, roles
from handlers.chat import lookup
from handlers.chat.request import Granted, Request
from handlers.errors import WorkflowError
from handlers.texts import t
from storage.models import Community, Identity, stored_id


class Role(Enum):
    """Who may run a command, and what the registry then hands its handler."""

    ANYONE = "anyone"
    """Residents and everyone else; nothing is resolved."""
    MEMBER = "member"
    """A registered party member: ``req.member``."""
    ORDER_ADMIN = "order_admin"
    """An admin of the community of the order the first argument names: ``req.order``."""
    COMMUNITY_ADMIN = "community_admin"
    """An admin of the community ``@社区名`` names, else of the bound group's, else of their
    only one: ``req.community``."""
    LISTING_ADMIN = "listing_admin"
    """An admin, over the community ``@社区名`` names, else the bound group's, else every
    one they have: ``req.communities``."""
    BINDING_ADMIN = "binding_admin"
    """An admin of the community the arguments name and of the one the group is bound to
    now: ``req.community`` (the one named)."""
    DISTRICT_ADMIN = "district_admin"
    """A street office's (街道) admin: ``req.communities`` (the office's communities)."""


class Audience(Enum):
    """The people /help speaks to, one section each, in the order /help shows them."""

    RESIDENT = "resident"
    MEMBER = "member"
    ADMIN = "admin"
    DISTRICT_ADMIN = "district_admin"


AUDIENCE: dict[Role, Audience] = {
    Role.ANYONE: Audience.RESIDENT, Role.MEMBER: Audience.MEMBER,
    Role.ORDER_ADMIN: Audience.ADMIN, Role.COMMUNITY_ADMIN: Audience.ADMIN,
    Role.LISTING_ADMIN: Audience.ADMIN, Role.BINDING_ADMIN: Audience.ADMIN,
    Role.DISTRICT_ADMIN: Audience.DISTRICT_ADMIN,
}
"""The /help section each role's commands are listed in."""


def admit(session: Session, req: Request, role: Role) -> Granted:
    """What the sender may act on in ``role``.

    Raises:
        WorkflowError: The sender does not hold the role; the text says why.
    """
    return _CHECKS[role](session, req)


def audiences(session: Session, identity: Identity) -> set[Audience]:
    """The /help sections the sender belongs to: everyone is a resident."""
    held = {Audience.RESIDENT}
    if people.member_of(session, identity) is not None:
        held.add(Audience.MEMBER)
    scope = roles.admin_scope(session, identity)
    if scope:
        held.add(Audience.ADMIN)
    if scope.district:
        held.add(Audience.DISTRICT_ADMIN)
    return held


def _anyone(session: Session, req: Request) -> Granted:
    return Granted()


def _member(session: Session, req: Request) -> Granted:
    member = people.member_of(session, req.identity)
    if member is None:
        raise WorkflowError(t("not_a_member"))
    return Granted(member=member)


def _order_admin(session: Session, req: Request) -> Granted:
    # Someone who administers nothing learns nothing, not even whether the order exists.
    scope = roles.admin_scope(session, req.identity)
    if not scope:
        raise WorkflowError(t("admin_only"))
    order = lookup.order_by_number(session, req.args[0] if req.args else None)
    if order.community_id not in scope.communities:
        raise WorkflowError(t("admin_only"))
    return Granted(order=order)


def _community_admin(session: Session, req: Request) -> Granted:
    covered = _listing_admin(session, req).communities or ()
    if len(covered) != 1:
        names = session.exec(select(Community.name).where(col(Community.id).in_(covered))
                             .order_by(col(Community.id))).all()
        head = req.incoming.text.split()[0] if req.incoming.text.strip() else "/whistle"
        raise WorkflowError(t("admin_which_community", communities="、".join(names),
                              example=f"{head} @{names[0] if names else ''}"))
    return Granted(community=session.get(Community, covered[0]))


def _listing_admin(session: Session, req: Request) -> Granted:
    """The communities named by a leading ``@社区名`` (taken off the arguments), else the
    bound group's, else every one the sender administers."""
    scope = roles.admin_scope(session, req.identity)
    if not scope.communities:
        raise WorkflowError(t("admin_only"))
    if req.args and req.args[0][:1] in _AT:
        named = _named(session, req.args.pop(0)[1:], scope)
        return Granted(communities=(named,))
    bound = lookup.group_community(session, req)
    if bound is not None:
        if bound.id not in scope.communities:
            raise WorkflowError(t("admin_only"))
        return Granted(communities=(stored_id(bound),))
    return Granted(communities=tuple(sorted(scope.communities)))


def _named(session: Session, name: str, scope: roles.AdminScope) -> int:
    """The community ``@name`` names, if the sender administers it."""
    named = people.community_named(session, name)
    if named is None:
        raise WorkflowError(t("no_such_community", name=name))
    if named.id not in scope.communities:
        raise WorkflowError(t("admin_not_of", community=named.name))
    return stored_id(named)


def _binding_admin(session: Session, req: Request) -> Granted:
    name = " ".join(req.args)
    named = people.community_named(session, name)
    if named is None:
        raise WorkflowError(t("no_such_community", name=name))
    bound = lookup.group_community(session, req)
    scope = roles.admin_scope(session, req.identity)
    # Rebinding takes the group from its community, so that community's admins must agree.
    for needed in {named.id, bound.id if bound else named.id}:
        if needed not in scope.communities:
            raise WorkflowError(t("bind_needs_admin",
                                  community=session.get_one(Community, needed).name))
    return Granted(community=named)


def _district_admin(session: Session, req: Request) -> Granted:
    scope = roles.admin_scope(session, req.identity)
    if not scope.district:
        raise WorkflowError(t("district_admin_only"))
    return Granted(communities=tuple(sorted(scope.communities)))


_AT = ("@", "＠")  # how a community is named in a command: /whistle @幸福里社区 …


_CHECKS: dict[Role, Callable[[Session, Request], Granted]] = {
    Role.ANYONE: _anyone, Role.MEMBER: _member, Role.ORDER_ADMIN: _order_admin,
    Role.COMMUNITY_ADMIN: _community_admin, Role.LISTING_ADMIN: _listing_admin,
    Role.BINDING_ADMIN: _binding_admin, Role.DISTRICT_ADMIN: _district_admin,
}
