"""Every board at once, for the daily refresh: one pass over the services, not sixteen.

``boards.compute`` ranks one board in SQL, each a GROUP BY over every service; the refresh
needs all of them (members and units, four metrics, the district and every community), so
it reads each member's tallies once (one sum of the running tallies of services, one over
the points ledger, one list of members and units) and ranks the boards from them. Values
and ties are the same as ``boards.compute``'s: a member who left is not ranked, a unit
counts all its members' work, ratings are stars per resident rating, ties go to the lower
id. Each metric sorts the members once (and the units once) and deals the sorted lines out to
the boards they belong on, so ranking costs a sort, not a pass per board.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence

from sqlalchemy import func
from sqlalchemy import select as wide_select
from sqlmodel import Session, col

from handlers.ledger.running import running
from storage.ledger import PointEntry
from storage.models import Member, Unit

Key = tuple[str, str, int | None]  # subject, metric, community (None: the district)
Ranked = dict[Key, list[tuple[int, int, str, float]]]  # rank, subject id, name, value
Scopes = tuple[int | None, ...]
SERVICES, HOURS, STARS, RATED, POINTS = range(5)  # a tally: a list of these totals
ADDITIVE = {"services": SERVICES, "hours": HOURS, "points": POINTS}


def value(tally: Sequence[float], metric: str) -> float:
    """The board value: the total, or stars per resident rating."""
    if metric == "rating":
        return tally[STARS] / tally[RATED] if tally[RATED] else 0.0
    return tally[ADDITIVE[metric]]


def _tallies(session: Session) -> dict[int, list[float]]:
    """Each member's services, hours, stars, ratings and points, in two aggregate queries."""
    served = running()
    tallies: dict[int, list[float]] = {}
    for member_id, services, hours, star_sum, rated in session.execute(wide_select(
            served.c.member_id, served.c.services, served.c.hours, served.c.star_sum,
            served.c.rated)):
        tallies[member_id] = [float(services or 0), float(hours or 0),
                              float(star_sum or 0) if rated else 0.0, float(rated or 0), 0.0]
    for member_id, points in session.execute(
            wide_select(col(PointEntry.member_id), func.sum(PointEntry.delta))
            .group_by(col(PointEntry.member_id))):
        tallies.setdefault(member_id, [0.0] * 5)[POINTS] += float(points or 0)
    return tallies


def rank_all(session: Session, metrics: Iterable[str], top: int) -> Ranked:
    """Every board's top ``top`` lines, keyed by subject, metric and community."""
    tallies = _tallies(session)
    units: dict[int, str] = {i: n for i, n in session.execute(
        wide_select(col(Unit.id), col(Unit.name)))}
    members: list[tuple[int, str, Scopes, list[float]]] = []
    unit_sums: dict[tuple[int, int | None], list[float]] = {}
    for member_id, name, community_id, unit_id, active in session.execute(wide_select(
            col(Member.id), col(Member.name), col(Member.community_id), col(Member.unit_id),
            col(Member.active))):
        tally = tallies.get(member_id)
        if tally is None:
            continue
        if active:  # a member who left is not ranked, but their work still counts for the unit
            members.append((member_id, name, (None, community_id), tally))
        if unit_id is not None:
            for scope in (None, community_id):
                sums = unit_sums.setdefault((unit_id, scope), [0.0] * 5)
                for index, total in enumerate(tally):
                    sums[index] += total
    unit_lines = [(unit_id, units[unit_id], (scope,), sums)
                  for (unit_id, scope), sums in unit_sums.items()]
    ranked: Ranked = {}
    for metric in metrics:
        _deal(ranked, "member", metric, members, top)
        _deal(ranked, "unit", metric, unit_lines, top)
    return ranked


def _deal(ranked: Ranked, subject: str, metric: str,
          lines: Sequence[tuple[int, str, Scopes, list[float]]], top: int) -> None:
    """Sort the subjects by value (ties to the lower id) and deal each to its boards' first
    ``top`` places."""
    scored = [(round(value(tally, metric), 9), subject_id, name, scopes)
              for subject_id, name, scopes, tally in lines]
    scored.sort(key=lambda line: (-line[0], line[1]))
    for worth, subject_id, name, scopes in scored:
        if worth <= 0:
            break
        for scope in scopes:
            board = ranked.setdefault((subject, metric, scope), [])
            if len(board) < top:
                board.append((len(board) + 1, subject_id, name, worth))
