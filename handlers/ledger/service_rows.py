"""The service ledger (服务台账) as SQL: one row per finished service, with its hours.

A service is a member's ``done`` check-in paired with the latest arrival before it on the same
order; its rating is the first rating of the order given after it. Reports and the digest
aggregate over this one subquery, so counting rules live in one place.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import Float, Subquery, func
from sqlalchemy.ext.compiler import compiles
from sqlalchemy.orm import aliased
from sqlalchemy.sql.functions import FunctionElement
from sqlmodel import col, select

from storage.models import CheckIn, CheckInKind, Order, Rating


class epoch_seconds(FunctionElement):  # noqa: N801 - named like the SQL functions it stands for
    """Seconds since 1970 of a timestamp, in whichever SQL the database speaks."""

    type = Float()
    inherit_cache = True


@compiles(epoch_seconds)
def _epoch_standard(element: epoch_seconds, compiler, **kw) -> str:  # type: ignore[no-untyped-def]
    return f"EXTRACT(EPOCH FROM {compiler.process(element.clauses, **kw)})"


@compiles(epoch_seconds, "sqlite")
def _epoch_sqlite(element: epoch_seconds, compiler, **kw) -> str:  # type: ignore[no-untyped-def]
    # julianday counts days from 4714 BC; 2440587.5 of them had passed on 1970-01-01.
    # Rounded to whole seconds: julianday's float of days is off by microseconds, enough to
    # put exactly 40 hours a hair below a grade's threshold.
    return f"ROUND((julianday({compiler.process(element.clauses, **kw)}) - 2440587.5) * 86400.0)"


def services(start: datetime, end: datetime, community_ids: list[int] | None) -> Subquery:
    """Services finished in ``[start, end)``, in the given communities (all when None).

    Columns: ``checkin_id``, ``order_id``, ``member_id``, ``community_id``, ``arrived_at``,
    ``done_at``, ``seconds`` (time on site), ``stars`` (None when unrated), ``by_default``
    (the stars are a 默认好评 the resident never gave), ``photo``.
    """
    arrive = aliased(CheckIn)
    arrived_at = (
        select(func.max(arrive.at))
        .where(arrive.order_id == CheckIn.order_id, arrive.member_id == CheckIn.member_id,
               arrive.kind == CheckInKind.ARRIVE, arrive.at <= CheckIn.at)
        .scalar_subquery()
    )
    rating = select(Rating).where(Rating.order_id == CheckIn.order_id,
                                  Rating.at >= CheckIn.at).order_by(Rating.at).limit(1)
    stars = rating.with_only_columns(Rating.stars).scalar_subquery()
    by_default = rating.with_only_columns(Rating.by_default).scalar_subquery()
    query = (
        select(col(CheckIn.id).label("checkin_id"), CheckIn.order_id, CheckIn.member_id,
               Order.community_id, arrived_at.label("arrived_at"),
               col(CheckIn.at).label("done_at"),
               func.coalesce(epoch_seconds(CheckIn.at) - epoch_seconds(arrived_at), 0.0)
               .label("seconds"),
               stars.label("stars"), by_default.label("by_default"), CheckIn.photo)
        .join(Order, col(Order.id) == CheckIn.order_id)
        .where(CheckIn.kind == CheckInKind.DONE, CheckIn.at >= start, CheckIn.at < end)
    )
    if community_ids is not None:
        query = query.where(col(Order.community_id).in_(community_ids))
    return query.subquery("services")
