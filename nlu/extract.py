"""Pulling contact details, places, head-counts and times out of a request."""

from __future__ import annotations

import re

_MOBILE = re.compile(r"(?<!\d)(1[3-9]\d(?:[\s-]?\d){8})(?!\d)")
_LANDLINE = re.compile(r"(?<!\d)(0\d{2,3})[\s-]?(\d{7,8})(?!\d)")
_CN_DIGITS = "零一二两三四五六七八九"
_NUM = r"(?:\d+|[零一二两三四五六七八九十百]+)"
# 楼 followed by one of these is 楼道/楼下/楼顶…, a part or side of the building, not its name.
_NOT_BUILDING_LOU = r"(?!道|梯|下|上|顶|前|后)"
_BUILDING = (rf"(?:{_NUM}|[a-zA-Z])"
             rf"(?:号楼|栋楼{_NOT_BUILDING_LOU}|栋|幢|号|座|楼{_NOT_BUILDING_LOU})")
_UNIT = rf"{_NUM}(?:单元|号门|门|梯)"
_ROOM = r"[-－]?\d{1,4}(?:室|号|层|房|户)?"
_PLACE = re.compile(
    rf"(?:{_NUM}号院)?(?:{_BUILDING})(?:{_UNIT})?(?:{_ROOM})?|{_UNIT}(?:{_ROOM})?"
)
# A head-count is an ask ("需要20人") or counts helpers ("3名志愿者"); "家里3个人" is neither.
_CAPACITY = re.compile(
    rf"(?:需要|要|招募?|缺|找|请|派)\s*({_NUM})\s*(?:个|名|位)?\s*(?:人手|人|志愿者|党员|名额)"
    rf"|({_NUM})\s*(?:个|名|位)?\s*(?:志愿者|党员|名额)"
)
_WHEN = re.compile(
    r"(?:\d{1,2}月\d{1,2}[日号]|\d{4}年\d{1,2}月\d{1,2}[日号]"
    r"|(?:今天|明天|后天|大后天|今晚|明晚|周末|本周[一二三四五六日天]?|下周[一二三四五六日天]?"
    r"|周[一二三四五六日天]|星期[一二三四五六日天]|礼拜[一二三四五六日天]))"
    r"(?:\s*(?:早上|上午|中午|下午|傍晚|晚上|凌晨|夜里))?"
    r"(?:\s*[\d零一二两三四五六七八九十]{1,3}(?:[点:：]\d{0,2}(?:分|半)?))?"
    r"|(?:早上|上午|中午|下午|傍晚|晚上)\s*[\d一二两三四五六七八九十]{1,3}[点:：]\d{0,2}半?"
)


def extract_phone(text: str) -> str | None:
    """Return a mainland mobile (digits only) or a landline "0755-12345678", if present."""
    found = _MOBILE.search(text)
    if found:
        return re.sub(r"[\s-]", "", found.group(1))
    found = _LANDLINE.search(text)
    return f"{found.group(1)}-{found.group(2)}" if found else None


def extract_place(text: str) -> str | None:
    """Return a building/unit/room reference such as "3栋2单元501" or "B座1203室"."""
    found = _PLACE.search(text)
    return found.group().strip() if found else None


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
