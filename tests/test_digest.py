"""The weekly digest: its numbers, its chart, and one post per group per week."""

from __future__ import annotations

import sys
import warnings
from datetime import UTC, datetime, timedelta

import pytest
from matplotlib import font_manager

from handlers.jobs.digest import week_to_post
from handlers.jobs.sweeps import SWEEPS, run_due
from handlers.reports.chart_drawing import FONT_FILE, cjk_font, draw_weekly_chart
from handlers.reports.charts import WeeklyChart, draw
from tests.chat import Chat

NEED = "5栋门口的垃圾三天没人清运了，臭得不行，请社区派人处理"
PNG = b"\x89PNG\r\n\x1a\n"
NEXT_MONDAY_0930 = datetime(2026, 11, 30, 1, 30, tzinfo=UTC)  # 09:30 in Shanghai


@pytest.fixture
def week(chat_on_each_database: Chat) -> Chat:
    """The week on SQLite and PostgreSQL: for the digest's queries."""
    return play_week(chat_on_each_database)


@pytest.fixture
def chat_week(chat: Chat) -> Chat:
    """The week once: for when the digest is posted, which does not depend on the database."""
    return play_week(chat)


def play_week(chat: Chat) -> Chat:
    """A week in a community with group g1: a need answered in 2 h, an event, three services."""
    chat.say("admin", "/bind 幸福里社区", group="g1")
    chat.say("zhang", NEED)
    chat.advance(hours=2)
    chat.say("admin", "/approve 1 sanitation")
    chat.press("m1", "accept:1")
    chat.say("admin", "/whistle 环境保洁 2 周一上午 小区大扫除")
    chat.press("m4", "accept:2")
    chat.press("m6", "accept:2")
    for member, order in (("m1", 1), ("m4", 2), ("m6", 2)):
        chat.say(member, f"/checkin {order}")
    chat.advance(hours=2)
    chat.say("m1", "/done 1")
    chat.say("m6", "/done 2")
    chat.advance(hours=1)
    chat.say("m4", "/done 2")
    chat.press("zhang", "rate:1:5")
    return chat


def sweep(chat: Chat, now: datetime) -> list:
    """Run every due sweep at ``now``; the digests the groups received."""
    chat.clock.set(now)
    run_due(chat.engine, chat.channel.policy, now)
    return [m for m in chat.channel.flush() if m.to_chat and "每周简报" in m.text]


def test_the_digest_is_posted_once_a_week_in_each_group(week: Chat) -> None:
    assert "weekly_digest" in [s.name for s in SWEEPS]
    assert sweep(week, NEXT_MONDAY_0930 - timedelta(hours=2)) == []  # before 09:00
    (posted,) = sweep(week, NEXT_MONDAY_0930)
    assert posted.to_chat == "g1"
    assert posted.text.splitlines() == [
        "【幸福里社区·每周简报】11月23日—11月29日",
        "新工单 2 件，办结 2 件；党员服务 3 人次，共 7.0 小时。",
        "响应速度：从提交到党员接单，中位 1.0 小时，平均 1.0 小时。",
        "本周报到之星：刘洋（3.0 小时）、李明（2.0 小时）、赵强（2.0 小时）",
    ]
    with open(posted.attachment, "rb") as chart:
        assert chart.read(8) == PNG
    assert sweep(week, NEXT_MONDAY_0930) == []
    assert sweep(week, NEXT_MONDAY_0930 + timedelta(days=3)) == []  # a restart mid-week


def test_a_digest_missed_on_monday_is_posted_on_restart(chat_week: Chat) -> None:
    assert len(sweep(chat_week, NEXT_MONDAY_0930 + timedelta(days=2))) == 1


def test_a_quiet_week_posts_nothing(chat_week: Chat) -> None:
    assert sweep(chat_week, NEXT_MONDAY_0930 + timedelta(days=7)) == []


@pytest.mark.parametrize(("local", "monday"), [
    pytest.param("2026-11-30T09:00", "2026-11-23", id="monday-at-nine"),
    pytest.param("2026-11-30T08:59", "2026-11-16", id="monday-before-nine"),
    pytest.param("2026-12-06T23:59", "2026-11-23", id="sunday-night"),
])
def test_the_digest_covers_the_week_before_the_posting_time(local: str, monday: str) -> None:
    now = datetime.fromisoformat(local + "+08:00")
    assert str(week_to_post(now, "Asia/Shanghai", 0, 9).monday) == monday


def test_the_chart_renders_chinese_with_the_shipped_font(tmp_path) -> None:
    found = font_manager.findfont(font_manager.FontProperties(family=cjk_font()),
                                  fallback_to_default=False)
    assert found == str(FONT_FILE)
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        path = draw_weekly_chart(tmp_path / "c.png", "幸福里社区 每日工单",
                                 list("一二三四五六日"), [1, 0, 2, 0, 0, 3, 1],
                                 [0, 1, 1, 0, 2, 0, 0])
    assert [str(w.message) for w in caught if "Glyph" in str(w.message)] == []
    assert path.read_bytes()[:8] == PNG


def test_the_charts_are_drawn_in_a_child_process(tmp_path) -> None:
    draw([WeeklyChart(tmp_path / f"{n}.png", "每日工单", list("一二三四五六日"), [n] * 7, [0] * 7)
          for n in (1, 2)])

    assert [(tmp_path / f"{n}.png").read_bytes()[:8] for n in (1, 2)] == [PNG, PNG]


def test_a_chart_that_cannot_be_drawn_leaves_the_digest_without_it(
        chat_week: Chat, monkeypatch) -> None:
    monkeypatch.setattr("handlers.reports.charts.DRAW",
                        [sys.executable, "-c", "raise SystemExit(3)"])

    (posted,) = sweep(chat_week, NEXT_MONDAY_0930)

    assert (posted.attachment, posted.text.startswith("【幸福里社区·每周简报】")) == (None, True)
