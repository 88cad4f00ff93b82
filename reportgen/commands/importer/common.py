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
NOT_SHOWN = "not imported"
TEXT_PARTS: dict[str, Part] = {p.name: p for p in text_parts()}  # by YAML key
FIGURES_TEXT = AREA_OUTLINE[AREA_OUTLINE.index(FIGURES) - 1]  # the text the table belongs to


def text_level(key: str) -> int:
    """The level a `#` line stands for in a text field of an area document (by its key)."""
    return TEXT_PARTS[key].text_level(TOP_LEVEL)


def other_base(heading: str | None) -> int:
    """The level a `#` line stands for in an Andre forhold item: below its heading, if any."""
    return item_text_level(TOP_LEVEL, bool(heading))


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
    """The figures table as shown: data rows and the sum row, seven cell texts each."""

    rows: list[tuple[str, ...]]
    sum_row: tuple[str, ...] | None
    unit: str | None  # from the caption above the table, when it names one
    header: tuple[str, ...]  # the column headings reportgen writes, for notes
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
