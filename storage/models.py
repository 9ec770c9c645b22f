"""SQLModel tables: the community's people, its orders and everything an order leaves behind
(the message bookkeeping tables are in ``storage.messaging``).

All times are stored in UTC (timezone-aware); the handlers show them in the community's zone.
"""

from __future__ import annotations

from datetime import datetime
from enum import StrEnum
from typing import Any, Protocol

from sqlalchemy import JSON, Column, Enum, Index, UniqueConstraint
from sqlmodel import Field, SQLModel


class OrderStatus(StrEnum):
    """An order's states; the values are part of the CLI's JSON contract."""

    SUBMITTED = "submitted"
    OPEN = "open"
    CLAIMED = "claimed"
    IN_PROGRESS = "in_progress"
    AWAITING_RATING = "awaiting_rating"
    CLOSED = "closed"
    RETURNED = "returned"
    REJECTED = "rejected"
    CANCELLED = "cancelled"
    MERGED = "merged"


class AcceptanceStatus(StrEnum):
    """A member's place on an order in one round."""

    ACCEPTED = "accepted"
    RELEASED = "released"  # the order was returned and reopened: a new round began
    WITHDRAWN = "withdrawn"  # given back before the event began
    NO_SHOW = "no_show"  # given back (or taken away) after it began: 爽约


class CheckInKind(StrEnum):
    """What a check-in records: arrival on site, the work done, or a photo sent between."""

    ARRIVE = "arrive"
    DONE = "done"
    PHOTO = "photo"  # a picture sent during the service (服务照片): kept, never a step


class WhistleStage(StrEnum):
    """How far an open order's whistle has gone (see handlers/orders/ranking.py)."""

    TOP = "top"  # the best-ranked members of the duty, and the groups
    DUTY = "duty"  # every member who claimed the duty
    COMMUNITY = "community"  # every member of the community


def stored_as_text(enum: type[StrEnum], length: int) -> Enum:
    """A column type holding ``enum``'s values as plain VARCHAR(``length``).

    No native database enum and no CHECK constraint, so the schema stays what the
    migrations built and adding a state needs no migration; rows read back as members.
    """
    return Enum(enum, native_enum=False, create_constraint=False, length=length,
                values_callable=lambda members: [member.value for member in members])


def json_field(empty: list | dict) -> Any:
    """A JSON column whose default is ``empty``, which pydantic copies for each row. Not a
    ``default_factory``: pydantic inspects a factory's signature on every construction, and
    for ``list`` that costs more than the rest of building an order."""
    return Field(default=empty, sa_column=Column(JSON, nullable=False))


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


class Order(SQLModel, table=True):
    """A need turned into an order (工单)."""

    __tablename__ = "orders"
    __table_args__ = (Index("ix_order_community_status", "community_id", "status"),
                      # Duplicates are looked for among the recent orders on one duty.
                      Index("ix_order_duty_window", "community_id", "duty", "created_at"))
    id: int | None = Field(default=None, primary_key=True)
    community_id: int = Field(foreign_key="community.id")
    resident_id: int | None = Field(default=None, foreign_key="resident.id", index=True)
    duty: str | None = Field(default=None, max_length=32)
    text: str = Field(max_length=4000)
    place: str = Field(default="", max_length=200)
    address: str = Field(default="", max_length=200)
    phone: str = Field(default="", max_length=32)
    when_text: str = Field(default="", max_length=100)
    building_id: int | None = Field(default=None, foreign_key="building.id", index=True)
    grid_id: int | None = Field(default=None, foreign_key="grid.id")
    lat: float | None = None
    lon: float | None = None
    capacity: int = 1
    accepted_count: int = 0
    round: int = 1
    # Indexed alone: the no-show sweep starts from the few live orders, not their places.
    status: OrderStatus = Field(default=OrderStatus.SUBMITTED, index=True,
                                sa_type=stored_as_text(OrderStatus, 20))
    confidence: float = 0.0
    guesses: list[dict] = json_field([])
    source_channel: str = Field(default="", max_length=32)
    source_chat: str | None = Field(default=None, max_length=128)
    merged_into: int | None = Field(default=None, foreign_key="orders.id", index=True)
    reports: int = Field(default=1, sa_column_kwargs={"server_default": "1"})
    """How many residents reported this need: the filer and each repeat merged into it
    (多人反映); the more, the higher it stands on /pending."""
    created_at: datetime
    updated_at: datetime
    opened_at: datetime | None = None
    claim_deadline: datetime | None = None
    rating_deadline: datetime | None = None
    overdue_at: datetime | None = None
    event_at: datetime | None = None  # when the event or visit itself happens (活动时间)
    whistle_stage: WhistleStage | None = Field(default=None,
                                               sa_type=stored_as_text(WhistleStage, 16))
    whistled_at: datetime | None = None  # when the whistle reached its stage
    # 代办 (微心愿): filed for a person without a phone by an admin or a member, whose
    # account (``filed_by``) is asked for the rating on the beneficiary's behalf.
    beneficiary_name: str = Field(default="", max_length=100)
    beneficiary_building: str = Field(default="", max_length=100)
    beneficiary_phone: str = Field(default="", max_length=32)
    filed_by: int | None = Field(default=None, foreign_key="identity.id")


class OrderHistory(SQLModel, table=True):
    """One change of an order's state: who, when, from, to, why."""

    id: int | None = Field(default=None, primary_key=True)
    order_id: int = Field(foreign_key="orders.id", index=True)
    at: datetime
    actor: str = Field(max_length=300)
    from_status: OrderStatus | None = Field(default=None,
                                            sa_type=stored_as_text(OrderStatus, 20))
    to_status: OrderStatus = Field(sa_type=stored_as_text(OrderStatus, 20))
    reason: str = Field(default="", max_length=1000)


class Acceptance(SQLModel, table=True):
    """A member's acceptance of an order in one round (a reopened order starts a new round)."""

    __table_args__ = (UniqueConstraint("order_id", "member_id", "round"),)
    id: int | None = Field(default=None, primary_key=True)
    order_id: int = Field(foreign_key="orders.id", index=True)
    member_id: int = Field(foreign_key="member.id", index=True)
    round: int = 1
    status: AcceptanceStatus = Field(default=AcceptanceStatus.ACCEPTED,
                                     sa_type=stored_as_text(AcceptanceStatus, 20))
    accepted_at: datetime


class CheckIn(SQLModel, table=True):
    """A member's check-in on site (kind arrive) or completion (kind done): the ledger.

    ``located`` marks an arrival measured within the radius of the order's coordinates
    (定位签到); one without (no coordinates, no location, a photo instead) is 未定位.
    """

    id: int | None = Field(default=None, primary_key=True)
    order_id: int = Field(foreign_key="orders.id", index=True)
    member_id: int = Field(foreign_key="member.id", index=True)
    kind: CheckInKind = Field(default=CheckInKind.ARRIVE, sa_type=stored_as_text(CheckInKind, 10))
    at: datetime
    lat: float | None = None
    lon: float | None = None
    photo: str | None = Field(default=None, max_length=500)
    located: bool = False


class Rating(SQLModel, table=True):
    """A resident's rating of a finished order (1-5 stars)."""

    id: int | None = Field(default=None, primary_key=True)
    order_id: int = Field(foreign_key="orders.id", index=True)
    resident_id: int | None = Field(default=None, foreign_key="resident.id")
    round: int = 1
    stars: int
    at: datetime
    by_default: bool = False  # 默认好评: the resident stayed silent and the policy says so
    comment: str = Field(default="", max_length=500)
    """What the resident wrote beside the stars (不满意，桌椅摆得乱七八糟)."""


class _Keyed(Protocol):
    @property
    def id(self) -> int | None: ...


def stored_id(row: _Keyed) -> int:
    """The primary key of a row read from the database or flushed to it.

    Raises:
        ValueError: The row is new and not flushed yet, so it has no key.
    """
    if row.id is None:
        raise ValueError(f"{type(row).__name__} has no id until it is flushed")
    return row.id
