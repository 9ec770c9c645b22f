"""The scheduler: APScheduler 3 runs the sweeps (handlers/jobs/sweeps.py) on timers.

Jobs live in the bot's own database (an ``apscheduler_jobs`` table), so a run missed while
the bot was down is found on restart and, coalesced, runs once. A job carries only its
sweep's name; ``run_job`` is its importable function and finds the running bot's engine,
rules and clock through the ``Sweeper`` that ``start`` registers for this process.
On PostgreSQL several bots may share the database: a session advisory lock lets exactly
one of them run the scheduler.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import threading
from dataclasses import dataclass
from datetime import UTC, datetime

from apscheduler.jobstores.sqlalchemy import SQLAlchemyJobStore
from apscheduler.schedulers.asyncio import AsyncIOScheduler
from sqlalchemy import func, select
from sqlalchemy.engine import Connection, Engine

from bot.hub import Hub
from handlers.jobs.sweeps import SWEEPS, Sweep, run_sweep, sweep_named
from storage.migrate import SCHEDULER_TABLE

log = logging.getLogger(__name__)
LOCK_KEY = 0x5768_6973_746C  # "Whistl": the advisory lock only the scheduling bot holds
MIN_GRACE_SECONDS = 60
LEAD_RETRY_SECONDS = 60.0  # how often a bot without the lock checks whether it is free


class Sweeper:
    """Runs sweeps for the jobs: in a worker thread, one at a time, then wakes the pumps."""

    def __init__(self, hub: Hub, sweeps: tuple[Sweep, ...]) -> None:
        self.hub = hub
        self.sweeps = sweeps
        self._busy = threading.Lock()
        self._stopped = False

    async def run(self, name: str) -> None:
        """Run the sweep called ``name`` at the hub's clock."""
        sweep = sweep_named(name, self.sweeps)
        await asyncio.to_thread(self._run, sweep)
        self.hub.ring()

    def _run(self, sweep: Sweep) -> None:
        with self._busy:
            if not self._stopped:
                run_sweep(self.hub.engine, self.hub.policy, sweep, self.hub.clock.now())

    async def drain(self) -> None:
        """Stop taking runs and wait for the one in progress, if any."""
        await asyncio.to_thread(self._busy.acquire)
        self._stopped = True
        self._busy.release()


_sweeper: Sweeper | None = None  # this process's; jobs in the store cannot carry an engine


async def run_job(name: str) -> None:
    """The function every job calls (stored by reference, with the sweep's name)."""
    if _sweeper is None:
        log.warning("sweep %s fired with no scheduler running; skipped", name)
        return
    await _sweeper.run(name)


@dataclass
class Running:
    """A started scheduler, what it runs, and the lock it holds (PostgreSQL)."""

    scheduler: AsyncIOScheduler
    sweeper: Sweeper
    lock: Connection | None


def start(hub: Hub, sweeps: tuple[Sweep, ...] = SWEEPS) -> Running | None:
    """Start the scheduler on the running event loop; None if another bot runs it.

    Each sweep becomes an interval job (coalesced, one instance at a time, a misfire grace
    of one interval so the latest missed run always happens). A job already in the store
    keeps its next run time, which is what lets a restart catch up.
    """
    global _sweeper
    leader, lock = _lead(hub.engine)
    if not leader:
        log.info("another bot holds the scheduler lock; not scheduling here")
        return None
    _sweeper = Sweeper(hub, sweeps)
    scheduler = AsyncIOScheduler(
        jobstores={"default": SQLAlchemyJobStore(engine=hub.engine, tablename=SCHEDULER_TABLE)},
        job_defaults={"coalesce": True, "max_instances": 1}, timezone=UTC)
    scheduler.start(paused=True)
    _reconcile(scheduler, sweeps)
    scheduler.resume()
    return Running(scheduler, _sweeper, lock)


def _reconcile(scheduler: AsyncIOScheduler, sweeps: tuple[Sweep, ...]) -> None:
    wanted = {sweep.name: sweep for sweep in sweeps}
    for job in scheduler.get_jobs():
        if job.id not in wanted:
            job.remove()
    for sweep in sweeps:
        job = scheduler.get_job(sweep.name)
        if job is not None and job.trigger.interval == sweep.every:
            continue
        seconds = sweep.every.total_seconds()
        scheduler.add_job(run_job, "interval", seconds=seconds, id=sweep.name, name=sweep.name,
                          args=[sweep.name], replace_existing=True,
                          misfire_grace_time=max(MIN_GRACE_SECONDS, int(seconds)),
                          next_run_time=datetime.now(UTC))


def _lead(engine: Engine) -> tuple[bool, Connection | None]:
    """Whether this process may schedule; on PostgreSQL, the connection holding the lock."""
    if engine.dialect.name != "postgresql":
        return True, None  # SQLite: one process owns the file
    connection = engine.connect().execution_options(isolation_level="AUTOCOMMIT")
    if connection.execute(select(func.pg_try_advisory_lock(LOCK_KEY))).scalar():
        return True, connection
    connection.close()
    return False, None


async def stop(running: Running | None) -> None:
    """Stop scheduling, let a sweep in progress finish, and give the lock back."""
    global _sweeper
    if running is None:
        return
    running.scheduler.shutdown(wait=False)
    await running.sweeper.drain()
    if _sweeper is running.sweeper:
        _sweeper = None
    if running.lock is not None:
        running.lock.execute(select(func.pg_advisory_unlock(LOCK_KEY)))
        running.lock.close()


async def supervise(hub: Hub, stopping: asyncio.Event, sweeps: tuple[Sweep, ...] = SWEEPS,
                    retry_seconds: float = LEAD_RETRY_SECONDS) -> None:
    """Schedule until ``stopping`` is set; while another bot holds the lock, try again every
    ``retry_seconds``, so a standby bot takes over when the scheduling one goes away."""
    running = start(hub, sweeps)
    while running is None and not stopping.is_set():
        with contextlib.suppress(TimeoutError):
            await asyncio.wait_for(stopping.wait(), retry_seconds)
        if not stopping.is_set():
            running = start(hub, sweeps)
    await stopping.wait()
    await stop(running)
