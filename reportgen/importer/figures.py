"""The figures table's cells -> amounts in the YAML's `tall`, and the reading of amounts.

Only typed values are taken: the accounts, budgets and forecasts as the user wrote them
(Norwegian or plain number formats). The deviation columns and the sum row are computed at
render time; a changed one is noted and ignored. Amounts are compared as the table shows
them (rounded per unit), so an exact 4.24 shown as 4,2 stays 4.24.
Imports errors, present (DECIMALS), importer.common and importer.yamltext.
"""

from __future__ import annotations

import re
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation
from typing import Any

from reportgen.errors import InputError
from reportgen.importer.common import NOT_SHOWN, ImportedArea, ImportedTable
from reportgen.importer.yamltext import scalar

AMOUNTS = {1: "regnskap", 2: "budsjett", 4: "årsbudsjett", 5: "prognose"}  # column: key
ATTRIBUTES = {"regnskap": "accounts", "budsjett": "budget", "årsbudsjett": "annual_budget",
              "prognose": "forecast"}
COMPUTED = {3: ("budsjett", "regnskap"), 6: ("årsbudsjett", "prognose")}  # column: a − b


def merge_figures(status: Any, old: Any, imported: ImportedArea, notes: list[str]) -> bool:
    """Typed amounts and names from the table; computed cells and the sum row are ignored."""
    from ruamel.yaml.comments import CommentedMap, CommentedSeq

    table = imported.figures
    if table is None:
        if old is not None:
            notes.append("the figures table is not in the document; `tall` was removed")
            del status["tall"]
        return old is not None
    unit = old.unit if old is not None else (table.unit or "mill. kr")
    olds = list(old.rows) if old is not None else []
    maps = list(status["tall"]["rader"]) if old is not None else []
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
            entry["navn"] = scalar(cells[0], entry.get("navn"))
        for key, value in values.items():
            entry[key] = value
        changed |= bool(values) or before is None or before.name != cells[0]
        used.append(index)
        rows.append(entry)
    _check_sum(table, olds, unit, notes)
    if not rows or not (changed or used != list(range(len(olds)))):
        return False
    if old is None:
        status["tall"] = CommentedMap({"enhet": unit, "rader": rows})
    else:
        status["tall"]["rader"][:] = rows
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
    shown: dict[str, Decimal] = {}
    for column, key in AMOUNTS.items():
        parsed = parse_amount(cells[column])
        original = getattr(before, ATTRIBUTES[key]) if before is not None else None
        if parsed is None:
            what = "the YAML value was kept" if original is not None else "the row was " + NOT_SHOWN
            notes.append(f"{where}, column {table.header[column]!r}: {cells[column]!r} is not"
                         f" an amount; {what}")
            if original is None:
                return None
        elif original is None or parsed != _rounded(original, unit):
            values[key] = _yaml_number(parsed)
        shown[key] = original if before is not None else parsed
    for column, (plus, minus) in COMPUTED.items():  # as rendered, from the YAML's amounts
        if parse_amount(cells[column]) != _rounded(shown[plus] - shown[minus], unit):
            notes.append(f"{where}, column {table.header[column]!r}: computed; ignored")
    return values


def _check_sum(table: ImportedTable, olds: list[Any], unit: str, notes: list[str]) -> None:
    if table.sum_row is None:
        return
    columns = [[r.accounts, r.budget, r.deviation, r.annual_budget, r.forecast,
                r.forecast_deviation] for r in olds]
    sums = [sum(c, Decimal(0)) for c in zip(*columns)] if len(olds) > 1 else None
    shown = [parse_amount(c) for c in table.sum_row[1:]]
    if sums is None or shown != [_rounded(s, unit) for s in sums]:
        notes.append(f"{table.where}: the sum row is computed; ignored")


def parse_amount(text: str) -> Decimal | None:
    """'1 234,5', '−0,4', '1.234,5' or '1234.5' as a Decimal; None if it is not a number."""
    plain = re.sub(r"[\s\u00a0\u202f\u2009]", "", text).replace("\u2212", "-")
    plain = plain.replace("\u2013", "-")
    if "," in plain:
        plain = plain.replace(".", "").replace(",", ".")
    elif re.fullmatch(r"-?\d{1,3}(\.\d{3}){2,}", plain):
        plain = plain.replace(".", "")
    if not re.fullmatch(r"[-+]?\d+(\.\d+)?", plain):
        return None
    try:
        return Decimal(plain)
    except InvalidOperation:
        return None


def _rounded(value: Decimal, unit: str) -> Decimal:
    """As the table shows it: half up to one decimal (mill. kr) or none (1000 kr)."""
    from reportgen.present import DECIMALS

    return value.quantize(Decimal(1).scaleb(-DECIMALS[unit]), rounding=ROUND_HALF_UP)


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
