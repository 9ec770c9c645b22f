"""Who an order was whistled to (order_whistle), so a widening whistle skips them."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import UniqueConstraint
from sqlmodel import Field, SQLModel

from storage.columns import stored_as_text
from storage.orders import WhistleStage


class OrderWhistle(SQLModel, table=True):
    """One member whistled for an order in one round, at one stage of the whistle."""

    __tablename__ = "order_whistle"
    __table_args__ = (UniqueConstraint("order_id", "round", "member_id"),)
    id: int | None = Field(default=None, primary_key=True)
    order_id: int = Field(foreign_key="orders.id")
    round: int
    member_id: int = Field(foreign_key="member.id")
    stage: WhistleStage = Field(sa_type=stored_as_text(WhistleStage, 16))
    at: datetime
