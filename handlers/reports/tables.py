"""What a report covers (``Scope``) and what it is (``Report``), and the helpers every report
shares."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import ColumnElement, true
from sqlmodel import col

from handlers.ledger.periods import Period
from storage.models import Member


@dataclass(frozen=True)
class Scope:
    """What a report covers.

    Attributes:
        period: The span of days.
        zone: The time zone the days and the times shown are in.
        community_ids: The communities covered; None for every community (the district).
    """

    period: Period
    zone: str
    community_ids: list[int] | None = None


@dataclass(frozen=True)
class Report:
    """A table ready to be written: a title, Chinese headers, rows of plain values.

    Attributes:
        personal: The headers of columns that carry personal data on purpose (the roster's
            phones: an office needs to call its members); every other cell has passed the
            privacy guard.
        sheets: Tables that go with it (the ledger's 流转记录): further sheets of an XLSX
            file, further files beside a CSV one.
    """

    kind: str
    title: str
    headers: tuple[str, ...]
    rows: list[tuple]
    personal: tuple[str, ...] = ()
    sheets: tuple[Report, ...] = ()


def in_scope(scope: Scope) -> ColumnElement[bool]:
    if scope.community_ids is None:
        return true()
    return col(Member.community_id).in_(scope.community_ids)


def hours(seconds: float | None) -> float:
    return round((seconds or 0) / 3600, 1)
