"""Boards (排行榜): Top 50 by hours, services, points and rating, on SQLite and PostgreSQL."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import event
from sqlmodel import Session, select

from bot.demo import seed
from handlers.context import Context
from handlers.jobs.sweeps import SWEEPS, run_due
from handlers.ledger import boards, book, running
from handlers.ledger.tallies import METRICS
from storage.boards import BoardEntry
from storage.db import transaction
from storage.models import Acceptance, Admin, CheckIn, Community, Member, Order, Rating, Unit
from tests.chat import POLICY, Chat
from tests.statements import counting

NOW = datetime(2026, 11, 23, 1, tzinfo=UTC)
REFRESH = tuple(s for s in SWEEPS if s.name == "boards_refresh")


def add_member(session: Session, community: Community, name: str, unit: Unit) -> Member:
    member = Member(name=name, community_id=community.id, unit_id=unit.id, registered_at=NOW)
    session.add(member)
    session.flush()
    return member


def serve(session: Session, member: Member, hours: float, stars: int | None = None,
          by_default: bool = False) -> None:
    """A finished order for ``member`` lasting ``hours``, rated ``stars`` (or given them as
    默认好评 when the resident stayed silent)."""
    order = Order(community_id=member.community_id, text="服务", status="closed",
                  created_at=NOW, updated_at=NOW, capacity=1)
    session.add(order)
    session.flush()
    session.add(Acceptance(order_id=order.id, member_id=member.id, accepted_at=NOW))
    session.add(CheckIn(order_id=order.id, member_id=member.id, kind="arrive", at=NOW))
    session.add(CheckIn(order_id=order.id, member_id=member.id, kind="done",
                        at=NOW + timedelta(hours=hours)))
    if stars is not None:
        session.add(Rating(order_id=order.id, stars=stars, at=NOW, by_default=by_default))
    running.recount_order(session, order.id or 0)  # as the workflow does when it records one


@pytest.fixture
def district(engine):
    """Two communities: 李明 (税务局) 2.5 h + 1 h, 5★ and 3★; 王芳 (法院) 4 h, 4★; in 阳光社区
    孙丽 (税务局) 6 h, 1★; points 李明 30, 王芳 50, 孙丽 10."""
    seed(engine, NOW)
    with transaction(engine) as session:
        happy = session.exec(select(Community)).one()
        sunny = Community(name="阳光社区")
        session.add(sunny)
        session.flush()
        tax = session.exec(select(Unit).where(Unit.name == "区税务局")).one()
        li = session.exec(select(Member).where(Member.name == "李明")).one()
        wang = session.exec(select(Member).where(Member.name == "王芳")).one()
        sun = add_member(session, sunny, "孙丽", tax)
        serve(session, li, 2.5, 5)
        serve(session, li, 1, 3)
        serve(session, wang, 4, 4)
        serve(session, sun, 6, 1)
        book.write(session, [book.entry(member.id, delta, "service", NOW)
                             for member, delta in ((li, 30), (wang, 50), (sun, 10))])
        ids = {"happy": happy.id, "sunny": sunny.id}
    return engine, ids


def lines(engine, community_id, subject, metric) -> list[tuple[str, float]]:
    with transaction(engine) as session:
        return [(line.name, round(line.value, 3))
                for line in boards.compute(session, community_id, subject, metric)]


def test_a_communitys_member_boards(district) -> None:
    engine, ids = district
    assert {metric: lines(engine, ids["happy"], "member", metric) for metric in METRICS} == {
        "hours": [("王芳", 4.0), ("李明", 3.5)],
        "services": [("李明", 2.0), ("王芳", 1.0)],
        "points": [("王芳", 50.0), ("李明", 30.0)],
        "rating": [("李明", 4.0), ("王芳", 4.0)],  # a tie goes to the lower id
    }


def test_the_district_unit_boards_span_communities(district) -> None:
    engine, _ = district
    assert {metric: lines(engine, None, "unit", metric) for metric in METRICS} == {
        "hours": [("区税务局", 9.5), ("区人民法院", 4.0)],
        "services": [("区税务局", 3.0), ("区人民法院", 1.0)],
        "points": [("区人民法院", 50.0), ("区税务局", 40.0)],
        "rating": [("区人民法院", 4.0), ("区税务局", 3.0)],  # 9★ / 3 ratings, not (4+1)/2
    }


def test_a_board_keeps_the_top_fifty(engine) -> None:
    seed(engine, NOW)
    with transaction(engine) as session:
        community = session.exec(select(Community)).one()
        unit = session.exec(select(Unit)).first()
        for n in range(60):
            member = add_member(session, community, f"党员{n:02d}", unit)
            book.write(session, [book.entry(member.id, n + 1, "service", NOW)])
    top = lines(engine, community.id, "member", "points")
    assert (len(top), top[0], top[-1]) == (50, ("党员59", 60.0), ("党员10", 11.0))
    run_due(engine, POLICY, NOW, REFRESH)
    with transaction(engine) as session:
        kept = boards.stored(session, community.id, "member", "points")
    assert [(line.name, line.value) for line in kept] == top


def test_a_board_is_one_query(district) -> None:
    engine, ids = district
    statements = []
    event.listen(engine, "before_cursor_execute", lambda *a: statements.append(a[2]))
    with transaction(engine) as session:
        boards.compute(session, ids["happy"], "unit", "hours")
    assert len([s for s in statements if "GROUP BY" in s and "LIMIT" in s]) == 1


def test_the_refresh_stores_every_board_and_top_reads_it(district) -> None:
    engine, ids = district
    run_due(engine, POLICY, NOW, REFRESH)
    run_due(engine, POLICY, NOW, REFRESH)  # a second refresh replaces, never adds
    with transaction(engine) as session:
        for scope in (None, ids["happy"], ids["sunny"]):
            for subject in boards.SUBJECTS:
                for metric in METRICS:
                    assert boards.stored(session, scope, subject, metric) == boards.compute(
                        session, scope, subject, metric)
    with transaction(engine) as session:
        stored = boards.stored(session, ids["sunny"], "member", "hours")
        count = len(session.exec(select(BoardEntry)).all())
        # The snapshot is what /top shows: later work waits for the next refresh.
        book.write(session, [book.entry(stored[0].subject_id, 99, "service", NOW)])
    assert [(line.rank, line.name, line.value) for line in stored] == [(1, "孙丽", 6.0)]
    assert count == 4 * (3 + 2) + 4 * (2 + 2) + 4 * (1 + 1)  # district, 幸福里, 阳光
    with transaction(engine) as session:
        shown = boards.board(session, ids["sunny"], "member", "points")
        assert [line.value for line in shown] == [10.0]
        boards.refresh(Context(session, POLICY, NOW))
        assert [line.value for line in boards.board(session, ids["sunny"], "member",
                                                    "points")] == [109.0]


def test_top_in_chat(chat: Chat) -> None:
    chat.say("admin", "/bind 幸福里社区", group="g1")
    chat.say("zhang", "5栋门口的垃圾三天没人清运了，臭得不行，请社区派人处理")
    chat.say("admin", "/approve 1 sanitation")
    chat.say("m1", "/accept 1")
    chat.say("m1", "/checkin 1")
    chat.advance(hours=2)
    chat.say("m1", "/done 1")
    shown = chat.say("zhang", "排行榜", group="g1").in_group("g1")[0]
    assert shown.splitlines() == ["幸福里社区党员排行榜 · 按时长 Top 50（每日更新）",
                                  "1. 李明　2.0 小时"]
    units = chat.say("m1", "/top 次数 单位").to("m1")[0]
    assert units.splitlines()[1:] == ["1. 区税务局　1 次"]
    assert "暂时还没有数据" in chat.say("m2", "/top 评分").to("m2")[0]
    assert chat.say("m2", "/top 评价").to("m2")[0].startswith("幸福里社区党员排行榜 · 按评分")
    with transaction(chat.engine) as session:
        session.add(Community(name="阳光社区"))
    with transaction(chat.engine) as session:
        session.add(Admin(channel="console", user_id="chief"))
    assert chat.say("chief", "/top").to("chief")[0].startswith("全区党员排行榜")


def test_ten_two_hour_services_are_exactly_twenty_hours(engine) -> None:
    from handlers.ledger.services import per_member

    with transaction(engine) as session:
        seed(session.get_bind(), NOW, "Asia/Shanghai")
    with transaction(engine) as session:
        member = session.get(Member, 1)
        for _ in range(10):
            serve(session, member, hours=2)
    with transaction(engine) as session:
        totals = per_member()
        total = session.exec(select(totals.c.hours).where(totals.c.member_id == 1)).one()

    assert total == 20.0  # not 19.9999999: a 20-hour quota is met


def test_a_default_good_rating_is_not_a_residents_stars(district) -> None:
    engine, ids = district
    with transaction(engine) as session:
        wang = session.exec(select(Member).where(Member.name == "王芳")).one()
        serve(session, wang, 1, 5, by_default=True)

    assert ("王芳", 4.0) in lines(engine, ids["happy"], "member", "rating")


def test_the_refresh_is_a_few_statements_however_many_members(district) -> None:
    engine, _ = district
    with transaction(engine) as session:
        tax = session.exec(select(Unit).where(Unit.name == "区税务局")).one()
        happy = session.exec(select(Community)).first()
        for n in range(30):  # members, and their entries, add no statement
            member = add_member(session, happy, f"新党员{n:02d}", tax)
            book.write(session, [book.entry(member.id, n + 1, "service", NOW)])
    with counting(engine) as statements:
        run_due(engine, POLICY, NOW, REFRESH)
    sent = [s for s in statements.sent if not s.startswith(("BEGIN", "SAVEPOINT", "RELEASE"))]
    # the district's units (a read), the communities, the scopes stored, one DELETE and one
    # INSERT ... SELECT for the (up to ten) communities, the district's members (a read),
    # and the district's lines swapped in
    assert len(sent) == 8, statements.listing()
    assert sum("INSERT INTO boardentry" in s for s in sent) == 2
