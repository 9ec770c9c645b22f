"""Who is asked first (谁先接到吹哨): the community's members ranked for an order, in SQL.

A member's score is the sum of the weights (``RankingPolicy``) that apply to them: claimed
the order's duty; a skill fits its text; lives in or looks after its building, else is in
its grid; declared free time covers its time; their average rating above 3★. Taken off are
the live orders they hold a place on and the services they finished this quarter, so the
work spreads (read from the running tallies, ``handlers.ledger.running``). The average
rating is this year's, as residents gave it (no 默认好评). Among equals, members still
below the quarter's quota come first, then those with fewer services, then the earlier
registered.

However many members a community has, a ranking costs the same statements: one reads the
distinct skills and free times its members wrote (few: people write the same words), which
``handlers.orders.fit`` matches in Python; everything else is one SELECT of aggregates.
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
    String,
    Subquery,
    and_,
    case,
    cast,
    exists,
    false,
    func,
    null,
    or_,
)
from sqlalchemy import select as wide_select
from sqlmodel import Session, col

from handlers.ledger.quarters import period, quarter_of, year_so_far
from handlers.ledger.quotas import quota
from handlers.ledger.running import running
from handlers.orders import states
from handlers.orders.fit import fitting_skills, free_fitting
from handlers.rules.policy import Policy
from handlers.texts import t
from storage.duties import MemberDuty
from storage.models import (
    Acceptance,
    AcceptanceStatus,
    Community,
    Identity,
    Member,
    Order,
)
from storage.whistles import OrderWhistle


@dataclass(frozen=True)
class Candidate:
    """A member as ranked for an order, with what counted.

    Attributes:
        member_id: The member.
        name: Their name.
        score: The sum of the weights that apply.
        claimed: Claimed the order's duty.
        skill: The skill of theirs that fits the order's text, if any.
        place: ``building``, ``grid`` or empty: how near the order they are.
        free: Declared free time that covers the order's time.
        load: Live orders they hold a place on.
        services: Services finished this quarter.
        stars: Their average rating, if anybody rated them.
    """

    member_id: int
    name: str
    score: float
    claimed: bool
    skill: str | None
    place: str
    free: str | None
    load: int
    services: int
    stars: float | None

    def reasons(self) -> str:
        """Why they rank where they do, in words: 同网格 · 擅长水电 · 本季度0次."""
        words = [] if self.claimed else [t("rank_not_claimed")]
        if self.place:
            words.append(t("rank_building") if self.place == "building" else t("rank_grid"))
        if self.skill:
            words.append(t("rank_skill", skill=self.skill))
        if self.free:
            words.append(t("rank_free", when=self.free))
        if self.load:
            words.append(t("rank_load", n=self.load))
        words.append(t("rank_services", n=self.services))
        if self.stars is not None:
            words.append(t("rank_stars", stars=f"{self.stars:.1f}"))
        return " · ".join(words)


def candidates(session: Session, order: Order, policy: Policy, now: datetime, *,
               duty_only: bool, whistle: bool, skip: Collection[int] = ()) -> Select:
    """The community's active members ranked for ``order``, best first (see the module).

    Columns: ``id``, ``name``, ``score``, ``claimed``, ``skill``, ``building``, ``grid``,
    ``free``, ``load``, ``services``, ``stars``. Never the resident who filed the order, nor
    members holding a place on it; ``duty_only`` keeps the members who claimed its duty;
    ``whistle`` leaves out those already whistled for it this round and those released from
    it (rated poorly); the members in ``skip`` are always left out.
    """
    community = session.get_one(Community, order.community_id)
    skills, free = _fitting_words(session, order, community)
    quarter = quarter_of(now, community.timezone)
    record = running(year_so_far(quarter), recent=[period(quarter)],
                     members_of=[order.community_id])
    load = _loads(order.community_id)
    claimed = _claimed(order)
    skill = (case(skills, value=col(Member.skills)) if skills else cast(null(), String))
    building = _same(col(Member.building_id), order.building_id)
    grid = and_(_same(col(Member.grid_id), order.grid_id), ~building)
    free_here = col(Member.free_time).in_(free) if free else false()
    services = func.coalesce(record.c.recent, 0)
    stars = case((record.c.rated > 0, cast(record.c.star_sum, Float) / record.c.rated),
                 else_=None)
    held = func.coalesce(load.c.load, 0)
    weights = policy.ranking
    score = (_when(claimed, weights.duty) + _when(skill.is_not(None), weights.skill)
             + _when(building, weights.building) + _when(grid, weights.grid)
             + _when(free_here, weights.free_time) - weights.load * held
             - weights.services * services + weights.rating * func.coalesce(stars - 3.0, 0.0))
    below = _when(services < quota(community, policy)[0], 1).label("below")
    ranks = score.label("score"), services.label("services")
    query = (wide_select(
        col(Member.id).label("id"), col(Member.name).label("name"), ranks[0],
        _when(claimed, 1).label("claimed"), skill.label("skill"),
        _when(building, 1).label("building"), _when(grid, 1).label("grid"),
        case((free_here, col(Member.free_time)), else_=None).label("free"),
        held.label("load"), ranks[1], stars.label("stars"), below)
        .outerjoin(record, record.c.member_id == Member.id)
        .outerjoin(load, load.c.member_id == Member.id)
        .where(col(Member.community_id) == order.community_id, col(Member.active).is_(True),
               *_not_asked(order, whistle, skip))
        .order_by(ranks[0].desc(), below.desc(), ranks[1], col(Member.id)))
    return query.where(claimed) if duty_only else query


def unranked(order: Order, *, duty_only: bool) -> Select:
    """The ids of the members ``candidates`` would rank for a whistle, in no order: when all
    of them are whistled, nothing needs their scores."""
    query: Select = (wide_select(col(Member.id).label("id"))
             .where(col(Member.community_id) == order.community_id,
                    col(Member.active).is_(True), *_not_asked(order, True, ())))
    return query.where(_claimed(order)) if duty_only else query


def ranked(session: Session, order: Order, policy: Policy, now: datetime, limit: int, *,
           duty_only: bool = False, skip: Collection[int] = ()) -> list[Candidate]:
    """The ``limit`` best-ranked members of the community for an order, with reasons;
    ``duty_only`` and ``skip`` as for ``candidates``."""
    rows = session.execute(candidates(session, order, policy, now, duty_only=duty_only,
                                      whistle=False, skip=skip).limit(limit)).all()
    return [Candidate(member_id=row.id, name=row.name, score=float(row.score),
                      claimed=bool(row.claimed), skill=row.skill,
                      place="building" if row.building else "grid" if row.grid else "",
                      free=row.free, load=int(row.load), services=int(row.services),
                      stars=None if row.stars is None else float(row.stars))
            for row in rows]


def _fitting_words(session: Session, order: Order,
                   community: Community) -> tuple[dict[str, str], list[str]]:
    """The members' skills that fit the order's text (with the skill named in the reasons)
    and the free times that cover its time: one SELECT of the distinct words written."""
    written = session.execute(
        wide_select(col(Member.skills), col(Member.free_time)).distinct()
        .where(col(Member.community_id) == order.community_id,
               col(Member.active).is_(True))).all()
    local = order.event_at.astimezone(ZoneInfo(community.timezone)) if order.event_at else None
    return (fitting_skills({skills for skills, _ in written if skills}, order.text),
            free_fitting({free for _, free in written if free}, local))


def _claimed(order: Order) -> ColumnElement[bool]:
    return exists().where(col(MemberDuty.member_id) == Member.id,
                          col(MemberDuty.duty) == order.duty)


def _loads(community_id: int) -> Subquery:
    """How many live orders each member of the community holds a place on, as a subquery."""
    return (wide_select(col(Acceptance.member_id).label("member_id"),
                        func.count().label("load"))
            .join(Order, col(Order.id) == Acceptance.order_id)
            .where(col(Order.community_id) == community_id,
                   col(Order.status).in_(states.LIVE), col(Order.round) == Acceptance.round,
                   col(Acceptance.status) == AcceptanceStatus.ACCEPTED)
            .group_by(col(Acceptance.member_id)).subquery("load"))


def _not_asked(order: Order, whistle: bool, skip: Collection[int]) -> list[ColumnElement[bool]]:
    """Who is left out of a ranking: the resident, members holding a place, the skipped
    and, for a whistle, those whistled already this round, who gave a place on it back this
    round (or were released from it after a poor rating in any)."""
    holding = exists().where(
        col(Acceptance.order_id) == order.id, col(Acceptance.member_id) == Member.id,
        col(Acceptance.round) == order.round, col(Acceptance.status) == AcceptanceStatus.ACCEPTED)
    left_out = [~holding]
    if skip:
        left_out.append(col(Member.id).not_in(list(skip)))
    if order.resident_id is not None:
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


def _same(column: Any, value: int | None) -> ColumnElement[bool]:
    # Never NULL, so that NOT of it is true for members whose column is empty.
    return and_(column.is_not(None), column == value) if value is not None else false()


def _when(condition: ColumnElement[bool], weight: float) -> ColumnElement[float]:
    return case((condition, weight), else_=0)
