"""Every board at once, for the daily refresh: one pass over the services, not sixteen.

``boards.compute`` ranks one board in SQL, each a GROUP BY over every service; the refresh
needs all of them (members and units, four metrics, the district and every community), so
it reads each member's tallies once (one sum of the running tallies of services, one over
the points ledger, one list of members and units) and ranks the boards from them. Values
and ties are the same as ``boards.compute``'s: a member who left is not ranked, a unit
counts all its members' work, ratings are stars per resident rating, ties go to the lower
id.
"""

from __future__ import annotations

import heapq
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field

from sqlalchemy import func
from sqlalchemy import select as wide_select
from sqlmodel import Session, col

from handlers.ledger.running import running
from storage.ledger import PointEntry
from storage.models import Member, Unit

Key = tuple[str, str, int | None]  # subject, metric, community (None: the district)
Ranked = dict[Key, list[tuple[int, int, str, float]]]  # rank, subject id, name, value


@dataclass
class Tally:
    """Additive totals (hours, services, points, star sum) and resident ratings."""

    sums: dict[str, float] = field(default_factory=lambda: defaultdict(float))
    rated: int = 0

    def add(self, other: Tally) -> None:
        """Count another member's work in (a unit's tally)."""
        for metric, value in other.sums.items():
            self.sums[metric] += value
        self.rated += other.rated

    def value(self, metric: str) -> float:
        """The board value: the total, or stars per rating."""
        if metric == "rating":
            return self.sums["stars"] / self.rated if self.rated else 0.0
        return self.sums[metric]


def _tallies(session: Session) -> dict[int, Tally]:
    """Each member's services, hours, stars and points, in two aggregate queries."""
    served = running()
    tallies: dict[int, Tally] = defaultdict(Tally)
    for member_id, services, hours, star_sum, rated in session.execute(wide_select(
            served.c.member_id, served.c.services, served.c.hours, served.c.star_sum,
            served.c.rated)):
        tally = tallies[member_id]
        tally.sums["services"] += services or 0
        tally.sums["hours"] += float(hours or 0)
        if rated:
            tally.sums["stars"] += float(star_sum or 0)
            tally.rated += rated
    for member_id, points in session.execute(
            wide_select(col(PointEntry.member_id), func.sum(PointEntry.delta))
            .group_by(col(PointEntry.member_id))):
        tallies[member_id].sums["points"] += float(points or 0)
    return tallies


def rank_all(session: Session, metrics: Iterable[str], top: int) -> Ranked:
    """Every board's top ``top`` lines, keyed by subject, metric and community."""
    tallies = _tallies(session)
    units: dict[int, str] = {i: n for i, n in session.execute(
        wide_select(col(Unit.id), col(Unit.name)))}
    scored: dict[tuple[str, int | None], dict[int, tuple[str, Tally]]] = defaultdict(dict)
    for member_id, name, community_id, unit_id, active in session.execute(wide_select(
            col(Member.id), col(Member.name), col(Member.community_id), col(Member.unit_id),
            col(Member.active))):
        tally = tallies.get(member_id)
        if tally is None:
            continue
        if active:
            for scope in (None, community_id):
                scored["member", scope][member_id] = (name, tally)
        if unit_id is not None:
            for scope in (None, community_id):
                unit = scored["unit", scope].setdefault(unit_id, (units[unit_id], Tally()))
                unit[1].add(tally)
    ranked: Ranked = {}
    for (subject, scope), subjects in scored.items():
        for metric in metrics:
            values = ((round(tally.value(metric), 9), subject_id, name)
                      for subject_id, (name, tally) in subjects.items())
            best = heapq.nsmallest(top, ((-v, i, n) for v, i, n in values if v > 0))
            ranked[subject, metric, scope] = [(rank, i, n, -v) for rank, (v, i, n)
                                              in enumerate(best, start=1)]
    return ranked
