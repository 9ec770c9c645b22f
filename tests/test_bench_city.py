"""`whistle bench --scale`: the city benchmark runs end to end and reports every path.

A smoke test on the tiny city: the JSON has every key with a sane value. No timing
thresholds (speed is what the benchmark itself reports).
"""

from __future__ import annotations

import json

from typer.testing import CliRunner

from bot.bench.city import SCALES, City
from bot.cli import app

KEYS = ("scale", "database", "classify_per_s", "classify_vs_jieba", "inbound_per_s",
        "inbound_vs_raw_sqlite", "inbound_statements_per_msg", "inbound_single_per_s",
        "inbound_single_vs_raw_sqlite", "inbound_single_statements_per_msg", "fanout_60k_s",
        "quota_sweep_s", "quota_rerun_s", "boards_s", "longest_write_lock_ms",
        "inbound_p99_during_sweeps_ms", "peak_rss_mb")


def test_the_tiny_city_reports_every_path(tmp_path) -> None:
    env = {"WHISTLE_DATABASE_URL": f"sqlite:///{tmp_path / 'unused.db'}",
           "WHISTLE_MEDIA_DIR": str(tmp_path / "media")}
    result = CliRunner().invoke(app, ["bench", "--scale", "tiny", "--json"], env=env)
    assert result.exit_code == 0, result.output
    report = json.loads(result.output.strip().splitlines()[-1])
    assert [key for key in KEYS if key not in report] == []
    assert (report["scale"], report["database"]) == ("tiny", "sqlite")
    assert report["fanout_members"] == SCALES["tiny"].members  # one duty: everybody
    assert report["inbound_lost_during_sweeps"] == 0
    assert report["inbound_during_sweeps"] > 0
    assert report["inbound_statements_per_msg"] > 0
    assert report["peak_rss_mb"] > 0
    for name, sweep in report["sweeps"].items():
        assert (name, sweep["queued"][1]) == (name, 0)  # a re-run sends nothing twice
    assert report["sweeps"]["quota_warnings"]["queued"][0] > 0


def test_a_city_shares_members_and_units_out_to_every_community() -> None:
    city = City(SCALES["shaoguan"])
    sizes = [len(city.members(c)) for c in range(1, 296)]
    units = [len(city.units(c)) for c in range(1, 296)]
    assert (sum(sizes), sum(units)) == (60_000, 1_795)
    assert max(sizes) - min(sizes) == 1
