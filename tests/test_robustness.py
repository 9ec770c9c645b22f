"""Whatever anyone types, the bot answers or stays silent; it never crashes."""

from __future__ import annotations

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from handlers.messages import Incoming
from tests.chat import Chat

WORDS = ["/approve", "/reject", "/accept", "/done", "/rate", "/whistle", "/register", "接单",
         "完成", "评价", "通过", "我来", "1", "#1", "99", "sanitation", "环境保洁", "垃圾",
         "请", "坏了", "", " ", "🙂", "\n", "0", "-1", "99999999999999999999", "²", "١",
         "/assign", "/recat", "/cancel", "/orders", "/bind", "刘洋", "m4", "/checkin", "退出"]
PEOPLE = ["admin", "m1", "m2", "zhang"]

typed = st.lists(st.sampled_from(WORDS), max_size=5).map(" ".join) | st.text(max_size=200)


@settings(max_examples=60, deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(user=st.sampled_from(PEOPLE), text=typed, in_group=st.booleans())
def test_any_text_from_anyone_is_handled(chat: Chat, user: str, text: str,
                                         in_group: bool) -> None:
    inbox = chat.say(user, text, group="g1" if in_group else None)
    assert all(message.text for message in inbox.messages)


@settings(max_examples=30, deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(data=st.text(max_size=64))
def test_any_button_data_is_handled(chat: Chat, data: str) -> None:
    inbox = chat.press("m1", data or "x")
    assert all(message.text for message in inbox.messages)


def test_long_names_and_texts_fit_the_columns(chat_on_each_database: Chat) -> None:
    chat = chat_on_each_database  # PostgreSQL enforces column widths; SQLite does not
    chat.say("admin", "/bind 幸福里社区", group="g1")
    chat.channel.push(Incoming("console", "g1", "x" * 128, "5栋门口垃圾没人清运，请处理",
                               is_group=True, display_name="名" * 300))
    assert "活动内容" in chat.say("admin", "/whistle safety 3 " + "明天" * 60 + " 巡逻").to(
        "admin")[0]
    assert "1000 字以内" in chat.say("zhang", "/need " + "很臭" * 600).to("zhang")[0]
    rejected = chat.say("admin", "/reject 1 " + "理由" * 99)
    assert rejected.to("admin") == ["工单 #1 已驳回，已告知居民。"]
