"""Who a whistle reaches: a duty's active members, chosen in SQL."""

from __future__ import annotations

from collections.abc import Collection

from sqlalchemy import ColumnElement, Select, and_, exists
from sqlalchemy import select as wide_select
from sqlmodel import Session, col, select

from storage.duties import MemberDuty
from storage.models import Identity, Member


def duty_members(community_id: int, duty: str | None, skip: Collection[int] = (),
                 not_resident: int | None = None) -> Select:
    """The ids of the community's active members who claimed ``duty`` (but ``skip``, and but
    the members who are the resident ``not_resident`` themselves)."""
    query = (select(col(Member.id))
             .join(MemberDuty, col(MemberDuty.member_id) == Member.id)
             .where(col(Member.community_id) == community_id, col(MemberDuty.duty) == duty,
                    col(Member.active).is_(True)))
    if skip:
        query = query.where(col(Member.id).not_in(list(skip)))
    if not_resident is not None:
        own: ColumnElement[bool] = exists().where(and_(
            col(Identity.member_id) == Member.id, col(Identity.resident_id) == not_resident))
        query = query.where(~own)
    return query


def duty_members_anywhere(duty: str) -> Select:
    """The ids of every active member, in any community, who claimed ``duty``."""
    return (select(col(MemberDuty.member_id).label("id"))
            .join(Member, col(Member.id) == MemberDuty.member_id)
            .where(col(MemberDuty.duty) == duty, col(Member.active).is_(True)))


def any_of(session: Session, members: Select) -> bool:
    """Whether the selection names anybody."""
    return session.execute(wide_select(members.exists())).scalar_one()
