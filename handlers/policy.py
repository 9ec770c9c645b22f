"""The time and place rules the workflow follows; built from the bot's settings."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import timedelta
from pathlib import Path


@dataclass(frozen=True)
class PointsPolicy:
    """Points (积分) rules and star levels (星级志愿者); see handlers/points.py.

    Attributes:
        year_base: Points every member gets at the start of each year (and on registering).
        per_service: Points per completed service.
        per_hour: Points per hour served (arrival to done), rounded per service.
        five_star_bonus: Extra points for each member when the resident rates 5★.
        low_rating_deduction: Points taken from each member when the resident rates ≤2★.
        no_show_deduction: Points taken from a member who accepted and never checked in.
        levels: Balances needed for 一星 … 五星志愿者, ascending.
    """

    year_base: int = 80
    per_service: int = 5
    per_hour: int = 2
    five_star_bonus: int = 5
    low_rating_deduction: int = 5
    no_show_deduction: int = 10
    levels: tuple[int, ...] = (100, 200, 300, 500, 800)


@dataclass(frozen=True)
class QuotaPolicy:
    """Service quotas (考核指标); a community's own columns override these defaults.

    Attributes:
        services_per_quarter: Services each member must finish each quarter.
        hours_per_year: Hours each member must serve each year, checked pro rata each quarter.
        nudge_before: How long before a quarter ends members below quota are nudged.
    """

    services_per_quarter: int = 1
    hours_per_year: float = 20.0
    nudge_before: timedelta = timedelta(days=14)


@dataclass(frozen=True)
class Policy:
    """Rules with their defaults from DESIGN.md §4.

    Attributes:
        claim_window: How long an open order waits for members before it is escalated.
        rating_window: How long a resident has to rate a finished order.
        overdue_after: How long any unfinished order may stay unfinished.
        checkin_radius_m: How far from the order's place a check-in may be, in metres.
        duplicate_window: How far back a new need is compared with open orders.
        duplicate_similarity: How alike (0-100) two needs must be to merge them.
        auto_approve_confidence: How sure the classifier must be for a need to skip review
            in a community that approves automatically.
        media_dir: Where files the bot makes or receives are kept (charts, exports, photos).
        points: The points rules.
        quota: The default quotas.
    """

    claim_window: timedelta = timedelta(days=3)
    rating_window: timedelta = timedelta(hours=24)
    overdue_after: timedelta = timedelta(days=14)
    checkin_radius_m: float = 500.0
    duplicate_window: timedelta = timedelta(days=3)
    duplicate_similarity: float = 90.0
    auto_approve_confidence: float = 0.7
    media_dir: Path = Path("media")
    points: PointsPolicy = field(default_factory=PointsPolicy)
    quota: QuotaPolicy = field(default_factory=QuotaPolicy)
