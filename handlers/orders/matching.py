"""Who and what an order matches: members to whistle, duplicates, distance to the place."""

from __future__ import annotations

from collections.abc import Set as AbstractSet
from datetime import datetime
from math import asin, cos, radians, sin, sqrt

from rapidfuzz import fuzz
from sqlalchemy import Select, bindparam, or_
from sqlmodel import Session, col, select

from handlers.errors import WorkflowError
from handlers.fanout import duty_members
from handlers.orders import states
from handlers.rules.policy import Policy
from handlers.texts import t
from storage.models import Community, Order

EARTH_RADIUS_M = 6_371_000.0


def whistle_targets(order: Order, skip: AbstractSet[int] = frozenset()) -> Select:
    """The ids of the members of the order's community who claimed the order's duty
    (认领的职责), in SQL, but ``skip``.

    The member who filed the need is left out: nobody is whistled to their own need.
    """
    return duty_members(order.community_id, order.duty, skip, order.resident_id)


def find_duplicate(session: Session, order: Order, policy: Policy, now: datetime) -> Order | None:
    """An unfinished order of the same community that says the same thing, if any.

    Only the recent live orders on the same duty (or on none yet) are compared, and only
    their texts are read: the index on (community, duty, filing time) finds them, and no
    order is loaded whole but the one that matches.
    """
    query = _ANY_DUTY if order.duty is None else _SAME_DUTY
    found = session.execute(query, {"community": order.community_id, "order": order.id,
                                    "since": now - policy.duplicate_window,
                                    "duty": order.duty}).all()
    cutoff = policy.duplicate_similarity
    for key, text in found:
        if fuzz.ratio(order.text, text, score_cutoff=cutoff) >= cutoff:
            return session.get(Order, key)
    return None


def _candidates(on_duty: bool) -> Select:
    """The ids and texts of the recent live orders a new one may repeat, newest first; the
    statement is built once, as building one costs more than running it."""
    query = select(col(Order.id), col(Order.text)).where(
        col(Order.community_id) == bindparam("community"), col(Order.id) != bindparam("order"),
        col(Order.status).in_(states.MERGE_TARGETS), col(Order.created_at) >= bindparam("since"))
    if on_duty:
        query = query.where(or_(col(Order.duty) == bindparam("duty"), col(Order.duty).is_(None)))
    return query.order_by(col(Order.id).desc())


_ANY_DUTY, _SAME_DUTY = _candidates(on_duty=False), _candidates(on_duty=True)


def auto_approves(session: Session, order: Order, policy: Policy) -> bool:
    """Whether the need may skip review: its community opted out of reviewing (自动审核) and
    the classifier is sure of the duty; an unsure need always goes to a person."""
    community = session.get(Community, order.community_id)
    sure = order.duty is not None and order.confidence >= policy.auto_approve_confidence
    return bool(community and community.auto_approve and sure)


def distance_m(a: tuple[float, float], b: tuple[float, float]) -> float:
    """Great-circle distance between two (lat, lon) points in metres (haversine)."""
    lat1, lon1, lat2, lon2 = map(radians, (*a, *b))
    h = sin((lat2 - lat1) / 2) ** 2 + cos(lat1) * cos(lat2) * sin((lon2 - lon1) / 2) ** 2
    return 2 * EARTH_RADIUS_M * asin(sqrt(h))


def require_near(order: Order, where: tuple[float, float] | None, radius_m: float) -> None:
    """Refuse a check-in farther than ``radius_m`` from an order that has coordinates."""
    if order.lat is None or order.lon is None or where is None:
        return
    distance = distance_m((order.lat, order.lon), where)
    if distance > radius_m:
        raise WorkflowError(t("checkin_too_far", id=order.id, distance=round(distance),
                              radius=round(radius_m)))
