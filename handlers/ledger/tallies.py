"""Per-member tallies as SQL subqueries: services, hours, points and ratings.

Boards join these to members and units and aggregate in the database (GROUP BY, ORDER BY,
LIMIT), so no rule walks every row in Python. Each tally has the columns ``member_id``,
``total`` and ``n``: a board's value is ``total`` for the additive metrics and ``total / n``
(stars per rating) for ``rating``. Services, hours and ratings come from the running tallies
(``handlers.ledger.running``), kept from the one definition of a service.
"""

from __future__ import annotations

from sqlalchemy import Float, Subquery, cast, literal
from sqlmodel import col, select

from handlers.ledger.running import running
from storage.ledger import PointBalance

METRICS = ("hours", "services", "points", "rating")


def hours() -> Subquery:
    """Hours served per member as ``total``, services as ``n``."""
    served = running()
    return select(served.c.member_id, cast(served.c.hours, Float).label("total"),
                  served.c.services.label("n")).subquery()


def service_counts() -> Subquery:
    """Services per member as ``total`` (``n`` is 1), for the ``services`` board."""
    served = running()
    return select(served.c.member_id, cast(served.c.services, Float).label("total"),
                  literal(1).label("n")).subquery()


def points() -> Subquery:
    """Each member's points balance (积分余额): the sum of their ledger, as kept with it
    (``handlers.ledger.book``)."""
    return select(col(PointBalance.member_id).label("member_id"),
                  cast(PointBalance.balance, Float).label("total"),
                  literal(1).label("n")).subquery()


def ratings() -> Subquery:
    """Stars residents gave the member's services, and how many ratings (a 默认好评 is no
    resident's opinion and is left out)."""
    served = running()
    return (select(served.c.member_id, cast(served.c.star_sum, Float).label("total"),
                   served.c.rated.label("n"))
            .where(served.c.rated > 0).subquery())


def tally(metric: str) -> Subquery:
    """The tally a board of ``metric`` ranks by."""
    if metric == "hours":
        return hours()
    if metric == "services":
        return service_counts()
    if metric == "points":
        return points()
    if metric == "rating":
        return ratings()
    raise ValueError(f"no such metric: {metric}")
