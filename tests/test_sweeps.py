"""Sweeps in savepoints: one community's failure costs only its own share of a sweep."""

from __future__ import annotations

import logging
from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy.engine import Engine
from sqlmodel import Session, select

from handlers.context import Context
from handlers.jobs import reminders
from handlers.jobs.sweeps import run_sweep, sweep_named
from storage.db import transaction
from storage.messaging import OutboxMessage, SentNotice
from storage.models import Acceptance, Community, Identity, Member, Order
from storage.models import OrderStatus as S
from tests.chat import POLICY

NOW = datetime(2026, 11, 23, 2, tzinfo=UTC)  # 10:00 in Shanghai


def an_event_soon(session: Session, community: str) -> int:
    """A community whose one member holds a place on an event starting in half an hour."""
    place = Community(name=community)
    session.add(place)
    session.flush()
    member = Member(name=f"{community}党员", community_id=place.id, registered_at=NOW)
    session.add(member)
    session.flush()
    session.add(Identity(channel="console", user_id=f"m-{place.id}", member_id=member.id))
    order = Order(community_id=place.id, text="小区大扫除", duty="sanitation",
                  status=S.CLAIMED, created_at=NOW, updated_at=NOW, opened_at=NOW,
                  event_at=NOW + timedelta(minutes=30), capacity=1, accepted_count=1)
    session.add(order)
    session.flush()
    session.add(Acceptance(order_id=order.id, member_id=member.id, accepted_at=NOW))
    assert place.id is not None
    return place.id


def test_one_communitys_failure_leaves_the_others_reminded(
        engine: Engine, monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture) -> None:
    with transaction(engine) as session:
        broken, sound = an_event_soon(session, "幸福社区"), an_event_soon(session, "阳光社区")
    real_remind = reminders._remind

    def remind(ctx: Context, order: Order, kind: str, accepted_before: datetime | None,
               text: str) -> None:
        real_remind(ctx, order, kind, accepted_before, text)  # its notice is written, then
        if order.community_id == broken:
            raise RuntimeError("a bad row")

    monkeypatch.setattr(reminders, "_remind", remind)
    with caplog.at_level(logging.ERROR, logger="handlers.jobs.communities"):
        run_sweep(engine, POLICY, sweep_named("event_reminders"), NOW)

    with transaction(engine) as session:
        queued = session.exec(select(OutboxMessage.to_user)).all()
        noted = session.exec(select(SentNotice.subject)).all()
    assert (queued, len(noted)) == ([f"m-{sound}"], 1)  # the broken share rolled back whole
    failure = next(r for r in caplog.records if r.levelno == logging.ERROR)
    assert ("event_reminders", broken) == failure.args
    assert failure.exc_info is not None


def test_the_failed_community_is_done_on_the_next_run(
        engine: Engine, monkeypatch: pytest.MonkeyPatch) -> None:
    with transaction(engine) as session:
        broken, sound = an_event_soon(session, "幸福社区"), an_event_soon(session, "阳光社区")
    real_text = reminders.public_text

    def public_text(order: Order) -> str:
        if order.community_id == broken:
            raise ValueError("a bad row")
        return real_text(order)

    monkeypatch.setattr(reminders, "public_text", public_text)
    run_sweep(engine, POLICY, sweep_named("event_reminders"), NOW)
    with transaction(engine) as session:
        assert session.exec(select(OutboxMessage.to_user)).all() == [f"m-{sound}"]
    monkeypatch.undo()
    run_sweep(engine, POLICY, sweep_named("event_reminders"), NOW + timedelta(minutes=5))

    with transaction(engine) as session:
        queued = sorted(session.exec(select(OutboxMessage.to_user)).all())
    assert queued == sorted([f"m-{broken}", f"m-{sound}"])
