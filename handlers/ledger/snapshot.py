"""Every board of some communities at once, ranked in SQL, for the daily refresh.

``boards.compute`` ranks one board, a GROUP BY over every member; the refresh needs all of
them (members and units, four metrics, the district and every community). ``ranked`` is one
query for all the boards of a set of communities (or of the district): each member's totals
(the running tallies of services and the kept points balance: a few rows a member, never
the services or the ledger), the units' sums of them, and for each subject and metric the
lines numbered per community by ``ROW_NUMBER`` (the district's units are summed
straight from the tallies and balances by unit). The refresh inserts it as it stands
(INSERT … SELECT), so no line passes through Python; ``district_members`` ranks the
district's members from the communities' stored lines. Values and ties are the same as
``boards.compute``'s: a member who left is not ranked, a unit counts all its members' work,
ratings are stars per resident rating, ties go to the lower id.
"""

from __future__ import annotations

from collections.abc import Collection
from datetime import datetime

from sqlalchemy import (
    CTE,
    BindParameter,
    ColumnElement,
    CompoundSelect,
    Float,
    Integer,
    Select,
    bindparam,
    case,
    cast,
    func,
    literal,
    null,
    union_all,
)
from sqlalchemy import select as wide_select
from sqlmodel import col

from handlers.ledger.running import running
from handlers.ledger.tallies import METRICS
from storage.boards import BoardEntry
from storage.ledger import PointBalance, ServiceTally
from storage.models import Member, Unit
from storage.rows import table_of

COLUMNS = ["community_id", "subject", "metric", "rank", "subject_id", "name", "value",
           "refreshed_at"]
TOTALS = ("services", "hours", "star_sum", "rated", "points")
SUBJECTS = ("member", "unit")
COMMUNITIES: BindParameter[list[int]] = bindparam("communities", expanding=True)
"""The communities whose boards ``ranked`` ranks, named when the statement runs: it is
built (and compiled) once for every chunk of communities."""


def _members(by_community: bool) -> Select:
    """Each member's totals (of the ``COMMUNITIES`` when ``by_community``, or everyone's),
    with their community, unit and whether they are active."""
    served = running(members_of=COMMUNITIES if by_community else None)
    kept = table_of(PointBalance)
    # A chunk's few thousand look up their balances one by one (PostgreSQL would hash-join
    # every balance for each chunk); the district's 60,000 are joined to them all at once.
    points: ColumnElement[int] = (
        wide_select(kept.c.balance).where(kept.c.member_id == Member.id).scalar_subquery()
        if by_community else kept.c.balance)
    query: Select = (wide_select(
        col(Member.id).label("id"), col(Member.name).label("name"),
        col(Member.community_id).label("community_id"), col(Member.unit_id).label("unit_id"),
        col(Member.active).label("active"),
        func.coalesce(served.c.services, 0).label("services"),
        func.coalesce(served.c.hours, 0.0).label("hours"),
        func.coalesce(served.c.star_sum, 0).label("star_sum"),
        func.coalesce(served.c.rated, 0).label("rated"),
        func.coalesce(points, 0).label("points"))
        .outerjoin(served, served.c.member_id == Member.id))
    if by_community:
        query = query.where(col(Member.community_id).in_(COMMUNITIES))
    else:
        query = query.outerjoin(kept, kept.c.member_id == Member.id)
    return query


def _lines(by_community: bool, subjects: Collection[str]) -> dict[str, CTE]:
    """The lines of each of ``subjects`` with their totals and scope (the community whose
    boards they are on when ``by_community``, else none: the district's): the active
    members, and the units summed over their members (all of them: a member who left still
    served)."""
    lines = {}
    if not by_community and "unit" in subjects:
        lines["unit"] = _district_units()
        subjects = [s for s in subjects if s != "unit"]
    if not subjects:
        return lines
    members = _members(by_community).cte()  # read once for the members and their units
    scope = members.c.community_id if by_community else cast(null(), Integer)
    if "member" in subjects:
        lines["member"] = wide_select(
            scope.label("scope"), members.c.id.label("subject_id"),
            members.c.name.label("name"), *(members.c[total] for total in TOTALS)
        ).where(members.c.active.is_(True)).cte()
    if "unit" in subjects:
        unit = table_of(Unit)
        grouped = [unit.c.id, unit.c.name] + ([members.c.community_id] if by_community
                                             else [])
        lines["unit"] = wide_select(
            scope.label("scope"), unit.c.id.label("subject_id"), unit.c.name.label("name"),
            *(func.sum(members.c[total]).label(total) for total in TOTALS)
        ).join(members, members.c.unit_id == unit.c.id).group_by(*grouped).cte()
    return lines


def _district_units() -> CTE:
    """The district's unit lines, summed straight from the running tallies and the kept
    balances by the unit of their member: a unit's totals over the whole district need no
    line of each of its 60,000 members first (SQLite: 250 ms -> 70 ms of CPU)."""
    tally, kept, unit = table_of(ServiceTally), table_of(PointBalance), table_of(Unit)
    served = (wide_select(col(Member.unit_id).label("unit_id"),
                          *(func.sum(tally.c[total]).label(total)
                            for total in ("services", "seconds", "star_sum", "rated")))
              .join(Member, col(Member.id) == tally.c.member_id)
              .group_by(col(Member.unit_id)).subquery())
    points = (wide_select(col(Member.unit_id).label("unit_id"),
                          func.sum(kept.c.balance).label("points"))
              .join(Member, col(Member.id) == kept.c.member_id)
              .group_by(col(Member.unit_id)).subquery())
    return (wide_select(
        cast(null(), Integer).label("scope"), unit.c.id.label("subject_id"),
        unit.c.name.label("name"), func.coalesce(served.c.services, 0).label("services"),
        (func.coalesce(served.c.seconds, 0.0) / 3600.0).label("hours"),
        func.coalesce(served.c.star_sum, 0).label("star_sum"),
        func.coalesce(served.c.rated, 0).label("rated"),
        func.coalesce(points.c.points, 0).label("points"))
        .outerjoin(served, served.c.unit_id == unit.c.id)
        .outerjoin(points, points.c.unit_id == unit.c.id).cte())


def _value(lines: CTE, metric: str) -> ColumnElement[float]:
    """A line's value on a board of ``metric``: the total, or stars per resident rating."""
    if metric == "rating":
        return case((lines.c.rated > 0, cast(lines.c.star_sum, Float) / lines.c.rated),
                    else_=0.0)
    return cast(lines.c[metric], Float)


def ranked(now: datetime, top: int, by_community: bool = True,
           subjects: Collection[str] = SUBJECTS) -> CompoundSelect:
    """The boards of ``subjects`` of the ``COMMUNITIES`` (the district's when not
    ``by_community``) as ``BoardEntry`` rows (``COLUMNS``): for each subject and metric,
    the lines with a value above zero numbered by it (``ROW_NUMBER`` per community), and
    the first ``top`` of each board kept. The lines are read once for the four metrics."""
    refreshed = literal(now, table_of(BoardEntry).c.refreshed_at.type)
    boards = []
    for subject, lines in _lines(by_community, subjects).items():
        for metric in METRICS:
            value = _value(lines, metric)
            numbered = (wide_select(lines.c.scope, lines.c.subject_id, lines.c.name,
                                    value.label("value"), func.row_number().over(
                                        partition_by=lines.c.scope,
                                        order_by=(value.desc(), lines.c.subject_id)
                                    ).label("rank"))
                        .where(value > 0).subquery())
            boards.append(wide_select(numbered.c.scope, literal(subject), literal(metric),
                                      numbered.c.rank, numbered.c.subject_id,
                                      numbered.c.name, numbered.c.value, refreshed)
                          .where(numbered.c.rank <= top))
    return union_all(*boards)

def district_members(now: datetime, top: int) -> CompoundSelect:
    """The district's member boards, ranked from the communities' stored ones: a member in
    the district's first ``top`` is in their community's first ``top`` (the same values,
    the same ties), so the few lines a community keeps are all there is to rank. Each
    metric's first ``top`` is an ORDER BY … LIMIT (a top-N sort, not a sort of them all)."""
    kept = table_of(BoardEntry)
    refreshed = literal(now, kept.c.refreshed_at.type)
    boards = []
    for metric in METRICS:
        first = (wide_select(kept.c.subject_id, kept.c.name, kept.c.value)
                 .where(kept.c.community_id.is_not(None), kept.c.subject == "member",
                        kept.c.metric == metric)
                 .order_by(kept.c.value.desc(), kept.c.subject_id).limit(top).subquery())
        boards.append(wide_select(
            cast(null(), Integer), literal("member"), literal(metric),
            func.row_number().over(order_by=(first.c.value.desc(), first.c.subject_id)),
            first.c.subject_id, first.c.name, first.c.value, refreshed))
    return union_all(*boards)
