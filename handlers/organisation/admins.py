"""Who reviews and dispatches: a community's admins, and a street office's (街道) admins."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import ColumnElement
from sqlmodel import Session, col, select

from handlers.errors import SetupRefused
from handlers.organisation.structure import community, district_named
from handlers.people import identity
from handlers.texts import t
from storage.models import Admin, Community, District

COMMUNITY_ROLE = "community"
DISTRICT_ROLE = "district"


@dataclass(frozen=True)
class Scope:
    """What an admin role covers: one community, or one street office."""

    community_id: int | None
    district_id: int | None
    name: str

    @property
    def role(self) -> str:
        return COMMUNITY_ROLE if self.community_id is not None else DISTRICT_ROLE


def scope(session: Session, community_name: str | None, district_name: str | None) -> Scope:
    """The scope the operator named: a community or a street office, exactly one.

    Raises:
        SetupRefused: Neither or both are named, or the one named does not exist.
    """
    if bool(community_name) == bool(district_name):
        raise SetupRefused(t("setup_admin_scope"))
    if community_name:
        found = community(session, community_name)
        return Scope(found.id, None, found.name)
    office = district_named(session, district_name or "")
    return Scope(None, office.id, office.name)


def _same_role(channel: str, user_id: str, where: Scope) -> list[ColumnElement[bool]]:
    return [col(Admin.channel) == channel, col(Admin.user_id) == user_id,
            col(Admin.community_id).is_(None) if where.community_id is None
            else col(Admin.community_id) == where.community_id,
            col(Admin.district_id).is_(None) if where.district_id is None
            else col(Admin.district_id) == where.district_id]


def grant(session: Session, channel: str, user_id: str, where: Scope) -> str:
    """Make an account an admin of the scope (again is no change); returns the confirmation."""
    identity(session, channel, user_id)
    if session.exec(select(Admin.id).where(*_same_role(channel, user_id, where))).first() is None:
        session.add(Admin(channel=channel, user_id=user_id, role=where.role,
                          community_id=where.community_id, district_id=where.district_id))
        session.flush()
    return t("setup_admin_granted", user=f"{channel}:{user_id}", scope=where.name)


def revoke(session: Session, channel: str, user_id: str, where: Scope) -> str:
    """Take the role back; returns the confirmation.

    Raises:
        SetupRefused: The account holds no such role.
    """
    held = session.exec(select(Admin).where(*_same_role(channel, user_id, where))).all()
    if not held:
        raise SetupRefused(t("setup_admin_not_held", user=f"{channel}:{user_id}",
                             scope=where.name))
    for role in held:
        session.delete(role)
    session.flush()
    return t("setup_admin_revoked", user=f"{channel}:{user_id}", scope=where.name)


def admin_lines(session: Session) -> list[str]:
    """Every admin role, one line each: account and what it covers."""
    rows = session.exec(
        select(Admin.channel, Admin.user_id, Community.name, District.name)
        .join(Community, col(Admin.community_id) == Community.id, isouter=True)
        .join(District, col(Admin.district_id) == District.id, isouter=True)
        .order_by(Admin.channel, Admin.user_id, col(Admin.id))).all()
    return [t("setup_admin_line", user=f"{channel}:{user_id}",
              scope=community_name or district_name or t("setup_whole_district"))
            for channel, user_id, community_name, district_name in rows]
