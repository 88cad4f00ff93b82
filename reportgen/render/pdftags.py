"""PDF/UA-1 repairs of WeasyPrint 70's tagging, made in its finisher hook: WeasyPrint calls
`finish(document, pdf)` with its laid-out document and the PDF's objects (pydyf) just before it
writes the file, so nothing is parsed again and the bytes stay reproducible.

What WeasyPrint leaves and what is done here (Matterhorn Protocol checkpoints in brackets):
- the running header and the page numbers are marked content mapped to structure elements
  that no element of the tree leads to: they become artifacts (01-005), and those elements
  are removed from the parent tree and the file;
- a table header row repeated on a continued page is tagged again there: the repeat becomes
  an artifact, and the continued rows' cells name the first header row's cells (09-004);
- header cells get a Scope, Column or Row (15-003);
- a link annotation's Contents is its target (a slug or an address): it becomes the link's
  text (28-012); a page with annotations gets Tabs /S (28-008, 28-009);
- with `declares_ua`, the XMP metadata says PDF/UA-1 (pdfuaid:part 1, 06-002), with the
  extension schema that PDF/A asks for a property outside its predefined schemas.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import Any

UA_WITH = ("pdf/a-2a", "pdf/a-3a")  # tagged PDF/A variants that also declare PDF/UA-1
ARTIFACT = "/Artifact"


def finisher(variant: str | None) -> Callable[[Any, Any], None]:
    """The function WeasyPrint calls with the document and its PDF objects before writing."""
    def finish(document: Any, pdf: Any) -> None:
        objects = _Objects(pdf)
        _header_rows_tagged_once(document, objects)
        _scope_header_cells(document)
        _describe_links(document)
        _furniture_as_artifacts(pdf, objects)
        _tab_order(pdf, objects)
        if variant in UA_WITH:
            _declare_ua(pdf, objects)

    return finish


class _Objects:
    """The PDF's objects by reference (pydyf writes references as b'12 0 R')."""

    def __init__(self, pdf: Any) -> None:
        self.pdf = pdf

    def __call__(self, reference: Any) -> Any:
        return self.pdf.objects[int(bytes(reference).split()[0])]


def _boxes(box: Any) -> Iterator[Any]:
    """A box and its descendants, in tree order."""
    yield box
    for child in getattr(box, "children", ()):
        yield from _boxes(child)


def _page_boxes(document: Any) -> Iterator[tuple[int, Any]]:
    for number, page in enumerate(document.pages):
        for box in _boxes(page._page_box):
            yield number, box


# --- tables ------------------------------------------------------------------------------------

def _header_rows_tagged_once(document: Any, objects: _Objects) -> None:
    """The header row of a table continued on the next page is drawn there again; its tags
    go (the marked content becomes an artifact below), and the body cells of the continued
    part refer to the first part's header cells."""
    from weasyprint.formatting_structure import boxes

    first_headers: dict[int, list[Any]] = {}  # id(table element) -> header cells' elements
    for _, box in _page_boxes(document):
        if not isinstance(box, boxes.TableBox):
            continue
        groups = [g for g in box.children if isinstance(g, boxes.TableRowGroupBox)]
        header = [cell.mark for g in groups if g.is_header for row in g.children
                  for cell in row.children if getattr(cell, "mark", None) is not None]
        if not header:
            continue
        kept = first_headers.setdefault(id(box.element), header)
        if kept is header:
            continue
        renamed = {_id(old): new["ID"] for old, new in zip(header, kept)}
        _unlink(objects(objects(header[0]["P"])["P"]), objects)  # the repeated THead
        for g in groups:
            for row in g.children:
                for cell in row.children:
                    mark = getattr(cell, "mark", None)
                    if mark is not None and "Headers" in mark.get("A", {}):
                        mark["A"]["Headers"] = type(mark["A"]["Headers"])(
                            kept_id(renamed, h) for h in mark["A"]["Headers"])


def _id(element: Any) -> str:
    return str(getattr(element.get("ID"), "string", element.get("ID")))


def kept_id(renamed: dict[str, Any], header: Any) -> Any:
    """A cell's header id, or the first header row's cell in its place."""
    return renamed.get(str(getattr(header, "string", header)), header)


def _unlink(element: Any, objects: _Objects) -> None:
    """Take a structure element out of its parent's kids."""
    parent = objects(element["P"])
    parent["K"] = type(parent["K"])(k for k in parent["K"] if k != element.reference)


def _scope_header_cells(document: Any) -> None:
    """Every TH says whether it heads a column (in the header row) or a row."""
    for _, box in _page_boxes(document):
        mark = getattr(box, "mark", None)
        if mark is not None and box.element_tag == "th":
            scope = (box.element.get("scope") or "col").lower()
            mark["A"]["Scope"] = "/Row" if scope == "row" else "/Column"


# --- links -------------------------------------------------------------------------------------

def _describe_links(document: Any) -> None:
    """A link annotation's Contents: the text of its link, not where it leads."""
    import pydyf

    for _, box in _page_boxes(document):
        annotation = getattr(box, "link_annotation", None)
        if annotation is not None and box.element is not None:
            link = box.element if box.element.tag == "a" else next(
                box.element.iterancestors("a"), box.element)
            text = " ".join("".join(link.itertext()).split())
            if text:
                annotation["Contents"] = pydyf.String(text)


def _tab_order(pdf: Any, objects: _Objects) -> None:
    """Annotations in the order of the structure tree."""
    for reference in pdf.page_references:
        page = objects(reference)
        if "Annots" in page:
            page["Tabs"] = "/S"


# --- page furniture ----------------------------------------------------------------------------

def _furniture_as_artifacts(pdf: Any, objects: _Objects) -> None:
    """Marked content whose structure element the tree does not lead to (WeasyPrint's margin
    boxes, a repeated header row) becomes an artifact, and the element goes."""
    root = objects(pdf.catalog["StructTreeRoot"])
    reachable = _reachable(root, objects)
    nums = objects(root["ParentTree"])["Nums"]
    for i in range(0, len(nums), 2):
        page, mapped = nums[i], nums[i + 1]
        if not isinstance(mapped, list) or page >= len(pdf.page_references):
            continue
        dropped = {mcid for mcid, ref in enumerate(mapped)
                   if ref != b"null" and ref not in reachable}
        if dropped:
            for mcid in dropped:
                mapped[mcid] = b"null"
            _mark_as_artifacts(objects(objects(pdf.page_references[page])["Contents"]),
                               dropped)
    for obj in pdf.objects[1:]:
        if isinstance(obj, dict) and obj.get("Type") == "/StructElem" and (
                obj.reference not in reachable):
            obj.free = "f"


def _reachable(root: Any, objects: _Objects) -> set[bytes]:
    """The references of every structure element the tree leads to from its root."""
    seen: set[bytes] = set()
    todo = [k for k in root["K"] if isinstance(k, bytes)]
    while todo:
        reference = todo.pop()
        if reference in seen:
            continue
        element = objects(reference)
        if element.get("Type") != "/StructElem":
            continue
        seen.add(reference)
        todo += [k for k in element.get("K", ()) if isinstance(k, bytes)]
    return seen


def _mark_as_artifacts(stream: Any, mcids: set[int]) -> None:
    """`/P <</MCID n>> BDC` becomes `/Artifact BMC` for each of the given MCIDs."""
    ops, out = stream.stream, []
    i = 0
    while i < len(ops):
        if (i + 2 < len(ops) and ops[i + 2] == b"BDC" and isinstance(ops[i + 1], dict)
                and ops[i + 1].get("MCID") in mcids):
            out += [ARTIFACT, b"BMC"]
            i += 3
            continue
        out.append(ops[i])
        i += 1
    stream.stream = out


# --- metadata ----------------------------------------------------------------------------------

UA_XMP = b"""<rdf:Description xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#" \
rdf:about="" xmlns:pdfaExtension="http://www.aiim.org/pdfa/ns/extension/" \
xmlns:pdfaSchema="http://www.aiim.org/pdfa/ns/schema#" \
xmlns:pdfaProperty="http://www.aiim.org/pdfa/ns/property#">\
<pdfaExtension:schemas><rdf:Bag><rdf:li rdf:parseType="Resource">\
<pdfaSchema:schema>PDF/UA Universal Accessibility Schema</pdfaSchema:schema>\
<pdfaSchema:namespaceURI>http://www.aiim.org/pdfua/ns/id/</pdfaSchema:namespaceURI>\
<pdfaSchema:prefix>pdfuaid</pdfaSchema:prefix>\
<pdfaSchema:property><rdf:Seq><rdf:li rdf:parseType="Resource">\
<pdfaProperty:name>part</pdfaProperty:name>\
<pdfaProperty:valueType>Integer</pdfaProperty:valueType>\
<pdfaProperty:category>internal</pdfaProperty:category>\
<pdfaProperty:description>Part of ISO 14289 the file conforms to</pdfaProperty:description>\
</rdf:li></rdf:Seq></pdfaSchema:property></rdf:li></rdf:Bag></pdfaExtension:schemas>\
</rdf:Description>\
<rdf:Description xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#" rdf:about="" \
xmlns:pdfuaid="http://www.aiim.org/pdfua/ns/id/"><pdfuaid:part>1</pdfuaid:part>\
</rdf:Description>"""


def _declare_ua(pdf: Any, objects: _Objects) -> None:
    """pdfuaid:part 1 in the XMP, beside PDF/A's identification."""
    metadata = objects(pdf.catalog["Metadata"])
    xmp = b"".join(bytes(part) for part in metadata.stream)
    end = xmp.rfind(b"</rdf:RDF>")
    if end < 0 or b"pdfuaid" in xmp:
        return
    metadata.stream = [xmp[:end] + UA_XMP + xmp[end:]]
