"""Two topics in one group message: the need wins over the thanks or the notice before it."""

from __future__ import annotations

from tests.chat import Chat

THANKS_THEN_RUBBISH = "上周的义诊真不错，谢谢社区！可是我们楼下的垃圾三天没人收了"


def test_a_thank_you_followed_by_a_problem_is_filed(chat: Chat) -> None:
    chat.say("admin", "/bind 幸福里社区", group="g1")

    filed = chat.say("zhang", THANKS_THEN_RUBBISH, group="g1")

    assert "环境保洁" in filed.pop(group="g1")
    assert "#1" in filed.pop("admin")
    filed.nothing_else()


def test_a_thank_you_alone_is_left_alone(chat: Chat) -> None:
    chat.say("admin", "/bind 幸福里社区", group="g1")

    assert not chat.say("zhang", "上周的义诊真不错，谢谢社区和志愿者！", group="g1")
