"""The deviation chart, drawn by matplotlib: SVG for HTML and PDF, PNG at 300 dpi for DOCX.

Imported only when a document has a chart (the whole report): matplotlib costs ~0.5 s.
Output is reproducible: fixed SVG id salt, no creation date, fonts drawn as paths.
"""

from __future__ import annotations

import io
from typing import Any

from reportgen.view import Chart

WIDTH_IN = 6.3  # 16 cm: the text width of an A4 page
POSITIVE, NEGATIVE = "#2c7a4b", "#b3261e"  # under budget green, over budget red (contrast ≥ 4.5)


def chart_svg(chart: Chart) -> str:
    """The chart as a standalone SVG document."""
    out = io.StringIO()
    _figure(chart).savefig(out, format="svg", metadata={"Date": None, "Creator": None})
    return out.getvalue()


def chart_png(chart: Chart) -> bytes:
    """The chart as PNG at print resolution."""
    out = io.BytesIO()
    _figure(chart).savefig(out, format="png", dpi=300, metadata={"Software": None})
    return out.getvalue()


def chart_width_cm() -> float:
    return WIDTH_IN * 2.54


def _figure(chart: Chart) -> Any:
    import matplotlib

    matplotlib.use("Agg")
    from matplotlib import rcParams
    from matplotlib.figure import Figure

    rcParams["svg.hashsalt"] = "reportgen"
    rcParams["svg.fonttype"] = "path"
    rcParams["font.size"] = 9
    rcParams["text.parse_math"] = False  # area names are text: `$x$` is not a formula
    bars = list(reversed(chart.bars))  # matplotlib draws bottom-up; read top-down
    height = 0.8 + 0.32 * len(bars)
    figure = Figure(figsize=(WIDTH_IN, height), layout="constrained")
    axes = figure.add_subplot()
    values = [float(b.value) for b in bars]
    colours = [POSITIVE if v >= 0 else NEGATIVE for v in values]
    axes.barh([b.label for b in bars], values, color=colours, height=0.6)
    span = max((abs(v) for v in values), default=1.0) or 1.0
    for y, (bar, value) in enumerate(zip(bars, values)):
        offset = span * 0.02 * (1 if value >= 0 else -1)
        axes.text(value + offset, y, bar.shown, va="center",
                  ha="left" if value >= 0 else "right", fontsize=8)
    axes.axvline(0, color="#1d1d1b", linewidth=0.8)
    axes.set_xlim(-span * 1.3, span * 1.3)
    axes.set_xlabel(chart.unit)
    axes.xaxis.set_major_formatter(
        matplotlib.ticker.FuncFormatter(lambda x, _: f"{x:g}".replace("-", "\u2212").replace(".", ","))
    )
    for side in ("top", "right"):
        axes.spines[side].set_visible(False)
    return figure
