"""Who may run a command: each role's check, run by the registry before any handler.

A check that passes hands the handler what it established (the sender's member row, the
order named, the community acted for), so no handler looks any of it up or checks it again.
"""

from __future__ import annotations

from collections.abc import Callable
from enum import Enum

from sqlmodel import Session, select

from handlers import people
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
    """An admin of the bound group's community, or of their only one: ``req.community``."""
    LISTING_ADMIN = "listing_admin"
    """An admin, over the bound group's community or every one they have:
    ``req.communities``."""
    BINDING_ADMIN = "binding_admin"
    """An admin of the community the arguments name and of the one the group is bound to
    now: ``req.community`` (the one named)."""
    DISTRICT_ADMIN = "district_admin"
    """A district-wide admin: ``req.communities`` (all of them)."""


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
    scopes = people.admin_communities(session, identity)
    if scopes:
        held.add(Audience.ADMIN)
    if None in scopes:
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
    if not people.admin_communities(session, req.identity):
        raise WorkflowError(t("admin_only"))
    order = lookup.order_by_number(session, req.args[0] if req.args else None)
    if not people.is_admin_of(session, req.identity, order.community_id):
        raise WorkflowError(t("admin_only"))
    return Granted(order=order)


def _community_admin(session: Session, req: Request) -> Granted:
    scope = _listing_admin(session, req).communities or ()
    if len(scope) != 1:
        raise WorkflowError(t("admin_which_community"))
    return Granted(community=session.get(Community, scope[0]))


def _listing_admin(session: Session, req: Request) -> Granted:
    bound = lookup.group_community(session, req)
    scopes = people.admin_communities(session, req.identity)
    if not scopes or (bound is not None and None not in scopes and bound.id not in scopes):
        raise WorkflowError(t("admin_only"))
    if bound is not None:
        return Granted(communities=(stored_id(bound),))
    if None in scopes:
        return Granted(communities=_every_community(session))
    return Granted(communities=tuple(c for c in scopes if c is not None))


def _binding_admin(session: Session, req: Request) -> Granted:
    name = " ".join(req.args)
    named = people.community_named(session, name)
    if named is None:
        raise WorkflowError(t("no_such_community", name=name))
    bound = lookup.group_community(session, req)
    # Rebinding takes the group from its community, so that community's admins must agree.
    for needed in {named.id, bound.id if bound else named.id}:
        if not people.is_admin_of(session, req.identity, needed):
            raise WorkflowError(t("bind_needs_admin",
                                  community=session.get_one(Community, needed).name))
    return Granted(community=named)


def _district_admin(session: Session, req: Request) -> Granted:
    if None not in people.admin_communities(session, req.identity):
        raise WorkflowError(t("district_admin_only"))
    return Granted(communities=_every_community(session))


def _every_community(session: Session) -> tuple[int, ...]:
    # The key is never NULL in a stored row; the filter only tells the type checker so.
    return tuple(key for key in session.exec(select(Community.id)).all() if key is not None)


_CHECKS: dict[Role, Callable[[Session, Request], Granted]] = {
    Role.ANYONE: _anyone, Role.MEMBER: _member, Role.ORDER_ADMIN: _order_admin,
    Role.COMMUNITY_ADMIN: _community_admin, Role.LISTING_ADMIN: _listing_admin,
    Role.BINDING_ADMIN: _binding_admin, Role.DISTRICT_ADMIN: _district_admin,
}
