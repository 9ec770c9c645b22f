"""Per-member tallies as SQL subqueries: services, hours, points and ratings.

Boards and quotas join these to members and units and aggregate in the database (GROUP BY,
ORDER BY, LIMIT), so no rule walks every row in Python. Each tally has the columns
``member_id``, ``total`` and ``n``: a board's value is ``total`` for the additive metrics and
``total / n`` (stars per rating) for ``rating``.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import ColumnElement, Float, Subquery, cast, extract, func, literal
from sqlalchemy.orm import aliased
from sqlmodel import Session, col, select

from storage.ledger import PointEntry
from storage.models import Acceptance, AcceptanceStatus, CheckIn, CheckInKind, Rating

METRICS = ("hours", "services", "points", "rating")
# Places whose holders did the rated work: a released place is a returned order's last round.
_RATED_PLACES = (AcceptanceStatus.ACCEPTED, AcceptanceStatus.RELEASED)


def _seconds(session: Session, start: ColumnElement[datetime],
             end: ColumnElement[datetime]) -> ColumnElement[float]:
    """``end - start`` in seconds, in the dialect's own date arithmetic."""
    if session.get_bind().dialect.name == "sqlite":
        # julianday is a float of days: 2 h comes back as 7199.99997 s, and ten such
        # services would fall short of a 20-hour quota. Whole seconds are exact.
        return func.round((func.julianday(end) - func.julianday(start)) * 86400.0)
    return extract("epoch", end - start)


def services(session: Session, since: datetime | None = None,
             until: datetime | None = None) -> Subquery:
    """Services finished (a ``done`` check-in) and hours served, per member.

    ``total`` is the hours (each finish paired with the latest arrival before it), ``n`` the
    number of services; ``since``/``until`` bound the finishing time.
    """
    arrive, done = aliased(CheckIn), aliased(CheckIn)
    arrived_at = (select(func.max(arrive.at))
                  .where(arrive.order_id == done.order_id, arrive.member_id == done.member_id,
                         arrive.kind == CheckInKind.ARRIVE, arrive.at <= done.at)
                  .scalar_subquery())
    seconds = func.coalesce(func.sum(_seconds(session, arrived_at, done.at)), 0)
    query = (select(done.member_id.label("member_id"),
                    (cast(seconds, Float) / 3600.0).label("total"),
                    func.count(done.id).label("n"))
             .where(done.kind == CheckInKind.DONE).group_by(done.member_id))
    if since is not None:
        query = query.where(done.at >= since)
    if until is not None:
        query = query.where(done.at < until)
    return query.subquery()


def service_counts(session: Session) -> Subquery:
    """Services per member as ``total`` (``n`` is 1), for the ``services`` board."""
    tally = services(session)
    return select(tally.c.member_id, cast(tally.c.n, Float).label("total"),
                  literal(1).label("n")).subquery()


def points() -> Subquery:
    """Each member's points balance: the sum of their ledger (积分余额)."""
    return (select(PointEntry.member_id.label("member_id"),
                   cast(func.sum(PointEntry.delta), Float).label("total"),
                   literal(1).label("n"))
            .group_by(PointEntry.member_id).subquery())


def ratings() -> Subquery:
    """Stars and ratings received per member, for the work they held a place on; a 默认好评
    is no resident's opinion and is left out."""
    return (select(Acceptance.member_id.label("member_id"),
                   cast(func.sum(Rating.stars), Float).label("total"),
                   func.count(Rating.id).label("n"))
            .join(Acceptance, (Acceptance.order_id == Rating.order_id)
                  & (Acceptance.round == Rating.round))
            .where(col(Acceptance.status).in_(_RATED_PLACES), col(Rating.by_default).is_(False))
            .group_by(Acceptance.member_id).subquery())


def tally(session: Session, metric: str) -> Subquery:
    """The tally a board of ``metric`` ranks by."""
    if metric == "hours":
        return services(session)
    if metric == "services":
        return service_counts(session)
    if metric == "points":
        return points()
    if metric == "rating":
        return ratings()
    raise ValueError(f"no such metric: {metric}")
