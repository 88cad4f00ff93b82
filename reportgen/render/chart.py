"""The deviation chart: one geometry, drawn twice.

`chart_layout` places every bar, line and text once, in points, format-neutral. The HTML
renderer writes it as SVG through templates/html/chart.svg.j2 (real text, for HTML and PDF);
`chart_png` draws it with Pillow at 300 dpi for DOCX, in the documents' own font (Carlito).

No text is measured: the area names sit right-aligned in a label column of fixed width, and
the x range leaves room at each bar's end for its value from a generous estimate of its width.
"""

from __future__ import annotations

import io
import re
from dataclasses import dataclass
from decimal import ROUND_CEILING, Decimal
from functools import lru_cache
from pathlib import Path
from typing import TYPE_CHECKING, Any, Literal

from reportgen import project
from reportgen.errors import SourceLocation, TemplateError
from reportgen.messages import _
from reportgen.present.numbers import format_plain
from reportgen.project import CHART_FONTS
from reportgen.view import Chart

if TYPE_CHECKING:
    from PIL import ImageFont

WIDTH_CM = 16.0  # the text width of an A4 page
WIDTH = 453.5  # pt, = 16 cm
DPI = 300
POSITIVE, NEGATIVE = "#2c7a4b", "#b3261e"  # under budget green, over budget red (contrast ≥ 4.5)
INK, MUTED, GRID = "#1d1d1b", "#4d4d4d", "#d9d9d9"
FONT_FAMILY = "Carlito, Calibri, sans-serif"
FONT_FILES = {bold: Path(path).name for bold, path in zip((False, True), CHART_FONTS)}
FONT_SIGNATURES = (b"\x00\x01\x00\x00", b"OTTO", b"true", b"ttcf")  # a font file's first bytes

LABEL_COLUMN = WIDTH * 0.38  # area names end 8 pt before it; the plot begins at it
LABEL_GAP = 8.0
RIGHT_MARGIN = 16.0  # room for half of the last tick label
TOP = 4.0
ROW = 20.0  # pitch of the bars
BAR = 12.0  # thickness of a bar
LABEL_SIZE, VALUE_SIZE, TICK_SIZE, UNIT_SIZE = 9.0, 8.5, 8.0, 8.5
VALUE_GAP = 3.0  # between a bar's end and its value
BASELINE = 0.32  # of the font size: a baseline this far below a line's centre centres digits
CHAR_WIDTH = 0.55  # of the font size: wider than any character of a formatted amount in Carlito
MAX_TICKS = 6  # per side of zero


@dataclass(frozen=True)
class Rect:
    """A filled rectangle; (x, y) is its top left corner."""

    x: float
    y: float
    width: float
    height: float
    fill: str


@dataclass(frozen=True)
class Line:
    """A straight line from (x1, y1) to (x2, y2)."""

    x1: float
    y1: float
    x2: float
    y2: float
    stroke: str
    width: float


@dataclass(frozen=True)
class Text:
    """One line of text; (x, y) is the start, middle or end of its baseline."""

    x: float
    y: float
    text: str
    size: float
    anchor: Literal["start", "middle", "end"]
    fill: str = INK
    bold: bool = False


@dataclass(frozen=True)
class BarShape:
    """One bar of the chart: its label, its rectangle and its value."""

    label: Text  # the area's name
    rect: Rect
    value: Text  # the amount as in the table, outside the bar's end


@dataclass(frozen=True)
class Layout:
    """The chart in points, from the top left corner; y grows downwards."""

    width: float
    height: float
    caption: str
    alt: str
    font_family: str
    grid: tuple[Line, ...]  # a light vertical line at every tick but zero
    bars: tuple[BarShape, ...]  # top to bottom, in the view's order
    zero: Line
    axis: Line
    ticks: tuple[Line, ...]
    tick_labels: tuple[Text, ...]
    unit: Text


@lru_cache(maxsize=4)
def chart_layout(chart: Chart) -> Layout:
    """Where everything goes: a symmetric x range with 1-2-5 ticks, one row per bar."""
    plot_left, plot_right = LABEL_COLUMN, WIDTH - RIGHT_MARGIN
    half = (plot_right - plot_left) / 2
    zero_x = plot_left + half
    step, limit = _x_range(chart, half)

    def x_of(value: Decimal) -> float:
        return zero_x + float(value / limit) * half

    bars = []
    for i, bar in enumerate(chart.bars):
        centre = TOP + ROW * (i + 0.5)
        end = x_of(bar.value)
        positive = bar.value >= 0
        bars.append(BarShape(
            label=Text(_r(plot_left - LABEL_GAP), _r(centre + BASELINE * LABEL_SIZE),
                       _one_line(bar.label), LABEL_SIZE, "end"),
            rect=Rect(_r(min(zero_x, end)), _r(centre - BAR / 2), _r(abs(end - zero_x)), BAR,
                      POSITIVE if positive else NEGATIVE),
            value=Text(_r(end + VALUE_GAP if positive else end - VALUE_GAP),
                       _r(centre + BASELINE * VALUE_SIZE), bar.shown, VALUE_SIZE,
                       "start" if positive else "end"),
        ))
    axis_y = TOP + ROW * len(chart.bars) + 2
    count = int(limit / step)
    values = [step * k for k in range(-count, count + 1)]
    tick_labels = tuple(Text(_r(x_of(v)), _r(axis_y + 4 + TICK_SIZE), format_plain(v), TICK_SIZE,
                             "middle", MUTED) for v in values)
    return Layout(
        width=WIDTH,
        height=_r(axis_y + 4 + TICK_SIZE + 6 + UNIT_SIZE + 4),
        caption=chart.caption,
        alt=chart.alt,
        font_family=FONT_FAMILY,
        bars=tuple(bars),
        **_axis_lines([_r(x_of(v)) for v in values], values, zero_x, (plot_left, plot_right),
                      axis_y),
        tick_labels=tick_labels,
        unit=Text(_r(zero_x), _r(axis_y + 4 + TICK_SIZE + 6 + UNIT_SIZE), _one_line(chart.unit),
                  UNIT_SIZE, "middle", MUTED),
    )


# A phone's chart (HTML only): drawn to be shown 288 to 384 CSS px wide, so that its smallest
# text is 12 to 16 px; each area's name stands above its bar, the bars use the whole width.
NARROW_WIDTH = 288.0
NARROW_TEXT = 12.0
NARROW_SIDE = 14.0  # room for half a tick label at each end
NARROW_ROW = NARROW_TEXT + 3 + BAR + 9  # a name, the bar under it, the gap to the next


@lru_cache(maxsize=4)
def narrow_chart_layout(chart: Chart) -> Layout:
    """The chart for a narrow screen: every text NARROW_TEXT high at the width it is drawn."""
    plot_left, plot_right = NARROW_SIDE, NARROW_WIDTH - NARROW_SIDE
    half = (plot_right - plot_left) / 2
    zero_x = plot_left + half
    step, limit = _x_range(chart, half, NARROW_TEXT, NARROW_TEXT, max_ticks=3)

    def x_of(value: Decimal) -> float:
        return zero_x + float(value / limit) * half

    bars = []
    for i, bar in enumerate(chart.bars):
        label_y = TOP + NARROW_ROW * i + NARROW_TEXT
        centre = label_y + 3 + BAR / 2
        end = x_of(bar.value)
        positive = bar.value >= 0
        bars.append(BarShape(
            label=Text(plot_left, _r(label_y), _one_line(bar.label), NARROW_TEXT, "start"),
            rect=Rect(_r(min(zero_x, end)), _r(centre - BAR / 2), _r(abs(end - zero_x)), BAR,
                      POSITIVE if positive else NEGATIVE),
            value=Text(_r(end + VALUE_GAP if positive else end - VALUE_GAP),
                       _r(centre + BASELINE * NARROW_TEXT), bar.shown, NARROW_TEXT,
                       "start" if positive else "end"),
        ))
    axis_y = TOP + NARROW_ROW * len(chart.bars)
    count = int(limit / step)
    values = [step * k for k in range(-count, count + 1)]
    tick_y = axis_y + 4 + NARROW_TEXT
    return Layout(
        width=NARROW_WIDTH,
        height=_r(tick_y + 6 + NARROW_TEXT + 4),
        caption=chart.caption,
        alt=chart.alt,
        font_family=FONT_FAMILY,
        bars=tuple(bars),
        **_axis_lines([_r(x_of(v)) for v in values], values, zero_x, (plot_left, plot_right),
                      axis_y),
        tick_labels=tuple(Text(_r(x_of(v)), _r(tick_y), format_plain(v), NARROW_TEXT, "middle",
                               MUTED) for v in values),
        unit=Text(_r(zero_x), _r(tick_y + 6 + NARROW_TEXT), _one_line(chart.unit), NARROW_TEXT,
                  "middle", MUTED),
    )


def _x_range(chart: Chart, half: float, tick_size: float = TICK_SIZE,
             value_size: float = VALUE_SIZE, max_ticks: int = MAX_TICKS,
             ) -> tuple[Decimal, Decimal]:
    """The tick step and the limit (a multiple of it): each bar's value fits outside its end,
    within the range. About four ticks a side, at most `max_ticks`, and never closer than
    their labels are wide."""
    largest = max((abs(b.value) for b in chart.bars), default=Decimal(0)) or Decimal(1)
    step = _nice(largest / 4)
    limit = _ceil_to(largest, step)
    for _try in range(100):  # a value too long to fit anywhere must not widen the range forever
        ticks = limit / step
        widest = max(len(format_plain(-limit)), len(format_plain(-step)))
        if ticks > max_ticks or half / float(ticks) < widest * CHAR_WIDTH * tick_size + 6:
            step = _nice(step * Decimal("1.000001"))  # the next 1-2-5 step
            limit = _ceil_to(limit, step)
            continue
        if all(float(abs(b.value) / limit) * half + VALUE_GAP
               + len(b.shown) * CHAR_WIDTH * value_size <= half for b in chart.bars):
            break
        limit += step
    return step, limit


def _nice(raw: Decimal) -> Decimal:
    """The smallest of 1, 2, 5 times a power of ten that is at least raw (> 0)."""
    base = Decimal(1).scaleb(raw.adjusted())
    return next(f * base for f in (1, 2, 5, 10) if f * base >= raw)


def _ceil_to(value: Decimal, step: Decimal) -> Decimal:
    return max((value / step).to_integral_value(rounding=ROUND_CEILING), Decimal(1)) * step


def _axis_lines(xs: list[float], values: list[Decimal], zero_x: float,
                plot: tuple[float, float], axis_y: float) -> dict[str, Any]:
    """The grid, zero line, axis and ticks of a bar chart whose tick values are drawn at `xs`."""
    return {
        "grid": tuple(Line(x, TOP, x, _r(axis_y), GRID, 0.5)
                      for x, v in zip(xs, values) if v != 0),
        "zero": Line(_r(zero_x), TOP, _r(zero_x), _r(axis_y + 3), INK, 1.0),
        "axis": Line(_r(plot[0]), _r(axis_y), _r(plot[1]), _r(axis_y), MUTED, 0.5),
        "ticks": tuple(Line(x, _r(axis_y), x, _r(axis_y + 3), MUTED, 0.5) for x in xs),
    }


def _r(x: float) -> float:
    return round(x, 2)


# --- PNG --------------------------------------------------------------------------------------

def chart_png(chart: Chart, fonts: Path) -> bytes:
    """The chart as PNG at 300 dpi, 16 cm wide, in Carlito from the fonts folder. The same
    chart and Pillow give the same bytes: no text chunks, no time."""
    layout = chart_layout(chart)
    shapes: list[Shape] = [*layout.grid]
    for bar in layout.bars:
        shapes += [bar.label, bar.rect, bar.value]
    shapes += [layout.axis, layout.zero, *layout.ticks, *layout.tick_labels, layout.unit]
    return draw_png(layout.width, layout.height, shapes, fonts)


Shape = Line | Rect | Text


def draw_png(width: float, height: float, shapes: list[Shape], fonts: Path) -> bytes:
    """Shapes in points, drawn in order on white at 300 dpi with Pillow, in Carlito."""
    from PIL import Image, ImageDraw

    scale = DPI / 72
    image = Image.new("RGB", (round(width * scale), round(height * scale)), "white")
    draw = ImageDraw.Draw(image)
    loaded: dict[tuple[bool, float], ImageFont.FreeTypeFont] = {}

    def px(x: float) -> int:
        return round(x * scale)

    def line(each: Line) -> None:
        thickness = max(1, px(each.width))
        if each.x1 == each.x2:  # vertical: a rectangle centred on x, exactly that thick
            left = px(each.x1) - thickness // 2
            draw.rectangle((left, px(each.y1), left + thickness - 1, px(each.y2) - 1),
                           fill=each.stroke)
        elif each.y1 == each.y2:
            top = px(each.y1) - thickness // 2
            draw.rectangle((px(each.x1), top, px(each.x2) - 1, top + thickness - 1),
                           fill=each.stroke)
        else:  # a line chart's segment
            draw.line((px(each.x1), px(each.y1), px(each.x2), px(each.y2)), fill=each.stroke,
                      width=thickness)

    def text(each: Text) -> None:
        key = (each.bold, each.size)
        if key not in loaded:
            loaded[key] = _font(fonts / FONT_FILES[each.bold], round(each.size * scale))
        anchor = {"start": "ls", "middle": "ms", "end": "rs"}[each.anchor]
        # Carlito has no glyph for the no-break space in amounts; browsers and WeasyPrint
        # draw a space for it, and so does this.
        draw.text((each.x * scale, each.y * scale), each.text.replace("\u00a0", " "),
                  fill=each.fill, font=loaded[key], anchor=anchor)

    for shape in shapes:
        if isinstance(shape, Line):
            line(shape)
        elif isinstance(shape, Text):
            text(shape)
        elif px(shape.x + shape.width) > px(shape.x) and px(shape.y + shape.height) > px(shape.y):
            draw.rectangle((px(shape.x), px(shape.y), px(shape.x + shape.width) - 1,
                            px(shape.y + shape.height) - 1), fill=shape.fill)
    out = io.BytesIO()
    image.save(out, "PNG", optimize=False, dpi=(DPI, DPI))
    return out.getvalue()


def check_fonts(fonts: Path) -> None:
    """The chart's fonts are in the fonts folder, as TrueType or OpenType files (read by
    their first bytes: Pillow is not loaded); TemplateError where not."""
    for name in FONT_FILES.values():
        try:
            with (fonts / name).open("rb") as file:
                start = file.read(4)
        except OSError:
            start = b""
        if start not in FONT_SIGNATURES:
            raise _font_error(fonts / name)


def _font(path: Path, size: int) -> ImageFont.FreeTypeFont:
    """A font of the templates folder at a size in whole pixels (Pillow 10.0 takes no others),
    laid out the same with or without libraqm; TemplateError when it cannot be read."""
    from PIL import ImageFont

    if not project.exists(path):
        raise _font_error(path)
    project.check_file(path, error=TemplateError)  # a named pipe would hang FreeType
    try:
        return ImageFont.truetype(str(path), size, layout_engine=ImageFont.Layout.BASIC)
    except OSError as exc:
        raise _font_error(path) from exc


def _font_error(path: Path) -> TemplateError:
    return TemplateError(
        _("cannot read the font for the chart"), location=SourceLocation(str(path)),
        hint=_("the templates folder needs fonts/{regular} and fonts/{bold} (Carlito, which"
               " comes with reportgen)").format(regular=FONT_FILES[False], bold=FONT_FILES[True]))


def _one_line(text: str) -> str:
    """A name on one line: tabs and line breaks as spaces (Pillow would break the line there,
    SVG would drop them); every other character as written."""
    return re.sub("[\t\n\r]", " ", text)
