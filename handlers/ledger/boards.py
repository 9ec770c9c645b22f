"""Boards (排行榜): Top 50 members and units by hours, services, points and rating.

A board covers one community, or the whole district. The daily sweep stores every board in
``BoardEntry`` (GROUP BY … ORDER BY … LIMIT, or ROW_NUMBER per community); /top reads that snapshot,
so a busy group asking /top costs one indexed read. Before the first refresh /top computes
the board on the spot with the same query.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import ColumnElement, Float, Select, cast, delete, false, func, insert, or_
from sqlalchemy import select as wide_select
from sqlalchemy.engine import Engine
from sqlalchemy.orm import Mapped
from sqlmodel import Session, col, select

from handlers.context import Context
from handlers.ledger.snapshot import rank_all
from handlers.ledger.tallies import METRICS, tally
from storage.boards import BoardEntry
from storage.db import reading
from storage.models import Member, Unit
from storage.rows import core, table_of

TOP = 50
SUBJECTS = ("member", "unit")
REFRESH_EVERY = timedelta(days=1)
CHUNK = 1000
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
    """A board as the last refresh stored it."""
    rows = session.exec(select(BoardEntry).where(
        BoardEntry.community_id == community_id, BoardEntry.subject == subject,
        BoardEntry.metric == metric).order_by(col(BoardEntry.rank))).all()
    return [Line(r.rank, r.subject_id, r.name, r.value) for r in rows]


def board(session: Session, community_id: int | None, subject: str, metric: str) -> list[Line]:
    """The board /top shows: the stored snapshot, or computed now before the first refresh."""
    if session.exec(select(BoardEntry.id)).first() is None:
        return compute(session, community_id, subject, metric)
    return stored(session, community_id, subject, metric)


def refresh(ctx: Context) -> None:
    """Replace the snapshot with every board (each community and the district) as of now.

    Four queries whatever the number of communities: the tallies are read once and every
    board ranked from them (``handlers.ledger.snapshot``). They run in a plain read
    (``storage.db.reading``), so only the swap of the snapshot holds the write lock.
    """
    bind = ctx.session.get_bind()
    if isinstance(bind, Engine):
        with reading(bind) as reader:
            rows = _snapshot(reader, ctx.now)
    else:  # a session bound to one connection (a caller's transaction) reads in it
        rows = _snapshot(ctx.session, ctx.now)
    _swap(ctx, rows, commit=isinstance(bind, Engine))


def _swap(ctx: Context, rows: list[dict[str, Any]], commit: bool) -> None:
    """Replace the stored boards with ``rows``, ``SCOPES_A_TRANSACTION`` communities (the
    district first) a short transaction when ``commit``: each community's boards are
    swapped whole, so /top never shows half a board. The lines go in through Core, as
    plain values: a city's boards are some 100,000 lines, and ORM rows cost seconds."""
    scoped: dict[int | None, list[dict[str, Any]]] = {}
    for row in rows:
        scoped.setdefault(row["community_id"], []).append(row)
    old = ctx.session.execute(wide_select(col(BoardEntry.community_id)).distinct()).scalars()
    scopes = sorted(set(scoped) | set(old), key=lambda c: (c is not None, c or 0))
    for first in range(0, len(scopes), SCOPES_A_TRANSACTION):
        part = scopes[first:first + SCOPES_A_TRANSACTION]
        ids = [c for c in part if c is not None]
        ctx.session.execute(delete(BoardEntry).where(or_(
            col(BoardEntry.community_id).in_(ids),
            col(BoardEntry.community_id).is_(None) if None in part else false())))
        batch = [row for scope in part for row in scoped.get(scope, [])]
        for start in range(0, len(batch), CHUNK):
            core(ctx.session).execute(_LINES, batch[start:start + CHUNK])
        if commit:
            ctx.session.commit()


def _snapshot(session: Session, now: datetime) -> list[dict[str, Any]]:
    """Every board's rows as of now (``handlers.ledger.snapshot``: one pass for them all)."""
    return [{"community_id": community_id, "subject": subject, "metric": metric,
             "rank": rank, "subject_id": subject_id, "name": name[:200], "value": value,
             "refreshed_at": now}
            for (subject, metric, community_id), lines in rank_all(session, METRICS, TOP).items()
            for rank, subject_id, name, value in lines]
