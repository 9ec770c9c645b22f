"""Whatever anyone types, the bot answers or stays silent; it never crashes."""

from __future__ import annotations

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.chat import Chat

WORDS = ["/approve", "/reject", "/accept", "/done", "/rate", "/whistle", "/register", "接单",
         "完成", "评价", "通过", "我来", "1", "#1", "99", "sanitation", "环境保洁", "垃圾",
         "请", "坏了", "", " ", "🙂", "\n", "0", "-1", "99999999999999999999"]
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
