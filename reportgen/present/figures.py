"""The figures tables of the view: an area's `tall`, and the overview of every area with its
chart. The columns come from outline.FIGURE_COLUMNS; the numbers from present.numbers.
"""

from __future__ import annotations

from decimal import Decimal

from reportgen.labels import fill, table_words
from reportgen.model import DEFAULT_UNIT, Area, Figures, Period
from reportgen.outline import CHART_COLUMN, FIGURE_COLUMNS, NAME_LABEL, column_values
from reportgen.present.numbers import convert, format_amount
from reportgen.view import Bar, Block, Chart, Heading, Table, TableRow


def figures_table(figures: Figures, period: Period, labels: dict[str, str], lang: str) -> Table:
    """Accounts, budgets and computed deviations, with a sum row when there are several rows."""
    rows = [(r.name, column_values(r)) for r in figures.rows]
    return _amounts_table("table_caption", rows, figures.unit, period, labels, lang)


def overview_blocks(areas: tuple[Area, ...], labels: dict[str, str], lang: str,
                    heading: Heading) -> list[Block]:
    """Every area's figures summed, in the default unit, and a chart of each area's deviation."""
    with_figures = [a for a in areas if a.content.economic_status.figures]
    if not with_figures:
        return []
    period = with_figures[0].period
    rows = []
    for area in with_figures:
        figures = area.content.economic_status.figures
        assert figures is not None
        sums = [convert(sum(column, Decimal(0)), figures.unit, DEFAULT_UNIT)
                for column in zip(*map(column_values, figures.rows))]
        rows.append((f"{area.code} {area.name}", sums))
    table = _amounts_table("overview_caption", rows, DEFAULT_UNIT, period, labels, lang)
    words = table_words(period.month_in(lang), period.year, DEFAULT_UNIT)
    bar = FIGURE_COLUMNS.index(CHART_COLUMN)
    chart = Chart(
        caption=fill(labels, "chart_caption", **words),
        alt=fill(labels, "chart_alt", **words),
        unit=DEFAULT_UNIT,
        bars=tuple(Bar(name, values[bar], format_amount(values[bar], DEFAULT_UNIT, lang))
                   for name, values in rows),
    )
    return [heading, table, chart]


def _amounts_table(caption: str, rows: list[tuple[str, list[Decimal]]], unit: str,
                   period: Period, labels: dict[str, str], lang: str) -> Table:
    words = table_words(period.month_in(lang), period.year, unit)
    header = tuple(fill(labels, k, **words)
                   for k in (NAME_LABEL, *(column.label for column in FIGURE_COLUMNS)))
    shown = [TableRow((name, *(format_amount(v, unit, lang) for v in values)))
             for name, values in rows]
    if len(rows) > 1:
        sums = [sum(column, Decimal(0)) for column in zip(*(values for _, values in rows))]
        shown.append(TableRow((fill(labels, "sum"), *(format_amount(v, unit, lang) for v in sums)),
                              True))
    return Table(
        caption=fill(labels, caption, **words),
        header=header,
        rows=tuple(shown),
        note=fill(labels, "table_note", **words),
    )
