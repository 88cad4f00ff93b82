"""Read a ledger export (.xlsx, .xlsm, .ods or .csv) into rows: area code, row name and the
amounts of outline.LEDGER_COLUMNS, each with its sheet, row and column for messages.

Columns are found by their headings (kommune.yaml `regnskapsimport:`, or the defaults of
model.LedgerColumns), in any case and order, in the first rows of each sheet. A row without an
area code whose name is "Sum" or "Totalt" is the export's own total, checked, not imported.
Spreadsheets are read with python-calamine; CSV with the standard library (`;`, `,` or tab,
UTF-8 or Windows-1252).
"""

from __future__ import annotations

import csv
import io
import re
import zipfile
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path
from typing import Any

from reportgen.errors import InputError, ReportgenError, SourceLocation, raise_all
from reportgen.messages import _
from reportgen.model import Kommune, LedgerColumns
from reportgen.outline import LEDGER_COLUMNS
from reportgen.present.numbers import parse_amount
from reportgen.project import display_path

SPREADSHEETS = (".xlsx", ".xlsm", ".ods")
LEDGER_SUFFIXES = (*SPREADSHEETS, ".csv")
MAX_FILE_BYTES = 20_000_000
MAX_UNPACKED_BYTES = 200_000_000  # a spreadsheet is a zip: refuse a bomb before reading it
HEADER_ROWS = 20  # the headings are looked for in this many first rows of a sheet
TOTAL_NAMES = ("sum", "total", "totalt", "sum totalt")
AREA_CELL = re.compile(r"\s*(\d{1,2})(?:\s.*)?", re.DOTALL)


@dataclass(frozen=True)
class LedgerRow:
    """One data row of the export."""

    area: str
    name: str
    amounts: dict[str, Decimal]  # by FigureRow attribute (accounts, budget, annual_budget)
    location: SourceLocation


@dataclass
class Ledger:
    """The rows of an export, the totals it states itself, and notes."""

    rows: list[LedgerRow] = field(default_factory=list)
    stated: dict[str, Decimal] = field(default_factory=dict)
    notes: list[str] = field(default_factory=list)


def read_ledger(path: Path, columns: LedgerColumns, kommune: Kommune) -> Ledger:
    """Every row of every sheet that has the columns; all problems raised at once."""
    ledger = Ledger()
    problems: list[ReportgenError] = []
    found = False
    for sheet, rows in _sheets(path, ledger):
        header = _header(rows, columns)
        if header is None:
            continue
        found = True
        start, positions = header
        for number, cells in enumerate(rows[start:], start + 1):
            _row(path, sheet, number, cells, positions, kommune, ledger, problems)
    if not found:
        wanted = ", ".join(_headings(columns).values())
        problems.append(InputError(
            _("no sheet has the columns {columns}").format(columns=wanted),
            location=SourceLocation(display_path(path)),
            hint=_("name the columns so in the export's first rows, or say under"
                   " `regnskapsimport:` in kommune.yaml which headings the export uses")))
    _duplicates(ledger.rows, problems)
    raise_all(problems)
    return ledger


def _headings(columns: LedgerColumns) -> dict[str, str]:
    """The heading of each column to find, by field: area, row and the amounts."""
    wanted = {"area": columns.area, "row": columns.row}
    wanted.update({c.attribute: getattr(columns, c.attribute) for c in LEDGER_COLUMNS})
    return wanted


def _header(rows: list[list[Any]], columns: LedgerColumns) -> tuple[int, dict[str, int]] | None:
    """(the row after the headings, column index by field), or None: not a ledger sheet."""
    wanted = {field: _folded(text) for field, text in _headings(columns).items()}
    for index, cells in enumerate(rows[:HEADER_ROWS]):
        texts = [_folded(c) for c in cells]
        if all(w in texts for w in wanted.values()):
            return index + 1, {field: texts.index(w) for field, w in wanted.items()}
    return None


def _folded(value: Any) -> str:
    return " ".join(str(value if value is not None else "").split()).casefold()


def _row(path: Path, sheet: str | None, number: int, cells: list[Any],
         positions: dict[str, int], kommune: Kommune, ledger: Ledger,
         problems: list[ReportgenError]) -> None:
    """One data row into the ledger (or its problems); blank rows are skipped."""
    def cell(name: str) -> Any:
        index = positions[name]
        return cells[index] if index < len(cells) else None

    def where(name: str) -> SourceLocation:
        return SourceLocation(display_path(path), number, positions[name] + 1, sheet,
                              cell=sheet is None)

    area, name = _text(cell("area")), _text(cell("row"))
    amounts: dict[str, Decimal] = {}
    for column in LEDGER_COLUMNS:
        value, problem = _amount(cell(column.attribute), where(column.attribute))
        if problem is not None:
            problems.append(problem)
        elif value is not None:
            amounts[column.attribute] = value
    if not area and not name and not amounts:
        return  # a blank row
    if not area and name.casefold() in TOTAL_NAMES:
        ledger.stated.update(amounts)
        return
    code = _area_code(cell("area"))
    if code is None or code not in kommune.areas:
        what = _("{cell!r} is not an area code").format(cell=area) if code is None else _(
            "area {code} is not in the register of programme areas").format(code=code)
        problems.append(InputError(what, location=where("area"), hint=_(
            "write the area's two-digit code (08, or 08 followed by its name) in this column;"
            " the register in kommune.yaml has {codes}").format(codes=", ".join(kommune.areas))))
        return
    if not name:
        problems.append(InputError(_("the row has no name"), location=where("row"),
                                   hint=_("write the name of the figures row (navn) here")))
        return
    for column in (c for c in LEDGER_COLUMNS if c.attribute not in amounts):
        ledger.notes.append(_("{place}: empty; taken as 0").format(place=where(column.attribute)))
        amounts[column.attribute] = Decimal(0)
    ledger.rows.append(LedgerRow(code, name, amounts, where("row")))


def _text(value: Any) -> str:
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return " ".join(str(value).split()) if value is not None else ""


def _area_code(value: Any) -> str | None:
    """'08' from 8, 8.0, '8', '08' or '08 Kompetanse …'."""
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        return f"{int(value):02d}" if float(value).is_integer() and 0 <= value < 100 else None
    match = AREA_CELL.fullmatch(str(value or ""))
    return match.group(1).zfill(2) if match else None


def _amount(value: Any, where: SourceLocation) -> tuple[Decimal | None, InputError | None]:
    """A cell's amount, exactly as typed; (None, None) for an empty cell."""
    if value is None or (isinstance(value, str) and not value.strip()):
        return None, None
    if isinstance(value, bool) or not isinstance(value, (int, float, str)):
        return None, InputError(_("{cell!r} is not an amount").format(cell=_text(value)),
                                location=where, hint=_("the column must hold numbers only"))
    if isinstance(value, (int, float)):
        return Decimal(repr(value)) if isinstance(value, float) else Decimal(value), None
    parsed = parse_amount(value)
    if parsed is None:
        return None, InputError(_("{cell!r} is not an amount").format(cell=value.strip()),
                                location=where,
                                hint=_("write a number, such as 1234,50 or -12000"))
    return parsed, None


def _duplicates(rows: list[LedgerRow], problems: list[ReportgenError]) -> None:
    seen: dict[tuple[str, str], LedgerRow] = {}
    for row in rows:
        key = (row.area, row.name)
        if key in seen:
            problems.append(InputError(
                _("area {code}, row {row!r} is given twice (first at {first})").format(
                    code=row.area, row=row.name, first=seen[key].location),
                location=row.location,
                hint=_("each figures row may stand once: add the two together or rename one")))
        else:
            seen[key] = row


# --- files -------------------------------------------------------------------------------------

def _sheets(path: Path, ledger: Ledger) -> list[tuple[str | None, list[list[Any]]]]:
    """(sheet name, rows) of the file; a CSV file is one sheet without a name."""
    data = _read(path)
    if path.suffix.lower() == ".csv":
        return [(None, _csv_rows(data, path, ledger))]
    _check_zip(data, path)
    from python_calamine import CalamineWorkbook

    try:
        book = CalamineWorkbook.from_filelike(io.BytesIO(data))
        return [(name, book.get_sheet_by_name(name).to_python(skip_empty_area=False))
                for name in book.sheet_names]
    except Exception as exc:  # calamine raises its own types for every broken file
        reason = str(exc).splitlines()[0] if str(exc) else ""
        raise InputError(_("cannot read the file as a spreadsheet: {reason}").format(
            reason=reason), location=SourceLocation(display_path(path)),
            hint=_("save it again as .xlsx (or .csv) from the accounting system or"
                   " Excel")) from exc


def _read(path: Path) -> bytes:
    """The export's bytes, read safely (project.read_file: an ordinary file, size-limited)."""
    from reportgen import project

    if not project.exists(path):
        raise InputError(_("no such file"), location=SourceLocation(display_path(path)),
                         hint=_("give the path of the export to import"))
    return project.read_file(path, limit=MAX_FILE_BYTES)


def _check_zip(data: bytes, path: Path) -> None:
    """Refuse a spreadsheet that unpacks to far more than any ledger export needs."""
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            unpacked = sum(info.file_size for info in archive.infolist())
    except zipfile.BadZipFile:
        return  # not a zip (an old .xls, say): calamine says what it is
    if unpacked > MAX_UNPACKED_BYTES:
        raise InputError(_("the file unpacks to {size} bytes, more than the limit of"
                           " {limit}").format(size=unpacked, limit=MAX_UNPACKED_BYTES),
                         location=SourceLocation(display_path(path)),
                         hint=_("export only the operating accounts of the period"))


def _csv_rows(data: bytes, path: Path, ledger: Ledger) -> list[list[Any]]:
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        text = data.decode("cp1252")
        ledger.notes.append(_("{file}: not UTF-8; read as Windows-1252").format(
            file=display_path(path)))
    try:
        dialect = csv.Sniffer().sniff(text[:4096], delimiters=";,\t")
        delimiter = dialect.delimiter
    except csv.Error:
        delimiter = ";"
    return [list(r) for r in csv.reader(io.StringIO(text), delimiter=delimiter)]
