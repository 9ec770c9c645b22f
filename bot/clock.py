"""The bot's clock: real time by default, settable so tests and the console can move it."""

from __future__ import annotations

from datetime import UTC, datetime


class Clock:
    """Aware UTC time; ``set`` pins it (the console's {"clock": ...} lines use this)."""

    def __init__(self, pinned: datetime | None = None) -> None:
        self._pinned = pinned

    def now(self) -> datetime:
        """The current time in UTC."""
        return self._pinned or datetime.now(UTC)

    def set(self, moment: datetime) -> None:
        """Pin the clock; a time without a zone is taken as UTC."""
        if moment.tzinfo is None:
            moment = moment.replace(tzinfo=UTC)
        self._pinned = moment.astimezone(UTC)
