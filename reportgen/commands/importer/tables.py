"""The document's tables (other than the figures table) into `tabeller:`; placements resolved.

The reader placed each table as `[[tabell ?N]]` and each chart as `[[diagram ?N]]`. Here a
table is matched to a table the YAML already has by its caption as reportgen shows it (its
title and unit): it keeps its id, and its rows are updated when the document's cells differ
(read by the columns' types). A table the YAML does not have becomes a new one: its caption
is the title, a column whose every cell is a number is a number column (`prosent` when
each ends in %), with the decimals the document shows; a last row named "Sum" that adds up
becomes `sum: true`. A chart is matched to a table with `diagram:` by its caption; a
picture that matches none is noted. Imports present (the captions and cells as shown).
"""

from __future__ import annotations

import re
from decimal import Decimal
from typing import Any

from reportgen.commands.importer.common import (
    PLACEHOLDER_REF,
    ImportedGrid,
    Unplaced,
)
from reportgen.commands.importer.detect import Vocabulary, date_in, is_sum
from reportgen.messages import _
from reportgen.model import NUMBER_TYPES, TableColumn, TableInput
from reportgen.outline import alias
from reportgen.present.numbers import parse_amount
from reportgen.present.tables import DEFAULT_DECIMALS, caption, table_view

KEYS = {name: alias(TableInput, name) for name in ("title", "columns", "rows", "sum", "note")}
COLUMN_KEYS = {name: alias(TableColumn, name) for name in ("name", "type", "decimals")}
PLACED = re.compile(r"\[\[(tabell|diagram) " + re.escape(PLACEHOLDER_REF) + r"(\d+)\]\]")
YEAR = re.compile(r"(19|20)\d\d")


def resolve(grids: list[ImportedGrid], charts: list[tuple[str, str]], tables: Any,
            existing: dict[str, TableInput], labels: dict[str, str], lang: str,
            vocab: Vocabulary, notes: list[str], fresh: set[str] | None = None) -> tuple[
                dict[str, dict[int, str | None]], bool]:
    """The id of each grid and chart (None: a chart no table has); new tables and changed
    rows are put into `tables` (the YAML's `tabeller:` mapping), and their ids into `fresh`.
    Whether `tables` changed."""
    ids: dict[str, dict[int, str | None]] = {"tabell": {}, "diagram": {}}
    changed = False
    fresh = set() if fresh is None else fresh
    for index, grid in enumerate(grids):
        found = next((ref for ref, table in existing.items()
                      if caption(table) == (grid.caption or "")), None)
        if found is None:
            found = _unique(_slug(grid.caption or "tabell"), {*existing, *tables})
            tables[found] = new_table(grid, index, vocab, notes)
            changed = True
            fresh.add(found)
        elif _differs(grid, existing[found], labels, lang) and _update(
                tables[found], grid, existing[found], notes):
            changed = True
            fresh.add(found)
        ids["tabell"][index] = found
    for index, (shown, place) in enumerate(charts):
        ref = next((r for r, t in existing.items() if t.chart and caption(t) == shown), None)
        if ref is None:
            notes.append(Unplaced(_("{place}: a picture (its caption {caption!r}); not"
                                    " imported").format(place=place, caption=shown)))
        ids["diagram"][index] = ref
    return ids, changed


def place(text: str, ids: dict[str, dict[int, str | None]]) -> str:
    """A text with its `[[tabell ?N]]` lines given their ids (a chart without one removed)."""
    def named(match: re.Match[str]) -> str:
        ref = ids[match.group(1)].get(int(match.group(2)))
        return f"[[{match.group(1)} {ref}]]" if ref else ""

    chunks = [PLACED.sub(named, chunk) for chunk in text.split("\n\n")]
    return "\n\n".join(c for c in chunks if c.strip())


def _slug(text: str) -> str:
    text = re.sub(r"^tabell\s*\d+\s*[:.]?\s*", "", text.casefold())
    words = re.findall(r"\w+", text)[:4]
    return "-".join(words) or "tabell"


def _unique(ref: str, taken: set[str]) -> str:
    candidate, n = ref, 1
    while candidate in taken:
        n += 1
        candidate = f"{ref}-{n}"
    return candidate


def _differs(grid: ImportedGrid, table: TableInput, labels: dict[str, str], lang: str) -> bool:
    view = table_view(table, labels, lang)
    shown = [r.cells for r in view.rows]
    return view.header != grid.header or [tuple(r) for r in shown] != grid.rows


def _update(entry: Any, grid: ImportedGrid, table: TableInput, notes: list[str]) -> bool:
    """New rows for a table the YAML has, read by its columns' types (the sum row left
    out); a table whose headings changed, or a cell that is not of its column's type, is
    noted and the YAML's table kept."""
    names = tuple(c.name for c in table.columns)
    rows = grid.rows[:-1] if table.sum and grid.rows else grid.rows
    if grid.header != names:
        notes.append(Unplaced(_("{place}: the table {caption!r} has other column headings than"
                                " in the YAML; table headings are not imported; the YAML's"
                                " table was kept").format(place=grid.where,
                                                          caption=grid.caption)))
        return False
    values = [[_typed(cell, column) for cell, column in zip(row, table.columns)] for row in rows]
    if any(v is _WRONG for row in values for v in row):
        notes.append(_("{place}: a cell of the table {caption!r} is not of its column's type;"
                       " the YAML's table was kept").format(place=grid.where,
                                                            caption=grid.caption))
        return False
    _set_rows(entry, values)
    return True


def _set_rows(entry: Any, values: list[list[Any]]) -> None:
    """The rows changed cell by cell, so that the YAML's quoting and comments stay."""
    rows = entry.get(KEYS["rows"])
    if rows is None:
        entry[KEYS["rows"]] = _rows(values)
        return
    fresh = _rows(values)
    for i, row in enumerate(values):
        if i >= len(rows) or len(rows[i]) != len(row):
            rows[i:i + 1] = [fresh[i]]
            continue
        for j, value in enumerate(row):
            if not _equal(rows[i][j], value):
                rows[i][j] = value
    del rows[len(values):]


def _equal(old: Any, new: Any) -> bool:
    if isinstance(new, Decimal) and old is not None and not isinstance(old, str):
        return Decimal(str(old)) == new
    return str(old) == str(new) if old is not None and new is not None else old is new


_WRONG = object()


def _typed(text: str, column: TableColumn) -> Any:
    """A cell's text as the value of a column of its type."""
    if not text.strip():
        return None
    if column.type in NUMBER_TYPES:
        number = parse_amount(text.replace("%", ""))
        return _WRONG if number is None else number
    if column.type == "dato":
        return date_in(text) or _WRONG
    return text


def new_table(grid: ImportedGrid, index: int, vocab: Vocabulary, notes: list[str]) -> Any:
    """A table of `tabeller:` made from the document's cells."""
    from ruamel.yaml.comments import CommentedMap, CommentedSeq

    title = grid.caption
    if not title:
        title = f"Tabell {index + 1}"
        notes.append(_("{place}: the table has no caption; it was given the title {title!r}"
                       " (`tittel` in the YAML)").format(place=grid.where, title=title))
    kinds = [_kind(i, [row[i] for row in grid.rows]) for i in range(len(grid.header))]
    rows = [list(row) for row in grid.rows]
    total = bool(rows) and len(rows) > 1 and is_sum(rows[-1][0], vocab) and _adds_up(rows, kinds)
    if total:
        rows = rows[:-1]
    columns = CommentedSeq()
    for name, (kind, decimals) in zip(grid.header, kinds):
        column = CommentedMap({COLUMN_KEYS["name"]: name or "–", COLUMN_KEYS["type"]: kind})
        if kind in DEFAULT_DECIMALS and decimals != DEFAULT_DECIMALS[kind]:
            column[COLUMN_KEYS["decimals"]] = decimals
        columns.append(column)
    values = [[_value(cell, kind) for cell, (kind, _decimals) in zip(row, kinds)] for row in rows]
    entry = CommentedMap({KEYS["title"]: title, KEYS["columns"]: columns,
                          KEYS["rows"]: _rows(values)})
    if total:
        entry[KEYS["sum"]] = True
    if grid.note:
        entry[KEYS["note"]] = grid.note
    return entry


def _rows(values: list[list[Any]]) -> Any:
    from ruamel.yaml.comments import CommentedSeq

    rows = CommentedSeq()
    for row in values:
        seq = CommentedSeq(row)
        seq.fa.set_flow_style()
        rows.append(seq)
    return rows


def _kind(index: int, cells: list[str]) -> tuple[str, int]:
    """(column type, decimals) of a new table's column, from its cells."""
    filled = [c.strip() for c in cells if c.strip()]
    if index == 0 or not filled or all(YEAR.fullmatch(c) for c in filled):
        return "tekst", 0
    numbers = [parse_amount(c.replace("%", "")) for c in filled]
    if any(n is None for n in numbers):
        return "tekst", 0
    decimals = max(len(c.split(",")[1].rstrip("% \u00a0")) if "," in c else 0 for c in filled)
    return ("prosent" if all(c.endswith("%") for c in filled) else "tall"), decimals


def _value(cell: str, kind: str) -> Any:
    if not cell.strip():
        return None
    if kind == "tekst":
        return cell
    return parse_amount(cell.replace("%", ""))


def _adds_up(rows: list[list[str]], kinds: list[tuple[str, int]]) -> bool:
    """The last row is the sum of the others in every number column (as shown)."""
    numbered = [i for i, (kind, _) in enumerate(kinds) if kind == "tall"]
    if not numbered or any(rows[-1][i].strip() for i in range(1, len(kinds))
                           if i not in numbered):
        return False  # a sum row shows only the sums of the number columns
    for i in numbered:
        decimals = kinds[i][1]
        total = sum((_value(r[i], "tall") or Decimal(0) for r in rows[:-1]), Decimal(0))
        shown = _value(rows[-1][i], "tall")
        if shown is None or round(total, decimals) != round(shown, decimals):
            return False
    return True
