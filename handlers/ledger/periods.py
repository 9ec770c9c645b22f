"""Report periods: a quarter (``2026Q4``), a year (``2026``) or a month (``2026-11``)."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, datetime, time
from zoneinfo import ZoneInfo

from handlers.errors import WorkflowError
from handlers.texts import t

_QUARTER = re.compile(r"((?:19|20|21)\d\d)[Qq]([1-4])")
_YEAR = re.compile(r"((?:19|20|21)\d\d)")
_MONTH = re.compile(r"((?:19|20|21)\d\d)-(\d{1,2})")


@dataclass(frozen=True)
class Period:
    """A span of local calendar days, ``start`` inclusive and ``end`` exclusive.

    Attributes:
        label: How it was written, normalised (``2026Q4``, ``2026``, ``2026-11``).
        start: The first day.
        end: The day after the last.
    """

    label: str
    start: date
    end: date

    @property
    def months(self) -> int:
        """How many calendar months the period spans."""
        return (self.end.year - self.start.year) * 12 + self.end.month - self.start.month

    def bounds(self, zone: str) -> tuple[datetime, datetime]:
        """The period as UTC instants, its days taken in the community's zone."""
        tz = ZoneInfo(zone)
        return (datetime.combine(self.start, time(), tz), datetime.combine(self.end, time(), tz))

    def quarters(self) -> list[str]:
        """The quarters (``2026Q4``) the period touches: how warnings are filed."""
        labels = []
        month = date(self.start.year, self.start.month, 1)
        while month < self.end:
            labels.append(f"{month.year}Q{(month.month - 1) // 3 + 1}")
            month = _add_months(month, 1)
        return list(dict.fromkeys(labels))


def parse_period(text: str) -> Period:
    """``2026Q4``, ``2026`` or ``2026-11`` as a Period.

    Raises:
        WorkflowError: The text names no period; the message says how to write one.
    """
    text = text.strip()
    if found := _QUARTER.fullmatch(text):
        year, quarter = int(found[1]), int(found[2])
        start = date(year, 3 * quarter - 2, 1)
        return Period(f"{year}Q{quarter}", start, _add_months(start, 3))
    if found := _MONTH.fullmatch(text):
        year, month = int(found[1]), int(found[2])
        if 1 <= month <= 12:
            start = date(year, month, 1)
            return Period(f"{year}-{month:02d}", start, _add_months(start, 1))
    elif found := _YEAR.fullmatch(text):
        year = int(found[1])
        return Period(str(year), date(year, 1, 1), date(year + 1, 1, 1))
    raise WorkflowError(t("period_bad", arg=text))


def current_quarter(now: datetime, zone: str) -> Period:
    """The quarter ``now`` falls in, in the given zone."""
    local = now.astimezone(ZoneInfo(zone))
    return parse_period(f"{local.year}Q{(local.month - 1) // 3 + 1}")


def _add_months(day: date, months: int) -> date:
    index = day.year * 12 + day.month - 1 + months
    return date(index // 12, index % 12 + 1, 1)
