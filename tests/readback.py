"""Reading the published files back: PDF tags, PDF text by page, DOCX parts as XML.

A pytest plugin for the tests of publication and archive grade (test_pdfa, test_print,
test_docx_accessibility, test_nynorsk, test_reproducible): modules that use its fixtures say
`pytest_plugins = ("readback",)`, so that the real inputs are rendered once per session.
Like helpers.py it knows nothing of reportgen's internals.
"""

from __future__ import annotations

import contextlib
import io
import re
import subprocess
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest
from helpers import HYPHENS, INPUTS, TEMPLATES, Element, html_document, run_main, squash

PERIOD = "2017-T1"


@dataclass(frozen=True)
class Rendered:
    """One `render` run: its output folder and what it printed."""

    folder: Path
    out: str
    err: str

    def __getitem__(self, name: str) -> Path:
        path = self.folder / name
        assert path.is_file(), f"{name} was not written"
        return path


def render_in_process(*argv: Any) -> tuple[int, str, str]:
    stdout, stderr = io.StringIO(), io.StringIO()
    with contextlib.redirect_stdout(stdout), contextlib.redirect_stderr(stderr):
        code = run_main([str(a) for a in argv])
    return code, stdout.getvalue(), stderr.getvalue()


@pytest.fixture(scope="session")
def real_run(tmp_path_factory: pytest.TempPathFactory) -> Rendered:
    """The real inputs of 2017-T1 rendered once: every area and the whole report, three formats."""
    out = tmp_path_factory.mktemp("real") / "out"
    code, stdout, stderr = render_in_process(
        "render", "all", PERIOD, "--inputs", INPUTS, "--templates", TEMPLATES, "--out", out)
    assert code == 0, stderr
    return Rendered(out / PERIOD, stdout, stderr)


def warnings_in(stderr: str) -> list[str]:
    return [line for line in stderr.splitlines() if "warning" in line.lower()]


# --- PDF: text by page ---------------------------------------------------------------------------

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


def html_reading_blocks(path: Path) -> list[tuple[str, str]]:
    """What the same blocks are in the HTML page the PDF was printed from, as PDF tag types:
    the body without what print hides (skip link, page footer) and without the masthead,
    whose text the PDF shows only in the page margins."""
    out: list[tuple[str, str]] = []

    def visit(element: Element) -> None:
        classes = (element.attrs.get("class") or "").split()
        if element.tag in ("script", "style", "head") or {"skip-link", "page-footer",
                                                          "masthead"} & set(classes):
            return
        if re.fullmatch(r"h[1-6]", element.tag):
            out.append((element.tag.upper(), element.text()))
        elif element.tag == "p":
            out.append(("P", element.text()))
        elif element.tag == "li":
            out.append(("LI", element.text()))
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


# --- DOCX: parts as XML --------------------------------------------------------------------------

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
