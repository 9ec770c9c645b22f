"""What a service is, tested once; and every count of services agrees with it.

Boards, quotas, points, the reports, the digest and /me all aggregate over
``handlers.ledger.services``; these tests pin the rule there and check the readers against it,
on SQLite and PostgreSQL.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import event
from sqlalchemy.engine import Engine
from sqlmodel import Session, select

from handlers.context import Context
from handlers.jobs.digest import Week, week_numbers
from handlers.ledger import boards, points, quotas, running
from handlers.ledger.periods import parse_period
from handlers.ledger.services import per_member, service_select
from handlers.orders import participation
from handlers.reports.reports import build
from handlers.reports.tables import Scope
from storage.db import transaction
from storage.models import (
    Acceptance,
    AcceptanceStatus,
    CheckIn,
    CheckInKind,
    Community,
    Member,
    Order,
    Rating,
    Unit,
)
from storage.models import OrderStatus as S
from tests.chat import POLICY

NOW = datetime(2026, 11, 23, 1, tzinfo=UTC)  # a Monday morning in Shanghai
H = timedelta(hours=1)
ZONE = "Asia/Shanghai"


class Ledger:
    """Orders, places, check-ins and ratings written straight into the tables."""

    def __init__(self, session: Session, community: str = "幸福社区") -> None:
        self.session = session
        self.community = Community(name=community, quota_services=1, quota_hours=3)
        self.unit = Unit(name=f"{community}共建单位")
        session.add_all([self.community, self.unit])
        session.flush()

    def member(self, name: str) -> Member:
        member = Member(name=name, community_id=self.community.id, unit_id=self.unit.id,
                        registered_at=NOW - timedelta(days=400))
        self.session.add(member)
        self.session.flush()
        return member

    def order(self, opened: datetime = NOW) -> Order:
        order = Order(community_id=self.community.id, text="服务", duty="sanitation",
                      status=S.CLOSED, created_at=opened, updated_at=opened, opened_at=opened)
        self.session.add(order)
        self.session.flush()
        return order

    def place(self, order: Order, member: Member, at: datetime = NOW, round_: int = 1,
              status: AcceptanceStatus = AcceptanceStatus.ACCEPTED) -> None:
        self.session.add(Acceptance(order_id=order.id, member_id=member.id, round=round_,
                                    status=status, accepted_at=at))

    def check(self, order: Order, member: Member, kind: CheckInKind, at: datetime) -> None:
        self.session.add(CheckIn(order_id=order.id, member_id=member.id, kind=kind, at=at))

    def rate(self, order: Order, stars: int, at: datetime, round_: int = 1,
             by_default: bool = False) -> None:
        self.session.add(Rating(order_id=order.id, stars=stars, at=at, round=round_,
                                by_default=by_default))

    def serve(self, member: Member, start: datetime, hours: float,
              stars: int | None = None) -> Order:
        order = self.order(start - H)
        self.place(order, member, start - H)
        self.check(order, member, CheckInKind.ARRIVE, start)
        self.check(order, member, CheckInKind.DONE, start + hours * H)
        if stars is not None:
            self.rate(order, stars, start + (hours + 1) * H)
        return order


def rows(session: Session) -> list[tuple]:
    """Each service as (member, order, arrived, hours, round, stars, by_default)."""
    svc = service_select().subquery()
    found = session.execute(select(svc.c.member_id, svc.c.order_id, svc.c.arrived_at,
                                   svc.c.hours, svc.c.round, svc.c.stars, svc.c.by_default)
                            .order_by(svc.c.checkin_id)).all()
    return [(m, o, a is not None, round(h, 3), r, s, d) for m, o, a, h, r, s, d in found]


def test_an_arrival_without_a_finish_is_no_service(engine: Engine) -> None:
    with transaction(engine) as session:
        ledger = Ledger(session)
        li = ledger.member("李明")
        order = ledger.order()
        ledger.place(order, li)
        ledger.check(order, li, CheckInKind.ARRIVE, NOW)
        session.flush()
        assert rows(session) == []


def test_a_finish_without_an_arrival_counts_with_no_hours(engine: Engine) -> None:
    with transaction(engine) as session:
        ledger = Ledger(session)
        li = ledger.member("李明")
        order = ledger.order()
        ledger.place(order, li)
        ledger.check(order, li, CheckInKind.DONE, NOW + 2 * H)
        session.flush()
        assert rows(session) == [(li.id, order.id, False, 0.0, 1, None, None)]


def test_hours_run_from_the_latest_arrival_before_the_finish(engine: Engine) -> None:
    with transaction(engine) as session:
        ledger = Ledger(session)
        li = ledger.member("李明")
        order = ledger.order()
        ledger.place(order, li)
        ledger.check(order, li, CheckInKind.ARRIVE, NOW)
        ledger.check(order, li, CheckInKind.ARRIVE, NOW + H)
        ledger.check(order, li, CheckInKind.DONE, NOW + 3 * H)
        ledger.check(order, li, CheckInKind.ARRIVE, NOW + 4 * H)  # after: not this service's
        session.flush()
        assert rows(session) == [(li.id, order.id, True, 2.0, 1, None, None)]


def test_each_round_gets_its_own_rating(engine: Engine) -> None:
    """Round 1 was rated 2★ and returned; round 2, by another member, got 5★."""
    with transaction(engine) as session:
        ledger = Ledger(session)
        li, wang = ledger.member("李明"), ledger.member("王芳")
        order = ledger.order()
        ledger.place(order, li, status=AcceptanceStatus.RELEASED)
        ledger.check(order, li, CheckInKind.ARRIVE, NOW)
        ledger.check(order, li, CheckInKind.DONE, NOW + H)
        ledger.rate(order, 2, NOW + 2 * H)
        ledger.place(order, wang, NOW + 3 * H, round_=2)
        ledger.check(order, wang, CheckInKind.ARRIVE, NOW + 4 * H)
        ledger.check(order, wang, CheckInKind.DONE, NOW + 6 * H)
        ledger.rate(order, 5, NOW + 7 * H, round_=2)
        session.flush()
        assert rows(session) == [(li.id, order.id, True, 1.0, 1, 2, False),
                                 (wang.id, order.id, True, 2.0, 2, 5, False)]


def test_a_no_show_is_no_service(engine: Engine) -> None:
    with transaction(engine) as session:
        ledger = Ledger(session)
        li = ledger.member("李明")
        ledger.place(ledger.order(), li, status=AcceptanceStatus.NO_SHOW)
        session.flush()
        assert rows(session) == []
        assert participation.service_record(session, li) == (0, 0.0)


def test_a_default_good_rating_is_shown_but_not_averaged(engine: Engine) -> None:
    with transaction(engine) as session:
        ledger = Ledger(session)
        li = ledger.member("李明")
        order = ledger.serve(li, NOW, 2)
        ledger.rate(order, 5, NOW + 26 * H, by_default=True)
        ledger.serve(li, NOW + 30 * H, 1, stars=3)
        session.flush()
        assert [r[5:] for r in rows(session)] == [(5, True), (3, False)]
        mine = per_member()
        assert session.execute(select(mine.c.services, mine.c.hours, mine.c.star_sum,
                                      mine.c.rated)).one() == (2, 3.0, 3, 1)


@pytest.fixture
def served(engine: Engine) -> tuple[Engine, dict[str, int]]:
    """李明 2.5 h (5★) and 1 h (3★); 王芳 4 h (4★) and a finish without arrival; 孙丽 only
    arrived; all in the week of 2026-11-23."""
    with transaction(engine) as session:
        ledger = Ledger(session)
        li, wang, sun = ledger.member("李明"), ledger.member("王芳"), ledger.member("孙丽")
        ledger.serve(li, NOW, 2.5, stars=5)
        ledger.serve(li, NOW + 5 * H, 1, stars=3)
        ledger.serve(wang, NOW + 2 * H, 4, stars=4)
        bare = ledger.order()
        ledger.place(bare, wang)
        ledger.check(bare, wang, CheckInKind.DONE, NOW + 8 * H)
        ledger.place(bare, sun)
        ledger.check(bare, sun, CheckInKind.ARRIVE, NOW + 8 * H)
        ids = {"community": ledger.community.id, "李明": li.id, "王芳": wang.id, "孙丽": sun.id}
        running.rebuild(session)  # written straight into the tables, past the workflow
    return engine, ids


def truth(session: Session) -> dict[int, tuple[int, float]]:
    """Services and hours per member, straight from the one query."""
    totals: dict[int, tuple[int, float]] = {}
    for member_id, _order, _arrived, hours, *_ in rows(session):
        count, total = totals.get(member_id, (0, 0.0))
        totals[member_id] = (count + 1, total + hours)
    return totals


def test_boards_reports_digest_and_me_agree_with_the_one_query(served) -> None:
    engine, ids = served
    with transaction(engine) as session:
        expected = truth(session)
        names = {ids[name]: name for name in ("李明", "王芳")}
        hours = {names[i]: h for i, (_n, h) in expected.items()}
        counts = {names[i]: n for i, (n, _h) in expected.items()}
        board = {line.name: line.value for line in
                 boards.compute(session, ids["community"], "member", "hours")}
        tally = {line.name: line.value for line in
                 boards.compute(session, ids["community"], "member", "services")}
        assert (board, tally) == (hours, counts)
        assert {line.name: line.value for line in boards.compute(
            session, ids["community"], "member", "rating")} == {"李明": 4.0, "王芳": 4.0}
        for member_id, record in expected.items():
            member = session.get(Member, member_id)
            assert member is not None
            assert participation.service_record(session, member) == record
        roster = build(session, "roster", Scope(parse_period("2026Q4"), ZONE), POLICY)
        assert {r[1]: (r[9], r[10]) for r in roster.rows if r[9]} == {
            name: (counts[name], round(hours[name], 1)) for name in counts}
        week = week_numbers(session, ids["community"], Week(NOW.date(), ZONE))
        assert (week.services, week.hours) == (sum(counts.values()), sum(hours.values()))


def test_quotas_count_the_same_services(served) -> None:
    """The quota here is 1 service and 3 hours a year (all of them by the end of Q4): 孙丽, who only
    arrived, is the one below it at the end of Q4."""
    engine, ids = served
    with transaction(engine) as session:
        community = session.get(Community, ids["community"])
        assert community is not None
        below = quotas.below_quota(session, community, POLICY, (2026, 4))
        assert [m.name for m in below] == ["孙丽"]


def test_points_hours_and_me_are_one_statement_each(served) -> None:
    """Three holders' hours come in one query, not one per holder."""
    engine, ids = served
    with transaction(engine) as session:
        ledger = Ledger(session, "阳光社区")
        order = ledger.order(NOW + 40 * H)
        holders = [ledger.member(f"队员{i}") for i in range(3)]
        for i, member in enumerate(holders):
            ledger.place(order, member, NOW + 40 * H)
            ledger.check(order, member, CheckInKind.ARRIVE, NOW + 41 * H)
            ledger.check(order, member, CheckInKind.DONE, NOW + (42 + i) * H)
        session.flush()
        statements: list[str] = []
        listener = lambda *args: statements.append(args[2])  # noqa: E731
        event.listen(engine, "before_cursor_execute", listener)
        try:
            served_hours = points.hours_this_round(session, order)
            participation.service_record(session, holders[0])
        finally:
            event.remove(engine, "before_cursor_execute", listener)
        assert served_hours == {m.id: float(i + 1) for i, m in enumerate(holders)}
        assert len(statements) == 2

        ctx = Context(session, POLICY, NOW + 45 * H)
        acceptances = session.exec(select(Acceptance).where(
            Acceptance.order_id == order.id)).all()
        points.award_service(ctx, order, acceptances)
        session.flush()
        assert [points.balance(session, m.id) for m in holders] == [
            POLICY.points.per_service + round(hours * POLICY.points.per_hour)
            for hours in (1, 2, 3)]
