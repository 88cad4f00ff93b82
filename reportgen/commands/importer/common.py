"""What the importer's modules share: the values read from a document, and a few constants.

Imports errors, project (a document's place in notes and errors) and outline (the levels
a document's headings and `#` lines stand for: an area document's title is at TOP_LEVEL).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from reportgen.errors import SourceLocation
from reportgen.outline import AREA_OUTLINE, FIGURES, TOP_LEVEL, Part, item_text_level, text_parts
from reportgen.project import display_path

W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
SPACES = " \t"
TEXT_PARTS: dict[str, Part] = {p.name: p for p in text_parts()}  # by YAML key
FIGURES_TEXT = AREA_OUTLINE[AREA_OUTLINE.index(FIGURES) - 1]  # the text the table belongs to


def text_level(key: str) -> int:
    """The level a `#` line stands for in a text field of an area document (by its key)."""
    return TEXT_PARTS[key].text_level(TOP_LEVEL)


def other_base(heading: str | None) -> int:
    """The level a `#` line stands for in an Andre forhold item: below its heading, if any."""
    return item_text_level(TOP_LEVEL, bool(heading))


class Unplaced(str):
    """A note about a part of the document that was not imported: the summary of an import
    lists these, each with its place (any other note is a plain str)."""


def like(what: str, note: str) -> str:
    """`note`, which tells of `what` (with its place, say): Unplaced when `what` is."""
    return Unplaced(note) if isinstance(what, Unplaced) else note


def where(path: Path) -> SourceLocation:
    """A file as the place of an error (its path as the user sees it)."""
    return SourceLocation(display_path(path))


@dataclass
class OtherItem:
    """One Andre forhold subsection: its heading (None: untitled text) and markup blocks."""

    heading: str | None
    chunks: list[str] = field(default_factory=list)  # one paragraph, list or `#` line each

    @property
    def text(self) -> str:
        """The item's text as it goes into `tekst`."""
        return "\n\n".join(self.chunks)


@dataclass
class ImportedTable:
    """The figures table as shown: data rows and the sum row, seven cell texts each (in the
    order of outline.FIGURE_COLUMNS after the names, whatever order the document had)."""

    rows: list[tuple[str, ...]]
    sum_row: tuple[str, ...] | None
    unit: str | None  # from the caption above the table, when it names one
    header: tuple[str, ...]  # the column headings, for notes
    where: str
    missing: frozenset[int] = frozenset()  # computed columns the document's table left out


PLACEHOLDER_REF = "?"  # `[[tabell ?0]]` in a text until the merge gives the table its id


def placement(what: str, index: int) -> str:
    """The markup line that places the document's table (or chart) number `index`."""
    return f"[[{what} {PLACEHOLDER_REF}{index}]]"


@dataclass
class ImportedGrid:
    """A table of the document that is not the figures table: its cells as text. It becomes
    a table of `tabeller:`, placed where it stood by `[[tabell ID]]`."""

    header: tuple[str, ...]
    rows: list[tuple[str, ...]]
    caption: str | None
    note: str | None
    where: str


@dataclass
class ImportedArea:
    """What an area document holds, as input values (markup text), plus notes."""

    path: Path
    period: str
    code: str
    language: str
    texts: dict[str, str] = field(default_factory=dict)  # the fields whose heading is there
    figures: ImportedTable | None = None
    other_matters: list[OtherItem] | None = None  # None: no "Andre forhold" heading
    notes: list[str] = field(default_factory=list)
    fingerprint: str = ""  # of the input it was rendered from ("" if the document has none)
    labels: dict[str, str] = field(default_factory=dict)  # the fixed wording it was read by
    name: str | None = None  # the area's name as the document's title gives it
    grids: list[ImportedGrid] = field(default_factory=list)  # tables placed by `[[tabell ?N]]`
    charts: list[tuple[str, str]] = field(default_factory=list)  # (caption, place): diagrams
    own: bool = True  # a document reportgen rendered (else one made by hand)
    title: str | None = None  # the title as the document gives it (None: it has none)
    table_ids: dict[int, str | None] = field(default_factory=dict)  # grid -> its id
    fresh_tables: set[str] = field(default_factory=set)  # ids this import made or changed


@dataclass
class ImportedChapter:
    """A chapter of the whole report before or after the areas: its heading and text."""

    heading: str
    text: str  # markup, with `[[tabell ?N]]` for its tables (ImportedReport.grids)


@dataclass
class ImportedReport:
    """What a whole tertial report holds: its title page, the proposed resolution, the
    chapters before and after the areas, and every area's section."""

    path: Path
    period: str
    language: str
    labels: dict[str, str]
    title: str | None = None
    subtitle: str | None = None
    date: str | None = None  # YYYY-MM-DD
    kommune: str | None = None  # the municipality's name, as the title page gives it
    resolution: list[str] | None = None  # None: the report has no proposed resolution
    before: list[ImportedChapter] = field(default_factory=list)
    after: list[ImportedChapter] = field(default_factory=list)
    areas: list[ImportedArea] = field(default_factory=list)
    grids: list[ImportedGrid] = field(default_factory=list)  # the chapters' tables
    charts: list[tuple[str, str]] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    own: bool = False
    table_ids: dict[int, str | None] = field(default_factory=dict)
    fresh_tables: set[str] = field(default_factory=set)
