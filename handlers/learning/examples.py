"""Storing each decision on an order's duty as a labelled example (审核样本).

Whoever settles an order's duty teaches the classifier: /approve confirms the bot's guess,
/approve 号 类别 and /recat correct it, and a resident's pick among the bot's guesses (the
ask-when-unsure buttons) settles it too. Each calls ``record`` *before* changing
``order.duty``, so the order's duty at that moment is the guess being judged.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from enum import StrEnum
from typing import cast

from sqlalchemy import Select
from sqlmodel import Session, col, select

from storage import stamps
from storage.learning import ReviewExample
from storage.models import Order, stored_id

DISTRICT_LIMIT = 5000
"""A community without examples learns from at most this many of the district's newest."""


class Source(StrEnum):
    """Whose decision an example records."""

    APPROVE = "approve"
    """/approve: the admin confirmed the bot's guess."""
    CORRECT = "correct"
    """/approve 号 类别: the admin approved under another duty."""
    RECAT = "recat"
    """/recat: the admin moved the order to another duty."""
    RESIDENT = "resident"
    """The resident picked the duty from the bot's buttons."""


def record(session: Session, order: Order, duty: str, source: Source, at: datetime) -> None:
    """Store ``duty`` as the reviewed duty of ``order``'s text; call before changing
    ``order.duty``.

    One example per order: a later decision replaces the earlier one and keeps the guess
    the bot first made, so correcting an approved order counts as a correction. The
    replacement gets a new id, which is how every process notices that what was learned
    changed. Events the community called itself (/whistle) have no guess and are skipped.

    Args:
        session: The unit of work's session.
        order: The order decided on, flushed (it has an id).
        duty: The duty the person settled on, a key of ``nlu.DUTIES``.
        source: Whose decision it was.
        at: When (UTC).
    """
    if order.resident_id is None:
        return
    order_id = stored_id(order)
    earlier = session.exec(select(ReviewExample).where(
        col(ReviewExample.order_id) == order_id)).first()
    if earlier is not None and earlier.duty == duty:
        return
    guessed = earlier.guessed if earlier is not None else (order.duty or "")
    stamps.forget(session)
    if earlier is not None:
        session.delete(earlier)
        session.flush()
    session.add(ReviewExample(community_id=order.community_id, order_id=order_id,
                              text=order.text, guessed=guessed, duty=duty,
                              source=source.value, decided_at=at))


def labelled(session: Session, communities: Sequence[int] | Select | None,
             limit: int | None = None) -> list[tuple[str, str, str]]:
    """(guessed, duty, text) of the examples of ``communities`` (their ids, or a query of
    them; None: every community's), newest first, at most ``limit``."""
    query = select(ReviewExample.guessed, ReviewExample.duty, ReviewExample.text)
    if communities is not None:
        query = query.where(col(ReviewExample.community_id).in_(communities))
    rows = session.exec(query.order_by(col(ReviewExample.id).desc()).limit(limit)).all()
    return [(guessed, duty, text) for guessed, duty, text in rows]



Learnable = tuple[int, int, str, str]
"""(example id, order id, duty, text)."""


def learnable(session: Session, communities: Sequence[int] | Select, limit: int,
              after: int | None = None) -> list[Learnable]:
    """The examples of ``communities`` to learn from, oldest first: the newest ``limit``, or
    (``after``) at most ``limit`` of those with an id above it, the oldest of them."""
    query = select(ReviewExample.id, ReviewExample.order_id, ReviewExample.duty,
                   ReviewExample.text).where(col(ReviewExample.community_id).in_(communities))
    if after is None:
        rows = list(session.exec(query.order_by(col(ReviewExample.id).desc()).limit(limit)))
        rows.reverse()
    else:
        rows = list(session.exec(query.where(col(ReviewExample.id) > after)
                                 .order_by(col(ReviewExample.id)).limit(limit)))
    # A stored row's id is never NULL: ReviewExample.id is optional only before a flush.
    return [(cast(int, stored), order, duty, text) for stored, order, duty, text in rows]
