"""What a new need meets in its community, read in one statement before it is filed: the
community's buildings, to place it (``whereabouts``), and the recent live orders it may
repeat (``matching.find_duplicate``). Every need costs one read, not two."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from functools import cache
from operator import itemgetter
from typing import Any

from sqlalchemy import (
    Boolean,
    CompoundSelect,
    Integer,
    String,
    literal,
    null,
    select,
    type_coerce,
    union_all,
)
from sqlmodel import Session

from handlers.orders import matching, recent, whereabouts
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
    beneficiary set. In a batch that keeps its reads (``recent``), the candidates kept for
    the community are used when still right, and only the buildings are read."""
    resident = whereabouts.remembering(order)
    since = now - policy.duplicate_window
    params = {"community": order.community_id, "resident": resident, "duty": order.duty,
              "since": since}
    connection = core(session)  # flushed: a write of orders has dropped the kept reads
    batch = recent.of(session)
    if batch is None:
        return _split(connection.execute(_statement(resident is not None,
                                                    order.duty is not None), params).all())
    key = (order.community_id, order.duty is not None, order.duty)
    stored_since = recent.stored_time(connection)(since)
    kept = recent.kept(batch, key, stored_since)
    if kept is not None:
        rows = connection.execute(whereabouts.buildings(resident is not None), params).all()
        return Surroundings(sorted((KnownBuilding(id_, grid, name, lat, lon, bool(mark))
                                    for id_, grid, name, lat, lon, mark in rows),
                                   key=itemgetter(0)), kept)
    rows = connection.execute(_statement(resident is not None, order.duty is not None, True),
                              params).all()
    around = _split(rows)
    recent.store(batch, key, stored_since, sorted((row[1:8] + (row[9],) for row in rows
                                            if row[0] == _CANDIDATE),
                                           key=itemgetter(0), reverse=True))
    return around


def _split(rows: Sequence[Any]) -> Surroundings:
    """The rows of ``_statement`` as the buildings and the candidates."""
    buildings: list[KnownBuilding] = []
    candidates: list[Candidate] = []
    for row in rows:  # at once (``all``): row by row costs twice
        if row[0] == _BUILDING:
            _, id_, name, grid, lat, lon, _, _, remembered = row[:9]
            buildings.append(KnownBuilding(id_, grid, name, lat, lon, bool(remembered)))
        else:
            candidates.append(row[1:8])
    # One statement's rows come in no promised order: each list as its own read had it.
    buildings.sort(key=itemgetter(0))
    candidates.sort(key=itemgetter(0), reverse=True)
    return Surroundings(buildings, candidates)


@cache
def _statement(remembering: bool, on_duty: bool, dated: bool = False) -> CompoundSelect:
    """The two reads as one, each row marked with what it is; built once for each kind of
    need, as building a statement costs more than running it. Columns: kind, id, name or
    text, grid id or building id, lat, lon, place, address, remembered: a candidate is
    columns 1 to 7; when ``dated``, column 9 is a candidate's filing time as stored."""
    known = whereabouts.buildings(remembering).subquery()
    lately = matching.candidates(on_duty, dated).subquery()
    stamped = ((null().label("created"),), (type_coerce(lately.c.created_at, String),)) \
        if dated else ((), ())
    return union_all(
        select(literal(_BUILDING, Integer).label("kind"), known.c.id, known.c.name,
               known.c.grid_id, known.c.lat, known.c.lon, null().label("place"),
               null().label("address"), known.c.remembered, *stamped[0]),
        select(literal(_CANDIDATE, Integer), lately.c.id, lately.c.text, lately.c.building_id,
               lately.c.lat, lately.c.lon, lately.c.place, lately.c.address,
               null().cast(Boolean), *stamped[1]))
