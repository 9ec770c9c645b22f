"""The bot's settings: one object, read once from ``WHISTLE_*`` variables, passed down."""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path

from pydantic import Field, field_validator
from pydantic_settings import BaseSettings, SettingsConfigDict

from handlers.policy import PointsPolicy, Policy, QuotaPolicy


class Settings(BaseSettings):
    """Everything configurable, with the defaults from DESIGN.md.

    Attributes:
        database_url: SQLAlchemy URL; an SQLite file in the working directory by default.
        timezone: The zone a new community's times are shown in.
        claim_window_hours: How long an open order waits for members before escalation.
        rating_window_hours: How long a resident has to rate.
        overdue_days: When an unfinished order becomes overdue.
        checkin_radius_m: How far from the order's place a check-in may be.
        duplicate_similarity: How alike (0-100) two needs must be to be merged.
        auto_approve_confidence: How sure the classifier must be to skip review where a
            community approves automatically.
        outbox_max_attempts: Delivery attempts before a message is reported undeliverable.
        http_host: Where the webhook server listens.
        http_port: The webhook server's port.
        media_dir: Where downloaded photos, charts and exports sent in chat are kept.
        points_year_base: Points each member gets each year (积分基础分).
        points_per_service: Points per completed service.
        points_per_hour: Points per hour served.
        points_five_star_bonus: Bonus per member for a 5★ rating.
        points_low_rating_deduction: Deduction per member for a rating of 2★ or less.
        points_no_show_deduction: Deduction for accepting and never checking in.
        points_levels: Balances for 一星 … 五星志愿者, ascending (JSON list in the env).
        quota_services_per_quarter: Default services a member must finish each quarter.
        quota_hours_per_year: Default hours a member must serve each year.
        quota_nudge_days: Days before a quarter ends that members below quota are nudged.
    """

    model_config = SettingsConfigDict(env_prefix="WHISTLE_", env_file=".env", extra="ignore")

    database_url: str = "sqlite:///whistle.db"
    timezone: str = "Asia/Shanghai"
    claim_window_hours: float = Field(default=72, gt=0)
    rating_window_hours: float = Field(default=24, gt=0)
    overdue_days: float = Field(default=14, gt=0)
    checkin_radius_m: float = Field(default=500, gt=0)
    duplicate_similarity: float = Field(default=90, ge=0, le=100)
    auto_approve_confidence: float = Field(default=0.7, ge=0, le=1)
    outbox_max_attempts: int = Field(default=20, ge=1)
    http_host: str = "127.0.0.1"
    http_port: int = Field(default=8080, ge=0, le=65535)
    media_dir: str = "media"
    points_year_base: int = Field(default=80, ge=0)
    points_per_service: int = Field(default=5, ge=0)
    points_per_hour: int = Field(default=2, ge=0)
    points_five_star_bonus: int = Field(default=5, ge=0)
    points_low_rating_deduction: int = Field(default=5, ge=0)
    points_no_show_deduction: int = Field(default=10, ge=0)
    points_levels: tuple[int, int, int, int, int] = (100, 200, 300, 500, 800)
    quota_services_per_quarter: int = Field(default=1, ge=0)
    quota_hours_per_year: float = Field(default=20, ge=0)
    quota_nudge_days: float = Field(default=14, ge=0, lt=90)

    @field_validator("points_levels")
    @classmethod
    def _levels_ascend(cls, levels: tuple[int, ...]) -> tuple[int, ...]:
        if list(levels) != sorted(set(levels)):
            raise ValueError("points_levels must be five ascending balances")
        return levels

    def policy(self) -> Policy:
        """The workflow's rules as the handlers take them."""
        return Policy(
            claim_window=timedelta(hours=self.claim_window_hours),
            rating_window=timedelta(hours=self.rating_window_hours),
            overdue_after=timedelta(days=self.overdue_days),
            checkin_radius_m=self.checkin_radius_m,
            duplicate_similarity=self.duplicate_similarity,
            auto_approve_confidence=self.auto_approve_confidence,
            media_dir=Path(self.media_dir),
            points=PointsPolicy(
                year_base=self.points_year_base, per_service=self.points_per_service,
                per_hour=self.points_per_hour, five_star_bonus=self.points_five_star_bonus,
                low_rating_deduction=self.points_low_rating_deduction,
                no_show_deduction=self.points_no_show_deduction, levels=self.points_levels),
            quota=QuotaPolicy(services_per_quarter=self.quota_services_per_quarter,
                              hours_per_year=self.quota_hours_per_year,
                              nudge_before=timedelta(days=self.quota_nudge_days)),
        )
