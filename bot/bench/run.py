"""`whistle bench --scale`: build the city, time every path in one run, one JSON object.

The order: the classifier (no database), the city seeded, residents' needs through the unit
of work against raw inserts and commits, a whistle fanned out to one duty's members across
the city, then every sweep twice at its moment (bot/bench/timers.py) while needs keep coming
in from another thread and the process's memory is watched.
"""

from __future__ import annotations

import bisect
import json
import subprocess
import sys
import tempfile
import time
from dataclasses import replace
from pathlib import Path
from typing import Any

from sqlalchemy.engine import Engine

from bot.bench import paths
from bot.bench.city import SCALES, Scale, seed
from bot.bench.timers import MONDAY, Timing, WriteLocks, time_fanout, time_sweeps
from bot.bench_inbound import BURST, interleaved, raw_driver, raw_sqlite, warm_up
from handlers.rules.policy import Policy
from storage.scratch import scratch_database

STEPS = ("classify", "seed", "inbound", "fan-out", "sweeps")
QUOTA = ("quota_nudges", "quota_warnings")


class Bar:
    """A progress bar on stderr, drawn only when stderr is a terminal."""

    def __init__(self) -> None:
        self.shown = sys.stderr.isatty()

    def __call__(self, step: str, done: float = 0.0) -> None:
        if not self.shown:
            return
        index = STEPS.index(step)
        share = (index + done) / len(STEPS)
        filled = int(30 * share)
        sys.stderr.write(f"\r[{'#' * filled}{'.' * (30 - filled)}] {share:4.0%} {step:<8}")
        sys.stderr.flush()

    def close(self) -> None:
        """Clear the line for the result."""
        if self.shown:
            sys.stderr.write("\r" + " " * 60 + "\r")
            sys.stderr.flush()


def run(scale_name: str, policy: Policy, url: str | None, texts: tuple[str, ...],
        messages: int = 300) -> dict[str, Any]:
    """Every path at one scale, on a scratch database (a temporary SQLite file, or a
    schema of its own on the PostgreSQL ``url``, both removed afterwards).

    Raises:
        ValueError: ``url`` is not a PostgreSQL URL.
    """
    scale, bar, started = SCALES[scale_name], Bar(), time.perf_counter()
    bar("classify")
    per_s, vs_jieba = _classify_apart(texts, 20 if scale_name == "tiny" else 200)
    result: dict[str, Any] = {"scale": scale.name, "classify_per_s": round(per_s),
                              "classify_vs_jieba": _round(vs_jieba, 2)}
    with tempfile.TemporaryDirectory(prefix="whistle-bench-") as media, \
            scratch_database(url) as engine:
        policy = replace(policy, media_dir=Path(media))
        result["database"] = engine.dialect.name
        seeding = time.perf_counter()
        rows = seed(engine, scale, lambda done, total: bar("seed", done / total))
        result |= {"communities": scale.communities, "members": scale.members,
                   "rows_seeded": rows, "seed_s": round(time.perf_counter() - seeding, 1)}
        bar("inbound")
        result |= _inbound(engine, policy, scale, messages if scale.name != "tiny" else 30)
        bar("fan-out")
        seconds, queued = time_fanout(engine, policy)
        result |= {"fanout_members": queued, "fanout_60k_s": round(seconds, 3)}
        bar("sweeps")
        result |= _sweeps(engine, policy, scale, bar)
    bar.close()
    result["total_s"] = round(time.perf_counter() - started, 1)
    return result


def _classify_apart(texts: tuple[str, ...], repeat: int) -> tuple[float, float | None]:
    """``paths.classify_rates`` in a child process, so that jieba's dictionary (and the
    lexicons' warm-up) stay out of this process's memory, whose peak is measured."""
    code = ("import json, sys; from bot.bench.paths import classify_rates; "
            "texts, repeat = json.load(sys.stdin); "
            "print(json.dumps(classify_rates(texts, repeat)))")
    done = subprocess.run([sys.executable, "-c", code], input=json.dumps([texts, repeat]),
                          capture_output=True, text=True, check=True)
    per_s, vs_jieba = json.loads(done.stdout)
    return per_s, vs_jieba


def _inbound(engine: Engine, policy: Policy, scale: Scale, messages: int) -> dict[str, Any]:
    """Needs through the unit of work (after a warm-up), against raw insert+commit: in
    bursts of ``BURST`` (the ``inbound_`` keys) and one by one (``inbound_single_``)."""
    warm_up()
    paths.run_needs(engine, policy, MONDAY, range(20), scale.communities)
    paths.run_needs(engine, policy, MONDAY, range(20, 20 + BURST), scale.communities, BURST)
    single, bursts = interleaved(
        lambda first, count, burst: paths.run_needs(
            engine, policy, MONDAY, range(first, first + count), scale.communities, burst),
        20 + BURST, messages)
    sqlite = raw_sqlite(messages)
    raw = sqlite if engine.dialect.name == "sqlite" else raw_driver(engine, messages)
    result: dict[str, Any] = {"inbound_burst": BURST}
    for prefix, (took, sent, _cpu) in (("inbound", bursts), ("inbound_single", single)):
        per_s = messages / took
        result |= {f"{prefix}_per_s": round(per_s, 1),
                   f"{prefix}_vs_raw_sqlite": round(per_s / sqlite, 3),
                   f"{prefix}_vs_raw_same_db": round(per_s / raw, 3),
                   f"{prefix}_statements_per_msg": round(sent / messages, 1)}
    return result


def _sweeps(engine: Engine, policy: Policy, scale: Scale, bar: Bar) -> dict[str, Any]:
    """Every sweep twice at its moment, with needs coming in and memory watched."""
    began: list[float] = []  # perf_counter when each sweep began

    def progress(done: int, total: int) -> None:
        began.append(time.perf_counter())
        bar("sweeps", done / total)

    with WriteLocks(engine) as locks, paths.Memory() as memory, \
            paths.inbound_meanwhile(engine, policy, MONDAY, 100_000,
                                    scale.communities) as inbound:
        timings = time_sweeps(engine, policy, progress, locks)
    named = {t.name: t for t in timings}
    slowest = max(range(len(inbound.latencies)), key=inbound.latencies.__getitem__, default=None)
    during = (None if slowest is None else
              timings[max(0, bisect.bisect(began, inbound.started[slowest]) - 1)].name)
    return {
        "quota_sweep_s": round(max(named[n].first for n in QUOTA), 3),
        "quota_rerun_s": round(max(named[n].again for n in QUOTA), 3),
        "boards_s": round(named["boards_refresh"].first, 3),
        "points_no_show_s": round(named["points_no_show"].first, 3),
        "longest_write_lock_ms": round(max(t.longest_write_ms for t in timings), 1),
        "longest_write_lock_sweep": max(timings, key=lambda t: t.longest_write_ms).name,
        "inbound_during_sweeps": len(inbound.latencies),
        "inbound_lost_during_sweeps": inbound.failures,
        "inbound_errors_during_sweeps": sorted(set(inbound.errors))[:3],
        "inbound_p99_during_sweeps_ms": round(paths.percentile(inbound.latencies, 0.99), 1),
        "inbound_max_during_sweeps_ms": round(max(inbound.latencies, default=0.0), 1),
        "inbound_max_during_sweep": during,
        "peak_rss_mb": round(memory.peak_mb, 1),
        "sweeps": {t.name: _timing(t) for t in timings},
    }


def _timing(timing: Timing) -> dict[str, Any]:
    return {"first_s": round(timing.first, 3), "rerun_s": round(timing.again, 3),
            "lock_ms": round(timing.longest_write_ms, 1),
            "queued": [timing.first_queued, timing.again_queued]}


def _round(value: float | None, digits: int) -> float | None:
    return None if value is None else round(value, digits)
