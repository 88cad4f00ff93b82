"""`reportgen import`: an edited area DOCX back into its YAML input; a ledger export's
amounts into the figures of every area (ledger.py, sheet.py).

Reads a document that `reportgen render` wrote (as Word or LibreOffice saved it again), maps
its headings to the fields of inputs/<period>/<area>.yaml by the labels of the document's
language, turns paragraphs back into the Markdown subset of markup.py, and merges only the
changed values into the YAML with ruamel.yaml, keeping the authors' comments, key order and
quoting. Whatever cannot be mapped becomes a note with its place, never dropped silently.

Modules, in layers (a module imports only those above it; the contract in pyproject.toml):
  common.py    the values read from a document (ImportedArea ...), shared constants
  package.py   the DOCX opened safely: the zip's limits, XML without entities or DTDs
  text.py      a paragraph's runs, styles and list numbering -> a line of markup
  read.py      the DOCX body (paragraphs, tables, tracked changes) -> ImportedArea
  yamltext.py  a text into a ruamel.yaml value: its scalar style, a block-wise merge
  figures.py   the figures table's cells -> amounts in `tall`
  merge.py     the round-trip merge into the YAML, its check, the diff and the write
  sheet.py     a ledger export (.xlsx, .ods, .csv) -> rows with their sheet, row and column
  ledger.py    the ledger's amounts merged into every area's figures, reconciled
This module is the public API: cli.py and the tests import from here.
"""

from __future__ import annotations

from pathlib import Path

from reportgen import project
from reportgen.commands.importer.common import ImportedArea, ImportedTable, OtherItem, where
from reportgen.commands.importer.ledger import LedgerImport, import_ledger, write_all
from reportgen.commands.importer.merge import (
    ImportResult,
    merge_into_yaml,
    merge_yaml,
    read_yaml_text,
    unified_diff,
    write_yaml,
)
from reportgen.commands.importer.read import read_docx
from reportgen.commands.importer.sheet import LEDGER_SUFFIXES
from reportgen.commands.importer.text import paragraph_markup
from reportgen.errors import InputError

__all__ = [
    "LEDGER_SUFFIXES", "LedgerImport", "import_ledger", "write_all",
    "ImportResult", "ImportedArea", "ImportedTable", "OtherItem", "import_docx",
    "merge_into_yaml", "paragraph_markup", "read_docx", "unified_diff", "write_yaml",
]


def import_docx(docx_path: Path, inputs: Path, templates: Path | None = None) -> ImportResult:
    """Read the document, find its area file below `inputs` and merge; writes nothing."""
    imported = read_docx(docx_path, templates)
    yaml_path = project.area_path(inputs, imported.period, imported.code)
    if not yaml_path.is_file():
        raise InputError(
            f"this document is area {imported.code} of {imported.period}, but"
            f" {project.display_path(yaml_path)} does not exist",
            location=where(docx_path),
            hint="pass the inputs folder the document was rendered from with --inputs",
        )
    old, newline, bom = read_yaml_text(yaml_path)
    new, notes = merge_yaml(yaml_path, old, imported)
    return ImportResult(yaml_path, old, new, tuple(imported.notes + notes), newline, bom)
