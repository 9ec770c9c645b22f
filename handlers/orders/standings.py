"""First whistles for many orders at once, ranked from each member's standing.

``ranking.candidates`` ranks one order's members in SQL. A sweep that reopens a thousand
orders never whistled would have SQL weigh every member against every order of their
community (a quarter of a million pairs in a city), though most of a score does not depend
on the order. So each member's standing, their score for an order that matches nothing of
theirs (the duty claimed, less their load and this quarter's services, plus their rating),
is worked out once, in one SELECT for all the orders' communities, and each community's
members are sorted by it once; who is left out of each order is one more SELECT. An order
adds to a standing only where its building, grid, fitting skills or covered free times
match, which an index of the community's members finds: those few are weighed again with
what they match, and the rest keep the order of their standings, so each order looks at
its matches and at the first of the rest, not at everyone.

A match's score is summed as ``scoring.scored`` sums it in SQL, term by term in the same
order, so floating-point weights round alike and the members chosen are the same.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from operator import itemgetter
from typing import Any

from sqlalchemy import (
    ColumnElement,
    Select,
    String,
    case,
    cast,
    false,
    func,
    literal,
    null,
    or_,
    union_all,
)
from sqlalchemy import select as wide_select
from sqlalchemy.orm import Mapped
from sqlmodel import Session, col

from handlers.ledger.quotas import quota
from handlers.orders import scoring
from handlers.orders.ahead import communities_of
from handlers.rules.policy import Policy, RankingPolicy
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
from storage.rows import core
from storage.whistles import OrderWhistle

Key = tuple[float, int, int, int]
Standing = Any  # a Row of ``_standings``: a member as any order sees them


@dataclass
class Pool:
    """A community's members, best first by standing, and indexed by what an order may
    match. Each member is a row of ``_standings``."""

    members: list[Standing] = field(default_factory=list)
    matching: dict[tuple[str, object], list[Standing]] = field(
        default_factory=lambda: defaultdict(list))
    words: set[tuple[str | None, str | None]] = field(default_factory=set)
    ordered: bool = False

    def add(self, member: Standing) -> None:
        """One more member (a city's worth are added: kept lean)."""
        self.members.append(member)
        building, grid, skills, free = member[2], member[3], member[4], member[5]
        if building is not None:
            self.matching["building_id", building].append(member)
        if grid is not None:
            self.matching["grid_id", grid].append(member)
        if skills:
            self.matching["skills", skills].append(member)
        if free:
            self.matching["free_time", free].append(member)
        self.words.add((skills, free))

    def best_first(self) -> list[Standing]:
        """The members, best first for an order that matches nothing of theirs (sorted
        here: PostgreSQL sorts a city's members on disk)."""
        if not self.ordered:
            self.members.sort(key=_standing_key)
            self.ordered = True
        return self.members


# ``scoring.best_first`` on the SQL's own score, of a member an order matches nothing of:
# the columns of ``_standings`` that say it, read in C (a city's members are sorted).
_standing_key = itemgetter(10, 11, 7, 0)


def first_whistled(session: Session, orders: Sequence[Order], policy: Policy,
                   now: datetime, communities: Mapping[int, Community] | None = None
                   ) -> dict[int, list[int]]:
    """The members, best first, whom each never-whistled order's first whistle reaches: the
    best ``RankingPolicy.first_members`` that ``ranking.candidates(duty_only=True,
    whistle=True)`` ranks for it. Three SELECTs however many orders (one more for each
    further time zone), two when the orders' ``communities`` are given (read already, by
    id: a sweep reads them once for this and its chunks, ``ahead.communities_of``)."""
    orders = [order for order in orders if order.whistle_stage is None]
    if all(order.duty is None for order in orders):  # no duty: nobody claimed it
        return {stored_id(order): [] for order in orders}
    wanted = {order.community_id for order in orders}
    # Only the orders' own: every community ``_pools`` is given costs its members' standings.
    communities = ({c: communities[c] for c in wanted} if communities is not None
                   else communities_of(session, wanted))
    duties = sorted({order.duty for order in orders if order.duty is not None})
    pools = _pools(session, communities, duties, policy, now)
    left_out = _left_out(session, [stored_id(order) for order in orders])
    return {stored_id(order): _best(
        order, pools.get(order.community_id, Pool()), left_out.get(stored_id(order), set()),
        1 << duties.index(order.duty) if order.duty in duties else 0, policy,
        communities[order.community_id].timezone) for order in orders}


def _best(order: Order, pool: Pool, left_out: set[int], duty: int, policy: Policy,
          zone: str) -> list[int]:
    """The ``first_members`` best of the pool for the order (``duty``: its duty's bit in
    ``claimed``): those it matches weighed with what they match, and the first of the rest
    in the order of their standings."""
    wanted = policy.ranking.first_members
    skills, free = scoring.fitting(list(pool.words), order, zone)
    wants = (("building_id", order.building_id), ("grid_id", order.grid_id),
             *(("skills", s) for s in skills), *(("free_time", f) for f in free))
    matched = {m.id: m for want in wants for m in pool.matching.get(want, ())
               if m.claimed & duty and m.id not in left_out}
    ranked = [_matched_key(m, order, m.skills in skills, m.free_time in free, policy.ranking)
              for m in matched.values()]
    rest = 0
    for member in pool.best_first():
        if rest == wanted:
            break
        if member.claimed & duty and member.id not in left_out and member.id not in matched:
            ranked.append(_standing_key(member))
            rest += 1
    return [key[3] for key in sorted(ranked)[:wanted]]


def _matched_key(member: Standing, order: Order, skill: bool, free: bool,
                 weights: RankingPolicy) -> Key:
    """Where a member the order matches ranks for it (``scoring.best_first``), their score
    summed as ``scoring.scored`` sums it, in its order."""
    building = member.building_id is not None and member.building_id == order.building_id
    grid = not building and member.grid_id is not None and member.grid_id == order.grid_id
    score = (weights.duty + (weights.skill if skill else 0)
             + (weights.building if building else 0) + (weights.grid if grid else 0)
             + (weights.free_time if free else 0) - weights.load * member.held
             - weights.services * member.services
             + weights.rating * (0.0 if member.stars is None else member.stars - 3.0))
    return -score, member.unbelow, member.services, member.id


def _pools(session: Session, communities: Mapping[int, Community], duties: list[str],
           policy: Policy, now: datetime) -> dict[int, Pool]:
    """The standings of the communities' active members who claimed any of ``duties``, by
    community: one SELECT for each time zone (a quarter is a zone's)."""
    zones: dict[str, list[int]] = defaultdict(list)
    for community_id, community in communities.items():
        zones[community.timezone].append(community_id)
    pools: dict[int, Pool] = defaultdict(Pool)
    # PostgreSQL reads a city's accepted places to join them to its live orders, SQLite
    # looks the places up by the orders' ids and looks them up again by their ids (twice
    # as slow): only PostgreSQL is told to look them up (``scoring.loads``).
    by_orders = session.get_bind().dialect.name == "postgresql"
    for zone, among in zones.items():
        # On the connection: the ORM's layers cost more than the rows' own reading.
        for member in core(session).execute(_standings(
                communities, sorted(among), zone, duties, policy, now, by_orders)).all():
            pools[member.community_id].add(member)
    return pools


def _standings(communities: Mapping[int, Community], among: list[int], zone: str,
               duties: list[str], policy: Policy, now: datetime, by_orders: bool) -> Select:
    """The members of the communities ``among`` who claimed any of ``duties``: their id, community
    and what an order may match, what ``scoring.scored`` reads of them, ``claimed`` (a bit
    for each of ``duties``) and, for an order that matches nothing of theirs, their score
    and ``below`` negated (``unscore``, ``unbelow``: a sort's key, best first);
    ``by_orders``: as ``scoring.loads`` says."""
    record = scoring.tallies(among, zone, now)
    load = scoring.loads(among, own=True, by_orders=by_orders)
    quotas = quota_of({c: quota(communities[c], policy)[0] for c in among},
                      col(Member.community_id))
    scored = scoring.scored(scoring.Target(None, None, None, None, None, None, None),
                            cast(null(), String), false(), record, load, quotas, policy,
                            duty_only=True)
    # The duties claimed as one aggregate: as EXISTS for each duty, PostgreSQL looks each
    # member's duties up again for every duty (1.2 s of a city's 60,000 members).
    bits = case({duty: 1 << bit for bit, duty in enumerate(duties)},
                value=col(MemberDuty.duty), else_=0)
    claimed = (wide_select(col(MemberDuty.member_id).label("member_id"),
                           func.sum(bits).label("claimed"))
               .where(col(MemberDuty.duty).in_(duties))
               .group_by(col(MemberDuty.member_id)).subquery("claimed"))
    return (wide_select(col(Member.id), col(Member.community_id), col(Member.building_id),
                        col(Member.grid_id), col(Member.skills), col(Member.free_time),
                        scored.held.label("held"), scored.services.label("services"),
                        scored.stars.label("stars"), claimed.c.claimed,
                        (-scored.score).label("unscore"), (-scored.below).label("unbelow"))
            .join(claimed, claimed.c.member_id == Member.id)
            .outerjoin(record, record.c.member_id == Member.id)
            .outerjoin(load, load.c.member_id == Member.id)
            .where(col(Member.community_id).in_(among), col(Member.active).is_(True)))


def quota_of(services: Mapping[int, int], community: ColumnElement[Any] | Mapped[int]
             ) -> ColumnElement[Any]:
    """The quota of services of the ``community`` (a column), given each community's:
    the most common for all but the communities whose quota differs (a CASE of a city's
    every community was weighed once a member, a third of the standings' own work)."""
    common = Counter(services.values()).most_common(1)[0][0]
    differ = {c: n for c, n in services.items() if n != common}
    if not differ:
        return literal(common)
    return case(differ, value=community, else_=common)


def _left_out(session: Session, order_ids: list[int]) -> dict[int, set[int]]:
    """Who each order's whistle leaves out (``scoring.not_asked`` for a whistle): the
    resident who filed it, those whistled already this round, those who took a place on it
    this round and those released from it in any; one SELECT."""
    target = col(Order.id).in_(order_ids)
    resident = (wide_select(col(Order.id), col(Identity.member_id))
                .join(Identity, col(Identity.resident_id) == Order.resident_id)
                .where(target, col(Identity.member_id).is_not(None)))
    whistled = (wide_select(col(Order.id), col(OrderWhistle.member_id))
                .join(OrderWhistle, (col(OrderWhistle.order_id) == Order.id)
                      & (col(OrderWhistle.round) == Order.round))
                .where(target))
    placed = (wide_select(col(Order.id), col(Acceptance.member_id))
              .join(Acceptance, col(Acceptance.order_id) == Order.id)
              .where(target, or_(col(Acceptance.round) == Order.round,
                                 col(Acceptance.status) == AcceptanceStatus.RELEASED)))
    left_out: dict[int, set[int]] = defaultdict(set)
    for order_id, member_id in session.execute(union_all(resident, whistled, placed)).all():
        left_out[order_id].add(member_id)
    return left_out
