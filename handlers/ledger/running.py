"""Running tallies (服务累计): each member's services, hours and ratings per quarter.

A ``ServiceTally`` row is ``per_member`` (the one definition of a service) over one member's
quarter in their community's zone, so a tally never counts by a rule of its own: it is the
recount, kept. The workflow recounts the quarters an order's services fall in, in the
transaction of each step that records or rates one (``recount_order``); quotas, boards and
rankings then read a few rows a member (``running``) instead of every service since New Year.
``rebuild`` recounts everyone (a database from before the tallies, bulk-loaded services).
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Collection
from datetime import datetime

from sqlalchemy import BindParameter, Select, Subquery, case, delete, func, insert, literal
from sqlalchemy import select as wide_select
from sqlmodel import Session, col, select

from handlers.ledger.quarters import Quarter, period, quarter_of, shift, start_of
from handlers.ledger.services import Members, per_member
from storage.idlists import one_of_rows
from storage.ledger import ServiceTally
from storage.models import CheckIn, CheckInKind, Community, Member

T = ServiceTally
COLUMNS = ["member_id", "period", "services", "seconds", "star_sum", "rated"]


def recount(session: Session, zone: str, quarter: Quarter, members: Members) -> None:
    """Write the tallies of ``members`` (of communities in ``zone``) for the quarter anew,
    from the one definition of a service: one DELETE and one INSERT … SELECT."""
    label, ids = period(quarter), members if isinstance(members, Select) else list(members or [])
    session.flush()  # the check-in or rating just added is part of the recount
    session.execute(delete(T).where(col(T.period) == label, col(T.member_id).in_(ids)))
    served = per_member(start_of(quarter, zone), start_of(shift(quarter, 1), zone),
                        members=ids)
    session.execute(insert(T).from_select(COLUMNS, wide_select(
        served.c.member_id, literal(label), served.c.services, served.c.seconds,
        func.coalesce(served.c.star_sum, 0), served.c.rated)))


def recount_order(session: Session, order_id: int, member_id: int | None = None) -> None:
    """Recount the quarters in which the order's services (``member_id``'s only, when
    given) were finished, for the members who finished them."""
    session.flush()  # the check-in just added is one of them
    query = (wide_select(col(CheckIn.member_id), col(CheckIn.at), col(Community.timezone))
             .join(Member, col(Member.id) == CheckIn.member_id)
             .join(Community, col(Community.id) == Member.community_id)
             .where(col(CheckIn.order_id) == order_id, col(CheckIn.kind) == CheckInKind.DONE))
    if member_id is not None:
        query = query.where(col(CheckIn.member_id) == member_id)
    due: dict[tuple[str, Quarter], set[int]] = defaultdict(set)
    for member, at, zone in session.execute(query):
        due[zone, quarter_of(at, zone)].add(member)
    for (zone, quarter), members in sorted(due.items()):
        recount(session, zone, quarter, members)


def rebuild(session: Session, members: Collection[int] | None = None) -> None:
    """Recount every quarter in which anybody (of ``members``, when given) finished a
    service, zone by zone: a few statements a quarter, however many the services."""
    span = (wide_select(func.min(CheckIn.at), func.max(CheckIn.at))
            .where(col(CheckIn.kind) == CheckInKind.DONE))
    if members is not None:
        span = span.where(col(CheckIn.member_id).in_(list(members)))
    first, last = session.execute(span).one()
    zones = session.exec(select(Community.timezone).distinct()).all()
    for zone in zones:
        in_zone = (select(col(Member.id)).join(Community, col(Community.id) == Member.community_id)
                   .where(col(Community.timezone) == zone))
        ids: Select | list[int] = in_zone
        if members is not None:  # a list, so the database reads these members' check-ins only
            ids = [m for m in session.exec(in_zone.where(col(Member.id).in_(list(members))))
                   .all() if m is not None]
        session.execute(delete(T).where(col(T.member_id).in_(ids)))
        for quarter in _quarters(first, last, zone):
            recount(session, zone, quarter, ids)


def _quarters(first: datetime | None, last: datetime | None, zone: str) -> list[Quarter]:
    if first is None or last is None:
        return []
    quarters, quarter = [], quarter_of(first, zone)
    while quarter <= quarter_of(last, zone):
        quarters.append(quarter)
        quarter = shift(quarter, 1)
    return quarters


def running(periods: Collection[str] | None = None, recent: Collection[str] = (),
            members_of: Collection[int] | BindParameter | None = None) -> Subquery:
    """Each member's tallies summed over the quarters named (all when None), by the members
    of the communities ``members_of`` only when given (ids, or an expanding parameter that
    names them when the statement runs): the columns of ``per_member`` (``services``,
    ``seconds``, ``hours``, ``star_sum``, ``rated``), and with ``recent`` the services of
    those quarters as ``recent``."""
    seconds = func.coalesce(func.sum(T.seconds), 0.0)
    in_recent = ([func.sum(case((col(T.period).in_(list(recent)), T.services), else_=0))
                  .label("recent")] if recent else [])
    query: Select = wide_select(col(T.member_id).label("member_id"),
                        func.sum(T.services).label("services"), seconds.label("seconds"),
                        (seconds / 3600.0).label("hours"), func.sum(T.star_sum).label("star_sum"),
                        func.sum(T.rated).label("rated"), *in_recent)
    if periods is not None:
        query = query.where(col(T.period).in_(list(periods)))
    if members_of is not None:
        chosen = members_of if isinstance(members_of, BindParameter) else list(members_of)
        query = query.where(one_of_rows(col(T.member_id), wide_select(col(Member.id)).where(
            col(Member.community_id).in_(chosen))))
    return query.group_by(col(T.member_id)).subquery()
