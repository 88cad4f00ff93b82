"""The WordprocessingML details of the DOCX renderer that python-docx has no API for:
bookmarks, links, fields, page references, table rows, restarted numbering, the
proofing language.

Part of the DOCX renderer (docx.py); python-docx is imported where it is used.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from reportgen.render.docx_template import list_numbering

if TYPE_CHECKING:
    from reportgen.view import Span


def oxml(tag: str, **attrs: str) -> Any:
    """A WordprocessingML element with `w_val="x"`-style attributes (w:val)."""
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn

    element = OxmlElement(tag)
    for name, value in attrs.items():
        element.set(qn(name.replace("_", ":", 1)), value)
    return element


BOOKMARK_NAME_MAX = 40  # Word's limit (ST_String maxLength 40 on w:bookmarkStart/@w:name)


def bookmark_name(anchor: str) -> str:
    """The heading's anchor as a bookmark name Word accepts: as it is when short enough, else
    cut and ended by a hash of the whole anchor, so that two long anchors stay apart."""
    import hashlib

    if len(anchor) <= BOOKMARK_NAME_MAX:
        return anchor
    digest = hashlib.sha1(anchor.encode("utf-8")).hexdigest()[:6]
    return f"{anchor[:BOOKMARK_NAME_MAX - len(digest) - 1]}-{digest}"


def bookmark(paragraph: Any, anchor: str, number: int) -> None:
    """A bookmark around the heading, so TOC entries and links can point at it."""
    ident = str(number)
    paragraph._p.insert(1 if paragraph._p.pPr is not None else 0,
                        oxml("w:bookmarkStart", w_id=ident, w_name=bookmark_name(anchor)))
    paragraph._p.append(oxml("w:bookmarkEnd", w_id=ident))


def hyperlink(paragraph: Any, span: Span, rel_id: str) -> None:
    """A link to an outside address (the part's relationship `rel_id`, from Links), as a
    Hyperlink-styled run."""
    link = oxml("w:hyperlink", r_id=rel_id, w_history="1")
    link.append(detached_run(paragraph, span.text, span.bold, span.italic, "Hyperlink"))
    paragraph._p.append(link)


def internal_link(paragraph: Any, text: str, anchor: str) -> Any:
    """A link to a heading's bookmark (a contents entry); the link element."""
    link = oxml("w:hyperlink", w_anchor=bookmark_name(anchor), w_history="1")
    link.append(detached_run(paragraph, text, False, False, None))
    paragraph._p.append(link)
    return link


def page_reference(link: Any, anchor: str, page: str) -> None:
    """A tab (the TOC style's right tab with dot leader) and the heading's page number, as a
    PAGEREF field whose result is `page`."""
    tab = oxml("w:r")
    tab.append(oxml("w:tab"))
    link.append(tab)
    for kind, child in (("begin", None), (None, f" PAGEREF {bookmark_name(anchor)} \\h "),
                        ("separate", None), (None, page), ("end", None)):
        run = oxml("w:r")
        if kind:
            run.append(oxml("w:fldChar", w_fldCharType=kind))
        elif child.startswith(" PAGEREF"):
            run.append(text_element("w:instrText", child))
        else:
            run.append(text_element("w:t", child))
        link.append(run)


def text_element(tag: str, text: str) -> Any:
    """A w:t or w:instrText holding `text`, its spaces kept."""
    element = oxml(tag)
    element.set("{http://www.w3.org/XML/1998/namespace}space", "preserve")
    element.text = text
    return element


def detached_run(paragraph: Any, text: str, bold: bool, italic: bool,
                 char_style: str | None) -> Any:
    """A run made by the paragraph, then taken out of it to be put inside a link."""
    run = add_run(paragraph, text)
    run.bold, run.italic = bold or None, italic or None
    if char_style:
        run._r.style = char_style  # the style's id; a lookup by name scans every style
    element = run._r
    element.getparent().remove(element)
    return element


def field_char(paragraph: Any, kind: str) -> None:
    """A field's begin, separate or end mark."""
    run = oxml("w:r")
    run.append(oxml("w:fldChar", w_fldCharType=kind))
    paragraph._p.append(run)


def instr(paragraph: Any, instruction: str) -> None:
    """A field's instruction (` TOC \\o "1-2" …`)."""
    run = oxml("w:r")
    text = oxml("w:instrText")
    text.set("{http://www.w3.org/XML/1998/namespace}space", "preserve")
    text.text = instruction
    run.append(text)
    paragraph._p.append(run)


def set_num_id(paragraph: Any, num_id: int) -> None:
    """The paragraph belongs to the numbering `num_id`, at its first level."""
    num_pr = paragraph._p.get_or_add_pPr().get_or_add_numPr()
    num_pr.get_or_add_ilvl().val = 0
    num_pr.get_or_add_numId().val = num_id


def language(doc: Any, tag: str) -> None:
    """The proofing language on the document defaults and every style that names one."""
    from docx.opc.constants import RELATIONSHIP_TYPE as RT
    from docx.oxml.ns import qn

    for lang in doc.styles.element.iter(qn("w:lang")):
        for attr in ("w:val", "w:eastAsia", "w:bidi"):
            lang.set(qn(attr), tag)
    # And on every run, for tools that look there: the body's, and those of the header and
    # footer parts docxtpl rendered (in the relationships; `section.header` finds the originals).
    stories = [doc.element.body] + [rel.target_part.element for rel in doc.part.rels.values()
                                    if rel.reltype in (RT.HEADER, RT.FOOTER)
                                    and not rel.is_external]
    for story in stories:
        for run in story.iter(qn("w:r")):
            run_pr = run.get_or_add_rPr()
            if run_pr.find(qn("w:lang")) is None:
                run_pr.append(oxml("w:lang", w_val=tag))


_CLARK: dict[str, str] = {}


def qn_(tag: str) -> str:
    """The Clark name of a prefixed tag ("w:p" -> "{…wordprocessingml…}p"), python-docx's
    `qn`, remembered (not the "cp" prefix, which docx_properties rebinds for a while)."""
    name = _CLARK.get(tag)
    if name is None:
        from docx.oxml.ns import qn

        name = qn(tag)
        if not tag.startswith("cp:"):
            _CLARK[tag] = name
    return name


def add_run(paragraph: Any, text: str = "") -> Any:
    """python-docx's `paragraph.add_run(text)`, without its search of the new run for
    content to clear (an XPath query for each run)."""
    from docx.text.run import Run

    run = paragraph._p.add_r()
    put_text(run, text)
    return Run(run, paragraph)


def put_text(run: Any, text: str) -> None:
    """python-docx's `run.text = text` for a w:r holding nothing but its w:rPr: the text in
    one w:t, or where it has tabs or breaks, python-docx's own setter's elements."""
    if "\t" in text or "\r" in text or "\n" in text:
        run.text = text
    elif text:
        run.add_t(text)


# --- building in linear time: python-docx's own calls look through everything added before --

class BodyEnd:
    """New paragraphs and tables at the end of a document's body, before its w:sectPr, as
    python-docx's `add_paragraph` and `add_table` put them (each looks for that w:sectPr
    among all the body's children; `add_table` also through every paragraph for the last
    section's width)."""

    def __init__(self, doc: Any) -> None:
        self.doc = doc
        self.container = doc._body  # the paragraphs' parent: it knows their part
        body = doc.element.body
        last = body.find(qn_("w:sectPr"))
        self.put = last.addprevious if last is not None else body.append
        self.width: Any = None  # between the margins: the body adds no section

    def paragraph(self, text: str = "") -> Any:
        """A new python-docx paragraph, with `text` in one run if any."""
        from docx.oxml import OxmlElement
        from docx.text.paragraph import Paragraph

        element = OxmlElement("w:p")
        self.put(element)
        paragraph = Paragraph(element, self.container)
        if text:
            add_run(paragraph, text)
        return paragraph

    def table(self, cols: int) -> Any:
        """A new python-docx table of `cols` columns and no rows."""
        from docx.oxml.table import CT_Tbl
        from docx.table import Table

        if self.width is None:
            self.width = self.doc._block_width
        element = CT_Tbl.new_tbl(0, cols, self.width)
        self.put(element)
        table = Table(element, self.container)
        table.style = None  # as add_table leaves it: the document's default table style
        return table


class Links:
    """The ids of a part's relationships to link targets, as `part.relate_to(target,
    HYPERLINK, is_external=True)` gives them (it looks through every relationship for the
    target, then for a free id)."""

    def __init__(self, part: Any) -> None:
        from docx.opc.constants import RELATIONSHIP_TYPE

        self.kind = RELATIONSHIP_TYPE.HYPERLINK
        self.rels = part.rels
        self.ids: dict[str, str] = {}
        for rel in self.rels.values():  # relate_to finds the first of these
            if rel.reltype == self.kind and rel.is_external:
                self.ids.setdefault(rel.target_ref, rel.rId)
        self.free = 1  # rId1 … below it are taken: relationships are only added

    def rel_id(self, target: str) -> str:
        """The id of the relationship to `target`, added if there is none."""
        if target not in self.ids:
            while f"rId{self.free}" in self.rels:
                self.free += 1
            self.ids[target] = f"rId{self.free}"
            self.rels.add_relationship(self.kind, target, self.ids[target], is_external=True)
        return self.ids[target]


class Numbering:
    """New w:num elements that restart a list style's numbering, as python-docx's `add_num`
    makes them (it looks through every w:num for a free numId, in time quadratic in their
    number, and the style's w:num is looked up anew at each list)."""

    def __init__(self, doc: Any) -> None:
        self.doc = doc
        self.element = doc.part.numbering_part.element
        self.used = {int(n) for n in self.element.xpath("./w:num/@w:numId")}
        self.free = 1  # the numIds below it are taken: w:num elements are only added
        after = self.element.find(qn_("w:numIdMacAtCleanup"))
        self.put = after.addprevious if after is not None else self.element.append
        self.abstracts: dict[str, Any] = {}  # by list style

    def restarted(self, style: str, start: int) -> int:
        """The numId of a new w:num over the list style's numbering, restarting at `start`."""
        from docx.oxml.numbering import CT_Num

        if style not in self.abstracts:
            self.abstracts[style] = list_numbering(self.doc, style)[1]
        while self.free in self.used:
            self.free += 1
        self.used.add(self.free)
        num = CT_Num.new(self.free, self.abstracts[style])
        self.put(num)
        num.add_lvlOverride(ilvl=0).add_startOverride(start)
        return int(num.numId)


def table_row(tbl: Any, cells: tuple[str, ...], twips: list[str], style: str,
               header: bool, bold: bool, right: list[bool]) -> None:
    """A row of a table whose grid is there, as python-docx's `add_row`, `row.cells`,
    `cell.width` and `add_run` made it (`row.cells` reads every row above). The text goes in
    by python-docx's own `CT_R.text`, which writes tabs and breaks as Word does."""
    from lxml import etree

    def sub(parent: Any, tag: str, **attrs: str) -> Any:
        return etree.SubElement(parent, qn_(tag), {qn_(k.replace("_", ":", 1)): v
                                                   for k, v in attrs.items()})

    tr = sub(tbl, "w:tr")
    properties = sub(tr, "w:trPr")
    # On/off properties without w:val: "true" is not in the Office 2007+ schemas' ST_OnOff
    # (only "on"/"off"), while the bare element means "on" to every reader.
    if header:  # repeated at the top of each page
        sub(properties, "w:tblHeader")
    sub(properties, "w:cantSplit")
    for i, width in enumerate(twips):
        tc = sub(tr, "w:tc")
        sub(sub(tc, "w:tcPr"), "w:tcW", w_type="dxa", w_w=width)
        paragraph = sub(tc, "w:p")
        if i >= len(cells):  # a cell without text: python-docx's empty one
            continue
        paragraph_properties = sub(paragraph, "w:pPr")
        sub(paragraph_properties, "w:pStyle", w_val=style)
        if right[i]:
            sub(paragraph_properties, "w:jc", w_val="right")
        run = sub(paragraph, "w:r")
        run_properties = sub(run, "w:rPr")
        if bold:
            sub(run_properties, "w:b")
        put_text(run, cells[i])
