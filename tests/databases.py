"""Template databases: the suite migrates once, and seeds the demo once, per run; each test
gets a copy of a template instead of running the migrations itself.

Two templates per database: ``empty`` (migrated) and ``demo`` (migrated and seeded with the
demo community at the suite's fixed ``START``, which is what ``Chat.with_demo`` would give).
"""

from __future__ import annotations

import shutil
import uuid
from collections.abc import Callable
from concurrent.futures import Future, ThreadPoolExecutor
from datetime import datetime
from pathlib import Path

from sqlalchemy import make_url, text
from sqlalchemy.engine import Engine

from bot.demo import seed
from storage.db import make_engine
from storage.migrate import upgrade

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


class PostgresTemplates:
    """Template databases for the whole run; a test's database is ``CREATE DATABASE …
    TEMPLATE``, dropped after the test.

    PostgreSQL copies a template only while nobody is connected to it, so the templates'
    engines are disposed as soon as they are prepared. The names carry a random tag: two
    runs on one server (two worktrees, CI and a laptop) never share a template.

    Creating and dropping a database each waits for disk flushes (a drop forces a
    checkpoint), so a worker thread does both beside the tests: it copies the next test's
    database while this one runs, and drops it after.
    """

    def __init__(self, url: str, demo_now: datetime) -> None:
        self.url = make_url(url)
        self.admin = make_engine(url).execution_options(isolation_level="AUTOCOMMIT")
        tag = uuid.uuid4().hex[:8]
        self.names = {template: f"whistle_template_{tag}_{template}" for template in TEMPLATES}
        self._worker = ThreadPoolExecutor(max_workers=1, thread_name_prefix="whistle-databases")
        self._ready: dict[str, Future[str]] = {}
        self._drops: list[Future[None]] = []
        self._execute(f'CREATE DATABASE "{self.names["empty"]}"')
        _prepare(self._url(self.names["empty"]), upgrade)
        self._execute(f'CREATE DATABASE "{self.names["demo"]}" TEMPLATE "{self.names["empty"]}"')
        _prepare(self._url(self.names["demo"]), lambda engine: seed(engine, demo_now))

    def engine(self, template: str) -> Engine:
        """A fresh database copied from ``template``; give it back with ``drop``."""
        ready = self._ready.pop(template, None) or self._worker.submit(self._copy, template)
        self._ready[template] = self._worker.submit(self._copy, template)
        return make_engine(self._url(ready.result()))

    def drop(self, engine: Engine) -> None:
        """Close ``engine``; its database is dropped in the background."""
        engine.dispose()
        self._drops.append(self._worker.submit(self._drop, str(engine.url.database)))

    def close(self) -> None:
        """Drop the databases left and the templates; raises what a background drop raised."""
        for ready in self._ready.values():
            self._drops.append(self._worker.submit(self._drop, ready.result()))
        self._worker.shutdown(wait=True)
        for name in self.names.values():
            self._drop(name)
        self.admin.dispose()
        for dropped in self._drops:
            dropped.result()

    def _copy(self, template: str) -> str:
        name = f"whistle_t_{uuid.uuid4().hex[:12]}"
        self._execute(f'CREATE DATABASE "{name}" TEMPLATE "{self.names[template]}"')
        return name

    def _drop(self, name: str) -> None:
        self._execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')

    def _execute(self, statement: str) -> None:
        with self.admin.connect() as connection:
            connection.execute(text(statement))

    def _url(self, database: str) -> str:
        return self.url.set(database=database).render_as_string(hide_password=False)
