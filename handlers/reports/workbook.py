"""`whistle import FILE.xlsx`: the whole district workbook in, all or nothing.

Sheets are read in dependency order (社区, 网格, 楼栋, 单位, 党员), each against what the ones
before it stored in the same transaction. Rows are matched by natural keys, so importing an
edited workbook again updates what it describes rather than refusing it. One problem
anywhere raises :class:`WorkbookRefused` listing every problem by sheet, row and column; the
caller's transaction then rolls back and nothing is imported.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from zipfile import BadZipFile

from openpyxl import load_workbook
from openpyxl.utils.exceptions import InvalidFileException
from sqlmodel import Session, col, or_, select

from handlers.errors import SetupRefused
from handlers.reports import workbook_sheets as sheets
from handlers.reports.importer import ImportFileError, check
from handlers.reports.roll_saving import save
from handlers.reports.workbook_template import SHEETS
from handlers.texts import t
from storage.models import Member

Progress = Callable[[str, int, int], None]
"""Told (sheet, rows done, rows in the sheet) as the import goes, for a progress bar."""


@dataclass(frozen=True)
class SheetProblem:
    """One problem in the workbook: sheet, row as the spreadsheet numbers it, column, what."""

    sheet: str
    row: int
    column: str
    problem: str

    def __str__(self) -> str:
        return t("workbook_problem", sheet=self.sheet, row=self.row, column=self.column,
                 problem=self.problem)


class WorkbookRefused(SetupRefused):
    """The workbook has problems; nothing of it may be kept."""

    def __init__(self, problems: list[SheetProblem]) -> None:
        super().__init__(t("workbook_refused", count=len(problems)))
        self.problems = problems


def read_workbook(path: Path) -> dict[str, list[sheets.Row]]:
    """The known sheets' rows, (row number, {header: text}), blank rows skipped.

    Raises:
        ImportFileError: Not a readable .xlsx file, or none of the known sheets is in it.
        WorkbookRefused: A sheet lacks a required column.
    """
    if path.suffix.lower() != ".xlsx":
        raise ImportFileError(t("workbook_not_xlsx", name=path.name))
    try:
        book = load_workbook(path, read_only=True, data_only=True)
        try:
            tables = {title: [list(r) for r in book[title].iter_rows(values_only=True)]
                      for title in SHEETS if title in book.sheetnames}
        finally:
            book.close()
    except (OSError, BadZipFile, InvalidFileException, KeyError) as error:
        raise ImportFileError(t("import_unreadable", name=path.name, error=error)) from error
    if not tables:
        raise ImportFileError(t("workbook_no_sheets", name=path.name, sheets="、".join(SHEETS)))
    missing = [SheetProblem(title, 1, column.header, t("workbook_missing_column"))
               for title, table in tables.items() for column in SHEETS[title]
               if column.required and column.header not in _header(table)]
    if missing:
        raise WorkbookRefused(missing)
    return {title: _rows(table) for title, table in tables.items()}


def _header(table: list[list[object]]) -> list[str]:
    return [_cell(v) for v in table[0]] if table else []


def _rows(table: list[list[object]]) -> list[sheets.Row]:
    header = _header(table)
    rows = []
    for number, values in enumerate(table[1:], 2):
        row = {h: _cell(v) for h, v in zip(header, values, strict=False) if h}
        if any(row.values()):
            rows.append((number, row))
    return rows


def _cell(value: object) -> str:
    if isinstance(value, float) and value.is_integer():
        value = int(value)  # a phone typed into Excel comes back as 13800000001.0
    return "" if value is None else str(value).strip()


UPSERTS = {"社区": sheets.communities, "网格": sheets.grids, "楼栋": sheets.buildings,
           "单位": sheets.units}


def import_workbook(session: Session, path: Path, now: datetime,
                    progress: Progress | None = None) -> dict[str, sheets.Tally]:
    """Import every known sheet of the workbook in the caller's transaction.

    Returns:
        Per sheet imported: rows added, rows that updated what was stored.

    Raises:
        ImportFileError: The file is not a readable workbook.
        WorkbookRefused: Any row has a problem (the caller must roll back).
    """
    tables = read_workbook(path)
    problems: list[SheetProblem] = []
    done: dict[str, sheets.Tally] = {}
    for title, rows in tables.items():
        def problem(row: int, column: str, what: str, title: str = title) -> None:
            problems.append(SheetProblem(title, row, column, what))

        if progress:
            progress(title, 0, len(rows))
        upsert = UPSERTS.get(title)
        def checked(count: int, title: str = title, total: int = len(rows)) -> None:
            if progress:
                progress(title, count, total)

        done[title] = (upsert(session, rows, problem) if upsert
                       else _members(session, rows, now, problem, checked))
        if progress:
            progress(title, len(rows), len(rows))
    if problems:
        raise WorkbookRefused(problems)
    return done


def _members(session: Session, rows: list[sheets.Row], now: datetime,
             problem: sheets.Problem, checked: Callable[[int], None]) -> sheets.Tally:
    """党员: checked as `whistle import members` checks them; a row updates the member with
    its phone, or else the one member of its community with its name (a new phone)."""
    members, found = check(session, rows, now, updating=True, progress=checked)
    for each in found:
        problem(each.row, each.column, each.problem)
    if found:
        return 0, 0
    on_roll = _on_roll(session, members)
    save(session, members, [row["单位"] for _number, row in rows], on_roll)
    return len(members) - len(on_roll), len(on_roll)


def _on_roll(session: Session, members: list[Member]) -> dict[int, Member]:
    """The stored member each row describes, by the row's index, read in one query."""
    phones = {m.phone for m in members}
    stored = session.exec(select(Member).where(or_(
        col(Member.phone).in_(phones),
        col(Member.community_id).in_({m.community_id for m in members})))).all()
    by_phone = {m.phone: m for m in stored if m.phone}
    names: dict[tuple[int, str], list[Member]] = {}
    for member in stored:
        names.setdefault((member.community_id, member.name), []).append(member)
    matched: dict[int, Member] = {}
    taken: set[int | None] = set()
    for index, member in enumerate(members):
        same_name = [m for m in names.get((member.community_id, member.name), [])
                     if m.phone not in phones]
        found = by_phone.get(member.phone) or (same_name[0] if len(same_name) == 1 else None)
        if found is not None and found.id not in taken:
            matched[index] = found
            taken.add(found.id)
    return matched


def summary(done: dict[str, sheets.Tally]) -> list[str]:
    """One line per sheet imported: how many rows were added and how many updated."""
    return [t("workbook_imported", sheet=title, added=added, updated=updated)
            for title, (added, updated) in done.items()]
