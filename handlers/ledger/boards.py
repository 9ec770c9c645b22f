"""Boards (排行榜): Top 50 members and units by hours, services, points and rating.

A board covers one community, or the whole district. The daily sweep stores every board in
``BoardEntry`` (ranked in SQL by ``handlers.ledger.snapshot``); /top reads that snapshot,
so a busy group asking /top costs one indexed read. Before the first refresh /top computes
the board on the spot with the same query.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta
from typing import Any

from sqlalchemy import ColumnElement, CompoundSelect, Float, Select, cast, delete, func, insert
from sqlalchemy import select as wide_select
from sqlalchemy.orm import Mapped
from sqlmodel import Session, col, select

from handlers.context import Context
from handlers.ledger.snapshot import COLUMNS, district_members, ranked
from handlers.ledger.snapshot import SUBJECTS as SUBJECTS  # what /top may rank
from handlers.ledger.tallies import METRICS as METRICS  # what /top may name
from handlers.ledger.tallies import tally
from storage.boards import BoardEntry
from storage.db import commit_own, read_first
from storage.models import Community, Member, Unit
from storage.rows import core, table_of

TOP = 50
REFRESH_EVERY = timedelta(days=1)
SCOPES_A_TRANSACTION = 10  # communities whose boards one write transaction swaps
_LINES = insert(table_of(BoardEntry))


@dataclass(frozen=True)
class Line:
    """One ranked line: who, and their value on the board's metric."""

    rank: int
    subject_id: int
    name: str
    value: float


def _scored(subject: str, metric: str
            ) -> tuple[Select, ColumnElement[Any], Mapped[int | None]]:
    """Members' or units' values on a metric, grouped; with the value and the subject's id,
    to rank by."""
    scores = tally(metric)
    total, n = func.sum(scores.c.total), func.sum(scores.c.n)
    value: ColumnElement[Any] = cast(total, Float) / n if metric == "rating" else total
    table: type[Member] | type[Unit] = Member if subject == "member" else Unit
    subject_id, name = col(table.id), col(table.name)
    query = wide_select(subject_id, name, value.label("value")).select_from(table)
    if subject == "unit":
        query = query.join(Member, col(Member.unit_id) == Unit.id)
    else:
        query = query.where(col(Member.active).is_(True))  # a member who left is not ranked
    query = (query.join(scores, scores.c.member_id == Member.id)
             .group_by(subject_id, name).having(value > 0))
    return query, value, subject_id


def compute(session: Session, community_id: int | None, subject: str, metric: str,
            limit: int = TOP) -> list[Line]:
    """A board computed now: the top ``limit`` members or units of a community (or all).

    Ties are broken by the lower id, so the order is stable between refreshes.
    """
    query, value, subject_id = _scored(subject, metric)
    if community_id is not None:
        query = query.where(col(Member.community_id) == community_id)
    query = query.order_by(value.desc(), subject_id).limit(limit)
    return [Line(i, row[0], row[1], round(float(row[2]), 9))
            for i, row in enumerate(session.execute(query).all(), start=1)]


def stored(session: Session, community_id: int | None, subject: str, metric: str) -> list[Line]:
    """A board as the last refresh stored it (values to 9 places, as ``compute`` gives them)."""
    rows = session.exec(select(BoardEntry).where(
        BoardEntry.community_id == community_id, BoardEntry.subject == subject,
        BoardEntry.metric == metric).order_by(col(BoardEntry.rank))).all()
    return [Line(r.rank, r.subject_id, r.name, round(r.value, 9)) for r in rows]


def board(session: Session, community_id: int | None, subject: str, metric: str) -> list[Line]:
    """The board /top shows: the stored snapshot, or computed now before the first refresh."""
    if session.exec(select(BoardEntry.id)).first() is None:
        return compute(session, community_id, subject, metric)
    return stored(session, community_id, subject, metric)


def refresh(ctx: Context) -> None:
    """Replace the snapshot with every board (each community and the district) as of now.

    Each community's boards are ranked and written by one INSERT … SELECT
    (``handlers.ledger.snapshot``), ``SCOPES_A_TRANSACTION`` communities a short
    transaction, so /top never shows half a community's boards. The district's are worked
    out in plain reads (``storage.db.reading``: no write lock meanwhile), its units' over
    every member before, its members' from the communities' boards after, and swapped in
    one short transaction at the end.
    """
    units = _read(ctx, ranked(ctx.now, TOP, by_community=False, subjects=("unit",)))
    scopes: list[int] = sorted(  # and those of boards left of a community no longer there
        {c for c in ctx.session.exec(select(Community.id)).all() if c is not None}
        | {c for c in ctx.session.execute(wide_select(col(BoardEntry.community_id))
                                          .distinct()).scalars() if c is not None})
    write = insert(table_of(BoardEntry)).from_select(COLUMNS, ranked(ctx.now, TOP))
    for first in range(0, len(scopes), SCOPES_A_TRANSACTION):
        part = scopes[first:first + SCOPES_A_TRANSACTION]
        ctx.session.execute(delete(BoardEntry).where(col(BoardEntry.community_id).in_(part)))
        core(ctx.session).execute(write, {"communities": part})
        commit_own(ctx.session)
    district = units + _read(ctx, district_members(ctx.now, TOP))
    ctx.session.execute(delete(BoardEntry).where(col(BoardEntry.community_id).is_(None)))
    if district:
        core(ctx.session).execute(_LINES, district)
    commit_own(ctx.session)


def _read(ctx: Context, query: Select | CompoundSelect) -> list[dict[str, Any]]:
    """Board lines ``query`` ranks, as values to insert, read before the write."""
    with read_first(ctx.session) as reader:
        return [dict(zip(COLUMNS, row, strict=True)) for row in reader.execute(query)]

