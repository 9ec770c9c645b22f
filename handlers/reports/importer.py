"""Member bulk import (批量导入党员) from a CSV or XLSX sheet: all rows or none.

A CSV may be UTF-8 or GBK (Excel on a Chinese Windows). Every row is checked first; one bad
row means nothing is imported and the report names each problem by row and column. Accounts
are not created: a member binds to their imported row by registering (/register) with the
same phone number.
"""

from __future__ import annotations

import csv
import re
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from zipfile import BadZipFile

from openpyxl import load_workbook
from openpyxl.utils.exceptions import InvalidFileException
from sqlmodel import Session, select

from handlers.errors import WorkflowError
from handlers.orders.duties import ALL_WORDS, duty_code
from handlers.reports import roll_saving
from handlers.texts import t
from nlu import DUTIES
from nlu.buildings import match_building
from nlu.personal import mobile_number
from storage.models import Building, Community, Grid, Member, stored_id

COLUMNS = ("姓名", "手机", "社区", "网格", "单位", "职责", "技能", "空闲时间", "楼栋")
REQUIRED = ("姓名", "手机", "社区", "单位", "职责")
LIMITS = {"姓名": 30, "单位": 100, "技能": 500, "空闲时间": 200}
_DUTY_SEPARATORS = re.compile(r"[\s,，、;；]+")


class ImportFileError(ValueError):
    """The file cannot be read as a member sheet at all (format, encoding, missing columns)."""


@dataclass(frozen=True)
class RowProblem:
    """One problem in the sheet: the row as the spreadsheet numbers it, the column, what."""

    row: int
    column: str
    problem: str

    def __str__(self) -> str:
        return t("import_problem", row=self.row, column=self.column, problem=self.problem)


def read_sheet(path: Path) -> list[tuple[int, dict[str, str]]]:
    """The sheet's rows as (row number, {column: text}); blank rows are skipped.

    Raises:
        ImportFileError: Not a .csv or .xlsx file, unreadable, empty, or missing columns.
    """
    table = _table(path)
    if not table:
        raise ImportFileError(t("import_empty", name=path.name))
    header = [_cell(v) for v in table[0]]
    missing = [c for c in REQUIRED if c not in header]
    if missing:
        raise ImportFileError(t("import_missing_columns", columns="、".join(missing)))
    rows = []
    for number, values in enumerate(table[1:], 2):
        row = {h: _cell(v) for h, v in zip(header, values, strict=False) if h in COLUMNS}
        if any(row.values()):
            rows.append((number, row))
    return rows


def _table(path: Path) -> list[list[object]]:
    suffix = path.suffix.lower()
    if suffix not in (".csv", ".xlsx"):
        raise ImportFileError(t("import_bad_format", name=path.name))
    try:
        if suffix == ".csv":
            return [list(r) for r in csv.reader(_csv_text(path).splitlines())]
        book = load_workbook(path, read_only=True, data_only=True)
        try:
            return [list(r) for r in book.active.iter_rows(values_only=True)]
        finally:
            book.close()
    except (OSError, UnicodeDecodeError, csv.Error, BadZipFile, InvalidFileException,
            KeyError) as error:
        raise ImportFileError(t("import_unreadable", name=path.name, error=error)) from error


def _csv_text(path: Path) -> str:
    """A CSV's text: UTF-8 (with or without BOM), else GB18030, as Excel on a Chinese
    Windows saves "CSV" (GBK) and community offices mostly use that."""
    raw = path.read_bytes()
    try:
        return raw.decode("utf-8-sig")
    except UnicodeDecodeError:
        return raw.decode("gb18030")


def _cell(value: object) -> str:
    if isinstance(value, float) and value.is_integer():
        value = int(value)  # a phone typed into Excel comes back as 13800000001.0
    return "" if value is None else str(value).strip()


@dataclass
class Known:
    """What the rows are checked against, read in four queries rather than per row."""

    communities: dict[str, Community]
    grids: dict[tuple[int, str], int]
    phones: set[str]  # on the roll already
    buildings: dict[int, dict[str, tuple[int, int | None]]]  # name → (id, grid) by community

    @classmethod
    def read(cls, session: Session) -> Known:
        """The communities, grids and registered phones as the session sees them now."""
        communities = {c.name: c for c in session.exec(select(Community)).all()}
        grids = session.exec(select(Grid.community_id, Grid.name, Grid.id)).all()
        phones = session.exec(select(Member.phone).where(Member.phone != "")).all()
        buildings: dict[int, dict[str, tuple[int, int | None]]] = {}
        for b in session.exec(select(Building)).all():
            buildings.setdefault(b.community_id, {})[b.name] = (stored_id(b), b.grid_id)
        return cls(communities, {(c, name): i for c, name, i in grids if i is not None},
                   set(phones), buildings)

    def building(self, community_id: int, text: str) -> tuple[int, int | None] | None:
        """The community's building ``text`` names (3号楼 finds 3栋), with its grid."""
        own = self.buildings.get(community_id, {})
        name = text.strip() if text.strip() in own else match_building(text, own)
        return own[name] if name is not None else None

    def community(self, name: str) -> Community | None:
        """A community by its exact name, or by a unique part of it (as
        :func:`handlers.people.community_named` finds one)."""
        name = name.strip()
        if name in self.communities or not name:
            return self.communities.get(name)
        partial = [c for known, c in self.communities.items() if name in known]
        return partial[0] if len(partial) == 1 else None


def check(session: Session, rows: list[tuple[int, dict[str, str]]], now: datetime, *,
          updating: bool = False, progress: Callable[[int], None] | None = None) -> tuple[
        list[Member], list[RowProblem]]:
    """The members the rows describe (their units not yet set), and every problem found.

    Args:
        session: The open transaction.
        rows: The sheet's rows as :func:`read_sheet` gives them.
        now: When the new members register.
        updating: A phone already on the roll updates that member rather than being refused.
        progress: Told how many rows are checked, every 100 rows.
    """
    known = Known.read(session)
    members: list[Member] = []
    problems: list[RowProblem] = []
    phones: dict[str, int] = {}
    for number, row in rows:
        found: list[RowProblem] = []
        member = _member(known, number, row, found, now, updating)
        phone = member.phone
        if phone and phone in phones:
            found.append(RowProblem(number, "手机", t("import_phone_repeated", row=phones[phone])))
        phones.setdefault(phone, number)
        problems += found
        members.append(member)
        if progress and len(members) % 100 == 0:
            progress(len(members))
    return members, problems


def _member(known: Known, number: int, row: dict[str, str], found: list[RowProblem],
            now: datetime, updating: bool) -> Member:
    def problem(column: str, text: str) -> None:
        found.append(RowProblem(number, column, text))

    for column in REQUIRED:
        if not row.get(column):
            problem(column, t("import_required"))
    for column, limit in LIMITS.items():
        if len(row.get(column, "")) > limit:
            problem(column, t("import_too_long", limit=limit))
    phone = mobile_number(row.get("手机", "")) if row.get("手机") else None
    if row.get("手机") and phone is None:
        problem("手机", t("import_bad_phone", value=row["手机"]))
    elif phone and phone in known.phones and not updating:
        problem("手机", t("import_phone_registered", phone=phone))
    community = known.community(row["社区"]) if row.get("社区") else None
    if row.get("社区") and community is None:
        problem("社区", t("no_such_community", name=row["社区"]))
    grid_id, building_id = _place(known, community, row, problem) if community else (None,
                                                                                      None)
    duties = _duties(row.get("职责", ""), lambda text: problem("职责", text))
    return Member(name=row.get("姓名", ""), phone=phone or "",
                  community_id=stored_id(community) if community else 0, grid_id=grid_id,
                  building_id=building_id, skills=row.get("技能", ""),
                  free_time=row.get("空闲时间", ""), duties=duties, registered_at=now)


def _place(known: Known, community: Community, row: dict[str, str],
           problem: Callable[[str, str], None]) -> tuple[int | None, int | None]:
    """The member's grid and building; a building's grid stands in for an empty 网格."""
    key = stored_id(community)
    grid_id = known.grids.get((key, row["网格"])) if row.get("网格") else None
    if row.get("网格") and grid_id is None:
        problem("网格", t("import_no_such_grid", grid=row["网格"], community=community.name))
    if not row.get("楼栋"):
        return grid_id, None
    found = known.building(key, row["楼栋"])
    if found is None:
        problem("楼栋", t("import_no_such_building", building=row["楼栋"],
                        community=community.name))
        return grid_id, None
    return grid_id or found[1], found[0]


def _duties(text: str, problem: Callable[[str], None]) -> list[str]:
    codes: list[str] = []
    for token in filter(None, _DUTY_SEPARATORS.split(text)):
        if token in ALL_WORDS:
            codes += list(DUTIES)
            continue
        try:
            codes.append(duty_code(token))
        except WorkflowError:
            problem(t("import_bad_duty", duty=token))
    return list(dict.fromkeys(codes))


def import_members(session: Session, path: Path, now: datetime) -> tuple[int, list[RowProblem]]:
    """Import every member in the sheet, or none when any row has a problem.

    Returns:
        How many members were imported, and the problems (empty when all were imported).

    Raises:
        ImportFileError: The file is not a readable member sheet.
    """
    rows = read_sheet(path)
    members, problems = check(session, rows, now)
    if problems:
        return 0, problems
    roll_saving.save(session, members, [row["单位"] for _number, row in rows])
    return len(members), []
