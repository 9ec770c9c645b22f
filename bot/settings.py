"""The bot's settings: one object, read once from ``WHISTLE_*`` variables, passed down."""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path

from pydantic import Field
from pydantic_settings import BaseSettings, SettingsConfigDict

from handlers.policy import Policy


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
        telegram_token: The Telegram bot's token from BotFather; Telegram runs when set.
        telegram_base_url: The Bot API endpoint (a self-hosted Bot API server works too).
        telegram_base_file_url: Where files are downloaded from.
        telegram_webhook_url: The public HTTPS URL Telegram posts updates to; long polling
            when empty.
        telegram_secret_token: The secret Telegram echoes in each webhook call.
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
    telegram_token: str = ""
    telegram_base_url: str = "https://api.telegram.org/bot"
    telegram_base_file_url: str = "https://api.telegram.org/file/bot"
    telegram_webhook_url: str = ""
    telegram_secret_token: str = ""

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
        )
