"""Timers shared by the benchmarks: each sweep run twice at its moment, the write lock it
held, a whistle's fan-out. Synthetic data comes from bot/bench_sweeps.py or bot/bench/city.py.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime
from zoneinfo import ZoneInfo

from sqlalchemy import event, func, select
from sqlalchemy.engine import Connection, Engine
from sqlmodel import col

from handlers import fanout, recipients
from handlers.context import Context
from handlers.jobs.sweeps import SWEEPS, run_sweep, sweep_named
from handlers.orders import notices
from handlers.rules.policy import Policy
from storage import messaging
from storage import models as m
from storage.db import READ_ONLY, transaction
from storage.models import OrderStatus as S

ZONE = "Asia/Shanghai"
DUTIES = ["sanitation", "safety", "convenience", "civility"]


def _local(year: int, month: int, day: int, hour: int = 0) -> datetime:
    """A wall-clock time in ZONE as an aware UTC time."""
    return datetime(year, month, day, hour, tzinfo=ZoneInfo(ZONE)).astimezone(UTC)


MONDAY = _local(2026, 12, 21, 10)  # in a quarter's last two weeks; last week's digest is due
NEW_YEAR = _local(2027, 1, 1, 10)  # Q4 has ended, in waking hours; the year's base points are due
MOMENTS = {"points_year_base": NEW_YEAR, "quota_warnings": NEW_YEAR}  # the rest: MONDAY


@dataclass(frozen=True)
class Timing:
    """One sweep's two runs at one moment: seconds each took and outbox messages each queued."""

    name: str
    first: float
    again: float
    first_queued: int
    again_queued: int
    longest_write_ms: float = 0.0


class WriteLocks:
    """The longest write transaction on an engine while it listens (on SQLite, how long the
    write lock was held, during which every inbound message waits), counting only the
    transactions of the thread that listens (not inbound messages handled meanwhile)."""

    def __init__(self, engine: Engine) -> None:
        self.engine, self.longest = engine, 0.0
        self._began: dict[int, float] = {}
        self._thread = threading.get_ident()

    def __enter__(self) -> WriteLocks:
        event.listen(self.engine, "begin", self._begin)
        event.listen(self.engine, "commit", self._end)
        event.listen(self.engine, "rollback", self._end)
        return self

    def __exit__(self, *_exc: object) -> None:
        event.remove(self.engine, "begin", self._begin)
        event.remove(self.engine, "commit", self._end)
        event.remove(self.engine, "rollback", self._end)

    def _begin(self, connection: Connection) -> None:
        if (threading.get_ident() == self._thread
                and not connection.get_execution_options().get(READ_ONLY, False)):
            self._began[id(connection)] = time.perf_counter()

    def _end(self, connection: Connection) -> None:
        began = self._began.pop(id(connection), None)
        if began is not None:
            self.longest = max(self.longest, time.perf_counter() - began)


def _timed(engine: Engine, policy: Policy, name: str, now: datetime, locks: WriteLocks
           ) -> tuple[float, int, float]:
    """One run of a sweep: seconds taken, outbox messages it queued (at ``now``: not the
    replies to messages handled meanwhile) and its longest write transaction in seconds."""
    count = (select(func.count()).select_from(messaging.OutboxMessage)
             .where(col(messaging.OutboxMessage.created_at) == now))
    with engine.connect() as connection:
        before = connection.execute(count).scalar_one()
    locks.longest = 0.0
    started = time.perf_counter()
    run_sweep(engine, policy, sweep_named(name), now)
    took = time.perf_counter() - started
    with engine.connect() as connection:
        return took, connection.execute(count).scalar_one() - before, locks.longest


def time_sweeps(engine: Engine, policy: Policy,
                progress: Callable[[int, int], None] | None = None,
                locks: WriteLocks | None = None) -> list[Timing]:
    """Every sweep, in the order of their moments, run twice at its moment (``progress``
    is told before each). ``locks`` listens already when other threads use the engine:
    SQLAlchemy's events must not be added while another thread fires them."""
    if locks is None:
        with WriteLocks(engine) as own:
            return time_sweeps(engine, policy, progress, own)
    timings: list[Timing] = []
    for sweep in sorted(SWEEPS, key=lambda s: MOMENTS.get(s.name, MONDAY)):
        if progress is not None:
            progress(len(timings), len(SWEEPS))
        now = MOMENTS.get(sweep.name, MONDAY)
        first, first_queued, first_lock = _timed(engine, policy, sweep.name, now, locks)
        again, again_queued, again_lock = _timed(engine, policy, sweep.name, now, locks)
        timings.append(Timing(sweep.name, first, again, first_queued, again_queued,
                              1000 * max(first_lock, again_lock)))
    return timings


def time_fanout(engine: Engine, policy: Policy) -> tuple[float, int]:
    """A whistle's private messages to every member of the district who claimed one duty
    (the fan-out of ``notices.whistle``, over all communities at once): seconds, messages."""
    with transaction(engine) as session:
        started = time.perf_counter()
        fanout.to_members(Context(session, policy, MONDAY),
                          recipients.duty_members_anywhere(DUTIES[0]), "合成吹哨")
    took = time.perf_counter() - started
    with engine.connect() as connection:  # counted, as a driver may not tell the rowcount
        queued = connection.execute(select(func.count()).select_from(messaging.OutboxMessage).where(
            col(messaging.OutboxMessage.text) == "合成吹哨")).scalar_one()
    return took, queued


def time_whistle(engine: Engine, policy: Policy) -> float:
    """Seconds ``notices.whistle`` takes for one open order of the first community."""
    with transaction(engine) as session:
        order = session.scalars(select(m.Order).where(col(m.Order.status) == S.OPEN)).first()
        if order is None:
            return 0.0
        started = time.perf_counter()
        notices.whistle(Context(session, policy, MONDAY), order)
        return time.perf_counter() - started


