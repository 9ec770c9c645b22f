"""Drawing the weekly digest's chart with matplotlib off-screen; run as a child process.

Chinese needs a CJK font: the one the mplfonts package ships is registered by file, so the
chart renders the same on any machine, with no system fonts installed.
``python -m handlers.chart_drawing`` reads a JSON list of charts on stdin and draws each.
"""

from __future__ import annotations

import json
import sys
from collections.abc import Sequence
from functools import cache
from importlib.resources import files
from pathlib import Path

import matplotlib

matplotlib.use("Agg")  # no display on a server; must precede any drawing

from matplotlib import font_manager
from matplotlib.figure import Figure
from matplotlib.ticker import MaxNLocator

from handlers.texts import t

FONT_FILE = files("mplfonts") / "fonts" / "NotoSansCJKsc-Regular.otf"


@cache
def cjk_font() -> str:
    """Register the shipped CJK font once; returns the family name to draw with."""
    path = str(FONT_FILE)
    font_manager.fontManager.addfont(path)
    return font_manager.FontProperties(fname=path).get_name()


def draw_weekly_chart(path: Path, title: str, days: Sequence[str], filed: Sequence[int],
                 closed: Sequence[int]) -> Path:
    """A PNG bar chart of orders filed and closed on each day of a week; returns its path."""
    path.parent.mkdir(parents=True, exist_ok=True)
    # The font goes on each text rather than into rcParams: those are global, and two charts
    # may be drawn at once on different threads.
    font = font_manager.FontProperties(family=cjk_font())
    figure = Figure(figsize=(6.4, 3.6), dpi=120)
    axes = figure.subplots()
    positions = range(len(days))
    axes.bar([x - 0.2 for x in positions], filed, width=0.4, label=t("chart_filed"),
             color="#c0392b")
    axes.bar([x + 0.2 for x in positions], closed, width=0.4, label=t("chart_closed"),
             color="#2980b9")
    axes.set_xticks(list(positions), list(days), fontproperties=font)
    axes.yaxis.set_major_locator(MaxNLocator(integer=True))
    axes.set_title(title, fontproperties=font_manager.FontProperties(family=cjk_font(),
                                                                      size="large"))
    axes.legend(prop=font)
    figure.tight_layout()
    figure.savefig(path, format="png")
    return path


if __name__ == "__main__":
    for chart in json.loads(sys.stdin.read()):
        draw_weekly_chart(Path(chart.pop("path")), **chart)
