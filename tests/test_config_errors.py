"""A misconfiguration says so in one line naming the variable, exits with 2, and never shows a
traceback: in `whistle run`, `whistle check` and any other command reading the settings."""

from __future__ import annotations

import base64
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from typer.testing import CliRunner
from wechatpy.crypto import WeChatCrypto

from bot.cli import app
from bot.config import channel_problems
from bot.settings import Settings

ROOT = Path(__file__).resolve().parent.parent
KEY = "jWmYm7qr5nMoAUwZRjGtBxmz3KA1tkAj3ykkR6q2B2C"
UNREACHABLE = "postgresql+psycopg://nobody:hunter2@127.0.0.1:1/x"


@pytest.fixture
def whistle(tmp_path, monkeypatch):
    """Run `whistle ARGS` with only the given WHISTLE_* variables (none from the machine, no
    .env); returns (exit code, stdout lines, stderr lines)."""
    monkeypatch.chdir(tmp_path)  # no stray .env file
    clean = {name: None for name in os.environ if name.startswith("WHISTLE_")}
    database = {"WHISTLE_DATABASE_URL": f"sqlite:///{tmp_path / 'whistle.db'}"}

    def run(*args: str, **env: str) -> tuple[int, list[str], list[str]]:
        result = CliRunner().invoke(app, list(args), input="",
                                    env={**clean, **database, **env})
        return result.exit_code, result.stdout.splitlines(), result.stderr.splitlines()

    return run


def refused(whistle, command: str, **env: str) -> str:
    """The one line a refused command prints; it exits with 2 and prints nothing else."""
    code, out, err = whistle(command, **env)
    assert (code, out, len(err)) == (2, [], 1), (code, out, err)
    assert "Traceback" not in err[0]
    return err[0]


@pytest.mark.parametrize("variable", ["WHISTLE_WECHAT_AES_KEY", "WHISTLE_WECOM_AES_KEY"])
@pytest.mark.parametrize(("key", "why"), [
    (KEY + "=", "(got 44 characters)"),
    (KEY[:20], "(got 20 characters)"),
    (KEY[:-1] + "-", "(some are not A-Z, a-z, 0-9, + or /)"),
])
@pytest.mark.parametrize("command", ["run", "check"])
def test_a_malformed_aes_key(whistle, command, variable, key, why) -> None:
    line = refused(whistle, command, **{variable: key})
    assert line == f"{variable}: must be 43 characters of base64 without padding {why}"


def test_an_aes_key_the_settings_accept_is_one_wechatpy_decodes() -> None:
    for raw in (bytes(range(32)), b"\xff" * 32, os.urandom(32)):
        key = base64.b64encode(raw).decode().rstrip("=")
        settings = Settings(_env_file=None, wechat_aes_key=key, wecom_aes_key=key)
        assert WeChatCrypto("token", settings.wechat_aes_key, "wx1").key == raw


@pytest.mark.parametrize(("variable", "value", "line"), [
    ("WHISTLE_CLAIM_WINDOW_HOURS", "abc", 'WHISTLE_CLAIM_WINDOW_HOURS: needs a number (got "abc")'),
    ("WHISTLE_DIGEST_HOUR", "25", 'WHISTLE_DIGEST_HOUR: must be from 0 to 23 (got "25")'),
    ("WHISTLE_RATING_WINDOW_HOURS", "0",
     'WHISTLE_RATING_WINDOW_HOURS: must be more than 0 (got "0")'),
    ("WHISTLE_OUTBOX_MAX_ATTEMPTS", "2.5",
     'WHISTLE_OUTBOX_MAX_ATTEMPTS: needs a whole number (got "2.5")'),
    ("WHISTLE_WORKING_DAYS", "maybe", 'WHISTLE_WORKING_DAYS: needs true or false (got "maybe")'),
    ("WHISTLE_POINTS_LEVELS", "[1, 2]", "WHISTLE_POINTS_LEVELS: needs 5 values (got [1, 2])"),
    ("WHISTLE_WECOM_ROBOTS", "{oops", "WHISTLE_WECOM_ROBOTS: is not valid JSON "
     "(Expecting property name enclosed in double quotes: line 1 column 2 (char 1))"),
    ("WHISTLE_TIMEZONE", "Mars/Olympus",
     'WHISTLE_TIMEZONE: is not a time zone such as Asia/Shanghai (got "Mars/Olympus")'),
])
@pytest.mark.parametrize("command", ["run", "check", "orders"])
def test_a_value_of_the_wrong_kind(whistle, command, variable, value, line) -> None:
    assert refused(whistle, command, **{variable: value}) == line


def test_each_refused_value_gets_its_own_line(whistle) -> None:
    code, out, err = whistle("run", WHISTLE_DIGEST_HOUR="25", WHISTLE_CLAIM_WINDOW_HOURS="abc")
    assert (code, out, err) == (2, [], ['WHISTLE_CLAIM_WINDOW_HOURS: needs a number (got "abc")',
                                        'WHISTLE_DIGEST_HOUR: must be from 0 to 23 (got "25")'])


@pytest.mark.parametrize("command", ["run", "check", "orders"])
def test_an_unreachable_database(whistle, command) -> None:
    line = refused(whistle, command, WHISTLE_DATABASE_URL=UNREACHABLE)
    assert line.startswith("WHISTLE_DATABASE_URL: cannot connect to "
                           "postgresql+psycopg://nobody:***@127.0.0.1:1/x: ")
    assert "Connection refused" in line
    assert "hunter2" not in line


def test_a_database_url_that_is_no_url(whistle) -> None:
    assert refused(whistle, "run", WHISTLE_DATABASE_URL="whistle.db") == (
        "WHISTLE_DATABASE_URL: is not a database URL "
        "(Could not parse SQLAlchemy URL from given URL string)")


PARTS = [
    ({"WHISTLE_WECHAT_TOKEN": "t"}, "WHISTLE_WECHAT_TOKEN is set but WHISTLE_WECHAT_APP_ID, "
     "WHISTLE_WECHAT_APP_SECRET are missing"),
    ({"WHISTLE_WECHAT_AES_KEY": KEY, "WHISTLE_WECHAT_APP_ID": "wx1",
      "WHISTLE_WECHAT_APP_SECRET": "s"},
     "WHISTLE_WECHAT_APP_ID, WHISTLE_WECHAT_APP_SECRET, WHISTLE_WECHAT_AES_KEY are set but "
     "WHISTLE_WECHAT_TOKEN is missing"),
    ({"WHISTLE_WECOM_CORP_ID": "ww1", "WHISTLE_WECOM_SECRET": "s", "WHISTLE_WECOM_TOKEN": "t"},
     "WHISTLE_WECOM_CORP_ID, WHISTLE_WECOM_SECRET, WHISTLE_WECOM_TOKEN are set but "
     "WHISTLE_WECOM_AGENT_ID, WHISTLE_WECOM_AES_KEY are missing"),
    ({"WHISTLE_WECOM_ROBOTS": '{"幸福里社区": "https://example.org/hook"}'},
     "WHISTLE_WECOM_ROBOTS is set but WHISTLE_WECOM_CORP_ID, WHISTLE_WECOM_AGENT_ID, "
     "WHISTLE_WECOM_SECRET, WHISTLE_WECOM_TOKEN, WHISTLE_WECOM_AES_KEY are missing"),
    ({"WHISTLE_TELEGRAM_TOKEN": "1:x", "WHISTLE_TELEGRAM_WEBHOOK_URL": "https://h.example/tg"},
     "WHISTLE_TELEGRAM_WEBHOOK_URL is set but WHISTLE_TELEGRAM_SECRET_TOKEN is missing"),
    ({"WHISTLE_TELEGRAM_WEBHOOK_URL": "https://h.example/tg"},
     "WHISTLE_TELEGRAM_WEBHOOK_URL is set but WHISTLE_TELEGRAM_TOKEN, "
     "WHISTLE_TELEGRAM_SECRET_TOKEN are missing"),
]


@pytest.mark.parametrize(("env", "line"), PARTS)
@pytest.mark.parametrize("command", ["run", "check"])
def test_a_channel_configured_in_part(whistle, tmp_path, command, env, line) -> None:
    assert refused(whistle, command, **env) == line
    assert not (tmp_path / "whistle.db").exists()  # no console started, no demo seeded


@pytest.mark.parametrize(("env", "line"), PARTS)
def test_channel_problems_name_what_is_missing(env, line) -> None:
    values = {name.removeprefix("WHISTLE_").lower(): value for name, value in env.items()}
    if "wecom_robots" in values:
        values["wecom_robots"] = json.loads(values["wecom_robots"])
    assert channel_problems(Settings(_env_file=None, **values)) == [line]


def test_two_channels_in_part_are_two_lines() -> None:
    settings = Settings(_env_file=None, wechat_token="t", wecom_agent_id=1000002)
    assert [line.split(" is set")[0] for line in channel_problems(settings)] == [
        "WHISTLE_WECHAT_TOKEN", "WHISTLE_WECOM_AGENT_ID"]


def test_whole_channels_have_no_problems() -> None:
    settings = Settings(_env_file=None, telegram_token="1:x", wechat_token="t",
                        wechat_app_id="wx1", wechat_app_secret="s", wecom_corp_id="ww1",
                        wecom_agent_id=1000002, wecom_secret="s", wecom_token="t",
                        wecom_aes_key=KEY)
    assert channel_problems(settings) == []


def test_the_installed_command_prints_one_line_and_no_traceback(tmp_path) -> None:
    env = {"PATH": os.environ.get("PATH", ""), "PYTHONPATH": str(ROOT),
           "WHISTLE_DATABASE_URL": f"sqlite:///{tmp_path / 'whistle.db'}",
           "WHISTLE_CLAIM_WINDOW_HOURS": "abc"}
    done = subprocess.run([sys.executable, "-m", "bot", "run"], cwd=tmp_path, env=env,
                          capture_output=True, text=True, timeout=60)
    assert (done.returncode, done.stdout, done.stderr) == (
        2, "", 'WHISTLE_CLAIM_WINDOW_HOURS: needs a number (got "abc")\n')
