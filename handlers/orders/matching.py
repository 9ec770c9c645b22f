"""Who and what an order matches: members to whistle, duplicates, distance to the place."""

from __future__ import annotations

from collections.abc import Sequence
from collections.abc import Set as AbstractSet
from dataclasses import dataclass
from functools import lru_cache
from math import asin, cos, radians, sin, sqrt
from typing import Protocol

from sqlalchemy import ColumnElement, Select, bindparam, literal, union_all
from sqlalchemy import select as wide_select
from sqlmodel import Session

from handlers.errors import WorkflowError
from handlers.orders import states
from handlers.recipients import duty_members
from handlers.rules.policy import Policy
from handlers.texts import t
from nlu.buildings import building_key
from nlu.sameness import similarity
from storage.models import Community, Order
from storage.rows import table_of

EARTH_RADIUS_M = 6_371_000.0
CANDIDATES = 200
"""The most recent live orders a new need is compared with; more would be a flood, not
repeats, and reading them all would make every need slower."""


def whistle_targets(order: Order, skip: AbstractSet[int] = frozenset()) -> Select:
    """The ids of the members of the order's community who claimed the order's duty
    (认领的职责), in SQL, but ``skip``.

    The member who filed the need is left out: nobody is whistled to their own need.
    """
    return duty_members(order.community_id, order.duty, skip, order.resident_id)


Candidate = tuple[int, str, int | None, float | None, float | None, str, str]
"""A recent live order a new need may repeat, as ``candidates`` reads it: id, text,
building id, lat, lon, place and address."""


def find_duplicate(session: Session, order: Order, policy: Policy,
                   found: Sequence[Candidate]) -> Order | None:
    """The unfinished order of the same community that is the same need (相同诉求), if any:
    on the same duty (or on none yet), at the same place, filed within the window, and
    saying the same thing however worded (``nlu.sameness``); the most alike wins.

    Args:
        session: The open transaction.
        order: The new order.
        policy: The settings.
        found: What ``candidates`` read for the order, newest first. Only the order that
            matches is loaded whole.
    """
    here = _Where.of(order)  # read once: the order's attributes are dear to read 200 times
    text, radius_m = order.text, policy.duplicate_radius_m
    best, best_score = None, policy.duplicate_similarity
    # Plain tuples: a row's attributes cost a lookup each, 200 rows a need.
    for id_, other, building_id, lat, lon, place, address in found:
        if not here.matches(building_id, lat, lon, place or address, radius_m):
            continue
        score = similarity(text, other)
        if score >= best_score and (best is None or score > best_score):
            best, best_score = id_, score
    return session.get(Order, best) if best is not None else None


@dataclass(frozen=True, slots=True)
class _Where:
    """What ``same_place`` reads of an order, copied out of it, with the building its
    written place names worked out once."""

    building_id: int | None
    lat: float | None
    lon: float | None
    written: str

    @classmethod
    def of(cls, need: _Place) -> _Where:
        return cls(need.building_id, need.lat, need.lon, _place_key(need.place or need.address))

    def matches(self, building_id: int | None, lat: float | None, lon: float | None,
                place: str, radius_m: float) -> bool:
        """``same_place`` with another need's building, coordinates and written place
        (its place, else its address)."""
        if self.building_id is not None and building_id is not None:
            return self.building_id == building_id
        if self.lat is not None and self.lon is not None and lat is not None \
                and lon is not None:
            return distance_m((self.lat, self.lon), (lat, lon)) <= radius_m
        return self.written == _place_key(place)


class _Place(Protocol):
    @property
    def building_id(self) -> int | None: ...
    @property
    def lat(self) -> float | None: ...
    @property
    def lon(self) -> float | None: ...
    @property
    def place(self) -> str: ...
    @property
    def address(self) -> str: ...


def same_place(a: _Place, b: _Place, radius_m: float) -> bool:
    """Whether two needs are at one place: the same building when both know theirs, else
    within ``radius_m`` when both have coordinates, else the same place as written (3栋,
    3号楼 and 三栋 read alike: the building a place names, 3-2-502 reading as 3, else the
    place as written); two needs that name no place are in the same community. A need that
    names its place is never merged with one that does not."""
    return _Where.of(a).matches(b.building_id, b.lat, b.lon, b.place or b.address, radius_m)


@lru_cache(maxsize=4096)
def _place_key(place: str) -> str:
    # Kept: a new need is compared with up to CANDIDATES recent ones, whose places recur.
    return building_key(place) or place.strip()


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


def candidates(on_duty: bool, dated: bool = False) -> Select:
    """What a new order is compared with, read before it is written: the recent live orders
    of its community (``community``) it may repeat, filed ``since``, on its ``duty`` or on
    none when ``on_duty``, else on any; newest first, ``Candidate`` rows, each followed by
    its filing time when ``dated``. Built once, as building the statement costs more than
    running it.

    On a duty, the orders on it and those on none are read in two branches, each found
    by the index on (community, duty, filing time): with one ``OR`` the databases read
    every live order of the community instead.
    """
    return _BUILT[on_duty, dated]


def _candidates(on_duty: bool, dated: bool) -> Select:
    orders = table_of(Order).c

    def recent(*where: ColumnElement[bool]) -> Select:
        return wide_select(orders.id, orders.text, orders.building_id, orders.lat, orders.lon,
                           orders.place, orders.address,
                           *((orders.created_at,) if dated else ())).where(
            orders.community_id == bindparam("community"), *where,
            orders.created_at >= bindparam("since"),
            # Each state its own parameter: an expanding IN is rewritten at every execution.
            orders.status.in_([literal(status, orders.status.type)
                               for status in sorted(states.MERGE_TARGETS)]))

    if not on_duty:
        return recent().order_by(orders.id.desc()).limit(CANDIDATES)
    either = union_all(recent(orders.duty == bindparam("duty")),
                       recent(orders.duty.is_(None))).subquery()
    return wide_select(*either.c).order_by(either.c.id.desc()).limit(CANDIDATES)


_BUILT = {(on_duty, dated): _candidates(on_duty, dated)
          for on_duty in (False, True) for dated in (False, True)}


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
