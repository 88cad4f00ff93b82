"""DOCX renderer: the view's blocks as real Word paragraphs, lists, links and tables,
placed into templates/docx/document.docx by docxtpl.

The template holds page setup, styles, header and footer; this module only chooses styles.
"""

from __future__ import annotations

import io
from dataclasses import asdict, replace
from pathlib import Path
from typing import TYPE_CHECKING, Any

from reportgen.errors import SourceLocation, TemplateError
from reportgen.messages import _
from reportgen.outline import CONTENTS_LEVELS, DOCX_LEVELS, TOP_LEVEL, shown_level
from reportgen.render.docx_cover import add_logo
from reportgen.render.docx_properties import draft_banner, set_properties, view_warnings
from reportgen.render.docx_sections import PART_MARKER, split_sections
from reportgen.render.docx_template import field_error, open_template
from reportgen.render.wordml import (
    BodyEnd,
    Links,
    Numbering,
    bookmark,
    bookmark_name,
    field_char,
    hyperlink,
    instr,
    internal_link,
    language,
    page_reference,
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
ZIP_EPOCH = (1980, 1, 1, 0, 0, 0)  # the earliest zip date: fixed, so bytes do not depend on when
def render(view: DocumentView, templates: Path, options: RenderOptions) -> bytes:
    """The format's entry (see reportgen.render): the document, with reproducible zip bytes.
    The contents get their page numbers from LibreOffice's layout where it is installed
    (reportgen.render.paginate); elsewhere they list the titles alone."""
    from reportgen.render import paginate

    for warning in view_warnings(view):
        options.warn(warning)
    soffice = paginate.find_soffice() if view.contents else None
    if soffice is None:
        return normalise_zip(render_docx(view, templates))
    # Laid out with a number of two digits in every entry, as wide as the real ones will be.
    draft = render_docx(view, templates, {h.anchor: PROVISIONAL_PAGE for h in view.contents})
    try:
        pages = paginate.contents_pages(view, draft, soffice)
    except paginate.LayoutFailed as exc:
        options.warn(_("the contents have no page numbers: {reason}").format(reason=exc))
        return normalise_zip(render_docx(view, templates))
    return normalise_zip(draft, {DOCUMENT_PART: _with_pages(draft, pages)})


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


def _with_pages(docx: bytes, pages: dict[str, str]) -> bytes:
    """The document part with each contents entry's PAGEREF result set to its page."""
    import zipfile

    from lxml import etree

    root = etree.fromstring(zipfile.ZipFile(io.BytesIO(docx)).read(DOCUMENT_PART))
    by_name = {bookmark_name(anchor): page for anchor, page in pages.items()}
    for link in root.iter(_qn("w:hyperlink")):
        page = by_name.get(link.get(_qn("w:anchor")))
        fields = [i.text or "" for i in link.iter(_qn("w:instrText"))]
        if page is None or not any("PAGEREF" in field for field in fields):
            continue
        *_, result = link.iter(_qn("w:t"))  # the field's result: the link's last text
        result.text = page
    return bytes(etree.tostring(root, xml_declaration=True, encoding="UTF-8", standalone=True))


def normalise_zip(data: bytes, replaced: dict[str, bytes] | None = None) -> bytes:
    """Rewrite a DOCX with fixed timestamps and a stable entry order ([Content_Types] first),
    with the parts in `replaced` in place of its own."""
    import zipfile

    replaced = replaced or {}
    source = zipfile.ZipFile(io.BytesIO(data))
    names = source.namelist()
    ordered = sorted(names, key=lambda n: (n != "[Content_Types].xml", n != "_rels/.rels", n))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for name in ordered:
            info = zipfile.ZipInfo(name, ZIP_EPOCH)
            info.compress_type = zipfile.ZIP_DEFLATED
            info.external_attr = 0o644 << 16
            target.writestr(info, replaced.get(name) or source.read(name))
    return out.getvalue()


def render_docx(view: DocumentView, templates: Path,
                pages: dict[str, str] | None = None) -> bytes:
    """The document as .docx bytes (zip entries not yet normalised: see `render`); `pages`
    gives the contents' page numbers by anchor."""
    out = io.BytesIO()
    _build(view, templates, pages).save(out)
    return out.getvalue()


def _build(view: DocumentView, templates: Path, pages: dict[str, str] | None = None) -> Any:
    """The document, made from the template (a docxtpl DocxTemplate, not yet saved).

    docxtpl fills the template's own fields (cover, header, footer) with guarded strings; the
    body is built afterwards and put in place of a marker paragraph, so that no text of the
    authors ever passes through docxtpl's Jinja rendering or its post-processing (which turns
    `{_{` into `{{`).
    """
    template = open_template(templates / TEMPLATE)
    # One subdocument holds the contents, then the body. It is made before docxtpl renders:
    # afterwards docxtpl would reload the template, and with it the part our links live in.
    sub = template.new_subdoc()
    writer = _BodyWriter(sub, {s.name: s.style_id for s in template.docx.styles},
                         templates / FONTS)
    if view.contents:
        writer.contents(view, pages or {})
    contents = {e for e in sub.subdocx.element.body if e.tag != _qn("w:sectPr")}
    for block in view.blocks:
        writer.add(block)
    _fill_fields(template, view, templates / TEMPLATE)
    document = template.docx
    _unguard(document)
    elements = [e for e in sub.subdocx.element.body if e.tag != _qn("w:sectPr")]
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


def _fill_fields(template: Any, view: DocumentView, path: Path) -> None:
    """The template's own fields (cover, header, footer) filled in by docxtpl; the body and
    the contents are markers, replaced afterwards."""
    import jinja2

    context = {
        "cover": _guard(asdict(view.cover)) if view.cover else None,
        "kommune": _guard(view.kommune),
        "report_title": _guard(view.report_title),
        "running_title": _guard(view.running_title),
        "part": PART_MARKER,
        "period_label": _guard(view.period_label),
        "labels": _guard(view.labels),
        "contents": CONTENTS_MARKER,
        "body": BODY_MARKER,
    }
    env = jinja2.Environment(autoescape=True, undefined=jinja2.StrictUndefined)
    try:
        template.render(context, jinja_env=env, autoescape=True)
    except jinja2.TemplateError as exc:
        raise field_error(exc, template, path) from exc


# docxtpl rewrites `{_{`, `}_}`, `{_%` and `%_}` after rendering. Strings given to it are
# guarded: every "_" (and the guard character itself) becomes a private-use pair, undone after.
GUARD, ESCAPED_GUARD, UNDERSCORE = "\ue000", "\ue000\ue001", "\ue000\ue002"
BODY_MARKER, CONTENTS_MARKER = "reportgen:body", "reportgen:contents"


def _guard(value: Any) -> Any:
    if isinstance(value, str):
        return value.replace(GUARD, ESCAPED_GUARD).replace("_", UNDERSCORE)
    if isinstance(value, dict):
        return {k: _guard(v) for k, v in value.items()}
    return value


def _unguard(document: Any) -> None:
    import re

    from docx.opc.constants import RELATIONSHIP_TYPE as RT
    from docx.oxml.ns import qn

    pairs = {ESCAPED_GUARD: GUARD, UNDERSCORE: "_"}
    parts = [document.element.body]
    # The header and footer parts docxtpl rendered and will save: it puts them in the
    # relationships, while `section.header` would still find the unrendered originals.
    parts += [rel.target_part.element for rel in document.part.rels.values()
              if rel.reltype in (RT.HEADER, RT.FOOTER) and not rel.is_external]
    for part in parts:
        for text in part.iter(qn("w:t")):
            if text.text and GUARD in text.text:
                text.text = re.sub("\ue000[\ue001\ue002]", lambda m: pairs[m.group()], text.text)


def _qn(tag: str) -> str:
    from docx.oxml.ns import qn

    return qn(tag)


def _replace_marker(document: Any, text: str, elements: list[Any], path: Path) -> None:
    """Put the elements (paragraphs, tables) where the marker paragraph stands."""
    marker = next((p for p in document.element.body.iter(_qn("w:p"))
                   if "".join(t.text or "" for t in p.iter(_qn("w:t"))) == text), None)
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
    """Appends blocks to a docxtpl subdocument, using the template's styles."""

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
                run = paragraph.add_run(span.text)
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

