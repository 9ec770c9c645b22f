"""Accountability tables: the points ledger (积分), its balances, and quarterly warnings
(黄灯/红灯).

``PointEntry.reason`` codes are stable strings that exports and grades read:

- ``year_base``: the yearly base points (note: the year, e.g. ``2026``), once per member a year.
- ``year_reset``: closes the year before (note: that year), dated New Year's midnight, taking
  the balance to zero so points are counted per year (年度积分).
- ``service``: a completed service (order_id set).
- ``hours``: the hours served on that service (order_id set; note: the hours).
- ``five_star``: bonus for a 5★ rating (order_id set).
- ``low_rating``: deduction for a rating of 2★ or less (negative; order_id set).
- ``no_show``: deduction for accepting and never checking in (negative; order_id set).
- ``redeem``: points spent on an item (积分兑换, negative; note: the item).

``MemberWarning.period`` and ``ServiceTally.period`` are quarters such as ``2026Q4``;
``level`` is ``yellow`` for a first missed quota and ``red`` when the previous quarter was
missed too.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import UniqueConstraint
from sqlmodel import Field, SQLModel


class PointEntry(SQLModel, table=True):
    """One signed entry in a member's points ledger; a balance is always a sum of these."""

    id: int | None = Field(default=None, primary_key=True)
    member_id: int = Field(foreign_key="member.id", index=True)
    delta: int
    reason: str = Field(max_length=40)
    order_id: int | None = Field(default=None, foreign_key="orders.id", index=True)
    note: str = Field(default="", max_length=200)
    at: datetime = Field(index=True)


class PointBalance(SQLModel, table=True):
    """A member's points balance, kept: the sum of their ``PointEntry`` deltas.

    ``handlers.ledger.book.write`` moves it in the transaction of every entry it writes, so
    boards and redemptions read one row a member instead of summing the ledger; the ledger
    stays the record (``handlers.ledger.book.drift`` lists any balance that differs).
    """

    member_id: int = Field(foreign_key="member.id", primary_key=True)
    balance: int


class MemberWarning(SQLModel, table=True):
    """A quarter in which a member fell below quota: ``yellow`` first, ``red`` when repeated."""

    # The unique key begins with the member: it serves every look-up by member, so no index
    # of member_id alone is written with each warning.
    __table_args__ = (UniqueConstraint("member_id", "period"),)
    id: int | None = Field(default=None, primary_key=True)
    member_id: int = Field(foreign_key="member.id")
    period: str = Field(max_length=8)
    level: str = Field(max_length=8)
    at: datetime


class ServiceTally(SQLModel, table=True):
    """A member's services in one quarter (``2026Q4``, in their community's zone), kept
    with the services themselves: sweeps and boards read these few rows, not every service.

    Each row is ``handlers.ledger.services.per_member`` over the member's quarter, written
    by ``handlers.ledger.running`` whenever one of those services is recorded or rated.
    """

    member_id: int = Field(foreign_key="member.id", primary_key=True)
    period: str = Field(max_length=8, primary_key=True)
    services: int
    seconds: float
    star_sum: int
    rated: int
