"""The inbound journal: a message whose handling failed, or outlived the platform's patience,
is retried until handled, parked when it keeps failing, and never handled twice."""

from __future__ import annotations

import asyncio
from dataclasses import asdict
from datetime import timedelta

import pytest
from sqlalchemy.exc import OperationalError
from sqlmodel import func, select
from typer.testing import CliRunner

from bot import journal
from bot.cli import app
from bot.clock import Clock
from bot.demo import seed
from bot.hub import Hub
from handlers.chat import process as process_module
from handlers.chat.process import process
from handlers.messages import Incoming, Location
from storage.db import transaction
from storage.inbound import InboundMessage, InboundStatus
from storage.messaging import OutboxMessage
from storage.models import Order
from tests.chat import POLICY
from tests.conftest import START

NEED = Incoming("console", "resident1", "resident1", text="3栋楼道的灯坏了，麻烦社区派人来修",
                message_id="m1")


def _count(engine, table) -> int:
    with transaction(engine) as session:
        return session.exec(select(func.count()).select_from(table)).one()


def _journal(engine) -> list[tuple[InboundStatus, int]]:
    with transaction(engine) as session:
        rows = session.exec(select(InboundMessage).order_by(InboundMessage.id)).all()
        return [(row.status, row.attempts) for row in rows]


@pytest.fixture
def hub(engine, settings) -> Hub:
    seed(engine, START)
    return Hub(engine, settings, Clock(START))


def _locked_once(monkeypatch) -> None:
    calls = []

    def locked_then_fine(*args, **kwargs):
        calls.append(1)
        if len(calls) == 1:
            raise OperationalError("INSERT …", {}, Exception("database is locked"))
        return process(*args, **kwargs)

    monkeypatch.setattr(process_module, "process", locked_then_fine)


def test_a_failed_handling_is_acknowledged_journalled_and_retried(hub, monkeypatch):
    _locked_once(monkeypatch)

    assert asyncio.run(hub.handle(NEED)) is True
    assert (_count(hub.engine, Order), _journal(hub.engine)) == (
        0, [(InboundStatus.PENDING, 1)])
    assert journal.retry_due(hub.engine, POLICY, START) == 0  # backing off
    assert journal.retry_due(hub.engine, POLICY, START + timedelta(seconds=5)) == 1
    assert (_count(hub.engine, Order), _journal(hub.engine)) == (
        1, [(InboundStatus.HANDLED, 1)])
    assert _count(hub.engine, OutboxMessage) > 0  # the resident and the admins are told


def test_a_message_handled_meanwhile_is_not_handled_twice(hub):
    async def held_then_handled() -> None:
        await hub.hold(NEED)
        await hub.handle(NEED)

    asyncio.run(held_then_handled())
    assert journal.retry_due(hub.engine, POLICY, START + journal.HOLD) == 1

    assert (_count(hub.engine, Order), _journal(hub.engine)) == (
        1, [(InboundStatus.HANDLED, 0)])


def test_a_message_that_keeps_failing_is_parked_and_listed(hub, monkeypatch, tmp_path):
    def broken(*_args, **_kwargs):
        raise RuntimeError("a bug in a handler")

    monkeypatch.setattr(process_module, "process", broken)
    asyncio.run(hub.handle(NEED))
    later = START
    for _ in range(journal.MAX_ATTEMPTS):
        later += journal.MAX_BACKOFF
        journal.retry_due(hub.engine, POLICY, later)

    assert _journal(hub.engine) == [(InboundStatus.PARKED, journal.MAX_ATTEMPTS)]
    lines = journal.parked_lines(hub.engine)
    assert len(lines) == 1
    assert "RuntimeError('a bug in a handler')" in lines[0]


def test_whistle_undelivered_inbound_says_when_nothing_is_parked(tmp_path):
    url = f"sqlite:///{tmp_path / 'w.db'}"
    runner = CliRunner()
    empty = runner.invoke(app, ["undelivered", "--inbound"], env={"WHISTLE_DATABASE_URL": url})
    assert (empty.exit_code, empty.output) == (0, "every message received was handled\n")


def test_a_journalled_message_keeps_its_location():
    shared = Incoming("telegram", "1", "1", location=Location(31.2, 121.5), message_id="9")
    assert journal._incoming(asdict(shared)) == shared
