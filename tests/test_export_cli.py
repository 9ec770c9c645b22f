"""`whistle export`: files named after the export and period, clear refusals (exit code 2)."""

from __future__ import annotations

import json
import shutil
import sqlite3
from contextlib import closing
from pathlib import Path

import pytest
from openpyxl import load_workbook
from typer.testing import CliRunner

from bot.cli import app

NEED = "5栋门口的垃圾三天没人清运了，臭得不行，请社区派人处理"
SCRIPT = [
    {"clock": "2026-11-23T09:00:00+08:00"},
    {"from": "zhang", "text": NEED}, {"from": "admin", "text": "/approve 1 sanitation"},
    {"from": "m1", "press": "accept:1"}, {"from": "m1", "text": "/checkin 1"},
    {"clock": "2026-11-23T10:30:00+08:00"}, {"from": "m1", "text": "/done 1"},
]


@pytest.fixture(scope="module")
def played(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The script played once through `whistle console` into a database file the tests copy."""
    folder = tmp_path_factory.mktemp("export")
    lines = "\n".join(json.dumps(line, ensure_ascii=False) for line in SCRIPT) + "\n"
    played = CliRunner().invoke(app, ["console", "--jsonl"], input=lines,
                                env={"WHISTLE_DATABASE_URL": f"sqlite:///{folder / 'cli.db'}"})
    assert played.exit_code == 0, played.output
    # SQLite's backup folds in what still sits in the write-ahead log; a file copy would not.
    with closing(sqlite3.connect(folder / "cli.db")) as source, \
            closing(sqlite3.connect(folder / "played.db")) as target:
        source.backup(target)
    return folder / "played.db"


@pytest.fixture
def whistle(played: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch):
    """`whistle ARGS` in a folder of its own, on a database with one finished service."""
    monkeypatch.chdir(tmp_path)
    runner = CliRunner()
    shutil.copyfile(played, tmp_path / "cli.db")
    env = {"WHISTLE_DATABASE_URL": f"sqlite:///{tmp_path / 'cli.db'}"}

    def run(*args: str) -> tuple[int, str]:
        result = runner.invoke(app, list(args), env=env)
        return result.exit_code, result.output

    return run


def test_the_export_is_named_after_kind_and_period(whistle, tmp_path) -> None:
    code, out = whistle("export", "ledger", "--format", "xlsx", "--period", "2026Q4")
    assert (code, out.strip().splitlines()[0]) == (0, "ledger-2026Q4.xlsx: 服务台账 2026Q4, 1 rows")
    assert out.strip().splitlines()[1].startswith("ledger-2026Q4.xlsx: 流转记录 2026Q4, ")
    rows = list(load_workbook(tmp_path / "ledger-2026Q4.xlsx").active.iter_rows(values_only=True))
    assert rows[1][:2] == (1, "幸福里社区")
    assert rows[1][9] == 1.5


def test_output_and_community_options(whistle, tmp_path) -> None:
    target = tmp_path / "out" / "r.csv"
    code, _out = whistle("export", "花名册", "--format", "csv", "--period", "2026",
                         "--community", "幸福里社区", "--output", str(target))
    assert code == 0
    assert target.read_text(encoding="utf-8-sig").count("\n") == 7


@pytest.mark.parametrize(("args", "message"), [
    pytest.param(("--period", "2026Q9"), "不是有效的期间", id="period"),
    pytest.param(("--format", "pdf"), "unknown format 'pdf'", id="format"),
    pytest.param(("--community", "火星社区"), "no community named", id="community"),
])
def test_bad_options_are_refused_with_exit_code_2(whistle, args, message) -> None:
    code, out = whistle("export", "ledger", *args)
    assert code == 2
    assert message in out


def test_an_unknown_kind_is_refused(whistle) -> None:
    assert whistle("export", "salaries")[0] == 2
