"""Writing a report as a file: CSV that Excel opens in Chinese, or a tidy XLSX sheet."""

from __future__ import annotations

import csv
import unicodedata
from pathlib import Path

from openpyxl import Workbook
from openpyxl.styles import Font
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.worksheet import Worksheet

from handlers.reports.tables import Report

FORMATS = ("xlsx", "csv")
MAX_WIDTH = 60  # characters; longer texts wrap in Excel rather than push columns off-screen
WIDTH_SAMPLE = 500  # rows looked at to size a column


def write(report: Report, path: Path, fmt: str) -> list[Path]:
    """Write ``report`` to ``path`` as ``fmt`` (``csv`` or ``xlsx``); returns the files
    written: one XLSX with a sheet per table, or a CSV per table (see ``files``)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    if fmt == "csv":
        for table, file in zip((report, *report.sheets), files(report, path, fmt), strict=True):
            _write_csv(table, file)
    elif fmt == "xlsx":
        _write_xlsx(report, path)
    else:
        raise ValueError(f"unknown format {fmt!r}; one of {', '.join(FORMATS)}")
    return files(report, path, fmt)


def files(report: Report, path: Path, fmt: str) -> list[Path]:
    """The files ``write`` makes: ``path``, and for CSV one more per further table, named
    after it (``ledger-2026Q4.csv`` and ``ledger-2026Q4-history.csv``)."""
    if fmt != "csv":
        return [path]
    return [path, *(path.with_name(f"{path.stem}-{table.kind}{path.suffix}")
                    for table in report.sheets)]


def _write_csv(report: Report, path: Path) -> None:
    # The byte-order mark is how Excel knows a CSV is UTF-8 rather than the local code page.
    with path.open("w", encoding="utf-8-sig", newline="") as out:
        writer = csv.writer(out)
        writer.writerow(report.headers)
        writer.writerows(report.rows)


def _write_xlsx(report: Report, path: Path) -> None:
    book = Workbook()
    _fill(book.active, report)
    for table in report.sheets:
        _fill(book.create_sheet(), table)
    book.save(path)


def _fill(sheet: Worksheet, report: Report) -> None:
    sheet.title = report.title[:31]  # Excel's limit for a sheet name
    sheet.append(list(report.headers))
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    for row in report.rows:
        sheet.append(list(row))
    sheet.freeze_panes = "A2"
    for index, header in enumerate(report.headers, 1):
        sample = [header, *(row[index - 1] for row in report.rows[:WIDTH_SAMPLE])]
        width = max(display_width(str(value)) for value in sample)
        sheet.column_dimensions[get_column_letter(index)].width = min(width + 2, MAX_WIDTH)


def display_width(text: str) -> int:
    """How many Latin character widths a text takes: a Chinese character takes two."""
    return sum(2 if unicodedata.east_asian_width(c) in "WF" else 1 for c in text)
