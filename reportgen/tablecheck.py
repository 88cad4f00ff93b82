"""Part of stage 2, validate: the tables of `tabeller:` against their columns, and the
`[[tabell ID]]` and `[[diagram ID]]` lines of the texts against the tables the file defines.

Imports errors, markup, model, outline, view and yamlsource; validate calls it once the model
has read the file.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

from reportgen.errors import InputError, ReportgenError
from reportgen.markup import parse_blocks
from reportgen.messages import _
from reportgen.model import NUMBER_TYPES, TableInput
from reportgen.outline import TABLES_KEY, alias
from reportgen.view import Placement
from reportgen.yamlsource import SourceFile, dotted, yaml_kind


def table_problems(tables: dict[str, Any], texts: Any,
                   source: SourceFile) -> list[ReportgenError]:
    """Rows of the wrong length or with a value of the wrong kind; placements of unknown ids."""
    problems: list[ReportgenError] = [
        p for ref, table in tables.items() for p in _row_problems(ref, table, source)]
    key = TABLES_KEY
    for path, text in texts:
        for block in parse_blocks(text, 1):
            if isinstance(block, Placement) and block.ref not in tables:
                problems.append(InputError(
                    _("{key}: [[{what} {ref}]] names no table (line {line} of the text)").format(
                        key=dotted(path), what=block.what, ref=block.ref, line=block.line),
                    location=source.location(path),
                    hint=_("define it under `{key}:` in this file (the tables here: {tables})"
                           ).format(key=key, tables=", ".join(tables)) if tables else
                    _("define it under `{key}:` in this file (the tables here: none)").format(
                        key=key)))
            elif isinstance(block, Placement) and block.what == "diagram" \
                    and tables[block.ref].chart is None:
                problems.append(InputError(
                    _("{key}: [[diagram {ref}]] but the table has no `{chart}:`").format(
                        key=dotted(path), ref=block.ref, chart=alias(TableInput, "chart")),
                    location=source.location(path),
                    hint=_("add `diagram: søyle` or `diagram: linje` to the table")))
    return problems


def _row_problems(ref: str, table: Any, source: SourceFile) -> list[ReportgenError]:
    """The rows of one table of the wrong length, and the cells of the wrong kind."""
    problems: list[ReportgenError] = []
    raw_rows = source.data[TABLES_KEY][ref].get(alias(TableInput, "rows")) or []
    for i, row in enumerate(raw_rows):
        where = (TABLES_KEY, ref, alias(TableInput, "rows"), i)
        if len(row) != len(table.columns):
            problems.append(InputError(
                _("{key}: the row has {values} value(s), the table has {columns}"
                  " column(s)").format(key=dotted(where), values=len(row),
                                       columns=len(table.columns)),
                location=source.location(where),
                hint=_("write one value per column, in the columns' order; leave a cell"
                       " empty with null")))
            continue
        for j, (value, column) in enumerate(zip(row, table.columns)):
            problem = _cell_problem(value, column.type)
            if problem:
                problems.append(InputError(
                    _("{key}: {problem} in the column {column!r} ({type})").format(
                        key=dotted((*where, j)), problem=problem, column=column.name,
                        type=column.type), location=source.location((*where, j)),
                    hint=_cell_hint(column.type)))
    return problems


def _cell_hint(kind: str) -> str:
    """What a cell of a column of this type holds (model.ColumnInput's types)."""
    return {
        "tekst": _("write text (in quotes if it looks like a number or a date)"),
        "beløp": _("write the amount as a number with a dot for decimals, such as 1250.5"),
        "prosent": _("write the percentage as a number, such as 2.1 for 2,1 %"),
        "tall": _("write a number, such as 161"),
        "dato": _("write the date as YYYY-MM-DD, such as 2017-05-23"),
    }[kind]


def _iso_date(value: Any) -> bool:
    """A text that is a date as YYYY-MM-DD (quoted in the YAML)."""
    try:
        return isinstance(value, str) and bool(dt.date.fromisoformat(value))
    except ValueError:
        return False


def _cell_problem(value: Any, kind: str) -> str | None:
    """What is wrong with a table cell's value for its column type (None: nothing)."""
    if value is None:
        return None
    if isinstance(value, bool):
        return _("YAML read {value!r} as yes/no").format(value=str(value).lower())
    if kind in NUMBER_TYPES and not isinstance(value, (int, Decimal)):
        return _("{value} is not a number").format(value=yaml_kind(value))
    if kind == "dato" and not isinstance(value, dt.date) and not _iso_date(value):
        return _("{value} is not a date").format(value=yaml_kind(value))
    return None
