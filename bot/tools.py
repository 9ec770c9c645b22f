"""`whistle nlu ...` and `whistle bench`: the NLU's stable command-line contracts, and the
benchmarks (the classifier; the scheduled sweeps, seeded and timed in bot/bench_sweeps.py;
residents' needs through the unit of work, in bot/bench_inbound.py)."""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Annotated

import typer

nlu_app = typer.Typer(help="Duty classifier and reply parser.", no_args_is_help=True)


Community = Annotated[str | None, typer.Option(
    "--community", help="This community's learning (default: the whole district's).")]


@nlu_app.command()
def classify(
    ctx: typer.Context,
    no_learning: Annotated[bool, typer.Option(
        "--no-learning", help="The static classifier, without what reviews taught.")] = False,
    community: Community = None,
) -> None:
    """One text per stdin line → one JSON classification per line, using what the database
    (WHISTLE_DATABASE_URL) learned from reviews unless --no-learning."""
    from bot.learning_cli import learned_from_database
    from nlu import classify as classify_text

    learned = None if no_learning else learned_from_database(ctx.obj, community)
    for line in sys.stdin:
        text = line.rstrip("\n")
        typer.echo(json.dumps(classify_text(text, learned).to_json(), ensure_ascii=False))


@nlu_app.command()
def stats(ctx: typer.Context, community: Community = None) -> None:
    """How often the admins confirmed the bot's guess over the last 100 reviews, per duty,
    and the commonest corrections (as /nlu shows them)."""
    from bot.learning_cli import stats_report

    typer.echo(stats_report(ctx.obj, community))


@nlu_app.command()
def reply() -> None:
    """One text per stdin line → {"text", "intent", "stars"} per line."""
    from nlu import parse_reply

    for line in sys.stdin:
        text = line.rstrip("\n")
        typer.echo(json.dumps({"text": text, **parse_reply(text).to_json()},
                              ensure_ascii=False))


@nlu_app.command("eval")
def evaluate(
    file: Annotated[Path, typer.Argument(
        help="label<TAB>text lines (needs), or intent<TAB>stars<TAB>text lines (replies).")],
    learn_from: Annotated[Path | None, typer.Option(
        "--learn-from", help="Learn from this file's labels first (in memory), as a "
                             "community learns from its reviews.")] = None,
) -> None:
    """Accuracy, per-label precision/recall and a confusion matrix for a labelled file: the
    duty classifier's, or the reply parser's for a file of replies."""
    from nlu.evaluate import evaluate as run_evaluation
    from nlu.evaluate import (
        evaluate_replies,
        format_report,
        is_reply_file,
        read_reply_tsv,
        read_tsv,
    )
    from nlu.learning import Learned

    learned = None
    try:
        if is_reply_file(file):
            typer.echo(format_report(evaluate_replies(read_reply_tsv(file))))
            return
        rows = read_tsv(file)
        if learn_from is not None:
            learned = Learned.from_examples(read_tsv(learn_from))
    except (OSError, ValueError) as error:
        typer.echo(f"{error}", err=True)
        raise typer.Exit(2) from error
    typer.echo(format_report(run_evaluation(rows, learned)))


@nlu_app.command("cv")
def cross_validate(
    folds: Annotated[int, typer.Option(min=2, help="Parts the rows are dealt into.")] = 5,
) -> None:
    """How well the classifier reads needs it never saw: k-fold cross-validation of the
    district prior over its training files (nlu/data/training/)."""
    from nlu.crossval import cross_validate as run_folds
    from nlu.evaluate import format_report
    from nlu.prior import training_rows

    typer.echo(format_report(run_folds(training_rows(), folds)))


BENCH_TEXTS = (
    "5栋门口的垃圾三天没人清运了，请社区派人处理", "3栋楼道灯坏了，晚上老人下楼看不见",
    "楼上天天半夜跳广场舞，太吵了，请劝导一下", "小区电动车在楼道里充电，太危险了",
    "邻居占用公共楼道堆杂物，沟通不了，求协调", "想请人讲讲医保报销新政策",
    "独居老人家里没有棉被过冬，能不能帮帮他", "支部想开主题党日，求党建指导员指导",
    "收到", "大家早上好",
    # IME homophone typos: only the pinyin / fuzzy fallback can read these.
    "小区拉极三天没人清了", "楼里孝防通道被堵了", "楼到灯坏了好几天",
    "下水到堵了，污水冒出来", "邻居家狗狗随地大小变没人管",
)


bench_app = typer.Typer(help="Benchmarks: the classifier (the default), the scheduled sweeps "
                                "and the inbound unit of work.")

Repeat = Annotated[int, typer.Option(help="Passes over the sample texts.")]
TextFile = Annotated[Path | None, typer.Option(help="label<TAB>text file to time instead.")]


BenchDatabase = Annotated[str | None, typer.Option(
    help="PostgreSQL URL: a fresh schema there, dropped afterwards. "
         "Default: a temporary SQLite file, deleted afterwards.")]
Scale = Annotated[str | None, typer.Option(
    help="Build a synthetic city (tiny, small, or shaoguan: 60,000 members) and time every "
         "path on it.")]
AsJson = Annotated[bool, typer.Option("--json", help="With --scale: print one JSON object.")]


@bench_app.callback(invoke_without_command=True)
def bench(ctx: typer.Context, repeat: Repeat = 200, file: TextFile = None, scale: Scale = None,
          database_url: BenchDatabase = None, as_json: AsJson = False) -> None:
    """Classifier speed (as `whistle bench nlu`) unless a benchmark is named, or the whole
    city with --scale."""
    if scale is not None:
        bench_city(ctx, scale, database_url, as_json)
    elif ctx.invoked_subcommand is None:
        bench_nlu(repeat, file)


def bench_city(ctx: typer.Context, scale: str, database_url: str | None, as_json: bool) -> None:
    """Every path timed on a synthetic city in one run (bot/bench/run.py)."""
    from bot.bench.city import SCALES
    from bot.bench.run import run

    _postgres_only(database_url)
    if scale not in SCALES:
        typer.echo(f"--scale takes one of: {', '.join(SCALES)}", err=True)
        raise typer.Exit(2)
    result = run(scale, ctx.obj.policy(), database_url, BENCH_TEXTS)
    if as_json:
        typer.echo(json.dumps(result, ensure_ascii=False))
        return
    for key, value in result.items():
        typer.echo(f"{key:<30} {value}")
    raise typer.Exit()


@bench_app.command("nlu")
def bench_nlu(repeat: Repeat = 200, file: TextFile = None) -> None:
    """Classifier speed in one run: µs per text by exact matching and by the typo fallback."""
    from nlu.bench import bench_classify, versus_jieba
    from nlu.evaluate import read_tsv

    texts = [text for _label, text in read_tsv(file)] if file else list(BENCH_TEXTS)
    results = bench_classify(texts, repeat)
    typer.echo(f"exact match:   {results['exact_us']:8.1f} µs/text "
               f"({results['exact_n']:.0f} texts)")
    typer.echo(f"typo fallback: {results['fallback_us']:8.1f} µs/text "
               f"({results['fallback_n']:.0f} texts)")
    typer.echo(f"fallback / exact: {results['ratio']:.1f}×")
    jieba = versus_jieba(texts, repeat)
    if jieba is not None:
        typer.echo(f"classify / jieba.lcut, same texts: {jieba['classify_us']:.1f} / "
                   f"{jieba['jieba_us']:.1f} µs = {jieba['ratio']:.2f}")


def _postgres_only(database_url: str | None) -> None:
    """A benchmark's --database-url must name PostgreSQL (SQLite is the default)."""
    if database_url is not None and not database_url.startswith("postgresql"):
        typer.echo("--database-url takes a PostgreSQL URL; without it the benchmark uses a "
                   "temporary SQLite file", err=True)
        raise typer.Exit(2)


@bench_app.command("sweeps")
def bench_sweeps(
    ctx: typer.Context,
    communities: Annotated[int, typer.Option(min=1, help="Communities.")] = 30,
    members: Annotated[int, typer.Option(min=1, help="Members per community.")] = 100,
    services: Annotated[int, typer.Option(min=1, help="Services per member.")] = 10,
    database_url: BenchDatabase = None,
) -> None:
    """Every scheduled sweep on synthetic data: first run, re-run, ratio, messages queued."""
    from bot.bench_sweeps import Sizes, bench, report

    _postgres_only(database_url)
    seeded, took, timings, fan_out = bench(Sizes(communities, members, services),
                                           ctx.obj.policy(), database_url)
    where = "postgresql (a schema of its own)" if database_url else "sqlite (a temporary file)"
    typer.echo(f"{where}: {communities} communities, {communities * members:,} members, "
               f"{communities * members * services:,} services; "
               f"{seeded:,} rows seeded in {took:.1f} s")
    for line in report(timings) + fan_out:
        typer.echo(line)


@bench_app.command("inbound")
def bench_inbound(
    ctx: typer.Context,
    messages: Annotated[int, typer.Option(min=1, help="Needs to time.")] = 1000,
    database_url: BenchDatabase = None,
) -> None:
    """Residents' needs through the unit of work: msg/s, statements each, raw insert rate."""
    from bot.bench_inbound import bench, report

    _postgres_only(database_url)
    for line in report(bench(ctx.obj.policy(), messages, database_url)):
        typer.echo(line)
