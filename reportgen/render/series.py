"""The chart of a table (`diagram: søyle | linje`): one geometry, drawn twice, like chart.py.

`series_layout` places every shape once, in points: vertical bars grouped per category, or a
line per series with a marker at each value; a y axis with 1-2-5 ticks through zero; the
categories under the plot; a legend when there is more than one series. The HTML renderer
writes it as SVG through templates/html/series.svg.j2; `series_png` draws it with Pillow.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from functools import lru_cache
from pathlib import Path

from reportgen.present.numbers import format_plain
from reportgen.render.chart import (
    FONT_FAMILY,
    GRID,
    MUTED,
    WIDTH,
    Line,
    Rect,
    Shape,
    Text,
    _ceil_to,
    _nice,
    _one_line,
    draw_png,
)
from reportgen.view import SeriesChart

# Colours of the series, in order: each has a contrast of at least 3:1 against white.
COLOURS = ("#1f5a96", "#c2571a", "#2c7a4b", "#7a3e9d", "#8a6d00", "#3d3d3d")
LEFT, RIGHT, TOP = 48.0, 8.0, 20.0  # room for the y ticks' labels and the unit above them
PLOT_HEIGHT = 150.0
LABEL_SIZE, TICK_SIZE, LEGEND_SIZE = 8.5, 8.0, 8.5
CATEGORY_ROW = 12.0  # below the plot, for the categories' names
LEGEND_ROW = 14.0
MARKER = 4.0


@dataclass(frozen=True)
class SeriesLayout:
    """The chart in points, from the top left corner; shapes in drawing order."""

    width: float
    height: float
    caption: str
    alt: str
    font_family: str
    shapes: tuple[Shape, ...]


@lru_cache(maxsize=16)
def series_layout(chart: SeriesChart) -> SeriesLayout:
    """Where everything goes."""
    values = [v for s in chart.series for v in s.values if v is not None]
    low, high = min([Decimal(0), *values]), max([Decimal(0), *values])
    step = _nice(max(high - low, Decimal(1)) / 4)
    top_value, bottom_value = _ceil_to(high, step) if high > 0 else Decimal(0), \
        -_ceil_to(-low, step) if low < 0 else Decimal(0)
    plot_left, plot_right = LEFT, WIDTH - RIGHT
    bottom = TOP + PLOT_HEIGHT

    def y_of(value: Decimal) -> float:
        span = top_value - bottom_value or Decimal(1)
        return round(bottom - float((value - bottom_value) / span) * PLOT_HEIGHT, 2)

    shapes: list[Shape] = []
    tick = bottom_value
    while tick <= top_value:
        y = y_of(tick)
        shapes.append(Line(plot_left, y, plot_right, y, GRID if tick else MUTED, 0.5))
        shapes.append(Text(plot_left - 4, round(y + 0.32 * TICK_SIZE, 2), format_plain(tick),
                           TICK_SIZE, "end", MUTED))
        tick += step
    groups = max(len(chart.categories), 1)
    group = (plot_right - plot_left) / groups
    for index, name in enumerate(chart.categories):
        centre = round(plot_left + group * (index + 0.5), 2)
        shapes.append(Text(centre, round(bottom + CATEGORY_ROW, 2), _one_line(name),
                           LABEL_SIZE, "middle"))
    shapes += (_bars if chart.style == "søyle" else _lines)(chart, plot_left, group, y_of)
    height = bottom + CATEGORY_ROW + 6
    if chart.unit:
        shapes.append(Text(plot_left - 4, TOP - 10, _one_line(chart.unit), TICK_SIZE, "end",
                           MUTED))
    if len(chart.series) > 1:
        shapes += _legend(chart, plot_left, height + LEGEND_SIZE)
        height += LEGEND_ROW + 4
    return SeriesLayout(WIDTH, round(height, 2), chart.caption, chart.alt, FONT_FAMILY,
                        tuple(shapes))


def _bars(chart: SeriesChart, left: float, group: float, y_of: object) -> list[Shape]:
    count = len(chart.series)
    width = group * 0.7 / count
    shapes: list[Shape] = []
    for s, series in enumerate(chart.series):
        for index, value in enumerate(series.values):
            if value is None:
                continue
            x = left + group * index + group * 0.15 + width * s
            top, base = y_of(value), y_of(Decimal(0))  # type: ignore[operator]
            shapes.append(Rect(round(x, 2), min(top, base), round(width, 2),
                               round(abs(base - top), 2), COLOURS[s % len(COLOURS)]))
    return shapes


def _lines(chart: SeriesChart, left: float, group: float, y_of: object) -> list[Shape]:
    shapes: list[Shape] = []
    for s, series in enumerate(chart.series):
        colour = COLOURS[s % len(COLOURS)]
        points = [(round(left + group * (i + 0.5), 2), y_of(v))  # type: ignore[operator]
                  for i, v in enumerate(series.values) if v is not None]
        shapes += [Line(x1, y1, x2, y2, colour, 1.5)
                   for (x1, y1), (x2, y2) in zip(points, points[1:])]
        shapes += [Rect(round(x - MARKER / 2, 2), round(y - MARKER / 2, 2), MARKER, MARKER,
                        colour) for x, y in points]
    return shapes


def _legend(chart: SeriesChart, left: float, baseline: float) -> list[Shape]:
    shapes: list[Shape] = []
    x = left
    for s, series in enumerate(chart.series):
        shapes.append(Rect(round(x, 2), round(baseline - 7, 2), 8, 8, COLOURS[s % len(COLOURS)]))
        name = _one_line(series.name)
        shapes.append(Text(round(x + 11, 2), round(baseline, 2), name, LEGEND_SIZE, "start"))
        x += 11 + len(name) * 0.55 * LEGEND_SIZE + 14
    return shapes


def series_png(chart: SeriesChart, fonts: Path) -> bytes:
    """The chart as PNG at 300 dpi, as the DOCX shows it."""
    layout = series_layout(chart)
    return draw_png(layout.width, layout.height, list(layout.shapes), fonts)
