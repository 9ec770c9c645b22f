"""The rules the workflow follows, as the handlers receive them.

Every value comes from the bot's settings (``bot/settings.py``), where the defaults live;
these classes have none of their own, so a default is written down once.
"""

from __future__ import annotations

from dataclasses import dataclass
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

    year_base: int
    per_service: int
    per_hour: int
    five_star_bonus: int
    low_rating_deduction: int
    no_show_deduction: int
    levels: tuple[int, ...]


@dataclass(frozen=True)
class QuotaPolicy:
    """Service quotas (考核指标); a community's own columns override these.

    Attributes:
        services_per_quarter: Services each member must finish each quarter.
        hours_per_year: Hours each member must serve each year, checked pro rata each quarter.
        nudge_before: How long before a quarter ends members below quota are nudged.
        waking_hours: The local hours [from, until) in which nudges and lights are sent,
            so nobody is woken at midnight on New Year's Day by a warning.
    """

    services_per_quarter: int
    hours_per_year: float
    nudge_before: timedelta
    waking_hours: tuple[int, int]


@dataclass(frozen=True)
class RankingPolicy:
    """Who is whistled first (see handlers/orders/ranking.py): a member's score is the sum
    of the weights that apply, less the load and the quarter's services times theirs.

    Attributes:
        first_members: How many of the best-ranked members of the duty hear the whistle
            first (the groups always do).
        widen_after: How long an order stays short before its whistle widens to every
            member of the duty, and as long again before it reaches the whole community.
        duty: For having claimed the order's duty (认领的职责).
        skill: For a skill that fits the order's text (擅长).
        building: For the order's building (同楼栋).
        grid: For the order's grid, when not its building (同网格).
        free_time: For declared free time that covers the order's time (有空).
        load: Taken off for each live order the member holds a place on.
        services: Taken off for each service the member finished this quarter.
        rating: For each star of the member's average rating above 3 (off below 3).
    """

    first_members: int
    widen_after: timedelta
    duty: float
    skill: float
    building: float
    grid: float
    free_time: float
    load: float
    services: float
    rating: float


@dataclass(frozen=True)
class Policy:
    """The time, place and review rules.

    Attributes:
        claim_window: How long an open order waits for members before it is escalated.
        rating_window: How long a resident has to rate a finished order.
        overdue_after: How long any unfinished order may stay unfinished.
        checkin_radius_m: How far from the order's place a check-in may be, in metres.
        location_follows: A resident's location this soon after their need, in the same
            chat, is that need's place.
        duplicate_window: How far back a new need is compared with open orders.
        duplicate_similarity: How alike (0-100) two needs must be to merge them.
        duplicate_radius_m: How near two needs' coordinates must be to be at one place.
        auto_approve_confidence: How sure the classifier must be for a need to skip review
            in a community that approves automatically.
        ask_confidence: Below this confidence, or on a near-tie, the classifier is unsure:
            a resident writing privately is asked to pick the duty, and the need is never
            auto-approved.
        media_dir: Where files the bot makes or receives are kept (charts, exports, photos).
        retention: How long rows that served only delivery and de-duplication are kept.
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
        ranking: Who is whistled first, and when the whistle widens.
    """

    claim_window: timedelta
    rating_window: timedelta
    overdue_after: timedelta
    checkin_radius_m: float
    location_follows: timedelta
    duplicate_window: timedelta
    duplicate_similarity: float
    duplicate_radius_m: float
    auto_approve_confidence: float
    ask_confidence: float
    media_dir: Path
    retention: timedelta
    rating_reminder_before: timedelta
    default_good_rating: bool
    working_days: bool
    acknowledge_target: timedelta
    review_target: timedelta
    respond_target: timedelta
    event_eve_hour: int
    event_soon: timedelta
    event_checkin_grace: timedelta
    grade_hours: tuple[float, float, float]
    digest_weekday: int
    digest_hour: int
    points: PointsPolicy
    quota: QuotaPolicy
    ranking: RankingPolicy
