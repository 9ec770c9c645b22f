"""Measuring the classifier on labelled (label, text) rows, with a terminal-friendly report."""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from os import PathLike
from pathlib import Path

from nlu.classifier import classify
from nlu.learning import Learned
from nlu.model import DUTIES, REPLY_INTENTS
from nlu.replies import parse_reply

NONE_LABEL = "none"
LABELS: tuple[str, ...] = (*DUTIES, NONE_LABEL)


@dataclass(frozen=True)
class LabelStats:
    """Precision, recall and support of one label."""

    precision: float
    recall: float
    support: int


@dataclass(frozen=True)
class EvalReport:
    """The outcome of one evaluation run.

    Attributes:
        total: Number of rows.
        correct: Rows whose prediction equals the label.
        accuracy: ``correct / total`` (0.0 for no rows).
        per_label: Stats for every label that occurs as gold or prediction.
        confusion: Counts keyed by (gold, predicted).
        errors: The misclassified rows as (gold, predicted, text).
    """

    total: int
    correct: int
    accuracy: float
    per_label: dict[str, LabelStats]
    confusion: dict[tuple[str, str], int]
    errors: list[tuple[str, str, str]] = field(default_factory=list)


def predict_label(text: str, learned: Learned | None = None) -> str:
    """Return the label the classifier gives a text: its duty, or "none" if not a request."""
    result = classify(text, learned)
    return result.duty if result.is_request and result.duty else NONE_LABEL


def evaluate(rows: Iterable[tuple[str, str]], learned: Learned | None = None) -> EvalReport:
    """Classify every (label, text) row and compare with its label.

    Args:
        rows: Pairs of gold label (a duty code or "none") and text.
        learned: What reviews taught, to score the classifier with learning.

    Returns:
        The report, with accuracy, per-label stats, confusion counts and the errors.
    """
    confusion: Counter[tuple[str, str]] = Counter()
    errors: list[tuple[str, str, str]] = []
    for gold, text in rows:
        predicted = predict_label(text, learned)
        confusion[(gold, predicted)] += 1
        if predicted != gold:
            errors.append((gold, predicted, text))
    return _report(confusion, errors, LABELS)


def reply_label(intent: str, stars: int | None) -> str:
    """A reply's label for scoring: its intent, with the stars for a rating (``rating4``)."""
    return f"rating{stars}" if intent == "rating" else intent


REPLY_LABELS: tuple[str, ...] = tuple(
    label for intent in REPLY_INTENTS
    for label in ([reply_label(intent, n) for n in range(1, 6)] if intent == "rating"
                  else [intent]))


def evaluate_replies(rows: Iterable[tuple[str, str]]) -> EvalReport:
    """Parse every (label, text) row, the label as ``reply_label`` writes it, and compare:
    a rating counts as right only with the right stars."""
    confusion: Counter[tuple[str, str]] = Counter()
    errors: list[tuple[str, str, str]] = []
    for gold, text in rows:
        reply = parse_reply(text)
        predicted = reply_label(reply.intent, reply.stars)
        confusion[(gold, predicted)] += 1
        if predicted != gold:
            errors.append((gold, predicted, text))
    return _report(confusion, errors, REPLY_LABELS)


def _report(confusion: Counter[tuple[str, str]], errors: list[tuple[str, str, str]],
            labels: tuple[str, ...]) -> EvalReport:
    total = sum(confusion.values())
    correct = sum(n for (g, p), n in confusion.items() if g == p)
    return EvalReport(total, correct, correct / total if total else 0.0,
                      _per_label(confusion, labels), dict(confusion), errors)


def _per_label(confusion: Counter[tuple[str, str]],
               labels: tuple[str, ...]) -> dict[str, LabelStats]:
    """Compute precision/recall/support for each label seen as gold or prediction."""
    seen = {g for g, _ in confusion} | {p for _, p in confusion}
    stats: dict[str, LabelStats] = {}
    for label in (x for x in labels if x in seen):
        tp = confusion.get((label, label), 0)
        gold = sum(n for (g, _), n in confusion.items() if g == label)
        pred = sum(n for (_, p), n in confusion.items() if p == label)
        stats[label] = LabelStats(tp / pred if pred else 0.0, tp / gold if gold else 0.0, gold)
    return stats


def format_report(report: EvalReport) -> str:
    """Render accuracy, per-label precision/recall/support and the confusion matrix."""
    lines = [f"accuracy {report.accuracy:.3f} ({report.correct}/{report.total})", "",
             f"{'label':<18}{'prec':>7}{'recall':>8}{'support':>9}"]
    for label, s in report.per_label.items():
        lines.append(f"{label:<18}{s.precision:>7.3f}{s.recall:>8.3f}{s.support:>9d}")
    labels = list(report.per_label)
    short = [label[:6] for label in labels]
    lines += ["", "confusion (rows gold, columns predicted)",
              " " * 18 + "".join(f"{s:>8}" for s in short)]
    for gold in labels:
        cells = "".join(f"{report.confusion.get((gold, p), 0):>8d}" for p in labels)
        lines.append(f"{gold:<18}{cells}")
    return "\n".join(lines)


def read_tsv(path: str | PathLike[str]) -> list[tuple[str, str]]:
    """Read label<TAB>text rows, skipping blank and '#' lines.

    Raises:
        ValueError: On a line without exactly one tab-separated label and text, or with an
            unknown label; the message names the line number.
    """
    rows: list[tuple[str, str]] = []
    for number, parts in _lines(path):
        if len(parts) != 2 or not parts[1].strip():
            raise ValueError(f"{path} line {number}: expected label<TAB>text")
        if parts[0] not in LABELS:
            raise ValueError(f"{path} line {number}: unknown label {parts[0]!r}")
        rows.append((parts[0], parts[1]))
    return rows


def read_reply_tsv(path: str | PathLike[str]) -> list[tuple[str, str]]:
    """Read intent<TAB>stars<TAB>text rows (stars 1-5 for a rating, else 0 or "-") as
    (``reply_label``, text), skipping blank and '#' lines.

    Raises:
        ValueError: On a malformed line; the message names the line number.
    """
    rows: list[tuple[str, str]] = []
    for number, parts in _lines(path):
        if len(parts) != 3 or parts[0] not in REPLY_INTENTS or not parts[2].strip():
            raise ValueError(f"{path} line {number}: expected intent<TAB>stars<TAB>text")
        stars = int(parts[1]) if parts[0] == "rating" and parts[1].isdecimal() else None
        if parts[0] == "rating" and stars not in range(1, 6):
            raise ValueError(f"{path} line {number}: a rating needs 1-5 stars")
        rows.append((reply_label(parts[0], stars), parts[2]))
    return rows


def _lines(path: str | PathLike[str]) -> Iterator[tuple[int, list[str]]]:
    """Each line's number and tab-separated parts, blank and '#' lines left out."""
    lines = Path(path).read_text(encoding="utf-8").splitlines()
    for number, line in enumerate(lines, start=1):
        if line.strip() and not line.startswith("#"):
            yield number, line.split("\t")


def is_reply_file(path: str | PathLike[str]) -> bool:
    """Whether a labelled file holds replies (three columns) rather than needs (two)."""
    for line in Path(path).read_text(encoding="utf-8").splitlines():
        if line.strip() and not line.startswith("#"):
            return line.count("\t") == 2
    return False
