"""The inbound journal: messages whose handling did not finish before they were acknowledged.

A platform is answered "received" once a message is handled, or once it is in this journal;
a message that failed (a busy database, a bug) or outlived WeChat's deadline is retried from
here with backoff and parked after the last attempt, never dropped.
"""

from __future__ import annotations

from datetime import datetime
from enum import StrEnum

from sqlalchemy import JSON, Column, Index
from sqlmodel import Field, SQLModel

from storage.columns import stored_as_text


class InboundStatus(StrEnum):
    """Where a journalled message stands."""

    PENDING = "pending"
    HANDLED = "handled"
    PARKED = "parked"


class InboundMessage(SQLModel, table=True):
    """One journalled message: the Incoming as JSON, and its retries."""

    __tablename__ = "inbound_journal"
    __table_args__ = (Index("ix_inbound_due", "status", "next_attempt_at"),)
    id: int | None = Field(default=None, primary_key=True)
    channel: str = Field(max_length=32)
    user_id: str = Field(max_length=128)
    payload: dict = Field(sa_column=Column(JSON, nullable=False))
    status: InboundStatus = Field(default=InboundStatus.PENDING,
                                  sa_type=stored_as_text(InboundStatus, 16))
    attempts: int = 0
    last_error: str = Field(default="", max_length=1000)
    received_at: datetime
    next_attempt_at: datetime
    handled_at: datetime | None = None
