"""Boards (排行榜): Top 50 members and units by hours, services, points and rating.

A board covers one community, or the whole district. The daily sweep stores every board in
``BoardEntry`` (one GROUP BY … ORDER BY … LIMIT query per board); /top reads that snapshot,
so a busy group asking /top costs one indexed read. Before the first refresh /top computes
the board on the spot with the same query.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta

from sqlalchemy import Float, cast, delete, func
from sqlmodel import Session, col, select

from handlers.context import Context
from handlers.tallies import METRICS, tally
from storage.boards import BoardEntry
from storage.models import Community, Member, Unit

TOP = 50
SUBJECTS = ("member", "unit")
REFRESH_EVERY = timedelta(days=1)


@dataclass(frozen=True)
class Line:
    """One ranked line: who, and their value on the board's metric."""

    rank: int
    subject_id: int
    name: str
    value: float


def compute(session: Session, community_id: int | None, subject: str, metric: str,
            limit: int = TOP) -> list[Line]:
    """A board computed now: the top ``limit`` members or units of a community (or all).

    Ties are broken by the lower id, so the order is stable between refreshes.
    """
    scores = tally(session, metric)
    total, n = func.sum(scores.c.total), func.sum(scores.c.n)
    value = cast(total, Float) / n if metric == "rating" else total
    table = Member if subject == "member" else Unit
    query = select(table.id, table.name, value.label("value")).select_from(table)
    if subject == "unit":
        query = query.join(Member, Member.unit_id == Unit.id)
    query = query.join(scores, scores.c.member_id == Member.id)
    if community_id is not None:
        query = query.where(Member.community_id == community_id)
    query = (query.group_by(table.id, table.name).having(value > 0)
             .order_by(value.desc(), col(table.id)).limit(limit))
    return [Line(i, row[0], row[1], float(row[2]))
            for i, row in enumerate(session.execute(query).all(), start=1)]


def stored(session: Session, community_id: int | None, subject: str, metric: str) -> list[Line]:
    """A board as the last refresh stored it."""
    rows = session.exec(select(BoardEntry).where(
        BoardEntry.community_id == community_id, BoardEntry.subject == subject,
        BoardEntry.metric == metric).order_by(BoardEntry.rank)).all()
    return [Line(r.rank, r.subject_id, r.name, r.value) for r in rows]


def board(session: Session, community_id: int | None, subject: str, metric: str) -> list[Line]:
    """The board /top shows: the stored snapshot, or computed now before the first refresh."""
    if session.exec(select(BoardEntry.id)).first() is None:
        return compute(session, community_id, subject, metric)
    return stored(session, community_id, subject, metric)


def refresh(ctx: Context) -> None:
    """Replace the snapshot with every board (each community and the district) as of now."""
    ctx.session.execute(delete(BoardEntry))
    scopes: list[int | None] = [None, *ctx.session.exec(select(Community.id)).all()]
    for community_id in scopes:
        for subject in SUBJECTS:
            for metric in METRICS:
                for line in compute(ctx.session, community_id, subject, metric):
                    ctx.session.add(BoardEntry(
                        community_id=community_id, subject=subject, metric=metric,
                        rank=line.rank, subject_id=line.subject_id, name=line.name[:200],
                        value=line.value, refreshed_at=ctx.now))
