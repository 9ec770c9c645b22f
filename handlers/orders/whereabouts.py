"""Where an order is (工单位置): its building, grid and coordinates, from the best source.

In order: a location the resident shared with the need (or right after it, in the same
chat); a building the text names, matched against the community's buildings by the one
matcher (``nlu.buildings``: 3栋, 3号楼, 三栋, 3幢, 3-2-502); the building of the resident's
last need that had one (their remembered building); else only the community. The order
keeps the building and its grid whenever one is known, and coordinates (the shared point,
else the building's) when there are any: those centre the check-in geofence.
"""

from __future__ import annotations

from sqlmodel import Session, col, select

from handlers.context import Context
from handlers.orders import states
from handlers.texts import t
from nlu.buildings import match_building, names_a_building
from storage.models import Building, Grid, Order

ATTACHABLE = states.OUTSTANDING


def place_order(session: Session, order: Order) -> None:
    """Give a new order its building, grid and coordinates; the caller has set ``lat`` and
    ``lon`` already when the resident shared a location with the need.

    Reads the community's buildings only when the text names one, else the resident's
    remembered building only when there is a resident to remember: one statement at most.
    """
    said = " ".join(part for part in (order.address, order.beneficiary_building, order.text)
                    if part)
    if names_a_building(said):
        building = named_building(session, order.community_id, said)
    elif order.resident_id is not None and not order.beneficiary_name:
        # A need filed for someone else (代办) is at their building, not the filer's.
        building = remembered_building(session, order.resident_id, order.community_id)
    else:
        building = None
    if building is None:
        return
    order.building_id, order.grid_id = building.id, building.grid_id
    order.place = order.place or building.name
    if order.lat is None and order.lon is None and building.lat is not None:
        order.lat, order.lon = building.lat, building.lon


def named_building(session: Session, community_id: int, text: str) -> Building | None:
    """The community's building ``text`` names, if it has one by that name or number."""
    known = session.exec(select(Building).where(Building.community_id == community_id)).all()
    name = match_building(text, (b.name for b in known))
    return next((b for b in known if b.name == name), None)


def remembered_building(session: Session, resident_id: int,
                        community_id: int) -> Building | None:
    """The building of the resident's latest need in the community that had one."""
    return session.exec(
        select(Building).join(Order, col(Order.building_id) == Building.id)
        .where(Order.resident_id == resident_id, Order.community_id == community_id)
        .order_by(col(Order.id).desc()).limit(1)).first()


def shared_need(ctx: Context, resident_id: int, channel: str,
                chat: str | None) -> Order | None:
    """The resident's need filed in this chat moments ago, still being handled, which a
    location sent now belongs to; None when there is none."""
    since = ctx.now - ctx.policy.location_follows
    query = select(Order).where(
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
