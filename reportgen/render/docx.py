"""DOCX renderer: the view's blocks as real Word paragraphs, lists, links and tables,
placed into templates/docx/document.docx by docxtpl.

The template holds page setup, styles, header and footer; this module only chooses styles.
"""

from __future__ import annotations

import io
from dataclasses import replace
from pathlib import Path
from typing import TYPE_CHECKING, Any

from reportgen.errors import SourceLocation, TemplateError
from reportgen.messages import _
from reportgen.outline import CONTENTS_LEVELS, DOCX_LEVELS, TOP_LEVEL, shown_level
from reportgen.render.docx_cover import add_logo
from reportgen.render.docx_properties import draft_banner, set_properties, view_warnings
from reportgen.render.docx_sections import split_sections
from reportgen.render.docx_template import (
    BODY_MARKER,
    CONTENTS_MARKER,
    fill_fields,
    open_template,
    scratch_document,
    unguard,
)
from reportgen.render.docxzip import document_parts, zip_bytes
from reportgen.render.wordml import (
    BodyEnd,
    Links,
    Numbering,
    add_run,
    bookmark,
    bookmark_name,
    field_char,
    hyperlink,
    instr,
    internal_link,
    language,
    page_reference,
    qn_,
    set_num_id,
    table_row,
)
from reportgen.view import (
    Block,
    Chart,
    DocumentView,
    Heading,
    ListBlock,
    Paragraph,
    SeriesChart,
    Span,
    Table,
)

if TYPE_CHECKING:
    from reportgen.render import RenderOptions

TEMPLATE = Path("docx") / "document.docx"
FONTS = Path("fonts")  # the chart's, drawn in the documents' own font


def render(view: DocumentView, templates: Path, options: RenderOptions) -> bytes:
    """The format's entry (see reportgen.render): the document, with reproducible zip bytes.
    The contents get their page numbers from LibreOffice's layout where it is installed
    (reportgen.render.paginate); elsewhere they list the titles alone."""
    from reportgen.render import paginate

    for warning in view_warnings(view):
        options.warn(warning)
    soffice = paginate.find_soffice() if view.contents else None
    if soffice is None:
        return zip_bytes(document_parts(_build(view, templates).docx))
    # Laid out with a number of two digits in every entry, as wide as the real ones will be.
    parts = document_parts(_build(view, templates, {h.anchor: PROVISIONAL_PAGE
                                                    for h in view.contents}).docx)
    try:
        pages = paginate.contents_pages(view, zip_bytes(parts), soffice)
    except paginate.LayoutFailed as exc:
        options.warn(_("the contents have no page numbers: {reason}").format(reason=exc))
        return zip_bytes(document_parts(_build(view, templates).docx))
    return zip_bytes({**parts, DOCUMENT_PART: _with_pages(parts[DOCUMENT_PART], pages)})


def warm_up() -> None:
    """Import python-docx and docxtpl ahead of the first render (a worker process's start)."""
    import docx.enum.table  # noqa: F401
    import docxtpl  # noqa: F401


def check(templates: Path, views: tuple[DocumentView, ...]) -> None:
    """The template tried on the views (reportgen.render.check_templates): it opens, has
    every style and marker, and its fields render; the chart's fonts are there.
    TemplateError where not. To keep check fast, each view's body is cut to one block of
    each kind (what the template gives them, their styles, is the same for every block of a
    kind), the chart is left out (drawing it needs nothing of the template but its fonts and
    the Caption style), and nothing is saved."""
    from reportgen.render.chart import check_fonts

    check_fonts(templates / FONTS)
    for view in views:
        kinds = {_kind(b): b for b in reversed(view.blocks) if not isinstance(b, Chart)}
        blocks = tuple(b for b in view.blocks if kinds.get(_kind(b)) is b)
        _build(replace(view, blocks=blocks), templates)


def _kind(block: Block) -> tuple[type, bool]:
    """A block's kind as the template sees it: numbered lists are a kind of their own."""
    return type(block), isinstance(block, ListBlock) and block.ordered


PROVISIONAL_PAGE = "00"
DOCUMENT_PART = "word/document.xml"


def _with_pages(document: bytes, pages: dict[str, str]) -> bytes:
    """The document part with each contents entry's PAGEREF result set to its page."""
    from lxml import etree

    root = etree.fromstring(document)
    by_name = {bookmark_name(anchor): page for anchor, page in pages.items()}
    for link in root.iter(qn_("w:hyperlink")):
        page = by_name.get(link.get(qn_("w:anchor")))
        fields = [i.text or "" for i in link.iter(qn_("w:instrText"))]
        if page is None or not any("PAGEREF" in field for field in fields):
            continue
        *_, result = link.iter(qn_("w:t"))  # the field's result: the link's last text
        result.text = page
    return bytes(etree.tostring(root, xml_declaration=True, encoding="UTF-8", standalone=True))


def _build(view: DocumentView, templates: Path, pages: dict[str, str] | None = None) -> Any:
    """The document, made from the template (a docxtpl DocxTemplate, not yet saved).

    docxtpl fills the template's own fields (cover, header, footer) with guarded strings; the
    body is built afterwards and put in place of a marker paragraph, so that no text of the
    authors ever passes through docxtpl's Jinja rendering or its post-processing (which turns
    `{_{` into `{{`).
    """
    template = open_template(templates / TEMPLATE)
    # One scratch document (docxtpl's subdocument) holds the contents, then the body. It is
    # made before docxtpl renders: afterwards docxtpl would reload the template, and with it
    # the part our links live in.
    sub = scratch_document(template)
    writer = _BodyWriter(sub, {s.name: s.style_id for s in template.docx.styles},
                         templates / FONTS)
    if view.contents:
        writer.contents(view, pages or {})
    contents = {e for e in sub.element.body if e.tag != qn_("w:sectPr")}
    for block in view.blocks:
        writer.add(block)
    fill_fields(template, view, templates / TEMPLATE)
    document = template.docx
    unguard(document)
    elements = [e for e in sub.element.body if e.tag != qn_("w:sectPr")]
    if contents:  # its marker stands on the cover, which only the whole report has
        _replace_marker(document, CONTENTS_MARKER, [e for e in elements if e in contents],
                        templates / TEMPLATE)
    _replace_marker(document, BODY_MARKER, [e for e in elements if e not in contents],
                    templates / TEMPLATE)
    if view.draft:
        draft_banner(document, view.labels["draft_banner"])
    if view.cover and view.cover.logo:
        add_logo(document, view.cover.logo)
    set_properties(document, view)
    language(document, view.lang_tag)
    if view.cover:  # no running header or page number on the cover
        document.sections[0].different_first_page_header_footer = True
    split_sections(document, view, bookmark_name)  # the header names each Del or area
    return template


def _replace_marker(document: Any, text: str, elements: list[Any], path: Path) -> None:
    """Put the elements (paragraphs, tables) where the marker paragraph stands."""
    marker = next((p for p in document.element.body.iter(qn_("w:p"))
                   if "".join(t.text or "" for t in p.iter(qn_("w:t"))) == text), None)
    if marker is None:
        marker = "{{ " + ("body" if text == BODY_MARKER else "contents") + " }}"
        raise TemplateError(
            _("the Word template has no paragraph {marker}, where the text goes").format(
                marker=marker) if text == BODY_MARKER else
            _("the Word template has no paragraph {marker}, where the table of contents"
              " goes").format(marker=marker),
            location=SourceLocation(str(path)),
            hint=_("write {marker} alone in a paragraph of the template's body").format(
                marker=marker) if text == BODY_MARKER else
            _("write {marker} alone in a paragraph of the template's body (on the cover,"
              " inside {cover})").format(marker=marker, cover="{%p if cover %}"))
    known = set(marker.nsmap.values())
    for element in elements:
        _adopt(element, marker.addprevious, known)
    marker.getparent().remove(marker)


# --- the body built in time linear in its size -------------------------------------------
# python-docx looks for the body's end, a free relationship id and a free list id through all
# that is already there, for each paragraph, link and list; its rows read every cell of the
# table; lxml moves a subtree into another document in time quadratic in its size. What is
# below makes the same XML as they did, in time independent of what is already there.

PIECE = 256  # elements: a subtree of at most this many moves into the template in one piece


def _adopt(element: Any, put: Any, known: set[str]) -> None:
    """Move `element` of one document into another with `put` (an `addprevious` or `append`
    there). lxml looks up the namespace of each moved element in a list that grows by one
    with each of them, so a big subtree (a table of thousands of rows, a paragraph of
    thousands of links) took minutes to move. A big one moves piece by piece: an element
    like it without children, then each child into that, each the same way. The XML is the
    same: each piece finds the namespaces of its names (those in `known`, declared above the
    place) where the whole subtree found them."""
    from lxml import etree

    names = (element.tag, *element.attrib)
    raw = etree._Element  # lxml's own `text` and `tail`: python-docx's classes redefine text
    if sum(1 for _ in element.iter()) <= PIECE or any(
            name.startswith("{") and name[1:].split("}")[0] not in known for name in names):
        put(element)
        return
    shell = element.makeelement(element.tag, element.attrib)
    raw.text.__set__(shell, raw.text.__get__(element))
    raw.tail.__set__(shell, raw.tail.__get__(element))
    put(shell)
    for child in list(element):
        _adopt(child, shell.append, known)


class _BodyWriter:
    """Appends blocks to the scratch document, using the template's styles."""

    def __init__(self, doc: Any, style_ids: dict[str, str], fonts: Path) -> None:
        self.doc = doc
        self.style_ids = style_ids
        self.fonts = fonts  # the chart is drawn in Carlito, as the HTML and PDF show it
        self.bookmarks = 0
        self.end = BodyEnd(doc)
        self.links: dict[Any, Links] = {}  # by part
        self.numbering: Numbering | None = None  # made at the first numbered list

    def paragraph(self, style: str, text: str = "") -> Any:
        """A new paragraph in a style, given by id: python-docx's lookup by name scans every
        style of the template for each paragraph, which was a third of the render."""
        paragraph = self.end.paragraph(text)
        paragraph._p.style = self.style_ids[style]
        return paragraph

    def contents(self, view: DocumentView, pages: dict[str, str]) -> None:
        """A TOC field, its result pre-filled as Word writes it: each entry a link to its
        heading, with the heading's page (a PAGEREF field) where `pages` knows it."""
        title = self.paragraph("TOC Heading", view.labels["contents"])
        title.paragraph_format.page_break_before = True  # a page break, not an empty paragraph
        entries = list(view.contents)
        for i, heading in enumerate(entries):
            paragraph = self.paragraph(f"TOC {shown_level(heading.level, CONTENTS_LEVELS)}")
            if i == 0:
                field_char(paragraph, "begin")
                instr(paragraph, f' TOC \\o "{TOP_LEVEL}-{CONTENTS_LEVELS}" \\h \\z \\u ')
                field_char(paragraph, "separate")
            link = internal_link(paragraph, heading.text, heading.anchor)
            if heading.anchor in pages:
                page_reference(link, heading.anchor, pages[heading.anchor])
            if i == len(entries) - 1:
                field_char(paragraph, "end")

    def add(self, block: Block) -> None:
        if isinstance(block, Heading):
            paragraph = self.paragraph(f"Heading {shown_level(block.level, DOCX_LEVELS)}",
                                       block.text)
            if block.new_page:
                paragraph.paragraph_format.page_break_before = True
            self.bookmarks += 1
            bookmark(paragraph, block.anchor, self.bookmarks)
        elif isinstance(block, Paragraph):
            self._spans(self.paragraph("Normal"), block.spans)
        elif isinstance(block, ListBlock):
            self._list(block)
        elif isinstance(block, Table):
            self._table(block)
        elif isinstance(block, Chart):
            self._chart(block)
        elif isinstance(block, SeriesChart):
            self._series_chart(block)

    def _list(self, block: ListBlock) -> None:
        style = "List Number" if block.ordered else "List Bullet"
        num_id = None
        if block.ordered:
            self.numbering = self.numbering or Numbering(self.doc)
            num_id = self.numbering.restarted(style, block.start)
        for item in block.items:
            paragraph = self.paragraph(style)
            if num_id is not None:
                set_num_id(paragraph, num_id)
            self._spans(paragraph, item)

    def _spans(self, paragraph: Any, spans: tuple[Span, ...]) -> None:
        for span in spans:
            if span.href:
                part = paragraph.part
                if part not in self.links:
                    self.links[part] = Links(part)
                hyperlink(paragraph, span, self.links[part].rel_id(span.href))
            else:
                run = add_run(paragraph, span.text)
                run.bold = span.bold or None
                run.italic = span.italic or None

    def _table(self, block: Table) -> None:
        from docx.enum.table import WD_TABLE_ALIGNMENT
        from docx.shared import Cm

        self.paragraph("Caption", block.caption)
        table = self.end.table(len(block.header))
        table._tbl.tblPr.style = self.style_ids["Figures Table"]
        table.alignment = WD_TABLE_ALIGNMENT.CENTER
        table.autofit = False
        widths = [Cm(w) for w in _column_widths(block)]
        rows = [(block.header, True, False)] + [(r.cells, False, r.is_sum) for r in block.rows]
        for column, width in zip(table.columns, widths):
            column.width = width  # the grid: LibreOffice lays tables out by it
        twips = [str(width.twips) for width in widths]
        right = [block.is_numeric(i) for i in range(len(widths))]
        for cells, is_header, is_sum in rows:
            table_row(table._tbl, cells, twips, self.style_ids["Table Text"],
                       header=is_header, bold=is_header or is_sum, right=right)
        if block.note:
            self.paragraph("Table Note", block.note)

    def _chart(self, block: Chart) -> None:
        from reportgen.render.chart import chart_png

        self._picture(chart_png(block, self.fonts), block.caption, block.alt)

    def _series_chart(self, block: SeriesChart) -> None:
        from reportgen.render.series import series_png

        self._picture(series_png(block, self.fonts), block.caption, block.alt)

    def _picture(self, png: bytes, caption: str, alt: str) -> None:
        from docx.shared import Cm

        from reportgen.render.chart import WIDTH_CM

        picture = self.paragraph("Normal")
        picture.paragraph_format.keep_with_next = True  # with its caption, below it as in PDF
        shape = picture.add_run().add_picture(io.BytesIO(png), width=Cm(WIDTH_CM))
        doc_pr = shape._inline.docPr
        doc_pr.set("descr", alt)
        doc_pr.set("title", caption)
        self.paragraph("Caption", caption).paragraph_format.keep_with_next = False


TEXT_WIDTH_CM = 16.0  # A4 less the margins
NUMBER_COLUMN_CM = 2.1  # a column of amounts in a figures table


def _column_widths(block: Table) -> list[float]:
    """Widths in cm: numbers narrow, the text columns share what is left of the text width."""
    count = len(block.header)
    numeric = [block.is_numeric(i) for i in range(count)]
    number = min(NUMBER_COLUMN_CM + (0.5 if block.numeric else 0), TEXT_WIDTH_CM / count)
    texts = count - sum(numeric)
    rest = (TEXT_WIDTH_CM - number * sum(numeric)) / texts if texts else 0
    return [number if n else round(rest, 2) for n in numeric]

