"""SQLModel tables of the orders and everything an order leaves behind: its history, the
places members take on it, their check-ins and the resident's rating.

All times are stored in UTC (timezone-aware); the handlers show them in the community's zone.
"""

from __future__ import annotations

from datetime import datetime
from enum import StrEnum

from sqlalchemy import Index, UniqueConstraint
from sqlmodel import Field, SQLModel

from storage.columns import json_field, stored_as_text


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
