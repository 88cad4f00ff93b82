"""DOCX renderer: the view's blocks as real Word paragraphs, lists, links and tables,
placed into templates/docx/document.docx by docxtpl.

The template holds page setup, styles, header and footer; this module only chooses styles.
"""

from __future__ import annotations

import io
from dataclasses import asdict
from pathlib import Path
from typing import TYPE_CHECKING, Any

from reportgen import project
from reportgen.errors import TemplateError
from reportgen.outline import CONTENTS_LEVELS, DOCX_LEVELS, TOP_LEVEL, shown_level
from reportgen.render.wordml import (
    bookmark,
    cant_split,
    field_char,
    hyperlink,
    instr,
    internal_link,
    language,
    repeat_header,
    restarted_numbering,
    set_num_id,
    update_fields_on_open,
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
ZIP_EPOCH = (1980, 1, 1, 0, 0, 0)  # the earliest zip date: fixed, so bytes do not depend on when


def render(view: DocumentView, templates: Path, options: RenderOptions) -> bytes:
    """The format's entry (see reportgen.render): the document, with reproducible zip bytes."""
    return normalise_zip(render_docx(view, templates))


def normalise_zip(data: bytes) -> bytes:
    """Rewrite a DOCX with fixed timestamps and a stable entry order ([Content_Types] first)."""
    import zipfile

    source = zipfile.ZipFile(io.BytesIO(data))
    names = source.namelist()
    ordered = sorted(names, key=lambda n: (n != "[Content_Types].xml", n != "_rels/.rels", n))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for name in ordered:
            info = zipfile.ZipInfo(name, ZIP_EPOCH)
            info.compress_type = zipfile.ZIP_DEFLATED
            info.external_attr = 0o644 << 16
            target.writestr(info, source.read(name))
    return out.getvalue()


def render_docx(view: DocumentView, templates: Path) -> bytes:
    """The document as .docx bytes (zip entries not yet normalised: see `render`).

    docxtpl fills the template's own fields (cover, header, footer) with guarded strings; the
    body is built afterwards and put in place of a marker paragraph, so that no text of the
    authors ever passes through docxtpl's Jinja rendering or its post-processing (which turns
    `{_{` into `{{`).
    """
    import jinja2
    from docxtpl import DocxTemplate

    path = templates / TEMPLATE
    if project.exists(path):  # a named pipe would hang the zip reader; missing: docxtpl says
        project.check_file(path, error=TemplateError)
    template = DocxTemplate(str(path))
    # One subdocument holds the contents, then the body. It is made before docxtpl renders:
    # afterwards docxtpl would reload the template, and with it the part our links live in.
    sub = template.new_subdoc()
    writer = _BodyWriter(sub, {s.name: s.style_id for s in template.docx.styles},
                         templates / "fonts")
    if view.contents:
        writer.contents(view)
    contents = [e for e in sub.subdocx.element.body if e.tag != _qn("w:sectPr")]
    for block in view.blocks:
        writer.add(block)
    context = {
        "cover": _guard(asdict(view.cover)) if view.cover else None,
        "kommune": _guard(view.kommune),
        "report_title": _guard(view.report_title),
        "period_label": _guard(view.period_label),
        "labels": _guard(view.labels),
        "contents": CONTENTS_MARKER,
        "body": BODY_MARKER,
    }
    env = jinja2.Environment(autoescape=True, undefined=jinja2.StrictUndefined)
    template.render(context, jinja_env=env, autoescape=True)
    document = template.docx
    _unguard(document)
    elements = [e for e in sub.subdocx.element.body if e.tag != _qn("w:sectPr")]
    if contents:  # its marker stands on the cover, which only the whole report has
        _replace_marker(document, CONTENTS_MARKER, [e for e in elements if e in contents])
    _replace_marker(document, BODY_MARKER, [e for e in elements if e not in contents])
    if view.draft:
        _draft_banner(document, view.labels["draft_banner"])
    _properties(document, view)
    language(document, view.lang_tag)
    if view.contents:
        update_fields_on_open(document)
    if view.cover:  # no running header or page number on the cover
        document.sections[0].different_first_page_header_footer = True
    out = io.BytesIO()
    template.save(out)
    return out.getvalue()


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


def _replace_marker(document: Any, text: str, elements: list[Any]) -> None:
    """Put the elements (paragraphs, tables) where the marker paragraph stands."""
    marker = next(p for p in document.element.body.iter(_qn("w:p"))
                  if "".join(t.text or "" for t in p.iter(_qn("w:t"))) == text)
    for element in elements:
        marker.addprevious(element)
    marker.getparent().remove(marker)


class _BodyWriter:
    """Appends blocks to a docxtpl subdocument, using the template's styles."""

    def __init__(self, doc: Any, style_ids: dict[str, str], fonts: Path) -> None:
        self.doc = doc
        self.style_ids = style_ids
        self.fonts = fonts  # the chart is drawn in Carlito, as the HTML and PDF show it
        self.bookmarks = 0

    def paragraph(self, style: str, text: str = "") -> Any:
        """A new paragraph in a style, given by id: python-docx's lookup by name scans every
        style of the template for each paragraph, which was a third of the render."""
        paragraph = self.doc.add_paragraph(text)
        paragraph._p.style = self.style_ids[style]
        return paragraph

    def contents(self, view: DocumentView) -> None:
        """A TOC field Word refreshes on opening, pre-filled so other viewers show the entries."""
        title = self.paragraph("TOC Heading", view.labels["contents"])
        title.paragraph_format.page_break_before = True  # a page break, not an empty paragraph
        entries = list(view.contents)
        for i, heading in enumerate(entries):
            paragraph = self.paragraph(f"TOC {shown_level(heading.level, CONTENTS_LEVELS)}")
            if i == 0:
                field_char(paragraph, "begin")
                instr(paragraph, f' TOC \\o "{TOP_LEVEL}-{CONTENTS_LEVELS}" \\h \\z \\u ')
                field_char(paragraph, "separate")
            internal_link(paragraph, heading.text, heading.anchor)
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
        num_id = restarted_numbering(self.doc, style, block.start) if block.ordered else None
        for item in block.items:
            paragraph = self.paragraph(style)
            if num_id is not None:
                set_num_id(paragraph, num_id)
            self._spans(paragraph, item)

    def _spans(self, paragraph: Any, spans: tuple[Span, ...]) -> None:
        for span in spans:
            if span.href:
                hyperlink(paragraph, span)
            else:
                run = paragraph.add_run(span.text)
                run.bold = span.bold or None
                run.italic = span.italic or None

    def _table(self, block: Table) -> None:
        from docx.enum.table import WD_TABLE_ALIGNMENT
        from docx.enum.text import WD_ALIGN_PARAGRAPH
        from docx.shared import Cm

        self.paragraph("Caption", block.caption)
        table = self.doc.add_table(rows=0, cols=len(block.header))
        table._tbl.tblPr.style = self.style_ids["Figures Table"]
        table.alignment = WD_TABLE_ALIGNMENT.CENTER
        table.autofit = False
        widths = [Cm(w) for w in _column_widths(block)]
        rows = [(block.header, True, False)] + [(r.cells, False, r.is_sum) for r in block.rows]
        for column, width in zip(table.columns, widths):
            column.width = width  # the grid: LibreOffice lays tables out by it
        for cells, is_header, is_sum in rows:
            row = table.add_row()
            if is_header:
                repeat_header(row)
            cant_split(row)
            for i, (cell, text) in enumerate(zip(row.cells, cells)):
                cell.width = widths[i]
                paragraph = cell.paragraphs[0]
                paragraph._p.style = self.style_ids["Table Text"]
                run = paragraph.add_run(text)
                run.bold = (is_header or is_sum) or None
                if block.is_numeric(i):
                    paragraph.alignment = WD_ALIGN_PARAGRAPH.RIGHT
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

        self.paragraph("Caption", caption)
        run = self.paragraph("Normal").add_run()
        shape = run.add_picture(io.BytesIO(png), width=Cm(WIDTH_CM))
        doc_pr = shape._inline.docPr
        doc_pr.set("descr", alt)
        doc_pr.set("title", caption)


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


# docxcompose (imported by docxtpl's subdocuments) rebinds python-docx's "cp" prefix to the
# custom-properties namespace; the core properties' own cp: elements need the real one.
CORE_PROPERTIES_NS = "http://schemas.openxmlformats.org/package/2006/metadata/core-properties"


def _properties(doc: Any, view: DocumentView) -> None:
    import datetime as dt

    from docx.oxml.ns import nsmap

    rebound, nsmap["cp"] = nsmap["cp"], CORE_PROPERTIES_NS
    try:
        props = doc.core_properties
        props.title = view.title
        props.subject = view.period_label
        props.author = view.kommune
        props.last_modified_by = view.kommune
        props.language = view.lang_tag
        props.keywords = f"{view.report_title}; {view.period_id}"
        props.identifier = f"reportgen:{view.document_id}"  # lets `reportgen import` find it
        if view.source_fingerprint:  # lets `reportgen import` see that the YAML changed since
            props.version = view.source_fingerprint
        props.comments = ""
        props.content_status = view.labels["draft_mark"] if view.draft else ""
        props.revision = 1
        moment = dt.datetime.combine(view.date, dt.time(12, 0))
        props.created = props.modified = moment
        props.last_printed = moment
    finally:
        nsmap["cp"] = rebound


def _draft_banner(doc: Any, text: str) -> None:
    """A draft says so in its first paragraph, bold and red, above the cover or the title
    (`reportgen import` passes over it)."""
    from docx.shared import Pt, RGBColor

    paragraph = doc.add_paragraph()
    run = paragraph.add_run(text)
    run.bold = True
    run.font.size = Pt(16)
    run.font.color.rgb = RGBColor(0xB0, 0x00, 0x20)
    doc.element.body.insert(0, paragraph._p)
