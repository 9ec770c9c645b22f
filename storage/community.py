"""SQLModel tables of the community and its people: street offices, communities, their grids,
buildings and bound groups, the members and their work units, residents, accounts and
admins."""

from __future__ import annotations

from datetime import datetime
from enum import StrEnum

from sqlalchemy import UniqueConstraint
from sqlmodel import Field, SQLModel

from storage.columns import json_field, stored_as_text


class UnitKind(StrEnum):
    """What sort of work unit a member comes from (单位类别), as the district reports them."""

    AGENCY = "机关"
    INSTITUTION = "事业单位"
    STATE_OWNED = "国企"
    NEW_ORGANISATION = "两新组织"  # 新经济组织和新社会组织
    OTHER = "其他"


class District(SQLModel, table=True):
    """A street office (街道): the communities it oversees."""

    id: int | None = Field(default=None, primary_key=True)
    name: str = Field(unique=True, max_length=100)


class Community(SQLModel, table=True):
    """A community (社区): the unit that reviews and dispatches orders."""

    id: int | None = Field(default=None, primary_key=True)
    name: str = Field(unique=True, max_length=100)
    district_id: int | None = Field(default=None, foreign_key="district.id", index=True)
    timezone: str = Field(default="Asia/Shanghai", max_length=64)
    auto_approve: bool = False
    # The community's own quotas (考核指标); empty means the settings' defaults.
    quota_services: int | None = None
    quota_hours: float | None = None


class Grid(SQLModel, table=True):
    """A grid (网格) inside a community."""

    __table_args__ = (UniqueConstraint("community_id", "name"),)
    id: int | None = Field(default=None, primary_key=True)
    community_id: int = Field(foreign_key="community.id", index=True)
    name: str = Field(max_length=100)


class Building(SQLModel, table=True):
    """A building (楼栋) of a community, in one of its grids or none yet.

    Its WGS-84 coordinates, when known, centre the check-in geofence of orders placed there.
    """

    __table_args__ = (UniqueConstraint("community_id", "name"),)
    id: int | None = Field(default=None, primary_key=True)
    community_id: int = Field(foreign_key="community.id", index=True)
    grid_id: int | None = Field(default=None, foreign_key="grid.id", index=True)
    name: str = Field(max_length=100)
    lat: float | None = None
    lon: float | None = None


class Unit(SQLModel, table=True):
    """A member's work unit (工作单位): an agency or company."""

    id: int | None = Field(default=None, primary_key=True)
    name: str = Field(unique=True, max_length=200)
    kind: UnitKind = Field(default=UnitKind.OTHER, sa_type=stored_as_text(UnitKind, 16))


class GroupChat(SQLModel, table=True):
    """A group chat bound to a community; whistles are posted there too."""

    __table_args__ = (UniqueConstraint("channel", "chat_id"),)
    id: int | None = Field(default=None, primary_key=True)
    channel: str = Field(max_length=32)
    chat_id: str = Field(max_length=128)
    community_id: int = Field(foreign_key="community.id", index=True)


class Member(SQLModel, table=True):
    """A registered party member (报到党员)."""

    id: int | None = Field(default=None, primary_key=True)
    name: str = Field(max_length=100)
    phone: str = Field(default="", max_length=32)
    unit_id: int | None = Field(default=None, foreign_key="unit.id", index=True)
    community_id: int = Field(foreign_key="community.id", index=True)
    grid_id: int | None = Field(default=None, foreign_key="grid.id")
    building_id: int | None = Field(default=None, foreign_key="building.id")
    """The building the member lives in or looks after, when known: ranks them first for
    orders there."""
    skills: str = Field(default="", max_length=500)
    free_time: str = Field(default="", max_length=200)
    duties: list[str] = json_field([])
    registered_at: datetime
    active: bool = True
    """False once the member left (调离, 退出): never whistled, assigned, nudged or ranked."""


class Identity(SQLModel, table=True):
    """One person's account on one platform; links to a member and/or a resident."""

    __table_args__ = (UniqueConstraint("channel", "user_id"),)
    id: int | None = Field(default=None, primary_key=True)
    channel: str = Field(max_length=32)
    user_id: str = Field(max_length=128)
    display_name: str = Field(default="", max_length=100)
    member_id: int | None = Field(default=None, foreign_key="member.id", index=True)
    resident_id: int | None = Field(default=None, foreign_key="resident.id", index=True)
    unreachable: bool = False
    last_seen_at: datetime | None = None
    """When this account last wrote to the bot (WeChat allows pushes for 48 h after)."""


class Resident(SQLModel, table=True):
    """A resident (居民) who files needs; remembers their community."""

    id: int | None = Field(default=None, primary_key=True)
    name: str = Field(default="", max_length=100)
    phone: str = Field(default="", max_length=32)
    address: str = Field(default="", max_length=200)
    community_id: int | None = Field(default=None, foreign_key="community.id")


class Admin(SQLModel, table=True):
    """An admin role: community scope, or district scope when community_id is empty
    (district_id names the street office; empty on roles granted before there were any)."""

    __table_args__ = (UniqueConstraint("channel", "user_id", "community_id"),)
    id: int | None = Field(default=None, primary_key=True)
    channel: str = Field(max_length=32)
    user_id: str = Field(max_length=128)
    role: str = Field(default="community", max_length=32)
    community_id: int | None = Field(default=None, foreign_key="community.id", index=True)
    district_id: int | None = Field(default=None, foreign_key="district.id")
