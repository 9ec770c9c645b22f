"""Who can reach an order's first whistle at all, found before it is ranked.

Ranking many orders at once (``ranking.first_whistled``) scores every member of an order's
duty for it: a city's thousand orders are a quarter of a million pairs. Most members cannot
make an order's best ``first_members`` whatever the order: a member's score is their
``scoring.standing`` (load, services, rating: the same for every order) plus at most
``scoring.most_for_order``. When ``first_members`` members who may be whistled for the order
stand higher than a member's standing plus that most, each of them outscores the member for
sure, so the member is left out of its ranking and the ranking stays the same.

Two plain reads, the same however many orders: the members each order leaves out anyway
(more than the ranking does: a bound from fewer members is only looser), and the head of
each duty's members by standing.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime

from sqlalchemy import CompoundSelect, Float, Select, cast, func, or_, union_all
from sqlalchemy import select as wide_select
from sqlmodel import Session, col

from handlers.orders import scoring
from handlers.rules.policy import Policy
from storage.duties import MemberDuty
from storage.models import Acceptance, Identity, Member, Order, stored_id
from storage.whistles import OrderWhistle

MARGIN = 1e-6  # scores summed in another order in SQL may differ in their last digits


def reachable(session: Session, orders: Sequence[Order], zone: str, policy: Policy,
              now: datetime) -> set[int]:
    """The members who may be among the best ``first_members`` of at least one of
    ``orders`` (of communities in ``zone``); everyone left out is in none of their
    first whistles."""
    ids = [stored_id(order) for order in orders]
    excluded: dict[int, set[int]] = {order_id: set() for order_id in ids}
    for order_id, member_id in session.execute(_left_out(ids)).all():
        excluded[order_id].add(member_id)
    depth = policy.ranking.first_members + max(map(len, excluded.values()), default=0)
    heads: dict[tuple[int, str], list[tuple[int, float]]] = {}
    for community_id, duty, member_id, standing in session.execute(
            _heads(orders, zone, policy, now, depth)).all():
        heads.setdefault((community_id, duty), []).append((member_id, float(standing)))
    reach: set[int] = set()
    for order in orders:
        head = heads.get((order.community_id, order.duty or ""), [])
        floor = _floor(head, excluded[stored_id(order)], policy)
        reach.update(member for member, standing in head if standing >= floor)
    return reach


def _floor(head: list[tuple[int, float]], excluded: set[int], policy: Policy) -> float:
    """The least standing that may still reach the order's first whistle: below the
    ``first_members``-th member who may be whistled by more than an order can add."""
    eligible = [standing for member, standing in head if member not in excluded]
    if len(eligible) < policy.ranking.first_members:
        return float("-inf")
    return eligible[policy.ranking.first_members - 1] - scoring.most_for_order(policy) - MARGIN


def _left_out(ids: list[int]) -> CompoundSelect:
    """(order, member) for every member who ever held, gave back or was whistled for one of
    the orders, or is its resident: more than ``scoring.not_asked`` leaves out."""
    return union_all(
        wide_select(col(Acceptance.order_id), col(Acceptance.member_id))
        .where(col(Acceptance.order_id).in_(ids)),
        wide_select(col(OrderWhistle.order_id), col(OrderWhistle.member_id))
        .where(col(OrderWhistle.order_id).in_(ids)),
        wide_select(col(Order.id), col(Identity.member_id))
        .join(Identity, col(Identity.resident_id) == Order.resident_id)
        .where(col(Order.id).in_(ids), col(Identity.member_id).is_not(None)))


def _heads(orders: Sequence[Order], zone: str, policy: Policy, now: datetime,
           depth: int) -> Select:
    """The active members of the orders' duties by standing, highest first, for each
    community and duty: the ``depth`` highest and everyone within ``most_for_order`` of the
    ``depth``-th (whom an order's weights may still lift above it)."""
    among = sorted({order.community_id for order in orders})
    duties = sorted({order.duty for order in orders if order.duty})
    record, load = scoring.tallies(among, zone, now), scoring.loads(among)
    standing = scoring.standing(record, load, policy)
    group = (col(Member.community_id), col(MemberDuty.duty))
    nth = func.nth_value(standing, depth).over(
        partition_by=group, order_by=standing.desc(), rows=(None, None))
    heads = (wide_select(*group, col(Member.id).label("member_id"),
                         cast(standing, Float).label("standing"), nth.label("nth"))
             .join(MemberDuty, col(MemberDuty.member_id) == Member.id)
             .outerjoin(record, record.c.member_id == Member.id)
             .outerjoin(load, load.c.member_id == Member.id)
             .where(col(Member.community_id).in_(among), col(Member.active).is_(True),
                    col(MemberDuty.duty).in_(duties))
             .subquery("heads"))
    lowest = heads.c.nth - scoring.most_for_order(policy) - 2 * MARGIN
    return (wide_select(heads.c.community_id, heads.c.duty, heads.c.member_id,
                        heads.c.standing)
            .where(or_(heads.c.nth.is_(None), heads.c.standing >= lowest))
            .order_by(heads.c.community_id, heads.c.duty, heads.c.standing.desc()))
