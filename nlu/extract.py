"""Pulling head-counts and times out of a request; phones and places are in nlu/personal.py."""

from __future__ import annotations

import re
from datetime import date, datetime, time, timedelta

from nlu.personal import NUM

_CN_DIGITS = "零一二两三四五六七八九"
# A head-count is an ask ("需要20人") or counts helpers ("3名志愿者"); "家里3个人" is neither.
_CAPACITY = re.compile(
    rf"(?:需要|要|招募?|缺|找|请|派)\s*({NUM})\s*(?:个|名|位)?\s*(?:人手|人|志愿者|党员|名额)"
    rf"|({NUM})\s*(?:个|名|位)?\s*(?:志愿者|党员|名额)"
)
_WHEN = re.compile(
    r"(?:\d{1,2}月\d{1,2}[日号]|\d{4}年\d{1,2}月\d{1,2}[日号]"
    r"|(?:今天|明天|后天|大后天|今晚|明晚|周末|本周[一二三四五六日天]?|下周[一二三四五六日天]?"
    r"|周[一二三四五六日天]|星期[一二三四五六日天]|礼拜[一二三四五六日天]))"
    r"(?:\s*(?:早上|上午|中午|下午|傍晚|晚上|凌晨|夜里))?"
    r"(?:\s*[\d零一二两三四五六七八九十]{1,3}(?:[点:：]\d{0,2}(?:分|半)?))?"
    r"|(?:早上|上午|中午|下午|傍晚|晚上)\s*[\d一二两三四五六七八九十]{1,3}[点:：]\d{0,2}半?"
)


def cn_to_int(token: str) -> int | None:
    """Convert "20", "二十", "两百零五" and the like to an int; None if it is not a number."""
    if token.isdecimal():
        return int(token)
    total, current = 0, 0
    for char in token:
        if char in _CN_DIGITS:
            current = _CN_DIGITS.index(char) if char != "两" else 2
        elif char == "十":
            total += (current or 1) * 10
            current = 0
        elif char == "百":
            total += (current or 1) * 100
            current = 0
        else:
            return None
    return total + current


def extract_capacity(text: str) -> int | None:
    """Return how many people a request asks for ("需要20人", "3名志愿者", "二十人")."""
    for found in _CAPACITY.finditer(text):
        value = cn_to_int(found.group(1) or found.group(2))
        if value:
            return value
    return None


def extract_when(text: str) -> str | None:
    """Return the time phrase as written ("周六上午9点", "明天下午", "11月30日")."""
    found = _WHEN.search(text)
    return found.group().strip() if found else None


_WEEKDAYS = "一二三四五六日"
_DAY_OFFSETS = {"今天": 0, "今晚": 0, "明天": 1, "明晚": 1, "后天": 2, "大后天": 3}
_PERIOD_HOURS = {"凌晨": 5, "早上": 8, "上午": 9, "中午": 12, "下午": 14, "傍晚": 18,
                 "晚上": 19, "夜里": 21}
_AFTERNOON = ("下午", "傍晚", "晚上", "夜里", "今晚", "明晚")
_DATE_PART = re.compile(
    r"(?:(\d{4})年)?(\d{1,2})月(\d{1,2})[日号]"
    r"|(大后天|今天|明天|后天|今晚|明晚)"
    r"|(本|这|下)?(?:周|星期|礼拜)([一二三四五六日天])|(周末)"
)
_TIME_PART = re.compile(
    r"(凌晨|早上|上午|中午|下午|傍晚|晚上|夜里)?\s*"
    r"(?:(\d{1,2}|[零一二两三四五六七八九十]{1,3})\s*[点:：时]\s*(半|\d{1,2})?)?"
)
DEFAULT_EVENT_HOUR = 9  # a day named without a time: community activities start in the morning


def resolve_when(text: str, base: datetime) -> datetime | None:
    """The moment a request's time phrase names, read against when it was written.

    "周六9点大扫除" is the coming Saturday at 09:00; "明天下午3点" tomorrow at 15:00;
    "11月30日上午" 30 November (this year, or next when it has passed) at 09:00;
    "下周三" Wednesday of next week. A day without a time of day is taken at 09:00.

    Args:
        text: The request or its time phrase.
        base: When it was written, as a naive local time in the community's zone.

    Returns:
        A naive local time, or None when the text names no day.
    """
    found = _DATE_PART.search(text)
    if found is None:
        return None
    day = _resolve_day(found, base.date())
    if day is None:
        return None
    hour, minute = _resolve_time(text[found.end():], found.group(4) or "")
    moment = datetime.combine(day, time(hour, minute))
    if found.group(6) and not found.group(5) and moment < base:  # "周六" said on a Sunday
        moment += timedelta(days=7)
    return moment


def _resolve_day(found: re.Match[str], today: date) -> date | None:
    year, month, mday, relative, week, weekday, weekend = found.groups()
    if relative:
        return today + timedelta(days=_DAY_OFFSETS[relative])
    if month:
        try:
            day = date(int(year or today.year), int(month), int(mday))
        except ValueError:
            return None
        if not year and day < today:
            day = day.replace(year=today.year + 1)
        return day
    target = 5 if weekend else _WEEKDAYS.index(weekday.replace("天", "日"))
    monday = today - timedelta(days=today.weekday())
    if week == "下":
        return monday + timedelta(days=7 + target)
    day = monday + timedelta(days=target)
    return day if week or day >= today else day + timedelta(days=7)


def _resolve_time(rest: str, relative: str) -> tuple[int, int]:
    found = _TIME_PART.match(rest)
    period = found.group(1) if found else None
    number = found.group(2) if found else None
    if found is None or number is None:
        if period is None and relative in ("今晚", "明晚"):
            period = "晚上"
        return _PERIOD_HOURS.get(period or "", DEFAULT_EVENT_HOUR), 0
    hour = cn_to_int(number) or 0
    if hour < 12 and ((period or relative) in _AFTERNOON or (period == "中午" and hour < 3)):
        hour += 12
    minutes = found.group(3)
    minute = 30 if minutes == "半" else int(minutes or 0)
    return min(hour, 23), min(minute, 59)
