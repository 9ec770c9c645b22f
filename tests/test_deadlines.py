"""The order time rules, each by moving the clock: unclaimed, rating reminder and close,
overdue, working days, per-community overrides, idempotency and catch-up."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, datetime, timedelta

from sqlmodel import select

from handlers.context import Context
from handlers.jobs import deadlines
from handlers.orders.views import history
from storage.db import transaction
from storage.messaging import OutboxMessage
from storage.models import CheckIn, Community, Order, Rating
from storage.timers import TimeRules
from tests.chat import POLICY, Chat
from tests.statements import counting

NEED = "5栋门口的垃圾三天没人清运了，臭得不行，请社区派人处理"


def order(chat: Chat, order_id: int = 1) -> Order:
    with transaction(chat.engine) as session:
        return session.get(Order, order_id)


def reasons(chat: Chat, order_id: int = 1) -> list[str]:
    with transaction(chat.engine) as session:
        return [row.reason for row in history(session, session.get(Order, order_id))]


def messages(chat: Chat) -> int:
    with transaction(chat.engine) as session:
        return len(session.exec(select(OutboxMessage.id)).all())


def override(chat: Chat, **rules: object) -> None:
    with transaction(chat.engine) as session:
        session.add(TimeRules(community_id=1, **rules))


def finished_order(chat: Chat) -> None:
    chat.say("zhang", NEED)
    chat.say("admin", "/approve 1 sanitation")
    chat.press("m1", "accept:1")
    chat.say("m1", "/checkin 1")
    chat.say("m1", "/done 1")


def test_an_order_nobody_claims_in_3_days_goes_to_the_admin_with_ranked_members(
        chat: Chat) -> None:
    chat.say("zhang", NEED)
    chat.say("admin", "/approve 1 sanitation")
    chat.press("m4", "accept:1")
    chat.say("m4", "/decline 1")  # m4 passed on it: not a candidate
    with transaction(chat.engine) as session:  # m1 served recently: ranked after m6
        session.add(CheckIn(order_id=1, member_id=1, kind="done", at=chat.clock.now()))
    chat.advance(hours=71, minutes=59)
    assert chat.run_jobs().to("admin") == []

    chat.advance(minutes=1)
    escalated = chat.run_jobs().to("admin")

    assert len(escalated) == 1
    assert "吹哨期满仍缺人" in escalated[0]
    assert "赵强（同网格 · 本季度0次）、李明（本季度1次）" in escalated[0]
    assert "刘洋" not in escalated[0]
    assert reasons(chat)[-1] == "吹哨期满仍无人接单，已报管理员"
    assert not chat.run_jobs()  # the same sweep again sends nothing


def test_an_event_short_of_members_is_told_the_evening_before_not_after_it(
        chat: Chat) -> None:
    chat.clock.set(datetime(2026, 11, 27, 2, 0, tzinfo=UTC))  # Friday 10:00 in Shanghai
    chat.say("admin", "/whistle 环境保洁 3 周六9点 小区大扫除")
    chat.say("m1", "/accept 1")
    chat.advance(hours=9, minutes=59)
    assert chat.run_jobs().to("admin") == []
    chat.advance(minutes=1)  # 20:00, when the members hear "明天提醒"
    told = chat.run_jobs().to("admin")
    assert told[0].splitlines()[0] == "📅 工单 #1 的活动 11-28 09:00 就要开始，仍缺人（已接 1/3）："
    assert reasons(chat)[-1] == "活动临近仍缺人，已报管理员"
    chat.advance(days=3)  # the claim window ends on Monday: no second warning
    assert [m for m in chat.run_jobs().to("admin") if "缺人" in m] == []


def test_an_event_whistled_on_its_eve_is_not_escalated_at_once(chat: Chat) -> None:
    chat.clock.set(datetime(2026, 11, 27, 13, 0, tzinfo=UTC))  # Friday 21:00
    chat.say("admin", "/whistle 环境保洁 3 周六9点 小区大扫除")
    chat.advance(minutes=5)
    assert chat.run_jobs().to("admin") == []


def test_a_claimed_order_is_not_escalated(chat: Chat) -> None:
    chat.say("zhang", NEED)
    chat.say("admin", "/approve 1 sanitation")
    chat.press("m1", "accept:1")
    chat.say("m1", "/checkin 1")
    chat.advance(days=4)
    assert chat.run_jobs().to("admin") == []


def test_the_resident_is_reminded_once_at_20_hours_and_the_order_closes_unrated_at_24(
        chat: Chat) -> None:
    finished_order(chat)
    chat.advance(hours=19, minutes=59)
    assert chat.run_jobs().to("zhang") == []

    chat.advance(minutes=1)
    reminded = chat.run_jobs()
    assert "还没有评价" in reminded.to("zhang")[0]
    assert reminded.buttons_for("zhang") == [f"rate:1:{n}" for n in range(1, 6)]
    assert not chat.run_jobs()

    chat.advance(hours=4)
    closed = chat.run_jobs()
    assert closed.to("zhang") == ["工单 #1 评价期已过，已自动办结（未评价）。感谢您的反馈！"]
    assert order(chat).status == "closed"
    assert reasons(chat)[-1] == "评价期满居民未评价，按未评价办结"
    with transaction(chat.engine) as session:
        assert session.exec(select(Rating)).all() == []
    late = chat.press("zhang", "rate:1:5").to("zhang")
    assert late == ["工单 #1 评价期已过，已自动办结，不能再评价了。如对服务有意见，请联系社区。"]


def test_a_community_that_counts_silence_as_praise_records_a_default_rating(
        chat: Chat) -> None:
    override(chat, default_good_rating=True)
    finished_order(chat)
    chat.advance(hours=24)

    closed = chat.run_jobs()

    assert "默认好评" in closed.to("zhang")[0]
    with transaction(chat.engine) as session:
        rating = session.exec(select(Rating)).one()
    assert (rating.stars, rating.by_default) == (5, True)
    assert "评价期已过" in chat.press("zhang", "rate:1:2").to("zhang")[0]


def test_a_rating_in_time_is_not_touched_by_the_sweep(chat: Chat) -> None:
    finished_order(chat)
    chat.press("zhang", "rate:1:4")
    chat.advance(hours=30)
    assert not chat.run_jobs()
    assert "已经评价过" in chat.press("zhang", "rate:1:5").to("zhang")[0]


def test_after_downtime_the_catch_up_run_closes_without_a_stale_reminder(chat: Chat) -> None:
    finished_order(chat)
    chat.advance(hours=19)
    chat.run_jobs()
    chat.advance(hours=11)  # the bot was down from 19 h to 30 h

    caught_up = chat.run_jobs()

    assert len(caught_up.to("zhang")) == 1
    assert "自动办结" in caught_up.to("zhang")[0]
    assert not chat.run_jobs()


def test_an_order_unfinished_after_14_days_is_escalated_once(chat: Chat) -> None:
    chat.say("zhang", NEED)
    chat.say("admin", "/approve 1 sanitation")
    chat.press("m1", "accept:1")
    chat.say("m1", "/checkin 1")
    chat.advance(days=13, hours=23, minutes=59)
    assert chat.run_jobs().to("admin") == []

    chat.advance(minutes=1)
    escalated = chat.run_jobs().to("admin")

    assert len(escalated) == 1
    assert "已 14 天未办结" in escalated[0]
    assert reasons(chat)[-1] == "已 14 天未办结，逾期督办"
    assert order(chat).status == "in_progress"
    chat.advance(days=1)
    assert not chat.run_jobs()


def test_a_community_may_shorten_its_claim_window(chat: Chat) -> None:
    override(chat, claim_window_hours=24)
    chat.say("zhang", NEED)
    chat.say("admin", "/approve 1 sanitation")
    chat.advance(hours=24)
    assert "吹哨期满" in chat.run_jobs().to("admin")[0]


def test_the_national_day_week_does_not_count_as_working_days(sqlite_engine, settings) -> None:
    chat = Chat.with_demo(sqlite_engine, settings, datetime(2026, 9, 30, 1, 0, tzinfo=UTC))
    override(chat, working_days=True)
    chat.say("zhang", NEED)
    chat.say("admin", "/approve 1 sanitation")  # Wed 30 Sep, 09:00 in Shanghai

    # Workdays: 8 Oct, 9 Oct and Saturday 10 Oct (a make-up workday, 调休上班).
    assert order(chat).claim_deadline == datetime(2026, 10, 10, 1, 0, tzinfo=UTC)
    chat.clock.set(datetime(2026, 10, 10, 0, 59, tzinfo=UTC))
    assert chat.run_jobs().to("admin") == []
    chat.clock.set(datetime(2026, 10, 10, 1, 0, tzinfo=UTC))
    assert "吹哨期满" in chat.run_jobs().to("admin")[0]


def test_the_same_sweep_run_twice_sends_once_on_each_database(chat_on_each_database: Chat) -> None:
    chat = chat_on_each_database
    finished_order(chat)
    chat.advance(hours=20)
    chat.run_jobs()
    chat.run_jobs()
    with transaction(chat.engine) as session:
        reminders = session.exec(select(OutboxMessage).where(
            OutboxMessage.text.contains("还没有评价"))).all()
    assert len(reminders) == 1


def test_an_order_rated_between_the_read_and_the_write_is_neither_reminded_nor_closed(
        chat: Chat) -> None:
    finished_order(chat)
    chat.advance(hours=20)
    with transaction(chat.engine) as session:  # the sweep's plain read
        seen = Context(session, POLICY, chat.clock.now())
        community = session.exec(select(Community)).one()
        steps = [*deadlines.rating_reminder(seen, community),
                 *deadlines.rating_close(replace(seen, now=seen.now + timedelta(hours=4)),
                                         community)]
    chat.press("zhang", "rate:1:4")  # meanwhile
    queued = messages(chat)

    with transaction(chat.engine) as session:
        for step in steps:
            step(Context(session, POLICY, chat.clock.now()))

    assert len(steps) == 2
    assert messages(chat) == queued
    with transaction(chat.engine) as session:
        assert [r.stars for r in session.exec(select(Rating)).all()] == [4]
    assert order(chat).status == "closed"


def test_the_admins_are_read_once_for_all_of_a_communitys_unclaimed_orders(chat: Chat) -> None:
    chat.say("zhang", NEED)
    chat.say("li", "3栋楼道灯坏了好几天了，请派人修一下")
    chat.say("admin", "/approve 1 sanitation")
    chat.say("admin", "/approve 2")
    chat.advance(hours=73)
    with counting(chat.engine) as statements:
        told = chat.run_jobs().to("admin")

    assert len(told) == 2
    assert sum("JOIN admin ON" in s for s in statements.sent) == 1, statements.listing()
