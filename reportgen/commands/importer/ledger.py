"""`reportgen import FILE.xlsx|.ods|.csv --period P`: an accounting export's amounts into the
figures (`tall.rader`) of every area's YAML.

Only the amounts the ledger holds (outline.LEDGER_COLUMNS: regnskap, budsjett, årsbudsjett)
are written, matched by area code and row name; a row the YAML lacks is added with its
forecast left for the author; prognose and every text stay as the authors wrote them. Every
problem of the file (an area not in the register, a row given twice, text in an amount cell, a
missing column) is named by sheet, row and column before anything is written; the totals of
the file and of what would be written are reconciled exactly.
"""

from __future__ import annotations

import io
from collections.abc import Iterable
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path
from typing import Any

from reportgen import project
from reportgen.commands.importer.merge import ImportResult, encoded, read_yaml_text, round_trip
from reportgen.commands.importer.sheet import LedgerRow, read_ledger
from reportgen.errors import InputError, ReportgenError, SourceLocation, raise_all
from reportgen.messages import _, ngettext
from reportgen.model import DEFAULT_UNIT, PLACEHOLDER, Kommune
from reportgen.outline import (
    AREA_OUTLINE,
    FIGURES,
    LEDGER_COLUMNS,
    ROW_NAME_KEY,
    ROWS_KEY,
    TYPED_COLUMNS,
    UNIT_KEY,
)
from reportgen.period import Period
from reportgen.present.numbers import convert, format_number
from reportgen.project import display_path
from reportgen.yamlsource import load_yaml

NOT_IN_LEDGER = tuple(c.key for c in TYPED_COLUMNS if not c.from_ledger)  # prognose


@dataclass
class LedgerImport:
    """What a ledger import would write: a result per area file, a summary line per area, the
    reconciled totals and notes."""

    results: list[ImportResult] = field(default_factory=list)
    summary: list[str] = field(default_factory=list)
    totals: list[str] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)

    @property
    def changed(self) -> list[ImportResult]:
        """The results that change their file."""
        return [r for r in self.results if r.changed]


def import_ledger(path: Path, inputs: Path, period: Period, kommune: Kommune) -> LedgerImport:
    """Read the export, check all of it, and merge its amounts into each area's YAML text;
    writes nothing. All problems are raised at once."""
    columns = kommune.ledger
    ledger = read_ledger(path, columns, kommune)
    problems: list[ReportgenError] = []
    outcome = LedgerImport(notes=list(ledger.notes))
    by_area: dict[str, list[LedgerRow]] = {}
    for row in ledger.rows:
        by_area.setdefault(row.area, []).append(row)
    written: dict[str, Decimal] = {c.attribute: Decimal(0) for c in LEDGER_COLUMNS}
    for code in sorted(by_area):
        yaml_path = project.area_path(inputs, period, code)
        if not yaml_path.is_file():
            first = by_area[code][0]
            problems.append(InputError(
                _("the export has rows for area {code}, but {file} does not exist").format(
                    code=code, file=display_path(yaml_path)), location=first.location,
                hint=_("start the area's file first: reportgen new {code} {period}").format(
                    code=code, period=period)))
            continue
        try:
            result, line, amounts = _merge_area(yaml_path, by_area[code], columns.unit)
        except ReportgenError as exc:
            problems.append(exc)
            continue
        outcome.results.append(result)
        outcome.summary.append(f"{code} {kommune.areas[code]}: {line}")
        for attribute, value in amounts.items():
            written[attribute] += value
    raise_all(problems)
    outcome.totals = _reconcile(ledger.rows, ledger.stated, written, columns.unit, path)
    return outcome


def _merge_area(yaml_path: Path, rows: list[LedgerRow],
                file_unit: str) -> tuple[ImportResult, str, dict[str, Decimal]]:
    """One area file's new text; a summary of what changed; the amounts written, in the
    file's unit (for the reconciliation)."""
    old, newline, bom = read_yaml_text(yaml_path)  # written back with its line ends and BOM
    yaml = round_trip(old)
    data = yaml.load(old)
    figures = _figures_mapping(data, yaml_path)
    unit = str(figures.get(UNIT_KEY, DEFAULT_UNIT))
    existing = {str(r.get(ROW_NAME_KEY, "")).strip(): r for r in figures[ROWS_KEY]
                if hasattr(r, "get")}
    changed = added = 0
    written = {c.attribute: Decimal(0) for c in LEDGER_COLUMNS}
    for row in rows:
        entry = existing.get(row.name)
        if entry is None:
            entry = _new_row(row.name)
            figures[ROWS_KEY].append(entry)
            added += 1
        differs = False
        for column in LEDGER_COLUMNS:
            value = convert(row.amounts[column.attribute], file_unit, unit)
            written[column.attribute] += convert(value, unit, file_unit)
            before = entry.get(column.key)
            if before is None or Decimal(str(before)) != value:
                entry[column.key] = _exact(value)
                differs = True
        changed += differs and row.name in existing
    kept = [name for name in existing if name not in {r.name for r in rows}]
    stream = io.StringIO()
    yaml.dump(data, stream)
    new = stream.getvalue()
    _verify(new, yaml_path, rows, file_unit, unit)
    line = _("{changed} row(s) changed, {added} added, {unchanged} unchanged").format(
        changed=changed, added=added, unchanged=len(rows) - changed - added)
    return ImportResult(yaml_path, old, new, _area_notes(yaml_path, kept, added), newline,
                        bom), line, written


def _area_notes(yaml_path: Path, kept: list[str], added: int) -> tuple[str, ...]:
    """The notes on an area file: the rows the export lacks (kept), the rows it added."""
    file = display_path(yaml_path)
    notes = tuple(_("{file}: the row {row!r} is not in the export; it was kept as it"
                    " was").format(file=file, row=name) for name in kept)
    if added:  # "row(s)" in English either way; other languages have two forms
        notes += (ngettext("{file}: {count} new row(s) added; fill in their `{key}` (marked"
                           " {placeholder})", "{file}: {count} new row(s) added; fill in their"
                           " `{key}` (marked {placeholder})", added).format(
            file=file, count=added, key=", ".join(NOT_IN_LEDGER), placeholder=PLACEHOLDER),)
    return notes


def _figures_mapping(data: Any, yaml_path: Path) -> Any:
    """The area's `tall` mapping, made (after Fakta) when the file has none."""
    from ruamel.yaml.comments import CommentedMap, CommentedSeq

    status = FIGURES.container(data)
    if status is None:
        raise InputError(_("{file} has no `{key}` to put the figures in").format(
            file=display_path(yaml_path), key=FIGURES.key[0]),
            location=SourceLocation(display_path(yaml_path)),
            hint=_("run `reportgen check` and fix the file first"))
    figures = status.get(FIGURES.name)
    if not hasattr(figures, "get") or not isinstance(figures.get(ROWS_KEY), list):
        figures = CommentedMap({UNIT_KEY: DEFAULT_UNIT, ROWS_KEY: CommentedSeq()})
        keys = list(status)
        before = AREA_OUTLINE[AREA_OUTLINE.index(FIGURES) - 1].name
        status.insert(keys.index(before) + 1 if before in keys else len(keys), FIGURES.name,
                      figures)
    return figures


def _new_row(name: str) -> Any:
    from ruamel.yaml.comments import CommentedMap

    entry = CommentedMap({ROW_NAME_KEY: name})
    for column in LEDGER_COLUMNS:
        entry[column.key] = None
    for key in NOT_IN_LEDGER:  # for the author: the forecast
        entry[key] = None
        entry.yaml_add_eol_comment(PLACEHOLDER, key)
    return entry


def _exact(value: Decimal) -> Decimal:
    """An amount as it goes into the YAML: exact, without exponent or trailing zeros."""
    text = format(value.normalize(), "f")
    return Decimal(text)


def _verify(text: str, yaml_path: Path, rows: list[LedgerRow], file_unit: str,
            unit: str) -> None:
    """The new text reads back with exactly the amounts meant (a failure here is a bug)."""
    import tempfile

    with tempfile.TemporaryDirectory() as folder:
        copy = Path(folder) / yaml_path.name
        copy.write_text(text, encoding="utf-8")
        data = load_yaml(copy).data
    figures = data
    for key in (*FIGURES.key, ROWS_KEY):
        figures = figures[key]
    found = {str(r[ROW_NAME_KEY]).strip(): r for r in figures}
    for row in rows:
        for column in LEDGER_COLUMNS:
            meant = convert(row.amounts[column.attribute], file_unit, unit)
            if Decimal(found[row.name][column.key]) != meant:
                raise RuntimeError(f"import: {row.name!r} {column.key} reads back wrong")


def _reconcile(rows: list[LedgerRow], stated: dict[str, Decimal], written: dict[str, Decimal],
               unit: str, path: Path) -> list[str]:
    """The file's totals against what would be written, column by column, exactly."""
    lines, problems = [], []
    for column in LEDGER_COLUMNS:
        total = sum((r.amounts[column.attribute] for r in rows), Decimal(0))
        shown = f"{format_number(total, _places(total))} {unit}"
        if written[column.attribute] != total:
            raise RuntimeError(f"import: {column.key} totals differ")  # by construction
        if column.attribute in stated and stated[column.attribute] != total:
            stated_total = stated[column.attribute]
            problems.append(InputError(
                _("the export's total for {key} is {stated} {unit}, but its rows add up to"
                  " {total}").format(key=column.key, unit=unit, total=shown,
                                     stated=format_number(stated_total, _places(stated_total))),
                location=SourceLocation(display_path(path)),
                hint=_("check the export: a row may be missing or counted twice")))
        lines.append(_("{key}: {total} in the file = {total} written").format(key=column.key,
                                                                               total=shown))
    raise_all(problems)
    return lines


def _places(value: Decimal) -> int:
    return max(0, -value.normalize().as_tuple().exponent)  # type: ignore[operator]


def write_all(results: Iterable[ImportResult]) -> list[Path]:
    """Write every changed file of the period at once: all of them, or none."""
    from reportgen.output.write import write_outputs

    changed = [r for r in results if r.changed]
    if not changed:
        return []
    folder = changed[0].yaml_path.parent
    return write_outputs(folder, {r.yaml_path.name: encoded(r) for r in changed})
