"""`reportgen import`: a DOCX back into the YAML inputs — an edited area document that
reportgen rendered, any area document made by hand, or a whole tertial report — and a ledger
export's amounts into the figures of every area (ledger.py, sheet.py).

A document reportgen rendered is read by its own outline (read.py): its headings map to the
fields of inputs/<period>/<area>.yaml by the labels of the document's language. Any other is
read as people write one (foreign.py, detect.py): headings by style, outline level or bold
labels in nb and nn, the figures table by its column headings; a whole report is cut into
its areas and chapters (report.py). Paragraphs become the Markdown subset of markup.py, and
only the changed values are merged into the YAML with ruamel.yaml, keeping the authors'
comments, key order and quoting; new files are written in the outline's order. Parts the
YAML has and the document lacks are kept unless --remove-missing (keep.py). Whatever cannot
be placed becomes a note with its place, never dropped silently; the result is rendered and
read back before it is offered (verify.py).

Modules, in layers (a module imports only those below it; the contract in pyproject.toml):
  session.py   the whole import of a document: files, verification, the manifest's note
  ledger.py    the ledger's amounts merged into every area's figures, reconciled
  verify.py    the new inputs rendered to DOCX and read back
  settings.py  kommune.yaml's register and rapport.yaml
  sheet.py     a ledger export (.xlsx, .ods, .csv) -> rows with their sheet, row and column
  merge.py     the round-trip merge into (or creation of) an area file, its check, the diff
  document.py  which document it is (reportgen's, an area, a report) and where it goes
  figures.py   the figures table's cells -> amounts in `tall`
  tables.py    other tables -> `tabeller:`; `[[tabell ?N]]` given their ids
  items.py     Andre forhold merged item by item
  keep.py      parts the document lacks, kept
  yamltext.py  a text into a ruamel.yaml value: its scalar style, a block-wise merge
  report.py    a whole report cut into title page, chapters and areas
  foreign.py   a hand-made area read leniently (read.Reader's machine)
  read.py      the DOCX body (paragraphs, tables, tracked changes) -> ImportedArea
  grid.py      the body's blocks, a table's cells, how the reader takes tables
  detect.py    the wording of every language: headings, titles, periods, columns
  package.py   the DOCX opened safely: the zip's limits, XML without entities or DTDs
  text.py      a paragraph's runs, styles and list numbering -> a line of markup
  kinds.py     each part of the package of the kind python-docx takes it for
  common.py    the values read from a document (ImportedArea ...), shared constants
This module is the public API: cli.py and the tests import from here.
"""

from __future__ import annotations

from pathlib import Path

from reportgen.commands.importer.common import ImportedArea, ImportedTable, OtherItem
from reportgen.commands.importer.document import read_docx
from reportgen.commands.importer.ledger import LedgerImport, import_ledger, write_all
from reportgen.commands.importer.merge import (
    ImportResult,
    merge_into_yaml,
    unified_diff,
    write_yaml,
)
from reportgen.commands.importer.session import DocumentImport, import_document, write_import
from reportgen.commands.importer.sheet import LEDGER_SUFFIXES
from reportgen.commands.importer.text import paragraph_markup
from reportgen.project import area_code_of, default_templates

__all__ = [
    "LEDGER_SUFFIXES", "LedgerImport", "import_ledger", "write_all",
    "DocumentImport", "import_document", "write_import",
    "ImportResult", "ImportedArea", "ImportedTable", "OtherItem", "import_docx",
    "merge_into_yaml", "paragraph_markup", "read_docx", "unified_diff", "write_yaml",
]


def import_docx(docx_path: Path, inputs: Path, templates: Path | None = None) -> ImportResult:
    """Read an area's document and merge it into its area file below `inputs` (made when
    there is none); writes nothing. The result for the area file."""
    outcome = import_document(docx_path, inputs, templates or default_templates())
    return next(r for r in outcome.results if area_code_of(r.yaml_path.name))
