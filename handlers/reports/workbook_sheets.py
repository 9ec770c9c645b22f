"""The district workbook's 社区, 网格, 楼栋 and 单位 sheets: each row added, or matched by its
natural key and updated; every sheet read against what is stored in one query per table."""

from __future__ import annotations

import math
from collections.abc import Callable

from sqlmodel import Session, select

from handlers.errors import SetupRefused
from handlers.organisation.structure import NAME_CHARS, UNIT_CHARS, unit_kind
from handlers.reports.importer import Known
from handlers.texts import t
from storage.models import Building, Community, District, Grid, Unit, stored_id

Row = tuple[int, dict[str, str]]
Problem = Callable[[int, str, str], None]
"""Report a problem: the row's number, the column, what is wrong."""
Tally = tuple[int, int]
"""Rows added, rows matched to what was stored already."""


def text(number: int, row: dict[str, str], column: str, problem: Problem,
         limit: int = NAME_CHARS, required: bool = True) -> str | None:
    """A cell's text, or None (with the problem reported) when it is missing or too long."""
    value = row.get(column, "")
    if required and not value:
        problem(number, column, t("import_required"))
        return None
    if len(value) > limit:
        problem(number, column, t("import_too_long", limit=limit))
        return None
    return value


def once(number: int, key: object, seen: dict[object, int], column: str,
         problem: Problem) -> bool:
    """Whether this is the first row with the key; a later one is reported."""
    if key in seen:
        problem(number, column, t("workbook_repeated", row=seen[key]))
        return False
    seen[key] = number
    return True


def communities(session: Session, rows: list[Row], problem: Problem) -> Tally:
    """社区: by name; the 街道 is created when new, and a blank one leaves it as it was."""
    stored = {c.name: c for c in session.exec(select(Community)).all()}
    offices = {d.name: d for d in session.exec(select(District)).all()}
    new_offices = {row.get("街道", "") for _n, row in rows} - set(offices) - {""}
    offices |= {name: District(name=name) for name in new_offices if len(name) <= NAME_CHARS}
    session.add_all(offices[name] for name in new_offices if name in offices)
    session.flush()
    seen: dict[object, int] = {}
    added = 0
    for number, row in rows:
        name = text(number, row, "社区", problem)
        office = text(number, row, "街道", problem, required=False)
        if name is None or office is None or not once(number, name, seen, "社区", problem):
            continue
        district_id = offices[office].id if office else None
        if name not in stored:
            stored[name] = Community(name=name, district_id=district_id)
            session.add(stored[name])
            added += 1
        elif district_id is not None:
            stored[name].district_id = district_id
    session.flush()
    return added, len(seen) - added


def _community(known: Known, number: int, row: dict[str, str],
               problem: Problem) -> Community | None:
    name = text(number, row, "社区", problem)
    if name is None:
        return None
    found = known.community(name)
    if found is None:
        problem(number, "社区", t("no_such_community", name=name))
    return found


def grids(session: Session, rows: list[Row], problem: Problem) -> Tally:
    """网格: by community and name; a grid has nothing else to update."""
    known = Known.read(session)
    seen: dict[object, int] = {}
    new = []
    for number, row in rows:
        owner = _community(known, number, row, problem)
        name = text(number, row, "网格", problem)
        if owner is None or name is None:
            continue
        key = (stored_id(owner), name)
        if once(number, key, seen, "网格", problem) and key not in known.grids:
            new.append(Grid(community_id=key[0], name=name))
    session.add_all(new)
    session.flush()
    return len(new), len(seen) - len(new)


def number_in(number: int, row: dict[str, str], column: str, bound: float,
              problem: Problem) -> float | None:
    """A coordinate cell as a number within ±``bound``; None when blank or wrong (reported)."""
    value = row.get(column, "")
    if not value:
        return None
    try:
        parsed = float(value)
    except ValueError:
        problem(number, column, t("setup_bad_number", value=value))
        return None
    if not (math.isfinite(parsed) and -bound <= parsed <= bound):
        problem(number, column, t("setup_bad_lat" if bound == 90 else "setup_bad_lon",
                                  value=value))
        return None
    return parsed


def buildings(session: Session, rows: list[Row], problem: Problem) -> Tally:
    """楼栋: by community and name; its grid and coordinates are updated."""
    known = Known.read(session)
    stored = {(b.community_id, b.name): b for b in session.exec(select(Building)).all()}
    seen: dict[object, int] = {}
    added = 0
    for number, row in rows:
        owner = _community(known, number, row, problem)
        name = text(number, row, "楼栋", problem)
        lat, lon = number_in(number, row, "纬度", 90, problem), number_in(
            number, row, "经度", 180, problem)
        if (row.get("纬度", "") == "") != (row.get("经度", "") == ""):
            problem(number, "经度" if row.get("纬度") else "纬度", t("setup_lat_lon_together"))
        if owner is None or name is None:
            continue
        grid_id = known.grids.get((stored_id(owner), row.get("网格", "")))
        if row.get("网格") and grid_id is None:
            problem(number, "网格", t("import_no_such_grid", community=owner.name,
                                     grid=row["网格"]))
        key = (stored_id(owner), name)
        if not once(number, key, seen, "楼栋", problem):
            continue
        if key not in stored:
            stored[key] = Building(community_id=key[0], name=name)
            session.add(stored[key])
            added += 1
        stored[key].grid_id, stored[key].lat, stored[key].lon = grid_id, lat, lon
    session.flush()
    return added, len(seen) - added


def units(session: Session, rows: list[Row], problem: Problem) -> Tally:
    """单位: by name; its kind is updated."""
    stored = {u.name: u for u in session.exec(select(Unit)).all()}
    seen: dict[object, int] = {}
    added = 0
    for number, row in rows:
        name = text(number, row, "单位", problem, UNIT_CHARS)
        try:
            kind = unit_kind(row.get("类别", ""))
        except SetupRefused as refused:
            problem(number, "类别", str(refused))
            continue
        if name is None or not once(number, name, seen, "单位", problem):
            continue
        if name not in stored:
            stored[name] = Unit(name=name)
            session.add(stored[name])
            added += 1
        stored[name].kind = kind
    session.flush()
    return added, len(seen) - added
