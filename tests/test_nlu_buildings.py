"""The one building matcher: how people write a building against how a community names it."""

from __future__ import annotations

import pytest

from nlu.buildings import building_key, match_building

NAMES = ["1栋", "3号楼", "5栋", "15栋", "B座", "幸福里12栋", "老年活动中心"]


@pytest.mark.parametrize(("text", "expected"), [
    pytest.param("3栋楼道灯坏了", "3号楼", id="digits-dong"),
    pytest.param("三栋门口", "3号楼", id="chinese-numeral"),
    pytest.param("3幢102", "3号楼", id="zhuang"),
    pytest.param("3-2-502漏水", "3号楼", id="building-unit-room"),
    pytest.param("3#楼电梯坏了", "3号楼", id="hash"),
    pytest.param("３栋", "3号楼", id="full-width"),
    pytest.param("十二栋的垃圾", "幸福里12栋", id="name-with-estate"),
    pytest.param("b座电梯", "B座", id="letter"),
    pytest.param("15栋门口", "15栋", id="longer-number"),
    pytest.param("老年活动中心的灯", "老年活动中心", id="named-without-number"),
    pytest.param("5楼漏水", None, id="a-floor-is-not-a-building"),
    pytest.param("12月3号下午", None, id="a-date-is-not-a-building"),
    pytest.param("2024-11-23有活动", None, id="a-dashed-date"),
    pytest.param("电话138-1234-5678", None, id="a-dashed-phone"),
    pytest.param("7栋门口", None, id="no-such-building"),
])
def test_a_text_finds_the_communitys_building(text: str, expected: str | None) -> None:
    assert match_building(text, NAMES) == expected


def test_a_shorter_number_never_matches_a_longer_one() -> None:
    assert match_building("25栋", ["5栋"]) is None
    assert match_building("5栋", ["15栋"]) is None


def test_the_first_building_named_is_the_one() -> None:
    assert building_key("5栋的人把垃圾扔到3栋门口") == "5"
