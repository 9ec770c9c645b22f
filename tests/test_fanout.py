"""A whistle to a duty's members costs the same few statements however many they are, and
the member_duty rows follow Member.duties wherever duties are written."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, datetime

from sqlalchemy import event, func
from sqlalchemy.engine import Engine
from sqlmodel import Session, col, select

from handlers import fanout, recipients
from handlers.context import Context
from handlers.jobs import quota_warnings
from handlers.orders import notices
from storage.db import transaction
from storage.duties import MemberDuty
from storage.messaging import OutboxMessage
from storage.models import Admin, Community, GroupChat, Identity, Member, Order, Resident
from storage.models import OrderStatus as S
from tests.chat import POLICY

NOW = datetime(2026, 11, 23, 1, 0, tzinfo=UTC)
NEED = "3栋2单元501楼道灯坏了，电话13912345678"


@contextmanager
def counted(engine: Engine) -> Iterator[list[str]]:
    """The SQL statements run on ``engine`` inside the block."""
    statements: list[str] = []

    def count(_conn: object, _cursor: object, statement: str, *_args: object) -> None:
        statements.append(statement)

    event.listen(engine, "before_cursor_execute", count)
    try:
        yield statements
    finally:
        event.remove(engine, "before_cursor_execute", count)


def district(engine: Engine, members: int, registered: datetime = NOW) -> int:
    """A community with a group and ``members`` members (each with an account), every other
    one claiming sanitation; an open sanitation order filed by the first member. Its id."""
    with transaction(engine) as session:
        community = Community(name=f"社区{members}")
        session.add(community)
        session.flush()
        assert community.id is not None
        session.add(GroupChat(channel="console", chat_id=f"g{members}",
                              community_id=community.id))
        resident = Resident(name="居民", community_id=community.id)
        session.add(resident)
        session.flush()
        for i in range(members):
            duties = ["sanitation", "safety"] if i % 2 == 0 else ["safety"]
            member = Member(name=f"党员{i}", community_id=community.id, duties=duties,
                            registered_at=registered)
            session.add(member)
            session.flush()
            user = f"m{i}" if members < 10 else f"m{members}-{i}"
            session.add(Identity(channel="console", user_id=user, member_id=member.id,
                                 resident_id=resident.id if i == 0 else None))
        order = Order(community_id=community.id, duty="sanitation", text=NEED,
                      status=S.OPEN, created_at=NOW, updated_at=NOW, resident_id=None)
        session.add(order)
        session.flush()
        return order.id or 0


def whistle(engine: Engine, order_id: int) -> tuple[int, list[OutboxMessage]]:
    """Whistle the order; statements run, and the outbox afterwards."""
    with counted(engine) as statements, transaction(engine) as session:
        notices.whistle(Context(session, POLICY, NOW), session.get_one(Order, order_id))
    with Session(engine) as session:
        return len(statements), list(session.exec(select(OutboxMessage)
                                                  .order_by(col(OutboxMessage.id))).all())


def test_a_whistle_costs_the_same_statements_for_10_or_50_members(engine: Engine) -> None:
    few = whistle(engine, district(engine, 10))
    many = whistle(engine, district(engine, 50))
    assert few[0] == many[0]
    # The first ten of the duty, ranked: all alike here, so the earliest registered.
    assert [m.to_user for m in many[1][len(few[1]):] if m.to_user] == [
        f"m50-{i}" for i in range(0, 20, 2)]


def test_a_bulk_whistle_is_masked_and_ends_with_the_groups(engine: Engine) -> None:
    _, outbox = whistle(engine, district(engine, 4))
    assert [(m.to_user, m.to_chat) for m in outbox] == [
        ("m0", None), ("m2", None), (None, "g4")]
    assert all("13912345678" not in m.text and "501" not in m.text for m in outbox)
    assert outbox[0].buttons == [{"label": "接单", "data": f"accept:{1}"}]


def test_nobody_whistled_to_their_own_need(engine: Engine) -> None:
    order_id = district(engine, 4)
    with transaction(engine) as session:
        own = session.exec(select(Identity).where(Identity.user_id == "m0")).one()
        session.get_one(Order, order_id).resident_id = own.resident_id
    _, outbox = whistle(engine, order_id)
    assert [m.to_user for m in outbox if m.to_user] == ["m2"]


def test_a_whistle_counts_the_messages_it_queued(engine: Engine) -> None:
    # psycopg forgets an INSERT's row count once the cursor closes: -1 read as "queued".
    district(engine, 4)
    with transaction(engine) as session:
        ctx = Context(session, POLICY, NOW)
        assert fanout.to_members(ctx, recipients.duty_members_anywhere("sanitation"), "吹哨") == 2
        assert fanout.to_members(ctx, recipients.duty_members_anywhere("civility"), "吹哨") == 0


def test_admins_hear_when_nobody_claimed_the_duty(engine: Engine) -> None:
    order_id = district(engine, 4)
    with transaction(engine) as session:
        for member in session.exec(select(Member)).all():
            member.duties = ["safety"]
        session.add(Admin(channel="console", user_id="admin",
                          community_id=session.get_one(Order, order_id).community_id))
    _, outbox = whistle(engine, order_id)
    assert [(m.to_user, m.to_chat) for m in outbox] == [("admin", None), (None, "g4")]
    assert "没有认领该职责的党员" in outbox[0].text


def test_member_duty_follows_the_duties_written(engine: Engine) -> None:
    district(engine, 2)

    def rows() -> list[tuple[str, str]]:
        with Session(engine) as session:
            return sorted(session.exec(
                select(Member.name, MemberDuty.duty)
                .join(MemberDuty, col(MemberDuty.member_id) == Member.id)).all())

    assert rows() == [("党员0", "safety"), ("党员0", "sanitation"), ("党员1", "safety")]
    with transaction(engine) as session:
        member = session.exec(select(Member).where(Member.name == "党员1")).one()
        member.duties = ["civility", "civility"]
    assert rows() == [("党员0", "safety"), ("党员0", "sanitation"), ("党员1", "civility")]
    with Session(engine) as session:
        assert session.exec(select(func.count()).select_from(MemberDuty)).one() == 3


def test_a_quota_sweep_costs_the_same_statements_for_10_or_50_members(engine: Engine) -> None:
    """Nudging is set-based, and so is finding on a re-run that everyone was nudged."""
    late_in_q4 = datetime(2026, 12, 24, 2, 0, tzinfo=UTC)  # 10:00 in Shanghai
    for members in (10, 50):
        district(engine, members, registered=datetime(2026, 6, 1, tzinfo=UTC))

    def nudge(community_id: int) -> int:
        with counted(engine) as statements, transaction(engine) as session:
            quota_warnings.nudge(Context(session, POLICY, late_in_q4),
                                 session.get_one(Community, community_id))
        return len(statements)

    communities = [1, 2]
    first = [nudge(c) for c in communities]
    again = [nudge(c) for c in communities]
    assert first[0] == first[1]
    assert again[0] == again[1]
    with Session(engine) as session:
        nudged = session.exec(select(func.count()).select_from(OutboxMessage)).one()
    assert nudged == 60


def test_a_quota_sweep_rerun_costs_the_same_statements_for_one_or_three_communities(
        engine: Engine) -> None:
    """A re-run with nobody new to nudge finds every community's pass done in a few
    statements for them all, not in a round trip or two per community."""
    late_in_q4 = datetime(2026, 12, 24, 2, 0, tzinfo=UTC)  # 10:00 in Shanghai

    def sweep() -> int:
        with counted(engine) as statements, transaction(engine) as session:
            quota_warnings.nudges(Context(session, POLICY, late_in_q4))
        return len(statements)

    district(engine, 10, registered=datetime(2026, 6, 1, tzinfo=UTC))
    sweep()
    one = sweep()
    for members in (11, 12):
        district(engine, members, registered=datetime(2026, 6, 1, tzinfo=UTC))
    sweep()
    three = sweep()
    assert three == one
    assert one <= 5  # the communities, the members held, the passes (and BEGINs on SQLite)
