"""Event reminders: the evening before and an hour before, each once; event times read
from the text; response-target colours on /pending and /orders."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest

from handlers.rules.targets import GREEN, RED, YELLOW, colour, light
from handlers.rules.workdays import add_working_days, is_workday
from nlu import resolve_when
from storage.db import transaction
from storage.models import Order
from tests.chat import POLICY, Chat, Inbox

EVENT = "/whistle 环境保洁 3 周六9点 小区大扫除，请带好手套"
SATURDAY_9 = datetime(2026, 11, 28, 1, 0, tzinfo=UTC)  # 09:00 in Shanghai
FRIDAY_20 = datetime(2026, 11, 27, 12, 0, tzinfo=UTC)  # the evening before, 20:00
SHANGHAI = ZoneInfo("Asia/Shanghai")


def members(inbox: Inbox) -> set[str]:
    return inbox.recipients() - {"@admin"}


def test_an_event_reminds_its_members_the_evening_before_and_an_hour_before(
        chat: Chat) -> None:
    chat.say("admin", EVENT)  # Monday 23 Nov
    chat.press("m1", "accept:1")
    with transaction(chat.engine) as session:
        assert session.get(Order, 1).event_at == SATURDAY_9

    chat.clock.set(FRIDAY_20 - timedelta(minutes=1))
    # Still short, the whistle widened past the duty to the whole community (the admin
    # hears the event is short of people).
    assert members(chat.run_jobs()) == {"@m2", "@m3", "@m5"}
    chat.clock.set(FRIDAY_20)
    eve = chat.run_jobs()
    assert members(eve) == {"@m1"}
    assert "明天提醒" in eve.to("m1")[0]
    assert "11-28 09:00" in eve.to("m1")[0]
    assert not chat.run_jobs()

    chat.clock.set(FRIDAY_20 + timedelta(hours=1))
    chat.press("m4", "accept:1")  # signs up after the evening reminder went out
    assert not chat.run_jobs()
    chat.clock.set(SATURDAY_9 - timedelta(hours=1))
    soon = chat.run_jobs()
    assert members(soon) == {"@m1", "@m4"}
    assert "一小时后开始" in soon.to("m4")[0]
    assert not chat.run_jobs()
    chat.clock.set(SATURDAY_9)
    assert not chat.run_jobs()

def test_a_whistle_shows_the_date_its_time_resolved_to(chat: Chat) -> None:
    whistled = chat.say("admin", EVENT)

    assert "时间：周六9点（11月28日 周六 09:00）" in whistled.to("m1")[0]


def test_a_need_with_a_time_gets_its_event_time_when_it_opens(chat: Chat) -> None:
    chat.say("zhang", "明天下午3点帮我家老人量一下血压，5栋")
    chat.say("admin", "/approve 1 convenience")
    with transaction(chat.engine) as session:
        assert session.get(Order, 1).event_at == datetime(2026, 11, 24, 7, 0, tzinfo=UTC)


@pytest.mark.parametrize(("text", "expected"), [
    pytest.param("周六9点大扫除", datetime(2026, 11, 28, 9, 0, tzinfo=SHANGHAI), id="weekday-hour"),
    pytest.param("明天下午3点", datetime(2026, 11, 24, 15, 0, tzinfo=SHANGHAI),
                 id="tomorrow-afternoon"),
    pytest.param("11月30日上午", datetime(2026, 11, 30, 9, 0, tzinfo=SHANGHAI), id="date-morning"),
    pytest.param("下周三晚上7点半", datetime(2026, 12, 2, 19, 30, tzinfo=SHANGHAI), id="next-week"),
    pytest.param("周一8点", datetime(2026, 11, 30, 8, 0, tzinfo=SHANGHAI), id="weekday-passed"),
    pytest.param("1月5日", datetime(2027, 1, 5, 9, 0, tzinfo=SHANGHAI), id="date-next-year"),
    pytest.param("今晚8:30", datetime(2026, 11, 23, 20, 30, tzinfo=SHANGHAI), id="tonight"),
    pytest.param("中午1点 ", None, id="no-day"),
])
def test_time_phrases_resolve_against_when_they_were_written(
        text: str, expected: datetime | None) -> None:
    monday_10 = datetime(2026, 11, 23, 10, 0, tzinfo=SHANGHAI)
    # resolve_when reads and answers the community's wall clock, without a zone.
    wall_clock = expected.replace(tzinfo=None) if expected else None
    assert resolve_when(text, monday_10.replace(tzinfo=None)) == wall_clock


def test_working_days_skip_the_national_day_week_and_count_make_up_days() -> None:
    days = [date(2026, 10, d) for d in (1, 7, 8, 10, 11)]
    assert [is_workday(d) for d in days] == [False, False, True, True, False]
    filed_on_holiday = datetime(2026, 10, 2, 2, 0, tzinfo=UTC)
    # Counting starts on 8 Oct: 9 Oct, Saturday 10 Oct (调休), then Monday 12 Oct.
    assert add_working_days(filed_on_holiday, 3, "Asia/Shanghai") == datetime(
        2026, 10, 11, 16, 0, tzinfo=UTC)


@pytest.mark.parametrize(("minutes", "expected"), [
    (29, GREEN), (30, YELLOW), (59, YELLOW), (60, RED)])
def test_the_acknowledge_target_turns_yellow_at_half_and_red_at_one_hour(
        minutes: int, expected: str) -> None:
    assert colour(timedelta(minutes=minutes), timedelta(hours=1)) == expected


def test_an_orders_light_follows_the_targets_it_has_not_met() -> None:
    filed = datetime(2026, 11, 23, tzinfo=UTC)
    waiting = Order(community_id=1, text="x", status="open", created_at=filed, updated_at=filed)
    at = {h: filed + timedelta(hours=h) for h in (5, 6, 11, 12)}
    policy = POLICY
    assert light(waiting, policy, at[5], True, True, False) == GREEN
    assert light(waiting, policy, at[6], True, True, False) == YELLOW
    assert light(waiting, policy, at[11], True, True, False) == YELLOW
    assert light(waiting, policy, at[12], True, True, False) == RED
    assert light(waiting, policy, at[12], True, True, True) == GREEN
    assert light(waiting, policy, at[5], False, False, False) == RED  # 1 h and 6 h running
    waiting.status = "closed"
    assert light(waiting, policy, at[12], True, True, False) == ""


def test_pending_and_orders_show_the_lights(chat: Chat) -> None:
    chat.say("zhang", "5栋门口的垃圾三天没人清运了，臭得不行，请社区派人处理")
    chat.advance(minutes=30)
    assert "🟡#1【待审核】" in chat.say("admin", "/pending").to("admin")[0]
    chat.advance(minutes=30)
    assert "🔴#1【待审核】" in chat.say("admin", "/pending").to("admin")[0]
    chat.say("admin", "/approve 1 sanitation")
    assert "🟢#1" in chat.say("admin", "/orders").to("admin")[0]
    chat.advance(hours=5)
    assert "🟡#1" in chat.say("admin", "/orders").to("admin")[0]
    chat.press("m1", "accept:1")
    assert "🟢#1" in chat.say("admin", "/orders").to("admin")[0]


def test_an_order_escalated_as_overdue_is_red_on_pending_not_green(chat: Chat) -> None:
    chat.say("li", "我家水管漏水了，厨房全是水，能不能来人看看")
    chat.say("admin", "/approve 1 convenience")
    chat.say("m1", "/accept 1")
    chat.say("m1", "/checkin 1")
    chat.say("m1", "/done 1")
    chat.say("li", "1")  # returned to the community, every response target met
    chat.advance(days=13, hours=23)
    assert "🟢#1【已返单】" in chat.say("admin", "/pending").to("admin")[0]
    chat.advance(hours=1)
    assert "🔴 工单 #1 已 14 天未办结" in chat.run_jobs().to("admin")[0]
    assert "🔴#1【已返单】" in chat.say("admin", "/pending").to("admin")[0]
    assert "🔴#1【已返单】" in chat.say("admin", "/orders").to("admin")[0]
