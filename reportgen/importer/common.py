"""What the importer's modules share: the values read from a document, and a few constants.

Imports only sources and errors (for a document's place in notes and errors).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from reportgen import sources
from reportgen.errors import SourceLocation

W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
BASE_LEVEL = {"ingress": 2, "fakta": 4, "vurdering": 4, "konklusjon": 4, "investeringer": 3}
SPACES = " \t"
NOT_SHOWN = "not imported"


def other_base(heading: str | None) -> int:
    """The level a `#` line stands for in an Andre forhold item: below its heading, if any."""
    return 4 if heading else 3


def where(path: Path) -> SourceLocation:
    """A file as the place of an error (its path as the user sees it)."""
    return SourceLocation(sources.display_path(path))


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
