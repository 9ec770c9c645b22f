"""Points (积分): each rule writes its ledger entry; balances are sums; redemption; levels."""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor
from datetime import UTC, datetime, timedelta

import pytest
from pydantic import ValidationError
from sqlmodel import select

from bot.demo import seed
from bot.settings import Settings
from handlers.context import Context
from handlers.errors import WorkflowError
from handlers.jobs.sweeps import SWEEPS, run_due, sweep_named
from handlers.ledger import points
from handlers.orders import no_show
from storage.db import transaction
from storage.ledger import PointEntry
from storage.models import Acceptance, Member, Order
from tests.chat import NEED, POLICY, Chat, serve

M1, M4 = 1, 4  # the demo's 李明 (m1) and 刘洋 (m4)


def ledger(chat: Chat, reason: str | None = None) -> list[tuple[int, int, str]]:
    """(member, delta, reason) of every entry, oldest first (year base left out)."""
    with transaction(chat.engine) as session:
        rows = session.exec(select(PointEntry).order_by(PointEntry.id)).all()
    return [(r.member_id, r.delta, r.reason) for r in rows
            if r.reason != "year_base" and reason in (None, r.reason)]


def test_a_completed_service_earns_points_per_service_and_per_hour(chat: Chat) -> None:
    serve(chat, hours=2.5)
    assert ledger(chat) == [(M1, 5, "service"), (M1, 5, "hours")]


@pytest.mark.parametrize(("stars", "expected"), [
    pytest.param(5, [(M1, 5, "five_star")], id="five-star-bonus"),
    pytest.param(4, [], id="four-stars-nothing"),
    pytest.param(2, [(M1, -5, "low_rating")], id="two-stars-deduction"),
    pytest.param(1, [(M1, -5, "low_rating")], id="one-star-deduction"),
])
def test_a_rating_adds_a_bonus_or_a_deduction(chat: Chat, stars: int, expected: list) -> None:
    serve(chat)
    chat.press("zhang", f"rate:1:{stars}")
    assert ledger(chat)[2:] == expected


def test_the_balance_is_the_sum_of_the_ledger(chat: Chat) -> None:
    serve(chat, hours=3)
    chat.press("zhang", "rate:1:5")
    run_due(chat.engine, POLICY, chat.clock.now(), (sweep_named("points_year_base"),))
    with transaction(chat.engine) as session:
        assert points.balance(session, M1) == 80 + 5 + 6 + 5
        assert points.balance(session, M4) == 80


def test_the_year_base_is_granted_once_a_year(chat: Chat) -> None:
    year_base = (sweep_named("points_year_base"),)
    for _ in range(2):
        run_due(chat.engine, POLICY, chat.clock.now(), year_base)
    run_due(chat.engine, POLICY, datetime(2026, 12, 31, 15, 59, tzinfo=UTC), year_base)
    with transaction(chat.engine) as session:
        assert points.balance(session, M1) == 80
    # Midnight in Shanghai on New Year's Day is the new year, hours before it is in UTC.
    run_due(chat.engine, POLICY, datetime(2026, 12, 31, 16, 0, tzinfo=UTC), year_base)
    with transaction(chat.engine) as session:
        entries = session.exec(select(PointEntry.reason, PointEntry.delta, PointEntry.note)
                               .where(PointEntry.member_id == M1)
                               .order_by(PointEntry.id)).all()
        assert points.balance(session, M1) == 80  # points count per year (年度积分)
    assert [tuple(e) for e in entries] == [("year_base", 80, "2026"), ("year_reset", -80, "2026"),
                                           ("year_base", 80, "2027")]


def test_a_new_year_starts_from_the_base_and_keeps_work_done_before_the_sweep(
        chat: Chat) -> None:
    year_base = (sweep_named("points_year_base"),)
    run_due(chat.engine, POLICY, chat.clock.now(), year_base)
    chat.clock.set(datetime(2026, 12, 31, 15, 0, tzinfo=UTC))  # 23:00 on New Year's Eve
    serve(chat, hours=2)  # done at 01:00 on New Year's Day, before the sweep
    chat.press("zhang", "rate:1:5")
    run_due(chat.engine, POLICY, chat.clock.now(), year_base)
    with transaction(chat.engine) as session:
        assert points.balance(session, M1) == 80 + 5 + 4 + 5
        assert points.balance(session, M4) == 80


def test_registering_grants_the_year_base(chat: Chat) -> None:
    for answer in ["/register", "周敏", "13800000009", "区财政局", "第一网格", "周末", "无",
                   "1"]:
        chat.say("zhou", answer)
    with transaction(chat.engine) as session:
        member = session.exec(select(Member).where(Member.name == "周敏")).one()
        assert points.balance(session, member.id) == 80
    run_due(chat.engine, POLICY, chat.clock.now(), (sweep_named("points_year_base"),))
    with transaction(chat.engine) as session:
        assert points.balance(session, member.id) == 80


def test_declining_once_the_event_has_begun_is_a_no_show(chat: Chat) -> None:
    chat.say("admin", "/whistle 环境保洁 2 周六9点 小区大扫除")  # Saturday 11-28 09:00
    chat.say("m1", "/accept 1")
    chat.say("m4", "/accept 1")
    chat.say("m4", "/decline 1")  # days before: a plain withdrawal
    chat.clock.set(datetime(2026, 11, 28, 1, 30, tzinfo=UTC))  # 09:30, the event under way
    chat.say("m1", "/decline 1")

    assert ledger(chat) == [(M1, -10, "no_show")]


def test_a_no_show_is_deducted_once_and_the_place_is_released(chat: Chat) -> None:
    chat.say("zhang", NEED)
    chat.say("admin", "/approve 1 sanitation")
    chat.say("m1", "/accept 1")
    no_show = (sweep_named("points_no_show"),)
    chat.advance(days=2, hours=23)
    run_due(chat.engine, POLICY, chat.clock.now(), no_show)
    assert ledger(chat) == []
    chat.advance(hours=2)
    for _ in range(2):
        run_due(chat.engine, POLICY, chat.clock.now(), no_show)
    assert ledger(chat) == [(M1, -10, "no_show")]
    with transaction(chat.engine) as session:
        order = session.get(Order, 1)
        place = session.exec(select(Acceptance.status)).one()
    assert (order.status, order.accepted_count, place) == ("open", 0, "no_show")
    told = chat.channel.flush()
    assert any("名额已释放" in m.text for m in told if m.to_user == "m1")
    assert any(m.buttons and m.to_user == "m4" for m in told)  # whistled again
    assert "接单成功" in chat.say("m4", "/accept 1").to("m4")[0]


def test_a_late_accept_gets_a_full_window_to_check_in(chat: Chat) -> None:
    chat.say("zhang", NEED)
    chat.say("admin", "/approve 1 sanitation")
    chat.advance(days=2)
    chat.say("m1", "/accept 1")
    chat.advance(days=2)
    run_due(chat.engine, POLICY, chat.clock.now(), SWEEPS)
    assert ledger(chat, "no_show") == []


def test_a_member_who_arrived_is_no_no_show(chat: Chat) -> None:
    chat.say("zhang", NEED)
    chat.say("admin", "/approve 1 sanitation")
    chat.say("m1", "/accept 1")
    chat.say("m1", "/checkin 1")
    chat.advance(days=5)
    run_due(chat.engine, POLICY, chat.clock.now(), SWEEPS)
    assert ledger(chat, "no_show") == []


def test_a_member_who_arrives_after_the_sweep_read_is_no_no_show(
        chat: Chat, monkeypatch: pytest.MonkeyPatch) -> None:
    """The sweep's chunks take the places of its plain read, but check them again."""
    chat.say("zhang", NEED)
    chat.say("admin", "/approve 1 sanitation")
    chat.say("m1", "/accept 1")
    chat.advance(days=5)
    arrived: list[list[str]] = []
    # Between the plain read and the chunks, where the sweep collects its garbage.
    monkeypatch.setattr(no_show.gc, "collect",
                        lambda: arrived.append(chat.say("m1", "/checkin 1").to("m1")))
    run_due(chat.engine, POLICY, chat.clock.now(), (sweep_named("points_no_show"),))
    assert len(arrived) == 1
    assert ledger(chat, "no_show") == []
    with transaction(chat.engine) as session:
        place = session.exec(select(Acceptance.status)).one()
    assert place == "accepted"


def test_redeeming_spends_points_and_refuses_a_short_balance(chat: Chat) -> None:
    run_due(chat.engine, POLICY, chat.clock.now(), (sweep_named("points_year_base"),))
    done = chat.say("admin", "/redeem 李明 30 洗衣液一瓶")
    assert done.to("admin") == ["已为 李明 兑换「洗衣液一瓶」，扣减 30 积分，余额 50 分。"]
    assert "余额 50 分" in done.to("m1")[0]
    refused = chat.say("admin", "兑换 李明 51 电饭煲")
    assert refused.to("admin") == ["李明 的积分余额只有 50 分，不够兑换 51 分。"]
    assert ledger(chat) == [(M1, -30, "redeem")]
    assert "只有本社区的管理员" in chat.say("m1", "/redeem 李明 1 笔").to("m1")[0]


@pytest.mark.parametrize(("balance", "stars"), [
    (0, 0), (99, 0), (100, 1), (299, 2), (300, 3), (799, 4), (800, 5), (5000, 5),
])
def test_star_levels_come_from_thresholds(balance: int, stars: int) -> None:
    assert points.level(POLICY.points, balance) == stars


def test_me_shows_balance_level_and_rank(chat: Chat) -> None:
    run_due(chat.engine, POLICY, chat.clock.now(), (sweep_named("points_year_base"),))
    serve(chat, hours=10, member="m4")  # 80 + 5 + 20 = 105: 一星, first
    shown = chat.say("m4", "/me").to("m4")[0]
    assert "积分：今年获得 105 分（一星志愿者），社区排名第 1 / 6；可用余额 105 分" in shown
    shown = chat.say("m1", "我的积分").to("m1")[0]
    assert "积分：今年获得 80 分（暂未评星），社区排名第 2 / 6；可用余额 80 分" in shown


def test_redemptions_never_overspend(engine) -> None:
    """Two admins redeeming at once cannot both spend the same points (row lock)."""
    now = datetime(2026, 11, 23, 1, tzinfo=UTC)
    seed(engine, now)
    with transaction(engine) as session:
        points.add(Context(session, POLICY, now), M1, 100, "year_base", note="2026")

    def spend(_: int) -> bool:
        try:
            with transaction(engine) as session:
                member = session.get(Member, M1)
                points.redeem(Context(session, POLICY, now + timedelta(seconds=1)), member,
                              60, "米")
            return True
        except WorkflowError:
            return False

    with ThreadPoolExecutor(4) as pool:
        results = list(pool.map(spend, range(4)))
    assert results.count(True) == 1
    with transaction(engine) as session:
        assert points.balance(session, M1) == 40


def test_an_events_no_show_is_settled_on_the_day_so_the_others_can_finish(chat: Chat) -> None:
    chat.say("admin", "/whistle 环境保洁 2 周六9点 小区大扫除")  # Saturday 11-28 09:00
    chat.say("m1", "/accept 1")
    chat.say("m4", "/accept 1")
    chat.advance(days=5)  # Saturday 09:00
    chat.say("m4", "/checkin 1")
    chat.advance(hours=3)
    chat.say("m4", "/done 1")
    no_show = (sweep_named("points_no_show"),)
    chat.advance(hours=8, minutes=59)  # 20:59, within the grace after the start
    run_due(chat.engine, POLICY, chat.clock.now(), no_show)
    assert ledger(chat) == []
    chat.advance(minutes=2)
    run_due(chat.engine, POLICY, chat.clock.now(), no_show)
    assert ledger(chat) == [(M1, -10, "no_show"), (M4, 5, "service"), (M4, 6, "hours")]
    with transaction(chat.engine) as session:
        assert session.get(Order, 1).status == "closed"


def test_a_place_taken_after_the_event_began_gets_the_grace_from_taking_it(chat: Chat) -> None:
    chat.clock.set(datetime(2026, 11, 28, 2, 0, tzinfo=UTC))  # Saturday 10:00 in Shanghai
    chat.say("admin", "/whistle 环境保洁 2 今天上午9点 小区大扫除")
    chat.advance(hours=11)  # 21:00, twelve hours after the start
    chat.say("m1", "/accept 1")
    no_show = (sweep_named("points_no_show"),)
    chat.advance(hours=11)
    run_due(chat.engine, POLICY, chat.clock.now(), no_show)
    assert ledger(chat) == []
    chat.advance(hours=1)
    run_due(chat.engine, POLICY, chat.clock.now(), no_show)
    assert ledger(chat) == [(M1, -10, "no_show")]


def test_an_event_with_no_readable_time_waits_for_its_overdue_time(chat: Chat) -> None:
    chat.say("admin", "/whistle 环境保洁 2 择日 小区大扫除")
    chat.say("m1", "/accept 1")
    no_show = (sweep_named("points_no_show"),)
    chat.advance(days=13)
    run_due(chat.engine, POLICY, chat.clock.now(), no_show)
    assert ledger(chat) == []
    chat.advance(days=1, hours=1)
    run_due(chat.engine, POLICY, chat.clock.now(), no_show)
    assert ledger(chat) == [(M1, -10, "no_show")]


def test_a_visit_set_after_the_claim_window_is_not_fined_before_it(chat: Chat) -> None:
    chat.say("zhang", "下周六上午9点想请党员来帮忙量血压，老伴腿脚不便")  # 12-05 09:00
    chat.say("admin", "/approve 1 hardship_relief")
    chat.say("m2", "/accept 1")
    no_show = (sweep_named("points_no_show"),)
    chat.advance(days=12, hours=11)  # 12-05 20:00
    run_due(chat.engine, POLICY, chat.clock.now(), no_show)
    assert ledger(chat) == []
    chat.advance(hours=2)
    run_due(chat.engine, POLICY, chat.clock.now(), no_show)
    assert ledger(chat) == [(2, -10, "no_show")]


def test_points_settings_reach_the_rules(monkeypatch) -> None:
    monkeypatch.setenv("WHISTLE_POINTS_PER_HOUR", "3")
    monkeypatch.setenv("WHISTLE_POINTS_LEVELS", "[10, 20, 30, 40, 50]")
    monkeypatch.setenv("WHISTLE_QUOTA_HOURS_PER_YEAR", "12")
    policy = Settings(_env_file=None).policy()
    assert (policy.points.per_hour, policy.points.levels) == (3, (10, 20, 30, 40, 50))
    assert (policy.points.year_base, policy.quota.hours_per_year) == (80, 12)
    monkeypatch.setenv("WHISTLE_POINTS_LEVELS", "[50, 40, 30, 20, 10]")
    with pytest.raises(ValidationError):
        Settings(_env_file=None)


def test_the_points_sweeps_run_twice_count_once_on_each_database(
        chat_on_each_database: Chat) -> None:
    chat = chat_on_each_database
    chat.say("zhang", NEED)
    chat.say("admin", "/approve 1 sanitation")
    chat.say("m1", "/accept 1")
    chat.advance(days=3, hours=1)
    for _ in range(2):
        run_due(chat.engine, POLICY, chat.clock.now(), SWEEPS)
    with transaction(chat.engine) as session:
        assert (points.balance(session, M1), points.balance(session, M4)) == (70, 80)


def test_releasing_the_last_no_show_completes_the_work_of_the_others(chat: Chat) -> None:
    chat.say("admin", "/whistle 环境保洁 2 下周六 小区大扫除")
    chat.say("m1", "/accept 1")
    chat.say("m4", "/accept 1")
    chat.say("m4", "/checkin 1")
    chat.advance(hours=3)
    chat.say("m4", "/done 1")
    chat.advance(days=14)
    run_due(chat.engine, POLICY, chat.clock.now(), (sweep_named("points_no_show"),))
    assert ledger(chat) == [(M1, -10, "no_show"), (M4, 5, "service"), (M4, 6, "hours")]
    told = chat.channel.flush()
    assert [m.text for m in told if m.to_user == "m1"] == [
        "您接的工单 #1 超过期限仍未到场报到，名额已释放给其他党员，并按规定扣减积分。"
        "如有特殊情况请联系社区。"]
    with transaction(chat.engine) as session:
        assert session.get(Order, 1).status == "closed"
