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
    CHAR_WIDTH,
    FONT_FAMILY,
    GRID,
    MUTED,
    NARROW_TEXT,
    NARROW_WIDTH,
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


@dataclass(frozen=True)
class Sizes:
    """The chart's width and its texts' sizes, in points (or CSS px for a screen)."""

    width: float
    left: float  # room for the y ticks' labels
    label: float  # the categories' names
    tick: float
    legend: float


PRINT = Sizes(WIDTH, LEFT, LABEL_SIZE, TICK_SIZE, LEGEND_SIZE)
# A phone's chart (HTML only), shown 288 to 384 CSS px wide: every text 12 to 16 px.
NARROW = Sizes(NARROW_WIDTH, 40.0, NARROW_TEXT, NARROW_TEXT, NARROW_TEXT)


@lru_cache(maxsize=16)
def series_layout(chart: SeriesChart, sizes: Sizes = PRINT) -> SeriesLayout:
    """Where everything goes."""
    values = [v for s in chart.series for v in s.values if v is not None]
    low, high = min([Decimal(0), *values]), max([Decimal(0), *values])
    step = _nice(max(high - low, Decimal(1)) / 4)
    top_value, bottom_value = _ceil_to(high, step) if high > 0 else Decimal(0), \
        -_ceil_to(-low, step) if low < 0 else Decimal(0)
    plot_left, plot_right = sizes.left, sizes.width - RIGHT
    bottom = TOP + PLOT_HEIGHT

    def y_of(value: Decimal) -> float:
        span = top_value - bottom_value or Decimal(1)
        return round(bottom - float((value - bottom_value) / span) * PLOT_HEIGHT, 2)

    shapes: list[Shape] = []
    tick = bottom_value
    while tick <= top_value:
        y = y_of(tick)
        shapes.append(Line(plot_left, y, plot_right, y, GRID if tick else MUTED, 0.5))
        shapes.append(Text(plot_left - 4, round(y + 0.32 * sizes.tick, 2), format_plain(tick),
                           sizes.tick, "end", MUTED))
        tick += step
    groups = max(len(chart.categories), 1)
    group = (plot_right - plot_left) / groups
    row = CATEGORY_ROW  # the first baseline below the plot, and the rows' pitch
    lines = 1
    for index, name in enumerate(chart.categories):
        centre = round(plot_left + group * (index + 0.5), 2)
        wrapped = [_one_line(name)] if sizes == PRINT else _wrap(_one_line(name), group,
                                                                 sizes.label)
        row = max(CATEGORY_ROW, sizes.label * 1.2)
        lines = max(lines, len(wrapped))
        for line, text in enumerate(wrapped):
            shapes.append(Text(centre, round(bottom + row * (line + 1), 2), text, sizes.label,
                               "middle"))
    shapes += (_bars if chart.style == "søyle" else _lines)(chart, plot_left, group, y_of)
    height = bottom + row * lines + 6
    if chart.unit:
        shapes.append(Text(plot_left - 4, TOP - 10, _one_line(chart.unit), sizes.tick, "end",
                           MUTED))
    if len(chart.series) > 1:
        legend, rows = _legend(chart, plot_left, height + sizes.legend, sizes)
        shapes += legend
        height += (LEGEND_ROW - LEGEND_SIZE + sizes.legend) * rows + 4
    return SeriesLayout(sizes.width, round(height, 2), chart.caption, chart.alt, FONT_FAMILY,
                        tuple(shapes))


def _wrap(text: str, width: float, size: float) -> list[str]:
    """Words in lines no wider than `width` (by the generous estimate of chart.CHAR_WIDTH);
    a word longer than that stands on a line of its own."""
    lines: list[str] = []
    for word in text.split(" "):
        if lines and len(lines[-1] + " " + word) * CHAR_WIDTH * size <= width:
            lines[-1] += " " + word
        else:
            lines.append(word)
    return lines or [text]


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


def _legend(chart: SeriesChart, left: float, baseline: float,
            sizes: Sizes) -> tuple[list[Shape], int]:
    """The legend's shapes and its number of rows: a new row where the next entry would not
    fit in a narrow chart."""
    shapes: list[Shape] = []
    x, rows = left, 1
    for s, series in enumerate(chart.series):
        name = _one_line(series.name)
        wide = 11 + len(name) * CHAR_WIDTH * sizes.legend
        if sizes != PRINT and x > left and x + wide > sizes.width:
            x, rows = left, rows + 1
            baseline += LEGEND_ROW - LEGEND_SIZE + sizes.legend
        shapes.append(Rect(round(x, 2), round(baseline - 7, 2), 8, 8, COLOURS[s % len(COLOURS)]))
        shapes.append(Text(round(x + 11, 2), round(baseline, 2), name, sizes.legend, "start"))
        x += wide + 14
    return shapes, rows


def series_png(chart: SeriesChart, fonts: Path) -> bytes:
    """The chart as PNG at 300 dpi, as the DOCX shows it."""
    layout = series_layout(chart)
    return draw_png(layout.width, layout.height, list(layout.shapes), fonts)
