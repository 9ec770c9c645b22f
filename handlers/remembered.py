"""The community a person filed their last need in: read with their resident row, its
time rules and learning's stamp in one statement, or, on PostgreSQL, read ahead in the
statement that marks them seen (``handlers.chat.presence``), a round trip fewer for every
need from someone who filed one before."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from sqlalchemy import ColumnElement, Select, bindparam
from sqlalchemy import select as wide_select
from sqlmodel import Session

from handlers.people import member_of, note_community, with_community_notes
from storage import stamps
from storage.models import Community, Identity, Resident
from storage.rows import attach_joined, core, table_of
from storage.timers import TimeRules


def _remembered() -> Select:
    """A resident with their community, its time rules and learning's stamp; built once,
    as building a statement costs more than running it."""
    residents, communities = table_of(Resident), table_of(Community)
    return with_community_notes(
        wide_select(*residents.c, *communities.c, *table_of(TimeRules).c).outerjoin(
            communities, communities.c.id == residents.c.community_id),
        communities.c.id).where(residents.c.id == bindparam("resident"))


_REMEMBERED = _remembered()
_RESIDENT_WIDTH = len(table_of(Resident).c)
_AHEAD = "remembered_read_ahead"


def with_remembered(query: Select, resident_id: ColumnElement[Any]) -> Select:
    """``query`` reading ahead, as its last columns, what ``remembered_community`` reads:
    the resident ``resident_id`` (a column of it) with their community, its time rules and
    learning's stamp; all None for someone who never filed a need."""
    residents, communities = table_of(Resident), table_of(Community)
    return with_community_notes(
        query.add_columns(*residents.c, *communities.c, *table_of(TimeRules).c)
        .outerjoin(residents, residents.c.id == resident_id)
        .outerjoin(communities, communities.c.id == residents.c.community_id),
        communities.c.id)


def note_remembered(session: Session, row: Sequence[Any]) -> None:
    """Keep for ``remembered_community`` what a ``with_remembered`` statement read ahead
    (``row``, its last columns). Held with learning's notes (``stamps.hold``), so storing
    a decision drops it with them: it holds a stamp."""
    if row[0] is not None:
        stamps.hold(session, _AHEAD, row)


def _read_ahead(session: Session, resident_id: int) -> Sequence[Any] | None:
    """The row read ahead for ``resident_id``, given up as it is taken; None when none
    was, or when the session has taken in the resident, their community or its rules
    since: what it holds may have changed, so they are read afresh."""
    row = stamps.take_held(session, _AHEAD)
    if row is None or row[0] != resident_id:
        return None
    community_id = row[_RESIDENT_WIDTH]
    held = session.identity_map
    if session.identity_key(Resident, resident_id) in held or community_id is not None and (
            session.identity_key(Community, community_id) in held
            or session.identity_key(TimeRules, community_id) in held):
        return None
    return row


def remembered_community(session: Session,
                         ident: Identity) -> tuple[Community | None, Resident | None]:
    """The community the person filed their last need in, else the one they serve as a
    member; and their resident row, read with it in one statement, or read ahead with their
    arrival (``with_remembered``)."""
    resident = community = None
    if ident.resident_id:
        row = _read_ahead(session, ident.resident_id) or core(session).execute(
            _REMEMBERED, {"resident": ident.resident_id}).first()
        resident, community, rules = (attach_joined(session, row, Resident, Community, TimeRules)
                                      if row is not None else (None, None, None))
        note_community(session, community, rules, row)
    member = member_of(session, ident) if community is None else None
    if member is not None:
        community = session.get(Community, member.community_id)
    return community, resident
