"""Walk an area DOCX's body (paragraphs, tables, tracked changes) into an `ImportedArea`.

The body follows the outline (outline.AREA_OUTLINE) that present gives an area: the title,
the lead, Økonomisk status (Fakta, the figures table, Vurdering, Konklusjon), Investeringer
and Andre forhold. `_Reader` is a state machine over that outline, matching headings by the
labels of the document's language and the levels the outline gives them; what it cannot
place becomes a note with its place.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

from reportgen.commands.importer.common import (
    FIGURES_TEXT,
    NOT_SHOWN,
    SPACES,
    ImportedArea,
    ImportedTable,
    OtherItem,
    W,
    other_base,
    text_level,
    where,
)
from reportgen.commands.importer.package import open_document
from reportgen.commands.importer.text import Inline, Styles, flag, paragraph_markup, whole
from reportgen.errors import InputError
from reportgen.languages import DEFAULT_LANGUAGE, LANGUAGES
from reportgen.markup import escape
from reportgen.model import AMOUNT_UNITS
from reportgen.outline import (
    AREA_OUTLINE,
    DOCX_LEVELS,
    FIGURE_COLUMNS,
    NAME_LABEL,
    OTHER_MATTERS,
    TOP_LEVEL,
    Part,
    item_heading_level,
    shown_level,
)
from reportgen.period import AREA_CODE, Period
from reportgen.project import default_templates
from reportgen.view import Span

CORE = "{http://schemas.openxmlformats.org/package/2006/metadata/core-properties}"
IDENTIFIER = re.compile(r"reportgen:([0-9]{4}-T[123])/(\S+)")
LABELLED = tuple(p for p in AREA_OUTLINE if p.label)  # the parts a heading announces
TABLE_WIDTH = len(FIGURE_COLUMNS) + 1  # the names, then the amounts
TRACKED = {f"{W}{t}" for t in ("ins", "del", "moveFrom", "moveTo", "rPrChange", "pPrChange",
                                "tblPrChange", "trPrChange", "tcPrChange", "sectPrChange")}


def read_docx(path: Path, templates: Path | None = None) -> ImportedArea:
    """The area document at `path` as input values; InputError if reportgen did not write it,
    or if it is not a sound Word document (see package.py)."""
    document = open_document(path)
    props = document.core_properties
    match = IDENTIFIER.fullmatch((props.identifier or "").strip())
    if match is None:
        raise InputError(
            "not a document written by reportgen", location=where(path),
            hint="import an area document from `reportgen render` (such as build/2017-T1/08.docx),"
            " saved by Word or LibreOffice; its properties name its source",
        )
    if not AREA_CODE.fullmatch(match.group(2)):
        raise InputError("this is the whole report; import reads one area's document",
                         location=where(path),
                         hint="import the area documents (such as 08.docx) one at a time")
    language = (props.language or DEFAULT_LANGUAGE)[:2].lower()
    language = language if language in LANGUAGES else DEFAULT_LANGUAGE
    from reportgen.inputs import load_labels

    labels = load_labels(templates or default_templates(), language)
    imported = ImportedArea(path, match.group(1), match.group(2), language,
                            fingerprint=_source_fingerprint(document), labels=labels)
    _Reader(document, labels, Period.parse(imported.period), imported).read(props.title or "")
    return imported


def _source_fingerprint(document: Any) -> str:
    """The core property `version`: the fingerprint of the input the document was rendered
    from. Read by its namespace, as docxcompose (imported with docxtpl) rebinds python-docx's
    `cp` prefix, which `core_properties.version` relies on."""
    from docx.opc.constants import RELATIONSHIP_TYPE as RT

    try:
        core = document.part.package.part_related_by(RT.CORE_PROPERTIES).element
    except KeyError:
        return ""
    return (core.findtext(f"{CORE}version") or "").strip()


class _Reader:
    """Walks the body in order; a state machine over the fixed structure of an area."""

    def __init__(self, document: Any, labels: dict[str, str], period: Period,
                 out: ImportedArea) -> None:
        self.doc, self.labels, self.out = document, labels, out
        self.styles = Styles(document)
        self.inline = Inline(document, self.styles)
        self.section: Part | None = None  # None: before the title; else the part we are in
        self.target: str | int | None = None  # a field's key, or an index into other_matters
        self.chunks: dict[str | int, list[str]] = {}
        self.skipping: list[Any] | None = None  # an unknown heading: note, its place, count
        self.list_open: tuple[str | int, bool, int] | None = None  # target, ordered, next no.
        self.number, self.after, self.carry = 0, "", [Span("")]
        words = {"month": period.month_in(out.language), "year": period.year}
        self.captions = {labels[k].format(unit=u, **words): u for u in AMOUNT_UNITS
                         for k in ("table_caption", "table_note")}
        self.header = tuple(labels[k].format(unit="", **words) for k in (
            NAME_LABEL, *(column.label for column in FIGURE_COLUMNS)))
        self.caption_unit: str | None = None
        self.moved = False  # the note about text after the table is given once

    def read(self, title: str) -> None:
        """Fill `out` from the body, then add the notes about the whole document."""
        self.title = title
        for element in _blocks(self.doc.element.body):
            self.number += 1
            self.kind = "table" if element.tag == f"{W}tbl" else "paragraph"
            if element.tag == f"{W}tbl":
                self._table(element)
            else:
                self._paragraph(element)
        self._end_skip()
        self._style_notes()
        self._finish()

    def _here(self) -> str:
        after = f" (after {self.after!r})" if self.after else ""
        return f"{self.kind} {self.number}{after}"

    def note(self, what: str) -> None:
        """A note about the current paragraph, with its place."""
        self._style_notes()
        self.out.notes.append(f"{self._here()}: {what}")

    def _style_notes(self) -> None:
        """The notes about the styles (a loop of bases), in the order they were met."""
        self.out.notes += self.styles.notes
        self.styles.notes = []

    # paragraphs ------------------------------------------------------------------------------

    def _paragraph(self, p: Any) -> None:
        pieces = self.inline.pieces(p)
        for what in self.inline.take_notes():
            self.note(what)
        if _mark_deleted(p):  # a tracked deletion of the paragraph mark joins it to the next
            self.carry += pieces
            return
        pieces, self.carry = self.carry + pieces, [Span("")]
        text = "".join(x.text for x in pieces).strip(SPACES + "\n")
        level, style = self._level(p)
        if level and text:
            self._heading(level, re.sub(r"[ \t\n]+", " ", text))
        elif text and style in ("Caption", "Table Note") and self.target == FIGURES_TEXT.name:
            self._caption(text)
        elif text:
            self._text(p, pieces)

    def _level(self, p: Any) -> tuple[int, str]:
        """(heading level or 0, style name) of a paragraph."""
        outline = p.find(f"{W}pPr/{W}outlineLvl")
        chain = self.styles.paragraph(p)
        name = self.styles.name(chain[0]) if chain else ""
        if outline is not None:
            value = whole(outline.get(f"{W}val", "9"))
            if value is not None:
                return (min(value, DOCX_LEVELS) + 1) % (DOCX_LEVELS + 1), name
            self.note(f"its outline level {outline.get(f'{W}val')!r} is not a number; it was"
                      " ignored")
        for style in chain:
            if self.styles.name(style) == "Title":
                return TOP_LEVEL, name
            if found := re.fullmatch(r"Heading ([1-9])", self.styles.name(style)):
                return int(found.group(1)), name
        return 0, name

    def _heading(self, level: int, text: str) -> None:
        self.list_open = None
        if self.skipping:  # only the unknown heading's own text is skipped
            self.target = self.skipping[3]
            self._end_skip()
        if self.section is None and level == TOP_LEVEL:
            self._title(text)
        elif self.section is None:
            self.note(f"the title (a heading {TOP_LEVEL}) is missing; the text before here was "
                      + NOT_SHOWN)
            self._title(None)
            self._heading(level, text)
        elif not self._structural(level, text):
            if self.target is not None and level >= self._base():
                self._add("#" * shown_level(level - self._base() + 1) + " " + escape(text))
            else:
                what = f"{self._here()}: a heading {level} {text!r} that is not part of an" \
                       " area's structure; it"
                self.skipping = [what, len(self.out.notes), 0, self.target]
                self.target = None
        self.after = text

    def _title(self, text: str | None) -> None:
        lead = AREA_OUTLINE[0]  # the text under the title
        self.section, self.target = lead, lead.name
        if text is not None and self.title and text != self.title:
            self.note("the title is made from the area's name in kommune.yaml; the edit was "
                      + NOT_SHOWN)

    def _structural(self, level: int, text: str) -> bool:
        """Headings of the outline move to their part; True when `text` is one."""
        found = next((p for p in LABELLED if self.labels[p.label or ""] == text
                      and p.heading_level(TOP_LEVEL) == level
                      and (p.parent is None or p.parent == self.section)), None)
        if found is not None and found.parent is None:  # a part under the title
            self.section = found
            self.target = found.name if found.kind == "text" else None
            if found is OTHER_MATTERS:
                self.out.other_matters = self.out.other_matters or []
        elif found is not None:  # a text inside a group (Fakta in Økonomisk status)
            self.target = found.name
        elif level == item_heading_level(TOP_LEVEL) and self.section is OTHER_MATTERS:
            self.target = self._new_item(text)
        else:
            return False
        self._end_skip()
        if isinstance(self.target, str):
            if self.target in self.chunks:
                self.note(f"a second heading {text!r}; its text was added to the first")
            self.chunks.setdefault(self.target, [])
        return True

    def _end_skip(self) -> None:
        if self.skipping:
            what, index, count, _ = self.skipping
            under = f" and the {count} paragraph(s) under it were" if count else " was"
            self.out.notes.insert(index, f"{what}{under} {NOT_SHOWN}")
            self.skipping = None

    def _new_item(self, heading: str | None) -> int:
        assert self.out.other_matters is not None
        self.out.other_matters.append(OtherItem(heading))
        index = len(self.out.other_matters) - 1
        self.chunks[index] = self.out.other_matters[index].chunks
        return index

    def _base(self) -> int:
        """The level a `#` line of the current field stands for."""
        if isinstance(self.target, int):
            assert self.out.other_matters is not None
            return other_base(self.out.other_matters[self.target].heading)
        return text_level(self.target) if self.target else DOCX_LEVELS + 1  # no `#` lines

    def _caption(self, text: str) -> None:
        if text in self.captions:
            self.caption_unit = self.captions[text]
        else:
            self.note("the table's caption and note are written by reportgen; the edit was "
                      + NOT_SHOWN)

    def _text(self, p: Any, pieces: list[Span]) -> None:
        if self.skipping:
            self.skipping[2] += 1
            return
        if self.section is OTHER_MATTERS and self.target is None:
            self.target = self._new_item(None)
        quote = "".join(x.text for x in pieces).strip()
        if self.section is None and quote == self.labels.get("draft_banner"):
            return  # a draft says so above its title; not part of the area's text
        if self.target is None:
            where = "before the title" if self.section is None else "outside the fields"
            quote = quote if len(quote) <= 40 else quote[:39] + "…"
            self.note(f"text {where} ({quote!r}); {NOT_SHOWN}")
            return
        if self.target == FIGURES_TEXT.name and self.out.figures is not None and not self.moved:
            self.moved = True
            self.note("text after the figures table belongs to Fakta, which stands before the"
                      " table; it will move there")
        line, notes = paragraph_markup(pieces)
        listing = self.styles.list_kind(p, notes)
        for what in dict.fromkeys(notes):
            self.note(what)
        if listing is None:
            self.list_open = None
            self._add(line)
        else:
            self._item(line, *listing)

    def _item(self, line: str, ordered: bool, start: int, nested: bool) -> None:
        if nested:
            self.note("a nested list item became an item of the outer list")
        if self.list_open and self.list_open[:2] == (self.target, ordered):
            number = self.list_open[2]
            self.chunks[self.target][-1] += "\n" + (f"{number}. " if ordered else "- ") + line
        else:
            number = start
            self._add((f"{number}. " if ordered else "- ") + line)
        assert self.target is not None
        self.list_open = (self.target, ordered, number + 1)

    def _add(self, chunk: str) -> None:
        assert self.target is not None
        self.chunks.setdefault(self.target, []).append(chunk)

    # tables ------------------------------------------------------------------------------------

    def _table(self, table: Any) -> None:
        self.list_open = None
        if self.skipping:
            self.skipping[2] += 1
            return
        if self.target != FIGURES_TEXT.name or self.out.figures is not None:
            self.note(f"a table where none belongs (only Fakta has one); {NOT_SHOWN}")
            return
        rows = [r for r in table.findall(f"{W}tr") if r.find(f"{W}trPr/{W}del") is None]
        cells = [tuple(self._cell(c) for c in r.findall(f"{W}tc")) for r in rows]
        if not cells or len(cells[0]) != TABLE_WIDTH:
            self.note(f"a table that is not the figures table; {NOT_SHOWN}")
            return
        if cells[0] != self.header:
            self.note("the column headings are written by reportgen; the edit was " + NOT_SHOWN)
        body, total = cells[1:], None
        if len(body) > 1 and (body[-1][0] == self.labels["sum"] or _all_bold(rows[-1])):
            body, total = body[:-1], body[-1]
        for number, row in enumerate(body, 2):
            if len(row) != TABLE_WIDTH:
                self.note(f"row {number} of the figures table has {len(row)} cells, not"
                          f" {TABLE_WIDTH}; it was {NOT_SHOWN}")
        body = [row for row in body if len(row) == TABLE_WIDTH]
        self.out.figures = ImportedTable(body, total, self.caption_unit, self.header,
                                         self._here())

    def _cell(self, cell: Any) -> str:
        text = " ".join("".join(x.text for x in self.inline.pieces(p))
                        for p in cell.iter(f"{W}p"))
        for what in self.inline.take_notes():
            self.note(f"in the figures table, {what}")
        return text.strip()

    # the end -----------------------------------------------------------------------------------

    def _finish(self) -> None:
        out = self.out
        for key, chunks in self.chunks.items():
            if isinstance(key, str):
                out.texts[key] = "\n\n".join(chunks)
        body = self.doc.element.body
        if any(e.tag in TRACKED for e in body.iter()):
            out.notes.append("the document had tracked changes; the accepted text was taken")
        comments = sum(1 for _ in body.iter(f"{W}commentReference"))
        if comments:
            out.notes.append(f"the document has {comments} comment(s); comments are {NOT_SHOWN}")


def _blocks(parent: Any) -> Any:
    """Paragraphs and tables of the body in order, looking into content controls."""
    for child in parent:
        if child.tag in (f"{W}p", f"{W}tbl"):
            yield child
        elif child.tag in (f"{W}sdt", f"{W}sdtContent", f"{W}customXml"):
            yield from _blocks(child)


def _mark_deleted(p: Any) -> bool:
    return p.find(f"{W}pPr/{W}rPr/{W}del") is not None


def _all_bold(row: Any) -> bool:
    runs = [r for r in row.iter(f"{W}r") if r.find(f"{W}t") is not None]
    return bool(runs) and all(flag(r.find(f"{W}rPr"), "b", False) for r in runs)
