"""The figures tables of the view: an area's `tall`, and the overview of every area with its
chart. The columns come from outline.FIGURE_COLUMNS; the numbers from present.numbers.
"""

from __future__ import annotations

from decimal import Decimal

from reportgen.labels import fill, table_words
from reportgen.model import DEFAULT_UNIT, Area, Figures, Period
from reportgen.outline import CHART_COLUMN, FIGURE_COLUMNS, NAME_LABEL, column_values
from reportgen.present.numbers import convert, format_amount, round_amount
from reportgen.present.typography import typeset
from reportgen.view import Bar, Block, Chart, Heading, Paragraph, Span, Table, TableRow


def figures_table(figures: Figures, period: Period, labels: dict[str, str], lang: str,
                  sign_rule: bool = True) -> Table:
    """Accounts, budgets and computed deviations, with a sum row when there are several rows.
    Its note states the sign rule unless the document has a reading guide (`sign_rule`)."""
    rows = [(r.name, column_values(r)) for r in figures.rows]
    return _amounts_table("table_caption", rows, figures.unit, period, labels, lang, sign_rule)


def table_note(labels: dict[str, str], unit: str, sign_rule: bool, sum_note: bool) -> str:
    """The note under a table: its unit, the sign rule (where the document has no reading
    guide) and, where the rounded rows do not add up to the sum shown, that sums are of the
    exact amounts."""
    parts = [fill(labels, "unit_note", unit=unit)]
    parts += [fill(labels, "sign_rule")] if sign_rule else []
    parts += [fill(labels, "sum_note")] if sum_note else []
    return typeset(" ".join(parts))


def overview_blocks(areas: tuple[Area, ...], labels: dict[str, str], lang: str,
                    heading: Heading) -> list[Block]:
    """The overview: a reading guide (the sign rule, once for the whole report), every area's
    figures summed in the default unit, the areas without figures named, and a chart of each
    area's deviation."""
    with_figures = [a for a in areas if a.content.economic_status.figures]
    if not with_figures:
        return []
    guide = Paragraph((Span(typeset(fill(labels, "reading_guide"))),))
    period = with_figures[0].period
    rows = []
    for area in with_figures:
        figures = area.content.economic_status.figures
        assert figures is not None
        sums = [convert(sum(column, Decimal(0)), figures.unit, DEFAULT_UNIT)
                for column in zip(*map(column_values, figures.rows))]
        rows.append((f"{area.code} {area.name}", sums))
    table = _amounts_table("overview_caption", rows, DEFAULT_UNIT, period, labels, lang, False)
    words = table_words(period.month_in(lang), period.year, DEFAULT_UNIT)
    bar = FIGURE_COLUMNS.index(CHART_COLUMN)
    chart = Chart(
        caption=fill(labels, "chart_caption", **words),
        alt=fill(labels, "chart_alt", **words),
        unit=DEFAULT_UNIT,
        bars=tuple(Bar(name, values[bar], format_amount(values[bar], DEFAULT_UNIT, lang))
                   for name, values in rows),
    )
    return [heading, guide, table, *_without_figures(areas, labels), chart]


def _without_figures(areas: tuple[Area, ...], labels: dict[str, str]) -> list[Block]:
    """A sentence naming the areas the overview leaves out because they have no figures."""
    names = [f"{a.code} {a.name}" for a in areas if not a.content.economic_status.figures]
    if not names:
        return []
    key = "overview_without_one" if len(names) == 1 else "overview_without_many"
    return [Paragraph((Span(typeset(labels[key].format(areas="; ".join(names)))),))]


def _amounts_table(caption: str, rows: list[tuple[str, list[Decimal]]], unit: str,
                   period: Period, labels: dict[str, str], lang: str, sign_rule: bool) -> Table:
    words = table_words(period.month_in(lang), period.year, unit)
    header = tuple(fill(labels, k, **words)
                   for k in (NAME_LABEL, *(column.label for column in FIGURE_COLUMNS)))
    shown = [TableRow((typeset(name), *(format_amount(v, unit, lang) for v in values)))
             for name, values in rows]
    if len(rows) > 1:
        sums = [sum(column, Decimal(0)) for column in zip(*(values for _, values in rows))]
        shown.append(TableRow((fill(labels, "sum"), *(format_amount(v, unit, lang) for v in sums)),
                              True))
    return Table(
        caption=typeset(fill(labels, caption, **words)),
        header=header,
        rows=tuple(shown),
        note=table_note(labels, unit, sign_rule, len(rows) > 1 and _sums_differ(rows, unit)),
    )


def _sums_differ(rows: list[tuple[str, list[Decimal]]], unit: str) -> bool:
    """Whether a sum as shown differs from the sum of the rounded amounts shown above it."""
    for column in zip(*(values for _, values in rows)):
        shown = sum((round_amount(v, unit) for v in column), Decimal(0))
        if round_amount(sum(column, Decimal(0)), unit) != shown:
            return True
    return False
