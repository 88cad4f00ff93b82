"""The figures table's cells -> amounts in the YAML's `tall`, and the reading of amounts.

Only typed values are taken: the accounts, budgets and forecasts as the user wrote them
(Norwegian or plain number formats). The deviation columns and the sum row are computed at
render time; a changed one is noted and ignored. Amounts are compared as the table shows
them (rounded per unit), so an exact 4.24 shown as 4,2 stays 4.24. The columns are those of
outline.FIGURE_COLUMNS, after the column of names; the numbers are read by present.numbers.
"""

from __future__ import annotations

from decimal import Decimal
from types import SimpleNamespace
from typing import Any

from reportgen.commands.importer.common import NOT_SHOWN, ImportedArea, ImportedTable
from reportgen.commands.importer.yamltext import scalar
from reportgen.errors import InputError
from reportgen.model import DEFAULT_UNIT
from reportgen.outline import (
    FIGURE_COLUMNS,
    FIGURES,
    ROW_NAME_KEY,
    ROWS_KEY,
    UNIT_KEY,
    column_values,
)
from reportgen.present.numbers import parse_amount, round_amount


def merge_figures(status: Any, old: Any, imported: ImportedArea, notes: list[str]) -> bool:
    """Typed amounts and names from the table; computed cells and the sum row are ignored."""
    from ruamel.yaml.comments import CommentedMap, CommentedSeq

    table = imported.figures
    if table is None:
        if old is not None:
            notes.append(f"the figures table is not in the document; `{FIGURES.name}` was"
                         " removed")
            del status[FIGURES.name]
        return old is not None
    unit = old.unit if old is not None else (table.unit or DEFAULT_UNIT)
    olds = list(old.rows) if old is not None else []
    maps = list(status[FIGURES.name][ROWS_KEY]) if old is not None else []
    names = {cells[0] for cells in table.rows}
    rows, used, changed = CommentedSeq(), [], False
    for number, cells in enumerate(table.rows):
        index = _match_row(cells[0], number, olds, used, names)
        before = olds[index] if index is not None else None
        values = _row_values(cells, before, unit, table, notes)
        if values is None:
            continue
        entry = maps[index] if index is not None else CommentedMap()
        if before is None or before.name != cells[0]:
            entry[ROW_NAME_KEY] = scalar(cells[0], entry.get(ROW_NAME_KEY))
        for key, value in values.items():
            entry[key] = value
        changed |= bool(values) or before is None or before.name != cells[0]
        used.append(index)
        rows.append(entry)
    _check_sum(table, olds, unit, notes)
    if not rows or not (changed or used != list(range(len(olds)))):
        return False
    if old is None:
        status[FIGURES.name] = CommentedMap({UNIT_KEY: unit, ROWS_KEY: rows})
    else:
        status[FIGURES.name][ROWS_KEY][:] = rows
    return True


def _match_row(name: str, number: int, olds: list[Any], used: list[int | None],
               names: set[str]) -> int | None:
    """The YAML row a table row stands for: by its name, else by its place if renamed."""
    for index, row in enumerate(olds):
        if index not in used and row.name == name:
            return index
    if number < len(olds) and number not in used and olds[number].name not in names:
        return number
    return None


def _row_values(cells: tuple[str, ...], before: Any, unit: str, table: ImportedTable,
                notes: list[str]) -> dict[str, Any] | None:
    """The amounts that changed ({} if none); None when a new row has no valid amounts."""
    where = f"{table.where}: row {cells[0]!r}"
    values: dict[str, Any] = {}
    shown: dict[str, Decimal] = {}  # typed amounts by attribute, as the YAML will give them
    for column, cell, heading in zip(FIGURE_COLUMNS, cells[1:], table.header[1:]):
        if not column.typed:
            continue
        parsed = parse_amount(cell)
        original = getattr(before, column.attribute) if before is not None else None
        if parsed is None:
            what = "the YAML value was kept" if original is not None else "the row was " + NOT_SHOWN
            notes.append(f"{where}, column {heading!r}: {cell!r} is not an amount; {what}")
            if original is None:
                return None
        elif original is None or parsed != round_amount(original, unit):
            values[column.key] = _yaml_number(parsed)
        shown[column.attribute] = original if before is not None else parsed
    row = SimpleNamespace(**shown)
    for column, cell, heading in zip(FIGURE_COLUMNS, cells[1:], table.header[1:]):
        if not column.typed and parse_amount(cell) != round_amount(column.value(row), unit):
            notes.append(f"{where}, column {heading!r}: computed; ignored")
    return values


def _check_sum(table: ImportedTable, olds: list[Any], unit: str, notes: list[str]) -> None:
    if table.sum_row is None:
        return
    columns = [column_values(r) for r in olds]
    sums = [sum(c, Decimal(0)) for c in zip(*columns)] if len(olds) > 1 else None
    shown = [parse_amount(c) for c in table.sum_row[1:]]
    if sums is None or shown != [round_amount(s, unit) for s in sums]:
        notes.append(f"{table.where}: the sum row is computed; ignored")


def _yaml_number(value: Decimal) -> int | float:
    """An amount for ruamel: an int when written without decimals, else a float whose
    shortest form (what YAML gets) is exactly the decimal typed."""
    text = format(value, "f")
    if "." not in text:
        return int(text)
    number = float(text)
    if Decimal(repr(number)) != value:
        raise InputError(f"the amount {text} has more digits than the input can hold exactly",
                         hint="round it to a few decimals in the document")
    return number
