"""SQLite template files: the suite migrates once, and seeds the demo once, per run; each
test gets a copy of a template instead of running the migrations itself.

Two templates: ``empty`` (migrated) and ``demo`` (migrated and seeded with the demo
community at the suite's fixed ``START``, which is what ``Chat.with_demo`` would give).

PostgreSQL keeps a schema per test (tests/conftest.py): copying a template database
(``CREATE DATABASE … TEMPLATE``) was tried and measured slower on PostgreSQL 15, whose
``DROP DATABASE`` forces a checkpoint of the whole server.
"""

from __future__ import annotations

import shutil
from collections.abc import Callable
from datetime import datetime
from pathlib import Path

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
