"""The interactive console's little language and how it shows what people receive."""

from __future__ import annotations

import re
from datetime import UTC, datetime

import pytest

from bot.channels.console import incoming_from_json, outgoing_to_json, parse_typed, render
from handlers.messages import Button, Location, Outgoing


@pytest.mark.parametrize(("line", "expected"), [
    pytest.param("@张阿姨 3栋楼道灯坏了", {"from": "张阿姨", "text": "3栋楼道灯坏了"},
                 id="private"),
    pytest.param("@张阿姨 #楼栋群 收到", {"from": "张阿姨", "chat": "楼栋群", "text": "收到"},
                 id="group"),
    pytest.param("@m1 !press accept:3", {"from": "m1", "press": "accept:3"}, id="button"),
    pytest.param("@m1 !loc 31.2,121.4", {"from": "m1", "location": {"lat": "31.2",
                                                                      "lon": "121.4"}},
                 id="location"),
    pytest.param("@m1 !photo a.jpg", {"from": "m1", "photo": "a.jpg"}, id="photo"),
    pytest.param("hello", None, id="no-persona"),
])
def test_typed_lines(line: str, expected: dict | None) -> None:
    assert parse_typed(line) == expected


def test_a_typed_location_becomes_a_location() -> None:
    incoming = incoming_from_json(parse_typed("@m1 !loc 31.2,121.4"))
    assert (incoming.location, incoming.is_group, incoming.chat_id) == (
        Location(31.2, 121.4), False, "m1")


def test_a_bad_location_is_a_clear_error() -> None:
    with pytest.raises(ValueError, match="location"):
        incoming_from_json({"from": "m1", "location": {"lat": "north"}})


def test_render_shows_target_text_and_buttons() -> None:
    shown = render(Outgoing("console", "吹哨\n第二行", to_chat="g1",
                            buttons=(Button("接单", "accept:1"),)))
    assert shown == "→ #g1:\n    吹哨\n    第二行  [接单 → !press accept:1]"


@pytest.mark.parametrize(("line", "complaint"), [
    pytest.param([1, 2], "JSON object", id="array"),
    pytest.param({"from": 7, "text": "hi"}, '"from" must be a string', id="numeric-from"),
    pytest.param({"from": "m1", "press": {"a": 1}}, '"press" must be a string', id="press-dict"),
    pytest.param({"from": "m1", "text": ["a"]}, '"text" must be a string', id="text-list"),
    pytest.param({"from": "m1", "chat": ["g"]}, '"chat" must be', id="chat-list"),
    pytest.param({"from": "m1", "chat": ""}, '"chat" must be', id="chat-empty"),
    pytest.param({"from": "m1", "location": {"lat": "nan", "lon": "inf"}}, '"location"',
                 id="not-a-number"),
    pytest.param({"from": "m1", "location": {"lat": 91, "lon": 0}}, '"location"',
                 id="off-the-globe"),
])
def test_odd_json_is_refused_with_a_reason(line: object, complaint: str) -> None:
    with pytest.raises(ValueError, match=re.escape(complaint)):
        incoming_from_json(line)


def test_a_numeric_chat_id_is_a_group() -> None:
    incoming = incoming_from_json({"from": "m1", "chat": -1001, "text": "收到\x00"})
    assert (incoming.chat_id, incoming.is_group, incoming.text) == ("-1001", True, "收到")


def test_the_interactive_console_moves_the_clock_and_runs_the_jobs(
        sqlite_engine, settings, monkeypatch, capsys) -> None:
    from bot.channels.console import ConsoleChannel
    from bot.clock import Clock
    from bot.demo import seed
    from bot.interactive import interact

    clock = Clock(datetime(2026, 11, 23, 1, 0, tzinfo=UTC))
    seed(sqlite_engine, clock.now(), "Asia/Shanghai")
    typed = iter(["@张阿姨 3栋2单元楼道灯坏了，麻烦来修一下", "@admin /approve 1",
                  "!clock 2026-11-26T10:00+08:00", "!jobs", "!jobs", "!clock 明天", ""])
    monkeypatch.setattr("builtins.input", lambda _prompt: next(typed))

    interact(ConsoleChannel(sqlite_engine, settings, clock), seeded=False)

    out = capsys.readouterr().out
    assert clock.now() == datetime(2026, 11, 26, 2, 0, tzinfo=UTC)
    assert out.count("吹哨期满") == 1
    assert "（没有到点的任务）" in out
    assert "时间格式例如" in out


def test_a_sent_file_is_shown_in_both_console_forms() -> None:
    chart = Outgoing("console", "每周简报", to_chat="楼栋群", attachment="media/charts/d.png")
    assert outgoing_to_json(chart) == {"to_chat": "楼栋群", "to_user": None,
                                       "text": "每周简报", "buttons": [],
                                       "attachment": "media/charts/d.png"}
    assert render(chart) == "→ #楼栋群:\n    每周简报\n    📎 media/charts/d.png"
    assert "attachment" not in outgoing_to_json(Outgoing("console", "好", to_user="m1"))
