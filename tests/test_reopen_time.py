"""A returned order whose time has passed is not whistled again with that time: the admin is
asked for a new one, and /approve takes it."""

from __future__ import annotations

from tests.chat import Chat
from tests.test_repeats import order

MOVING = "周六上午9点请人帮忙把家里的旧家具搬下楼"


def returned_after_its_time(chat: Chat) -> None:
    """#1, set for Saturday 28 November 09:00, done and rated poorly; the clock a week on."""
    chat.say("zhang", MOVING)
    chat.say("admin", "/approve 1")
    chat.press("m1", "accept:1")
    chat.say("m1", "/checkin 1")
    chat.say("m1", "/done 1")
    chat.press("zhang", "rate:1:1")
    chat.advance(days=7)


def test_reopening_after_the_time_asks_the_admin_for_a_new_one(chat: Chat) -> None:
    returned_after_its_time(chat)

    asked = chat.say("admin", "/approve 1")

    assert asked.only("admin") == [
        "工单 #1 原定时间（周六上午9点（11月28日 周六 09:00））已经过去，请给出新的时间再派单，"
        "例如：/approve 1 周六上午9点"]
    assert order(chat, 1).status == "returned"


def test_the_admin_reopens_with_a_new_time(chat: Chat) -> None:
    returned_after_its_time(chat)

    reopened = chat.say("admin", "/approve 1 下周六上午9点")

    assert "下周六上午9点（12月12日 周六 09:00）" in reopened.to("m4")[0]
    assert order(chat, 1).status == "open"
    assert "改期至 下周六上午9点" in chat.say("admin", "/order 1").to("admin")[0]


def test_a_new_time_already_gone_is_refused(chat: Chat) -> None:
    returned_after_its_time(chat)
    assert "已经过去了" in chat.say("admin", "/approve 1 便民服务 今天早上7点").to("admin")[0]
    assert order(chat, 1).status == "returned"


def test_a_new_time_that_names_no_time_is_refused(chat: Chat) -> None:
    returned_after_its_time(chat)
    assert "没看懂时间" in chat.say("admin", "/approve 1 便民服务 改天吧").to("admin")[0]


def test_a_mistyped_duty_before_a_time_is_named_not_read_as_the_time(chat: Chat) -> None:
    returned_after_its_time(chat)
    assert chat.say("admin", "/approve 1 便民服 下周六上午9点").to("admin")[0].startswith(
        "没有「便民服」这个类别。")
    assert order(chat, 1).status == "returned"
