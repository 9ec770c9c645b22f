"""Scheduled sweeps: rules of (session, now) that the scheduler runs, and the console too.

A sweep decides for itself what is due at ``ctx.now`` and records each notice it sends
(``handlers.once.already_sent``), so running it twice, or once more after a restart, sends
nothing twice. The sweeps that work community by community do each community's share in a
savepoint (``handlers.jobs.communities``): one community's failure is logged and rolled
back, and the others' work commits.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy.engine import Engine

from handlers.context import Context
from handlers.jobs import (
    deadlines,
    digest,
    quota_lights,
    quota_warnings,
    reminders,
    retention,
    tallies,
    widening,
)
from handlers.jobs.communities import per_community
from handlers.ledger import boards, points, quotas
from handlers.orders import no_show
from handlers.rules.policy import Policy
from storage.db import transaction


@dataclass(frozen=True)
class Sweep:
    """One scheduled rule.

    Attributes:
        name: A stable id: the scheduler's job id.
        every: How often it runs.
        run: The rule; it queues what is due and records what it sent.
    """

    name: str
    every: timedelta
    run: Callable[[Context], None]


SWEEPS: tuple[Sweep, ...] = (
    Sweep("order_deadlines", timedelta(minutes=5),
          per_community("order_deadlines", deadlines.run)),
    Sweep("service_tallies", tallies.COUNT_EVERY, tallies.count_once),
    Sweep("whistle_widening", widening.WIDEN_EVERY,
          per_community("whistle_widening", widening.run)),
    Sweep("event_reminders", timedelta(minutes=5),
          per_community("event_reminders", reminders.run)),
    Sweep("weekly_digest", timedelta(hours=1), digest.post_weekly),
    Sweep("points_year_base", points.YEAR_BASE_EVERY,
          per_community("points_year_base", points.year_base)),
    Sweep("points_no_show", no_show.NO_SHOW_EVERY, no_show.no_show_sweep),
    Sweep("quota_nudges", quotas.QUOTA_EVERY, quota_warnings.nudges),
    Sweep("quota_warnings", quotas.QUOTA_EVERY, quota_lights.lights),
    Sweep("boards_refresh", boards.REFRESH_EVERY, boards.refresh),
    Sweep("retention", retention.PURGE_EVERY, retention.purge),
)


def run_sweep(engine: Engine, policy: Policy, sweep: Sweep, now: datetime) -> None:
    """Run one sweep in a transaction of its own."""
    with transaction(engine) as session:
        sweep.run(Context(session, policy, now))


def sweep_named(name: str, sweeps: tuple[Sweep, ...] = SWEEPS) -> Sweep:
    """The sweep with this name (the scheduler's jobs carry only the name).

    Raises:
        KeyError: No such sweep.
    """
    for sweep in sweeps:
        if sweep.name == name:
            return sweep
    raise KeyError(name)


def run_due(engine: Engine, policy: Policy, now: datetime,
            sweeps: tuple[Sweep, ...] = SWEEPS) -> None:
    """Run every sweep once at ``now`` (the console's {"run_jobs": true})."""
    for sweep in sweeps:
        run_sweep(engine, policy, sweep, now)
