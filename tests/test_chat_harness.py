"""The chat harness's own rules: a test that demands "and nothing else" fails on a stray
message, so the helpers themselves must fail when one is there."""

from __future__ import annotations

import pytest

from handlers.messages import Outgoing
from tests.chat import Chat, Inbox


def inbox(*messages: tuple[str, str]) -> Inbox:
    """An inbox of (``@user`` or ``#group``, text) pairs."""
    return Inbox([Outgoing("console", text, to_user=where[1:]) if where.startswith("@")
                  else Outgoing("console", text, to_chat=where[1:]) for where, text in messages])


def test_pop_takes_the_replies_in_order_and_then_nothing_else_passes() -> None:
    sent = inbox(("@admin", "一"), ("#g1", "群"), ("@admin", "二"))

    taken = [sent.pop("admin"), sent.pop(group="g1"), sent.pop("admin")]

    assert taken == ["一", "群", "二"]
    sent.nothing_else()


def test_nothing_else_fails_on_a_message_left_unread() -> None:
    sent = inbox(("@admin", "工单 #1 已通过"), ("@m3", "多余的通知"))
    sent.pop("admin")

    with pytest.raises(AssertionError, match="@m3 '多余的通知'"):
        sent.nothing_else()


def test_pop_fails_when_nothing_more_went_there() -> None:
    sent = inbox(("@admin", "一"))
    sent.pop("admin")

    with pytest.raises(AssertionError, match="nothing \\(more\\) for @admin"):
        sent.pop("admin")


def test_only_fails_on_a_message_to_someone_else() -> None:
    sent = inbox(("@zhang", "已受理"), ("#g1", "吹哨"))

    with pytest.raises(AssertionError, match="#g1 '吹哨'"):
        sent.only("zhang")


def test_only_fails_when_the_one_named_got_nothing() -> None:
    with pytest.raises(AssertionError, match="nothing for #g1"):
        inbox(("@zhang", "已受理")).only("zhang", group="g1")


def test_only_takes_a_user_and_a_group_together() -> None:
    sent = inbox(("@zhang", "已受理"), ("#g1", "吹哨"))

    assert sent.only("zhang", group="g1") == ["已受理", "吹哨"]


def test_pop_all_leaves_the_others_unread() -> None:
    sent = inbox(("@m1", "一"), ("@m2", "二"), ("@m1", "三"))

    assert sent.pop_all("m1") == ["一", "三"]
    with pytest.raises(AssertionError, match="@m2 '二'"):
        sent.nothing_else()


def test_reading_does_not_take() -> None:
    sent = inbox(("@m1", "一"))

    assert sent.to("m1") == ["一"]
    with pytest.raises(AssertionError, match="@m1"):
        sent.nothing_else()


def test_a_recipient_is_a_user_or_a_group_not_both_nor_neither() -> None:
    sent = inbox(("@m1", "一"))

    with pytest.raises(TypeError, match="either a user or a group"):
        sent.pop("m1", group="g1")
    with pytest.raises(TypeError, match="a user, a group or both"):
        sent.only()


def test_a_real_whistle_left_half_read_fails(chat: Chat) -> None:
    chat.say("zhang", "5栋门口的垃圾三天没人清运了，臭得不行，请社区派人处理")
    approved = chat.say("admin", "/approve 1 sanitation")
    approved.pop("admin")
    approved.pop("zhang")

    with pytest.raises(AssertionError, match="@m1 '【吹哨】工单 #1"):
        approved.nothing_else()
