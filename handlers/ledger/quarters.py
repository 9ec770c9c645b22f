"""Quarters (季度) in a community's time zone: what quotas are judged over and what the
running tallies of services are filed under."""

from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo

Quarter = tuple[int, int]


def quarter_of(moment: datetime, zone: str) -> Quarter:
    """The (year, quarter) a moment falls in, in the zone."""
    local = moment.astimezone(ZoneInfo(zone))
    return local.year, (local.month - 1) // 3 + 1


def period(quarter: Quarter) -> str:
    """The quarter's name as warnings and tallies store it, e.g. ``2026Q4``."""
    return f"{quarter[0]}Q{quarter[1]}"


def start_of(quarter: Quarter, zone: str) -> datetime:
    """The moment a quarter begins (local midnight), as an aware time."""
    year, number = quarter
    return datetime(year, 3 * number - 2, 1, tzinfo=ZoneInfo(zone))


def shift(quarter: Quarter, by: int) -> Quarter:
    """The quarter ``by`` quarters later (earlier when negative)."""
    index = quarter[0] * 4 + quarter[1] - 1 + by
    return index // 4, index % 4 + 1


def year_so_far(quarter: Quarter) -> list[str]:
    """The quarters of the quarter's year up to and including it, by name."""
    return [period((quarter[0], number)) for number in range(1, quarter[1] + 1)]
