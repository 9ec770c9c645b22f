"""Retention: delivered messages, handled journal entries and seen ids older than the
retention are deleted, a chunk at a time; what is still owed or must be seen is kept."""

from __future__ import annotations

from datetime import timedelta

from sqlmodel import select

from handlers.jobs import retention
from handlers.jobs.sweeps import run_sweep, sweep_named
from storage.db import transaction
from storage.inbound import InboundMessage, InboundStatus
from storage.messaging import InboundSeen, OutboxMessage, OutboxStatus
from tests.chat import POLICY
from tests.conftest import START

OLD = START - POLICY.retention - timedelta(hours=1)
RECENT = START - POLICY.retention + timedelta(hours=1)


def _outbox(text: str, status: OutboxStatus, at) -> OutboxMessage:
    return OutboxMessage(channel="console", to_user="u", text=text, status=status,
                         created_at=at, next_attempt_at=at,
                         sent_at=at if status == OutboxStatus.SENT else None)


def _journal(name: str, status: InboundStatus, at) -> InboundMessage:
    return InboundMessage(channel="console", user_id=name, payload={}, status=status,
                          received_at=at, next_attempt_at=at,
                          handled_at=at if status == InboundStatus.HANDLED else None)


def _fill(engine) -> None:
    with transaction(engine) as session:
        session.add_all([
            _outbox("old sent", OutboxStatus.SENT, OLD),
            _outbox("recent sent", OutboxStatus.SENT, RECENT),
            _outbox("old pending", OutboxStatus.PENDING, OLD),
            _outbox("old undeliverable", OutboxStatus.UNDELIVERABLE, OLD),
            _journal("old handled", InboundStatus.HANDLED, OLD),
            _journal("old parked", InboundStatus.PARKED, OLD),
            _journal("recent handled", InboundStatus.HANDLED, RECENT),
            InboundSeen(channel="console", chat_id="c", message_id="old", at=OLD),
            InboundSeen(channel="console", chat_id="c", message_id="recent", at=RECENT),
        ])


def _left(engine) -> tuple[list[str], list[str], list[str]]:
    with transaction(engine) as session:
        return (sorted(session.exec(select(OutboxMessage.text)).all()),
                sorted(session.exec(select(InboundMessage.user_id)).all()),
                sorted(session.exec(select(InboundSeen.message_id)).all()))


def test_what_outlived_the_retention_goes_and_the_rest_stays(engine):
    _fill(engine)

    run_sweep(engine, POLICY, sweep_named("retention"), START)

    assert _left(engine) == (["old pending", "old undeliverable", "recent sent"],
                             ["old parked", "recent handled"], ["recent"])


def test_a_backlog_goes_a_chunk_a_run(engine, monkeypatch):
    monkeypatch.setattr(retention, "CHUNK", 2)
    with transaction(engine) as session:
        session.add_all([_outbox(f"old {n}", OutboxStatus.SENT, OLD) for n in range(3)])

    run_sweep(engine, POLICY, sweep_named("retention"), START)
    assert len(_left(engine)[0]) == 1
    run_sweep(engine, POLICY, sweep_named("retention"), START)
    assert _left(engine)[0] == []
