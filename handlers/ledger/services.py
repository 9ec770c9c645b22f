"""What a service is (一次服务), as one SQL select that every count of services reads.

A service is a member's ``done`` check-in. Its arrival is the member's latest ``arrive``
check-in on the same order at or before the finish (none: the service counts, with no
hours). Its round is the round of the member's latest place on the order taken at or before
the finish, and its stars are that round's rating (the first, should there be two), flagged
``by_default`` when it is a 默认好评 the resident never gave. Points, the reports, the weekly
digest and /me aggregate over this one subquery, and boards, quotas and rankings over the
running tallies recounted from it (``handlers.ledger.running``), so the rule lives here.
"""

from __future__ import annotations

from collections.abc import Collection
from datetime import datetime
from typing import Any

from sqlalchemy import Float, Select, Subquery, case, cast, func
from sqlalchemy import select as wide_select
from sqlalchemy.ext.compiler import compiles
from sqlalchemy.orm import aliased
from sqlalchemy.sql.compiler import SQLCompiler
from sqlalchemy.sql.functions import FunctionElement
from sqlmodel import col, select

from storage.models import Acceptance, CheckIn, CheckInKind, Member, Order, Rating

Members = Collection[int] | Select | None  # whose services: ids, a select of ids, or all


class seconds_between(FunctionElement[float]):  # lower case, like the SQL functions
    """``end - start`` in seconds, in whichever SQL the database speaks."""

    type = Float()
    inherit_cache = True


@compiles(seconds_between)
def _seconds_standard(element: seconds_between, compiler: SQLCompiler, **kw: Any) -> str:
    start, end = element.clauses
    return (f"EXTRACT(EPOCH FROM ({compiler.process(end, **kw)} - "
            f"{compiler.process(start, **kw)}))")


@compiles(seconds_between, "sqlite")
def _seconds_sqlite(element: seconds_between, compiler: SQLCompiler, **kw: Any) -> str:
    start, end = element.clauses
    # julianday is a float of days: 2 h comes back as 7199.99997 s, and ten such services
    # would fall short of a 20-hour quota. Whole seconds are exact.
    return (f"ROUND((julianday({compiler.process(end, **kw)}) - "
            f"julianday({compiler.process(start, **kw)})) * 86400.0)")


def service_select(since: datetime | None = None, until: datetime | None = None,
                   community_ids: Collection[int] | None = None,
                   members_of: int | None = None, members: Members = None) -> Select:
    """Every service finished in ``[since, until)`` in the given communities (all when None),
    by the members of community ``members_of`` only when given (wherever they served), and
    by ``members`` only (ids, or a select of them) when given.

    Columns: ``checkin_id``, ``member_id``, ``order_id``, ``community_id``, ``duty``,
    ``round`` (None when the member held no place), ``arrived_at`` (None: finished without
    arriving), ``done_at``, ``seconds`` and ``hours`` on site (0 without an arrival),
    ``stars`` (None when unrated), ``by_default``, the rating's ``comment`` and ``photo``.
    """
    finish = _finishes(since, until, community_ids, members_of, members)
    given = aliased(Rating)
    rating = (select(given.id)
              .where(given.order_id == finish.c.order_id, given.round == finish.c.round)
              .order_by(col(given.at), col(given.id)).limit(1).scalar_subquery())
    seconds = cast(func.coalesce(seconds_between(finish.c.arrived_at, finish.c.done_at), 0.0),
                   Float)
    return (wide_select(*finish.c, seconds.label("seconds"), (seconds / 3600.0).label("hours"),
                   col(Rating.stars).label("stars"), col(Rating.by_default).label("by_default"),
                   col(Rating.comment).label("comment"))
            .outerjoin(Rating, col(Rating.id) == rating))


def _finishes(since: datetime | None, until: datetime | None,
              community_ids: Collection[int] | None, members_of: int | None,
              members: Members) -> Subquery:
    """The ``done`` check-ins with the arrival and the round each belongs to."""
    done, arrive, place = aliased(CheckIn), aliased(CheckIn), aliased(Acceptance)
    arrived_at = (select(func.max(arrive.at))
                  .where(arrive.order_id == done.order_id, arrive.member_id == done.member_id,
                         arrive.kind == CheckInKind.ARRIVE, arrive.at <= done.at)
                  .scalar_subquery())
    # 未定位 unless the arrival was held to the order's radius (handlers/orders/arrival.py).
    arrived_located = (select(arrive.located)
                       .where(arrive.order_id == done.order_id,
                              arrive.member_id == done.member_id,
                              arrive.kind == CheckInKind.ARRIVE, arrive.at <= done.at)
                       .order_by(col(arrive.at).desc()).limit(1).scalar_subquery())
    service_round = (select(place.round)
                     .where(place.order_id == done.order_id, place.member_id == done.member_id,
                            place.accepted_at <= done.at)
                     .order_by(col(place.accepted_at).desc(), col(place.id).desc()).limit(1)
                     .scalar_subquery())
    query = (
        wide_select(col(done.id).label("checkin_id"), col(done.member_id).label("member_id"),
               col(done.order_id).label("order_id"), col(Order.community_id).label("community_id"),
               col(Order.duty).label("duty"), service_round.label("round"),
               arrived_at.label("arrived_at"), arrived_located.label("arrived_located"),
               col(done.at).label("done_at"),
               col(done.photo).label("photo"))
        .join(Order, col(Order.id) == done.order_id)
        .where(col(done.kind) == CheckInKind.DONE)
    )
    if since is not None:
        query = query.where(col(done.at) >= since)
    if until is not None:
        query = query.where(col(done.at) < until)
    if community_ids is not None:
        query = query.where(col(Order.community_id).in_(list(community_ids)))
    if members_of is not None:
        query = query.where(col(done.member_id).in_(
            select(col(Member.id)).where(col(Member.community_id) == members_of)))
    if members is not None:
        query = query.where(col(done.member_id).in_(
            members if isinstance(members, Select) else list(members)))
    return query.subquery("finish")


def services(since: datetime | None = None, until: datetime | None = None,
             community_ids: Collection[int] | None = None,
             members_of: int | None = None, members: Members = None) -> Subquery:
    """``service_select`` as a subquery named ``service``, for joining and aggregating."""
    return service_select(since, until, community_ids, members_of, members).subquery("service")


def per_member(since: datetime | None = None, until: datetime | None = None,
               community_ids: Collection[int] | None = None,
               recent_since: datetime | None = None,
               members_of: int | None = None, members: Members = None) -> Subquery:
    """Each member's services aggregated: ``services`` (how many), ``seconds``, ``hours``,
    and ``star_sum`` over ``rated``: the stars residents gave (a 默认好评 is no resident's
    opinion, so averages leave it out); with ``recent_since``, also ``recent``: how many
    finished since then (this quarter's within the year's, in one pass)."""
    svc = services(since, until, community_ids, members_of, members)
    given = case((svc.c.by_default, None), else_=svc.c.stars)
    seconds = func.coalesce(func.sum(svc.c.seconds), 0.0)
    recent = ([] if recent_since is None else
              [func.sum(case((svc.c.done_at >= recent_since, 1), else_=0)).label("recent")])
    return (wide_select(svc.c.member_id, func.count().label("services"),
                   seconds.label("seconds"), (seconds / 3600.0).label("hours"),
                   func.sum(given).label("star_sum"), func.count(given).label("rated"), *recent)
            .group_by(svc.c.member_id).subquery())
