"""Who and what an order matches: members to whistle, duplicates, distance to the place."""

from __future__ import annotations

from collections.abc import Set as AbstractSet
from datetime import datetime
from math import asin, cos, radians, sin, sqrt

from rapidfuzz import fuzz
from sqlalchemy import Select, or_
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
    their texts are read: the community's index on (community, status) finds them, and no
    order is loaded whole but the one that matches.
    """
    since = now - policy.duplicate_window
    query = select(Order.id, Order.text).where(
        Order.community_id == order.community_id, Order.id != order.id,
        col(Order.status).in_(states.MERGE_TARGETS), Order.created_at >= since)
    if order.duty is not None:
        query = query.where(or_(col(Order.duty) == order.duty, col(Order.duty).is_(None)))
    for key, text in session.exec(query.order_by(col(Order.id).desc())).all():
        cutoff = policy.duplicate_similarity
        if fuzz.ratio(order.text, text, score_cutoff=cutoff) >= cutoff:
            return session.get(Order, key)
    return None


NEAR_TIE = 0.7
"""A second duty with this share of the best one's evidence makes the guess a near-tie."""
MAX_CHOICES = 3
MIN_CHOICE_SHARE = 0.15
"""A candidate with less of the evidence than this is noise, not a choice to offer."""


def unsure(order: Order, policy: Policy) -> bool:
    """Whether the classifier's guess for a need is too weak to stand on its own: there are
    candidates to choose from, and no duty, a near-tie between the top two, or a confidence
    below ``policy.ask_confidence`` (拿不准的分类)."""
    guesses = order.guesses
    if not guesses:
        return False
    if order.duty is None:
        return True
    tied = len(guesses) > 1 and guesses[1]["score"] >= NEAR_TIE * guesses[0]["score"]
    return len(guesses) > 1 and (tied or order.confidence < policy.ask_confidence)


def choices(order: Order) -> list[str]:
    """The duties to offer when the guess is unsure: the top two or three candidates, the
    best always, the others when they carry a fair share of the evidence."""
    top = order.guesses[:MAX_CHOICES]
    return [g["duty"] for n, g in enumerate(top) if n == 0 or g["score"] >= MIN_CHOICE_SHARE]


def auto_approves(session: Session, order: Order, policy: Policy) -> bool:
    """Whether the need may skip review: its community opted out of reviewing (自动审核) and
    the classifier is sure of the duty (confidence at least ``policy.auto_approve_confidence``
    and no near-tie); an unsure need always goes to a person."""
    sure = (order.duty is not None and order.confidence >= policy.auto_approve_confidence
            and not unsure(order, policy))
    if not sure:
        return False  # no need to read the community
    community = session.get(Community, order.community_id)
    return bool(community and community.auto_approve)


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
