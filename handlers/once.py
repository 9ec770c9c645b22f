"""Notices sent once: what a sweep (or a racing registration) has already done."""

from __future__ import annotations

from typing import Any

from sqlalchemy import ColumnElement, String, cast, func, literal, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Mapped
from sqlmodel import Session, col

from handlers.context import Context
from storage.db import dialect_insert
from storage.messaging import SUBJECT_CHARS, SentNotice
from storage.rows import core, table_of


def already_sent(ctx: Context, kind: str, subject: str) -> bool:
    """Record that notice ``kind`` about ``subject`` is being sent; True if it was before.

    The unique key settles a race between two bots sweeping at once: one inserts, the
    other sees the clash and sends nothing.
    """
    try:
        with ctx.session.begin_nested():
            ctx.session.add(SentNotice(kind=kind, subject=subject[:SUBJECT_CHARS],
                                       at=ctx.now))
            ctx.session.flush()
    except IntegrityError:
        return True
    return False


def first_sent(ctx: Context, kind: str, subjects: list[str]) -> list[str]:
    """Record notice ``kind`` for every subject at once; the subjects it had not been sent
    about before (those to send now).

    One INSERT for all of them that skips the subjects recorded already (another bot
    sweeping at once may have recorded some: those are left to it) and returns the rest.
    """
    if not subjects:
        return []
    recorded = set(core(ctx.session).execute(
        dialect_insert(ctx.session, SentNotice).on_conflict_do_nothing()
        .returning(table_of(SentNotice).c.subject),
        [{"kind": kind, "subject": subject[:SUBJECT_CHARS], "at": ctx.now}
         for subject in subjects]
    ).scalars())
    chosen = []
    for subject in subjects:  # each recorded once: a repeat (or one cut short alike) was not
        if subject[:SUBJECT_CHARS] in recorded:
            recorded.discard(subject[:SUBJECT_CHARS])
            chosen.append(subject)
    return chosen


def first_sent_each(ctx: Context, kind: str, subject: ColumnElement[str],
                    *where: ColumnElement[bool]) -> list[str]:
    """Record notice ``kind`` for every row ``where`` selects, about its ``subject`` (built
    in SQL, e.g. from a member's id), in one INSERT … SELECT; the subjects it had not been
    sent about before (another bot sweeping at once may have recorded some: those are
    left to it)."""
    source = select(literal(kind), func.substr(subject, 1, SUBJECT_CHARS),
                    literal(ctx.now, table_of(SentNotice).c["at"].type)).where(*where)
    return list(core(ctx.session).execute(
        dialect_insert(ctx.session, SentNotice).from_select(["kind", "subject", "at"], source)
        .on_conflict_do_nothing().returning(col(SentNotice.subject))).scalars().all())


def sent_before(session: Session, kind: str, subject: str) -> bool:
    """Whether notice ``kind`` about ``subject`` was recorded, read without writing (a sweep
    working out what to do in a plain read; ``already_sent`` settles it when writing)."""
    return session.execute(select(col(SentNotice.id)).where(
        col(SentNotice.kind) == kind, col(SentNotice.subject) == subject[:SUBJECT_CHARS]).limit(1)
    ).first() is not None


def not_yet_sent(kind: str, subject: ColumnElement[str]) -> ColumnElement[bool]:
    """A WHERE clause for rows whose notice ``kind`` has not been sent, so a sweep re-run
    every few minutes skips what it already did in SQL instead of trying each row again."""
    return ~select(col(SentNotice.id)).where(col(SentNotice.kind) == kind,
                                             col(SentNotice.subject) == subject).exists()


def text_of(column: ColumnElement[Any] | Mapped[Any]) -> ColumnElement[str]:
    """A column as text, for building a notice's subject in SQL."""
    return cast(column, String)
