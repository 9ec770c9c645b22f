"""Whether a member's words fit an order: their skills (特长) its text, their free time
(空闲时间) its time. Pure functions over the few distinct values a community's members wrote;
``handlers.orders.ranking`` turns the answers into SQL.

``SKILL_WORDS`` is the one table of what a skill is good for: a member who wrote a skill
containing the key (水电维修 contains 水电) fits an order whose text names one of its words
(水龙头漏水). Other skills are compared with the text by rapidfuzz.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable
from datetime import datetime

from rapidfuzz import fuzz

from handlers.rules.workdays import is_workday

SKILL_WORDS: dict[str, tuple[str, ...]] = {
    "水电": ("水龙头", "水管", "漏水", "灯", "电路", "电线", "跳闸", "插座", "开关", "停电"),
    "电工": ("灯", "电路", "电线", "跳闸", "插座", "开关", "停电", "电表"),
    "维修": ("坏了", "修", "漏", "堵"),
    "电脑": ("手机", "网上", "缴费", "电脑", "上网", "微信", "支付宝", "打印", "挂号"),
    "医护": ("血压", "血糖", "看病", "医院", "体检", "吃药", "药", "护理", "陪诊"),
    "法律": ("纠纷", "调解", "合同", "维权", "官司", "欠薪", "律师"),
    "调解": ("纠纷", "吵架", "矛盾", "邻里"),
    "辅导": ("作业", "功课", "学习", "补课", "孩子"),
    "心理": ("孤独", "想不开", "情绪", "陪聊", "聊天"),
    "宣讲": ("宣传", "讲座", "政策", "讲解"),
    "巡逻": ("巡逻", "安全", "小偷", "可疑", "夜间"),
    "劝导": ("劝", "乱停", "遛狗", "广场舞", "噪音", "抛物"),
    "驾驶": ("接送", "开车", "送医", "搬运"),
    "理发": ("理发", "剪发"),
}
SKILL_CUTOFF = 80
"""How alike (0-100, rapidfuzz partial ratio) a skill and a stretch of the text must be."""

_DayRule = Callable[[datetime], bool]
_SPLIT = re.compile(r"[、,，;；/\s]+")
_WEEKDAYS = {"一": 0, "二": 1, "三": 2, "四": 3, "五": 4, "六": 5, "日": 6, "天": 6}
_DAY_NAMES = re.compile(r"(?:周|星期|礼拜)([一二三四五六日天])")
_DAY_SPAN = re.compile(r"(?:周|星期|礼拜)([一二三四五六日天])\s*[至到~～\-—]\s*"
                       r"(?:周|星期|礼拜)?([一二三四五六日天])")
_PARTS: dict[str, range] = {
    "早上": range(6, 10), "上午": range(8, 12), "中午": range(11, 14), "下午": range(12, 18),
    "白天": range(8, 18), "傍晚": range(17, 20), "晚上": range(18, 23), "夜间": range(18, 24),
    "晚间": range(18, 23),
}
_ANY_TIME = ("随时", "都可以", "都行", "全天", "任何时间", "每天", "天天", "不限")


def skill_tags(skills: str) -> list[str]:
    """The skills a member wrote (医护、测血压), one tag each."""
    return [tag for tag in _SPLIT.split(skills) if tag]


def fitting_skill(skills: str, text: str) -> str | None:
    """The first of a member's skills that fits the order's text, if any."""
    for tag in skill_tags(skills):
        if _fits(tag, text):
            return tag
    return None


def _fits(tag: str, text: str) -> bool:
    for key, words in SKILL_WORDS.items():
        if key in tag and any(word in text for word in words):
            return True
    return len(tag) >= 2 and fuzz.partial_ratio(tag, text) >= SKILL_CUTOFF


def fitting_skills(skills: Iterable[str], text: str) -> dict[str, str]:
    """Of the distinct skills fields a community's members wrote, those that fit the text,
    each with the skill named in the reasons (擅长水电维修)."""
    fitting = {}
    for written in skills:
        tag = fitting_skill(written, text)
        if tag is not None:
            fitting[written] = tag
    return fitting


def free_at(free_time: str, local: datetime) -> bool:
    """Whether the free time a member declared (周末, 工作日晚上, 周二下午, 随时) covers the
    local moment; words it does not know cover nothing."""
    if any(word in free_time for word in _ANY_TIME):
        return True
    days = _days(free_time)
    hours = [span for word, span in _PARTS.items() if word in free_time]
    if days is None and not hours:
        return False
    day_ok = days is None or days(local)
    return day_ok and (not hours or any(local.hour in span for span in hours))


def _days(free_time: str) -> _DayRule | None:
    if "工作日" in free_time or "平时" in free_time or "周一至周五" in free_time:
        return lambda moment: is_workday(moment.date())
    if "周末" in free_time or "节假日" in free_time or "双休" in free_time:
        return lambda moment: not is_workday(moment.date())
    named = {_WEEKDAYS[day] for day in _DAY_NAMES.findall(free_time)}
    for first, last in _DAY_SPAN.findall(free_time):  # 周一到周五, 周五~周日
        start, end = _WEEKDAYS[first], _WEEKDAYS[last]
        named |= {(start + n) % 7 for n in range((end - start) % 7 + 1)}
    if named:
        return lambda moment: moment.weekday() in named
    return None


def free_fitting(free_times: Iterable[str], local: datetime | None) -> list[str]:
    """Of the distinct free times a community's members declared, those covering the
    order's local time (none when the order names no time)."""
    if local is None:
        return []
    return sorted(free for free in free_times if free and free_at(free, local))

