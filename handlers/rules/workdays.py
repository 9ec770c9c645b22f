"""Working-day arithmetic (工作日) with the Chinese statutory calendar.

Public holidays (法定节假日) and weekends are skipped and make-up workdays (调休上班) count,
as the State Council publishes them (the ``chinese_calendar`` package). Years the package has
no data for fall back to Monday-Friday.
"""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

import chinese_calendar

_MAX_DAYS = 3660  # a window longer than ten years is a configuration mistake


def is_workday(day: date) -> bool:
    """Whether ``day`` is a working day in mainland China."""
    try:
        return chinese_calendar.is_workday(day)
    except NotImplementedError:  # a year the calendar has not been published for
        return day.weekday() < 5


def add_working_days(start: datetime, days: float, timezone: str) -> datetime:
    """The moment ``days`` working days after ``start``, counted in ``timezone``.

    Whole working days are stepped over one by one at the same local time of day; a
    fraction of a day is added as hours on the last one. A start on a holiday counts from
    the next working day's beginning, so a need filed on 10月1日 waits from 10月8日.

    Args:
        start: An aware time.
        days: How many working days, at least 0.
        timezone: The community's zone.

    Returns:
        An aware time in UTC.
    """
    zone = ZoneInfo(timezone)
    local = start.astimezone(zone)
    if not is_workday(local.date()):
        local = datetime.combine(_next_workday(local.date()), datetime.min.time(), zone)
    whole, fraction = int(days), days - int(days)
    day = local.date()
    for _ in range(whole):
        day = _next_workday(day)
    moment = datetime.combine(day, local.timetz().replace(tzinfo=None), zone)
    return (moment + timedelta(days=fraction)).astimezone(UTC)


def _next_workday(day: date) -> date:
    for _ in range(_MAX_DAYS):
        day += timedelta(days=1)
        if is_workday(day):
            return day
    raise ValueError("no working day within ten years")
