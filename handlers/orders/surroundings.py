"""What a new need meets in its community, read in one statement before it is filed: the
community's buildings, to place it (``whereabouts``), and the recent live orders it may
repeat (``matching.find_duplicate``). Every need costs one read, not two."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from functools import cache
from operator import itemgetter

from sqlalchemy import Boolean, CompoundSelect, Integer, literal, null, select, union_all
from sqlmodel import Session

from handlers.orders import matching, whereabouts
from handlers.orders.matching import Candidate
from handlers.orders.whereabouts import KnownBuilding
from handlers.rules.policy import Policy
from storage.models import Order
from storage.rows import core

_BUILDING, _CANDIDATE = 0, 1


@dataclass(frozen=True)
class Surroundings:
    """A new need's community as it stands before the need is filed.

    Attributes:
        buildings: The community's buildings, the remembered one marked, by id.
        candidates: The recent live orders the need may repeat, newest first.
    """

    buildings: list[KnownBuilding]
    candidates: list[Candidate]


def read(session: Session, order: Order, policy: Policy, now: datetime) -> Surroundings:
    """The surroundings of ``order``, not yet written: its community, duty, resident and
    beneficiary set."""
    resident = whereabouts.remembering(order)
    rows = core(session).execute(_statement(resident is not None, order.duty is not None), {
        "community": order.community_id, "resident": resident, "duty": order.duty,
        "since": now - policy.duplicate_window}).all()  # at once: row by row costs twice
    buildings: list[KnownBuilding] = []
    candidates: list[Candidate] = []
    for row in rows:
        if row[0] == _BUILDING:
            _, id_, name, grid, lat, lon, _, _, remembered = row
            buildings.append(KnownBuilding(id_, grid, name, lat, lon, bool(remembered)))
        else:
            candidates.append(row[1:8])
    # One statement's rows come in no promised order: each list as its own read had it.
    buildings.sort(key=itemgetter(0))
    candidates.sort(key=itemgetter(0), reverse=True)
    return Surroundings(buildings, candidates)


@cache
def _statement(remembering: bool, on_duty: bool) -> CompoundSelect:
    """The two reads as one, each row marked with what it is; built once for each kind of
    need, as building a statement costs more than running it. Columns: kind, id, name or
    text, grid id or building id, lat, lon, place, address, remembered: a candidate is
    columns 1 to 7."""
    known = whereabouts.buildings(remembering).subquery()
    recent = matching.candidates(on_duty).subquery()
    return union_all(
        select(literal(_BUILDING, Integer).label("kind"), known.c.id, known.c.name,
               known.c.grid_id, known.c.lat, known.c.lon, null().label("place"),
               null().label("address"), known.c.remembered),
        select(literal(_CANDIDATE, Integer), recent.c.id, recent.c.text, recent.c.building_id,
               recent.c.lat, recent.c.lon, recent.c.place, recent.c.address,
               null().cast(Boolean)))
