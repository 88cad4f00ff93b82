"""The figures table's cells -> amounts in the YAML's `tall`, and the reading of amounts.

Only typed values are taken: the accounts, budgets and forecasts as the user wrote them
(Norwegian or plain number formats). The deviation columns and the sum row are computed at
render time; a changed one is noted and ignored. Amounts are compared as the table shows
them (rounded per unit), so an exact 4.24 shown as 4,2 stays 4.24. The columns are those of
outline.FIGURE_COLUMNS, after the column of names; the numbers are read by present.numbers.
A typed amount with more digits than the input may hold (model.amount_fits) is noted and the
YAML's kept; an amount is written as the exact decimal it is, never through a float.
"""

from __future__ import annotations

import functools
import unicodedata
from collections import deque
from decimal import Decimal
from types import SimpleNamespace
from typing import Any

from reportgen.commands.importer.common import ImportedArea, ImportedTable, Unplaced
from reportgen.commands.importer.yamltext import scalar
from reportgen.messages import _
from reportgen.model import AMOUNT_DECIMALS, AMOUNT_UNITS, AMOUNT_WHOLE_DIGITS, DEFAULT_UNIT
from reportgen.outline import (
    FIGURE_COLUMNS,
    FIGURES,
    ROW_NAME_KEY,
    ROWS_KEY,
    UNIT_KEY,
    column_values,
)
from reportgen.present.numbers import convert, parse_amount, parse_number, round_amount


def merge_figures(status: Any, old: Any, imported: ImportedArea, notes: list[str]) -> bool:
    """Typed amounts and names from the table; computed cells and the sum row are ignored."""
    from ruamel.yaml.comments import CommentedMap, CommentedSeq

    table = imported.figures
    if table is None:
        if old is not None:
            notes.append(_("the figures table is not in the document; `{key}` was removed")
                         .format(key=FIGURES.name))
            del status[FIGURES.name]
        return old is not None
    unit = old.unit if old is not None else (table.unit or DEFAULT_UNIT)
    table = _in_unit(table, unit, notes)
    olds = list(old.rows) if old is not None else []
    maps = list(status[FIGURES.name][ROWS_KEY]) if old is not None else []
    unmatched = _OldRows(olds, {cells[0] for cells in table.rows})
    rows, used, changed = CommentedSeq(), [], False
    for number, cells in enumerate(table.rows):
        index = unmatched.match(cells[0], number)
        before = olds[index] if index is not None else None
        values = _row_values(cells, before, unit, table, notes)
        if values is None:
            continue
        entry = maps[index] if index is not None else CommentedMap()
        if before is None or before.name != cells[0]:
            entry[ROW_NAME_KEY] = scalar(cells[0], entry.get(ROW_NAME_KEY))
        for key, value in values.items():
            entry[_key_in(entry, key)] = value
        changed |= bool(values) or before is None or before.name != cells[0]
        used.append(index)
        unmatched.taken.add(index)
        rows.append(entry)
    _check_sum(table, olds, unit, notes)
    if not rows or not (changed or used != list(range(len(olds)))):
        return False
    if old is None:
        status[FIGURES.name] = CommentedMap({UNIT_KEY: unit, ROWS_KEY: rows})
    else:
        status[FIGURES.name][ROWS_KEY][:] = rows
    return True


def _in_unit(table: ImportedTable, unit: str, notes: list[str]) -> ImportedTable:
    """The table in the YAML's unit: converted, with a note, when the document's is another."""
    if not table.unit or table.unit == unit:
        return table
    notes.append(_("{place}: the table is in {table_unit}, `{key}` in {unit}; the amounts were"
                   " converted to {unit}").format(place=table.where, table_unit=table.unit,
                                                  key=FIGURES.name, unit=unit))
    return _converted(table, unit)


class _OldRows:
    """The YAML rows, found by name among those no table row has taken yet: a search through
    all of them for each row of the table took time cubic in the number of rows."""

    def __init__(self, olds: list[Any], names: set[str]) -> None:
        self.olds, self.names = olds, names  # the rows in the YAML, the names in the table
        self.taken: set[int | None] = set()
        self.by_name: dict[str, deque[int]] = {}  # each name's rows, in order
        for index, row in enumerate(olds):
            self.by_name.setdefault(row.name, deque()).append(index)

    def match(self, name: str, number: int) -> int | None:
        """The YAML row a table row stands for: the first untaken one of its name, else the
        one at its place if renamed."""
        first = self.by_name.get(name, deque())
        while first and first[0] in self.taken:  # taken rows stay taken
            first.popleft()
        if first:
            return first[0]
        if (number < len(self.olds) and number not in self.taken
                and self.olds[number].name not in self.names):
            return number
        return None


def _row_values(cells: tuple[str, ...], before: Any, unit: str, table: ImportedTable,
                notes: list[str]) -> dict[str, Any] | None:
    """The amounts that changed ({} if none); None when a new row has no valid amounts."""
    values: dict[str, Any] = {}
    shown: dict[str, Decimal] = {}  # typed amounts by attribute, as the YAML will give them
    for column, cell, heading in zip(FIGURE_COLUMNS, cells[1:], table.header[1:]):
        if not column.typed:
            continue
        parsed = parse_amount(cell)
        original = getattr(before, column.attribute) if before is not None else None
        if parsed is None:
            notes.append(_not_an_amount(table.where, cells[0], heading, cell, original is None))
            if original is None:
                return None
        elif original is None or parsed != round_amount(original, unit):
            values[column.key] = _yaml_number(parsed)
        shown[column.attribute] = original if before is not None else parsed
    row = SimpleNamespace(**shown)
    for number, (column, cell, heading) in enumerate(
            zip(FIGURE_COLUMNS, cells[1:], table.header[1:]), 1):
        if not column.typed and number not in table.missing \
                and _shown(parse_number(cell), unit) != round_amount(column.value(row), unit):
            notes.append(_("{place}: row {row!r}, column {column!r}: computed; ignored").format(
                place=table.where, row=cells[0], column=heading))
    return values


def _not_an_amount(place: str, row: str, column: str, cell: str, new: bool) -> str:
    """The note on a cell of a typed column that is not an amount the input may hold: the
    YAML's value is kept, or a `new` row is not imported."""
    if parse_number(cell) is None:
        note = _("{place}: row {row!r}, column {column!r}: {cell!r} is not an amount; the row"
                 " was not imported") if new else _(
            "{place}: row {row!r}, column {column!r}: {cell!r} is not an amount; the YAML value"
            " was kept")
    else:
        note = _("{place}: row {row!r}, column {column!r}: {cell!r} has more digits than an"
                 " amount may have (at most {whole} before the decimal comma and {decimals}"
                 " after); the row was not imported") if new else _(
            "{place}: row {row!r}, column {column!r}: {cell!r} has more digits than an amount"
            " may have (at most {whole} before the decimal comma and {decimals} after); the"
            " YAML value was kept")
    text = note.format(place=place, row=row, column=column, cell=cell,
                       whole=AMOUNT_WHOLE_DIGITS, decimals=AMOUNT_DECIMALS)
    return Unplaced(text) if new else text


def _check_sum(table: ImportedTable, olds: list[Any], unit: str, notes: list[str]) -> None:
    """A sum row that does not add up is noted (it is computed). Against the YAML's exact
    amounts; for a new table, against the document's, within their rounding."""
    if table.sum_row is None:
        return
    shown = [parse_number(c) for c in table.sum_row[1:]]
    if not olds:
        if not _adds_up(table, shown, unit):
            notes.append(_("{place}: the sum row does not add up; it is computed, and was"
                           " ignored").format(place=table.where))
        return
    columns = [column_values(r) for r in olds]
    sums = [sum(c, Decimal(0)) for c in zip(*columns)] if len(olds) > 1 else None
    if sums is None or [_shown(s, unit) for k, s in enumerate(shown, 1)
                        if k not in table.missing] != [
            round_amount(s, unit) for k, s in enumerate(sums, 1) if k not in table.missing]:
        notes.append(_("{place}: the sum row is computed; ignored").format(place=table.where))


def _adds_up(table: ImportedTable, shown: list[Decimal | None], unit: str) -> bool:
    """The document's sum row is the sum of its rows, give or take their rounding."""
    parsed = [[parse_amount(c) for c in row[1:]] for row in table.rows]
    typed = {c.attribute: k for k, c in enumerate(FIGURE_COLUMNS) if c.typed}
    if any(row[k] is None for row in parsed for k in typed.values()):
        return True  # rows that are not amounts are noted on their own
    sums = SimpleNamespace(**{a: sum((row[k] for row in parsed), Decimal(0))  # type: ignore[misc]
                              for a, k in typed.items()})
    slack = Decimal(1).scaleb(-AMOUNT_UNITS[unit].decimals) / 2 * len(parsed)
    for k, column in enumerate(FIGURE_COLUMNS):
        if k + 1 in table.missing:
            continue
        if shown[k] is None or abs(shown[k] - column.value(sums)) > slack:  # type: ignore[operator]
            return False
    return True


def _shown(value: Decimal | None, unit: str) -> Decimal | None:
    """An amount of the document as a table in `unit` shows it."""
    return None if value is None else round_amount(value, unit)


def _converted(table: ImportedTable, unit: str) -> ImportedTable:
    """The table with its amounts in another unit (exactly)."""
    from dataclasses import replace

    def cells(row: tuple[str, ...] | None) -> tuple[str, ...] | None:
        if row is None:
            return None
        amounts = [parse_amount(c) for c in row[1:]]
        return (row[0], *(c if a is None else format(convert(a, table.unit or unit, unit), "f")
                          for c, a in zip(row[1:], amounts)))

    return replace(table, rows=[cells(r) for r in table.rows], sum_row=cells(table.sum_row),
                   unit=unit)


def _key_in(entry: Any, key: str) -> str:
    """The entry's own spelling of a key: "årsbudsjett" may be saved with a combining ring."""
    return next((k for k in entry if unicodedata.normalize("NFC", str(k)) == key), key)


def _yaml_number(value: Decimal) -> int | Decimal:
    """An amount for ruamel: an int when written without decimals, else the exact Decimal
    (written by amount_representer), with at most AMOUNT_DECIMALS decimals: 1,23450 is 1.2345."""
    if value.as_tuple().exponent < -AMOUNT_DECIMALS:  # type: ignore[operator]
        value = value.quantize(Decimal(1).scaleb(-AMOUNT_DECIMALS))  # only zeros go
    text = format(value, "f")
    return int(text) if "." not in text else Decimal(text)


@functools.cache
def amount_representer() -> type:
    """ruamel's round-trip representer that writes a Decimal as the plain number it is."""
    from ruamel.yaml.representer import RoundTripRepresenter

    class AmountRepresenter(RoundTripRepresenter):  # type: ignore[misc]
        """Writes Decimals exactly (`1234.5`), where a float could not hold 19 digits."""

    AmountRepresenter.add_representer(Decimal, lambda representer, value: (
        representer.represent_scalar("tag:yaml.org,2002:float", format(value, "f"))))
    return AmountRepresenter
