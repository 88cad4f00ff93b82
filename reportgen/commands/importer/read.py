"""Walk an area DOCX's body (paragraphs, tables, tracked changes) into an `ImportedArea`.

The body follows the outline (outline.AREA_OUTLINE) that present gives an area: the title,
the lead, Økonomisk status (Fakta, the figures table, Vurdering, Konklusjon), Investeringer
and Andre forhold. `Reader` is a state machine over that outline, matching headings by the
labels of the document's language and the levels the outline gives them; what it cannot
place becomes a note with its place. A table in a text (other than the figures table) is
placed there as `[[tabell ?N]]` and kept in `grids`; a chart (a caption, then a picture)
as `[[diagram ?N]]`: the merge gives them their ids. foreign.py reads documents reportgen
did not write with the same machine, more leniently.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

from reportgen.commands.importer.common import (
    FIGURES_TEXT,
    SPACES,
    ImportedArea,
    ImportedGrid,
    ImportedTable,
    OtherItem,
    Unplaced,
    W,
    like,
    other_base,
    text_level,
)
from reportgen.commands.importer.detect import is_short
from reportgen.commands.importer.grid import Tables, blocks, picture_only
from reportgen.commands.importer.text import Inline, Styles, paragraph_markup, whole
from reportgen.labels import fill, table_words
from reportgen.markup import escape
from reportgen.messages import _, ngettext
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
from reportgen.period import Period
from reportgen.present.figures import table_note
from reportgen.present.typography import typeset_pieces, untypeset
from reportgen.render.docx_properties import fit_property
from reportgen.view import Span

CORE = "{http://schemas.openxmlformats.org/package/2006/metadata/core-properties}"
IDENTIFIER = re.compile(r"reportgen:([0-9]{4}-T[123])/(\S+)")
LABELLED = tuple(p for p in AREA_OUTLINE if p.label)  # the parts a heading announces
TRACKED = {f"{W}{t}" for t in ("ins", "del", "moveFrom", "moveTo", "rPrChange", "pPrChange",
                                "tblPrChange", "trPrChange", "tcPrChange", "sectPrChange")}


class Reader(Tables):
    """Walks the body in order; a state machine over the fixed structure of an area."""

    def __init__(self, document: Any, labels: dict[str, str], period: Period,
                 out: ImportedArea, styles: Styles | None = None) -> None:
        self.doc, self.labels, self.out = document, labels, out
        self.styles = styles or Styles(document)
        self.inline = Inline(document, self.styles)
        self.section: Part | None = None  # None: before the title; else the part we are in
        self.target: str | int | None = None  # a field's key, or an index into other_matters
        self.chunks: dict[str | int, list[str]] = {}
        self.skipping: list[Any] | None = None  # an unknown heading: note, its place, count
        self.list_open: tuple[str | int, bool, int] | None = None  # target, ordered, next no.
        # The lines of the open list's chunk and the chunks it is the last of: joined into it
        # once, when a chunk is added or the reading ends (see _lines).
        self.lines: tuple[list[str], list[str]] | None = None
        self.number, self.after, self.carry = 0, "", [Span("")]
        self.elements: list[Any] = []
        self.index = 0
        self.pending: tuple[str, str] | None = None  # a caption before a table: text, place
        self.chart: tuple[str, str] | None = None  # a caption before a picture: text, place
        self.chart_caption: str | None = None  # the caption below the chart just read
        self.last_table: ImportedGrid | ImportedTable | None = None  # the table just read
        month = period.month_in(out.language)
        words = table_words(month, period.year, "")
        self.captions = {text: u for u in AMOUNT_UNITS for text in (
            fill(labels, "table_caption", **table_words(month, period.year, u)),
            *(untypeset(table_note(labels, u, rule, sums))
              for rule in (True, False) for sums in (True, False)))}
        self.header = tuple(fill(labels, k, **words)
                            for k in (NAME_LABEL, *(column.label for column in FIGURE_COLUMNS)))
        self.caption_unit: str | None = None
        self.moved = False  # the note about text after the table is given once

    def read(self, title: str, elements: list[Any] | None = None) -> None:
        """Fill `out` from the body (or from `elements`, a part of it), then add the notes
        about the styles."""
        self.title = title
        self.elements = list(blocks(self.doc.element.body)) if elements is None else elements
        for index, element in enumerate(self.elements):
            self.index = index
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
        if self.kind == "table":
            here = _("table {number} (after {heading!r})") if self.after else _("table {number}")
        else:
            here = _("paragraph {number} (after {heading!r})") if self.after else _(
                "paragraph {number}")
        return here.format(number=self.number, heading=self.after)

    def note(self, what: str, place: str | None = None) -> None:
        """A note about the current paragraph (or the one at `place`), with its place."""
        self._style_notes()
        self.out.notes.append(like(what, f"{place or self._here()}: {what}"))

    def _style_notes(self) -> None:
        """The notes about the styles (a loop of bases), in the order they were met."""
        self.out.notes += self.styles.notes
        self.styles.notes = []

    # paragraphs ------------------------------------------------------------------------------

    def _paragraph(self, p: Any) -> None:
        pieces = self.inline.pieces(p)
        if picture_only(p) and (self.chart is not None or self._caption_below()):
            self.inline.take_notes()  # the chart a caption announced, or one captioned below
            self._add_placement("diagram", self.chart)  # type: ignore[arg-type]
            return
        for what in self.inline.take_notes():
            self.note(what)
        if _mark_deleted(p):  # a tracked deletion of the paragraph mark joins it to the next
            self.carry += pieces
            return
        pieces, self.carry = self.carry + pieces, [Span("")]
        pieces = list(typeset_pieces(pieces, undo=True))  # the no-break spaces render put in
        text = "".join(x.text for x in pieces).strip(SPACES + "\n")
        if not text:
            return
        heading, level, style = self._kind(p, pieces, text)
        if heading:
            self._heading(level, re.sub(r"[ \t\n]+", " ", text), p, pieces)
        elif not self._caption_paragraph(style, text):
            self._text(p, pieces)

    def _kind(self, p: Any, pieces: list[Span], text: str) -> tuple[bool, Any, str]:
        """(whether it is a heading, its level, its style's name). A paragraph whose heading
        style was lost is still one when its text is the title or a part's label, or, under
        Andre forhold, a short bold line (an item's heading)."""
        level, style = self._level(p)
        if level:
            return True, level, style
        if self.section is None and text == self.title:
            return True, TOP_LEVEL, style
        found = next((part for part in LABELLED if self.labels[part.label or ""] == text), None)
        if found is not None:
            return True, found.heading_level(TOP_LEVEL), style
        if self.section is OTHER_MATTERS and is_short(text) \
                and all(x.bold for x in pieces if x.text.strip()):
            return True, item_heading_level(TOP_LEVEL), style
        return False, 0, style

    def _style_name(self, paragraph: Any) -> str:
        chain = self.styles.paragraph(paragraph)
        return self.styles.name(chain[0]) if chain else ""

    def _level(self, p: Any) -> tuple[int, str]:
        """(heading level or 0, style name) of a paragraph."""
        outline = p.find(f"{W}pPr/{W}outlineLvl")
        chain = self.styles.paragraph(p)
        name = self.styles.name(chain[0]) if chain else ""
        if outline is not None:
            value = whole(outline.get(f"{W}val", "9"))
            if value is not None:
                return (min(value, DOCX_LEVELS) + 1) % (DOCX_LEVELS + 1), name
            self.note(_("its outline level {value!r} is not a number; it was ignored").format(
                value=outline.get(f"{W}val")))
        for style in chain:
            if self.styles.name(style) == "Title":
                return TOP_LEVEL, name
            if found := re.fullmatch(r"Heading ([1-9])", self.styles.name(style)):
                return int(found.group(1)), name
        return 0, name

    def _heading(self, level: int, text: str, p: Any, pieces: list[Span]) -> None:
        self.list_open = None
        self._close_skip()
        if self.section is None and level == TOP_LEVEL:
            self._title(text)
        elif self.section is None:
            self.note(Unplaced(_("the title (a heading {level}) is missing; the text before"
                                 " here was not imported").format(level=TOP_LEVEL)))
            self._title(None)
            self._heading(level, text, p, pieces)
        elif not self._structural(level, text):
            if self.target is not None and level >= self._base():
                self._add("#" * shown_level(level - self._base() + 1) + " " + escape(text))
            else:
                self._skip(_("a heading {level} {heading!r} that is not part of an area's"
                             " structure").format(level=level, heading=text))
        self.after = text

    def _close_skip(self) -> None:
        """A heading ends an unknown heading's part: only its own text is skipped."""
        if self.skipping:
            self.target = self.skipping[3]
            self._end_skip()

    def _skip(self, what: str) -> None:
        """Leave out an unknown heading and what stands under it, with one note."""
        self.skipping = [(self._here(), what), len(self.out.notes), 0, self.target]
        self.target = None

    def _title(self, text: str | None) -> None:
        lead = AREA_OUTLINE[0]  # the text under the title
        self.section, self.target = lead, lead.name
        if text is not None and self.title and fit_property(text) != self.title:
            self.note(Unplaced(_("the title is made from the area's name in kommune.yaml; the"
                                 " edit was not imported")))

    def _structural(self, level: int, text: str) -> bool:
        """Headings of the outline move to their part; True when `text` is one."""
        found = next((p for p in LABELLED if self.labels[p.label or ""] == text
                      and p.heading_level(TOP_LEVEL) == level
                      and (p.parent is None or p.parent == self.section)), None)
        if found is not None:
            self._enter(found, text)
        elif level == item_heading_level(TOP_LEVEL) and self.section is OTHER_MATTERS:
            self.target = self._new_item(text)
        else:
            return False
        self._end_skip()
        return True

    def _enter(self, found: Part, text: str) -> None:
        """Move to a part of the outline that a heading announces."""
        if found.parent is None:  # a part under the title
            self.section = found
            self.target = found.name if found.kind == "text" else None
            if found is OTHER_MATTERS:
                self.out.other_matters = self.out.other_matters or []
        else:  # a text inside a group (Fakta in Økonomisk status)
            self.target = found.name
        if isinstance(self.target, str):
            if self.target in self.chunks:
                self.note(_("a second heading {heading!r}; its text was added to the"
                            " first").format(heading=text))
            self.chunks.setdefault(self.target, [])

    def _end_skip(self) -> None:
        if self.skipping:
            (place, what), index, count = self.skipping[:3]
            if count:  # "paragraph(s)" in English either way; other languages have two forms
                left = ngettext("{heading}; it and the {count} paragraph(s) under it were not"
                                " imported", "{heading}; it and the {count} paragraph(s) under"
                                " it were not imported", count)
            else:
                left = _("{heading}; it was not imported")
            self.out.notes.insert(index, Unplaced(f"{place}: " + left.format(heading=what,
                                                                            count=count)))
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
            quote = quote if len(quote) <= 40 else quote[:39] + "…"
            left = _("text before the title ({quote!r}); not imported") if self.section is None \
                else _("text outside the fields ({quote!r}); not imported")
            self.note(Unplaced(left.format(quote=quote)))
            return
        if self.target == FIGURES_TEXT.name and self.out.figures is not None and not self.moved:
            self.moved = True
            self.note(_("text after the figures table belongs to Fakta, which stands before the"
                        " table; it will move there"))
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
            self.note(_("a nested list item became an item of the outer list"))
        if self.list_open and self.list_open[:2] == (self.target, ordered):
            number = self.list_open[2]
            self._lines().append((f"{number}. " if ordered else "- ") + line)
        else:
            number = start
            self._add((f"{number}. " if ordered else "- ") + line)
        assert self.target is not None
        self.list_open = (self.target, ordered, number + 1)

    def _lines(self) -> list[str]:
        """The lines of the last chunk of the target (the open list), to add an item to.
        They are joined into the chunk once (_join_lines): adding each item to the chunk
        took time quadratic in the items of a list."""
        if self.lines is None:
            chunks = self.chunks[self.target]  # type: ignore[index]
            self.lines = (chunks, [chunks[-1]])
        return self.lines[1]

    def _join_lines(self) -> None:
        if self.lines is not None:
            chunks, lines = self.lines
            chunks[-1] = "\n".join(lines)
            self.lines = None

    def _add(self, chunk: str) -> None:
        assert self.target is not None
        self._join_lines()
        self.chunks.setdefault(self.target, []).append(chunk)

    # the end -----------------------------------------------------------------------------------

    def _finish(self) -> None:
        self._join_lines()
        for key, chunks in self.chunks.items():
            if isinstance(key, str):
                self.out.texts[key] = "\n\n".join(chunks)


def document_notes(document: Any) -> list[str]:
    """The notes about the document as a whole: tracked changes, comments."""
    body = document.element.body
    notes = []
    if any(e.tag in TRACKED for e in body.iter()):
        notes.append(_("the document had tracked changes; the accepted text was taken"))
    comments = sum(1 for _comment in body.iter(f"{W}commentReference"))
    if comments:  # "comment(s)" in English either way; other languages have two forms
        notes.append(Unplaced(ngettext(
            "the document has {count} comment(s); comments are not imported",
            "the document has {count} comment(s); comments are not imported",
            comments).format(count=comments)))
    return notes


def read_area(document: Any, path: Path, labels: dict[str, str], period: str, code: str,
              language: str, fingerprint: str, title: str) -> ImportedArea:
    """An area document reportgen rendered, as input values."""
    imported = ImportedArea(path, period, code, language, fingerprint=fingerprint,
                            labels=labels)
    Reader(document, labels, Period.parse(period), imported).read(title)
    imported.notes += document_notes(document)
    return imported


def _mark_deleted(p: Any) -> bool:
    return p.find(f"{W}pPr/{W}rPr/{W}del") is not None
