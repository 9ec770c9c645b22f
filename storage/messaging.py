"""Message bookkeeping tables: the outbox, platform message ids already handled,
conversations in progress and scheduled notices already sent."""

from __future__ import annotations

from datetime import datetime
from enum import StrEnum
from typing import Any

from sqlalchemy import ColumnElement, Index, UniqueConstraint, literal_column, text
from sqlmodel import Field, SQLModel

from storage.columns import json_field, stored_as_text


class OutboxStatus(StrEnum):
    """Where an outbox message is on its way to the reader."""

    PENDING = "pending"  # waiting, or being delivered under a lease
    SENT = "sent"
    UNDELIVERABLE = "undeliverable"  # gave up; the office sees it in `whistle undelivered`


_PARKED = f"status = '{OutboxStatus.UNDELIVERABLE.value}'"


class OutboxMessage(SQLModel, table=True):
    """A message waiting to be delivered, written in the transaction that caused it.

    The parked index holds the undeliverable messages alone, by recipient: every incoming
    message asks whether its sender has any (``handlers.chat.presence``), and a city's
    channel may hold tens of thousands of others' (WeChat's 48-hour window), which the
    pending index would walk through. Messages written as pending cost it nothing.
    """

    __table_args__ = (Index("ix_outbox_pending", "channel", "status", "next_attempt_at"),
                      Index("ix_outbox_parked", "channel", "to_user", "status",
                            sqlite_where=text(_PARKED), postgresql_where=text(_PARKED)))
    id: int | None = Field(default=None, primary_key=True)
    channel: str = Field(max_length=32)
    to_chat: str | None = Field(default=None, max_length=128)
    to_user: str | None = Field(default=None, max_length=128)
    text: str
    buttons: list[dict] = json_field([])
    attachment: str | None = Field(default=None, max_length=500)
    replaces: str | None = Field(default=None, max_length=128)
    status: OutboxStatus = Field(default=OutboxStatus.PENDING,
                                 sa_type=stored_as_text(OutboxStatus, 16))
    attempts: int = 0
    last_error: str = Field(default="", max_length=1000)
    created_at: datetime
    next_attempt_at: datetime
    sent_at: datetime | None = None


def parked(status: ColumnElement[Any]) -> ColumnElement[bool]:
    """SQL: ``status`` (an outbox message's) is undeliverable, said with the status written
    out, as the parked index's condition is: a bound parameter there would not let the
    database use that index."""
    return status == literal_column(f"'{OutboxStatus.UNDELIVERABLE.value}'")


class InboundSeen(SQLModel, table=True):
    """Platform message ids already handled, so a retried callback is handled once.

    Keyed by chat too: some platforms number messages per chat.
    """

    __table_args__ = (UniqueConstraint("channel", "chat_id", "message_id"),)
    id: int | None = Field(default=None, primary_key=True)
    channel: str = Field(max_length=32)
    chat_id: str = Field(max_length=128)
    message_id: str = Field(max_length=128)
    at: datetime


class Conversation(SQLModel, table=True):
    """A multi-step conversation in progress (e.g. /register), so a restart resumes it."""

    __table_args__ = (UniqueConstraint("channel", "chat_id", "user_id"),)
    id: int | None = Field(default=None, primary_key=True)
    channel: str = Field(max_length=32)
    chat_id: str = Field(max_length=128)
    user_id: str = Field(max_length=128)
    flow: str = Field(max_length=32)
    step: str = Field(max_length=32)
    data: dict = json_field({})
    updated_at: datetime


SUBJECT_CHARS = 120
"""How much of a notice's subject ``SentNotice`` keeps (the column's width)."""


class SentNotice(SQLModel, table=True):
    """A scheduled notice already sent (a reminder, an escalation, a warning), so running a
    sweep twice, or again after a restart, sends it once."""

    __table_args__ = (UniqueConstraint("kind", "subject"),)
    id: int | None = Field(default=None, primary_key=True)
    kind: str = Field(max_length=40)
    subject: str = Field(max_length=SUBJECT_CHARS)
    at: datetime
