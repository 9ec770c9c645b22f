"""A resident withdraws their own need while nobody has arrived, after saying yes; the
members who accepted are told. An admin's /cancel stays as it was."""

from __future__ import annotations

from sqlmodel import select

from storage.db import transaction
from storage.models import Order, OrderHistory
from tests.chat import Chat

NEED = "5栋门口的垃圾三天没人清运了，臭得不行，请社区派人处理"


def status(chat: Chat, number: int = 1) -> str:
    with transaction(chat.engine) as session:
        return session.get_one(Order, number).status


def accepted(chat: Chat) -> None:
    chat.say("zhang", NEED)
    chat.say("admin", "/approve 1 sanitation")
    chat.say("m1", "/accept 1")


def test_cancel_asks_then_a_press_withdraws_and_the_member_is_told(chat: Chat) -> None:
    accepted(chat)
    asked = chat.say("zhang", "/cancel 1")
    assert "确定撤回诉求 #1 吗" in asked.to("zhang")[0]
    assert asked.buttons_for("zhang") == ["withdraw:1"]
    assert status(chat) == "claimed"
    done = chat.press("zhang", "withdraw:1")
    assert status(chat) == "cancelled"
    assert done.to("m1") == ["居民已撤回诉求 #1，不用前往了，感谢您的热心！"]
    assert any("已撤回" in text for text in done.to("zhang"))
    with transaction(chat.engine) as session:
        last = session.exec(select(OrderHistory).order_by(OrderHistory.id.desc())).first()
    assert (last.to_status, last.reason) == ("cancelled", "居民撤回诉求")


def test_natural_words_ask_and_yes_withdraws(chat: Chat) -> None:
    accepted(chat)
    assert "确定撤回诉求 #1 吗" in chat.say("zhang", "不用来了，我自己解决了").to("zhang")[0]
    chat.say("zhang", "是")
    assert status(chat) == "cancelled"


def test_no_keeps_the_need(chat: Chat) -> None:
    accepted(chat)
    chat.say("zhang", "取消 1")
    assert "继续为您安排" in chat.say("zhang", "否").to("zhang")[0]
    assert status(chat) == "claimed"
    assert chat.say("zhang", "是").to("zhang") != []  # no longer an answer to anything
    assert status(chat) == "claimed"


def test_once_a_member_arrived_it_cannot_be_withdrawn(chat: Chat) -> None:
    accepted(chat)
    chat.say("m1", "/checkin 1")
    refused = chat.say("zhang", "/cancel 1").to("zhang")[0]
    assert "不能撤回" in refused
    assert chat.press("zhang", "withdraw:1").to("zhang")[0].count("不能撤回") == 1
    assert status(chat) == "in_progress"


def test_someone_elses_need_is_not_found(chat: Chat) -> None:
    accepted(chat)
    assert chat.say("li", "/cancel 1").to("li") == ["没有找到您提交的诉求 #1。"]
    assert chat.press("li", "withdraw:1").to("li") == ["没有找到您提交的诉求 #1。"]
    assert chat.say("li", "/cancel 99").to("li") == ["没有找到您提交的诉求 #99。"]
    assert status(chat) == "claimed"


def test_an_admins_cancel_needs_a_reason_and_asks_nothing(chat: Chat) -> None:
    accepted(chat)
    assert "理由" in chat.say("admin", "/cancel 1").to("admin")[0]
    cancelled = chat.say("admin", "/cancel 1 居民已搬走")
    assert cancelled.to("admin") == ["工单 #1 已取消。"]
    assert cancelled.to("m1") == ["工单 #1 已取消。原因：居民已搬走"]
    assert status(chat) == "cancelled"
