"""Per-community overrides of the time rules (时限规则); an empty column keeps the default."""

from __future__ import annotations

from sqlmodel import Field, SQLModel


class TimeRules(SQLModel, table=True):
    """One community's own time rules; each empty field falls back to the bot's settings.

    Attributes:
        community_id: The community the rules belong to.
        claim_window_hours: How long an open order waits for members before escalation.
        rating_window_hours: How long the resident has to rate a finished order.
        overdue_days: When an unfinished order is escalated as overdue.
        default_good_rating: Whether silence after the rating window counts as 默认好评.
        working_days: Whether day-long windows count working days (法定节假日 and
            weekends skipped, make-up workdays counted).
    """

    community_id: int = Field(foreign_key="community.id", primary_key=True)
    claim_window_hours: float | None = None
    rating_window_hours: float | None = None
    overdue_days: float | None = None
    default_good_rating: bool | None = None
    working_days: bool | None = None
