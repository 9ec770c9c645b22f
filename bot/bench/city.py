"""A synthetic city for `whistle bench --scale`: Shaoguan's size, written in bulk.

Shaoguan (韶关) runs 报到 with 60,000 members in 295 communities and 1,795 units, about
60,000 whistles and 600,000 services a year. The city is seeded a few communities at a
time (SQLAlchemy core ``executemany`` in chunks, one transaction a batch), so memory stays
flat however big the city is. Each member claims every duty (member_duty rows), so one
duty's fan-out reaches every member. A finished order had ten members on site; members
serve ten times a year. As in bot/bench_sweeps.py, odd-numbered members stopped serving at
mid-year (below quota, a quarter of them with a Q3 yellow light already), and live orders
(one set per ``live_every`` members) give every sweep something due.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import text
from sqlalchemy.engine import Engine

from bot.bench.timers import DUTIES, ZONE, _local
from bot.bench_sweeps import ACTIVE_END, LAPSED_END, YEAR_START, H, Rows, _live, tally
from storage import models as m
from storage.duties import MemberDuty, duty_rows
from storage.ledger import MemberWarning, PointEntry
from storage.models import OrderStatus as S

PLACES = 10  # members on site in each finished order
BATCH = 10  # communities a transaction while seeding
Progress = Callable[[int, int], None]


@dataclass(frozen=True)
class Scale:
    """How big the city is.

    Attributes:
        name: What ``--scale`` calls it.
        communities: Communities.
        units: Units (单位) across the city.
        members: Members across the city.
        services: Services each member finished this year.
        live_every: Members per set of live orders (six orders each, due for the sweeps).
    """

    name: str
    communities: int
    units: int
    members: int
    services: int = 10
    live_every: int = 50


SCALES = {
    "tiny": Scale("tiny", 3, 6, 120, live_every=20),
    "small": Scale("small", 10, 60, 2000),
    "shaoguan": Scale("shaoguan", 295, 1795, 60_000),
}


def _share(total: int, parts: int, index: int) -> int:
    """Part ``index`` (from 0) of ``total`` split as evenly as whole numbers allow."""
    return total // parts + (index < total % parts)


class City:
    """Where each community's members and units start (ids are given, so batches agree)."""

    def __init__(self, scale: Scale) -> None:
        self.scale = scale
        self.first_member, self.first_unit = [1], [1]
        for c in range(scale.communities):
            self.first_member.append(self.first_member[-1] + _share(scale.members,
                                                                    scale.communities, c))
            self.first_unit.append(self.first_unit[-1] + _share(scale.units,
                                                                scale.communities, c))

    def members(self, c: int) -> range:
        """Member ids of community ``c`` (from 1)."""
        return range(self.first_member[c - 1], self.first_member[c])

    def units(self, c: int) -> range:
        """Unit ids of community ``c`` (from 1)."""
        return range(self.first_unit[c - 1], self.first_unit[c])


def _people(rows: Rows, city: City, c: int) -> None:
    """A community with an admin, a bound group, a resident, its units and its members with
    accounts, duties, 2026 base points and Q3 yellow lights for a quarter of them."""
    rows.add(m.Community, id=c, name=f"合成社区{c:03d}", timezone=ZONE)
    rows.add(m.Admin, channel="console", user_id=f"admin{c}", community_id=c)
    rows.add(m.GroupChat, channel="console", chat_id=f"group{c}", community_id=c)
    rows.add(m.Resident, id=c, name=f"居民{c}", community_id=c)
    rows.add(m.Identity, channel="console", user_id=f"r{c}", resident_id=c, member_id=None)
    units = city.units(c)
    for u in units:
        rows.add(m.Unit, id=u, name=f"合成单位{c:03d}-{u}")
    for i, member in enumerate(city.members(c)):
        rows.add(m.Member, id=member, name=f"党员{member}", community_id=c, duties=DUTIES,
                 unit_id=units[i % len(units)] if units else None,
                 registered_at=_local(2025, 6, 1))
        for duty in duty_rows(member, DUTIES):
            rows.add(MemberDuty, **duty)
        rows.add(m.Identity, channel="console", user_id=f"m{member}", resident_id=None,
                 member_id=member)
        rows.add(PointEntry, member_id=member, delta=80, reason="year_base", order_id=None,
                 note="2026", at=YEAR_START)
        if i % 4 == 1:
            rows.add(MemberWarning, member_id=member, period="2026Q3", level="yellow",
                     at=_local(2026, 10, 1, 1))


def _finished(rows: Rows, c: int, crew: list[int], done: datetime, stars: int) -> None:
    """A finished order (2 h on site for its whole crew), rated, closed, with points."""
    created = done - 26 * H
    order = rows.order(c, S.CLOSED, created, capacity=len(crew), accepted_count=len(crew),
                       rating_deadline=done + 24 * H)
    for member in crew:
        rows.place(order, member, created + 2 * H, done - 2 * H, done)
        for reason, delta in (("service", 5), ("hours", 4), ("five_star", 5 * (stars == 5))):
            if delta:
                rows.add(PointEntry, member_id=member, delta=delta, reason=reason,
                         order_id=order, note="", at=done)
    rows.add(m.Rating, order_id=order, resident_id=c, round=1, stars=stars,
             at=done + 3 * H, by_default=False)
    rows.add(m.OrderHistory, order_id=order, at=done + 3 * H, actor="居民",
             from_status=S.AWAITING_RATING, to_status=S.CLOSED, reason="")


def _history(rows: Rows, city: City, c: int) -> None:
    """The year's finished orders: even members serve all year, odd ones until June; each
    order's crew is ten members of one parity, and each member is on ``services`` crews."""
    members = list(city.members(c))
    for parity, end in ((0, ACTIVE_END), (1, LAPSED_END)):
        group = members[parity::2]
        per_order = min(PLACES, len(group))
        if not per_order:
            continue
        orders = len(group) * city.scale.services // per_order
        for k in range(orders):
            crew = [group[(k + j) % len(group)] for j in range(per_order)]
            done = YEAR_START + (end - YEAR_START) * ((k + 0.5) / orders)
            _finished(rows, c, crew, done, 5 if k % 3 else 4)


def seed(engine: Engine, scale: Scale, progress: Progress | None = None) -> int:
    """Fill an empty, migrated database with the city, ``BATCH`` communities a transaction
    (and their members' running tallies, counted as the workflow counts them); returns how
    many rows went in. ``progress(done, total)`` is told after each batch."""
    city, total, orders = City(scale), 0, 0
    for first in range(1, scale.communities + 1, BATCH):
        rows = Rows()
        rows.orders = orders
        for c in range(first, min(first + BATCH, scale.communities + 1)):
            _people(rows, city, c)
            _history(rows, city, c)
            members = city.members(c)
            for k in range(max(1, len(members) // scale.live_every)):
                _live(rows, c, members[(2 * k) % len(members)])
        orders = rows.orders
        total += _insert(engine, rows)
        last = first + BATCH > scale.communities
        tally(engine, range(city.first_member[first - 1],
                            city.first_member[min(first + BATCH, scale.communities + 1) - 1]),
              last)
        if progress is not None:
            progress(min(first + BATCH - 1, scale.communities), scale.communities)
    _settle(engine)
    return total


def _insert(engine: Engine, rows: Rows) -> int:
    """One batch's rows, parents first, in one transaction."""
    with engine.begin() as connection:
        for table, batch in rows.tables.items():
            for start in range(0, len(batch), 5000):
                connection.execute(table.insert(), batch[start:start + 5000])
    return sum(len(batch) for batch in rows.tables.values())


def _settle(engine: Engine) -> None:
    """On PostgreSQL: sequences past the given ids, and the table statistics autovacuum
    would soon gather."""
    if engine.dialect.name != "postgresql":  # SQLite plans without statistics, as deployed
        return
    with engine.begin() as connection:
        for name in ("community", "unit", "resident", "member", "orders"):
            connection.execute(text(f"SELECT setval(pg_get_serial_sequence('{name}', "
                                    f"'id'), (SELECT max(id) FROM {name}))"))
        connection.execute(text("ANALYZE"))
