"""Buildings (楼栋) and where they are: the centre of the check-in geofence."""

from __future__ import annotations

import math

from sqlmodel import Session, select

from handlers.errors import SetupRefused
from handlers.organisation.structure import checked_name, community, grid_of
from handlers.texts import t
from storage.models import Building, stored_id


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
