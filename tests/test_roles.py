"""`whistle run --role`: several processes on one PostgreSQL database share the work, and two
senders never send one message twice."""

from __future__ import annotations

import os
import subprocess
import sys
import time
import uuid
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from sqlalchemy import func, text
from sqlalchemy.engine import Engine, make_url
from sqlalchemy.exc import OperationalError
from sqlmodel import select
from typer.testing import CliRunner

from bot.cli import app
from handlers.context import Context
from handlers.messages import Outgoing
from storage.db import make_engine, transaction
from storage.migrate import upgrade
from storage.models import OutboxMessage, OutboxStatus
from tests.chat import POLICY
from tests.conftest import POSTGRES_REQUIRED, POSTGRES_URL
from tests.telegram.fake_telegram import TOKEN, FakeTelegram

BROADCAST = 120


@pytest.fixture
def database() -> Iterator[str]:
    """A PostgreSQL database of its own, migrated, for processes started by the test."""
    admin = make_engine(POSTGRES_URL).execution_options(isolation_level="AUTOCOMMIT")
    name = f"whistle_roles_{uuid.uuid4().hex[:10]}"
    try:
        with admin.connect() as connection:
            connection.execute(text(f'CREATE DATABASE "{name}"'))
    except OperationalError as error:
        admin.dispose()
        if POSTGRES_REQUIRED:
            raise
        pytest.skip(f"PostgreSQL not reachable at {POSTGRES_URL}: {error.orig}")
    url = make_url(POSTGRES_URL).set(database=name).render_as_string(hide_password=False)
    engine = make_engine(url)
    upgrade(engine)
    engine.dispose()
    yield url
    with admin.connect() as connection:
        connection.execute(text(f'DROP DATABASE "{name}" WITH (FORCE)'))
    admin.dispose()


def _pending(engine: Engine) -> int:
    with transaction(engine) as session:
        return session.exec(select(func.count()).select_from(OutboxMessage).where(
            OutboxMessage.status == OutboxStatus.PENDING)).one()


def _sender(url: str, fake: FakeTelegram, media: Path) -> subprocess.Popen[bytes]:
    env = {key: value for key, value in os.environ.items() if not key.startswith("WHISTLE_")}
    env.update(WHISTLE_DATABASE_URL=url, WHISTLE_TELEGRAM_TOKEN=TOKEN,
               WHISTLE_TELEGRAM_BASE_URL=fake.base_url,
               WHISTLE_TELEGRAM_BASE_FILE_URL=fake.base_file_url, WHISTLE_MEDIA_DIR=str(media))
    return subprocess.Popen([sys.executable, "-m", "bot", "run", "--role", "sender"], env=env,
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)


def test_two_sender_processes_deliver_a_broadcast_once(database, tmp_path):
    fake = FakeTelegram()
    fake.start()
    engine = make_engine(database)
    texts = [f"通知{n}" for n in range(BROADCAST)]
    with transaction(engine) as session:
        Context(session, POLICY, datetime.now(UTC) - timedelta(seconds=1)).queue(
            [Outgoing("telegram", body, to_user=str(5000 + n)) for n, body in enumerate(texts)])
    senders = [_sender(database, fake, tmp_path) for _ in range(2)]
    try:
        deadline = time.monotonic() + 90
        while _pending(engine) and time.monotonic() < deadline:
            time.sleep(0.2)
    finally:
        for sender in senders:
            sender.terminate()
        for sender in senders:
            sender.wait(timeout=30)
        fake.stop()
        engine.dispose()
    sent = sorted(call.params["text"] for call in fake.made("sendMessage"))
    assert sent == sorted(texts)


def test_roles_other_than_all_need_postgresql():
    result = CliRunner().invoke(app, ["run", "--role", "sender"],
                                env={"WHISTLE_DATABASE_URL": "sqlite:///whistle.db"})
    assert (result.exit_code, result.output.strip()) == (
        2, "--role: running by role needs a shared PostgreSQL database (WHISTLE_DATABASE_URL)")


def test_an_unknown_role_is_one_line():
    result = CliRunner().invoke(app, ["run", "--role", "mailman"])
    assert (result.exit_code, result.output.strip()) == (
        2, "--role: one of web, sender, scheduler, all, got mailman")
