"""Tests for the evaluator, the TSV reader, the lexicon data and the bench."""

from __future__ import annotations

from pathlib import Path

import pytest

from nlu import DUTIES
from nlu.bench import bench_classify
from nlu.evaluate import (
    evaluate,
    evaluate_replies,
    format_report,
    is_reply_file,
    read_reply_tsv,
    read_tsv,
)
from nlu.lexicon import DUTY_KIND, load_lexicon


def test_evaluate_counts_and_report() -> None:
    rows = [("sanitation", "垃圾好几天没人清运了，请安排清理"), ("none", "收到"),
            ("safety", "收到，谢谢")]
    report = evaluate(rows)
    assert (report.total, report.correct, report.confusion[("safety", "none")]) == (3, 2, 1)
    text = format_report(report)
    assert ("accuracy 0.667" in text, "confusion" in text) == (True, True)


def test_read_tsv_skips_comments(tmp_path: Path) -> None:
    path = tmp_path / "rows.tsv"
    path.write_text("# header\n\nsafety\t井盖没了\nnone\t收到\n", encoding="utf-8")
    assert read_tsv(path) == [("safety", "井盖没了"), ("none", "收到")]


@pytest.mark.parametrize(
    ("content", "line"),
    [pytest.param("none\t好的\nbogus\t坏了\n", 2, id="unknown-label"),
     pytest.param("# c\nsafety 井盖没了\n", 2, id="no-tab")],
)
def test_read_tsv_rejects_bad_lines(tmp_path: Path, content: str, line: int) -> None:
    path = tmp_path / "rows.tsv"
    path.write_text(content, encoding="utf-8")
    with pytest.raises(ValueError, match=f"line {line}"):
        read_tsv(path)


def test_lexicon_is_big_and_sane() -> None:
    lexicon = load_lexicon()
    entries = [e for es in lexicon.table.values() for e in es]
    duty_terms = [t for t, es in lexicon.duty_terms.items() if es]
    assert len(duty_terms) > 1000
    assert {e.label for e in entries if e.kind == DUTY_KIND} == set(DUTIES)
    assert all(e.weight > 0 for e in entries)


def test_bench_reports_both_paths() -> None:
    result = bench_classify(["3栋楼道的灯坏了，声控灯也不亮，请派电工来修", "楼下拉极堆成山了"],
                            repeat=2)
    assert (result["exact_n"], result["fallback_n"]) == (1.0, 1.0)
    assert min(result["fallback_us"], result["exact_us"]) > 0  # both paths were timed


def test_reply_files_are_scored_with_their_stars(tmp_path: Path) -> None:
    path = tmp_path / "replies.tsv"
    path.write_text("# intent stars text\naccept\t0\t算我一个\nrating\t4\t满意\n"
                    "rating\t5\t满意\ndone\t-\t搞定了\n", encoding="utf-8")
    assert is_reply_file(path) is True
    report = evaluate_replies(read_reply_tsv(path))
    assert (report.total, report.correct) == (4, 3)
    assert report.errors == [("rating5", "rating4", "满意")]


def test_a_rating_row_needs_its_stars(tmp_path: Path) -> None:
    path = tmp_path / "replies.tsv"
    path.write_text("rating\t-\t满意\n", encoding="utf-8")
    with pytest.raises(ValueError, match="line 1"):
        read_reply_tsv(path)
