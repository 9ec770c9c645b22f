"""`whistle nlu classify` uses what the database learned from reviews (``--no-learning``
shows the static classifier) and `whistle nlu stats` shows how often the guess was right."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from bot.check import open_database
from bot.cli import app
from bot.demo import seed
from bot.settings import Settings
from tests.chat import Chat
from tests.conftest import START
from tests.test_learning_chat import NEW_QUARREL, teach


@pytest.fixture
def taught(tmp_path: Path, settings: Settings) -> dict[str, str]:
    """A database whose demo community learned 顶牛; returns the environment naming it."""
    url = f"sqlite:///{tmp_path / 'taught.db'}"
    engine = open_database(settings.model_copy(update={"database_url": url}))
    seed(engine, START)
    teach(Chat(engine, settings, START))
    engine.dispose()
    return {"WHISTLE_DATABASE_URL": url}


def classified(env: dict[str, str], *args: str) -> str | None:
    result = CliRunner().invoke(app, ["nlu", "classify", *args], input=NEW_QUARREL + "\n",
                                env=env)
    assert result.exit_code == 0, result.output
    duty: str | None = json.loads(result.output)["duty"]
    return duty


def test_classify_uses_what_the_database_learned_unless_told_not_to(taught) -> None:
    assert (classified(taught), classified(taught, "--no-learning"),
            classified(taught, "--community", "幸福里社区")) == (
        "community_affairs", None, "community_affairs")


def test_classify_refuses_a_community_it_does_not_know(taught) -> None:
    result = CliRunner().invoke(app, ["nlu", "classify", "--community", "无名社区"],
                                input="x\n", env=taught)

    assert (result.exit_code, result.output.strip()) == (2, "no community named '无名社区'")


def test_stats_shows_the_guesses_against_the_reviews(taught) -> None:
    result = CliRunner().invoke(app, ["nlu", "stats", "--community", "幸福里社区"], env=taught)

    assert result.output.splitlines()[:2] == [
        "「幸福里社区」最近 5 次审核，机器人分对了 2 次（40%）。按类别：", "社务协调：0/3"]
