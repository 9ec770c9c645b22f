"""Kept points balances (handlers.ledger.book): each is the sum of its ledger after every
kind of write, and a write costs two statements however many entries it holds."""

from __future__ import annotations

from datetime import UTC, datetime

from sqlmodel import select

from handlers.context import Context
from handlers.jobs.sweeps import run_due, sweep_named
from handlers.ledger import book, points
from storage.db import transaction
from storage.ledger import PointBalance, PointEntry
from storage.models import Member
from tests.chat import NEED, POLICY, Chat, serve
from tests.statements import counting

M1, M4 = 1, 4  # the demo's 李明 (m1) and 刘洋 (m4)


def balances(chat: Chat) -> dict[int, int]:
    """Every kept balance, after checking each is the sum of its ledger."""
    with transaction(chat.engine) as session:
        assert book.drift(session) == []
        return {b.member_id: b.balance for b in session.exec(select(PointBalance)).all()}


def test_every_kind_of_entry_moves_the_balance_with_it(chat_on_each_database: Chat) -> None:
    chat = chat_on_each_database
    year_base = (sweep_named("points_year_base"),)
    run_due(chat.engine, POLICY, chat.clock.now(), year_base)  # the year's base, in bulk
    assert balances(chat)[M1] == 80
    serve(chat, hours=3)  # service and hours
    assert balances(chat)[M1] == 80 + 5 + 6
    chat.press("zhang", "rate:1:5")  # the five-star bonus
    assert balances(chat)[M1] == 80 + 5 + 6 + 5
    chat.say("admin", "/redeem 李明 30 洗衣液一瓶")  # spending
    assert balances(chat)[M1] == 80 + 5 + 6 + 5 - 30
    chat.say("zhang", NEED)
    chat.say("admin", "/approve 2 sanitation")
    chat.say("m4", "/accept 2")
    chat.advance(days=3, hours=1)
    run_due(chat.engine, POLICY, chat.clock.now(), (sweep_named("points_no_show"),))
    assert balances(chat)[M4] == 80 - 10  # the no-show's deduction, in bulk
    run_due(chat.engine, POLICY, datetime(2026, 12, 31, 16, 0, tzinfo=UTC), year_base)
    assert (balances(chat)[M1], balances(chat)[M4]) == (80, 80)  # closed, and the new base


def test_a_low_rating_and_registering_move_the_balance(chat: Chat) -> None:
    serve(chat)
    chat.press("zhang", "rate:1:1")
    assert balances(chat)[M1] == 5 + 4 - 5  # service, two hours, the deduction
    for answer in ["/register", "周敏", "13800000009", "区财政局", "第一网格", "周末", "无",
                   "1"]:
        chat.say("zhou", answer)
    with transaction(chat.engine) as session:
        zhou = session.exec(select(Member).where(Member.name == "周敏")).one()
    assert balances(chat)[zhou.id] == 80


def test_a_write_is_two_statements_however_many_entries(chat: Chat) -> None:
    with counting(chat.engine) as statements, transaction(chat.engine) as session:
        book.write(session, [book.entry(m, 3, "five_star", chat.clock.now())
                             for m in (M1, M4, M1)])
        book.write(session, [book.entry(M1, 0, "hours", chat.clock.now())])  # nothing
    assert [" ".join(s.split()[:3]) for s in statements.sent
            if not s.startswith("BEGIN")] == [
        "INSERT INTO pointentry", "INSERT INTO pointbalance"]
    assert balances(chat) == {M1: 6, M4: 3}


def test_rebuild_sums_entries_loaded_in_bulk_and_drift_tells_a_wrong_balance(
        chat: Chat) -> None:
    now = chat.clock.now()
    with transaction(chat.engine) as session:
        session.add(PointEntry(member_id=M1, delta=7, reason="service", at=now))
        session.flush()
        assert book.drift(session) == [(M1, 0, 7)]
        book.rebuild(session, [M1])
        assert book.drift(session) == []
        points.add(Context(session, POLICY, now), M4, 2, "service")
        session.get_one(PointBalance, M4).balance = 5
        session.flush()
        assert book.drift(session) == [(M4, 5, 2)]
