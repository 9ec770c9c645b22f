"""Members' duties (认领的职责) as rows, so SQL can pick a duty's members.

``Member.duties`` (a JSON list) stays what the handlers read and write; ``MemberDuty`` is
kept in step with it by mapper events, so every path that saves a member through the ORM
(registration, import, admin edits, the demo) keeps both. Bulk inserts that bypass the ORM
(the sweeps benchmark) write the rows themselves.
"""

from __future__ import annotations

from collections.abc import Iterable

from sqlalchemy import Index, UniqueConstraint, delete, event, insert, inspect
from sqlalchemy.engine import Connection
from sqlalchemy.orm import Mapper
from sqlmodel import Field, SQLModel, col

from storage.models import Member


class MemberDuty(SQLModel, table=True):
    """One duty a member claimed (member_duty): a row per (member, duty)."""

    __tablename__ = "member_duty"
    __table_args__ = (UniqueConstraint("member_id", "duty"),
                      Index("ix_member_duty_duty", "duty", "member_id"))
    id: int | None = Field(default=None, primary_key=True)
    member_id: int = Field(foreign_key="member.id")
    duty: str = Field(max_length=32)


def duty_rows(member_id: int, duties: Iterable[str] | None) -> list[dict[str, object]]:
    """The member_duty rows for a member's duties (each once)."""
    return [{"member_id": member_id, "duty": duty} for duty in dict.fromkeys(duties or [])]


def _write(connection: Connection, member: Member) -> None:
    connection.execute(delete(MemberDuty).where(col(MemberDuty.member_id) == member.id))
    rows = duty_rows(member.id or 0, member.duties)
    if rows:
        connection.execute(insert(MemberDuty), rows)


@event.listens_for(Member, "after_insert")
def _inserted(_mapper: Mapper[Member], connection: Connection, member: Member) -> None:
    if member.duties:
        connection.execute(insert(MemberDuty), duty_rows(member.id or 0, member.duties))


@event.listens_for(Member, "after_update")
def _updated(_mapper: Mapper[Member], connection: Connection, member: Member) -> None:
    if inspect(member).attrs.duties.history.has_changes():
        _write(connection, member)


@event.listens_for(Member, "before_delete")
def _deleted(_mapper: Mapper[Member], connection: Connection, member: Member) -> None:
    connection.execute(delete(MemberDuty).where(col(MemberDuty.member_id) == member.id))
