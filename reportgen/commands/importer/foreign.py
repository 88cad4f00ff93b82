"""Read an area made by hand (in Word, or converted by LibreOffice) with read.Reader's
machine, recognising its parts as people write them (detect.py).

A heading is a paragraph in a heading style (Heading 1-9, "Overskrift 1" …, Title), one
with an outline level, or, when the style was lost, a short paragraph that is a known label
("Fakta", "VURDERING:") or a short bold one. The parts are found by their labels in any
language and case, whatever their levels; other headings keep their place relative to the
parts' headings (a heading below "Vurdering" becomes a `#` line of it). The figures table is
found by its column headings, in any order, with or without the computed columns. Notes
give places in words: "after 'Vurdering' in 'Programområde 06 Kultur'".
"""

from __future__ import annotations

import re
from typing import Any

from reportgen.commands.importer.common import FIGURES_TEXT, SPACES, ImportedArea, Unplaced, W
from reportgen.commands.importer.detect import (
    Vocabulary,
    figures_layout,
    is_short,
    is_sum,
    style_kind,
    unit_in,
)
from reportgen.commands.importer.grid import single_cell
from reportgen.commands.importer.read import Reader
from reportgen.commands.importer.text import Styles, whole
from reportgen.markup import escape
from reportgen.messages import _
from reportgen.outline import (
    AREA_OUTLINE,
    DOCX_LEVELS,
    OTHER_MATTERS,
    TOP_LEVEL,
    Part,
    shown_level,
)
from reportgen.period import Period
from reportgen.present.typography import untypeset
from reportgen.view import Span

TITLE_LEVEL = 0  # a paragraph in the Title style stands above Heading 1


def heading_level(p: Any, styles: Styles) -> tuple[int | str | None, str]:
    """What a paragraph's own formatting says: (a level 0-9 for Title and Heading 1-9 or an
    outline level; "subtitle", "caption" or "toc"; or None for text, its style's name)."""
    chain = styles.paragraph(p)
    name = styles.name(chain[0]) if chain else ""
    for holder in [p, *chain]:
        outline = holder.find(f"{W}pPr/{W}outlineLvl")
        value = whole(outline.get(f"{W}val", "9")) if outline is not None else None
        if value is not None and value < DOCX_LEVELS:
            return value + 1, name
    for style in chain:
        kind = style_kind(styles.name(style))
        if kind is not None:
            return TITLE_LEVEL if kind == "title" else kind, name
    return None, name


def bold(pieces: list[Span]) -> bool:
    """Every letter of the paragraph is bold."""
    return all(p.bold for p in pieces if p.text.strip(SPACES + "\n"))


class ForeignReader(Reader):
    """Read.Reader for a document reportgen did not write."""

    def __init__(self, document: Any, labels: dict[str, str], period: Period,
                 out: ImportedArea, vocab: Vocabulary, styles: Styles | None = None,
                 scope: str = "", chapter: bool = False) -> None:
        super().__init__(document, labels, period, out, styles)
        self.vocab, self.scope, self.chapter = vocab, scope, chapter
        self.offset: int | None = None  # outline level minus the document's level
        self.item_level: int | None = None  # the document's level of Andre forhold items
        self.title_seen = False

    def _here(self) -> str:
        if self.scope and self.scope != self.after:
            here = _("after {heading!r} in {scope!r}") if self.after else _(
                "at the start in {scope!r}")
        else:
            here = _("after {heading!r}") if self.after else _("at the start")
        return here.format(heading=self.after, scope=self.scope)

    # what a paragraph is ------------------------------------------------------------------------

    def _kind(self, p: Any, pieces: list[Span], text: str) -> tuple[bool, Any, str]:
        level, style = heading_level(p, self.styles)
        if isinstance(level, int):
            return True, level, style
        if self.chapter and not self.title_seen:
            return True, None, style  # a chapter's heading, however it is written
        if level in ("caption", "toc") or not is_short(text):
            return False, None, style
        known = self.vocab.part(text) is not None and not self.chapter
        titled = self.vocab.area_title(text) is not None and not self.title_seen
        return known or titled or bold(pieces), None, style

    def _is_caption(self, style: str, text: str) -> bool:
        return style_kind(style) == "caption" or bool(re.match(r"tabell\s*\d+\s*[:.]", text,
                                                               re.IGNORECASE))

    def _is_note(self, style: str) -> bool:
        return style_kind(style) == "caption"

    # headings -----------------------------------------------------------------------------------

    def _heading(self, level: Any, text: str, p: Any, pieces: list[Span]) -> None:
        self.list_open = None
        self._close_skip()
        part = None if self.chapter else self.vocab.part(text)
        if not self.title_seen:
            if part is None and level is None and self.vocab.area_title(text) is None \
                    and not self.chapter:
                self._text(p, pieces)  # a bold line before the title
                return
            if part is None:
                self._title(text, level)
                return
            self._title(None, level)
        if part is not None:
            self._part(part, level, text)
        elif self.section is OTHER_MATTERS:
            self._item_heading(level, text)
        elif self.target is not None and (level is not None or is_short(text)):
            self._sub_heading(level, text)
        elif level is None:
            self._text(p, pieces)
            return
        else:
            self._skip(_("the heading {heading!r}, which is not part of an area's"
                         " structure").format(heading=text))
        self.after = text

    def _title(self, text: str | None, level: Any = None) -> None:  # type: ignore[override]
        self.title_seen = True
        lead = AREA_OUTLINE[0]
        self.section, self.target = lead, lead.name
        if text is None:
            if not self.chapter:
                self.note(_("the document has no title such as 'Programområde 06 …'; the text"
                            " from here on was read as the area's"))
            return
        self.out.title = text
        found = self.vocab.area_title(text)
        self.out.name = found[1] if found else text
        if found and found[0] != self.out.code:
            self.note(_("the title names area {named}, but the document is imported as area"
                        " {code}").format(named=found[0], code=self.out.code))
        if isinstance(level, int):
            self.offset = TOP_LEVEL - level
        self.after = text

    def _part(self, part: Part, level: Any, text: str) -> None:
        """A heading that names a part of the outline, at whatever level it stands."""
        if part.parent is not None and self.section is not part.parent:
            self.section = part.parent  # "Fakta" without "Økonomisk status" before it
        if isinstance(level, int):
            self.offset = part.heading_level(TOP_LEVEL) - level
        label = self.labels[part.label or ""]
        if text != label:
            self.note(_("the heading {heading!r} is written {label!r} by reportgen").format(
                heading=text, label=label))
        self._enter(part, text)
        self._end_skip()

    def _outline_level(self, level: Any) -> int | None:
        """The outline level a heading of the document's level stands for (None: unknown)."""
        if isinstance(level, int) and self.offset is not None:
            return level + self.offset
        return None

    def _sub_heading(self, level: Any, text: str) -> None:
        """A heading inside a text: a `#` line, as deep below the field's heading as the
        document has it (at least one level)."""
        outline = self._outline_level(level)
        depth = 1 if outline is None else outline - self._base() + 1
        if depth < 1:
            field = self.after if self.after else _("the text")
            self.note(_("the heading {heading!r} stands as high as the part it is in; it became"
                        " a sub-heading of {field!r}").format(heading=text, field=field))
            depth = 1
        self._add("#" * shown_level(depth) + " " + escape(text))

    def _item_heading(self, level: Any, text: str) -> None:
        """Under Andre forhold, the first level of headings makes the items; deeper ones are
        `#` lines of an item."""
        if isinstance(level, int) and self.item_level is not None and level > self.item_level \
                and isinstance(self.target, int):
            self._add("#" * shown_level(level - self.item_level) + " " + escape(text))
            return
        if level is None and self.item_level is not None and isinstance(self.target, int):
            self._add("# " + escape(text))
            return
        if isinstance(level, int) and self.item_level is None:
            self.item_level = level
            outline = self._outline_level(level)
            if outline is not None and outline <= OTHER_MATTERS.heading_level(TOP_LEVEL):
                self.note(_("the heading {heading!r} stands as high as 'Andre forhold'; it"
                            " became an item under it").format(heading=text))
        self.target = self._new_item(text)

    # tables -------------------------------------------------------------------------------------

    def _figures_layout(self, cells: list[tuple[str, ...]]) -> list[int | None] | None:
        if self.out.figures is not None or not cells or self.chapter:
            return None
        layout = figures_layout(list(cells[0]), self.vocab)
        if layout is not None and self.target != FIGURES_TEXT.name:
            self.note(_("the figures table stands here; reportgen shows it after 'Fakta'"))
        return layout

    def _any_headings(self) -> bool:
        return True

    def _is_sum(self, name: str) -> bool:
        return is_sum(name, self.vocab)

    def _unit(self, header: tuple[str, ...]) -> str | None:
        texts = [*header, *(c for c in [self.caption_text] if c)]
        unit = self.caption_unit or unit_in(texts)
        if unit is None:
            self.note(_("no unit (mill. kr or 1000 kr) is named at the figures table; it was"
                        " read as mill. kr: change `enhet` if that is wrong"))
        return unit

    caption_text: str | None = None

    def _table(self, table: Any) -> None:
        cell = single_cell(table)
        if cell is not None and self.pending is None:
            self.note(_("the text in a box (a table of one cell) became ordinary paragraphs"))
            for p in cell.iter(f"{W}p"):
                self._paragraph(p)
            return
        self.caption_text = self.pending[0] if self.pending else None
        super()._table(table)

    def _caption(self, text: str, place: str | None = None) -> None:
        text = untypeset(text)  # the no-break spaces reportgen put in
        if text not in self.captions:
            self.note(Unplaced(_("the figures table's caption {caption!r} is written by"
                                 " reportgen from the period and unit; not imported").format(
                caption=text)), place)
        else:
            self.caption_unit = self.captions[text]
