"""The time and place rules the workflow follows; built from the bot's settings."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import timedelta
from pathlib import Path


@dataclass(frozen=True)
class PointsPolicy:
    """Points (积分) rules and star levels (星级志愿者); see handlers/ledger/points.py.

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
        waking_hours: The local hours [from, until) in which nudges and lights are sent,
            so nobody is woken at midnight on New Year's Day by a warning.
    """

    services_per_quarter: int = 1
    hours_per_year: float = 20.0
    nudge_before: timedelta = timedelta(days=14)
    waking_hours: tuple[int, int] = (9, 21)


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
        rating_reminder_before: How long before the rating window closes the resident is
            reminded once (4 h: at 20 h of 24 h).
        default_good_rating: Whether an unrated order closes as 默认好评 (else unrated).
        working_days: Whether day-long windows (claim, overdue) count working days only.
        acknowledge_target: 受理: filing to the community's first action on the order.
        review_target: 审核: filing to the review decision (opened, rejected, merged).
        respond_target: 响应: filing to the first member taking a place.
        event_eve_hour: The local hour of the evening-before reminder of an event.
        event_soon: How long before an event its members are reminded again.
        event_checkin_grace: How long after an event or visit starts a member who took a
            place may still check in before it counts as a no-show.
        grade_hours: The hours a year a member (or a unit, per member) must serve for
            优秀, 良好 and 一般; below the last is 差. Shorter periods scale them down.
        digest_weekday: The day the weekly digest is posted (0 is Monday), for the week before.
        digest_hour: The local hour from which it is posted.
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
    rating_reminder_before: timedelta = timedelta(hours=4)
    default_good_rating: bool = False
    working_days: bool = False
    acknowledge_target: timedelta = timedelta(hours=1)
    review_target: timedelta = timedelta(hours=6)
    respond_target: timedelta = timedelta(hours=12)
    event_eve_hour: int = 20
    event_soon: timedelta = timedelta(hours=1)
    event_checkin_grace: timedelta = timedelta(hours=12)
    grade_hours: tuple[float, float, float] = (40.0, 20.0, 8.0)
    digest_weekday: int = 0
    digest_hour: int = 9
    points: PointsPolicy = field(default_factory=PointsPolicy)
    quota: QuotaPolicy = field(default_factory=QuotaPolicy)
