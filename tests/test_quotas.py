"""Quotas and warnings: quarter arithmetic, nudges, yellow then red lights, /warnings, /quota."""

from __future__ import annotations

from datetime import UTC, datetime
from zoneinfo import ZoneInfo

import pytest
from sqlmodel import select

from handlers.jobs.sweeps import SWEEPS, run_due
from handlers.ledger import quarters
from handlers.messages import Outgoing
from storage.db import transaction
from storage.ledger import MemberWarning
from storage.models import Community, Member
from tests.chat import POLICY, Chat

SHANGHAI = "Asia/Shanghai"
NEED = "5栋门口的垃圾三天没人清运了，臭得不行，请社区派人处理"
QUOTA_SWEEPS = tuple(s for s in SWEEPS if s.name.startswith("quota_"))


def at(*when: int) -> datetime:
    """A Shanghai wall-clock time as UTC (UTC+8, no daylight saving)."""
    return datetime(*when, tzinfo=ZoneInfo(SHANGHAI)).astimezone(UTC)


def sweep(chat: Chat, when: datetime) -> list[Outgoing]:
    """Move the clock, run the quota sweeps, and return what they sent."""
    chat.clock.set(when)
    run_due(chat.engine, POLICY, when, QUOTA_SWEEPS)
    return chat.channel.flush()


def texts(sent: list[Outgoing], user: str) -> list[str]:
    return [m.text for m in sent if m.to_user == user]


def lights(chat: Chat) -> dict[tuple[int, str], str]:
    with transaction(chat.engine) as session:
        rows = session.exec(select(MemberWarning)).all()
    return {(w.member_id, w.period): w.level for w in rows}


def serve_event(chat: Chat, member: str, duty: str, hours: float) -> None:
    """An event the community whistles, served by ``member`` for ``hours``."""
    number = chat.say("admin", f"/whistle {duty} 1 周六 社区志愿服务活动").to("admin")[0]
    order = number.rsplit("#", 1)[1].rstrip("。")
    chat.say(member, f"/accept {order}")
    chat.say(member, f"/checkin {order}")
    chat.advance(hours=hours)
    chat.say(member, f"/done {order}")


@pytest.mark.parametrize(("when", "expected"), [
    (datetime(2026, 12, 31, 15, 59, tzinfo=UTC), (2026, 4)),
    (datetime(2026, 12, 31, 16, 0, tzinfo=UTC), (2027, 1)),  # midnight in Shanghai
    (datetime(2027, 6, 30, 12, 0, tzinfo=UTC), (2027, 2)),
])
def test_quarters_are_in_the_communitys_zone(when: datetime, expected: tuple) -> None:
    assert quarters.quarter_of(when, SHANGHAI) == expected


def test_quarter_arithmetic_wraps_years() -> None:
    assert (quarters.shift((2026, 4), 1), quarters.shift((2027, 1), -1)) == ((2027, 1), (2026, 4))
    assert quarters.period((2026, 4)) == "2026Q4"
    assert quarters.start_of((2027, 2), SHANGHAI) == datetime(2027, 3, 31, 16, tzinfo=UTC)


def test_two_quarters_nudges_then_a_yellow_then_a_red_light(chat: Chat) -> None:
    """Demo members registered in 2026Q4 are held to 2027Q1 and 2027Q2."""
    chat.clock.set(at(2027, 3, 1, 9))
    serve_event(chat, "m1", "环境保洁", hours=6)  # Q1: 1 service, 6 h of the 5 due
    chat.say("zhang", NEED)
    chat.say("admin", "/approve 2 sanitation")  # an open order for the nudges to list
    assert sweep(chat, at(2027, 3, 17, 23)) == []  # more than two weeks left

    assert sweep(chat, at(2027, 3, 18, 0, 30)) == []  # nobody is nudged at midnight
    nudged = sweep(chat, at(2027, 3, 18, 9))
    assert {m.to_user for m in nudged} == {"m2", "m3", "m4", "m5", "m6"}
    assert "#2【待接单】环境保洁" in texts(nudged, "m4")[0]
    assert "暂时没有" in texts(nudged, "m2")[0]  # no open order of m2's duties
    assert sweep(chat, at(2027, 3, 20, 9)) == []  # one nudge a quarter

    assert sweep(chat, at(2027, 3, 31, 23, 59)) == []
    assert sweep(chat, at(2027, 4, 1, 0, 5)) == []  # judged in the morning, not at midnight
    yellow = sweep(chat, at(2027, 4, 1, 9, 5))
    assert "亮黄灯" in texts(yellow, "m2")[0]
    assert texts(yellow, "m1") == []
    assert texts(yellow, "admin") == [
        "2027Q1 季度考核：新亮黄灯 5 人、红灯 0 人，发送 /warnings 查看名单。"]
    assert sweep(chat, at(2027, 4, 1, 10, 5)) == []

    chat.clock.set(at(2027, 5, 1, 9))
    serve_event(chat, "m2", "便民服务", hours=10)  # Q2: 1 service, 10 h of the 10 due
    red = sweep(chat, at(2027, 7, 1, 9, 5))
    assert "亮红灯" in texts(red, "m3")[0]
    assert "工作单位" in texts(red, "m3")[0]
    assert "亮黄灯" in texts(red, "m1")[0]  # no service in Q2: m1's first miss
    assert texts(red, "m2") == []
    assert sweep(chat, at(2027, 7, 1, 10, 5)) == []
    assert lights(chat) == {
        **{(m, "2027Q1"): "yellow" for m in (2, 3, 4, 5, 6)},
        (1, "2027Q2"): "yellow", **{(m, "2027Q2"): "red" for m in (3, 4, 5, 6)},
    }

    assert chat.say("admin", "/warnings").to("admin")[0].splitlines() == [
        "2027Q2 季度考核预警（5 人）：", "🔴 红灯　王芳（区人民法院）",
        "🔴 红灯　刘洋（区供电公司）", "🔴 红灯　陈静（区教育局）",
        "🔴 红灯　赵强（街道城管中队）", "🟡 黄灯　李明（区税务局）"]
    assert "2027Q1 季度考核预警（5 人）" in chat.say("admin", "预警 2027q1").to("admin")[0]
    assert "只有本社区的管理员" in chat.say("m1", "/warnings").to("m1")[0]
    assert "不是季度" in chat.say("admin", "/warnings 上季度").to("admin")[0]


def test_members_who_joined_during_the_quarter_are_not_held_to_it(chat: Chat) -> None:
    assert sweep(chat, at(2027, 1, 1, 9, 5)) == []  # the demo members joined in 2026Q4
    assert lights(chat) == {}


def test_a_communitys_own_quota_overrides_the_default(chat: Chat) -> None:
    assert chat.say("admin", "/quota").to("admin") == [
        "幸福里社区的考核指标：每季度至少服务 1 次，全年至少服务 20 小时。"]
    assert "至少服务 0 次，全年至少服务 0 小时" in chat.say("admin", "/quota 0 0").to("admin")[0]
    assert "用法" in chat.say("admin", "/quota 1").to("admin")[0]
    assert sweep(chat, at(2027, 3, 20, 9)) == []
    assert sweep(chat, at(2027, 4, 1, 9, 5)) == []
    with transaction(chat.engine) as session:
        community = session.exec(select(Community)).one()
    assert (community.quota_services, community.quota_hours) == (0, 0.0)


def test_the_same_sweeps_on_postgresql_light_once(chat_on_each_database: Chat) -> None:
    chat = chat_on_each_database
    sweep(chat, at(2027, 3, 20, 9))
    sweep(chat, at(2027, 3, 20, 9))
    sweep(chat, at(2027, 4, 1, 9, 5))
    sweep(chat, at(2027, 4, 1, 9, 5))
    assert set(lights(chat).values()) == {"yellow"}
    assert len(lights(chat)) == 6


def test_a_quarter_ending_while_the_bot_was_down_is_told_once_it_is_morning(chat: Chat) -> None:
    assert sweep(chat, at(2027, 3, 31, 21, 30)) == []  # the last evening: too late to nudge
    assert sweep(chat, at(2027, 4, 1, 8, 59)) == []
    assert "亮黄灯" in texts(sweep(chat, at(2027, 4, 2, 14)), "m1")[0]


def test_a_raised_quota_nudges_whoever_it_leaves_short_after_a_finished_pass(
        chat: Chat) -> None:
    """The pass a quarter is recorded (a re-run is cheap), but a new quota is a new pass."""
    chat.clock.set(at(2027, 3, 1, 9))
    serve_event(chat, "m1", "环境保洁", hours=6)  # meets 1 service and 5 hours
    assert "m1" not in {m.to_user for m in sweep(chat, at(2027, 3, 18, 9))}
    assert sweep(chat, at(2027, 3, 19, 9)) == []
    chat.say("admin", "/quota 2 20")
    assert {m.to_user for m in sweep(chat, at(2027, 3, 20, 9))} == {"m1"}


def on_roll(chat: Chat, name: str, active: bool) -> None:
    with transaction(chat.engine) as session:
        session.exec(select(Member).where(Member.name == name)).one().active = active


def test_a_member_back_on_the_roll_is_nudged_though_another_left_meanwhile(
        chat: Chat) -> None:
    """The finished pass names who was held to the quota, not just how many."""
    on_roll(chat, "王芳", False)  # m3
    assert {m.to_user for m in sweep(chat, at(2027, 3, 18, 9))} == {
        "m1", "m2", "m4", "m5", "m6"}
    on_roll(chat, "王芳", True)
    on_roll(chat, "张伟", False)  # m2: as many held to it as before, the highest id the same
    assert {m.to_user for m in sweep(chat, at(2027, 3, 19, 9))} == {"m3"}


def test_a_redone_pass_lights_and_counts_only_who_was_not_lit(chat: Chat) -> None:
    """A member back on the roll makes a new pass over the whole community: those lit
    already are neither told again nor counted again to the admins, only the one lit now.
    (The write decides it, not the read: the read no longer leaves out those lit.)"""
    on_roll(chat, "王芳", False)  # m3
    first = sweep(chat, at(2027, 4, 1, 9, 5))
    assert {m.to_user for m in first} == {"m1", "m2", "m4", "m5", "m6", "admin"}
    on_roll(chat, "王芳", True)
    again = sweep(chat, at(2027, 4, 1, 10, 5))
    assert {m.to_user for m in again} == {"m3", "admin"}
    assert texts(again, "admin") == [
        "2027Q1 季度考核：新亮黄灯 1 人、红灯 0 人，发送 /warnings 查看名单。"]
    assert len(lights(chat)) == 6
