"""`whistle run --role`: several processes on one PostgreSQL database share the work, and two
senders never send one message twice."""

from __future__ import annotations

import os
import subprocess
import sys
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from sqlalchemy import func, text
from sqlalchemy.engine import Engine, make_url
from sqlmodel import select
from typer.testing import CliRunner

from bot.cli import app
from handlers.context import Context
from handlers.messages import Outgoing
from storage.db import make_engine, transaction
from storage.messaging import OutboxMessage, OutboxStatus
from tests.chat import POLICY
from tests.conftest import POSTGRES_URL
from tests.telegram.fake_telegram import TOKEN, FakeTelegram

BROADCAST = 120


@pytest.fixture
def database(postgres_engine: Engine) -> str:
    """The URL of a migrated PostgreSQL schema of its own, for processes started by the test.

    A schema named in the URL's ``options`` rather than a database of its own: dropping a
    database makes the server write a checkpoint, which takes seconds on a busy machine.
    """
    with postgres_engine.connect() as connection:
        schema = connection.execute(text("SELECT current_schema()")).scalar_one()
    url = make_url(POSTGRES_URL).update_query_dict({"options": f"-csearch_path={schema}"})
    return url.render_as_string(hide_password=False)


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
