"""One need, one order (相同诉求): repeats join the order, admins merge and split, several
reports raise an order on /pending, and a reopened order whose time has passed needs a new one.
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlmodel import select

from handlers.orders.matching import same_place
from storage.db import transaction
from storage.models import Order, OrderHistory
from tests.chat import POLICY, Chat

LIGHT = "3栋楼道灯坏了，晚上老人下楼看不见"
LIGHT_AGAIN = "3号楼楼道里的灯不亮了，麻烦派人来修一下，电话13812345678"
LIGHT_ELSEWHERE = "5栋楼道灯坏了，晚上老人下楼看不见"
RAIL = "3栋楼道扶手松了，请派人修一下"


def order(chat: Chat, order_id: int) -> Order:
    with transaction(chat.engine) as session:
        found = session.get_one(Order, order_id)
        session.expunge(found)
        return found


def serve(chat: Chat, order_id: int = 1) -> None:
    """m1 takes the order, arrives and finishes it."""
    chat.press("m1", f"accept:{order_id}")
    chat.say("m1", f"/checkin {order_id}")


def test_a_reworded_repeat_with_a_phone_follows_the_order_to_its_rating(
        chat_on_each_database: Chat) -> None:
    chat = chat_on_each_database
    chat.say("zhang", LIGHT)
    chat.say("admin", "/approve 1")

    repeat = chat.say("li", LIGHT_AGAIN)

    assert repeat.pop("li").startswith("已有相同诉求 #1 正在处理")
    repeat.nothing_else()  # no second review, no second whistle
    assert (order(chat, 2).status, order(chat, 2).merged_into) == ("merged", 1)
    assert order(chat, 1).reports == 2
    assert "已接下" in chat.press("m1", "accept:1").pop("li")
    chat.say("m1", "/checkin 1")
    done = chat.say("m1", "/done 1")
    assert done.buttons_for("li") == [f"rate:1:{n}" for n in range(1, 6)]
    assert done.buttons_for("zhang") == [f"rate:1:{n}" for n in range(1, 6)]
    assert "感谢您对 #1 的评价（5星）" in chat.press("li", "rate:1:5").pop("li")
    assert order(chat, 1).status == "closed"
    later = chat.press("zhang", "rate:1:4")  # the filer's opinion is kept too
    assert "感谢您对 #1 的评价（4星）" in later.pop("zhang")
    assert "已经评价" in chat.press("li", "rate:1:3").to("li")[0]


def test_the_same_words_in_another_building_are_another_order(
        chat_on_each_database: Chat) -> None:
    chat = chat_on_each_database
    chat.say("zhang", LIGHT)
    chat.say("admin", "/approve 1")

    other = chat.say("li", LIGHT_ELSEWHERE)

    assert "编号 #2" in other.to("li")[0]
    assert order(chat, 2).status == "submitted"
    assert order(chat, 1).reports == 1


def test_another_trouble_in_the_same_building_is_another_order(chat: Chat) -> None:
    chat.say("zhang", LIGHT)
    chat.say("admin", "/approve 1")
    assert "编号 #2" in chat.say("li", RAIL).to("li")[0]


def test_a_repeat_after_the_window_is_a_new_order(chat: Chat) -> None:
    chat.say("zhang", LIGHT)
    chat.say("admin", "/approve 1")
    chat.advance(hours=POLICY.duplicate_window.total_seconds() / 3600 + 1)
    assert "编号 #2" in chat.say("li", LIGHT_AGAIN).to("li")[0]


def test_an_admin_merges_a_repeat_and_order_lists_it(chat: Chat) -> None:
    chat.say("zhang", LIGHT)
    chat.say("admin", "/approve 1")
    chat.say("li", RAIL)  # #2, told apart by the bot; the admin knows better
    chat.say("admin", "/approve 2")
    chat.press("m4", "accept:2")

    merged = chat.say("admin", "/merge 1 2")

    assert merged.pop("admin") == "已把工单 #2 并入 #1，现共 2 人反映。"
    assert "与 #1 是同一诉求" in merged.pop("li")
    assert "您在 #2 的接单随之取消" in merged.pop("m4")
    merged.nothing_else()
    assert (order(chat, 2).status, order(chat, 2).accepted_count) == ("merged", 0)
    detail = chat.say("admin", "/order 1").to("admin")[0]
    assert "合并的反映（共 2 人反映）：\n  #2 3栋楼道扶手松了，请派人修一下" in detail
    assert "关注进展的居民：1 人" in detail
    assert "#2 并入本工单，共 2 人反映" in detail


def test_an_admin_splits_a_wrong_merge_back_for_review(chat: Chat) -> None:
    chat.say("zhang", LIGHT)
    chat.say("admin", "/approve 1")
    chat.say("li", LIGHT_AGAIN)

    split = chat.say("admin", "/unmerge 2")

    assert split.pop("admin").startswith("【新诉求待审核】")
    assert split.pop("admin") == "已把工单 #2 从 #1 拆分出来，重新进入待审核。"
    assert "已单独受理" in split.pop("li")
    split.nothing_else()
    assert (order(chat, 2).status, order(chat, 2).merged_into) == ("submitted", None)
    assert order(chat, 1).reports == 1
    with transaction(chat.engine) as session:
        reasons = session.exec(select(OrderHistory.reason)
                               .where(OrderHistory.order_id == 2)).all()
    assert reasons[-1] == "取消与 #1 的合并，重新审核"
    assert "没有被合并" in chat.say("admin", "/unmerge 2").to("admin")[0]


def test_merge_refusals(chat: Chat) -> None:
    chat.say("zhang", LIGHT)
    assert "合并到它自己" in chat.say("admin", "/merge 1 1").to("admin")[0]
    assert "用法" in chat.say("admin", "/merge 1").to("admin")[0]
    assert chat.say("zhang", "/merge 1 1").to("zhang") != []  # not an admin: refused
    assert order(chat, 1).status == "submitted"


def test_needs_several_residents_reported_come_first_on_pending(chat: Chat) -> None:
    chat.say("zhang", RAIL)  # #1, one report
    chat.say("wang", LIGHT)  # #2
    chat.say("li", LIGHT_AGAIN)  # joins #2 while it waits for review

    pending = chat.say("admin", "/pending").to("admin")[0].splitlines()

    assert "🔺2人反映 #2【待审核】" in pending[1]
    assert "#1【待审核】" in pending[2]


@dataclass
class Place:
    """What ``same_place`` reads of an order."""

    building_id: int | None = None
    lat: float | None = None
    lon: float | None = None
    place: str = ""
    address: str = ""


def test_one_place_by_building_by_distance_or_as_written() -> None:
    radius = POLICY.duplicate_radius_m
    assert same_place(Place(building_id=3), Place(building_id=3), radius)
    assert not same_place(Place(building_id=3), Place(building_id=5), radius)
    assert same_place(Place(lat=31.2304, lon=121.4737), Place(lat=31.2307, lon=121.4737),
                      radius)  # 33 m apart
    assert not same_place(Place(lat=31.2304, lon=121.4737), Place(lat=31.2310, lon=121.4737),
                          radius)  # 67 m apart
    assert same_place(Place(place="3栋"), Place(place="3号楼"), radius)
    assert same_place(Place(place="三栋"), Place(address="3幢2单元502"), radius)
    assert not same_place(Place(place="3栋"), Place(place="13栋"), radius)
    assert same_place(Place(place="3栋"), Place(address="3-2-502"), radius)
    assert not same_place(Place(place="5栋"), Place(place="5楼"), radius)  # 5楼 is a floor
    assert not same_place(Place(place="3栋"), Place(), radius)
    assert same_place(Place(), Place(), radius)


def test_a_follower_may_rate_in_words(chat: Chat) -> None:
    chat.say("zhang", LIGHT)
    chat.say("admin", "/approve 1")
    chat.say("li", LIGHT_AGAIN)
    serve(chat)
    chat.say("m1", "/done 1")

    rated = chat.say("li", "非常满意")

    assert "感谢您对 #1 的评价（5星）" in rated.pop("li")
    assert order(chat, 1).status == "closed"


def test_merging_an_order_brings_its_own_followers_along(chat: Chat) -> None:
    chat.say("zhang", LIGHT)  # #1
    chat.say("wang", RAIL)  # #2
    chat.say("li", "3号楼楼道扶手松动了，老人扶着不稳，请来修一下")  # #3 joins #2
    assert order(chat, 3).merged_into == 2

    merged = chat.say("admin", "/merge 1 2")

    assert "与 #1 是同一诉求" in merged.pop("wang")
    assert "与 #1 是同一诉求" in merged.pop("li")
    assert order(chat, 1).reports == 3
    assert order(chat, 3).merged_into == 1
    assert "关注进展的居民：2 人" in chat.say("admin", "/order 1").to("admin")[0]


def test_a_follower_is_reminded_to_rate_as_the_resident_is(chat: Chat) -> None:
    chat.say("zhang", LIGHT)
    chat.say("admin", "/approve 1")
    chat.say("li", LIGHT_AGAIN)
    serve(chat)
    chat.say("m1", "/done 1")
    chat.advance(hours=20)

    reminded = chat.run_jobs()

    assert reminded.to("zhang") == [
        "工单 #1 的服务还没有评价，请在今天内点星评价，超时将自动办结。"]
    assert reminded.to("li") == reminded.to("zhang")
