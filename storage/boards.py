"""The daily boards snapshot (排行榜): Top 50 members and units, refreshed by a sweep."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import Index
from sqlmodel import Field, SQLModel


class BoardEntry(SQLModel, table=True):
    """One ranked line of a board.

    A board is named by its scope (a community, or the whole district when ``community_id``
    is empty), what it ranks (``member`` or ``unit``) and its metric (``hours``,
    ``services``, ``points`` or ``rating``).
    """

    __table_args__ = (Index("ix_boardentry_board", "community_id", "subject", "metric"),)
    id: int | None = Field(default=None, primary_key=True)
    # No foreign key: the snapshot is rebuilt whole from members' communities every day, and
    # checking each of its 66,000 lines cost a third of writing them (PostgreSQL).
    community_id: int | None = Field(default=None)
    subject: str = Field(max_length=8)
    metric: str = Field(max_length=8)
    rank: int
    subject_id: int
    name: str = Field(max_length=200)
    value: float
    refreshed_at: datetime
