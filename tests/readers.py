"""Reading the produced files back: DOCX, HTML and PDF.

The readers use the same libraries a user's tools would (python-docx and lxml, the standard
library's HTML parser, pypdf, pikepdf, poppler's pdftotext) and know nothing of reportgen's
internals.
"""

from __future__ import annotations

import html.parser
import re
import subprocess
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

HYPHENS = "-\u00ad\u2010\u2011"  # what a PDF may put at a line end where it broke a word


# --- text ----------------------------------------------------------------------------------------

def collapse(text: str) -> str:
    """Whitespace runs as one space, ends trimmed (how HTML shows text)."""
    return " ".join(text.split())


def squash(text: str) -> str:
    """Text without any whitespace: for PDF text, where line breaks replace spaces."""
    return re.sub(r"\s+", "", text)


# --- DOCX ----------------------------------------------------------------------------------------

def open_docx(path: Path) -> Any:
    import docx

    return docx.Document(str(path))


def docx_level(paragraph: Any) -> int:
    """1-9 for Title / Heading N (or styles based on them, or an outline level), else 0."""
    from docx.oxml.ns import qn

    ppr = paragraph._p.pPr
    if ppr is not None and ppr.find(qn("w:outlineLvl")) is not None:
        return int(ppr.find(qn("w:outlineLvl")).get(qn("w:val"))) + 1
    style = paragraph.style
    while style is not None:
        name = style.name or ""
        if name == "Title":
            return 1
        if match := re.fullmatch(r"Heading ([1-9])", name):
            return int(match.group(1))
        style = style.base_style
    return 0


def docx_blocks(path: Path) -> list[tuple[int, str]]:
    """(level, text) of the body's non-empty paragraphs in order; tables are not included."""
    return [
        (docx_level(p), p.text.strip()) for p in open_docx(path).paragraphs if p.text.strip()
    ]


def docx_tables(path: Path) -> list[list[list[str]]]:
    """Every body table as rows of cell texts."""
    return [[[cell.text for cell in row.cells] for row in table.rows]
            for table in open_docx(path).tables]


W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
NS = {
    "w": W,
    "wp": "http://schemas.openxmlformats.org/drawingml/2006/wordprocessingDrawing",
    "a": "http://schemas.openxmlformats.org/drawingml/2006/main",
    "cp": "http://schemas.openxmlformats.org/package/2006/metadata/core-properties",
    "dc": "http://purl.org/dc/elements/1.1/",
    "dcterms": "http://purl.org/dc/terms/",
}


def w(name: str) -> str:
    """Clark notation for a WordprocessingML name: w('lang') -> '{…/main}lang'."""
    return f"{{{W}}}{name}"


def docx_part(path: Path, name: str) -> Any:
    """One part of the package, parsed with lxml."""
    from lxml import etree

    with zipfile.ZipFile(path) as package:
        return etree.fromstring(package.read(name))


def docx_part_names(path: Path) -> list[str]:
    with zipfile.ZipFile(path) as package:
        return package.namelist()


# --- HTML ----------------------------------------------------------------------------------------

VOID = {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source",
        "track", "wbr"}
HTML_BLOCKS = {"p", "li", "caption", "h1", "h2", "h3", "h4", "h5", "h6"}


@dataclass
class Element:
    tag: str
    attrs: dict[str, str | None]
    children: list[Any]

    def text(self) -> str:
        return "".join(c if isinstance(c, str) else c.text() for c in self.children)

    def iter(self, *tags: str) -> Iterator[Element]:
        """This element and its descendants (those with one of tags, if given), in order."""
        if not tags or self.tag in tags:
            yield self
        for child in self.children:
            if isinstance(child, Element):
                yield from child.iter(*tags)

    def find_all(self, *tags: str) -> list[Element]:
        return [e for e in self.iter(*tags) if e is not self]

    def find(self, tag: str) -> Element:
        found = self.find_all(tag)
        assert found, f"no <{tag}> in <{self.tag}>"
        return found[0]


class _TreeBuilder(html.parser.HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.root = Element("#document", {}, [])
        self.stack = [self.root]

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        element = Element(tag, dict(attrs), [])
        self.stack[-1].children.append(element)
        if tag not in VOID:
            self.stack.append(element)

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.stack[-1].children.append(Element(tag, dict(attrs), []))

    def handle_endtag(self, tag: str) -> None:
        for i in range(len(self.stack) - 1, 0, -1):
            if self.stack[i].tag == tag:
                del self.stack[i:]
                return

    def handle_data(self, data: str) -> None:
        self.stack[-1].children.append(data)


def html_document(path: Path) -> Element:
    builder = _TreeBuilder()
    builder.feed(path.read_text(encoding="utf-8"))
    builder.close()
    return builder.root


def html_blocks(path: Path, within: str = "main") -> list[tuple[int, str]]:
    """(level, text) of headings (h1-h6) and text blocks (p, li, caption) inside <within>."""
    out: list[tuple[int, str]] = []

    def walk(element: Element) -> None:
        if element.tag in HTML_BLOCKS:
            level = int(element.tag[1]) if re.fullmatch(r"h[1-6]", element.tag) else 0
            if text := collapse(element.text()):
                out.append((level, text))
            return
        if element.tag in ("script", "style"):
            return
        for child in element.children:
            if isinstance(child, Element):
                walk(child)

    walk(html_document(path).find(within))
    return out


def html_reading_blocks(path: Path) -> list[tuple[str, str]]:
    """What the same blocks are in the HTML page the PDF was printed from, as PDF tag types:
    the body without what print hides (skip link, page footer) and without the masthead,
    whose text the PDF shows only in the page margins."""
    out: list[tuple[str, str]] = []

    def visit(element: Element) -> None:
        classes = (element.attrs.get("class") or "").split()
        if element.tag in ("script", "style", "head") or {"skip-link", "page-footer",
                                                          "masthead", "chart-narrow"} & set(classes):
            return
        if re.fullmatch(r"h[1-6]", element.tag):
            out.append((element.tag.upper(), element.text()))
        elif element.tag == "p":
            out.append(("P", printed_text(element)))
        elif element.tag == "li":
            out.append(("LI", printed_text(element)))
        elif element.tag in ("caption", "figcaption"):
            out.append(("Caption", element.text()))
        elif element.tag in ("th", "td"):
            out.append((element.tag.upper(), element.text()))
        elif element.tag == "img":
            out.append(("Figure", element.attrs.get("alt") or ""))
        else:
            for child in element.children:
                if isinstance(child, Element):
                    visit(child)

    visit(html_document(path).find("body"))
    return out


def printed_text(element: Element) -> str:
    """An element's text as print shows it: each web link followed by its address in
    parentheses, unless the link's text is the address (class shows-address)."""
    def text(node: Any) -> str:
        if isinstance(node, str):
            return node
        inner = "".join(text(c) for c in node.children)
        href = node.attrs.get("href") or ""
        if node.tag == "a" and href.startswith("http") and "shows-address" not in (
                node.attrs.get("class") or "").split():
            return f"{inner} ({href})"
        return inner

    return text(element)


# --- PDF: text -----------------------------------------------------------------------------------

def pdf_pages(path: Path) -> list[str]:
    """The text of each page, as pypdf extracts it."""
    import pypdf

    return [page.extract_text() or "" for page in pypdf.PdfReader(str(path)).pages]


def pdf_outline(path: Path) -> list[tuple[int, str]]:
    """The bookmarks as (level, title), level 1 at the top, in order."""
    import pypdf

    out: list[tuple[int, str]] = []

    def walk(items: list[Any], level: int) -> None:
        for item in items:
            if isinstance(item, list):
                walk(item, level + 1)
            else:
                out.append((level, item.title))

    walk(pypdf.PdfReader(str(path)).outline, 1)
    return out


PAGE_NUMBER = re.compile(r"Side \d+ av \d+")


def pdf_body_lines(path: Path, furniture: set[str]) -> list[str]:
    """The pages' lines without page numbers and without the lines given as furniture."""
    return [
        line.strip()
        for page in pdf_pages(path)
        for line in page.splitlines()
        if line.strip()
        and line.strip() not in furniture
        and not PAGE_NUMBER.fullmatch(line.strip())
    ]


def segment_lines(lines: list[str], texts: list[str]) -> tuple[list[str], list[str]]:
    """Cut PDF lines into consecutive blocks, one per expected text, whitespace removed.

    Each block takes whole lines until it is as long as its expected text, so a block
    boundary that falls inside a line shows as a mismatch. A hyphen at a line end is dropped
    when the expected text has none there (the layout broke the word). Returns the blocks
    and the lines left over.
    """
    blocks: list[str] = []
    i = 0
    for text in texts:
        target, got = squash(text), ""
        while i < len(lines) and len(got) < len(target):
            piece = squash(lines[i])
            i += 1
            if piece and piece[-1] in HYPHENS and not target.startswith(got + piece):
                piece = piece[:-1]
            got += piece
        blocks.append(got)
    return blocks, lines[i:]


def pdftotext_pages(path: Path) -> list[list[str]]:
    """Each page's non-empty lines as poppler lays them out (`pdftotext -layout`), stripped."""
    done = subprocess.run(["pdftotext", "-layout", "-enc", "UTF-8", str(path), "-"],
                          capture_output=True, check=True)
    pages = done.stdout.decode("utf-8").split("\f")
    if pages and not pages[-1].strip():
        pages.pop()
    return [[line.strip() for line in page.splitlines() if line.strip()] for page in pages]


def mcid_texts(path: Path) -> dict[tuple[int, int], str]:
    """The text shown inside each marked-content sequence, by (page index, MCID).

    pypdf reports the text operators it meets; the BDC/EMC operators around them say which
    marked content they belong to.
    """
    import pypdf

    texts: dict[tuple[int, int], str] = {}
    for number, page in enumerate(pypdf.PdfReader(str(path)).pages):
        stack: list[int | None] = []

        def before(operator: bytes, operands: list[Any], *_: Any) -> None:
            if operator == b"BDC":
                properties = operands[1] if len(operands) > 1 else None
                mcid = properties.get("/MCID") if hasattr(properties, "get") else None
                stack.append(None if mcid is None else int(mcid))
            elif operator == b"BMC":
                stack.append(None)
            elif operator == b"EMC" and stack:
                stack.pop()

        def shown(text: str, *_: Any) -> None:
            mcid = next((m for m in reversed(stack) if m is not None), None)
            if mcid is not None:
                key = (number, mcid)  # noqa: B023 - used at once, within this page
                texts[key] = texts.get(key, "") + text

        page.extract_text(visitor_operand_before=before, visitor_text=shown)
    return texts


# --- PDF: the structure tree ---------------------------------------------------------------------

@dataclass
class Tag:
    """A structure element: its type (H1, P, Table …), attributes, kids, and its own text."""

    type: str
    alt: str | None
    actual_text: str | None
    pages: set[int]
    kids: list[Tag | tuple[int, int]] = field(default_factory=list)  # tags and (page, MCID)

    def walk(self) -> Iterator[Tag]:
        yield self
        for kid in self.kids:
            if isinstance(kid, Tag):
                yield from kid.walk()

    def text(self, texts: dict[tuple[int, int], str]) -> str:
        """The text of the marked content below this element, in structure order."""
        if self.actual_text is not None:
            return self.actual_text
        return "".join(kid.text(texts) if isinstance(kid, Tag) else texts.get(kid, "")
                       for kid in self.kids)

    def find_all(self, *types: str) -> list[Tag]:
        return [t for t in self.walk() if t.type in types]


def structure_tree(pdf: Any) -> Tag:
    """The document's StructTreeRoot as Tags (pikepdf objects in, plain data out)."""
    import pikepdf

    page_index = {page.objgen: i for i, page in enumerate(pdf.pages)}

    def page_of(node: Any, inherited: int | None) -> int | None:
        page = node.get("/Pg")
        return page_index.get(page.objgen) if page is not None else inherited

    def build(node: Any, page: int | None) -> Tag:
        page = page_of(node, page)
        alt, actual = node.get("/Alt"), node.get("/ActualText")
        tag = Tag(str(node.get("/S", "")).lstrip("/"), None if alt is None else str(alt),
                  None if actual is None else str(actual), set() if page is None else {page})
        kids = node.get("/K")
        if kids is None:
            return tag
        for kid in kids if isinstance(kids, pikepdf.Array) else [kids]:
            if isinstance(kid, int):
                assert page is not None, "marked content without a page"
                tag.kids.append((page, int(kid)))
                tag.pages.add(page)
            elif isinstance(kid, pikepdf.Dictionary) and kid.get("/Type") == "/MCR":
                tag.kids.append((page_of(kid, page), int(kid.MCID)))
            elif isinstance(kid, pikepdf.Dictionary) and kid.get("/Type") == "/OBJR":
                continue  # an annotation (a link): no text of its own
            elif isinstance(kid, pikepdf.Dictionary):
                child = build(kid, page)
                tag.kids.append(child)
                tag.pages |= child.pages
        return tag

    root = pdf.Root.StructTreeRoot
    top = Tag("StructTreeRoot", None, None, set())
    kids = root.get("/K")
    for kid in kids if isinstance(kids, pikepdf.Array) else [kids]:
        top.kids.append(build(kid, None))
    return top


# What a reader meets, in order: the blocks that carry text. Lists and tables are containers.
LEAVES = {"H1", "H2", "H3", "H4", "H5", "H6", "P", "LI", "Caption", "TH", "TD", "Figure"}
CONTAINERS = {"L", "Table", "THead", "TBody", "TFoot", "TR"}


@dataclass(frozen=True)
class Block:
    """A leaf of the structure tree: its type, its text, and the pages its content is on."""

    type: str
    text: str
    pages: frozenset[int]


def tagged_blocks(path: Path) -> list[Block]:
    """The leaf blocks in the structure tree's order; a Figure's text is its Alt, a list
    item's text is its body (LBody), without the bullet or number (Lbl)."""
    import pikepdf

    texts = mcid_texts(path)
    with pikepdf.open(path) as pdf:
        tree = structure_tree(pdf)
    out: list[Block] = []

    def visit(tag: Tag) -> None:
        if tag.type in LEAVES:
            if tag.type == "Figure":
                text = tag.alt or ""
            elif tag.type == "LI":
                text = "".join(k.text(texts) for k in tag.kids
                               if isinstance(k, Tag) and k.type == "LBody")
            else:
                text = tag.text(texts)
            out.append(Block(tag.type, text, frozenset(tag.pages)))
            return
        for kid in tag.kids:
            if isinstance(kid, Tag):
                visit(kid)

    visit(tree)
    return out


def join_continued(tagged: list[Block],
                   expected: list[tuple[str, str]]) -> list[tuple[str, str]]:
    """(type, text) of the tagged blocks, with a block that a page break cut in two put back
    together: a non-empty block whose text is only the start of the expected text takes the
    blocks of the same type that follow it on the next pages. Whitespace is removed from the
    texts (line breaks replace spaces) and a hyphen at the end of a piece is dropped where the
    expected text has none (hyphenation)."""
    out: list[tuple[str, str]] = []
    i = 0
    for kind, text in expected:
        if i >= len(tagged):
            break
        target, block = squash(text), tagged[i]
        got, last_page = _unhyphenate(squash(block.text), target, ""), max(block.pages, default=-1)
        i += 1
        while (block.type == kind and got and len(got) < len(target) and target.startswith(got)
               and i < len(tagged) and tagged[i].type == kind
               and min(tagged[i].pages, default=-1) > last_page):
            got = _unhyphenate(got + squash(tagged[i].text), target, got)
            last_page = max(tagged[i].pages)
            i += 1
        out.append((block.type, got))
    out += [(b.type, squash(b.text)) for b in tagged[i:]]
    return out


def _unhyphenate(text: str, target: str, before: str) -> str:
    """Drop line-end hyphens inside text that the target does not have (hyphenation)."""
    result = before
    for piece in re.split(r"(?<=[" + HYPHENS + r"])", text[len(before):]):
        if piece and piece[-1] in HYPHENS and not target.startswith(result + piece):
            piece = piece[:-1]
        result += piece
    return result


# --- PDF: objects --------------------------------------------------------------------------------

def all_objects(pdf: Any) -> Iterator[Any]:
    """Every dictionary and stream dictionary in the file, indirect or not."""
    import pikepdf

    seen: set[int] = set()

    def visit(obj: Any) -> Iterator[Any]:
        if isinstance(obj, (pikepdf.Dictionary, pikepdf.Stream)):
            if obj.is_indirect:
                if obj.objgen in seen:
                    return
                seen.add(obj.objgen)
            yield obj
            for key in obj.keys():
                if key not in ("/Parent", "/P"):
                    yield from visit(obj[key])
        elif isinstance(obj, pikepdf.Array):
            for item in obj:
                yield from visit(item)

    for obj in pdf.objects:
        yield from visit(obj)
    yield from visit(pdf.trailer)


def fonts_of(pdf: Any) -> list[Any]:
    """Every font dictionary the pages (and their form XObjects) use, each once."""
    fonts: dict[tuple[int, int], Any] = {}

    def visit(resources: Any) -> None:
        if resources is None:
            return
        for font in (resources.get("/Font") or {}).values():
            fonts.setdefault(font.objgen, font)
        for xobject in (resources.get("/XObject") or {}).values():
            if xobject.get("/Subtype") == "/Form":
                visit(xobject.get("/Resources"))

    for page in pdf.pages:
        visit(page.obj.get("/Resources"))
    return list(fonts.values())


def pdf_fonts(path: Path) -> list[tuple[str, bool]]:
    """(BaseFont, embedded) for every font used on any page or in its form XObjects."""
    import pikepdf

    def embedded(font: Any) -> bool:
        descriptor = font.get("/FontDescriptor")
        if descriptor is None and "/DescendantFonts" in font:
            descriptor = font.DescendantFonts[0].get("/FontDescriptor")
        return font.get("/Subtype") == "/Type3" or (
            descriptor is not None
            and any(k in descriptor for k in ("/FontFile", "/FontFile2", "/FontFile3"))
        )

    with pikepdf.open(path) as pdf:
        return [(str(font.get("/BaseFont", "")), embedded(font)) for font in fonts_of(pdf)]


# --- PDF: where the text stands ------------------------------------------------------------------

MM = 72 / 25.4  # PDF points per millimetre


@dataclass(frozen=True)
class TextLine:
    """One line of a page's text as poppler lays it out: its words and its box, in points
    from the page's top left corner."""

    text: str
    x0: float
    top: float
    x1: float
    bottom: float


def pdf_lines(path: Path) -> list[tuple[float, float, list[TextLine]]]:
    """(width, height, lines) of every page, from `pdftotext -bbox-layout` (poppler)."""
    from xml.etree import ElementTree

    done = subprocess.run(["pdftotext", "-bbox-layout", "-enc", "UTF-8", str(path), "-"],
                          capture_output=True, check=True)
    xhtml = "{http://www.w3.org/1999/xhtml}"
    root = ElementTree.fromstring(done.stdout)
    pages = []
    for page in root.iter(f"{xhtml}page"):
        lines = [TextLine(" ".join(w.text or "" for w in line.iter(f"{xhtml}word")),
                          float(line.get("xMin")), float(line.get("yMin")),
                          float(line.get("xMax")), float(line.get("yMax")))
                 for line in page.iter(f"{xhtml}line")]
        pages.append((float(page.get("width")), float(page.get("height")), lines))
    return pages


def page_fill(path: Path, top_mm: float = 22, bottom_mm: float = 20) -> list[float]:
    """For every page, how much of the text area (the page without its top and bottom
    margins, where the running header and the page number stand) is used: from the top of the
    text area down to the lowest line of text, as a fraction of its height (0 to 1)."""
    fills = []
    for _, height, lines in pdf_lines(path):
        top, bottom = top_mm * MM, height - bottom_mm * MM
        body = [line for line in lines if line.top >= top - 1 and line.bottom <= bottom + 1]
        lowest = max((line.bottom for line in body), default=top)
        fills.append(round((lowest - top) / (bottom - top), 3))
    return fills
