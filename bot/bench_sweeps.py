"""`whistle bench sweeps`: the scheduled sweeps timed at community scale on synthetic data.

Bulk inserts (SQLAlchemy core, thousands of rows a statement) seed a year of finished
services for every member, and in each community live orders that give every sweep work.
Odd-numbered members stopped serving at mid-year, so they are below quota; every other one of
them already had a Q3 yellow light, so their Q4 light is red. Each sweep runs twice at its
moment: the first run does the work, the second at the same time must queue nothing.
"""

from __future__ import annotations

import tempfile
import time
from collections.abc import Collection
from dataclasses import dataclass, replace
from datetime import datetime, timedelta
from functools import cache
from pathlib import Path

from sqlalchemy import Table, insert, inspect, text
from sqlalchemy.engine import Engine
from sqlmodel import SQLModel

from bot.bench.timers import (
    DUTIES,
    MONDAY,
    ZONE,
    Timing,
    _local,
    time_fanout,
    time_sweeps,
    time_whistle,
)
from handlers.jobs import tallies
from handlers.ledger import book, running
from handlers.rules.policy import Policy
from storage import messaging
from storage import models as m
from storage.db import transaction
from storage.duties import MemberDuty, duty_rows
from storage.ledger import MemberWarning, PointEntry
from storage.models import AcceptanceStatus, CheckInKind
from storage.models import OrderStatus as S
from storage.scratch import scratch_database

H = timedelta(hours=1)


YEAR_START, ACTIVE_END, LAPSED_END = _local(2026, 1, 5), _local(2026, 12, 18), _local(2026, 6, 26)
PARENTS_FIRST = (m.Community, m.Unit, m.Resident, m.Admin, m.GroupChat, m.Member, MemberDuty,
                 m.Identity,
                 MemberWarning, m.Order, m.Acceptance, m.CheckIn, m.Rating, m.OrderHistory,
                 PointEntry)


@cache
def _table(model: type[SQLModel]) -> Table:
    """The table a model is mapped to."""
    table = inspect(model).local_table
    if not isinstance(table, Table):
        raise TypeError(f"{model.__name__} is not mapped to a table")
    return table


@dataclass(frozen=True)
class Sizes:
    """How big the synthetic district is.

    Attributes:
        communities: Communities.
        members: Members per community.
        services: Finished services per member over the year.
    """

    communities: int = 30
    members: int = 100
    services: int = 10


class Rows:
    """Rows to insert, per table; ids are given for the tables the sweeps never insert into."""

    def __init__(self) -> None:
        self.tables: dict[Table, list[dict]] = {_table(t): [] for t in PARENTS_FIRST}
        self.orders = 0

    def add(self, model: type[SQLModel], **values: object) -> None:
        """Queue one row of ``model``'s table."""
        self.tables[_table(model)].append(values)

    def order(self, community: int, status: S, created: datetime, **values: object) -> int:
        """Queue an order (every row with the same columns) and return its id."""
        self.orders += 1
        self.add(m.Order, **{
            "id": self.orders, "community_id": community, "resident_id": community,
            "status": status, "duty": DUTIES[self.orders % 4], "text": f"合成工单{self.orders}",
            "guesses": [], "source_channel": "console", "created_at": created,
            "updated_at": created, "capacity": 1, "accepted_count": 1, "opened_at": created + H,
            "claim_deadline": created + 72 * H, "overdue_at": created + 14 * 24 * H,
            "rating_deadline": None, "event_at": None, "whistle_stage": None,
            "whistled_at": None, **values})
        return self.orders

    def place(self, order: int, member: int, accepted: datetime, *checkins: datetime) -> None:
        """A member's place on an order with their check-ins: arrival, then done."""
        self.add(m.Acceptance, order_id=order, member_id=member, round=1,
                 status=AcceptanceStatus.ACCEPTED, accepted_at=accepted)
        for kind, at in zip((CheckInKind.ARRIVE, CheckInKind.DONE), checkins, strict=False):
            self.add(m.CheckIn, order_id=order, member_id=member, kind=kind, at=at)

    def insert(self, engine: Engine) -> int:
        """Insert everything, parents first; returns how many rows went in."""
        with engine.begin() as connection:
            for table, rows in self.tables.items():
                for start in range(0, len(rows), 5000):
                    connection.execute(insert(table), rows[start:start + 5000])
        if engine.dialect.name == "postgresql":  # explicit ids: move the sequences on; and
            with engine.begin() as connection:  # table statistics, as autovacuum soon would
                for name in ("community", "unit", "resident", "member", "orders"):
                    connection.execute(text(f"SELECT setval(pg_get_serial_sequence("
                                            f"'{name}', 'id'), (SELECT max(id) FROM {name}))"))
                for table in self.tables:
                    connection.execute(text(f'ANALYZE "{table.name}"'))
        return sum(len(rows) for rows in self.tables.values())


def _people(rows: Rows, sizes: Sizes) -> None:
    """Communities with an admin, a bound group and a resident; units; members with accounts,
    their 2026 base points, and Q3 yellow lights for a quarter of them."""
    units = max(1, sizes.members // 20)
    for c in range(1, sizes.communities + 1):
        rows.add(m.Community, id=c, name=f"合成社区{c:03d}", timezone=ZONE)
        rows.add(m.Admin, channel="console", user_id=f"admin{c}", community_id=c)
        rows.add(m.GroupChat, channel="console", chat_id=f"group{c}", community_id=c)
        rows.add(m.Resident, id=c, name=f"居民{c}", community_id=c)
        rows.add(m.Identity, channel="console", user_id=f"r{c}", resident_id=c, member_id=None)
        for u in range(units):
            rows.add(m.Unit, id=(c - 1) * units + u + 1, name=f"合成单位{c:03d}-{u}")
        for i in range(sizes.members):
            member = (c - 1) * sizes.members + i + 1
            rows.add(m.Member, id=member, name=f"党员{member}", community_id=c, duties=DUTIES,
                     unit_id=(c - 1) * units + i % units + 1, registered_at=_local(2025, 6, 1))
            for duty in duty_rows(member, DUTIES):
                rows.add(MemberDuty, **duty)
            rows.add(m.Identity, channel="console", user_id=f"m{member}", resident_id=None,
                     member_id=member)
            rows.add(PointEntry, member_id=member, delta=80, reason="year_base",
                     order_id=None, note="2026", at=YEAR_START)
            if i % 4 == 1:
                rows.add(MemberWarning, member_id=member, period="2026Q3", level="yellow",
                         at=_local(2026, 10, 1, 1))


def _service(rows: Rows, community: int, member: int, done: datetime, stars: int) -> None:
    """A finished (2 h on site), rated and closed order, with its points."""
    created = done - 26 * H
    order = rows.order(community, S.CLOSED, created, rating_deadline=done + 24 * H)
    rows.place(order, member, created + 2 * H, done - 2 * H, done)
    rows.add(m.Rating, order_id=order, resident_id=community, round=1, stars=stars,
             at=done + 3 * H, by_default=False)
    rows.add(m.OrderHistory, order_id=order, at=done + 3 * H, actor="居民",
             from_status=S.AWAITING_RATING, to_status=S.CLOSED, reason="")
    for reason, delta in (("service", 5), ("hours", 4), ("five_star", 5 * (stars == 5))):
        if delta:
            rows.add(PointEntry, member_id=member, delta=delta, reason=reason,
                     order_id=order, note="", at=done)


def _history(rows: Rows, sizes: Sizes) -> None:
    """Each member's services in 2026: all year for even members, until June for odd ones."""
    for c in range(1, sizes.communities + 1):
        for i in range(sizes.members):
            member = (c - 1) * sizes.members + i + 1
            end = ACTIVE_END if i % 2 == 0 else LAPSED_END
            for s in range(sizes.services):
                done = YEAR_START + (end - YEAR_START) * ((s + i % 10 / 10) / sizes.services)
                _service(rows, c, member, done, 5 if (i + s) % 3 else 4)


def _live(rows: Rows, community: int, member: int, now: datetime = MONDAY) -> None:
    """Orders due for a rule at ``now``: one unclaimed (its whistle due to widen), one to
    remind the resident to rate, one to close unrated, a no-show, one overdue, and an event
    in half an hour."""
    rows.order(community, S.OPEN, now - 96 * H, capacity=2, accepted_count=0,
               claim_deadline=now - H, whistle_stage=m.WhistleStage.TOP,
               whistled_at=now - 3 * H)
    for deadline in (now + 2 * H, now - H):
        order = rows.order(community, S.AWAITING_RATING, now - 72 * H, rating_deadline=deadline)
        rows.place(order, member, now - 70 * H, deadline - 26 * H, deadline - 24 * H)
    order = rows.order(community, S.CLAIMED, now - 120 * H, claim_deadline=now - 48 * H)
    rows.place(order, member, now - 118 * H)
    order = rows.order(community, S.IN_PROGRESS, now - 480 * H, overdue_at=now - 144 * H)
    rows.place(order, member, now - 478 * H, now - 400 * H)
    order = rows.order(community, S.CLAIMED, now - 48 * H, resident_id=None,
                       event_at=now + H / 2)
    rows.place(order, member, now - 46 * H)


def seed(engine: Engine, sizes: Sizes) -> int:
    """Fill an empty, migrated database (live orders: a set per ten members, held by even
    members); returns how many rows went in."""
    rows = Rows()
    _people(rows, sizes)
    _history(rows, sizes)
    for c in range(1, sizes.communities + 1):
        for k in range(max(1, sizes.members // 10)):
            _live(rows, c, (c - 1) * sizes.members + (2 * k) % sizes.members + 1)
    inserted = rows.insert(engine)
    tally(engine)
    return inserted


def tally(engine: Engine, members: Collection[int] | None = None, last: bool = True) -> None:
    """Recount the running tallies of the members' services (everyone's when None) from the
    one definition, as the workflow keeps them, and sum their points balances; ``last``:
    every service is counted now, so the sweep that counts them once has nothing left to
    do."""
    with transaction(engine) as session:
        running.rebuild(session, members)
        book.rebuild(session, members)  # the points balances of the entries loaded in bulk
        if last:
            session.add(messaging.SentNotice(kind=tallies.KIND, subject=tallies.SUBJECT,
                                             at=YEAR_START))


def bench(sizes: Sizes, policy: Policy, url: str | None
          ) -> tuple[int, float, list[Timing], list[str]]:
    """Seed a scratch database (storage.scratch: a temporary SQLite file, or a schema of its
    own on a PostgreSQL ``url``, both removed afterwards) and time the sweeps on it. Charts
    go to a temporary folder.

    Returns:
        Rows seeded, seconds the seeding took, each sweep's timing, and the fan-out's lines.

    Raises:
        ValueError: ``url`` is not a PostgreSQL URL.
    """
    with tempfile.TemporaryDirectory(prefix="whistle-bench-") as media, \
            scratch_database(url) as engine:
        started = time.perf_counter()
        seeded = seed(engine, sizes)
        took = time.perf_counter() - started
        policy = replace(policy, media_dir=Path(media))
        timings = time_sweeps(engine, policy)
        one_order = time_whistle(engine, policy)
        seconds, queued = time_fanout(engine, policy)
        return seeded, took, timings, [
            f"fan-out: whistle of one order {one_order:.3f} s; "
            f"one duty, whole district: {queued:,} messages in {seconds:.3f} s"]


def report(timings: list[Timing]) -> list[str]:
    """One line per sweep, then a warning for each re-run that queued anything."""
    lines = [f"{'sweep':<17} {'first s':>8} {'re-run s':>9} {'ratio':>7} {'lock ms':>8}"
             "  queued first/re-run"]
    lines += [f"{t.name:<17} {t.first:8.3f} {t.again:9.3f} {t.first / t.again:6.1f}× "
              f"{t.longest_write_ms:8.1f}  {t.first_queued}/{t.again_queued}" for t in timings]
    lines += [f"WARNING: {t.name} re-run queued {t.again_queued} messages (must be 0)"
              for t in timings if t.again_queued]
    return lines
