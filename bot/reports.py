"""`whistle export ...`, `whistle import FILE.xlsx` and `whistle import members FILE`:
reports out, the district and its members in."""

from __future__ import annotations

import sys
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer
from typer import _click as click  # typer vendors click; its groups take these types
from typer.core import TyperGroup

if TYPE_CHECKING:
    from rich.progress import TaskID
    from sqlmodel import Session

    from handlers.ledger.periods import Period
    from handlers.reports.tables import Scope


class ImportGroup(TyperGroup):
    """`whistle import FILE.xlsx` is `whistle import workbook FILE.xlsx`; `whistle import
    members FILE` stays what it was."""

    def resolve_command(self, ctx: click.Context, args: list[str]) -> tuple[
            str | None, click.Command | None, list[str]]:
        if args and args[0] not in self.commands and not args[0].startswith("-"):
            args = ["workbook", *args]
        return super().resolve_command(ctx, args)


import_app = typer.Typer(cls=ImportGroup, no_args_is_help=True, help=(
    "Bulk imports: `whistle import FILE.xlsx` (the district workbook from `whistle template`) "
    "or `whistle import members FILE`."))


def export(
    ctx: typer.Context,
    kind: Annotated[str, typer.Argument(
        help="ledger | roster | units | grades (台账 花名册 单位 评级).")],
    fmt: Annotated[str, typer.Option("--format", help="xlsx or csv.")] = "xlsx",
    period: Annotated[str | None, typer.Option(
        help="2026Q4, 2026 or 2026-11; the current quarter by default.")] = None,
    output: Annotated[Path | None, typer.Option(
        help="Where to write; KIND-PERIOD.FORMAT in the current directory by default.")] = None,
    community: Annotated[str | None, typer.Option(help="One community; all by default.")] = None,
) -> None:
    """Write a report: the service ledger, the roster, unit feedback cards or annual grades."""
    from bot.cli import open_database
    from bot.clock import Clock
    from handlers.errors import WorkflowError
    from handlers.ledger.periods import current_quarter, parse_period
    from handlers.reports.export_files import FORMATS, files
    from handlers.reports.exporting import default_name, export_file, kind_named
    from storage.db import transaction

    settings = ctx.obj
    try:
        kind = kind_named(kind)
        chosen = parse_period(period) if period else current_quarter(Clock().now(),
                                                                     settings.timezone)
    except WorkflowError as error:
        typer.echo(str(error), err=True)
        raise typer.Exit(2) from error
    if fmt not in FORMATS:
        typer.echo(f"unknown format {fmt!r}; one of: {', '.join(FORMATS)}", err=True)
        raise typer.Exit(2)
    path = output or Path(default_name(kind, chosen, fmt))
    with transaction(open_database(settings)) as session:
        scope = _scope(session, chosen, settings.timezone, community)
        report = export_file(session, settings.policy(), kind, scope, fmt, path)
    written = files(report, path, fmt)  # an XLSX holds every table; a CSV is one each
    for n, table in enumerate((report, *report.sheets)):
        typer.echo(f"{written[min(n, len(written) - 1)]}: {table.title}, {len(table.rows)} rows")


def _scope(session: Session, period: Period, zone: str, community: str | None) -> Scope:
    """The whole district, or the named community (exit code 2 when there is none)."""
    from handlers.people import community_named
    from handlers.reports.tables import Scope
    from storage.models import stored_id

    if community is None:
        return Scope(period, zone)
    found = community_named(session, community)
    if found is None:
        typer.echo(f"no community named {community!r}", err=True)
        raise typer.Exit(2)
    return Scope(period, found.timezone, [stored_id(found)])


@import_app.command("members")
def import_members(
    ctx: typer.Context,
    file: Annotated[Path, typer.Argument(
        help="CSV or XLSX with 姓名 手机 社区 网格 单位 职责 技能 空闲时间.")],
) -> None:
    """Import members from a sheet: every row, or none when any row has a problem."""
    from bot.cli import open_database
    from bot.clock import Clock
    from handlers.reports.importer import ImportFileError
    from handlers.reports.importer import import_members as run_import
    from storage.db import transaction

    try:
        with transaction(open_database(ctx.obj)) as session:
            count, problems = run_import(session, file, Clock().now())
    except ImportFileError as error:
        typer.echo(str(error), err=True)
        raise typer.Exit(2) from error
    if problems:
        for problem in problems:
            typer.echo(str(problem), err=True)
        typer.echo(f"nothing imported: {len(problems)} problem(s) in {file}", err=True)
        raise typer.Exit(1)
    typer.echo(f"imported {count} members from {file}")


@import_app.command("workbook")
def import_workbook(
    ctx: typer.Context,
    file: Annotated[Path, typer.Argument(help="The district workbook (.xlsx) from "
                                              "`whistle template`, filled in.")],
) -> None:
    """Import the district workbook (社区 网格 楼栋 单位 党员), all rows or none.

    Rows already stored (by name, a member by phone) are updated.
    """
    from bot.cli import open_database
    from bot.clock import Clock
    from handlers.reports.importer import ImportFileError
    from handlers.reports.workbook import WorkbookRefused, import_workbook, summary
    from storage.db import transaction

    engine = open_database(ctx.obj)
    try:
        with transaction(engine) as session, _progress() as progress:
            done = import_workbook(session, file, Clock().now(), progress)
    except ImportFileError as error:
        typer.echo(str(error), err=True)
        raise typer.Exit(2) from error
    except WorkbookRefused as refused:
        for problem in refused.problems:
            typer.echo(str(problem), err=True)
        typer.echo(str(refused), err=True)
        raise typer.Exit(1) from refused
    typer.echo("\n".join(summary(done)))


@contextmanager
def _progress() -> Iterator[Callable[[str, int, int], None] | None]:
    """A progress bar per sheet on a terminal; nothing when the output is piped or captured."""
    if not sys.stdout.isatty():
        yield None
        return
    from rich.progress import Progress

    with Progress(transient=True) as bar:
        tasks: dict[str, TaskID] = {}

        def advance(sheet: str, done: int, total: int) -> None:
            if sheet not in tasks:
                tasks[sheet] = bar.add_task(sheet, total=total or 1)
            bar.update(tasks[sheet], completed=done)

        yield advance
