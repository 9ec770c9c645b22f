"""The `whistle` command line."""

from __future__ import annotations

import json
import sys
from typing import TYPE_CHECKING, Annotated, NoReturn

import typer
from sqlalchemy.engine import Engine

from bot.config import ConfigError, load_settings, require_whole_channels
from bot.organisation import APPS, template
from bot.records import order, orders, undelivered
from bot.reports import export, import_app
from bot.settings import Settings
from bot.tools import bench_app, nlu_app

if TYPE_CHECKING:
    from bot.runtime import Role

app = typer.Typer(help="Whistle 社区吹哨、党员报到 chat bot.", no_args_is_help=True)
db_app = typer.Typer(help="Database schema.", no_args_is_help=True)
app.add_typer(db_app, name="db")
for name, sub_app in APPS.items():
    app.add_typer(sub_app, name=name)
app.command()(template)
app.add_typer(nlu_app, name="nlu")
wecom_app = typer.Typer(help="WeCom (企业微信) set-up.", no_args_is_help=True)
app.add_typer(wecom_app, name="wecom")
app.add_typer(bench_app, name="bench")
app.command()(export)
app.add_typer(import_app, name="import")


@app.callback()
def main(ctx: typer.Context) -> None:
    """Read the settings once; every command gets them from the context."""
    try:
        ctx.obj = load_settings()
    except ConfigError as error:
        refuse(error)


def refuse(error: ConfigError) -> NoReturn:
    """A misconfiguration: its lines on stderr, exit code 2, no traceback."""
    for line in error.lines:
        typer.echo(line, err=True)
    raise typer.Exit(2)


def open_database(settings: Settings) -> Engine:
    """The engine, with the schema brought up to date."""
    from bot.check import open_database as open_checked

    try:
        return open_checked(settings)
    except ConfigError as error:
        refuse(error)


@app.command("check")
def check_setup(ctx: typer.Context) -> None:
    """Check the settings and the database; say what `whistle run` would start."""
    from bot.check import report

    try:
        lines = report(ctx.obj)
    except ConfigError as error:
        refuse(error)
    typer.echo("\n".join(lines))


@app.command()
def run(
    ctx: typer.Context,
    role: Annotated[list[str], typer.Option(
        "--role", help="web (receive and handle), sender (deliver the outbox), scheduler "
                       "(sweeps) or all; repeat to combine. Splitting needs PostgreSQL.",
    )] = ["all"],  # noqa: B006  (typer reads the default; it is never mutated)
) -> None:
    """Start the configured channels; with none configured, the interactive console."""
    import asyncio

    from bot import runtime
    from bot.channels import configured
    from bot.hub import Hub
    from bot.logs import log_to_stderr

    settings: Settings = ctx.obj
    try:
        require_whole_channels(settings)  # never the console in place of a half-set channel
    except ConfigError as error:
        refuse(error)
    roles = _roles(role, settings)
    hub = Hub(open_database(settings), settings)
    channels = configured(hub)
    if not channels:
        console(ctx, jsonl=False)
        return
    log_to_stderr()
    asyncio.run(runtime.run(hub, channels, roles))


def _roles(given: list[str], settings: Settings) -> frozenset[Role]:
    """The roles named on the command line; splitting them needs a shared PostgreSQL."""
    from bot.runtime import Role

    known = ", ".join(role.value for role in Role)
    try:
        roles = frozenset(Role(name) for name in given)
    except ValueError:
        refuse(ConfigError([f"--role: one of {known}, got {' '.join(given)}"]))
    if Role.ALL not in roles and not settings.database_url.startswith("postgresql"):
        refuse(ConfigError(["--role: running by role needs a shared PostgreSQL database "
                            "(WHISTLE_DATABASE_URL)"]))
    return roles


@app.command()
def console(
    ctx: typer.Context,
    jsonl: Annotated[bool, typer.Option("--jsonl", help="JSON lines in and out.")] = False,
) -> None:
    """Talk to the bot as any persona (@user text); --jsonl for scripts."""
    from bot.channels.console import ConsoleChannel, run_jsonl
    from bot.check import seed_demo_if_wanted
    from bot.clock import Clock
    from bot.interactive import interact

    settings: Settings = ctx.obj
    engine = open_database(settings)
    clock = Clock()
    seeded = seed_demo_if_wanted(engine, settings, clock.now())
    channel = ConsoleChannel(engine, settings, clock)
    if jsonl:
        run_jsonl(channel, sys.stdin, print, lambda text: print(text, file=sys.stderr))
    else:
        interact(channel, seeded)


@app.command()
def demo(ctx: typer.Context) -> None:
    """Seed (or re-seed) the demo community: two grids, an admin and six members."""
    from bot.clock import Clock
    from bot.demo import ADMIN, COMMUNITY, MEMBERS, seed

    seed(open_database(ctx.obj), Clock().now(), ctx.obj.timezone)
    typer.echo(f"{COMMUNITY}: admin @{ADMIN[0]}, members "
               + " ".join(f"@{m[0]}({m[1]})" for m in MEMBERS))


app.command()(orders)
app.command()(order)
app.command()(undelivered)


@app.command()
def timers(
    ctx: typer.Context,
    community: str,
    claim_hours: Annotated[float | None, typer.Option(min=0.01)] = None,
    rating_hours: Annotated[float | None, typer.Option(min=0.01)] = None,
    overdue_days: Annotated[float | None, typer.Option(min=0.01)] = None,
    default_good: Annotated[bool | None, typer.Option(
        "--default-good/--no-default-good", help="Silence closes as 默认好评.")] = None,
    working_days: Annotated[bool | None, typer.Option(
        "--working-days/--calendar-days", help="Count claim and overdue windows in "
        "working days.")] = None,
    reset: Annotated[bool, typer.Option(help="Back to the settings' defaults first.")] = False,
) -> None:
    """Show or set COMMUNITY's own time rules; unset ones follow the WHISTLE_* settings."""
    from handlers.people import community_named
    from handlers.rules.timerules import set_overrides
    from storage.db import transaction
    from storage.models import stored_id

    with transaction(open_database(ctx.obj)) as session:
        found = community_named(session, community)
        if found is None:
            typer.echo(f"no community {community!r}", err=True)
            raise typer.Exit(1)
        own = set_overrides(session, stored_id(found), {
            "claim_window_hours": claim_hours, "rating_window_hours": rating_hours,
            "overdue_days": overdue_days, "default_good_rating": default_good,
            "working_days": working_days}, reset=reset)
        typer.echo(json.dumps(own.model_dump(), ensure_ascii=False))


@wecom_app.command("appchat")
def wecom_appchat(ctx: typer.Context, community: str, users: list[str]) -> None:
    """Create a WeCom app group chat of USERS (the first owns it) for COMMUNITY's whistles."""
    import asyncio

    from bot.channels.wecom import client_for
    from bot.channels.wecom_groups import create_appchat

    try:
        chat_id = asyncio.run(create_appchat(open_database(ctx.obj), client_for(ctx.obj),
                                             community, users))
    except ValueError as error:
        typer.echo(str(error), err=True)
        raise typer.Exit(2) from error
    typer.echo(f"app group chat {chat_id} created and bound to {community}")


@db_app.command("upgrade")
def db_upgrade(ctx: typer.Context) -> None:
    """Apply all schema migrations."""
    open_database(ctx.obj)
    typer.echo("database is up to date")


if __name__ == "__main__":
    app()
