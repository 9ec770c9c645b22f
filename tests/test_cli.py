"""The `whistle` command line: the scriptable console, order JSON, admin grants, NLU tools."""

from __future__ import annotations

import json
from importlib.util import find_spec

import pytest
from typer.testing import CliRunner

from bot.cli import app

NEED = "5栋门口的垃圾三天没人清运了，臭得不行，请社区派人处理"


@pytest.fixture
def whistle(tmp_path):
    """Run `whistle ARGS` on a database of its own; returns (exit code, stdout lines)."""
    runner = CliRunner()
    env = {"WHISTLE_DATABASE_URL": f"sqlite:///{tmp_path / 'cli.db'}"}

    def run(*args: str, stdin: str = "") -> tuple[int, list[str]]:
        result = runner.invoke(app, list(args), input=stdin, env=env)
        return result.exit_code, result.output.splitlines()

    return run


def jsonl(*lines: dict) -> str:
    return "\n".join(json.dumps(line, ensure_ascii=False) for line in lines) + "\n"


def test_the_scriptable_console_walks_an_order(whistle) -> None:
    script = jsonl(
        {"clock": "2026-11-23T09:00:00+08:00"},
        {"from": "zhang", "name": "张阿姨", "chat": None, "text": NEED},
        {"from": "admin", "text": "/approve 1 sanitation"},
        {"from": "m1", "press": "accept:1"},
        {"from": "m1", "text": "/checkin 1", "location": {"lat": 31.2, "lon": 121.4}},
        {"from": "m1", "text": "完成", "photo": "after.jpg"},
        {"from": "zhang", "press": "rate:1:5"},
    )
    code, out = whistle("console", "--jsonl", stdin=script)
    sent = [json.loads(line) for line in out]
    assert code == 0
    assert sent[0] == {"to_chat": None, "to_user": "admin", "text": sent[0]["text"],
                       "buttons": []}
    assert {"label": "接单", "data": "accept:1"} in [b for s in sent for b in s["buttons"]]
    assert sent[-1]["text"] == "工单 #1 获得居民 5 星评价。"

    code, out = whistle("order", "1", "--json")
    record = json.loads("\n".join(out))
    assert record["status"] == "closed"
    assert record["acceptances"] == [1]
    assert [h["to"] for h in record["history"]] == [
        "submitted", "open", "claimed", "in_progress", "awaiting_rating", "closed"]
    assert record["history"][0]["at"] == "2026-11-23T01:00:00+00:00"


def test_bad_console_lines_are_reported_and_skipped(whistle) -> None:
    code, out = whistle("console", "--jsonl", stdin='not json\n{"text": "hi"}\n')
    assert code == 0
    assert out[-2:] == [
        "line 1: Expecting value: line 1 column 1 (char 0)",
        'line 2: each line needs "from": the sender\'s user id']


def test_orders_json_lists_every_status_value(whistle) -> None:
    whistle("console", "--jsonl", stdin=jsonl({"from": "zhang", "text": NEED}))
    code, out = whistle("orders", "--json")
    assert code == 0
    assert [r["status"] for r in json.loads("\n".join(out))] == ["submitted"]


def test_orders_refuses_an_unknown_status(whistle) -> None:
    assert whistle("orders", "--status", "later")[0] == 2


def test_admin_add_grants_the_role(whistle) -> None:
    whistle("demo")
    code, out = whistle("admin", "add", "wang", "--community", "幸福里社区")
    assert (code, out) == (0, ["console:wang 现在是「幸福里社区」的管理员。"])
    script = jsonl({"from": "zhang", "text": NEED}, {"from": "wang", "text": "/pending"})
    _, out = whistle("console", "--jsonl", stdin=script)
    assert any("待审核与返单" in json.loads(line)["text"] for line in out)


def test_admin_add_refuses_an_unknown_community(whistle) -> None:
    whistle("demo")
    code, _ = whistle("admin", "add", "wang", "--community", "火星社区")
    assert code == 2


def test_nlu_classify_writes_the_json_contract(whistle) -> None:
    code, out = whistle("nlu", "classify", stdin="小区垃圾没人清理，请派人处理\n收到\n")
    first, second = (json.loads(line) for line in out)
    assert code == 0
    assert set(first) == {"text", "duty", "confidence", "is_request", "candidates", "matched"}
    assert (first["duty"], first["is_request"]) == ("sanitation", True)
    assert (second["duty"], second["is_request"]) == (None, False)


def test_nlu_reply_writes_the_json_contract(whistle) -> None:
    code, out = whistle("nlu", "reply", stdin="我来\n非常满意\n")
    assert [json.loads(line) for line in out] == [
        {"text": "我来", "intent": "accept", "stars": None},
        {"text": "非常满意", "intent": "rating", "stars": 5},
    ]


def test_nlu_eval_reports_accuracy(whistle, tmp_path) -> None:
    labelled = tmp_path / "set.tsv"
    labelled.write_text("sanitation\t楼道垃圾堆了一周没人清理，请派人处理\nnone\t收到\n",
                        encoding="utf-8")
    code, out = whistle("nlu", "eval", str(labelled))
    assert code == 0
    assert any("accuracy" in line.lower() for line in out)
    assert whistle("nlu", "eval", str(tmp_path / "missing.tsv"))[0] == 2


def test_bench_reports_both_paths_and_their_ratio(whistle) -> None:
    code, out = whistle("bench", "--repeat", "1")
    assert code == 0
    # jieba is no dependency: the comparison with it is shown where it is installed.
    beside_jieba = ["classify / jieba.lcut, same texts"] if find_spec("jieba") else []
    assert [line.split(":")[0] for line in out] == [
        "exact match", "typo fallback", "fallback / exact", *beside_jieba]


def test_bench_sweeps_times_every_sweep_and_reruns_queue_nothing(whistle) -> None:
    from handlers.jobs.sweeps import SWEEPS

    code, out = whistle("bench", "sweeps", "--communities", "2", "--members", "5",
                        "--services", "2")
    assert code == 0
    rows = {line.split()[0]: line.split()[-1] for line in out[2:]
            if not line.startswith("fan-out")}
    assert sorted(rows) == sorted(sweep.name for sweep in SWEEPS)
    assert {name: queued.split("/")[1] for name, queued in rows.items()} == {
        sweep.name: "0" for sweep in SWEEPS}
    assert [line for line in out if "WARNING" in line] == []


def test_bench_sweeps_refuses_a_database_it_would_write_into(whistle, tmp_path) -> None:
    code, _out = whistle("bench", "sweeps", "--database-url", f"sqlite:///{tmp_path}/x.db")
    assert code == 2


def test_bench_nlu_is_the_default_bench(whistle) -> None:
    code, out = whistle("bench", "nlu", "--repeat", "1")
    assert code == 0
    beside_jieba = ["classify / jieba.lcut, same texts"] if find_spec("jieba") else []
    assert [line.split(":")[0] for line in out] == [
        "exact match", "typo fallback", "fallback / exact", *beside_jieba]
