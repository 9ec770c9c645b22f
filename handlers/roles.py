"""Roles (管理权限): what an identity administers, a community's or a street office's (街道).

``handlers.people.to_admins`` chooses whom a message for a community's admins reaches by
the same cover of a street office's role (``office_covers``).
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import ColumnElement, and_, or_
from sqlmodel import Session, col, select

from storage.models import Admin, Community, Identity
from storage.rows import table_of


@dataclass(frozen=True)
class AdminScope:
    """What an identity administers.

    Attributes:
        communities: Every community it may act for: its own, and each community of a
            street office (街道) it administers.
        district: Whether it holds a street office's role (its /help has that section).
    """

    communities: frozenset[int] = frozenset()
    district: bool = False

    def __bool__(self) -> bool:
        return bool(self.communities) or self.district


def office_covers(district_id: ColumnElement[int | None]) -> ColumnElement[bool]:
    """Whether an admin row is a street office's role covering a community of the street
    office ``district_id``: a role granted before there were offices covers every one."""
    return and_(col(Admin.community_id).is_(None),
                or_(col(Admin.district_id).is_(None), col(Admin.district_id) == district_id))


def admin_scope(session: Session, ident: Identity) -> AdminScope:
    """What this identity administers, in one statement (none for a plain resident).

    A street office's role covers the communities of that office; one granted before there
    were street offices (no ``district_id``) covers every community.
    """
    rows = session.exec(
        select(Admin.community_id, Community.id)
        .outerjoin(Community, office_covers(table_of(Community).c.district_id))
        .where(Admin.channel == ident.channel, Admin.user_id == ident.user_id)
    ).all()
    covered_ids = {own if own is not None else office for own, office in rows}
    return AdminScope(frozenset(key for key in covered_ids if key is not None),
                      any(own is None for own, _ in rows))

