"""Tests for phone, place, capacity and time extraction."""

from __future__ import annotations

from datetime import datetime

import pytest

from nlu import extract_capacity, extract_phone, extract_place, extract_when, resolve_when


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        pytest.param("电话13812345678", "13812345678", id="mobile"),
        pytest.param("联系 138 1234 5678", "13812345678", id="mobile-spaces"),
        pytest.param("138-1234-5678找我", "13812345678", id="mobile-dashes"),
        pytest.param("座机0755-12345678", "0755-12345678", id="landline"),
        pytest.param("12812345678", None, id="not-mobile"),
        pytest.param("没有电话", None, id="none"),
    ],
)
def test_extract_phone(text: str, expected: str | None) -> None:
    assert extract_phone(text) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        pytest.param("3栋2单元501楼道灯坏了", "3栋2单元501", id="full"),
        pytest.param("5号楼门口堆了垃圾", "5号楼", id="building"),
        pytest.param("12幢3单元漏水", "12幢3单元", id="zhuang"),
        pytest.param("B座1203室", "B座1203室", id="tower"),
        pytest.param("楼道灯坏了", None, id="none"),
        pytest.param("3栋楼道灯坏了", "3栋", id="dong-loudao"),
        pytest.param("3栋楼下有人吵", "3栋", id="dong-louxia"),
        pytest.param("3栋楼上漏水", "3栋", id="dong-loushang"),
        pytest.param("3栋楼梯扶手松了", "3栋", id="dong-louti"),
        pytest.param("3栋楼顶有积水", "3栋", id="dong-louding"),
        pytest.param("3栋楼前停满了车", "3栋", id="dong-louqian"),
        pytest.param("3栋楼后有人烧纸", "3栋", id="dong-louhou"),
        pytest.param("3栋楼漏水了", "3栋楼", id="dong-lou-building"),
        pytest.param("3栋2单元501", "3栋2单元501", id="dong-unit-room"),
        pytest.param("3号楼2门502室老人摔倒了", "3号楼2门502室", id="door-room"),
        pytest.param("7号院3号楼1单元", "7号院3号楼1单元", id="courtyard"),
    ],
)
def test_extract_place(text: str, expected: str | None) -> None:
    assert extract_place(text) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        pytest.param("周六上午大扫除，需要20人", 20, id="need-n"),
        pytest.param("要5个人", 5, id="ge-ren"),
        pytest.param("招3名志愿者", 3, id="volunteers"),
        pytest.param("需要二十人", 20, id="chinese"),
        pytest.param("3名党员志愿者", 3, id="helpers-without-verb"),
        pytest.param("家里3个人都病了", None, id="household-size"),
        pytest.param("我们3个人去", None, id="who-goes"),
        pytest.param("需要两个人搬东西", 2, id="liang"),
        pytest.param("楼道灯坏了", None, id="none"),
    ],
)
def test_extract_capacity(text: str, expected: int | None) -> None:
    assert extract_capacity(text) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        pytest.param("周六上午9点集合", "周六上午9点", id="weekday-time"),
        pytest.param("明天下午有空吗", "明天下午", id="relative"),
        pytest.param("11月30日前完成", "11月30日", id="date"),
        pytest.param("楼道灯坏了", None, id="none"),
    ],
)
def test_extract_when(text: str, expected: str | None) -> None:
    assert extract_when(text) == expected


WRITTEN = datetime(2026, 11, 30, 12, 20)  # a Monday, just after noon


@pytest.mark.parametrize(("text", "moment"), [
    ("明天三点四十去", datetime(2026, 12, 1, 3, 40)),
    ("明天下午三点四十分集合", datetime(2026, 12, 1, 15, 40)),
    ("明天九点半", datetime(2026, 12, 1, 9, 30)),
    ("周六上午十点一刻", datetime(2026, 12, 5, 10, 15)),
    ("明天晚上12点巡逻", datetime(2026, 12, 2, 0, 0)),
    ("今晚12点", datetime(2026, 12, 1, 0, 0)),
    ("周六下午12点", datetime(2026, 12, 5, 12, 0)),
    ("下个月五号体检", datetime(2026, 12, 5, 9, 0)),
    ("下个月20号", datetime(2026, 12, 20, 9, 0)),
    ("今天有空来看看吗", WRITTEN),
    ("今天下午", datetime(2026, 11, 30, 14, 0)),
    ("明天", datetime(2026, 12, 1, 9, 0)),
])
def test_times_are_read_as_people_say_them(text, moment):
    assert resolve_when(text, WRITTEN) == moment


def test_next_month_after_december_is_january():
    assert resolve_when("下个月五号", datetime(2026, 12, 10, 8, 0)) == datetime(2027, 1, 5, 9, 0)


def test_a_phrase_with_minutes_is_kept_whole():
    assert extract_when("明天下午三点四十分在3栋集合") == "明天下午三点四十分"


@pytest.mark.parametrize(("text", "count"), [("需要三名志愿者", 3), ("招九个人", 9),
                                             ("需要两位党员", 2), ("需要二十人", 20)])
def test_chinese_numerals_count_right(text, count):
    assert extract_capacity(text) == count
