"""SQLite template files: the suite migrates once, and seeds the demo once, per run; each
test gets a copy of a template instead of running the migrations itself.

Two templates: ``empty`` (migrated) and ``demo`` (migrated and seeded with the demo
community at the suite's fixed ``START``, which is what ``Chat.with_demo`` would give).

PostgreSQL keeps a schema per test (tests/conftest.py), built from the migrated schema's
dumped DDL (``PostgresSchemaTemplate``): copying a template database (``CREATE DATABASE …
TEMPLATE``) was tried and measured slower on PostgreSQL 15, whose ``DROP DATABASE`` forces a
checkpoint of the whole server.
"""

from __future__ import annotations

import shutil
import subprocess
import uuid
from collections.abc import Callable
from datetime import datetime
from pathlib import Path

from sqlalchemy import make_url, text
from sqlalchemy.engine import Engine

from bot.demo import seed
from storage.db import make_engine
from storage.migrate import head, upgrade

TEMPLATES = ("empty", "demo")


def _prepare(url: str, *steps: Callable[[Engine], object]) -> None:
    """Run ``steps`` on the database at ``url`` and close every connection to it."""
    engine = make_engine(url)
    try:
        for step in steps:
            step(engine)
    finally:
        engine.dispose()


class SQLiteTemplates:
    """Template files in one folder for the whole run; a test's database is a file copy."""

    def __init__(self, folder: Path, demo_now: datetime) -> None:
        self.files = {template: folder / f"{template}.db" for template in TEMPLATES}
        _prepare(f"sqlite:///{self.files['empty']}", upgrade)
        self._copy("empty", self.files["demo"])
        _prepare(f"sqlite:///{self.files['demo']}", lambda engine: seed(engine, demo_now))

    def engine(self, template: str, folder: Path) -> Engine:
        """A fresh copy of ``template`` in ``folder``."""
        path = folder / "whistle.db"
        self._copy(template, path)
        return make_engine(f"sqlite:///{path}")

    def _copy(self, template: str, path: Path) -> None:
        source = self.files[template]
        # A write-ahead log left beside the template would hold rows the copy lacks.
        if source.with_name(f"{source.name}-wal").exists():
            raise RuntimeError(f"{source} still has a write-ahead log; close its engine first")
        shutil.copyfile(source, path)


class PostgresSchemaTemplate:
    """The migrated schema's DDL, dumped once per run (``pg_dump --schema-only``) and replayed
    into each test's own schema: one round trip instead of every migration's dozens.

    Without pg_dump on the PATH, or if it fails, ``ddl`` is None and each schema is migrated.
    """

    def __init__(self, url: str, make: Callable[[str], Engine]) -> None:
        self.ddl: str | None = None
        schema = f"whistle_template_{uuid.uuid4().hex[:12]}"
        admin = make(url)
        try:
            with admin.begin() as connection:
                connection.execute(text(f'CREATE SCHEMA "{schema}"'))
            _prepare_in(make, url, schema, upgrade)
            self.ddl = _dump(url, schema)
        finally:
            with admin.begin() as connection:
                connection.execute(text(f'DROP SCHEMA IF EXISTS "{schema}" CASCADE'))
            admin.dispose()

    def build(self, engine: Engine) -> None:
        """Give ``engine``'s (empty, current) schema the migrated tables, stamped at head."""
        if self.ddl is None:
            upgrade(engine)
            return
        with engine.begin() as connection:
            connection.exec_driver_sql(self.ddl)
            connection.execute(text("INSERT INTO alembic_version (version_num) VALUES (:v)"),
                               {"v": head()})


def _prepare_in(make: Callable[..., Engine], url: str, schema: str,
                step: Callable[[Engine], object]) -> None:
    engine = make(url, connect_args={"options": f"-csearch_path={schema}"})
    try:
        step(engine)
    finally:
        engine.dispose()


def _dump(url: str, schema: str) -> str | None:
    """The schema's DDL with its name taken out, so it builds whatever schema is current."""
    uri = make_url(url).set(drivername="postgresql").render_as_string(hide_password=False)
    try:
        dumped = subprocess.run(
            ["pg_dump", "--no-password", "--schema-only", "--no-owner", "--no-privileges",
             "--schema", schema, uri],
            capture_output=True, text=True, check=True, timeout=60).stdout
    except (OSError, subprocess.SubprocessError):
        return None
    kept = [line for line in dumped.splitlines()
            if not line.startswith(("SET ", "SELECT pg_catalog.set_config", "CREATE SCHEMA",
                                    "--", "\\"))]
    return "\n".join(kept).replace(f"{schema}.", "").replace(f'"{schema}".', "")
