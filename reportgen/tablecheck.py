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
from reportgen.model import NUMBER_TYPES, TableInput
from reportgen.outline import TABLES_KEY, alias
from reportgen.view import Placement
from reportgen.yamlsource import SourceFile, dotted, yaml_kind


def table_problems(tables: dict[str, Any], texts: Any,
                   source: SourceFile) -> list[ReportgenError]:
    """Rows of the wrong length or with a value of the wrong kind; placements of unknown ids."""
    problems: list[ReportgenError] = []
    key = TABLES_KEY
    for ref, table in tables.items():
        raw_rows = source.data[key][ref].get(alias(TableInput, "rows")) or []
        for i, row in enumerate(raw_rows):
            where = (key, ref, alias(TableInput, "rows"), i)
            if len(row) != len(table.columns):
                problems.append(InputError(
                    f"{dotted(where)}: the row has {len(row)} value(s), the table has"
                    f" {len(table.columns)} column(s)", location=source.location(where),
                    hint="write one value per column, in the columns' order; leave a cell"
                    " empty with null"))
                continue
            for j, (value, column) in enumerate(zip(row, table.columns)):
                problem = _cell_problem(value, column.type)
                if problem:
                    problems.append(InputError(
                        f"{dotted((*where, j))}: {problem} in the column {column.name!r}"
                        f" ({column.type})", location=source.location((*where, j)),
                        hint=CELL_HINTS[column.type]))
    for path, text in texts:
        for block in parse_blocks(text, 1):
            if isinstance(block, Placement) and block.ref not in tables:
                known = ", ".join(tables) or "none"
                problems.append(InputError(
                    f"{dotted(path)}: [[{block.what} {block.ref}]] names no table (line"
                    f" {block.line} of the text)", location=source.location(path),
                    hint=f"define it under `{key}:` in this file (the tables here: {known})"))
            elif isinstance(block, Placement) and block.what == "diagram" \
                    and tables[block.ref].chart is None:
                problems.append(InputError(
                    f"{dotted(path)}: [[diagram {block.ref}]] but the table has no"
                    f" `{alias(TableInput, 'chart')}:`", location=source.location(path),
                    hint="add `diagram: søyle` or `diagram: linje` to the table"))
    return problems


CELL_HINTS = {
    "tekst": "write text (in quotes if it looks like a number or a date)",
    "beløp": "write the amount as a number with a dot for decimals, such as 1250.5",
    "prosent": "write the percentage as a number, such as 2.1 for 2,1 %",
    "tall": "write a number, such as 161",
    "dato": "write the date as YYYY-MM-DD, such as 2017-05-23",
}


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
        return f"YAML read {str(value).lower()!r} as yes/no"
    if kind in NUMBER_TYPES and not isinstance(value, (int, Decimal)):
        return f"{yaml_kind(value)} is not a number"
    if kind == "dato" and not isinstance(value, dt.date) and not _iso_date(value):
        return f"{yaml_kind(value)} is not a date"
    return None
