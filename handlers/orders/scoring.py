"""The SQL a ranking is built from (``handlers.orders.ranking``): a member's score for an
order and its tie-breakers, the running tallies and live loads it reads, the words members
wrote that fit the order, and who is left out of a ranking.

Every piece reads alike for one order's values or for an order row joined to each member
(``Target``), so one order and many orders at once are ranked by the same rules.
"""

from __future__ import annotations

from collections.abc import Collection
from dataclasses import dataclass
from datetime import datetime
from typing import Any
from zoneinfo import ZoneInfo

from sqlalchemy import (
    ColumnElement,
    Float,
    Select,
    Subquery,
    and_,
    case,
    cast,
    exists,
    false,
    func,
    literal,
    or_,
)
from sqlalchemy import select as wide_select
from sqlalchemy.orm import InstrumentedAttribute
from sqlmodel import Session, col

from handlers.ledger.quarters import period, quarter_of, year_so_far
from handlers.ledger.running import running
from handlers.orders import states
from handlers.orders.fit import fitting_skills, free_fitting
from handlers.rules.policy import Policy
from storage.duties import MemberDuty
from storage.idlists import one_of_rows
from storage.models import Acceptance, AcceptanceStatus, Identity, Member, Order
from storage.whistles import OrderWhistle


@dataclass(frozen=True)
class Target:
    """What a ranking is for: one order's values, or the columns of an order row joined to
    each member when many orders are ranked at once; the rules read either alike."""

    id: Any
    round: Any
    community_id: Any
    duty: Any
    building_id: Any
    grid_id: Any
    resident_id: Any

    @classmethod
    def of(cls, order: Any) -> Target:
        """An ``Order`` row, or the ``Order`` entity (an alias) whose columns are meant."""
        return cls(order.id, order.round, order.community_id, order.duty, order.building_id,
                   order.grid_id, order.resident_id)


@dataclass(frozen=True)
class Scored:
    """A member's score for a target and what counted, as SQL over ``Member``."""

    score: ColumnElement[Any]
    claimed: ColumnElement[bool]
    building: ColumnElement[bool]
    grid: ColumnElement[bool]
    held: ColumnElement[Any]
    services: ColumnElement[Any]
    stars: ColumnElement[Any]
    below: ColumnElement[Any]


def best_first(score: Any, below: Any, services: Any) -> tuple[Any, ...]:
    """The ranking's order: by score, then members below quota, fewer services, registered
    earlier."""
    return score.desc(), below.desc(), services, col(Member.id)


def scored(target: Target, skill: ColumnElement[Any], free_here: ColumnElement[bool],
           record: Subquery, load: Subquery, quota_services: Any, policy: Policy,
           duty_only: bool) -> Scored:
    """The weights of ``handlers.orders.ranking``, summed, with the tie-breakers; ``duty_only``
    when only members who claimed the duty are ranked (its weight is then everyone's)."""
    claimed = claimed_duty(target.duty)
    building = _same(col(Member.building_id), target.building_id)
    grid = and_(_same(col(Member.grid_id), target.grid_id), ~building)
    held, services, stars = standing(record, load)
    weights = policy.ranking
    score = ((literal(weights.duty) if duty_only else when(claimed, weights.duty))
             + when(skill.is_not(None), weights.skill)
             + when(building, weights.building) + when(grid, weights.grid)
             + when(free_here, weights.free_time) - weights.load * held
             - weights.services * services + weights.rating * func.coalesce(stars - 3.0, 0.0))
    return Scored(score, claimed, building, grid, held, services, stars,
                  when(services < quota_services, 1))


def standing(record: Subquery, load: Subquery
             ) -> tuple[ColumnElement[Any], ColumnElement[Any], ColumnElement[Any]]:
    """What of a member's score no order changes, as SQL over ``tallies`` and ``loads``:
    the live orders they hold a place on, this quarter's services and their average
    rating (NULL when nobody rated them)."""
    stars = case((record.c.rated > 0, cast(record.c.star_sum, Float) / record.c.rated),
                 else_=None)
    return func.coalesce(load.c.load, 0), func.coalesce(record.c.recent, 0), stars


def tallies(community_ids: list[int], zone: str, now: datetime) -> Subquery:
    """The running tallies of the communities' members: this year's, and this quarter's
    services as ``recent``."""
    quarter = quarter_of(now, zone)
    return running(year_so_far(quarter), recent=[period(quarter)], members_of=community_ids)


def written(session: Session, community_ids: list[int]
             ) -> dict[int, list[tuple[str | None, str | None]]]:
    """The distinct skills and free times the communities' active members wrote (few:
    people write the same words), in one SELECT."""
    written: dict[int, list[tuple[str | None, str | None]]] = {c: [] for c in community_ids}
    for community_id, skills, free in session.execute(
            wide_select(col(Member.community_id), col(Member.skills), col(Member.free_time))
            .distinct().where(col(Member.community_id).in_(community_ids),
                              col(Member.active).is_(True))).all():
        written[community_id].append((skills, free))
    return written


def fitting(written: list[tuple[str | None, str | None]], order: Order,
             zone: str) -> tuple[dict[str, str], list[str]]:
    """Of the words written, the skills that fit the order's text (with the skill named in
    the reasons) and the free times that cover its time."""
    local = order.event_at.astimezone(ZoneInfo(zone)) if order.event_at else None
    return (fitting_skills({skills for skills, _ in written if skills}, order.text),
            free_fitting({free for _, free in written if free}, local))


def claimed_duty(duty: Any) -> ColumnElement[bool]:
    """The member claimed ``duty`` (a value or an order's column)."""
    return exists().where(col(MemberDuty.member_id) == Member.id, col(MemberDuty.duty) == duty)


def loads(community_ids: list[int], own: bool = False, by_orders: bool = False) -> Subquery:
    """How many live orders of the communities each member holds a place on, as a
    subquery; ``own``: of their own community only, as ranking one order of it counts
    them, however many communities are named; ``by_orders``: the places looked up by
    their live orders' ids, for a city's communities (joined, PostgreSQL read every
    accepted place of a city, 90 ms, to keep the few thousand of its live orders)."""
    live = col(Order.community_id).in_(community_ids), col(Order.status).in_(states.LIVE)
    query: Select = (
        wide_select(col(Acceptance.member_id).label("member_id"), func.count().label("load"))
        .join(Order, col(Order.id) == Acceptance.order_id)
        .where(*live, col(Order.round) == Acceptance.round,
               col(Acceptance.status) == AcceptanceStatus.ACCEPTED))
    if by_orders:
        query = query.where(one_of_rows(col(Acceptance.order_id),
                                        wide_select(col(Order.id)).where(*live)))
    if own:
        query = query.join(Member, (col(Member.id) == Acceptance.member_id)
                           & (col(Member.community_id) == Order.community_id))
    return query.group_by(col(Acceptance.member_id)).subquery("load")


def not_asked(order: Order | Target, whistle: bool,
              skip: Collection[int]) -> list[ColumnElement[bool]]:
    """Who is left out of a ranking: the resident, members holding a place, the skipped
    and, for a whistle, those whistled already this round, who gave a place on it back this
    round (or were released from it after a poor rating in any)."""
    holding = exists().where(
        col(Acceptance.order_id) == order.id, col(Acceptance.member_id) == Member.id,
        col(Acceptance.round) == order.round, col(Acceptance.status) == AcceptanceStatus.ACCEPTED)
    # A whistle's last test below leaves out every place of this round, held or not.
    left_out = [] if whistle else [~holding]
    if skip:
        left_out.append(col(Member.id).not_in(list(skip)))
    if order.resident_id is not None:  # a column too: NULL matches no identity
        left_out.append(~exists().where(col(Identity.member_id) == Member.id,
                                        col(Identity.resident_id) == order.resident_id))
    if whistle:
        left_out.append(~exists().where(
            col(OrderWhistle.order_id) == order.id, col(OrderWhistle.round) == order.round,
            col(OrderWhistle.member_id) == Member.id))
        left_out.append(~exists().where(
            col(Acceptance.order_id) == order.id, col(Acceptance.member_id) == Member.id,
            or_(col(Acceptance.round) == order.round,
                col(Acceptance.status) == AcceptanceStatus.RELEASED)))
    return left_out


def _same(column: Any, value: Any) -> ColumnElement[bool]:
    # Never NULL, so that NOT of it is true for members whose column is empty.
    if isinstance(value, ColumnElement | InstrumentedAttribute):
        return and_(column.is_not(None), value.is_not(None), column == value)
    return and_(column.is_not(None), column == value) if value is not None else false()


def when(condition: ColumnElement[bool], weight: float) -> ColumnElement[float]:
    """``weight`` where ``condition`` holds, else 0."""
    return case((condition, weight), else_=0)
