"""Chart images for the weekly digest, drawn in a child process.

matplotlib's native code (FreeType, Agg) crashed a long-running, database-heavy bot with a
segmentation fault (seen with ``whistle bench sweeps`` at 30 communities, never in a fresh
process). Drawing in a child costs a process start-up a week; a crash there loses the
charts, never the bot and its channels.
"""

from __future__ import annotations

import json
import subprocess
import sys
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

CHART_SECONDS = 60
DRAW = [sys.executable, "-m", "handlers.reports.chart_drawing"]


class ChartError(Exception):
    """The chart could not be drawn (the drawing process failed or took too long)."""


@dataclass(frozen=True)
class WeeklyChart:
    """One week's bar chart: orders filed and closed on each day."""

    path: Path
    title: str
    days: Sequence[str]
    filed: Sequence[int]
    closed: Sequence[int]


def draw(charts: Sequence[WeeklyChart]) -> None:
    """Draw every chart in one child process (one start-up for a whole district's digest).

    Raises:
        ChartError: The drawing process failed, crashed or timed out.
    """
    if not charts:
        return
    data = [{"path": str(c.path), "title": c.title, "days": list(c.days),
             "filed": list(c.filed), "closed": list(c.closed)} for c in charts]
    try:
        subprocess.run(DRAW, input=json.dumps(data, ensure_ascii=False), text=True,
                       capture_output=True, check=True, timeout=CHART_SECONDS)
    except (subprocess.SubprocessError, OSError) as error:
        raise ChartError(f"{len(charts)} charts were not drawn: {error}") from error
