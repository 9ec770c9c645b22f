"""`whistle export ...` and `whistle import members FILE`: reports out, members in."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

if TYPE_CHECKING:
    from sqlmodel import Session

    from handlers.ledger.periods import Period
    from handlers.reports.reports import Scope

import_app = typer.Typer(help="Bulk imports.", no_args_is_help=True)


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
    from handlers.reports.export_files import FORMATS
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
    typer.echo(f"{path}: {report.title}, {len(report.rows)} rows")


def _scope(session: Session, period: Period, zone: str, community: str | None) -> Scope:
    """The whole district, or the named community (exit code 2 when there is none)."""
    from handlers.people import community_named
    from handlers.reports.reports import Scope
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
