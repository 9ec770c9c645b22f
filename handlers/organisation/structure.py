"""Communities (with their street office), grids, buildings and units."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import func
from sqlalchemy import select as sa_select
from sqlmodel import Session, col, select

from handlers import people
from handlers.errors import SetupRefused
from handlers.texts import t
from storage.models import Building, Community, District, Grid, Member, Unit, UnitKind, stored_id

NAME_CHARS = 100  # the name columns' width
UNIT_CHARS = 200


def checked_name(name: str, limit: int = NAME_CHARS) -> str:
    """A name stripped of surrounding blanks.

    Raises:
        SetupRefused: The name is empty or longer than its column.
    """
    name = name.strip()
    if not name:
        raise SetupRefused(t("setup_name_empty"))
    if len(name) > limit:
        raise SetupRefused(t("setup_name_too_long", name=name, limit=limit))
    return name


def district(session: Session, name: str) -> District:
    """The street office of that name, created on first mention."""
    name = checked_name(name)
    found = session.exec(select(District).where(District.name == name)).first()
    if found is None:
        found = District(name=name)
        session.add(found)
        session.flush()
    return found


def district_named(session: Session, name: str) -> District:
    """An existing street office by its exact name.

    Raises:
        SetupRefused: There is none of that name.
    """
    found = session.exec(select(District).where(District.name == name.strip())).first()
    if found is None:
        raise SetupRefused(t("setup_no_such_district", name=name))
    return found


def community(session: Session, name: str) -> Community:
    """An existing community by its name (or a unique part of it).

    Raises:
        SetupRefused: There is no such community.
    """
    found = people.community_named(session, name)
    if found is None:
        raise SetupRefused(t("no_such_community", name=name))
    return found


def add_community(session: Session, name: str, district_name: str | None = None) -> Community:
    """A new community, under a street office when one is named.

    Raises:
        SetupRefused: The name is empty, too long or taken.
    """
    name = checked_name(name)
    if session.exec(select(Community.id).where(Community.name == name)).first() is not None:
        raise SetupRefused(t("setup_community_exists", name=name))
    added = Community(name=name,
                      district_id=district(session, district_name).id if district_name else None)
    session.add(added)
    session.flush()
    return added


def rename_community(session: Session, old: str, new: str) -> Community:
    """Give a community a new name; its orders, members and groups stay with it.

    Raises:
        SetupRefused: No community is called ``old`` or another is already called ``new``.
    """
    found = session.exec(select(Community).where(Community.name == old.strip())).first()
    if found is None:
        raise SetupRefused(t("no_such_community", name=old))
    new = checked_name(new)
    if session.exec(select(Community.id).where(Community.name == new,
                                               Community.id != found.id)).first() is not None:
        raise SetupRefused(t("setup_community_exists", name=new))
    found.name = new
    session.flush()
    return found


@dataclass(frozen=True)
class CommunityRow:
    """One line of `whistle community list`."""

    name: str
    district: str
    grids: int
    buildings: int
    members: int  # active members only

    def __str__(self) -> str:
        return t("setup_community_line", name=self.name,
                 district=self.district or t("setup_no_district"), grids=self.grids,
                 buildings=self.buildings, members=self.members)


def community_rows(session: Session) -> list[CommunityRow]:
    """Every community with its street office and sizes, in one query."""
    grids = (select(func.count(col(Grid.id))).where(Grid.community_id == Community.id)
             .scalar_subquery())
    buildings = (select(func.count(col(Building.id)))
                 .where(Building.community_id == Community.id).scalar_subquery())
    members = (select(func.count(col(Member.id)))
               .where(Member.community_id == Community.id, col(Member.active).is_(True))
               .scalar_subquery())
    # Five columns: more than sqlmodel's select is typed for, so SQLAlchemy's.
    rows = session.execute(
        sa_select(col(Community.name), col(District.name), grids, buildings, members)
        .join(District, col(Community.district_id) == District.id, isouter=True)
        .order_by(Community.name)).all()
    return [CommunityRow(name, district or "", grids, buildings, members)
            for name, district, grids, buildings, members in rows]


def add_grid(session: Session, community_name: str, name: str) -> Grid:
    """A new grid in a community.

    Raises:
        SetupRefused: No such community, or it already has a grid of that name.
    """
    owner = community(session, community_name)
    name = checked_name(name)
    if session.exec(select(Grid.id).where(Grid.community_id == owner.id,
                                          Grid.name == name)).first() is not None:
        raise SetupRefused(t("setup_grid_exists", community=owner.name, name=name))
    added = Grid(community_id=stored_id(owner), name=name)
    session.add(added)
    session.flush()
    return added


def grid_of(session: Session, owner: Community, name: str) -> Grid:
    """A community's grid by its name.

    Raises:
        SetupRefused: The community has no grid of that name.
    """
    found = session.exec(select(Grid).where(Grid.community_id == owner.id,
                                            Grid.name == name.strip())).first()
    if found is None:
        raise SetupRefused(t("import_no_such_grid", community=owner.name, grid=name))
    return found


def unit_kind(text: str) -> UnitKind:
    """The unit kind a word names; an empty word is 其他.

    Raises:
        SetupRefused: No kind is called that.
    """
    text = text.strip() or UnitKind.OTHER.value
    try:
        return UnitKind(text)
    except ValueError:
        raise SetupRefused(t("setup_bad_unit_kind", kind=text, kinds=KIND_NAMES)) from None


KIND_NAMES = "、".join(kind.value for kind in UnitKind)


def add_unit(session: Session, name: str, kind: str = "") -> Unit:
    """A new work unit of a kind (其他 unless said).

    Raises:
        SetupRefused: The name is empty, too long or taken, or the kind is unknown.
    """
    name = checked_name(name, UNIT_CHARS)
    chosen = unit_kind(kind)
    if session.exec(select(Unit.id).where(Unit.name == name)).first() is not None:
        raise SetupRefused(t("setup_unit_exists", name=name))
    added = Unit(name=name, kind=chosen)
    session.add(added)
    session.flush()
    return added
