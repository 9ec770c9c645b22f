"""The first N accepts win, even when a hundred arrive at once (SQLite and PostgreSQL)."""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor
from datetime import UTC, datetime

from sqlmodel import select

from handlers.chat.process import process
from handlers.messages import Incoming
from storage.db import transaction
from storage.messaging import OutboxMessage
from storage.models import Acceptance, Community, Identity, Member, Order, OrderHistory
from tests.chat import POLICY

NOW = datetime(2026, 11, 23, 1, 0, tzinfo=UTC)
MEMBERS = 100
CAPACITY = 3


def _seed(engine) -> int:
    with transaction(engine) as session:
        community = Community(name="并发社区")
        session.add(community)
        session.flush()
        for n in range(MEMBERS):
            member = Member(name=f"党员{n}", community_id=community.id, registered_at=NOW,
                            duties=["sanitation"])
            session.add(member)
            session.flush()
            session.add(Identity(channel="console", user_id=f"u{n}", member_id=member.id))
        order = Order(community_id=community.id, duty="sanitation", text="周六大扫除",
                      capacity=CAPACITY, status="open", created_at=NOW, updated_at=NOW)
        session.add(order)
        session.flush()
        return order.id


def test_a_hundred_simultaneous_accepts_leave_exactly_capacity_winners(engine) -> None:
    order_id = _seed(engine)

    def accept(n: int) -> None:
        process(engine, POLICY, Incoming(channel="console", chat_id=f"u{n}",
                                           user_id=f"u{n}", button=f"accept:{order_id}"), NOW)

    with ThreadPoolExecutor(max_workers=16) as pool:
        list(pool.map(accept, range(MEMBERS)))

    with transaction(engine) as session:
        order = session.get(Order, order_id)
        winners = session.exec(select(Acceptance).where(Acceptance.order_id == order_id)).all()
        moves = session.exec(select(OrderHistory.to_status)
                             .where(OrderHistory.order_id == order_id)).all()
        told_full = session.exec(select(OutboxMessage.to_user)
                                 .where(OutboxMessage.text.contains("名额已满"))).all()
    assert (order.status, order.accepted_count, len(winners)) == ("claimed", CAPACITY, CAPACITY)
    assert moves == ["claimed"]
    assert len(set(told_full)) == MEMBERS - CAPACITY
