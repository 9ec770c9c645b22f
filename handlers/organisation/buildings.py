"""Buildings (楼栋) and where they are: the centre of the check-in geofence."""

from __future__ import annotations

import math

from sqlalchemy import String, bindparam, literal
from sqlmodel import Session, col, select

from handlers.errors import SetupRefused
from handlers.organisation.structure import checked_name, community, grid_of
from handlers.texts import t
from storage.models import Building, Order, stored_id


def coordinates(lat: float | None, lon: float | None) -> tuple[float, float] | None:
    """A WGS-84 point (as GPS and the chat apps' shared locations give), or none.

    Raises:
        SetupRefused: Only one of the two is given, or one is off the globe.
    """
    if lat is None and lon is None:
        return None
    if lat is None or lon is None:
        raise SetupRefused(t("setup_lat_lon_together"))
    if not (math.isfinite(lat) and -90 <= lat <= 90):
        raise SetupRefused(t("setup_bad_lat", value=lat))
    if not (math.isfinite(lon) and -180 <= lon <= 180):
        raise SetupRefused(t("setup_bad_lon", value=lon))
    return lat, lon


def add_building(session: Session, community_name: str, name: str, grid: str | None = None,
                 lat: float | None = None, lon: float | None = None) -> Building:
    """A new building in a community, in one of its grids when named, with its location.

    Raises:
        SetupRefused: No such community or grid, the name is taken, or the coordinates are bad.
    """
    owner = community(session, community_name)
    name = checked_name(name)
    point = coordinates(lat, lon)
    grid_id = grid_of(session, owner, grid).id if grid else None
    if session.exec(select(Building.id).where(Building.community_id == owner.id,
                                              Building.name == name)).first() is not None:
        raise SetupRefused(t("setup_building_exists", community=owner.name, name=name))
    added = Building(community_id=stored_id(owner), grid_id=grid_id, name=name,
                     lat=point[0] if point else None, lon=point[1] if point else None)
    session.add(added)
    session.flush()
    return added


def building_at(session: Session, community_id: int, place: str) -> Building | None:
    """The community's building an order's place names, if it has coordinates.

    A place matches a building it names exactly or ends with (幸福里5栋 is 5栋), but never
    by a shorter number (15栋 is not 5栋); the longest such name wins.
    """
    place = place.strip()
    if not place:
        return None
    # SQL reads only the buildings whose name the place ends with (LIKE may let a few more
    # through, never fewer); the digit rule is applied here.
    located = session.exec(_ENDING, params={"community": community_id, "place": place}).all()
    named = [b for b in located if place == b.name or (
        place.endswith(b.name) and not place[-len(b.name) - 1].isdigit())]
    return max(named, key=lambda b: len(b.name), default=None)


_ENDING = select(Building).where(
    col(Building.community_id) == bindparam("community"), col(Building.lat).is_not(None),
    col(Building.lon).is_not(None),
    bindparam("place", type_=String).like(literal("%") + col(Building.name)))
"""The community's located buildings a place may end with; built once."""



def centre_on_building(session: Session, order: Order) -> None:
    """Give an order without coordinates those of the building its place names, so a
    check-in there is held to the geofence; an unknown place leaves it unchecked."""
    if order.lat is not None or order.lon is not None:
        return
    found = building_at(session, order.community_id, order.place)
    if found is not None:
        order.lat, order.lon = found.lat, found.lon
