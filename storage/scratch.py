"""Throwaway databases: a temporary SQLite file, or a fresh schema on a PostgreSQL server."""

from __future__ import annotations

import tempfile
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from sqlalchemy import text
from sqlalchemy.engine import Engine

from storage.db import make_engine
from storage.migrate import upgrade


@contextmanager
def scratch_database(url: str | None = None) -> Iterator[Engine]:
    """A fresh, migrated database, removed with everything in it afterwards.

    Args:
        url: None for an SQLite file in a temporary folder, or a PostgreSQL URL: a new
            schema ``whistle_scratch_…`` is made on that server and dropped afterwards.

    Raises:
        ValueError: Any other URL (nothing is ever written into an existing database).
    """
    if url is None:
        with tempfile.TemporaryDirectory(prefix="whistle-") as folder:
            engine = make_engine(f"sqlite:///{Path(folder) / 'scratch.db'}")
            try:
                upgrade(engine)
                yield engine
            finally:
                engine.dispose()
        return
    if not url.startswith("postgresql"):
        raise ValueError(f"not a PostgreSQL URL: {url}")
    schema = f"whistle_scratch_{uuid.uuid4().hex[:12]}"
    admin = make_engine(url)
    with admin.begin() as connection:
        connection.execute(text(f'CREATE SCHEMA "{schema}"'))
    engine = make_engine(url, connect_args={"options": f"-csearch_path={schema}"})
    try:
        upgrade(engine)
        yield engine
    finally:
        engine.dispose()
        with admin.begin() as connection:
            connection.execute(text(f'DROP SCHEMA "{schema}" CASCADE'))
        admin.dispose()
