"""The PDF meets PDF/UA-1 (ISO 14289-1) as well as PDF/A-2a: the machine-checkable
checkpoints of the Matterhorn Protocol 1.1 that apply to these documents, read back from the
files with pikepdf (objects, content streams) and pypdf (text per marked-content sequence).

No external validator is reachable here, so these tests are the proof; each names the
checkpoints it covers. Checkpoints that need a person (01-006 semantic fitness, 13-004's
quality of the text, 14-001 headings where a reader would expect them) are not claimed.

Documents: the real area 08, 01 (a table, a list), 06 (a link), the whole report (contents
links, every table, the chart), and a small project's area with a 60-row table that runs
over several pages (its header row repeated) and two links.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pikepdf
import pytest

pytest.register_assert_rewrite("readback")

from helpers import MINIMAL_AREA, make_project, run_cli, warnings_in  # noqa: E402
from readback import Rendered  # noqa: E402
from readers import (  # noqa: E402
    collapse,
    html_document,
    mcid_texts,
    pdftotext_pages,
    structure_tree,
)

pytest_plugins = ("readback",)
pytestmark = pytest.mark.render

# ISO 32000-1 section 14.8.4 (standard structure types), as the Matterhorn Protocol lists them.
STANDARD_TYPES = {
    "Document", "Part", "Art", "Sect", "Div", "BlockQuote", "Caption", "TOC", "TOCI", "Index",
    "NonStruct", "Private", "P", "H", "H1", "H2", "H3", "H4", "H5", "H6", "L", "LI", "Lbl",
    "LBody", "Table", "TR", "TH", "TD", "THead", "TBody", "TFoot", "Span", "Quote", "Note",
    "Reference", "BibEntry", "Code", "Link", "Annot", "Ruby", "RB", "RT", "RP", "Warichu",
    "WT", "WP", "Figure", "Formula", "Form",
}
# Operators that put marks on the page (ISO 32000-1 tables 51, 59, 60, 87, 92).
PAINTING = {"Tj", "TJ", "'", '"', "S", "s", "f", "F", "f*", "B", "B*", "b", "b*", "sh", "Do",
            "BI"}
LINKS = "Les [mer om tjenestene](https://www.drammen.kommune.no/tjenester/) og på " \
        "[drammen.kommune.no](https://www.drammen.kommune.no/)."


@pytest.fixture(scope="module")
def long_table(tmp_path_factory: pytest.TempPathFactory) -> Path:
    project = make_project(tmp_path_factory.mktemp("pdfua") / "prosjekt")
    rows = [{"navn": f"Tjeneste {i:02d}", "regnskap": f"{i}.5", "budsjett": f"{i}.0",
             "årsbudsjett": f"{3 * i}.0", "prognose": f"{3 * i}.4"} for i in range(1, 61)]
    status = {**MINIMAL_AREA["økonomisk_status"], "fakta": f"Tabellen viser alt. {LINKS}",
              "tall": {"rader": rows}}
    project.write_area("07", {**MINIMAL_AREA, "økonomisk_status": status})
    code, _, err = run_cli("render", "07", "2017-T1", "--inputs", project.inputs,
                           "--templates", project.root / "templates", "--out", project.out,
                           "--format", "pdf,html")
    assert code == 0 and warnings_in(err) == [], err
    return project.out / "2017-T1" / "07.pdf"


@pytest.fixture(params=["real:08", "real:01", "real:06", "real:tertialrapport", "tmp:07"])
def pdf_path(request: pytest.FixtureRequest, real_run: Rendered) -> Path:
    where, name = request.param.split(":")
    if where == "tmp":
        return request.getfixturevalue("long_table")
    return real_run[f"{name}.pdf"]


# --- readers -------------------------------------------------------------------------------------

def elements(pdf: Any) -> Iterator[Any]:
    """Every structure element the tree leads to from its root, in order."""
    def visit(node: Any) -> Iterator[Any]:
        if isinstance(node, pikepdf.Dictionary) and node.get("/Type") in (None, "/StructElem") \
                and "/S" in node:
            yield node
            kids = node.get("/K")
            for kid in kids if isinstance(kids, pikepdf.Array) else [kids]:
                yield from visit(kid)

    kids = pdf.Root.StructTreeRoot.K
    for kid in kids if isinstance(kids, pikepdf.Array) else [kids]:
        yield from visit(kid)


def kind(element: Any) -> str:
    return str(element.S).lstrip("/")


def parent_tree(pdf: Any) -> dict[int, Any]:
    """The ParentTree's number tree as {key: value} (an array of elements for a page, an
    element for an annotation)."""
    nums = pdf.Root.StructTreeRoot.ParentTree.Nums
    return {int(nums[i]): nums[i + 1] for i in range(0, len(nums), 2)}


def marked_sequences(page: Any) -> Iterator[tuple[str, list[str], str]]:
    """(operator, enclosing marked-content tags from outermost, MCID-or-'') for every
    painting operator of a page's content stream."""
    stack: list[tuple[str, str]] = []
    for operands, operator in pikepdf.parse_content_stream(page):
        op = str(operator)
        if op in ("BDC", "BMC"):
            props = operands[1] if op == "BDC" and len(operands) > 1 else None
            mcid = str(int(props.MCID)) if isinstance(props, pikepdf.Dictionary) and (
                "/MCID" in props) else ""
            stack.append((str(operands[0]), mcid))
        elif op == "EMC":
            stack.pop()
        elif op in PAINTING:
            yield op, [tag for tag, _ in stack], next((m for _, m in reversed(stack) if m), "")


def link_texts(html: Path) -> set[str]:
    return {collapse(a.text()) for a in html_document(html).find("body").iter("a")}


# --- identification and the catalog --------------------------------------------------------------

def test_identifies_itself_as_pdf_ua_1_beside_pdf_a_2a(pdf_path: Path) -> None:
    """Matterhorn 06-001 (an XMP metadata stream), 06-002 (pdfuaid:part in it), 06-003
    (dc:title); and PDF/A-2's rule that a property outside its predefined schemas is described
    by an extension schema (ISO 19005-2 6.6.2.3)."""
    with pikepdf.open(pdf_path) as pdf:
        meta = pdf.open_metadata()
        assert meta.get("pdfuaid:part") == "1"
        assert (meta.get("pdfaid:part"), meta.get("pdfaid:conformance")) == ("2", "A")
        assert meta.get("dc:title")
        xmp = pdf.Root.Metadata.read_bytes().decode("utf-8")
        assert re.search(r"<pdfaSchema:namespaceURI>http://www.aiim.org/pdfua/ns/id/<", xmp)
        assert "<pdfaSchema:prefix>pdfuaid</pdfaSchema:prefix>" in xmp
        assert "<pdfaProperty:name>part</pdfaProperty:name>" in xmp


def test_catalog_shows_title_language_and_marking(pdf_path: Path) -> None:
    """Matterhorn 07-001, 07-002 (DisplayDocTitle true), 11-001 and 11-006 (the document's
    natural language in /Lang), 01-007 (no Suspects true); ISO 14289-1 7.1 (MarkInfo Marked)."""
    with pikepdf.open(pdf_path) as pdf:
        root = pdf.Root
        assert bool(root.ViewerPreferences.DisplayDocTitle) is True
        assert str(root.Lang) == "nb"
        assert bool(root.MarkInfo.Marked) is True
        assert not bool(root.MarkInfo.get("/Suspects", False))


# --- the structure tree --------------------------------------------------------------------------

def test_every_structure_element_is_reachable_from_the_root(pdf_path: Path) -> None:
    """ISO 14289-1 7.1: real content is tagged in the structure tree; Matterhorn 01-005 from
    the tree's side: no element outside the tree (the page furniture WeasyPrint leaves), and
    every entry of the ParentTree is an element of the tree."""
    with pikepdf.open(pdf_path) as pdf:
        reachable = {e.objgen for e in elements(pdf)}
        in_file = {o.objgen for o in pdf.objects
                   if isinstance(o, pikepdf.Dictionary) and o.get("/Type") == "/StructElem"}
        assert in_file - reachable == set()
        for key, value in parent_tree(pdf).items():
            for each in value if isinstance(value, pikepdf.Array) else [value]:
                if isinstance(each, pikepdf.Dictionary):  # else null: an MCID now an artifact
                    assert each.objgen in reachable, f"ParentTree {key} points outside the tree"


def test_content_is_either_tagged_or_an_artifact(pdf_path: Path) -> None:
    """Matterhorn 01-003 (no artifact inside tagged content), 01-004 (no tagged content inside
    an artifact), 01-005 (nothing painted that is neither): every painting operator of every
    page stands in exactly one kind of marked content, and every MCID is mapped to an
    element of the tree."""
    with pikepdf.open(pdf_path) as pdf:
        mapped = parent_tree(pdf)
        reachable = {e.objgen for e in elements(pdf)}
        for number, page in enumerate(pdf.pages):
            for op, tags, mcid in marked_sequences(page):
                assert tags, f"page {number + 1}: {op} outside any marked content"
                artifact = "/Artifact" in tags
                assert not (artifact and mcid), f"page {number + 1}: {op} in both"
                assert artifact or mcid, f"page {number + 1}: {op} tagged without an MCID"
                if mcid:
                    element = mapped[int(page.obj.StructParents)][int(mcid)]
                    assert element.objgen in reachable


def test_running_header_and_page_numbers_are_artifacts(pdf_path: Path) -> None:
    """Matterhorn 01-005 for page furniture, ISO 14289-1 7.8: the running header and "Side N
    av M" are artifacts, so the text of the tagged content holds neither."""
    pages = pdftotext_pages(pdf_path)
    header = pages[-1][0]  # the last page has a header and a number, as every page but a cover
    assert header.startswith("Drammen kommune · 1. tertialrapport 2017")
    tagged = " ".join(mcid_texts(pdf_path).values())
    assert "Drammen kommune · 1. tertialrapport 2017" not in tagged
    assert not re.search(r"Side \d+ av \d+", tagged)


def test_structure_types_are_standard_or_mapped_to_standard(pdf_path: Path) -> None:
    """Matterhorn 02-001 (every non-standard type maps to a standard one), 02-003 (no circular
    mapping), 02-004 (no standard type remapped)."""
    with pikepdf.open(pdf_path) as pdf:
        role_map = {str(k).lstrip("/"): str(v).lstrip("/")
                    for k, v in pdf.Root.StructTreeRoot.get("/RoleMap", {}).items()}
        assert not set(role_map) & STANDARD_TYPES
        for element in elements(pdf):
            seen, name = set(), kind(element)
            while name not in STANDARD_TYPES:
                assert name in role_map and name not in seen, f"{name} is not mapped"
                seen.add(name)
                name = role_map[name]


def test_headings_start_at_h1_and_skip_no_level(pdf_path: Path) -> None:
    """Matterhorn 14-002 (the first heading is H1) and 14-003 (no level skipped going down)."""
    with pikepdf.open(pdf_path) as pdf:
        levels = [int(kind(e)[1]) for e in elements(pdf) if re.fullmatch(r"H[1-6]", kind(e))]
    assert levels and levels[0] == 1
    for before, after in zip(levels, levels[1:]):
        assert after <= before + 1, f"H{before} followed by H{after}"


def test_tables_follow_the_table_syntax_with_scoped_header_cells(pdf_path: Path) -> None:
    """Matterhorn 09-004 (tables as ISO 32000-1 table 337 says) and 15-003 (every TH has a
    Scope); the body cells' Headers name header cells that exist."""
    with pikepdf.open(pdf_path) as pdf:
        ids = {str(e.ID) for e in elements(pdf) if kind(e) == "TH" and "/ID" in e}
        for table in (e for e in elements(pdf) if kind(e) == "Table"):
            parts = [kind(k) for k in table.K]
            assert set(parts) <= {"Caption", "THead", "TBody", "TFoot", "TR"}, parts
            assert parts.count("THead") <= 1
        for row in (e for e in elements(pdf) if kind(e) == "TR"):
            assert {kind(k) for k in row.K} <= {"TH", "TD"}
        for cell in elements(pdf):
            if kind(cell) == "TH":
                assert str(cell.A.Scope) in ("/Column", "/Row")
            if kind(cell) == "TD":
                assert {str(h) for h in cell.A.get("/Headers", [])} <= ids


def test_a_table_over_several_pages_has_one_header_row(long_table: Path) -> None:
    """Matterhorn 09-004 for a continued table: its header row, drawn again on every page,
    is tagged once (the repeats are artifacts), and the continued rows' cells name it."""
    with pikepdf.open(long_table) as pdf:
        tree = structure_tree(pdf)
        header_rows = [r for head in tree.find_all("THead") for r in head.find_all("TR")]
        assert len(header_rows) == 1
        assert len({p for t in tree.find_all("Table") for p in t.pages}) >= 2
        headers = [{str(h) for h in e.A.Headers} for e in elements(pdf) if kind(e) == "TD"]
        column_ids = {str(e.ID) for e in elements(pdf) if kind(e) == "TH"
                      and str(e.A.Scope) == "/Column"}
        assert len(column_ids) == 7 and all(h & column_ids for h in headers)
    assert sum("Område" in line.split() for page in pdftotext_pages(long_table)
               for line in page) >= 2  # still printed on each page


def test_figures_have_alternative_text(pdf_path: Path) -> None:
    """Matterhorn 13-004: a Figure has an Alt."""
    with pikepdf.open(pdf_path) as pdf:
        for figure in (e for e in elements(pdf) if kind(e) == "Figure"):
            assert len(collapse(str(figure.get("/Alt", "")))) > 20


def test_lists_follow_the_list_syntax(pdf_path: Path) -> None:
    """Matterhorn 09-005: L holds LI (and a Caption), LI holds Lbl and LBody."""
    with pikepdf.open(pdf_path) as pdf:
        for element in elements(pdf):
            kids = [kind(k) for k in element.get("/K", []) if isinstance(k, pikepdf.Dictionary)
                    and "/S" in k]
            if kind(element) == "L":
                assert set(kids) <= {"LI", "Caption", "L"} and "LI" in kids
            if kind(element) == "LI":
                assert set(kids) <= {"Lbl", "LBody"} and kids


def test_links_are_tagged_and_described_by_their_text(pdf_path: Path) -> None:
    """Matterhorn 28-011 (a link annotation in a Link element), 28-012 (its Contents describes
    it: here the link's text, not a slug or the address), 28-008 and 28-009 (a page with
    annotations has Tabs /S)."""
    texts = link_texts(pdf_path.with_suffix(".html"))
    with pikepdf.open(pdf_path) as pdf:
        mapped = parent_tree(pdf)
        annotations = 0
        for page in pdf.pages:
            annots = [a for a in page.obj.get("/Annots", []) if a.Subtype == "/Link"]
            if annots:
                assert page.obj.Tabs == "/S"
            for annot in annots:
                annotations += 1
                link = mapped[int(annot.StructParent)]
                assert kind(link) == "Link"
                assert any(isinstance(k, pikepdf.Dictionary) and k.get("/Obj") is not None
                           and k.Obj.objgen == annot.objgen for k in link.K)
                assert collapse(str(annot.Contents)) in texts
        if pdf_path.stem in ("06", "tertialrapport", "07"):
            assert annotations > 0
