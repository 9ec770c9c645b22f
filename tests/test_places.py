"""Where an order is, and check-ins held to it (定位签到), told as conversations.

The demo community's buildings have no coordinates; each test gives 3栋 (第一网格) a place,
as `whistle building add … --lat --lon` would.
"""

from __future__ import annotations

import pytest
from sqlmodel import select

from handlers.ledger.periods import parse_period
from handlers.reports.service_ledger import ledger
from handlers.reports.tables import Scope
from storage.db import transaction
from storage.models import Building, CheckIn, Grid, Order
from tests.chat import POLICY, Chat

THREE = (31.2304, 121.4737)  # 3栋
SHARED = (31.2290, 121.4750)  # a pin a resident drops in the lane by their door
FAR = (31.2404, 121.4737)  # about 1.1 km north
NEAR = (31.2310, 121.4740)  # about 70 m away


@pytest.fixture
def located(chat: Chat) -> Chat:
    """The demo community with 3栋 at ``THREE``."""
    return _locate_three(chat)


def _locate_three(chat: Chat) -> Chat:
    with transaction(chat.engine) as session:
        building = session.exec(select(Building).where(Building.name == "3栋")).one()
        building.lat, building.lon = THREE
    return chat


def where(chat: Chat, number: int = 1) -> tuple[str | None, str | None, tuple | None]:
    """The order's building, grid and coordinates, by name."""
    with transaction(chat.engine) as session:
        order = session.get_one(Order, number)
        building = session.get(Building, order.building_id) if order.building_id else None
        grid = session.get(Grid, order.grid_id) if order.grid_id else None
        point = (order.lat, order.lon) if order.lat is not None else None
        return (building.name if building else None, grid.name if grid else None, point)


def test_a_need_naming_the_building_gets_its_place_on_each_database(
        chat_on_each_database: Chat) -> None:
    chat = _locate_three(chat_on_each_database)
    chat.say("zhang", "3号楼楼道的灯坏了，晚上看不见")

    assert where(chat) == ("3栋", "第一网格", THREE)


def test_a_location_shared_with_the_need_is_its_place_on_each_database(
        chat_on_each_database: Chat) -> None:
    chat = _locate_three(chat_on_each_database)
    chat.say("zhang", "3号楼楼道的灯坏了，晚上看不见", location=SHARED)

    assert where(chat) == ("3栋", "第一网格", SHARED)


@pytest.mark.parametrize("text", [
    "三栋楼道的灯坏了", "3幢门口的灯坏了", "3-2-502家门口的灯坏了", "3#楼楼道灯坏了，请派人修",
    "３栋门口路灯不亮了",
])
def test_a_building_is_found_however_it_is_written(located: Chat, text: str) -> None:
    located.say("zhang", text)

    assert where(located) == ("3栋", "第一网格", THREE)


def test_a_building_without_coordinates_still_gives_the_building_and_grid(
        located: Chat) -> None:
    located.say("zhang", "6号楼楼道的灯坏了，晚上看不见")

    assert where(located) == ("6栋", "第二网格", None)


def test_a_location_sent_right_after_the_need_is_its_place(located: Chat) -> None:
    located.say("zhang", "小区东门的路灯坏了，晚上看不见")
    located.advance(minutes=2)

    answer = located.say("zhang", location=SHARED)

    assert answer.only("zhang") == ["已记下诉求 #1 的位置，上门的党员会按这个位置找到您。"]
    assert where(located) == (None, None, SHARED)


def test_a_location_long_after_the_need_or_in_another_chat_is_not_its_place(
        located: Chat) -> None:
    located.say("zhang", "小区东门的路灯坏了，晚上看不见")
    located.say("admin", "/bind 幸福里社区", group="g1")

    in_group = located.say("zhang", location=SHARED, group="g1")
    located.advance(minutes=31)
    late = located.say("zhang", location=SHARED)

    assert in_group.recipients() == set()
    assert "请直接描述遇到的困难" in late.only("zhang")[0]
    assert where(located) == (None, None, None)


def test_a_need_without_a_building_is_at_the_residents_remembered_building(
        located: Chat) -> None:
    located.say("zhang", "3栋楼道的灯坏了，晚上看不见")
    located.say("zhang", "家里水龙头一直漏水，能不能来人看看")

    assert where(located, 2) == ("3栋", "第一网格", THREE)


def test_a_building_named_without_a_number_is_found_before_the_remembered_one(
        located: Chat) -> None:
    with transaction(located.engine) as session:
        community = session.exec(select(Building)).first().community_id
        session.add(Building(community_id=community, name="老年活动中心", lat=31.2, lon=121.4))
    located.say("zhang", "3栋楼道的灯坏了，晚上看不见")
    located.say("zhang", "老年活动中心的空调坏了，下午活动没法开，麻烦来修一下")

    assert where(located, 2) == ("老年活动中心", None, (31.2, 121.4))


def test_a_new_resident_without_a_building_is_only_in_the_community(located: Chat) -> None:
    located.say("li", "家里水龙头一直漏水，能不能来人看看")

    assert where(located) == (None, None, None)


def test_the_admin_sees_where_the_order_is(located: Chat) -> None:
    located.say("zhang", "3栋楼道的灯坏了，晚上看不见")

    detail = located.say("admin", "/order 1").only("admin")[0]

    assert "位置：3栋（第一网格），坐标 31.23040, 121.47370" in detail


def accepted(chat: Chat, text: str = "3栋楼道的灯坏了，晚上看不见") -> None:
    chat.say("zhang", text)
    chat.say("admin", "/approve 1 convenience")
    chat.press("m1", "accept:1")


def status(chat: Chat) -> str:
    with transaction(chat.engine) as session:
        return session.get_one(Order, 1).status.value


def arrivals(chat: Chat) -> list[tuple]:
    with transaction(chat.engine) as session:
        return [(c.kind.value, c.located, c.photo) for c in session.exec(
            select(CheckIn).order_by(CheckIn.id)).all()]


def test_a_far_check_in_is_refused_with_its_distance_and_a_near_one_accepted(
        chat_on_each_database: Chat) -> None:
    chat = _locate_three(chat_on_each_database)
    accepted(chat)

    far = chat.say("m1", "/checkin 1", location=FAR)
    assert far.only("m1") == [
        "报到位置距工单地点约 1112 米，超出 500 米范围，请到现场后再报到。"]
    assert status(chat) == "claimed"

    near = chat.say("m1", "/checkin 1", location=NEAR)
    assert near.pop("m1") == "已为工单 #1 报到，辛苦了！完成后请发送「/done 1」（可附照片）。"
    assert status(chat) == "in_progress"
    assert arrivals(chat) == [("arrive", True, None)]


def test_a_check_in_without_a_location_on_a_located_order_asks_for_one(located: Chat) -> None:
    accepted(located)

    asked = located.say("m1", "/checkin 1")

    assert asked.only("m1") == [
        "工单 #1 需要定位报到：请到现场后发送您的位置（实在无法定位的，可发一张现场照片代替）。"]
    assert status(located) == "claimed"
    located.say("m1", location=NEAR)  # the location the member was asked for
    assert status(located) == "in_progress"
    assert arrivals(located) == [("arrive", True, None)]


def test_a_photo_instead_of_a_location_checks_in_unlocated(located: Chat) -> None:
    accepted(located)

    located.say("m1", photo="/media/site.jpg")

    assert status(located) == "in_progress"
    assert arrivals(located) == [("arrive", False, "/media/site.jpg")]


def test_without_coordinates_a_photo_is_asked_for_and_the_check_in_is_unlocated(
        located: Chat, tmp_path) -> None:
    accepted(located, "家里水龙头一直漏水，能不能来人看看")

    checked = located.say("m1", "/checkin 1")
    assert checked.pop("m1") == (
        "已为工单 #1 报到（未定位）。请补发一张现场照片留档；完成后请发送「/done 1」（可附照片）。")
    located.say("m1", photo="/media/site.jpg")
    located.say("m1", photo="/media/fixed.jpg")
    located.advance(hours=1)
    located.say("m1", "/done 1")

    assert arrivals(located) == [("arrive", False, "/media/site.jpg"),
                                 ("photo", False, "/media/fixed.jpg"), ("done", False, None)]
    assert "到场：李明 11-23 09:00，未定位" in located.say("admin", "/order 1").only("admin")[0]
    with transaction(located.engine) as session:
        report = ledger(session, Scope(parse_period("2026Q4"), "Asia/Shanghai"), POLICY)
    column = report.headers.index("到场定位")
    assert [row[column] for row in report.rows] == ["未定位"]
    photos = report.headers.index("照片")
    assert [row[photos] for row in report.rows] == ["/media/site.jpg；/media/fixed.jpg"]


def test_photos_during_the_service_are_kept(located: Chat) -> None:
    accepted(located)
    located.say("m1", "/checkin 1", location=NEAR)

    first = located.say("m1", photo="/media/arrived.jpg")
    located.say("m1", photo="/media/during.jpg")

    assert first.only("m1") == ["已收到照片。完成服务后请发送「完成 1」（可附完成照片）。"]
    assert arrivals(located) == [("arrive", True, "/media/arrived.jpg"),
                                 ("photo", False, "/media/during.jpg")]


def test_a_building_the_community_does_not_list_is_not_the_remembered_one(
        located: Chat) -> None:
    located.say("zhang", "3栋楼道的灯坏了，晚上看不见")
    located.say("zhang", "9栋门口的井盖松了，麻烦来看看")

    assert where(located, 2) == (None, None, None)
