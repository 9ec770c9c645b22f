"""What the operator reads after setting something up (the CLI prints these lines)."""

from __future__ import annotations

from handlers.texts import t
from storage.models import Building, Community, Grid, Unit


def community_added(community: Community, district: str | None) -> str:
    """A new community, and its street office when it has one."""
    if district:
        return t("setup_community_added_in", name=community.name, district=district)
    return t("setup_community_added", name=community.name)


def community_renamed(old: str, community: Community) -> str:
    """A community under its new name."""
    return t("setup_community_renamed", old=old, new=community.name)


def no_communities() -> str:
    """What `community list` says on a fresh database."""
    return t("setup_no_communities")


def grid_added(community: str, grid: Grid) -> str:
    """A new grid in a community."""
    return t("setup_grid_added", community=community, name=grid.name)


def building_added(community: str, building: Building) -> str:
    """A new building, with its location when it has one."""
    if building.lat is None or building.lon is None:
        return t("setup_building_added", community=community, name=building.name)
    return t("setup_building_located", community=community, name=building.name,
             lat=building.lat, lon=building.lon)


def unit_added(unit: Unit) -> str:
    """A new work unit and its kind."""
    return t("setup_unit_added", name=unit.name, kind=unit.kind.value)


def no_admins() -> str:
    """What `admin list` says before anyone was granted a role."""
    return t("setup_no_admins")


def no_members() -> str:
    """What `member list` says when nobody is on the roll."""
    return t("setup_no_members")
