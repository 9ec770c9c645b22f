"""`whistle nlu ...` and `whistle bench`: the NLU's stable command-line contracts."""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Annotated

import typer

nlu_app = typer.Typer(help="Duty classifier and reply parser.", no_args_is_help=True)


@nlu_app.command()
def classify() -> None:
    """One text per stdin line → one JSON classification per line."""
    from nlu import classify as classify_text

    for line in sys.stdin:
        text = line.rstrip("\n")
        typer.echo(json.dumps(classify_text(text).to_json(), ensure_ascii=False))


@nlu_app.command()
def reply() -> None:
    """One text per stdin line → {"text", "intent", "stars"} per line."""
    from nlu import parse_reply

    for line in sys.stdin:
        text = line.rstrip("\n")
        typer.echo(json.dumps({"text": text, **parse_reply(text).to_json()},
                              ensure_ascii=False))


@nlu_app.command("eval")
def evaluate(file: Annotated[Path, typer.Argument(help="label<TAB>text lines.")]) -> None:
    """Accuracy, per-duty precision/recall and a confusion matrix for a labelled file."""
    from nlu.evaluate import evaluate as run_evaluation
    from nlu.evaluate import format_report, read_tsv

    try:
        rows = read_tsv(file)
    except (OSError, ValueError) as error:
        typer.echo(f"{file}: {error}", err=True)
        raise typer.Exit(2) from error
    typer.echo(format_report(run_evaluation(rows)))


def bench(
    repeat: Annotated[int, typer.Option(help="Classifications per text.")] = 200,
) -> None:
    """Measure the classifier: µs per text by exact matching and by the typo fallback."""
    from nlu.bench import SAMPLE_EXACT, SAMPLE_FALLBACK, bench_classify

    results = bench_classify([*SAMPLE_EXACT, *SAMPLE_FALLBACK], repeat)
    for name, value in results.items():
        typer.echo(f"{name}: {value:.1f}")
