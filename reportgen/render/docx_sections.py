"""The DOCX's running header names the Del or the area, as the PDF's does (print.css: the
report on the left, the part on the right): the template's header holds `{{ part }}`, and
each Del of the whole report (a heading that starts a page and names its part) begins a
section of its own, whose header names it.

A section's header names its part as text; one that holds the areas (Del 3) names them by a
STYLEREF field to the character style PART_STYLE, which the titles of its parts carry: Word
shows on each page the first title on the page, or the last before it. The field's result
as saved is the Del's title, which LibreOffice (7.4 does not update STYLEREF) shows on every
page of the Del. The sections break continuously before each Del's title, which starts a
page already (its page break is kept): LibreOffice and Word lay the pages out as before.
A template without `{{ part }}` in its header keeps one header for the whole document.

Part of the DOCX renderer.
"""

from __future__ import annotations

import copy
from typing import Any

from reportgen.view import DocumentView, Heading

PART_MARKER = "reportgen:part"  # what docxtpl fills {{ part }} with; replaced here
PART_STYLE = "Part Title"  # the character style of the titles the header names


def split_sections(document: Any, view: DocumentView, bookmark: Any) -> None:
    """A section per Del, each with a header naming its part (see the module's docstring);
    `bookmark` gives a heading's bookmark name from its anchor."""
    header = _marked_header(document)
    if header is None:
        return
    headings = [b for b in view.blocks if isinstance(b, Heading) and b.names_part]
    titles = _title_paragraphs(document, headings, bookmark)
    sections: list[list[Heading]] = [[]]  # the first: what comes before the first Del
    for heading in headings:
        paragraph = titles[heading.anchor]
        if heading.new_page and (sections[-1] or paragraph.getprevious() is not None):
            sections.append([])
        sections[-1].append(heading)
    body = document.element.body
    final = body.find(_qn("w:sectPr"))
    parts = [(header, document.part.relate_to(header, _header_type()))]
    parts += [_header_copy(document, header) for _ in sections[1:]]
    for (part, _), names in zip(parts, sections):
        _name_part(document, part.element, names, titles, view.lang_tag)
    for number, names in enumerate(sections[1:], 1):
        properties = copy.deepcopy(final) if number == 1 else _following(final)
        _refer(properties, parts[number - 1][1])
        _break_before(titles[names[0].anchor], properties)
    if len(sections) > 1:
        last = _following(final)
        _refer(last, parts[-1][1])
        final.addprevious(last)
        body.remove(final)


def _marked_header(document: Any) -> Any:
    """The header part (as docxtpl rendered it) whose text holds PART_MARKER."""
    from docx.opc.constants import RELATIONSHIP_TYPE as RT

    for rel in document.part.rels.values():
        if rel.reltype == RT.HEADER and not rel.is_external and any(
                PART_MARKER in (t.text or "") for t in rel.target_part.element.iter(_qn("w:t"))):
            return rel.target_part
    return None


def _title_paragraphs(document: Any, headings: list[Heading], bookmark: Any) -> dict[str, Any]:
    """The body's paragraphs of the headings, by anchor (found by their bookmarks)."""
    by_name = {}
    for start in document.element.body.iter(_qn("w:bookmarkStart")):
        if start.getparent().tag == _qn("w:p"):
            by_name[start.get(_qn("w:name"))] = start.getparent()
    return {h.anchor: by_name[bookmark(h.anchor)] for h in headings}


def _name_part(document: Any, header: Any, names: list[Heading], titles: dict[str, Any],
               view_lang: str) -> None:
    """The marker in the header replaced by the part's name: its title, or for several
    titles a STYLEREF field to PART_STYLE (shown as the first title until Word updates it)."""
    for text in list(header.iter(_qn("w:t"))):
        if PART_MARKER not in (text.text or ""):
            continue
        shown = names[0].text if names else ""
        if len(names) < 2:
            text.text = text.text.replace(PART_MARKER, shown)
            continue
        style = _part_style(document, view_lang)
        for heading in names:
            for run in titles[heading.anchor].iter(_qn("w:r")):
                run.style = style
        before, _, after = text.text.partition(PART_MARKER)
        text.text = before
        _field_after(text, f' STYLEREF "{PART_STYLE}" ', shown + after)


def _field_after(text: Any, instruction: str, result: str) -> None:
    """A field after the run of `text`, whose runs copy that run's properties; what followed
    `text` in its run moves after the field."""
    run = text.getparent()
    rest = [child for child in run if child.getprevious() is not None
            and _follows(child, text)]
    pieces = [("w:fldChar", "begin"), ("w:instrText", instruction), ("w:fldChar", "separate"),
              ("w:t", result), ("w:fldChar", "end")]
    anchor = run
    for tag, value in pieces:
        new = _run_like(run)
        child = new.makeelement(_qn(tag), {})
        if tag == "w:fldChar":
            child.set(_qn("w:fldCharType"), value)
        else:
            child.text = value
            child.set("{http://www.w3.org/XML/1998/namespace}space", "preserve")
        new.append(child)
        anchor.addnext(new)
        anchor = new
    if rest:
        tail = _run_like(run)
        tail.extend(rest)
        anchor.addnext(tail)


def _follows(child: Any, text: Any) -> bool:
    node = child.getprevious()
    while node is not None:
        if node is text:
            return True
        node = node.getprevious()
    return False


def _run_like(run: Any) -> Any:
    new = run.makeelement(_qn("w:r"), {})
    properties = run.find(_qn("w:rPr"))
    if properties is not None:
        new.append(copy.deepcopy(properties))
    return new


def _part_style(document: Any, lang: str) -> str:
    """The id of PART_STYLE, added when missing: a character style without formatting, in
    the document's language (as every style names it)."""
    from docx.enum.style import WD_STYLE_TYPE

    found = next((s for s in document.styles if s.name == PART_STYLE), None)
    if found is None:
        found = document.styles.add_style(PART_STYLE, WD_STYLE_TYPE.CHARACTER)
        found.hidden, found.unhide_when_used, found.priority = False, True, 99
        properties = found.element.get_or_add_rPr()
        properties.append(properties.makeelement(_qn("w:lang"), {
            _qn(f"w:{k}"): lang for k in ("val", "eastAsia", "bidi")}))
    return str(found.style_id)


def _header_copy(document: Any, header: Any) -> tuple[Any, str]:
    """A new header part with the header's content and relationships, and the id of the
    document's relationship to it."""
    from docx.opc.constants import CONTENT_TYPE as CT
    from docx.opc.packuri import PackURI
    from docx.parts.hdrftr import HeaderPart

    package = document.part.package
    part = HeaderPart(PackURI(package.next_partname("/word/header%d.xml")), CT.WML_HEADER,
                      copy.deepcopy(header.element), package)
    for rel_id, rel in header.rels.items():
        part.rels.add_relationship(rel.reltype, rel.target_ref if rel.is_external
                                   else rel.target_part, rel_id, rel.is_external)
    return part, document.part.relate_to(part, _header_type())


def _following(final: Any) -> Any:
    """Section properties for a section after the first: the page as the document's, no
    header or footer of its own (the footer carries on), no title page."""
    properties = copy.deepcopy(final)
    for tag in ("w:headerReference", "w:footerReference", "w:titlePg", "w:type"):
        for element in properties.findall(_qn(tag)):
            properties.remove(element)
    return properties


def _refer(properties: Any, rel_id: str) -> None:
    """The section's default header is the part of `rel_id`; it begins continuously."""
    for element in properties.findall(_qn("w:headerReference")):
        if element.get(_qn("w:type")) == "default":
            properties.remove(element)
    reference = properties.makeelement(_qn("w:headerReference"), {
        _qn("w:type"): "default", _qn("r:id"): rel_id})
    properties.insert(0, reference)
    kind = properties.find(_qn("w:type"))
    if kind is None:
        kind = properties.makeelement(_qn("w:type"), {})
        size = properties.find(_qn("w:pgSz"))
        if size is not None:
            size.addprevious(kind)
        else:
            properties.append(kind)
    kind.set(_qn("w:val"), "continuous")


def _break_before(paragraph: Any, properties: Any) -> None:
    """A paragraph of its own, as small as a paragraph can be, ending the section before
    `paragraph` (it stands at the foot of the page before, which a page break ends)."""
    breaker = paragraph.makeelement(_qn("w:p"), {})
    ppr = breaker.makeelement(_qn("w:pPr"), {})
    spacing = ppr.makeelement(_qn("w:spacing"), {
        _qn("w:before"): "0", _qn("w:after"): "0", _qn("w:line"): "20",
        _qn("w:lineRule"): "exact"})
    mark = ppr.makeelement(_qn("w:rPr"), {})
    mark.append(mark.makeelement(_qn("w:sz"), {_qn("w:val"): "2"}))
    ppr.extend([spacing, mark, properties])
    breaker.append(ppr)
    paragraph.addprevious(breaker)


def _header_type() -> str:
    from docx.opc.constants import RELATIONSHIP_TYPE as RT

    return str(RT.HEADER)


def _qn(tag: str) -> str:
    from docx.oxml.ns import qn

    return qn(tag)
