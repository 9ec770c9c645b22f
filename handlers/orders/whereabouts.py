"""Where an order is (工单位置): its building, grid and coordinates, from the best source.

In order: a location the resident shared with the need (or right after it, in the same
chat); a building the text names, matched against the community's buildings by the one
matcher (``nlu.buildings``: 3栋, 3号楼, 三栋, 3幢, 3-2-502); the building of the resident's
last need that had one (their remembered building); else only the community. The order
keeps the building and its grid whenever one is known, and coordinates (the shared point,
else the building's) when there are any: those centre the check-in geofence.
"""

from __future__ import annotations

from typing import NamedTuple

from sqlalchemy import Select, bindparam, false, select
from sqlmodel import Session, col
from sqlmodel import select as model_select

from handlers.context import Context
from handlers.orders import states
from handlers.texts import t
from nlu.buildings import building_key, match_building
from storage.models import Building, Grid, Order
from storage.rows import core, table_of

ATTACHABLE = states.OUTSTANDING


def place_order(session: Session, order: Order,
                known: list[KnownBuilding] | None = None) -> None:
    """Give a new order its building, grid and coordinates; the caller has set ``lat`` and
    ``lon`` already when the resident shared a location with the need.

    One statement reads the community's buildings, each marked when it is the resident's
    remembered one, so a building named without a number (老年活动中心) is found too;
    none when the caller read them already (``known``, as ``buildings`` reads them).
    """
    said = " ".join(part for part in (order.address, order.beneficiary_building, order.text)
                    if part)
    if known is None:
        known = _buildings(session, order.community_id, remembering(order))
    name = match_building(said, (b.name for b in known))
    # A building named but not on the community's list is not the remembered one either.
    remember = name is None and building_key(said) is None
    building = next((b for b in known if b.name == name or (remember and b.remembered)), None)
    if building is None:
        return
    order.building_id, order.grid_id = building.id, building.grid_id
    order.place = order.place or building.name
    if order.lat is None and order.lon is None and building.lat is not None:
        order.lat, order.lon = building.lat, building.lon


class KnownBuilding(NamedTuple):
    """A building of the community as a need is placed: what the order takes from it."""

    id: int
    grid_id: int | None
    name: str
    lat: float | None
    lon: float | None
    remembered: bool
    """Whether it is the building of the resident's latest need there that had one."""


def named_building(session: Session, community_id: int, text: str) -> KnownBuilding | None:
    """The community's building ``text`` names, if it has one by that name or number."""
    known = _buildings(session, community_id, None)
    name = match_building(text, (b.name for b in known))
    return next((b for b in known if b.name == name), None)


def remembering(order: Order) -> int | None:
    """The resident whose remembered building a new order may be at: none for a need filed
    for someone else (代办), which is at their building, not the filer's."""
    return None if order.beneficiary_name else order.resident_id


def buildings(remembering: bool) -> Select:
    """The buildings of the community ``community`` as ``KnownBuilding`` rows, each marked
    when it is the remembered one of the resident ``resident`` if ``remembering``; built
    once."""
    return _BUILDINGS_REMEMBERED if remembering else _BUILDINGS


def _buildings(session: Session, community_id: int,
               resident_id: int | None) -> list[KnownBuilding]:
    """The community's buildings, each with whether it is the building of the resident's
    latest need in the community that had one (their remembered building)."""
    rows = core(session).execute(buildings(resident_id is not None),
                                 {"community": community_id, "resident": resident_id})
    return [KnownBuilding(id_, grid, name, lat, lon, bool(remembered))
            for id_, grid, name, lat, lon, remembered in rows]


def _buildings_query(remembering: bool) -> Select:
    """The statement ``_buildings`` sends, built once: building it costs more than running
    it."""
    buildings, orders = table_of(Building).c, table_of(Order).c
    latest = (select(orders.building_id)
              .where(orders.resident_id == bindparam("resident"),
                     orders.community_id == bindparam("community"),
                     orders.building_id.is_not(None))
              # By id + 0, not id: with id, PostgreSQL walks orders' primary key backwards
              # through every resident's orders for one whose needs named no building; so
              # it takes the resident's few rows by their index and sorts them.
              .order_by((orders.id + 0).desc()).limit(1).scalar_subquery())
    remembered = (buildings.id == latest) if remembering else false()
    return select(buildings.id, buildings.grid_id, buildings.name, buildings.lat,
                  buildings.lon, remembered.label("remembered")).where(
        buildings.community_id == bindparam("community"))


_BUILDINGS, _BUILDINGS_REMEMBERED = _buildings_query(False), _buildings_query(True)


def shared_need(ctx: Context, resident_id: int, channel: str,
                chat: str | None) -> Order | None:
    """The resident's need filed in this chat moments ago, still being handled, which a
    location sent now belongs to; None when there is none."""
    since = ctx.now - ctx.policy.location_follows
    query = model_select(Order).where(
        Order.resident_id == resident_id, Order.source_channel == channel,
        col(Order.created_at) >= since, col(Order.status).in_(ATTACHABLE))
    query = query.where(col(Order.source_chat).is_(None) if chat is None
                        else Order.source_chat == chat)
    return ctx.session.exec(query.order_by(col(Order.id).desc()).limit(1)).first()


def share_location(ctx: Context, order: Order, where: tuple[float, float]) -> None:
    """The resident's shared point becomes the order's place, over its building's."""
    order.lat, order.lon = where
    order.updated_at = ctx.now
    ctx.session.add(order)


def place_line(session: Session, order: Order) -> str | None:
    """位置：3栋（第一网格），坐标 31.23040, 121.47370 — what is known of where it is."""
    parts = []
    building = session.get(Building, order.building_id) if order.building_id else None
    if building is not None:
        grid = session.get(Grid, building.grid_id) if building.grid_id else None
        parts.append(t("detail_where_grid", building=building.name, grid=grid.name)
                     if grid else building.name)
    if order.lat is not None and order.lon is not None:
        parts.append(t("detail_where_point", lat=order.lat, lon=order.lon))
    return t("detail_where", where="，".join(parts)) if parts else None
