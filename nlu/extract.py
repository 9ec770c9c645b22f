"""Pulling head-counts and times out of a request; phones and places are in nlu/personal.py."""

from __future__ import annotations

import re
from datetime import date, datetime, time, timedelta

from nlu.personal import NUM

_CN_DIGITS = {char: value for value, char in enumerate("零一二三四五六七八九")} | {"两": 2}
_CN_NUM = "[零一二两三四五六七八九十]"
# A head-count is an ask ("需要20人") or counts helpers ("3名志愿者"); "家里3个人" is neither.
_CAPACITY = re.compile(
    rf"(?:需要|要|招募?|缺|找|请|派)\s*({NUM})\s*(?:个|名|位)?\s*(?:人手|人|志愿者|党员|名额)"
    rf"|({NUM})\s*(?:个|名|位)?\s*(?:志愿者|党员|名额)"
)
_DAY_WORDS = (r"(?:\d{4}年)?\d{1,2}月\d{1,2}[日号]"
              rf"|(?:下个?月|这个?月|本月)(?:\d{{1,2}}|{_CN_NUM}{{1,3}})[日号]"
              r"|今天|明天|后天|大后天|今晚|明晚|周末|本周[一二三四五六日天]?|下周[一二三四五六日天]?"
              r"|周[一二三四五六日天]|星期[一二三四五六日天]|礼拜[一二三四五六日天]")
_PERIODS = r"凌晨|早上|上午|中午|下午|傍晚|晚上|夜里"
_CLOCK = (rf"(?:\d{{1,2}}|{_CN_NUM}{{1,3}})\s*[点:：时]"
          rf"(?:\s*(?:半|[一三]刻|\d{{1,2}}|{_CN_NUM}{{1,3}})分?)?")
_WHEN = re.compile(
    rf"(?:{_DAY_WORDS})(?:\s*(?:{_PERIODS}))?(?:\s*{_CLOCK})?"
    rf"|(?:{_PERIODS})\s*{_CLOCK}"
)


def cn_to_int(token: str) -> int | None:
    """Convert "20", "二十", "两百零五" and the like to an int; None if it is not a number."""
    if token.isdecimal():
        return int(token)
    total, current = 0, 0
    for char in token:
        if char in _CN_DIGITS:
            current = _CN_DIGITS[char]
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
_NIGHT = ("晚上", "夜里", "今晚", "明晚")
_DATE_PART = re.compile(
    r"(?:(\d{4})年)?(\d{1,2})月(\d{1,2})[日号]"
    r"|(大后天|今天|明天|后天|今晚|明晚)"
    r"|(本|这|下)?(?:周|星期|礼拜)([一二三四五六日天])|(周末)"
    rf"|(下个?月|这个?月|本月)(\d{{1,2}}|{_CN_NUM}{{1,3}})[日号]"
)
_TIME_PART = re.compile(
    rf"({_PERIODS})?\s*"
    rf"(?:(\d{{1,2}}|{_CN_NUM}{{1,3}})\s*[点:：时]\s*(半|[一三]刻|\d{{1,2}}|{_CN_NUM}{{1,3}})?)?"
)
_QUARTERS = {"半": 30, "一刻": 15, "三刻": 45}
DEFAULT_EVENT_HOUR = 9  # a day named without a time: community activities start in the morning


def resolve_when(text: str, base: datetime) -> datetime | None:
    """The moment a request's time phrase names, read against when it was written.

    "周六9点大扫除" is the coming Saturday at 09:00; "明天下午3点" tomorrow at 15:00;
    "11月30日上午" 30 November (this year, or next when it has passed) at 09:00;
    "下周三" Wednesday of next week; "下个月五号" the 5th of next month; "三点四十" and
    "九点半" keep their minutes; "晚上12点" is the midnight that ends that day. A day
    without a time of day is taken at 09:00, except today once 09:00 has passed: then it
    is today from the moment of writing, not a time already gone.

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
    clock = _resolve_time(text[found.end():], found.group(4) or "")
    if clock is None:
        moment = datetime.combine(day, time(DEFAULT_EVENT_HOUR))
        return max(moment, base) if day == base.date() else moment
    hour, minute = clock
    moment = datetime.combine(day, time(hour % 24, minute)) + timedelta(days=hour // 24)
    if found.group(6) and not found.group(5) and moment < base:  # "周六" said on a Sunday
        moment += timedelta(days=7)
    return moment


def _resolve_day(found: re.Match[str], today: date) -> date | None:
    year, month, mday, relative, week, weekday, weekend, which_month, month_day = found.groups()
    if relative:
        return today + timedelta(days=_DAY_OFFSETS[relative])
    if month or which_month:
        return _month_day(today, year, month, mday, which_month, month_day)
    target = 5 if weekend else _WEEKDAYS.index(weekday.replace("天", "日"))
    monday = today - timedelta(days=today.weekday())
    if week == "下":
        return monday + timedelta(days=7 + target)
    day = monday + timedelta(days=target)
    return day if week or day >= today else day + timedelta(days=7)


def _month_day(today: date, year: str | None, month: str | None, mday: str | None,
               which_month: str | None, month_day: str | None) -> date | None:
    """"11月30日" (this year, or next once passed), "下个月五号", "本月20号"."""
    try:
        if which_month:
            first = today.replace(day=1)
            if which_month.startswith("下"):
                first = (first + timedelta(days=32)).replace(day=1)
            return first.replace(day=cn_to_int(month_day or "") or 0)
        day = date(int(year or today.year), int(month or 0), int(mday or 0))
    except ValueError:
        return None
    return day.replace(year=today.year + 1) if not year and day < today else day


def _resolve_time(rest: str, relative: str) -> tuple[int, int] | None:
    """The hour (24 and beyond for "晚上12点", the midnight after) and minute named at the
    start of ``rest``; the hour of a period alone ("下午"); None when neither is there."""
    found = _TIME_PART.match(rest)
    period = found.group(1) if found else None
    number = found.group(2) if found else None
    if found is None or number is None:
        if period is None and relative in ("今晚", "明晚"):
            period = "晚上"
        return (_PERIOD_HOURS[period], 0) if period else None
    hour = cn_to_int(number) or 0
    evening = (period or relative) in _AFTERNOON
    if hour < 12 and (evening or (period == "中午" and hour < 3)):
        hour += 12
    elif hour == 12 and (period or relative) in _NIGHT:  # 晚上12点 is midnight, 下午12点 noon
        hour = 24
    minutes = found.group(3) or "0"
    minute = _QUARTERS.get(minutes, cn_to_int(minutes) or 0)
    return min(hour, 24), min(minute, 59)
