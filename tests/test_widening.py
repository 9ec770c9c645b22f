"""The widening whistle: the best-ranked members first, after 2 h every member of the duty,
after 2 h more the whole community, nobody twice; /assign lists the ranked candidates."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy.engine import Engine
from sqlmodel import Session, col, select

from bot.settings import Settings
from handlers.context import Context
from handlers.jobs import widening
from storage.db import transaction
from storage.messaging import OutboxMessage
from storage.models import Building, Member, Order, WhistleStage
from tests.chat import POLICY, Chat
from tests.conftest import START
from tests.test_fanout import NOW, counted, district, whistle

NEED = "5栋门口的垃圾三天没人清运了，臭得不行，请社区派人处理"


@pytest.fixture(params=["sqlite", "postgres"])
def two_first(request: pytest.FixtureRequest, settings: Settings) -> Chat:
    """The demo community, whistling two members first, with a bound group and an order
    from 张阿姨 in 5栋 (第二网格), where 赵强 lives, waiting for review."""
    engine = request.getfixturevalue(f"{request.param}_demo_engine")
    chat = Chat(engine, settings.model_copy(update={"first_whistle_members": 2}), START)
    chat.say("admin", "/bind 幸福里社区", group="g1")
    chat.say("zhang", NEED)
    with transaction(engine) as session:
        block = session.exec(select(Building).where(Building.name == "5栋")).one()
        order = session.get_one(Order, 1)
        order.building_id, order.grid_id = block.id, block.grid_id
        session.exec(select(Member).where(Member.name == "赵强")).one().building_id = block.id
    return chat


def members_told(inbox: object) -> set[str]:
    """The members (not the groups, the resident or the admin) a run of the sweeps wrote to."""
    return {r for r in inbox.recipients() if r.startswith("@m")}  # type: ignore[attr-defined]


def test_the_whistle_widens_to_the_duty_then_the_community(two_first: Chat) -> None:
    chat = two_first
    approved = chat.say("admin", "/approve 1 sanitation")
    assert approved.recipients() == {"@admin", "@zhang", "@m6", "@m4", "#g1"}

    chat.advance(hours=1, minutes=59)
    assert members_told(chat.run_jobs()) == set()
    chat.advance(minutes=1)
    duty = chat.run_jobs()
    assert members_told(duty) == {"@m1"}  # 李明, the duty's last member
    assert "【吹哨】" in duty.pop("m1")

    chat.advance(hours=2)
    assert members_told(chat.run_jobs()) == {"@m2", "@m3", "@m5"}  # everyone else
    chat.advance(hours=2)
    assert members_told(chat.run_jobs()) == set()


def test_a_filled_order_is_not_widened(two_first: Chat) -> None:
    chat = two_first
    chat.say("admin", "/approve 1 sanitation")
    chat.press("m6", "accept:1")

    chat.advance(hours=5)

    assert members_told(chat.run_jobs()) == set()


def test_a_freed_place_tells_those_whistled_and_the_widening_waits(two_first: Chat) -> None:
    chat = two_first
    chat.say("admin", "/approve 1 sanitation")
    chat.press("m6", "accept:1")
    chat.advance(hours=1)

    freed = chat.say("m6", "/decline 1")

    assert "【吹哨】" in freed.pop("m4")
    assert "@m1" not in freed.recipients()
    chat.advance(hours=1, minutes=30)
    assert members_told(chat.run_jobs()) == set()
    chat.advance(minutes=30)
    assert members_told(chat.run_jobs()) == {"@m1"}


def test_a_freed_place_is_not_news_to_a_member_who_holds_one(two_first: Chat) -> None:
    chat = two_first
    with transaction(chat.engine) as session:
        session.get_one(Order, 1).capacity = 2
    chat.say("admin", "/approve 1 sanitation")
    chat.press("m6", "accept:1")
    chat.press("m4", "accept:1")

    freed = chat.say("m6", "/decline 1")

    assert all("【吹哨】" not in text for text in freed.to("m4"))


def test_a_member_who_gave_the_place_back_is_not_whistled_when_it_widens(
        two_first: Chat) -> None:
    chat = two_first
    chat.say("admin", "/approve 1 sanitation")
    chat.press("m2", "accept:1", group="g1")  # 张伟 took it from the group's whistle
    chat.say("m2", "/decline 1")

    chat.advance(hours=2)
    assert members_told(chat.run_jobs()) == {"@m1"}
    chat.advance(hours=2)
    assert members_told(chat.run_jobs()) == {"@m3", "@m5"}


def test_assign_without_a_member_lists_the_ranked_candidates(two_first: Chat) -> None:
    chat = two_first
    chat.say("admin", "/approve 1 sanitation")

    listed = chat.say("admin", "/assign 1")

    assert listed.only("admin") == ["工单 #1 推荐人选（按匹配度排序），点按钮即可指派：\n"
                                    "1. 赵强（同楼栋 · 本季度0次）\n"
                                    "2. 刘洋（同网格 · 本季度0次）\n"
                                    "3. 李明（本季度0次）\n"
                                    "4. 王芳（未认领该职责 · 同网格 · 本季度0次）\n"
                                    "5. 张伟（未认领该职责 · 本季度0次）\n"
                                    "6. 陈静（未认领该职责 · 本季度0次）"]
    assert listed.buttons_for("admin") == [f"assign:1:{n}" for n in (6, 4, 1, 3, 2, 5)]
    assigned = chat.press("admin", "assign:1:4")
    assert assigned.pop("admin") == "已将工单 #1 指派给 刘洋。"
    assert "接单成功" in assigned.pop("m4")


def test_assigning_a_member_without_the_duty_warns_the_admin_and_the_member(
        two_first: Chat) -> None:
    chat = two_first
    chat.say("admin", "/approve 1 sanitation")

    assigned = chat.say("admin", "/assign 1 王芳")

    assert assigned.pop("admin") == ("已将工单 #1 指派给 王芳。\n"
                                     "注意：王芳 没有认领「环境保洁」职责，已告知本人。")
    told = assigned.pop_all("m3")
    assert "接单成功" in told[0]
    assert told[1] == ("社区把工单 #1（环境保洁）指派给了您，这不在您认领的职责内。"
                       "如实在不便，请发送 /decline 1 退出，并告知社区。")


def test_widening_costs_the_same_statements_for_30_or_60_members(engine: Engine) -> None:
    def widen(members: int) -> tuple[int, list[str]]:
        order_id = district(engine, members)
        whistle(engine, order_id)
        with counted(engine) as statements, transaction(engine) as session:
            widening.widen(Context(session, POLICY, NOW + timedelta(hours=2)),
                           session.get_one(Order, order_id))
        with Session(engine) as session:
            users = session.exec(select(OutboxMessage.to_user).where(
                col(OutboxMessage.to_user).is_not(None),
                col(OutboxMessage.to_user).like(f"m{members}-%"))).all()
        return len(statements), [u for u in users if u]

    few, many = widen(30), widen(60)

    assert few[0] == many[0]
    # Ten first, then the duty's other twenty: every other member, each once.
    assert sorted(many[1]) == sorted(f"m60-{i}" for i in range(0, 60, 2))
    assert len(few[1]) == len(set(few[1])) == 15


def test_a_stage_that_adds_nobody_passes_straight_on(engine: Engine) -> None:
    # The first ten reach both members of the duty: widening goes on to the community at
    # once. On PostgreSQL an INSERT's lost row count (-1) once read as members whistled.
    order_id = district(engine, 4)
    whistle(engine, order_id)
    with transaction(engine) as session:
        order = session.get_one(Order, order_id)
        widening.widen(Context(session, POLICY, NOW + timedelta(hours=2)), order)
        assert order.whistle_stage == WhistleStage.COMMUNITY
    with Session(engine) as session:
        users = session.exec(select(OutboxMessage.to_user).where(
            col(OutboxMessage.to_user).is_not(None)).order_by(col(OutboxMessage.id))).all()
    assert users == ["m0", "m2", "m1", "m3"]
