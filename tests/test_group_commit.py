"""Group commit: messages that arrive together are handled in one transaction
(``handlers.chat.process.process_many``, fed by the hub's batcher), and each ends exactly as
it would have had it been handled alone."""

from __future__ import annotations

import asyncio
from collections.abc import Callable, Sequence
from datetime import datetime, timedelta

from sqlalchemy import event
from sqlalchemy.engine import Engine
from sqlmodel import Session, col, select

from bot import hub as hub_module
from bot.bench_inbound import need
from bot.clock import Clock
from bot.demo import seed
from bot.hub import Hub
from handlers.chat import process as process_module
from handlers.chat.process import Handled, process, process_many
from handlers.messages import Incoming
from handlers.rules.policy import Policy
from handlers.texts import t
from storage.db import transaction
from storage.messaging import OutboxMessage
from storage.models import Order
from tests.chat import POLICY
from tests.conftest import START
from tests.statements import counting

BURST = 10


def _needs(first: int, count: int) -> list[tuple[Incoming, datetime]]:
    """New residents' needs, each at its own second."""
    return [(need(serial), START + timedelta(seconds=serial))
            for serial in range(first, first + count)]


def _outbox(engine: Engine) -> list[tuple[object, ...]]:
    with transaction(engine) as session:
        rows = session.exec(select(OutboxMessage).order_by(col(OutboxMessage.id))).all()
        return [(row.channel, row.to_chat, row.to_user, row.text, row.buttons, row.created_at)
                for row in rows]


def _orders(engine: Engine) -> list[tuple[object, ...]]:
    with transaction(engine) as session:
        rows = session.exec(select(Order).order_by(col(Order.id))).all()
        return [(row.community_id, row.duty, row.text, row.status, row.created_at)
                for row in rows]


def _commits(engine: Engine) -> list[int]:
    """A list that grows by one at each commit on ``engine``."""
    commits: list[int] = []
    event.listen(engine, "commit", lambda _connection: commits.append(1))
    return commits


def test_a_burst_of_needs_is_one_transaction_in_few_statements(engine: Engine) -> None:
    seed(engine, START)
    process_many(engine, POLICY, _needs(0, 2))  # the SQL is built and the classifier warm
    commits = _commits(engine)

    with counting(engine) as statements:
        outcomes = process_many(engine, POLICY, _needs(2, BURST))

    # Each need files a new resident and their order: on SQLite 7 statements a need, the
    # ids recorded for all in one, with BEGIN and the one outbox INSERT (10 a need one by
    # one); on PostgreSQL, whose statements do more each, 5 a need and the outbox INSERT
    # (6 one by one, and BEGIN and COMMIT round trips).
    a_need, per_batch = (7, 3) if engine.dialect.name == "sqlite" else (5, 1)
    assert (outcomes, len(commits)) == ([True] * BURST, 1)
    assert len(statements) == a_need * BURST + per_batch, statements.listing()
    assert len(_orders(engine)) == 2 + BURST


def _one_by_one(engine: Engine, items: Sequence[tuple[Incoming, datetime]]) -> list[Handled]:
    return [process(engine, POLICY, incoming, now) for incoming, now in items]


def test_a_refusal_in_a_batch_ends_every_message_as_alone(sqlite_templates, tmp_path) -> None:
    refused = Incoming("console", "bench3", "bench3", button="accept:1", message_id="press")
    items = [*_needs(0, 3), (refused, START + timedelta(seconds=3)), *_needs(4, 3)]
    for name in ("batched", "alone"):
        (tmp_path / name).mkdir()
    batched, alone = (sqlite_templates.engine("demo", tmp_path / name)
                      for name in ("batched", "alone"))

    outcomes = process_many(batched, POLICY, items)

    assert outcomes == _one_by_one(alone, items) == [True] * 7
    assert _outbox(batched) == _outbox(alone)
    assert _orders(batched) == _orders(alone)
    assert (("console", None, "bench3", t("not_a_member")) in
            [row[:4] for row in _outbox(batched)])


def test_a_copy_inside_a_batch_is_handled_once(engine: Engine) -> None:
    seed(engine, START)
    first, second = _needs(0, 2)
    copy = (first[0], first[1] + timedelta(seconds=5))

    outcomes = process_many(engine, POLICY, [first, second, copy])

    assert outcomes == [True, True, False]
    assert len(_orders(engine)) == 2


def test_a_failing_message_is_its_own_and_the_others_are_handled(engine: Engine,
                                                                  monkeypatch) -> None:
    seed(engine, START)
    items = _needs(0, 4)
    monkeypatch.setattr(process_module, "_handle", _failing_for(items[2][0]))

    outcomes = process_many(engine, POLICY, items)

    assert [isinstance(outcome, RuntimeError) for outcome in outcomes] == [
        False, False, True, False]
    assert (outcomes[:2], outcomes[3], len(_orders(engine))) == ([True, True], True, 3)


def test_a_batch_whose_writing_fails_is_handled_a_message_at_a_time(engine: Engine,
                                                                    monkeypatch) -> None:
    seed(engine, START)
    items = _needs(0, 3)
    real, calls = process_module.write_at, []

    def failing_once(session: Session, pending: list) -> None:
        calls.append(len(pending))
        if len(calls) == 1:
            raise RuntimeError("disk full")
        real(session, pending)

    monkeypatch.setattr(process_module, "write_at", failing_once)

    outcomes = process_many(engine, POLICY, items)

    assert (outcomes, len(calls), len(_orders(engine))) == ([True] * 3, 4, 3)


def _failing_for(broken: Incoming) -> Callable[..., bool]:
    """``process._handle``, raising for ``broken`` as a bug would."""
    real = process_module._handle

    def handle(session: Session, policy: Policy, incoming: Incoming, now: datetime,
               pending: list, first: bool | None = None) -> bool:
        if incoming == broken:
            raise RuntimeError("a bug in a handler")
        return real(session, policy, incoming, now, pending, first)

    return handle


def test_messages_arriving_together_at_the_hub_are_one_batch(engine: Engine, settings,
                                                              monkeypatch) -> None:
    seed(engine, START)
    hub = Hub(engine, settings, Clock(START))
    sizes: list[int] = []
    real = hub_module.process_many

    def recorded(engine_: Engine, policy, items):
        sizes.append(len(items))
        return real(engine_, policy, items)

    monkeypatch.setattr(hub_module, "process_many", recorded)

    async def together() -> list[bool]:
        return list(await asyncio.gather(*(hub.handle(incoming)
                                           for incoming, _ in _needs(0, 5))))

    async def alone() -> bool:
        return await hub.handle(_needs(5, 1)[0][0])

    assert asyncio.run(together()) == [True] * 5
    assert asyncio.run(alone()) is True
    assert sizes == [5, 1]
    assert len(_orders(engine)) == 6



def _said(user: str, text: str, at: timedelta, button: str | None = None
          ) -> tuple[Incoming, datetime]:
    return (Incoming("console", user, user, text=text, button=button, display_name=user,
                     message_id=f"{user}-{at.total_seconds():.0f}-{button}"), START + at)


def test_a_batch_s_kept_duplicate_candidates_end_each_need_as_alone(sqlite_templates,
                                                                    tmp_path) -> None:
    """The candidates a batch keeps (``handlers.orders.recent``) take in the batch's own new
    needs (the second is merged into the first), are dropped when an order changes (the
    third meets the first withdrawn, and files a need of its own), and are cut to each need's
    window (the last, days later, is no repeat of the third)."""
    for name in ("batched", "alone"):
        (tmp_path / name).mkdir()
    batched, alone = (sqlite_templates.engine("demo", tmp_path / name)
                      for name in ("batched", "alone"))
    with transaction(alone) as session:
        first = max(session.exec(select(Order.id)).all(), default=0) + 1
    said = "楼道灯坏了，晚上老人下楼看不见（3栋101室）"
    items = [_said("u1", said, timedelta(seconds=1)), _said("u2", said, timedelta(seconds=2)),
             _said("u1", f"/cancel {first}", timedelta(seconds=3)),
             _said("u1", "", timedelta(seconds=4), f"withdraw:{first}"),
             _said("u3", said, timedelta(seconds=5)),
             _said("u4", said, POLICY.duplicate_window + timedelta(seconds=6))]

    outcomes = process_many(batched, POLICY, items)

    assert outcomes == _one_by_one(alone, items) == [True] * len(items)
    assert _orders(batched) == _orders(alone)
    assert _outbox(batched) == _outbox(alone)
    statuses = [row[3] for row in _orders(batched)[-4:]]
    assert statuses == ["cancelled", "merged", "submitted", "submitted"]
