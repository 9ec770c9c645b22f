"""What the classifier learns from (从审核中学习): reviewed examples and a community's own terms.

``ReviewExample`` holds one labelled example per order: the text, the duty the bot guessed
when the order was filed (empty when it had no guess) and the duty a person settled on. A
later decision on the same order replaces the row with a new one, so the largest id always
moves when what was learned changes: processes compare it to know their cache is stale.

``CommunityTerm`` holds the terms a community's admins accepted from the bot's proposals
(``/lexicon``), and the ones they dropped, so a dropped term is not proposed again.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import Index, UniqueConstraint
from sqlmodel import Field, SQLModel

# A replaced row's successor must get a larger id even on SQLite, which would otherwise hand
# the deleted newest id out again and leave every cache's stamp unchanged.
_NO_REUSE = {"sqlite_autoincrement": True}


class ReviewExample(SQLModel, table=True):
    """One order's reviewed duty: a labelled example (审核样本).

    ``source`` says whose decision it was: ``approve`` (the guess confirmed), ``correct``
    (/approve with another duty), ``recat`` (/recat) or ``resident`` (the resident's pick).
    """

    __tablename__ = "review_example"
    __table_args__ = (Index("ix_review_example_community", "community_id", "id"), _NO_REUSE)
    id: int | None = Field(default=None, primary_key=True)
    community_id: int = Field(foreign_key="community.id")
    order_id: int = Field(foreign_key="orders.id", unique=True)
    text: str = Field(max_length=4000)
    guessed: str = Field(default="", max_length=32)
    duty: str = Field(max_length=32)
    source: str = Field(max_length=16)
    decided_at: datetime


class CommunityTerm(SQLModel, table=True):
    """A term a community's admins accepted for a duty, or dropped (``accepted`` false)."""

    __tablename__ = "community_term"
    __table_args__ = (UniqueConstraint("community_id", "term"), _NO_REUSE)
    id: int | None = Field(default=None, primary_key=True)
    community_id: int = Field(foreign_key="community.id")
    term: str = Field(max_length=32)
    duty: str = Field(max_length=32)
    accepted: bool
    decided_at: datetime
