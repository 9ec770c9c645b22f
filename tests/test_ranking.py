"""Who is asked first: a fixed set of members ranked for a fixed set of orders, with the
reasons in words, on both databases; the words the ranking matches; the cost of a ranking."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from sqlalchemy.engine import Engine
from sqlmodel import Session

from handlers.ledger import running
from handlers.orders import ranking
from handlers.orders.fit import fitting_skill, free_at
from handlers.rules.policy import Policy
from storage.db import transaction
from storage.models import (
    Acceptance,
    Building,
    CheckIn,
    CheckInKind,
    Community,
    Grid,
    Member,
    Order,
    Rating,
)
from storage.models import OrderStatus as S
from tests.chat import POLICY
from tests.test_fanout import counted

SHANGHAI = ZoneInfo("Asia/Shanghai")
NOW = datetime(2026, 11, 25, 2, 0, tzinfo=UTC)  # a Wednesday, 10:00 in Shanghai
SATURDAY_MORNING = datetime(2026, 11, 28, 2, 0, tzinfo=UTC)
HELP = ["convenience"]
# name, duties, skills, grid, building, free time
MEMBERS = [
    ("孙常客", HELP, "", "二网格", None, ""),
    ("李水电", HELP, "水电维修", "一网格", "3栋", "周末"),
    ("王电脑", HELP, "电脑", "二网格", None, "工作日晚上"),
    ("张网格", HELP, "", "一网格", None, ""),
    ("赵忙", HELP, "水电", "一网格", None, ""),
    ("钱法律", ["community_affairs"], "法律咨询、调解", "一网格", None, "随时"),
]


def community(engine: Engine) -> dict[str, int]:
    """The fixed community: ids of its members by name, and of 3栋, 一网格 and 二网格.

    赵忙 holds places on two live orders; 孙常客 finished a service this quarter, rated 5★.
    """
    with transaction(engine) as session:
        home = Community(name="测试社区")
        session.add(home)
        session.flush()
        grids = {name: Grid(community_id=home.id or 0, name=name) for name in ("一网格", "二网格")}
        session.add_all(grids.values())
        session.flush()
        block = Building(community_id=home.id or 0, grid_id=grids["一网格"].id, name="3栋")
        session.add(block)
        session.flush()
        ids = {"community": home.id or 0, "3栋": block.id or 0,
               "一网格": grids["一网格"].id or 0, "二网格": grids["二网格"].id or 0}
        for name, duties, skills, grid, building, free in MEMBERS:
            member = Member(name=name, community_id=ids["community"], duties=duties,
                            skills=skills, grid_id=ids[grid], free_time=free,
                            building_id=ids[building] if building else None,
                            registered_at=NOW - timedelta(days=200))
            session.add(member)
            session.flush()
            ids[name] = member.id or 0
        for status in (S.CLAIMED, S.OPEN):
            busy = order(session, ids, "别的活", status=status)
            session.add(Acceptance(order_id=busy.id or 0, member_id=ids["赵忙"], accepted_at=NOW))
        served = order(session, ids, "上次的活", status=S.CLOSED)
        session.add(Acceptance(order_id=served.id or 0, member_id=ids["孙常客"],
                               accepted_at=NOW - timedelta(days=3)))
        session.add(CheckIn(order_id=served.id or 0, member_id=ids["孙常客"],
                            kind=CheckInKind.DONE, at=NOW - timedelta(days=2)))
        session.add(Rating(order_id=served.id or 0, stars=5, at=NOW - timedelta(days=1)))
        running.recount_order(session, served.id or 0)  # as the workflow does
    return ids


def order(session: Session, ids: dict[str, int], text: str, status: S = S.OPEN,
          **place: object) -> Order:
    """A convenience order of the community."""
    found = Order(community_id=ids["community"], duty="convenience", text=text, status=status,
                  created_at=NOW, updated_at=NOW, **place)
    session.add(found)
    session.flush()
    return found


def ranked(engine: Engine, ids: dict[str, int], text: str, policy: Policy = POLICY,
           **place: object) -> list[tuple[str, str]]:
    """The names and reasons of the whole community, ranked for a new order."""
    with transaction(engine) as session:
        found = order(session, ids, text, **place)
        return [(c.name, c.reasons()) for c in ranking.ranked(session, found, policy, NOW, 10)]


def test_a_leak_in_building_3_on_saturday(engine: Engine) -> None:
    ids = community(engine)

    assert ranked(engine, ids, "3栋水龙头漏水，请帮忙修一下", building_id=ids["3栋"],
                  grid_id=ids["一网格"], event_at=SATURDAY_MORNING) == [
        ("李水电", "同楼栋 · 擅长水电维修 · 周末有空 · 本季度0次"),
        ("赵忙", "同网格 · 擅长水电 · 手头2单 · 本季度0次"),
        ("张网格", "同网格 · 本季度0次"),
        ("孙常客", "本季度1次 · 均分5.0★"),
        ("王电脑", "本季度0次"),
        ("钱法律", "未认领该职责 · 同网格 · 随时有空 · 本季度0次"),
    ]


def test_phone_payments_in_grid_2_on_a_weekday_evening(engine: Engine) -> None:
    ids = community(engine)
    tuesday_evening = datetime(2026, 11, 24, 11, 30, tzinfo=UTC)  # 19:30 in Shanghai

    assert ranked(engine, ids, "老人不会用手机缴费", grid_id=ids["二网格"],
                  event_at=tuesday_evening) == [
        ("王电脑", "同网格 · 擅长电脑 · 工作日晚上有空 · 本季度0次"),
        ("孙常客", "同网格 · 本季度1次 · 均分5.0★"),
        ("李水电", "本季度0次"),
        ("张网格", "本季度0次"),
        ("赵忙", "手头2单 · 本季度0次"),
        ("钱法律", "未认领该职责 · 随时有空 · 本季度0次"),
    ]


def test_members_below_quota_come_first_among_equals(engine: Engine) -> None:
    ids = community(engine)
    indifferent = replace(POLICY, ranking=replace(POLICY.ranking, services=0, rating=0))

    names = [name for name, _ in ranked(engine, ids, "帮忙取个快递", indifferent)]

    # 孙常客 met the quarter's quota (one service): the others, equal, go before him,
    # though he registered first.
    assert names == ["李水电", "王电脑", "张网格", "孙常客", "赵忙", "钱法律"]


def test_weights_are_settings(engine: Engine) -> None:
    ids = community(engine)
    places_first = replace(POLICY, ranking=replace(POLICY.ranking, grid=200))

    names = [name for name, _ in ranked(engine, ids, "帮忙取个快递", places_first,
                                        grid_id=ids["二网格"])]

    assert names[:2] == ["孙常客", "王电脑"]


def test_a_ranking_costs_the_same_statements_for_any_number_of_members(engine: Engine) -> None:
    ids = community(engine)

    def cost() -> int:
        with counted(engine) as statements, transaction(engine) as session:
            ranking.ranked(session, session.get_one(Order, 1), POLICY, NOW, 10)
        return len(statements)

    few = cost()
    with transaction(engine) as session:
        session.add_all(Member(name=f"新人{i}", community_id=ids["community"], duties=HELP,
                               skills=f"特长{i}", free_time=f"周{'一二三四五'[i % 5]}",
                               registered_at=NOW) for i in range(40))
    assert cost() == few


@pytest.mark.parametrize(("skills", "text", "fits"), [
    ("水电维修", "楼道灯坏了", "水电维修"),
    ("医护、测血压", "老人想量量血压", "医护"),
    ("电脑", "不会网上缴费", "电脑"),
    ("家电维修", "家里的洗衣机坏了", "家电维修"),
    ("法律咨询、调解", "楼道灯坏了", None),
    ("", "楼道灯坏了", None),
])
def test_skills_fit_an_orders_words(skills: str, text: str, fits: str | None) -> None:
    assert fitting_skill(skills, text) == fits


@pytest.mark.parametrize(("free", "local", "covers"), [
    ("周末", datetime(2026, 11, 28, 10, tzinfo=SHANGHAI), True),
    ("周末", datetime(2026, 11, 25, 10, tzinfo=SHANGHAI), False),
    ("工作日晚上", datetime(2026, 11, 24, 19, tzinfo=SHANGHAI), True),
    ("工作日晚上", datetime(2026, 11, 24, 10, tzinfo=SHANGHAI), False),
    ("周二下午", datetime(2026, 11, 24, 15, tzinfo=SHANGHAI), True),
    ("周一到周五晚上", datetime(2026, 11, 25, 19, tzinfo=SHANGHAI), True),
    ("周一~周五晚上", datetime(2026, 11, 28, 19, tzinfo=SHANGHAI), False),
    ("周五到周日", datetime(2026, 11, 29, 10, tzinfo=SHANGHAI), True),
    ("随时", datetime(2026, 11, 24, 3, tzinfo=SHANGHAI), True),
    ("看情况", datetime(2026, 11, 24, 15, tzinfo=SHANGHAI), False),
])
def test_free_time_covers_an_orders_time(free: str, local: datetime, covers: bool) -> None:
    assert free_at(free, local) == covers
