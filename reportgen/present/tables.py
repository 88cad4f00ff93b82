"""The tables of `tabeller:` and their charts, as view blocks: cells formatted by column type,
a sum row over the amount and number columns, a caption with the unit, the note.

Part of stage 3 (present). A table is placed where a text says `[[tabell ID]]`, its chart
where it says `[[diagram ID]]`; validate has checked the rows and the ids.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from reportgen.labels import fill
from reportgen.model import AMOUNT_UNITS, NUMBER_TYPES, TableColumn, TableInput
from reportgen.present.numbers import NO_BREAK_SPACE, format_date, format_rounded
from reportgen.view import Series, SeriesChart, Table, TableRow

DEFAULT_DECIMALS = {"prosent": 1, "tall": 0}  # beløp follows the table's unit
SUMMED = ("beløp", "tall")  # the column types a sum row adds up
PERCENT = f"{NO_BREAK_SPACE}%"


def table_view(table: TableInput, labels: dict[str, str], lang: str) -> Table:
    """A table of `tabeller:` as the view's Table."""
    rows = [TableRow(tuple(_cell(v, c, table, lang) for v, c in zip(row, table.columns)))
            for row in table.rows]
    if table.sum and table.rows:
        rows.append(TableRow(tuple(_sum_cell(i, c, table, labels, lang)
                                   for i, c in enumerate(table.columns)), True))
    return Table(
        caption=caption(table),
        header=tuple(c.name for c in table.columns),
        rows=tuple(rows),
        note=table.note or "",
        numeric=tuple(c.type in NUMBER_TYPES for c in table.columns),
    )


def chart_view(table: TableInput, labels: dict[str, str]) -> SeriesChart:
    """The table's chart: the first text column is the axis, each number column a series."""
    axis = next((i for i, c in enumerate(table.columns) if c.type == "tekst"), None)
    categories = tuple(str(row[axis]) if axis is not None and row[axis] is not None else ""
                       for row in table.rows)
    series = tuple(
        Series(column.name, tuple(_number(row[i]) for row in table.rows))
        for i, column in enumerate(table.columns) if column.type in NUMBER_TYPES)
    percent = all(c.type == "prosent" for c in table.columns if c.type in NUMBER_TYPES)
    unit = table.unit or ("%" if percent else "")
    assert table.chart is not None  # validate refuses [[diagram …]] of a table without one
    return SeriesChart(
        caption=caption(table),
        alt=fill(labels, "table_chart_alt", title=table.title),
        unit=unit,
        style=table.chart,
        categories=categories,
        series=series,
    )


def caption(table: TableInput) -> str:
    """The caption: the title, and the unit when the table has one."""
    return f"{table.title} ({table.unit})" if table.unit else table.title


def _decimals(column: TableColumn, table: TableInput) -> int:
    if column.decimals is not None:
        return column.decimals
    if column.type == "beløp":
        unit = AMOUNT_UNITS.get(table.unit or "")
        return unit.decimals if unit else 0
    return DEFAULT_DECIMALS.get(column.type, 0)


def _cell(value: object, column: TableColumn, table: TableInput, lang: str) -> str:
    if value is None:
        return ""
    if column.type in NUMBER_TYPES:
        shown = format_rounded(Decimal(value), _decimals(column, table), lang)  # type: ignore[arg-type]
        return shown + PERCENT if column.type == "prosent" else shown
    if column.type == "dato":
        date = value if isinstance(value, dt.date) else dt.date.fromisoformat(str(value))
        return format_date(date, lang)
    return str(value)


def _sum_cell(index: int, column: TableColumn, table: TableInput, labels: dict[str, str],
              lang: str) -> str:
    if index == 0:
        return fill(labels, "sum")
    if column.type not in SUMMED:
        return ""
    total = sum((Decimal(row[index]) for row in table.rows if row[index] is not None),  # type: ignore[arg-type]
                Decimal(0))
    return format_rounded(total, _decimals(column, table), lang)


def _number(value: object) -> Decimal | None:
    return Decimal(value) if isinstance(value, (int, Decimal)) else None  # type: ignore[arg-type]
