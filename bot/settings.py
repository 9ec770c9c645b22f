"""The bot's settings: one object, read once from ``WHISTLE_*`` variables, passed down."""

from __future__ import annotations

import re
from datetime import timedelta
from pathlib import Path
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from pydantic import Field, field_validator
from pydantic_settings import BaseSettings, SettingsConfigDict

from handlers.rules.policy import PointsPolicy, Policy, QuotaPolicy, RankingPolicy

ENCODING_AES_KEY = re.compile(r"[A-Za-z0-9+/]{43}")
"""32 bytes in base64 less its one "=": wechatpy appends the "=" and decodes leniently."""


class Settings(BaseSettings):
    """Everything configurable; the one place its defaults are written.

    Attributes:
        database_url: SQLAlchemy URL; an SQLite file in the working directory by default.
        timezone: The zone a new community's times are shown in.
        claim_window_hours: How long an open order waits for members before escalation.
        rating_window_hours: How long a resident has to rate.
        overdue_days: When an unfinished order becomes overdue.
        checkin_radius_m: How far from the order's place a check-in may be.
        location_follows_minutes: A location a resident sends this soon after their need,
            in the same chat, is that need's place.
        duplicate_window_hours: How far back a new need is compared with open orders.
        duplicate_similarity: How alike (0-100) two needs must be to be merged, by
            ``nlu.sameness.similarity``.
        duplicate_radius_m: How near two needs' coordinates must be to be at one place.
        auto_approve_confidence: How sure the classifier must be to skip review where a
            community approves automatically.
        ask_confidence: Below this confidence, or on a near-tie between duties, a resident
            writing privately is asked which duty their need is (the top two or three, in
            plain words, plus 其他); such a need is never auto-approved.
        outbox_max_attempts: Delivery attempts before a message is reported undeliverable.
        retention_days: How long delivered messages, handled journal entries and the ids of
            messages seen are kept (order history, ratings and the ledger are kept always).
        http_host: Where the webhook server listens.
        http_port: The webhook server's port.
        media_dir: Where downloaded photos, charts and exports sent in chat are kept.
        rating_reminder_before_hours: The resident is reminded this long before the rating
            window closes.
        default_good_rating: Silence after the rating window counts as 默认好评.
        working_days: Claim and overdue windows count working days (Chinese calendar).
        acknowledge_target_hours: Response target 受理 (green / yellow / red).
        review_target_hours: Response target 审核.
        respond_target_hours: Response target 响应.
        event_eve_hour: Local hour of the evening-before event reminder.
        event_reminder_before_hours: The second event reminder, this long before it starts.
        event_checkin_grace_hours: How long after an event or visit starts a member who took
            a place may still check in before it counts as a no-show.
        grade_excellent_hours: Hours a year for the annual grade 优秀.
        grade_good_hours: Hours a year for 良好.
        grade_fair_hours: Hours a year for 一般 (fewer is 差).
        digest_weekday: The weekday the weekly digest is posted (0 Monday … 6 Sunday).
        digest_hour: The local hour from which the weekly digest is posted.
        wechat_token: The Official Account's (公众号) callback token; with the app id and
            secret it turns the WeChat channel on.
        wechat_app_id: The Official Account's AppID.
        wechat_app_secret: The Official Account's AppSecret.
        wechat_aes_key: The EncodingAESKey; set means safe mode (encrypted callbacks).
        wechat_api_base_url: WeChat's API (tests point it at a local fake).
        wechat_template_id: A template message for pushes outside the 48-hour window.
        wechat_passive_reply: Answer a message's first replies in the callback response
            (被动回复), which needs no customer-service permission; the rest go by API.
        wecom_corp_id: The WeCom (企业微信) corp id; with the other wecom_* values it turns
            the WeCom channel on.
        wecom_agent_id: The self-built app's AgentId.
        wecom_secret: The app's Secret.
        wecom_token: The app's callback Token.
        wecom_aes_key: The app's callback EncodingAESKey.
        wecom_api_base_url: WeCom's API (tests point it at a local fake).
        wecom_robots: Group robot webhook URLs by community name (JSON), send-only.
        wecom_passive_reply: As ``wechat_passive_reply``, for WeCom.
        telegram_token: The Telegram bot's token from BotFather; Telegram runs when set.
        telegram_base_url: The Bot API endpoint (a self-hosted Bot API server works too).
        telegram_base_file_url: Where files are downloaded from.
        telegram_webhook_url: The public HTTPS URL Telegram posts updates to; long polling
            when empty.
        telegram_secret_token: The secret Telegram echoes in each webhook call.
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
        quota_waking_hours: The local hours [from, until) in which nudges and warning lights
            are sent (JSON list in the env, e.g. ``[9, 21]``).
        first_whistle_members: How many best-ranked members of the duty are whistled first.
        widen_whistle_after_hours: Hours an order stays short before its whistle widens to
            the whole duty, and again before it reaches the whole community.
        rank_duty: Ranking weight of having claimed the order's duty.
        rank_skill: Ranking weight of a skill that fits the order's text.
        rank_building: Ranking weight of the order's building.
        rank_grid: Ranking weight of the order's grid (when not its building).
        rank_free_time: Ranking weight of free time that covers the order's time.
        rank_load: Taken off the rank for each live order the member holds a place on.
        rank_services: Taken off the rank for each service finished this quarter.
        rank_rating: Ranking weight of each star of the average rating above 3.
    """

    model_config = SettingsConfigDict(env_prefix="WHISTLE_", env_file=".env", extra="ignore")

    database_url: str = "sqlite:///whistle.db"
    timezone: str = "Asia/Shanghai"
    claim_window_hours: float = Field(default=72, gt=0)
    rating_window_hours: float = Field(default=24, gt=0)
    overdue_days: float = Field(default=14, gt=0)
    checkin_radius_m: float = Field(default=500, gt=0)
    location_follows_minutes: float = Field(default=30, gt=0)
    duplicate_window_hours: float = Field(default=72, gt=0)
    duplicate_similarity: float = Field(default=40, ge=0, le=100)
    duplicate_radius_m: float = Field(default=50, gt=0)
    auto_approve_confidence: float = Field(default=0.7, ge=0, le=1)
    ask_confidence: float = Field(default=0.4, ge=0, le=1)
    outbox_max_attempts: int = Field(default=20, ge=1)
    retention_days: float = Field(default=30, ge=2)
    http_host: str = "127.0.0.1"
    http_port: int = Field(default=8080, ge=0, le=65535)
    media_dir: str = "media"
    rating_reminder_before_hours: float = Field(default=4, ge=0)
    default_good_rating: bool = False
    working_days: bool = False
    acknowledge_target_hours: float = Field(default=1, gt=0)
    review_target_hours: float = Field(default=6, gt=0)
    respond_target_hours: float = Field(default=12, gt=0)
    event_eve_hour: int = Field(default=20, ge=0, le=23)
    event_reminder_before_hours: float = Field(default=1, gt=0)
    event_checkin_grace_hours: float = Field(default=12, ge=0)
    grade_excellent_hours: float = Field(default=40, ge=0)
    grade_good_hours: float = Field(default=20, ge=0)
    grade_fair_hours: float = Field(default=8, ge=0)
    digest_weekday: int = Field(default=0, ge=0, le=6)
    digest_hour: int = Field(default=9, ge=0, le=23)
    wechat_token: str = ""
    wechat_app_id: str = ""
    wechat_app_secret: str = ""
    wechat_aes_key: str = ""
    wechat_api_base_url: str = "https://api.weixin.qq.com/cgi-bin/"
    wechat_template_id: str = ""
    wechat_passive_reply: bool = True
    wecom_corp_id: str = ""
    wecom_agent_id: int = 0
    wecom_secret: str = ""
    wecom_token: str = ""
    wecom_aes_key: str = ""
    wecom_api_base_url: str = "https://qyapi.weixin.qq.com/cgi-bin/"
    wecom_robots: dict[str, str] = Field(default_factory=dict)
    wecom_passive_reply: bool = True
    telegram_token: str = ""
    telegram_base_url: str = "https://api.telegram.org/bot"
    telegram_base_file_url: str = "https://api.telegram.org/file/bot"
    telegram_webhook_url: str = ""
    telegram_secret_token: str = ""
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
    quota_waking_hours: tuple[int, int] = (9, 21)
    first_whistle_members: int = Field(default=10, ge=1)
    widen_whistle_after_hours: float = Field(default=2, gt=0)
    rank_duty: float = Field(default=100, ge=0)
    rank_skill: float = Field(default=30, ge=0)
    rank_building: float = Field(default=25, ge=0)
    rank_grid: float = Field(default=15, ge=0)
    rank_free_time: float = Field(default=10, ge=0)
    rank_load: float = Field(default=8, ge=0)
    rank_services: float = Field(default=5, ge=0)
    rank_rating: float = Field(default=4, ge=0)

    @field_validator("quota_waking_hours")
    @classmethod
    def _waking_hours_are_a_span(cls, hours: tuple[int, int]) -> tuple[int, int]:
        if not 0 <= hours[0] < hours[1] <= 24:
            raise ValueError("quota_waking_hours must be [from, until), 0 <= from < until <= 24")
        return hours

    @field_validator("wechat_aes_key", "wecom_aes_key")
    @classmethod
    def _aes_key_is_43_base64(cls, key: str) -> str:
        # wechatpy decodes leniently (a stray character is dropped) and then fails with a bare
        # assert or a binascii traceback when the channel starts; say what is wrong instead.
        if not key or ENCODING_AES_KEY.fullmatch(key):
            return key
        if len(key) != 43:
            raise ValueError("must be 43 characters of base64 without padding "
                             f"(got {len(key)} characters)")
        raise ValueError("must be 43 characters of base64 without padding "
                         "(some are not A-Z, a-z, 0-9, + or /)")

    @field_validator("timezone")
    @classmethod
    def _timezone_is_known(cls, zone: str) -> str:
        try:
            ZoneInfo(zone)
        except (ZoneInfoNotFoundError, ValueError):
            raise ValueError("is not a time zone such as Asia/Shanghai") from None
        return zone

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
            location_follows=timedelta(minutes=self.location_follows_minutes),
            duplicate_window=timedelta(hours=self.duplicate_window_hours),
            duplicate_similarity=self.duplicate_similarity,
            duplicate_radius_m=self.duplicate_radius_m,
            auto_approve_confidence=self.auto_approve_confidence,
            ask_confidence=self.ask_confidence,
            media_dir=Path(self.media_dir),
            retention=timedelta(days=self.retention_days),
            rating_reminder_before=timedelta(hours=self.rating_reminder_before_hours),
            default_good_rating=self.default_good_rating,
            working_days=self.working_days,
            acknowledge_target=timedelta(hours=self.acknowledge_target_hours),
            review_target=timedelta(hours=self.review_target_hours),
            respond_target=timedelta(hours=self.respond_target_hours),
            event_eve_hour=self.event_eve_hour,
            event_soon=timedelta(hours=self.event_reminder_before_hours),
            event_checkin_grace=timedelta(hours=self.event_checkin_grace_hours),
            grade_hours=(self.grade_excellent_hours, self.grade_good_hours,
                         self.grade_fair_hours),
            digest_weekday=self.digest_weekday,
            digest_hour=self.digest_hour,
            points=PointsPolicy(
                year_base=self.points_year_base, per_service=self.points_per_service,
                per_hour=self.points_per_hour, five_star_bonus=self.points_five_star_bonus,
                low_rating_deduction=self.points_low_rating_deduction,
                no_show_deduction=self.points_no_show_deduction, levels=self.points_levels),
            quota=QuotaPolicy(services_per_quarter=self.quota_services_per_quarter,
                              hours_per_year=self.quota_hours_per_year,
                              nudge_before=timedelta(days=self.quota_nudge_days),
                              waking_hours=self.quota_waking_hours),
            ranking=RankingPolicy(
                first_members=self.first_whistle_members,
                widen_after=timedelta(hours=self.widen_whistle_after_hours),
                duty=self.rank_duty, skill=self.rank_skill, building=self.rank_building,
                grid=self.rank_grid, free_time=self.rank_free_time, load=self.rank_load,
                services=self.rank_services, rating=self.rank_rating),
        )
