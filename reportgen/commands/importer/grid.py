"""The body's blocks in order, a table's cells as text, and how the reader takes tables.

`blocks` yields the paragraphs and tables of the body (looking into content controls);
`cell_rows` reads a table's rows (tracked deletions of rows left out) as the text of each
cell; the predicates say whether a row is bold (a sum row) and whether a paragraph holds only
a picture (a chart). `Tables` is the part of read.Reader that reads tables, their captions
and notes, and charts: the figures table into `figures`, any other table into `grids`, placed
in its text as `[[tabell ?N]]`. Imports importer.common and text.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from reportgen.commands.importer.common import (
    FIGURES_TEXT,
    ImportedGrid,
    ImportedTable,
    Unplaced,
    W,
    like,
    placement,
)
from reportgen.commands.importer.text import PICTURES, Inline, flag
from reportgen.messages import _
from reportgen.outline import FIGURE_COLUMNS
from reportgen.present.typography import untypeset

TABLE_WIDTH = len(FIGURE_COLUMNS) + 1  # the names, then the amounts
CAPTION, TABLE_NOTE = "Caption", "Table Note"  # the styles reportgen writes around a table


def blocks(parent: Any) -> Iterator[Any]:
    """Paragraphs and tables of the body in order, looking into content controls."""
    for child in parent:
        if child.tag in (f"{W}p", f"{W}tbl"):
            yield child
        elif child.tag in (f"{W}sdt", f"{W}sdtContent", f"{W}customXml"):
            yield from blocks(child)


def cell_rows(table: Any, inline: Inline) -> tuple[list[Any], list[tuple[str, ...]]]:
    """The table's rows (w:tr, without rows deleted as a tracked change) and the text of
    each of their cells (its paragraphs joined by a space)."""
    rows = [r for r in table.findall(f"{W}tr") if r.find(f"{W}trPr/{W}del") is None]
    cells = [tuple(_cell(c, inline) for c in r.findall(f"{W}tc")) for r in rows]
    return rows, cells


def _cell(cell: Any, inline: Inline) -> str:
    text = " ".join("".join(x.text for x in inline.pieces(p)) for p in cell.iter(f"{W}p"))
    return text.strip()


def all_bold(row: Any) -> bool:
    """Every run of the row with text is bold (as a sum row is)."""
    runs = [r for r in row.iter(f"{W}r") if r.find(f"{W}t") is not None]
    return bool(runs) and all(flag(r.find(f"{W}rPr"), "b", False) for r in runs)


def picture_only(element: Any) -> bool:
    """A paragraph that holds a picture and no text (a chart)."""
    if element is None or element.tag != f"{W}p":
        return False
    has_picture = any(e.tag in PICTURES for e in element.iter())
    text = "".join(t.text or "" for t in element.iter(f"{W}t"))
    return has_picture and not text.strip()


def single_cell(table: Any) -> Any:
    """The one cell of a table of one row and one column (a text box made as a table)."""
    rows = table.findall(f"{W}tr")
    cells = rows[0].findall(f"{W}tc") if len(rows) == 1 else []
    return cells[0] if len(cells) == 1 else None


class Tables:
    """Tables, their captions and notes, and charts, for read.Reader (which sets the state
    these methods use: target, labels, out, elements, index, pending, chart, last_table …)."""

    target: Any
    out: Any
    inline: Inline
    labels: dict[str, str]
    header: tuple[str, ...]
    captions: dict[str, str]
    caption_unit: str | None
    elements: list[Any]
    index: int
    pending: tuple[str, str] | None
    chart: tuple[str, str] | None
    chart_caption: str | None
    last_table: ImportedGrid | ImportedTable | None
    skipping: list[Any] | None
    list_open: Any

    def note(self, what: str, place: str | None = None) -> None:
        """See read.Reader.note."""
        raise NotImplementedError

    def _here(self) -> str:
        raise NotImplementedError

    def _add(self, chunk: str) -> None:
        raise NotImplementedError

    def _next(self) -> Any:
        return self.elements[self.index + 1] if self.index + 1 < len(self.elements) else None

    def _previous(self) -> Any:
        return self.elements[self.index - 1] if self.index > 0 else None

    def _caption_below(self) -> bool:
        """Whether the picture being read is a chart with its caption below (as reportgen
        writes it); then self.chart holds that caption, and the caption is not read again."""
        text = self._caption_at(self.index + 1)
        if text is None:
            return False
        self.chart, self.chart_caption = (text, self._here()), text
        return True

    def _caption_at(self, index: int) -> str | None:
        """The text of the caption paragraph at elements[index]; None when it is none."""
        element = self.elements[index] if index < len(self.elements) else None
        if element is None or element.tag != f"{W}p":
            return None
        text = untypeset("".join(t.text or "" for t in element.iter(f"{W}t"))).strip()
        return text if text and self._is_caption(self._style_name(element), text) else None

    def _style_name(self, paragraph: Any) -> str:
        raise NotImplementedError

    def _caption_paragraph(self, style: str, text: str) -> bool:
        """A caption or note of a table or chart: kept for it, not read as text."""
        if self.chart_caption is not None:  # the caption below the chart just read
            below, self.chart_caption = self.chart_caption, None
            if untypeset(text) == below:
                return True
        following, before = self._next(), self._previous()
        if self._is_caption(style, text) and following is not None:
            if following.tag == f"{W}tbl":
                self.pending = (text, self._here())
                return True
            if picture_only(following) and self._caption_at(self.index + 2) is None:
                self.chart = (text, self._here())  # a picture captioned above, not below
                return True
        if self._is_note(style) and before is not None and before.tag == f"{W}tbl" \
                and self.last_table is not None:
            if isinstance(self.last_table, ImportedGrid):
                self.last_table.note = text
            else:
                self._caption(text)
            return True
        if style in (CAPTION, TABLE_NOTE) and self.target == FIGURES_TEXT.name:
            self._caption(text)
            return True
        return False

    def _is_caption(self, style: str, text: str) -> bool:
        return style == CAPTION

    def _is_note(self, style: str) -> bool:
        return style == TABLE_NOTE

    def _caption(self, text: str, place: str | None = None) -> None:
        text = untypeset(text)  # the no-break spaces reportgen put in
        if text in self.captions:
            self.caption_unit = self.captions[text]
        else:
            self.note(Unplaced(_("the table's caption and note are written by reportgen; the"
                                 " edit was not imported")), place)

    def _add_placement(self, what: str, caption: tuple[str, str]) -> None:
        """`[[diagram ?N]]` where a chart stood (its caption kept for the merge)."""
        self.chart = None
        if self.skipping:
            self.skipping[2] += 1
        elif self.target is None:
            self.note(Unplaced(_("a picture (its caption {caption!r}); not imported").format(
                caption=caption[0])))
        else:
            self.list_open = None
            self.out.charts.append(caption)
            self._add(placement(what, len(self.out.charts) - 1))

    # tables ------------------------------------------------------------------------------------

    def _table(self, table: Any) -> None:
        self.list_open = None
        caption, self.pending = self.pending, None
        if self.skipping:
            self.skipping[2] += 1
            return
        rows, cells = cell_rows(table, self.inline)
        cell_notes = self.inline.take_notes()
        layout = self._figures_layout(cells)
        if layout is None:
            for what in cell_notes:
                self.note(like(what, _("in the table, {note}").format(note=what)))
            self._grid(cells, caption, table)
            return
        if caption is not None:
            self._caption(*caption)
        for what in cell_notes:
            self.note(like(what, _("in the figures table, {note}").format(note=what)))
        self._figures(rows, cells, layout)

    def _figures_layout(self, cells: list[tuple[str, ...]]) -> list[int | None] | None:
        """Where the figures table's columns are (None: this is not the figures table). In
        reportgen's document: the seven columns of a table in Fakta, in order."""
        if self.target != FIGURES_TEXT.name or self.out.figures is not None or not cells \
                or len(cells[0]) != TABLE_WIDTH:
            return None
        return list(range(TABLE_WIDTH))

    def _figures(self, rows: list[Any], cells: list[tuple[str, ...]],
                 layout: list[int | None]) -> None:
        """The figures table: the rows, the sum row, the unit."""
        width = len(cells[0])
        header = tuple(cells[0][i] if i is not None else self.header[k]
                       for k, i in enumerate(layout))
        if header != self.header and not self._any_headings():
            self.note(Unplaced(_("the column headings are written by reportgen; the edit was"
                                 " not imported")))
        body, total = cells[1:], None
        if len(body) > 1 and (self._is_sum(body[-1][layout[0] or 0]) or all_bold(rows[-1])):
            body, total = body[:-1], body[-1]
        for number, row in enumerate(body, 2):
            if len(row) != width:
                self.note(Unplaced(_("row {number} of the figures table has {cells} cells, not"
                                     " {width}; it was not imported").format(
                    number=number, cells=len(row), width=width)))
        picked = [tuple(row[i] if i is not None else "" for i in layout)
                  for row in body if len(row) == width]
        total = tuple(total[i] if i is not None else "" for i in layout) \
            if total is not None and len(total) == width else None
        missing = frozenset(k for k, i in enumerate(layout) if i is None)
        self.out.figures = ImportedTable(picked, total, self._unit(cells[0]), header,
                                         self._here(), missing)
        self.last_table = self.out.figures

    def _any_headings(self) -> bool:
        """Whether the table's headings may be worded as the author likes (not reportgen's)."""
        return False

    def _is_sum(self, name: str) -> bool:
        return name == self.labels["sum"]

    def _unit(self, header: tuple[str, ...]) -> str | None:
        return self.caption_unit

    def _grid(self, cells: list[tuple[str, ...]], caption: tuple[str, str] | None,
              table: Any) -> None:
        """Any other table: kept for `tabeller:`, placed where it stands."""
        if self.target is None:
            self.note(Unplaced(_("a table outside the fields; not imported")))
            return
        if len(cells) < 1 or len({len(row) for row in cells}) != 1:
            self.note(Unplaced(_("a table whose rows have different numbers of cells (merged"
                                 " cells); it was not imported")))
            return
        grid = ImportedGrid(cells[0], cells[1:], caption[0] if caption else None, None,
                            self._here())
        self.out.grids.append(grid)
        self.last_table = grid
        self._add(placement("tabell", len(self.out.grids) - 1))

