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

from collections.abc import Collection, Sequence
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
    literal,
    null,
    or_,
    union_all,
)
from sqlalchemy import select as wide_select
from sqlalchemy.orm import InstrumentedAttribute, aliased
from sqlmodel import Session, col, select

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
    stored_id,
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
    skills, free = _fitting(_written(session, [order.community_id])[order.community_id],
                            order, community.timezone)
    skill = (case(skills, value=col(Member.skills)) if skills else cast(null(), String))
    free_here = col(Member.free_time).in_(free) if free else false()
    among = [order.community_id]
    record, load = _record(among, community.timezone, now), _loads(among)
    target = _Target.of(order)
    scored = _score(target, skill, free_here, record, load, quota(community, policy)[0], policy,
                    duty_only)
    ranks = (scored.score.label("score"), scored.below.label("below"),
             scored.services.label("services"))
    query = (wide_select(
        col(Member.id).label("id"), col(Member.name).label("name"), ranks[0],
        _when(scored.claimed, 1).label("claimed"), skill.label("skill"),
        _when(scored.building, 1).label("building"), _when(scored.grid, 1).label("grid"),
        case((free_here, col(Member.free_time)), else_=None).label("free"),
        scored.held.label("load"), ranks[2], scored.stars.label("stars"), ranks[1])
        .outerjoin(record, record.c.member_id == Member.id)
        .outerjoin(load, load.c.member_id == Member.id)
        .where(col(Member.community_id) == order.community_id, col(Member.active).is_(True),
               *_not_asked(target, whistle, skip))
        .order_by(*_best_first(*ranks)))
    return query.where(scored.claimed) if duty_only else query


def first_whistled(session: Session, orders: Sequence[Order], policy: Policy,
                   now: datetime) -> Select:
    """The members each order's first whistle reaches: for every one of ``orders``, the
    best ``RankingPolicy.first_members`` that ``candidates(duty_only=True, whistle=True)``
    ranks for it, ranked for all the orders in one statement (a window over each order's
    members) rather than one each. Columns: ``order_id``, ``round``, ``id``, best first."""
    communities = {c.id: c for c in session.exec(select(Community).where(
        col(Community.id).in_({order.community_id for order in orders}))).all()}
    zones: dict[str, list[Order]] = {}
    for order in orders:  # the tallies are a quarter's, and a quarter is a zone's
        zones.setdefault(communities[order.community_id].timezone, []).append(order)
    written = _written(session, [stored_id(c) for c in communities.values()])
    branches = [_first_in_zone(zone, among, communities, written, policy, now)
                for zone, among in zones.items()]
    ranked = union_all(*branches).subquery() if len(branches) > 1 else branches[0].subquery()
    return (wide_select(ranked.c.order_id, ranked.c.round, ranked.c.id)
            .where(ranked.c.place <= policy.ranking.first_members)
            .order_by(ranked.c.order_id, ranked.c.place))


def _first_in_zone(zone: str, orders: list[Order], communities: dict[int | None, Community],
                   written: dict[int, list[tuple[str | None, str | None]]], policy: Policy,
                   now: datetime) -> Select:
    """``first_whistled`` for orders of communities in one time zone: every member ranked
    for each order, with their ``place`` in its ranking."""
    target = aliased(Order, name="target")
    target_id = col(target.id)
    skills_when, free_when = [], []
    for order in orders:
        skills, free = _fitting(written[order.community_id], order, zone)
        skills_when += [(and_(target_id == order.id, col(Member.skills) == words), named)
                        for words, named in skills.items()]
        if free:
            free_when.append(and_(target_id == order.id, col(Member.free_time).in_(free)))
    skill = case(*skills_when, else_=None) if skills_when else cast(null(), String)
    free_here = or_(*free_when) if free_when else false()
    among = sorted({order.community_id for order in orders})
    record, load = _record(among, zone, now), _loads(among)
    quotas = case({c: quota(communities[c], policy)[0] for c in among},
                  value=col(Member.community_id))
    scored = _score(_Target.of(target), skill, free_here, record, load, quotas, policy,
                    duty_only=True)
    place = func.row_number().over(partition_by=target_id, order_by=_best_first(
        scored.score, scored.below, scored.services))
    return (wide_select(target_id.label("order_id"), col(target.round).label("round"),
                        col(Member.id).label("id"), place.label("place"))
            .select_from(Member)
            .join(target, col(target.community_id) == Member.community_id)
            .outerjoin(record, record.c.member_id == Member.id)
            .outerjoin(load, load.c.member_id == Member.id)
            .where(target_id.in_([order.id for order in orders]),
                   col(Member.active).is_(True), scored.claimed,
                   *_not_asked(_Target.of(target), True, ())))


@dataclass(frozen=True)
class _Target:
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
    def of(cls, order: Any) -> _Target:
        """An ``Order`` row, or the ``Order`` entity (an alias) whose columns are meant."""
        return cls(order.id, order.round, order.community_id, order.duty, order.building_id,
                   order.grid_id, order.resident_id)


@dataclass(frozen=True)
class _Scored:
    """A member's score for a target and what counted, as SQL over ``Member``."""

    score: ColumnElement[Any]
    claimed: ColumnElement[bool]
    building: ColumnElement[bool]
    grid: ColumnElement[bool]
    held: ColumnElement[Any]
    services: ColumnElement[Any]
    stars: ColumnElement[Any]
    below: ColumnElement[Any]


def _best_first(score: Any, below: Any, services: Any) -> tuple[Any, ...]:
    """The ranking's order: by score, then members below quota, fewer services, registered
    earlier."""
    return score.desc(), below.desc(), services, col(Member.id)


def _score(target: _Target, skill: ColumnElement[Any], free_here: ColumnElement[bool],
           record: Subquery, load: Subquery, quota_services: Any, policy: Policy,
           duty_only: bool) -> _Scored:
    """The weights of the module's docstring, summed, with the tie-breakers; ``duty_only``
    when only members who claimed the duty are ranked (its weight is then everyone's)."""
    claimed = _claimed(target.duty)
    building = _same(col(Member.building_id), target.building_id)
    grid = and_(_same(col(Member.grid_id), target.grid_id), ~building)
    services = func.coalesce(record.c.recent, 0)
    stars = case((record.c.rated > 0, cast(record.c.star_sum, Float) / record.c.rated),
                 else_=None)
    held = func.coalesce(load.c.load, 0)
    weights = policy.ranking
    score = ((literal(weights.duty) if duty_only else _when(claimed, weights.duty))
             + _when(skill.is_not(None), weights.skill)
             + _when(building, weights.building) + _when(grid, weights.grid)
             + _when(free_here, weights.free_time) - weights.load * held
             - weights.services * services + weights.rating * func.coalesce(stars - 3.0, 0.0))
    return _Scored(score, claimed, building, grid, held, services, stars,
                   _when(services < quota_services, 1))


def _record(community_ids: list[int], zone: str, now: datetime) -> Subquery:
    """The running tallies of the communities' members: this year's, and this quarter's
    services as ``recent``."""
    quarter = quarter_of(now, zone)
    return running(year_so_far(quarter), recent=[period(quarter)], members_of=community_ids)


def unranked(order: Order, *, duty_only: bool) -> Select:
    """The ids of the members ``candidates`` would rank for a whistle, in no order: when all
    of them are whistled, nothing needs their scores."""
    query: Select = (wide_select(col(Member.id).label("id"))
             .where(col(Member.community_id) == order.community_id,
                    col(Member.active).is_(True), *_not_asked(order, True, ())))
    return query.where(_claimed(order.duty)) if duty_only else query


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


def _written(session: Session, community_ids: list[int]
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


def _fitting(written: list[tuple[str | None, str | None]], order: Order,
             zone: str) -> tuple[dict[str, str], list[str]]:
    """Of the words written, the skills that fit the order's text (with the skill named in
    the reasons) and the free times that cover its time."""
    local = order.event_at.astimezone(ZoneInfo(zone)) if order.event_at else None
    return (fitting_skills({skills for skills, _ in written if skills}, order.text),
            free_fitting({free for _, free in written if free}, local))


def _claimed(duty: Any) -> ColumnElement[bool]:
    return exists().where(col(MemberDuty.member_id) == Member.id, col(MemberDuty.duty) == duty)


def _loads(community_ids: list[int]) -> Subquery:
    """How many live orders each member of the communities holds a place on, as a
    subquery."""
    return (wide_select(col(Acceptance.member_id).label("member_id"),
                        func.count().label("load"))
            .join(Order, col(Order.id) == Acceptance.order_id)
            .where(col(Order.community_id).in_(community_ids),
                   col(Order.status).in_(states.LIVE), col(Order.round) == Acceptance.round,
                   col(Acceptance.status) == AcceptanceStatus.ACCEPTED)
            .group_by(col(Acceptance.member_id)).subquery("load"))


def _not_asked(order: Order | _Target, whistle: bool,
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


def _when(condition: ColumnElement[bool], weight: float) -> ColumnElement[float]:
    return case((condition, weight), else_=0)
