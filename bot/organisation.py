"""`whistle community|grid|building|unit|admin|member ...` and `whistle template`: setting
up a district from the command line. The work is in handlers/organisation; here a refusal
becomes one line on stderr and exit code 2."""

from __future__ import annotations

import json
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

if TYPE_CHECKING:
    from sqlmodel import Session

community_app = typer.Typer(help="Communities (社区).", no_args_is_help=True)
grid_app = typer.Typer(help="Grids (网格) inside a community.", no_args_is_help=True)
building_app = typer.Typer(help="Buildings (楼栋) of a community.", no_args_is_help=True)
unit_app = typer.Typer(help="Members' work units (工作单位).", no_args_is_help=True)
admin_app = typer.Typer(help="Admin roles.", no_args_is_help=True)
member_app = typer.Typer(help="The members' roll (党员).", no_args_is_help=True)
APPS = {"community": community_app, "grid": grid_app, "building": building_app,
        "unit": unit_app, "admin": admin_app, "member": member_app}


@contextmanager
def setting_up(ctx: typer.Context) -> Iterator[Session]:
    """A transaction on the configured database; a refusal rolls it back and exits 2."""
    from bot.cli import open_database
    from handlers.errors import SetupRefused
    from storage.db import transaction

    try:
        with transaction(open_database(ctx.obj)) as session:
            yield session
    except SetupRefused as refused:
        typer.echo(str(refused), err=True)
        raise typer.Exit(2) from refused


@community_app.command("add")
def community_add(ctx: typer.Context, name: str, district: Annotated[str | None, typer.Option(
        help="The street office (街道) it belongs to; created on first mention.")] = None,
) -> None:
    """Add a community NAME."""
    from handlers.organisation import said, structure

    with setting_up(ctx) as session:
        typer.echo(said.community_added(structure.add_community(session, name, district),
                                        district))


@community_app.command("list")
def community_list(ctx: typer.Context) -> None:
    """List the communities with their street office, grids, buildings and active members."""
    from handlers.organisation import said, structure

    with setting_up(ctx) as session:
        rows = structure.community_rows(session)
    typer.echo("\n".join(map(str, rows)) if rows else said.no_communities())


@community_app.command("rename")
def community_rename(ctx: typer.Context, old: str, new: str) -> None:
    """Rename community OLD to NEW; its members, orders and groups stay with it."""
    from handlers.organisation import said, structure

    with setting_up(ctx) as session:
        typer.echo(said.community_renamed(old, structure.rename_community(session, old, new)))


@community_app.command("auto")
def community_auto(ctx: typer.Context, name: str, switch: Annotated[str, typer.Argument(
        help="on or off (开 or 关).")]) -> None:
    """Switch COMMUNITY's auto-approve (自动审核): needs the classifier is sure of skip review."""
    from handlers.errors import SetupRefused
    from handlers.organisation import office, structure

    with setting_up(ctx) as session:
        on = office.switch(switch)
        if on is None:
            raise SetupRefused(office.bad_switch(switch))
        typer.echo(office.set_auto_approve(session, structure.community(session, name), on,
                                           ctx.obj.auto_approve_confidence))


@community_app.command("settings")
def community_settings(ctx: typer.Context, name: str) -> None:
    """Show COMMUNITY's rules, as its admins read them with /settings in chat."""
    from handlers.chat.office import rules_text
    from handlers.organisation import structure

    with setting_up(ctx) as session:
        typer.echo(rules_text(session, ctx.obj.policy(), structure.community(session, name)))


@grid_app.command("add")
def grid_add(ctx: typer.Context, community: str, grid: str) -> None:
    """Add GRID to COMMUNITY."""
    from handlers.organisation import said, structure

    with setting_up(ctx) as session:
        added = structure.add_grid(session, community, grid)
        typer.echo(said.grid_added(structure.community(session, community).name, added))


@building_app.command("add")
def building_add(
    ctx: typer.Context, community: str, building: str,
    grid: Annotated[str | None, typer.Option(help="The community's grid it is in.")] = None,
    lat: Annotated[float | None, typer.Option(
        help="Latitude, WGS-84 (as phones and chat apps share locations), e.g. 30.5728.")] = None,
    lon: Annotated[float | None, typer.Option(
        help="Longitude, WGS-84, e.g. 104.0668. With --lat it centres the check-in geofence "
             "of orders placed at this building.")] = None,
) -> None:
    """Add BUILDING to COMMUNITY, in a grid and at a WGS-84 location when given."""
    from handlers.organisation import buildings, said, structure

    with setting_up(ctx) as session:
        added = buildings.add_building(session, community, building, grid, lat, lon)
        typer.echo(said.building_added(structure.community(session, community).name, added))


@unit_app.command("add")
def unit_add(ctx: typer.Context, name: str, kind: Annotated[str, typer.Option(
        help="机关 | 事业单位 | 国企 | 两新组织 | 其他.")] = "其他") -> None:
    """Add a work unit NAME of a kind."""
    from handlers.organisation import said, structure

    with setting_up(ctx) as session:
        typer.echo(said.unit_added(structure.add_unit(session, name, kind)))


Community = Annotated[str | None, typer.Option(help="A community's admin.")]
District = Annotated[str | None, typer.Option(help="A street office's (街道) admin.")]
Channel = Annotated[str, typer.Option(help="The user's channel.")]


@admin_app.command("add")
def admin_add(ctx: typer.Context, user: str, community: Community = None,
              district: District = None, channel: Channel = "console") -> None:
    """Grant USER the admin role for a community or a street office."""
    from handlers.organisation import admins

    with setting_up(ctx) as session:
        typer.echo(admins.grant(session, channel, user,
                                admins.scope(session, community, district)))


@admin_app.command("remove")
def admin_remove(ctx: typer.Context, user: str, community: Community = None,
                 district: District = None, channel: Channel = "console") -> None:
    """Take USER's admin role for a community or a street office away."""
    from handlers.organisation import admins

    with setting_up(ctx) as session:
        typer.echo(admins.revoke(session, channel, user,
                                 admins.scope(session, community, district)))


@admin_app.command("list")
def admin_list(ctx: typer.Context) -> None:
    """List every admin role."""
    from handlers.organisation import admins, said

    with setting_up(ctx) as session:
        lines = admins.admin_lines(session)
    typer.echo("\n".join(lines) if lines else said.no_admins())


@member_app.command("list")
def member_list(
    ctx: typer.Context,
    community: Annotated[str | None, typer.Option(help="One community; all by default.")] = None,
    as_json: Annotated[bool, typer.Option("--json", help="Print JSON.")] = False,
) -> None:
    """List the members, with their community, grid, unit and whether they are active."""
    from handlers.organisation import members, said

    with setting_up(ctx) as session:
        rows = members.roll(session, community)
    if as_json:
        typer.echo(json.dumps(rows, ensure_ascii=False, indent=2))
        return
    typer.echo("\n".join(map(members.roll_line, rows)) if rows else said.no_members())


@member_app.command("deactivate")
def member_deactivate(ctx: typer.Context, phone: str) -> None:
    """Mark the member with PHONE as gone: never whistled, assigned, nudged or ranked.

    Their service record stays.
    """
    from handlers.organisation import members

    with setting_up(ctx) as session:
        typer.echo(members.set_active(session, phone, active=False))


@member_app.command("activate")
def member_activate(ctx: typer.Context, phone: str) -> None:
    """Bring a deactivated member with PHONE back."""
    from handlers.organisation import members

    with setting_up(ctx) as session:
        typer.echo(members.set_active(session, phone, active=True))


def template(file: Annotated[Path, typer.Argument(help="Where to write, e.g. 街道.xlsx.")]) -> None:
    """Write the district workbook to fill in, then `whistle import FILE.xlsx`.

    Sheets 社区 网格 楼栋 单位 党员 with an example row each; 说明 explains every column.
    """
    from handlers.reports.workbook_template import write_template

    if file.suffix.lower() != ".xlsx":
        file = file.with_suffix(".xlsx")
    typer.echo(write_template(file))
