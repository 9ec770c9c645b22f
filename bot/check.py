"""``whistle check``, and the decisions ``whistle run`` shares with it: opening the database
(a refusal is one line naming ``WHISTLE_DATABASE_URL``), what starts, and whether the demo
community may be seeded."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from urllib.parse import urlparse

from sqlalchemy import func, inspect
from sqlalchemy.engine import Engine, make_url
from sqlalchemy.exc import ArgumentError, DBAPIError
from sqlmodel import select

from bot.config import ConfigError, channels_mentioned, channels_on, require_whole_channels
from bot.settings import Settings
from storage.db import make_engine, transaction
from storage.models import Community

DATABASE = "WHISTLE_DATABASE_URL"


@dataclass(frozen=True)
class Plan:
    """What ``whistle run`` starts with the given settings.

    Attributes:
        channels: Each channel to start and how it hears its users (polling, a webhook path).
        web: ``host:port`` of the web server, or None when no channel needs one.
        scheduler: Whether the scheduled sweeps run (with channels; the console has ``!jobs``).
    """

    channels: list[tuple[str, str]]
    web: str | None
    scheduler: bool


def plan(settings: Settings) -> Plan:
    """The channels, web server and scheduler ``whistle run`` would start.

    The webhook paths mirror each channel's ``routes()``; a test holds them together.
    """
    hears = {
        "telegram": (f"webhook {urlparse(settings.telegram_webhook_url).path or '/'}"
                     if settings.telegram_webhook_url else "polling"),
        "wechat": "webhook /wechat/callback, "
                  + ("encrypted, 安全模式" if settings.wechat_aes_key else "plain, 明文模式"),
        "wecom": "webhook /wecom/callback"
                 + (f", {_count(len(settings.wecom_robots), 'group robot', 'group robots')}"
                    if settings.wecom_robots else ""),
    }
    channels = [(name, hears[name]) for name in channels_on(settings)]
    web = any(how.startswith("webhook") for _, how in channels)
    return Plan(channels, f"{settings.http_host}:{settings.http_port}" if web else None,
                bool(channels))


def seeds_demo(settings: Settings, communities: int) -> bool:
    """Whether the console may seed the demo community.

    Only into an empty database that no channel is configured for: demo members in a real
    community's database would be whistled like real ones.
    """
    return communities == 0 and not channels_mentioned(settings)


def seed_demo_if_wanted(engine: Engine, settings: Settings, now: datetime) -> bool:
    """Seed the demo community when ``seeds_demo`` allows it; says whether it did."""
    from bot.demo import seed

    if not seeds_demo(settings, count_communities(engine)):
        return False
    seed(engine, now, settings.timezone)
    return True


def connect(settings: Settings) -> Engine:
    """The engine, once a connection to it has worked.

    Raises:
        ConfigError: The URL is malformed, its driver is missing, or the server refuses.
    """
    shown = masked_url(settings.database_url)
    try:
        engine = make_engine(settings.database_url)
        with engine.connect():
            pass
    except ArgumentError as error:
        raise ConfigError([f"{DATABASE}: is not a database URL ({error})"]) from None
    except ImportError as error:
        raise ConfigError([f"{DATABASE}: the driver for {shown} is not installed "
                           f"({error})"]) from None
    except DBAPIError as error:
        raise ConfigError([f"{DATABASE}: cannot connect to {shown}: "
                           f"{_reason(error, settings.database_url)}"]) from None
    return engine


def open_database(settings: Settings) -> Engine:
    """The engine, with the schema brought up to date (what every command works on).

    Raises:
        ConfigError: The database cannot be reached, or a newer Whistle migrated it.
    """
    from storage.migrate import upgrade

    engine = connect(settings)
    migrations(engine)  # refuses a revision this code does not know, before Alembic would
    upgrade(engine)
    return engine


def migrations(engine: Engine) -> str:
    """Where the schema stands against the packaged migrations, in words.

    Raises:
        ConfigError: The database is at a revision this version does not know.
    """
    from alembic.script import ScriptDirectory
    from alembic.util import CommandError

    from storage.migrate import alembic_config, current, head

    at, newest = current(engine), head()
    if at is None:
        return "no tables yet (whistle run creates them)"
    if at == newest:
        return f"migrations at head ({newest})"
    try:
        ScriptDirectory.from_config(alembic_config(None)).get_revision(at)
    except CommandError:
        raise ConfigError([f"{DATABASE}: the database is at migration {at}, which this "
                           "version of Whistle does not know (a newer one migrated it)"]) from None
    return f"migrations behind: at {at}, head is {newest} (whistle run applies them)"


def count_communities(engine: Engine) -> int:
    """How many communities the database holds; 0 before its tables exist."""
    if not inspect(engine).has_table(str(Community.__tablename__)):
        return 0
    with transaction(engine) as session:
        return session.exec(select(func.count()).select_from(Community)).one()


def report(settings: Settings) -> list[str]:
    """What ``whistle check`` prints: the plan, then the database's state.

    Raises:
        ConfigError: A channel is configured in part, or the database cannot be used.
    """
    require_whole_channels(settings)
    planned = plan(settings)
    where, communities = _database(settings)
    lines = ["configuration: ok",
             "channels: " + (", ".join(f"{name} ({how})" for name, how in planned.channels)
                             or "none configured; whistle run starts the interactive console"),
             "web server: " + (f"{planned.web} (GET /healthz)" if planned.web
                               else "not started (no webhook channel)"),
             "scheduler: " + (_sweeps(settings) if planned.scheduler
                              else "not started (in the console, !jobs runs the sweeps)"),
             f"database: {masked_url(settings.database_url)}, {where}, "
             + _count(communities, "community", "communities")]
    if seeds_demo(settings, communities):
        lines.append("demo: the console seeds the demo community (the database is empty)")
    elif communities == 0 and channels_mentioned(settings):
        lines.append("demo: not seeded, a channel is configured (whistle demo seeds it)")
    return lines


def masked_url(url: str) -> str:
    """The database URL with its password replaced by ``***``."""
    try:
        return make_url(url).render_as_string(hide_password=True)
    except ArgumentError:
        return "(not a database URL)"


def _database(settings: Settings) -> tuple[str, int]:
    """The schema's state and the number of communities, without creating a missing file."""
    path = _sqlite_file(settings.database_url)
    if path is not None and not path.exists():
        if not path.parent.is_dir():
            raise ConfigError([f"{DATABASE}: the folder {path.parent} does not exist"])
        return "no file yet (whistle run creates it)", 0
    engine = connect(settings)
    try:
        return migrations(engine), count_communities(engine)
    finally:
        engine.dispose()


def _count(number: int, one: str, many: str) -> str:
    return f"{number} {one if number == 1 else many}"


def _sqlite_file(url: str) -> Path | None:
    try:
        parsed = make_url(url)
    except ArgumentError:
        return None
    if parsed.get_backend_name() != "sqlite" or parsed.database in (None, "", ":memory:"):
        return None
    return Path(parsed.database)


def _reason(error: DBAPIError, url: str) -> str:
    """The driver's first line, without a password should the driver quote one."""
    first = str(error.orig).strip().splitlines()[0].removeprefix("connection failed: ")
    password = _password(url)
    return " ".join((first.replace(password, "***") if password else first).split())


def _password(url: str) -> str | None:
    try:
        return make_url(url).password
    except ArgumentError:
        return None


def _sweeps(settings: Settings) -> str:
    from handlers.jobs.sweeps import SWEEPS

    shared = (", run by the one bot holding the PostgreSQL advisory lock"
              if settings.database_url.startswith("postgresql") else "")
    return f"{len(SWEEPS)} sweeps ({', '.join(s.name for s in SWEEPS)}){shared}"
