"""Star level and rank come from the points earned this year, never from the balance: what a
member spends in the points supermarket (积分超市) is theirs to spend."""

from __future__ import annotations

from datetime import UTC, datetime

from handlers.context import Context
from handlers.jobs.sweeps import run_due, sweep_named
from handlers.ledger import points
from storage.db import transaction
from tests.chat import POLICY, Chat

M1, M4 = 1, 4  # the demo's 李明 (m1) and 刘洋 (m4)


def grant(chat: Chat, member_id: int, delta: int, reason: str = "service",
          at: datetime | None = None) -> None:
    with transaction(chat.engine) as session:
        points.add(Context(session, POLICY, at or chat.clock.now()), member_id, delta, reason)


def points_line(chat: Chat, user: str) -> str:
    shown = chat.say(user, "/me").to(user)[0]
    return next(line for line in shown.splitlines() if line.startswith("积分："))


def test_redeeming_keeps_the_star_level_and_the_rank(chat: Chat) -> None:
    run_due(chat.engine, POLICY, chat.clock.now(), (sweep_named("points_year_base"),))
    grant(chat, M4, 40)  # 80 + 40 = 120: 一星, first
    grant(chat, M1, 10)  # 90: second
    chat.say("admin", "兑换 刘洋 100 电饭煲")
    assert points_line(chat, "m4") == ("积分：今年获得 120 分（一星志愿者），社区排名第 1 / 6；"
                                       "可用余额 20 分")
    assert points_line(chat, "m1") == ("积分：今年获得 90 分（暂未评星），社区排名第 2 / 6；"
                                       "可用余额 90 分")


def test_a_deduction_lowers_what_was_earned(chat: Chat) -> None:
    run_due(chat.engine, POLICY, chat.clock.now(), (sweep_named("points_year_base"),))
    grant(chat, M4, 40)
    grant(chat, M4, -30, "no_show")
    assert points_line(chat, "m4").startswith("积分：今年获得 90 分（暂未评星）")


def test_last_years_points_count_for_last_year_only(chat: Chat) -> None:
    grant(chat, M4, 900, at=datetime(2025, 6, 1, tzinfo=UTC))
    run_due(chat.engine, POLICY, chat.clock.now(), (sweep_named("points_year_base"),))
    assert points_line(chat, "m4") == ("积分：今年获得 80 分（暂未评星），社区排名第 1 / 6；"
                                       "可用余额 80 分")
