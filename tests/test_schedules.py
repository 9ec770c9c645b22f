"""The scheduler (jobs kept in the bot's database, caught up once after downtime, one
scheduler per PostgreSQL database) and the console's scripted time travel."""

from __future__ import annotations

import asyncio
import json
import secrets
from collections.abc import Callable
from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import text
from typer.testing import CliRunner

from bot import scheduler
from bot.cli import app
from bot.hub import Hub
from handlers.context import Context
from handlers.jobs.sweeps import Sweep

NEED = "5栋门口的垃圾三天没人清运了，臭得不行，请社区派人处理"


@pytest.fixture(autouse=True)
def lock_of_its_own(monkeypatch: pytest.MonkeyPatch) -> None:
    """Each test's bots contend for an advisory lock of their own: the lock is taken on the
    whole test database, where other tests (other workers, other runs) schedule too."""
    monkeypatch.setattr(scheduler, "LOCK_KEY", secrets.randbits(62))


async def until(done: Callable[[], bool], seconds: float = 5.0) -> None:
    for _ in range(int(seconds / 0.02)):
        if done():
            return
        await asyncio.sleep(0.02)


def test_jobs_are_kept_in_the_database_and_a_missed_run_catches_up_once(
        engine, settings) -> None:
    runs: list[datetime] = []
    probe = Sweep("probe", timedelta(hours=1), lambda ctx: runs.append(ctx.now))
    hub = Hub(engine, settings)

    async def first_life() -> None:
        running = scheduler.start(hub, (probe,))
        await until(lambda: len(runs) == 1)  # a new job runs at once
        running.scheduler.pause()
        # The bot goes down and stays down for five runs.
        running.scheduler.modify_job("probe", next_run_time=datetime.now(UTC) - timedelta(hours=5))
        await scheduler.stop(running)

    async def second_life() -> datetime:
        running = scheduler.start(hub, (probe,))
        await until(lambda: len(runs) == 2)
        await asyncio.sleep(0.2)  # time enough for a second, uncoalesced run to show up
        next_run = running.scheduler.get_job("probe").next_run_time
        await scheduler.stop(running)
        return next_run

    asyncio.run(first_life())
    with engine.connect() as connection:
        stored = connection.execute(text("SELECT id FROM apscheduler_jobs")).scalars().all()
    assert stored == ["probe"]
    next_run = asyncio.run(second_life())

    assert len(runs) == 2
    assert next_run > datetime.now(UTC)


def test_only_one_bot_schedules_on_a_postgresql_database(postgres_engine, settings) -> None:
    async def scenario() -> tuple[bool, bool, bool]:
        first = scheduler.start(Hub(postgres_engine, settings), ())
        second = scheduler.start(Hub(postgres_engine, settings), ())
        await scheduler.stop(first)
        third = scheduler.start(Hub(postgres_engine, settings), ())  # the lock was given back
        await scheduler.stop(third)
        return first is not None, second is not None, third is not None

    assert asyncio.run(scenario()) == (True, False, True)


def test_a_standby_bot_takes_over_scheduling_when_the_lock_is_freed(
        postgres_engine, settings) -> None:
    runs: list[datetime] = []
    probe = (Sweep("probe", timedelta(hours=1), lambda ctx: runs.append(ctx.now)),)

    async def scenario() -> int:
        first = scheduler.start(Hub(postgres_engine, settings), ())
        stopping = asyncio.Event()
        standby = asyncio.create_task(scheduler.supervise(
            Hub(postgres_engine, settings), stopping, probe, retry_seconds=0.05))
        await asyncio.sleep(0.2)
        before = len(runs)
        await scheduler.stop(first)
        await until(lambda: bool(runs))
        stopping.set()
        await standby
        return before

    assert (asyncio.run(scenario()), len(runs)) == (0, 1)


def test_a_sweep_the_scheduler_runs_reaches_the_handlers(sqlite_engine, settings) -> None:
    seen: list[int] = []

    def count_orders(ctx: Context) -> None:
        seen.append(len(ctx.session.exec(text("SELECT id FROM orders")).all()))

    async def scenario() -> None:
        running = scheduler.start(Hub(sqlite_engine, settings),
                                  (Sweep("count", timedelta(minutes=5), count_orders),))
        await until(lambda: bool(seen))
        await scheduler.stop(running)

    asyncio.run(scenario())
    assert seen == [0]


def jsonl(*lines: dict) -> str:
    return "\n".join(json.dumps(line, ensure_ascii=False) for line in lines) + "\n"


def test_a_scripted_console_moves_the_clock_and_runs_the_sweeps(tmp_path) -> None:
    script = jsonl(
        {"clock": "2026-11-23T09:00:00+08:00"},
        {"from": "zhang", "text": NEED},
        {"from": "admin", "text": "/approve 1 sanitation"},
        {"from": "admin", "text": "/whistle 环境保洁 5 周六9点 小区大扫除"},
        {"from": "m1", "press": "accept:1"},
        {"from": "m1", "text": "/checkin 1"},
        {"from": "m1", "text": "/done 1"},
        {"from": "m4", "press": "accept:2"},
        {"run_jobs": True},
        {"clock": "2026-11-24T05:00:00+08:00"},
        {"run_jobs": True},
        {"run_jobs": True},
        {"clock": "2026-11-24T09:00:00+08:00"},
        {"run_jobs": True},
        {"clock": "2026-11-27T20:00:00+08:00"},
        {"run_jobs": True},
        {"run_jobs": "yes"},
    )
    env = {"WHISTLE_DATABASE_URL": f"sqlite:///{tmp_path / 'cli.db'}"}
    result = CliRunner().invoke(app, ["console", "--jsonl"], input=script, env=env)
    sent = [json.loads(line) for line in result.output.splitlines() if line.startswith("{")]
    texts = [(s["to_user"], s["text"]) for s in sent]

    reminded = [x for x in texts if "还没有评价" in x[1]]
    closed = [x for x in texts if "评价期已过" in x[1]]
    eve = [x for x in texts if "明天提醒" in x[1]]
    assert result.exit_code == 0
    assert [r[0] for r in reminded + closed + eve] == ["zhang", "zhang", "m4"]
    assert "line 17" in result.output  # the bad run_jobs line is reported, not run


def test_a_community_sets_its_own_time_rules_from_the_command_line(tmp_path) -> None:
    env = {"WHISTLE_DATABASE_URL": f"sqlite:///{tmp_path / 'cli.db'}"}
    runner = CliRunner()
    runner.invoke(app, ["demo"], env=env)

    set_ = runner.invoke(app, ["timers", "幸福里社区", "--claim-hours", "24", "--default-good",
                               "--working-days"], env=env)
    kept = runner.invoke(app, ["timers", "幸福里", "--overdue-days", "7"], env=env)
    reset = runner.invoke(app, ["timers", "幸福里社区", "--reset"], env=env)
    missing = runner.invoke(app, ["timers", "火星社区"], env=env)

    assert json.loads(set_.output) == {
        "community_id": 1, "claim_window_hours": 24.0, "rating_window_hours": None,
        "overdue_days": None, "default_good_rating": True, "working_days": True}
    assert (json.loads(kept.output)["claim_window_hours"],
            json.loads(kept.output)["overdue_days"]) == (24.0, 7.0)
    assert set(json.loads(reset.output).values()) == {1, None}
    assert missing.exit_code == 1
