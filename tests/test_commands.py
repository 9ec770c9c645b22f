"""Command recognition and the settings that become the workflow's rules."""

from __future__ import annotations

from datetime import timedelta

import pytest

from bot.settings import Settings
from handlers.chat.commands import COMMANDS


@pytest.mark.parametrize(("text", "expected"), [
    pytest.param("/approve@WhistleBot 12 环境保洁", ("approve", ["12", "环境保洁"], True),
                 id="telegram-group-form"),
    pytest.param("通过 12", ("approve", ["12"], False), id="chinese-alias"),
    pytest.param("/通过 12", ("approve", ["12"], True), id="slash-alias"),
    pytest.param("/nonsense 1", (None, ["1"], True), id="unknown-slash"),
])
def test_commands_are_recognised(text: str, expected: tuple) -> None:
    call = COMMANDS.parse(text)
    assert (call.command.name if call.command else None, call.args, call.slash) == expected


@pytest.mark.parametrize("text", [
    pytest.param("3栋楼道灯坏了 通过", id="alias-not-first"),
    pytest.param("approve 12", id="bare-latin-name"),
    pytest.param("  ", id="blank"),
])
def test_free_text_is_not_a_command(text: str) -> None:
    assert COMMANDS.parse(text) is None


def test_whistle_variables_become_the_workflows_rules(monkeypatch) -> None:
    monkeypatch.setenv("WHISTLE_CLAIM_WINDOW_HOURS", "1")
    monkeypatch.setenv("WHISTLE_CHECKIN_RADIUS_M", "200")
    policy = Settings(_env_file=None).policy()
    assert (policy.claim_window, policy.checkin_radius_m) == (timedelta(hours=1), 200)
    assert policy.rating_window == timedelta(hours=24)


def test_a_new_group_is_asked_to_bind_and_a_bound_one_gets_the_guide(chat) -> None:
    unbound = chat.say("zhang", "/start", group="新群")
    chat.say("admin", "/bind 幸福里社区", group="新群")
    bound = chat.say("zhang", "/start", group="新群")

    assert "/bind 社区名称" in unbound.in_group("新群")[0]
    assert "/bind 社区名称" not in bound.in_group("新群")[0]
