"""The WordprocessingML details of the DOCX renderer that python-docx has no API for:
bookmarks, links, fields, page references, table-row properties, restarted numbering, the
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


def hyperlink(paragraph: Any, span: Span) -> None:
    """A link to an outside address, as a Hyperlink-styled run."""
    from docx.opc.constants import RELATIONSHIP_TYPE

    rel_id = paragraph.part.relate_to(span.href, RELATIONSHIP_TYPE.HYPERLINK, is_external=True)
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
    run = paragraph.add_run(text)
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


def repeat_header(row: Any) -> None:
    """The table row repeats at the top of every page the table runs over."""
    # On/off properties without w:val: "true" is not in the Office 2007+ schemas' ST_OnOff
    # (only "on"/"off"), while the bare element means "on" to every reader.
    row._tr.get_or_add_trPr().append(oxml("w:tblHeader"))


def cant_split(row: Any) -> None:
    """The table row stays on one page."""
    row._tr.get_or_add_trPr().append(oxml("w:cantSplit"))


def restarted_numbering(doc: Any, style: str, start: int) -> int:
    """A new w:num over the list style's numbering, restarting at `start`."""
    numbering, abstract = list_numbering(doc, style)
    num = numbering.add_num(abstract)
    num.add_lvlOverride(ilvl=0).add_startOverride(start)
    return int(num.numId)


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
