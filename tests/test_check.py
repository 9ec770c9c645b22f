"""`whistle check` says what `whistle run` would start and where the database stands; the demo
community is seeded only into an empty database no channel is configured for."""

from __future__ import annotations

import os

import pytest
from sqlalchemy import text
from typer.testing import CliRunner

from bot.channels import configured
from bot.check import count_communities, plan, seed_demo_if_wanted, seeds_demo
from bot.cli import app
from bot.hub import Hub
from bot.settings import Settings
from handlers.jobs.sweeps import SWEEPS
from storage.db import make_engine
from storage.migrate import alembic_config, head, upgrade
from tests.conftest import START

KEY = "jWmYm7qr5nMoAUwZRjGtBxmz3KA1tkAj3ykkR6q2B2C"
WECHAT = {"wechat_token": "t", "wechat_app_id": "wx1", "wechat_app_secret": "s"}
WECOM = {"wecom_corp_id": "ww1", "wecom_agent_id": 1000002, "wecom_secret": "s",
         "wecom_token": "t", "wecom_aes_key": KEY}
WEBHOOK = {"telegram_token": "1:x", "telegram_webhook_url": "https://h.example/tg/hook",
           "telegram_secret_token": "s3cret"}


@pytest.fixture
def whistle(tmp_path, monkeypatch):
    """Run `whistle ARGS` on a database file of its own, with no other WHISTLE_* variables."""
    monkeypatch.chdir(tmp_path)
    clean = {name: None for name in os.environ if name.startswith("WHISTLE_")}
    database = {"WHISTLE_DATABASE_URL": f"sqlite:///{tmp_path / 'whistle.db'}"}

    def run(*args: str, **env: str) -> tuple[int, list[str]]:
        result = CliRunner().invoke(app, list(args), input="",
                                    env={**clean, **database, **env})
        return result.exit_code, (result.stdout + result.stderr).splitlines()

    return run


def test_check_on_a_fresh_install_creates_nothing(whistle, tmp_path) -> None:
    code, out = whistle("check")
    assert (code, out) == (0, [
        "configuration: ok",
        "channels: none configured; whistle run starts the interactive console",
        "web server: not started (no webhook channel)",
        "scheduler: not started (in the console, !jobs runs the sweeps)",
        f"database: sqlite:///{tmp_path / 'whistle.db'}, no file yet (whistle run creates it), "
        "0 communities",
        "demo: the console seeds the demo community (the database is empty)"])
    assert not (tmp_path / "whistle.db").exists()


def test_check_counts_communities_at_head(whistle) -> None:
    whistle("demo")
    code, out = whistle("check")
    assert code == 0
    assert out[4].endswith(f", migrations at head ({head()}), 1 community")
    assert len(out) == 5  # no demo line: the database is not empty


def test_check_says_when_migrations_are_behind(whistle, tmp_path) -> None:
    from alembic.script import ScriptDirectory

    newest = ScriptDirectory.from_config(alembic_config(None)).get_revision(head())
    engine = make_engine(f"sqlite:///{tmp_path / 'whistle.db'}")
    upgrade(engine, str(newest.down_revision))
    engine.dispose()
    code, out = whistle("check")
    assert code == 0
    assert f"migrations behind: at {newest.down_revision}, head is {head()}" in out[4]


@pytest.mark.parametrize("command", ["check", "run"])
def test_a_database_from_a_newer_whistle_is_refused(whistle, tmp_path, command) -> None:
    engine = make_engine(f"sqlite:///{tmp_path / 'whistle.db'}")
    upgrade(engine)
    with engine.begin() as connection:
        connection.execute(text("UPDATE alembic_version SET version_num = '9999'"))
    engine.dispose()
    assert whistle(command) == (2, [
        "WHISTLE_DATABASE_URL: the database is at migration 9999, which this version of "
        "Whistle does not know (a newer one migrated it)"])


def test_check_on_a_database_folder_that_does_not_exist(whistle, tmp_path) -> None:
    assert whistle("check", WHISTLE_DATABASE_URL=f"sqlite:///{tmp_path}/nowhere/w.db") == (
        2, [f"WHISTLE_DATABASE_URL: the folder {tmp_path}/nowhere does not exist"])


def test_check_lists_the_channels_the_web_server_and_the_scheduler(whistle) -> None:
    env = {f"WHISTLE_{name.upper()}": str(value)
           for name, value in {**WEBHOOK, **WECHAT, **WECOM}.items()}
    code, out = whistle("check", WHISTLE_HTTP_PORT="9000",
                        WHISTLE_WECOM_ROBOTS='{"幸福里社区": "https://example.org/r"}', **env)
    assert code == 0
    assert out[1:3] == [
        "channels: telegram (webhook /tg/hook), wechat (webhook /wechat/callback, plain, "
        "明文模式), wecom (webhook /wecom/callback, 1 group robot)",
        "web server: 127.0.0.1:9000 (GET /healthz)"]
    assert out[3].startswith(f"scheduler: {len(SWEEPS)} sweeps (order_deadlines, ")
    assert out[5] == "demo: not seeded, a channel is configured (whistle demo seeds it)"


@pytest.mark.parametrize(("values", "channels", "web"), [
    ({}, [], None),
    ({"telegram_token": "1:x"}, [("telegram", "polling")], None),
    (WEBHOOK, [("telegram", "webhook /tg/hook")], "127.0.0.1:8080"),
    ({**WECHAT, "wechat_aes_key": KEY},
     [("wechat", "webhook /wechat/callback, encrypted, 安全模式")], "127.0.0.1:8080"),
    (WECOM, [("wecom", "webhook /wecom/callback")], "127.0.0.1:8080"),
])
def test_the_plan_is_what_run_starts(sqlite_engine, values, channels, web) -> None:
    settings = Settings(_env_file=None, database_url="sqlite://", **values)
    planned = plan(settings)
    started = configured(Hub(sqlite_engine, settings))
    paths = {route.path for channel in started for route in channel.routes()}

    assert (planned.channels, planned.web, planned.scheduler) == (channels, web, bool(channels))
    assert [channel.name for channel in started] == [name for name, _ in channels]
    assert paths == {how.split()[1].rstrip(",") for _, how in channels
                     if how.startswith("webhook")}


def test_the_demo_goes_only_into_an_empty_database_without_channels() -> None:
    none = Settings(_env_file=None)
    assert (seeds_demo(none, 0), seeds_demo(none, 1)) == (True, False)
    for values in ({"telegram_token": "1:x"}, WECHAT, WECOM, {"wechat_token": "t"}):
        assert seeds_demo(Settings(_env_file=None, **values), 0) is False


def test_run_with_a_channel_keeps_its_empty_database_empty(sqlite_engine) -> None:
    telegram = Settings(_env_file=None, telegram_token="1:x")
    assert seed_demo_if_wanted(sqlite_engine, telegram, START) is False
    assert count_communities(sqlite_engine) == 0
    assert seed_demo_if_wanted(sqlite_engine, Settings(_env_file=None), START) is True
    assert count_communities(sqlite_engine) == 1


def test_the_console_does_not_seed_a_channels_database(whistle, tmp_path) -> None:
    assert whistle("console", "--jsonl", WHISTLE_TELEGRAM_TOKEN="1:x")[0] == 0
    engine = make_engine(f"sqlite:///{tmp_path / 'whistle.db'}")
    assert count_communities(engine) == 0
    whistle("console", "--jsonl")  # the quick start: nothing configured, the demo appears
    assert count_communities(engine) == 1
    engine.dispose()
