"""Schema migrations through Alembic (``whistle db upgrade``)."""

from __future__ import annotations

from importlib.resources import files

from alembic import command
from alembic.config import Config
from sqlalchemy.engine import Engine

SCHEDULER_TABLE = "apscheduler_jobs"
"""The scheduler's job store lives in the bot's database but belongs to APScheduler."""


def include_object(obj: object, name: str | None, type_: str, reflected: bool,
                   compare_to: object) -> bool:
    """Alembic's filter: leave tables the migrations do not own (the job store) alone."""
    return not (type_ == "table" and name == SCHEDULER_TABLE)


def alembic_config(engine: Engine | None) -> Config:
    """An Alembic config that runs the packaged migrations on ``engine``."""
    config = Config()
    config.set_main_option("script_location", str(files("storage") / "migrations"))
    config.attributes["engine"] = engine
    return config


def upgrade(engine: Engine, revision: str = "head") -> None:
    """Bring the schema up to ``revision`` (the newest by default)."""
    command.upgrade(alembic_config(engine), revision)


def current(engine: Engine) -> str | None:
    """The revision the database is at, or None for an empty database."""
    from alembic.runtime.migration import MigrationContext

    with engine.connect() as connection:
        return MigrationContext.configure(connection).get_current_revision()


def head() -> str:
    """The newest packaged revision."""
    from alembic.script import ScriptDirectory

    newest = ScriptDirectory.from_config(alembic_config(None)).get_current_head()
    if newest is None:
        raise RuntimeError("no migrations are packaged with storage")
    return newest
