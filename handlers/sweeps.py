"""Scheduled sweeps: rules of (session, now) that the scheduler runs, and the console too.

A sweep decides for itself what is due at ``ctx.now`` and records each notice it sends
(``already_sent``), so running it twice, or once more after a restart, sends nothing twice.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy.engine import Engine
from sqlalchemy.exc import IntegrityError

from handlers.context import Context
from handlers.policy import Policy
from storage.db import transaction
from storage.models import SentNotice


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


def _deadlines(ctx: Context) -> None:
    from handlers import deadlines  # the rules import this module for already_sent

    deadlines.run(ctx)


def _event_reminders(ctx: Context) -> None:
    from handlers import reminders

    reminders.run(ctx)


def _weekly_digest(ctx: Context) -> None:
    # Imported here because the digest records its posts with already_sent from this module.
    from handlers.digest import post_weekly

    post_weekly(ctx)


SWEEPS: tuple[Sweep, ...] = (
    Sweep("order_deadlines", timedelta(minutes=5), _deadlines),
    Sweep("event_reminders", timedelta(minutes=5), _event_reminders),
    Sweep("weekly_digest", timedelta(hours=1), _weekly_digest),
)


def already_sent(ctx: Context, kind: str, subject: str) -> bool:
    """Record that notice ``kind`` about ``subject`` is being sent; True if it was before.

    The unique key settles a race between two bots sweeping at once: one inserts, the
    other sees the clash and sends nothing.
    """
    try:
        with ctx.session.begin_nested():
            ctx.session.add(SentNotice(kind=kind, subject=subject[:120], at=ctx.now))
            ctx.session.flush()
    except IntegrityError:
        return True
    return False


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
