"""Shared fixtures: databases (SQLite always, PostgreSQL when reachable) and a chat harness."""

from __future__ import annotations

import os
import uuid
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path

import pytest
from sqlalchemy import text
from sqlalchemy.engine import Engine
from sqlalchemy.exc import OperationalError

from bot.demo import seed
from bot.settings import Settings
from storage.db import make_engine
from tests.chat import Chat
from tests.databases import PostgresSchemaTemplate, SQLiteTemplates

POSTGRES_URL = os.environ.get(
    "WHISTLE_TEST_POSTGRES_URL", "postgresql+psycopg://postgres@127.0.0.1:5432/test"
)
# CI must prove PostgreSQL works; on a laptop without it the PostgreSQL half is skipped.
POSTGRES_REQUIRED = bool(os.environ.get("CI"))
START = datetime(2026, 11, 23, 1, 0, tzinfo=UTC)  # 09:00 in Shanghai


@pytest.hookimpl(tryfirst=True)
def pytest_cmdline_main(config: pytest.Config) -> None:
    """Run the whole suite on every core (pytest-xdist); files or tests named on the command
    line run in this one process, where starting workers would cost more than it saves.

    A default here rather than ``-n`` in pyproject's addopts, so the suite still runs with
    ``-p no:xdist`` (or without xdist installed). ``-n`` given on the command line wins
    (``-n 0``: one process). Every test owns its databases (a SQLite file, a PostgreSQL
    schema with a random name), so tests may run side by side in any order.
    """
    if not config.pluginmanager.hasplugin("xdist") or hasattr(config, "workerinput"):
        return  # no xdist, or already a worker: its options come from the controller
    whole_suite = config.args_source is pytest.Config.ArgsSource.TESTPATHS
    if config.option.numprocesses is None and whole_suite:
        config.option.numprocesses = "auto"


@pytest.fixture(scope="session")
def sqlite_templates(tmp_path_factory: pytest.TempPathFactory) -> SQLiteTemplates:
    """The SQLite templates, migrated (and seeded) once per run."""
    return SQLiteTemplates(tmp_path_factory.mktemp("templates"), START)


def _sqlite(templates: SQLiteTemplates, template: str, folder: Path) -> Iterator[Engine]:
    engine = templates.engine(template, folder)
    yield engine
    engine.dispose()


@pytest.fixture
def sqlite_engine(sqlite_templates: SQLiteTemplates, tmp_path: Path) -> Iterator[Engine]:
    """A migrated SQLite database in a temporary file."""
    yield from _sqlite(sqlite_templates, "empty", tmp_path)


@pytest.fixture(scope="session")
def postgres_template() -> list[PostgresSchemaTemplate]:
    """The migrated schema, dumped on first use: a run without PostgreSQL never builds it."""
    return []


@pytest.fixture
def postgres_engine(postgres_template: list[PostgresSchemaTemplate]) -> Iterator[Engine]:
    """A migrated PostgreSQL schema of its own, dropped afterwards."""
    admin = make_engine(POSTGRES_URL)
    schema = f"whistle_test_{uuid.uuid4().hex[:12]}"
    try:
        with admin.begin() as connection:
            connection.execute(text(f'CREATE SCHEMA "{schema}"'))
    except OperationalError as error:
        admin.dispose()
        if POSTGRES_REQUIRED:
            raise
        pytest.skip(f"PostgreSQL not reachable at {POSTGRES_URL}: {error.orig}")
    if not postgres_template:
        postgres_template.append(PostgresSchemaTemplate(POSTGRES_URL, make_engine))
    engine = make_engine(POSTGRES_URL, connect_args={"options": f"-csearch_path={schema}"})
    postgres_template[0].build(engine)
    yield engine
    engine.dispose()
    with admin.begin() as connection:
        connection.execute(text(f'DROP SCHEMA "{schema}" CASCADE'))
    admin.dispose()


@pytest.fixture
def sqlite_demo_engine(sqlite_templates: SQLiteTemplates, tmp_path: Path) -> Iterator[Engine]:
    """A SQLite database with the demo community, seeded at ``START``."""
    yield from _sqlite(sqlite_templates, "demo", tmp_path)


@pytest.fixture
def postgres_demo_engine(postgres_engine: Engine) -> Engine:
    """A PostgreSQL schema with the demo community, seeded at ``START``."""
    seed(postgres_engine, START)
    return postgres_engine


@pytest.fixture(params=["sqlite", "postgres"])
def engine(request: pytest.FixtureRequest) -> Engine:
    """The storage and concurrency tests run once on each database."""
    return request.getfixturevalue(f"{request.param}_engine")


@pytest.fixture
def settings(tmp_path: Path) -> Settings:
    """Default settings, unaffected by the machine's WHISTLE_* variables; the bot's files
    (charts, exports, photos) go to the test's own folder."""
    # pydantic-settings takes _env_file at runtime; its typed __init__ does not list it.
    return Settings(_env_file=None, database_url="sqlite://", media_dir=str(tmp_path / "media"))  # type: ignore[call-arg]


@pytest.fixture
def chat(request: pytest.FixtureRequest, settings: Settings) -> Chat:
    """A chat with the demo community: push messages as people, read what they receive.

    SQLite by default; WHISTLE_TEST_CHAT_DB=postgres runs the chat tests on PostgreSQL.
    """
    database = os.environ.get("WHISTLE_TEST_CHAT_DB", "sqlite")
    return Chat(request.getfixturevalue(f"{database}_demo_engine"), settings, START)


@pytest.fixture(params=["sqlite", "postgres"])
def chat_on_each_database(request: pytest.FixtureRequest, settings: Settings) -> Chat:
    """The chat once on SQLite and once on PostgreSQL."""
    return Chat(request.getfixturevalue(f"{request.param}_demo_engine"), settings, START)
