"""`whistle bench inbound`: residents' needs through the unit of work, against raw inserts.

Each message is a new resident's need, written privately, handled as a channel's hub hands
it over: de-duplicated, routed, filed as an order for review, its replies queued,
committed. Timed twice: in bursts of ``BURST`` (as a busy group sends them, handled by
``handlers.chat.process.process_many``, a burst one transaction: group commit), and one
message a transaction (``process``, as when messages come one at a time). The yardstick is
the same database doing nothing but one insert and one commit per message, so the ratio
says how much of the database's speed the unit of work keeps.
"""

from __future__ import annotations

import sqlite3
import tempfile
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path

from sqlalchemy import event
from sqlalchemy.engine import Engine

from bot.demo import seed
from handlers.chat.process import process, process_many
from handlers.messages import Incoming
from handlers.rules.policy import Policy
from nlu.prior import load_prior
from storage.db import SQLITE_BUSY_TIMEOUT_MS, SQLITE_SYNCHRONOUS
from storage.scratch import scratch_database

START = datetime(2026, 11, 23, 1, 0, tzinfo=UTC)  # a Monday, 09:00 in Shanghai
WARM_UP = 20  # messages before the clock starts: the classifier's tables, compiled SQL
BURST = 50
"""Messages that arrive together and are handled in one transaction (``bot.batcher.CAP``)."""
NEEDS = (
    "楼道灯坏了，晚上老人下楼看不见", "门口的垃圾三天没人清运了，请社区派人处理",
    "楼上天天半夜跳广场舞，太吵了，请劝导一下", "有人在楼道里给电动车充电，太危险了",
    "独居老人家里没有棉被过冬，能不能帮帮他", "想请人讲讲医保报销新政策",
    "下水道堵了，污水冒出来了", "支部想开主题党日，求党建指导员指导",
)


@dataclass(frozen=True)
class Result:
    """One run of the benchmark.

    Attributes:
        database: The dialect the unit of work ran on.
        messages: Messages timed, in bursts and again one by one.
        per_second: Messages handled per second, in bursts of ``BURST``.
        statements: SQL statements per message in bursts, on average.
        raw_per_second: Inserts and commits per second with the bare driver.
        raw_sqlite_per_second: The same with Python's sqlite3 and storage.db's pragmas.
        cpu_ms: This process's CPU time per message in bursts, in milliseconds: the unit
            of work's own cost, which a busy disk or a shared machine does not inflate as
            it does the rate (PostgreSQL's server work is not in it).
        single_per_second: Messages handled per second, each its own transaction.
        single_statements: SQL statements per message, one by one.
        single_cpu_ms: CPU time per message, one by one.
    """

    database: str
    messages: int
    per_second: float
    statements: float
    raw_per_second: float
    raw_sqlite_per_second: float
    cpu_ms: float
    single_per_second: float
    single_statements: float
    single_cpu_ms: float


def need(serial: int) -> Incoming:
    """A new resident's need, written privately; no two alike enough to be merged: the same
    words come back, but each in a building of its own."""
    building, room = serial + 1, 100 + serial % 997
    text = (f"{NEEDS[serial % len(NEEDS)]}（{building}栋{room}室，"
            f"电话139{serial * 7919 % 10**8:08d}）")
    user = f"bench{serial}"
    return Incoming(channel="console", chat_id=user, user_id=user, text=text,
                    display_name=f"居民{serial}", message_id=f"in-{serial}")


def warm_up() -> None:
    """What a running bot has ready before its first message: the duty prior, which
    ``whistle run`` trains at start; else the first unsure need timed would train it."""
    load_prior()


def run_needs(engine: Engine, policy: Policy, first: int, count: int,
              burst: int = 1) -> tuple[float, int]:
    """Push ``count`` needs through the unit of work, ``burst`` a transaction; seconds
    taken and statements sent."""
    return timed_messages(engine, policy, [
        (need(serial), START + timedelta(seconds=serial))
        for serial in range(first, first + count)], burst)


def timed_messages(engine: Engine, policy: Policy, messages: Sequence[tuple[Incoming, datetime]],
                   burst: int = 1) -> tuple[float, int]:
    """Push the messages through the unit of work at their times, ``burst`` at a time
    (one: ``process``, each its own transaction; more: ``process_many``); seconds taken and
    SQL statements sent.

    Raises:
        RuntimeError: A message of a burst failed (it would be journalled in the bot).
    """
    sent = 0

    def counted(*_args: object) -> None:
        nonlocal sent
        sent += 1

    event.listen(engine, "before_cursor_execute", counted)
    try:
        started = time.perf_counter()
        if burst == 1:
            for incoming, at in messages:
                process(engine, policy, incoming, at)
        for first in range(0, len(messages), burst) if burst > 1 else ():
            failed = [outcome for outcome in process_many(
                engine, policy, messages[first:first + burst]) if isinstance(outcome, Exception)]
            if failed:
                raise RuntimeError(f"a message of a burst failed: {failed[0]!r}")
        return time.perf_counter() - started, sent
    finally:
        event.remove(engine, "before_cursor_execute", counted)


def raw_sqlite(count: int) -> float:
    """Inserts and commits per second with sqlite3 alone, tuned as storage.db tunes it."""
    with tempfile.TemporaryDirectory(prefix="whistle-bench-") as folder:
        connection = sqlite3.connect(Path(folder) / "raw.db", isolation_level=None)
        connection.execute("PRAGMA journal_mode=WAL")
        connection.execute(f"PRAGMA busy_timeout={SQLITE_BUSY_TIMEOUT_MS}")
        connection.execute("PRAGMA foreign_keys=ON")
        connection.execute(f"PRAGMA synchronous={SQLITE_SYNCHRONOUS}")
        connection.execute("CREATE TABLE seen (id INTEGER PRIMARY KEY, message_id TEXT, at TEXT)")
        started = time.perf_counter()
        for serial in range(count):
            connection.execute("BEGIN IMMEDIATE")
            connection.execute("INSERT INTO seen (message_id, at) VALUES (?, ?)",
                               (f"in-{serial}", START.isoformat()))
            connection.execute("COMMIT")
        took = time.perf_counter() - started
        connection.close()
    return count / took


def raw_driver(engine: Engine, count: int) -> float:
    """Inserts and commits per second through the engine's bare driver (PostgreSQL's)."""
    connection = engine.raw_connection()
    try:
        cursor = connection.cursor()
        cursor.execute("CREATE TABLE bench_raw (id INTEGER PRIMARY KEY, message_id TEXT)")
        connection.commit()
        started = time.perf_counter()
        for serial in range(count):
            cursor.execute("INSERT INTO bench_raw (id, message_id) VALUES (%s, %s)",
                           (serial, f"in-{serial}"))
            connection.commit()
        took = time.perf_counter() - started
        cursor.execute("DROP TABLE bench_raw")
        connection.commit()
    finally:
        connection.close()
    return count / took


def bench(policy: Policy, messages: int, url: str | None) -> Result:
    """Seed the demo community in a scratch database (storage.scratch: a temporary SQLite
    file, or a schema of its own on a PostgreSQL ``url``) and time ``messages`` needs.

    Raises:
        ValueError: ``url`` is not a PostgreSQL URL.
    """
    with scratch_database(url) as engine:
        seed(engine, START)
        warm_up()
        run_needs(engine, policy, 0, WARM_UP)
        run_needs(engine, policy, WARM_UP, BURST, BURST)
        single, (took, sent, cpu) = interleaved(
            lambda first, count, burst: run_needs(engine, policy, first, count, burst),
            WARM_UP + BURST, messages)
        sqlite = raw_sqlite(messages)
        raw = sqlite if engine.dialect.name == "sqlite" else raw_driver(engine, messages)
        return Result(engine.dialect.name, messages, messages / took, sent / messages, raw,
                      sqlite, 1000 * cpu / messages, messages / single[0],
                      single[1] / messages, 1000 * single[2] / messages)


Timing = tuple[float, int, float]
"""Seconds taken, statements sent, CPU seconds."""


def interleaved(run: Callable[[int, int, int], tuple[float, int]], first: int,
                messages: int) -> tuple[Timing, Timing]:
    """``messages`` one by one and as many in bursts, taking turns a burst's worth at a
    time, so both meet the database grown alike (each need adds a duplicate candidate);
    ``run(first serial, count, burst)`` sends them. Returns the two timings, one by one
    first."""
    totals = {1: (0.0, 0, 0.0), BURST: (0.0, 0, 0.0)}
    serial = first
    for done in range(0, messages, BURST):
        count = min(BURST, messages - done)
        for burst in totals:
            cpu = time.process_time()
            took, sent = run(serial, count, burst)
            so_far = totals[burst]
            totals[burst] = (so_far[0] + took, so_far[1] + sent,
                             so_far[2] + time.process_time() - cpu)
            serial += count
    return totals[1], totals[BURST]


def report(result: Result) -> list[str]:
    """The numbers, one per line; the ratio is against the same database's raw rate."""
    lines = [
        f"{result.database}: {result.messages} residents' needs in bursts of {BURST} "
        f"(a burst one transaction), and {result.messages} each its own transaction",
        f"                              {'bursts':>8} {'one by one':>11}",
        f"unit of work:                 {result.per_second:8.0f} {result.single_per_second:11.0f}"
        " msg/s",
        f"statements:                   {result.statements:8.1f} {result.single_statements:11.1f}"
        " per message",
        f"CPU of this process:          {result.cpu_ms:8.2f} {result.single_cpu_ms:11.2f}"
        " ms per message",
        f"raw insert+commit, sqlite3:   {result.raw_sqlite_per_second:8.0f} /s",
    ]
    if result.database != "sqlite":
        lines.append(f"raw insert+commit, {result.database}: {result.raw_per_second:8.0f} /s")
    return lines + [f"unit of work / raw {result.database}: "
                    f"{result.per_second / result.raw_per_second:8.2f} "
                    f"{result.single_per_second / result.raw_per_second:11.2f}"]
