"""Learning's stamp: the newest example and term ids a community's learning is built from
(``handlers.learning.learned``), and the way a statement that reads the community reads the
stamp too.

A need the lexicon is not sure of asks for the stamp; reading it with the community the
need is filed in (the group's, the remembered one, the only one) spares that statement.
What was read is noted for the transaction and taken by the first ``learned_for`` of that
community; storing a decision (``handlers.learning.examples.record``, ``terms.decide``)
drops every note, as it moves the stamp, and with them whatever a caller read with a stamp
and holds for the transaction under a key of its own (``hold``).
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from sqlalchemy import ColumnElement, Select, case, func, select
from sqlalchemy.orm import aliased
from sqlmodel import Session

from storage.learning import CommunityTerm, ReviewExample
from storage.models import Community
from storage.rows import table_of

Stamp = tuple[int | None, int | None, int | None]
"""(newest own example id, newest district example id, newest own term id)."""

WIDTH = 3
"""How many columns ``with_stamp`` adds."""
_NOTED = "whistle_learning_stamps"
_HELD = "whistle_holding_stamps"


def neighbours(community_id: Any) -> Select:
    """The ids of the communities of ``community_id``'s street office (None: every one);
    the id may be a bound parameter or a column of an enclosing statement."""
    communities = table_of(Community)
    if community_id is None:
        return select(communities.c.id)
    office, same = aliased(communities), aliased(communities)
    # Said outright: a column of an enclosing statement is two levels up, where the
    # automatic correlation does not look, and would be read as a table of its own.
    return select(same.c.id).where(same.c.district_id.is_not_distinct_from(
        select(office.c.district_id).where(office.c.id == community_id)
        .correlate_except(office).scalar_subquery()))


def stamp_columns(community_id: Any) -> tuple[ColumnElement[Any], ...]:
    """The stamp of ``community_id`` (None: the district as a whole; else a bound parameter
    or a column of an enclosing statement) as three columns of indexed maxima.

    The district's newest is read only while the community has no example of its own: with
    one, the district's does not matter (``learned_for``) and is left unread.
    """
    examples, terms = table_of(ReviewExample).c, table_of(CommunityTerm).c
    own = select(func.max(examples.id)).where(
        examples.community_id.is_(None) if community_id is None
        else examples.community_id == community_id).scalar_subquery()
    district = select(func.max(examples.id)).where(
        examples.community_id.in_(neighbours(community_id))).scalar_subquery()
    newest_term = select(func.max(terms.id)).where(
        terms.community_id.is_(None) if community_id is None
        else terms.community_id == community_id).scalar_subquery()
    # No community (an outer join's, for someone who filed nowhere) has no district: its
    # neighbours are not looked for among the communities of none.
    unknown = [] if community_id is None else [(community_id.is_(None), None)]
    return (own.label("stamp_own"),
            case(*unknown, (own.is_(None), district)).label("stamp_district"),
            newest_term.label("stamp_terms"))


def with_stamp(query: Select, community_id: ColumnElement[Any]) -> Select:
    """``query`` with the stamp of the community ``community_id`` (a column of it) as its
    last ``WIDTH`` columns, for ``noted``."""
    return query.add_columns(*stamp_columns(community_id))


def noted(session: Session, community_id: int | None, row: Sequence[Any]) -> None:
    """Keep for this transaction the stamp a ``with_stamp`` statement read with the
    community (its last ``WIDTH`` columns)."""
    if community_id is not None:
        own, district, terms = row[-WIDTH:]
        session.info.setdefault(_NOTED, {})[community_id] = (own, district, terms)


def take(session: Session, community_id: int | None) -> Stamp | None:
    """The stamp noted for ``community_id`` in this transaction, given up as it is taken
    (a later question reads it afresh); None when none was noted."""
    held: dict[int, Stamp] = session.info.get(_NOTED, {})
    return held.pop(community_id, None) if community_id is not None else None


def hold(session: Session, key: str, value: object) -> None:
    """Keep ``value`` for this transaction under the caller's own ``key``: something read
    with a stamp, so dropped with the notes (``forget``)."""
    session.info.setdefault(_HELD, {})[key] = value


def take_held(session: Session, key: str) -> Any:
    """What ``hold`` kept under ``key`` in this transaction, given up as it is taken; None
    when nothing was, or when a decision stored since dropped it."""
    return session.info.get(_HELD, {}).pop(key, None)


def forget(session: Session) -> None:
    """Drop every stamp noted in this transaction, and all held with one: a decision was
    stored, which moves it."""
    session.info.pop(_NOTED, None)
    session.info.pop(_HELD, None)
