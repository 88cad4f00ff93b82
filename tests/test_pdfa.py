"""The PDF is archive grade: PDF/A-2a by default, tagged in reading order, fonts embedded.

Read back with pikepdf (objects, XMP), pypdf (the text of each marked-content sequence) and
`qpdf --check`, from the real inputs rendered once per session: area 08 (the seed), area 01
(a figures table and a bullet list) and the whole report (tables, a chart, the contents).
"""

from __future__ import annotations

import re
import subprocess
from pathlib import Path
from typing import Any

import pikepdf
import pytest

pytest.register_assert_rewrite("readback")

from helpers import MINIMAL_AREA, Project  # noqa: E402
from readback import Rendered  # noqa: E402
from readers import (  # noqa: E402
    all_objects,
    collapse,
    fonts_of,
    html_document,
    html_reading_blocks,
    join_continued,
    squash,
    structure_tree,
    tagged_blocks,
)

pytest_plugins = ("readback",)
pytestmark = pytest.mark.render

DOCUMENTS = ["08", "01", "tertialrapport"]
LEADER = re.compile(r"\d+$")  # the contents' page number, in print only


@pytest.fixture(params=DOCUMENTS)
def document(request: pytest.FixtureRequest, real_run: Rendered) -> str:
    return request.param


def pdf_of(real_run: Rendered, name: str) -> Path:
    return real_run[f"{name}.pdf"]


def html_title(real_run: Rendered, name: str) -> str:
    return collapse(html_document(real_run[f"{name}.html"]).find("title").text())


# --- identification, colour, metadata ------------------------------------------------------------

def test_xmp_says_pdfa_2a(real_run: Rendered, document: str) -> None:
    with pikepdf.open(pdf_of(real_run, document)) as pdf:
        meta = pdf.open_metadata()
        assert (meta.get("pdfaid:part"), meta.get("pdfaid:conformance")) == ("2", "A")


def test_output_intent_is_srgb(real_run: Rendered, document: str) -> None:
    with pikepdf.open(pdf_of(real_run, document)) as pdf:
        intents = list(pdf.Root.get("/OutputIntents", []))
        assert [str(i.get("/S")) for i in intents] == ["/GTS_PDFA1"]
        profile = intents[0].DestOutputProfile
        assert int(profile.N) == 3
        icc = profile.read_bytes()
        # ICC header: device class, colour space and signature at fixed offsets.
        assert (icc[12:16], icc[16:20], icc[36:40]) == (b"mntr", b"RGB ", b"acsp")
        assert b"sRGB" in icc
        assert "sRGB" in str(intents[0].get("/OutputConditionIdentifier"))


def test_marked_with_language_and_title_shown(real_run: Rendered, document: str) -> None:
    title = html_title(real_run, document)
    with pikepdf.open(pdf_of(real_run, document)) as pdf:
        root = pdf.Root
        assert bool(root.MarkInfo.Marked) is True
        assert str(root.Lang) == "nb"
        assert bool(root.ViewerPreferences.DisplayDocTitle) is True
        assert str(pdf.docinfo.Title) == title
        assert pdf.open_metadata().get("dc:title") == title


# --- the structure tree --------------------------------------------------------------------------

def expected_blocks(real_run: Rendered, name: str) -> list[tuple[str, str]]:
    """The HTML's blocks as PDF tag types, texts without whitespace."""
    return [(kind, squash(text)) for kind, text in html_reading_blocks(real_run[f"{name}.html"])]


def printed_blocks(real_run: Rendered, name: str) -> list[tuple[str, str]]:
    html = html_reading_blocks(real_run[f"{name}.html"])
    blocks = join_continued(tagged_blocks(pdf_of(real_run, name)), html)
    contents = {squash(text) for kind, text in html if kind == "LI"} if name == "tertialrapport" \
        else set()
    # A contents entry is printed with its page number; the HTML has only the link.
    return [(kind, LEADER.sub("", text) if kind == "LI" and LEADER.sub("", text) in contents
             and text not in contents else text) for kind, text in blocks]


def test_tags_follow_the_reading_order_of_the_page(real_run: Rendered, document: str) -> None:
    # Every heading, paragraph, list item, caption, table cell and figure, in the order and
    # with the text of the HTML page; nothing more (no page furniture, no empty tags).
    assert printed_blocks(real_run, document) == expected_blocks(real_run, document)


def test_headings_are_tagged_in_order(real_run: Rendered, document: str) -> None:
    headings = [(k, t) for k, t in printed_blocks(real_run, document) if k.startswith("H")]
    assert headings == [(k, t) for k, t in expected_blocks(real_run, document)
                        if k.startswith("H")]
    assert headings[0][0] == "H1"


@pytest.mark.parametrize("name", ["08", "01"])
def test_area_starts_with_its_title(real_run: Rendered, name: str) -> None:
    first = printed_blocks(real_run, name)[0]
    assert first == ("H1", squash(html_document(real_run[f"{name}.html"]).find("h1").text()))


def tags(real_run: Rendered, name: str) -> Any:
    with pikepdf.open(pdf_of(real_run, name)) as pdf:
        return structure_tree(pdf)


def parents(tree: Any) -> dict[int, str]:
    """id(tag) -> its parent's type."""
    found: dict[int, str] = {}
    for tag in tree.walk():
        for kid in tag.kids:
            if not isinstance(kid, tuple):
                found[id(kid)] = tag.type
    return found


def test_lists_are_tagged_as_lists(real_run: Rendered) -> None:
    tree = tags(real_run, "01")  # the lead text of 01 has a bullet list of four items
    up = parents(tree)
    items = tree.find_all("LI")
    assert len(items) == 4
    assert {up[id(item)] for item in items} == {"L"}
    for item in items:
        assert [k.type for k in item.kids if not isinstance(k, tuple)] == ["Lbl", "LBody"]


@pytest.mark.parametrize("name", ["01", "tertialrapport"])
def test_tables_are_tagged_as_tables(real_run: Rendered, name: str) -> None:
    tree = tags(real_run, name)
    up = parents(tree)
    tables = tree.find_all("Table")
    assert tables
    for table in tables:
        kinds = [k.type for k in table.kids if not isinstance(k, tuple)]
        assert kinds[:3] == ["Caption", "THead", "TBody"]
        rows = table.find_all("TR")
        header, body = rows[0], rows[1:]
        assert up[id(header)] == "THead" and {up[id(r)] for r in body} == {"TBody"}
        columns = len(header.kids)  # 7 in a figures table; as many as it has in `tabeller:`
        assert {c.type for c in header.kids} == {"TH"} and columns >= 2
        for row in body:  # the name of each row is its header cell
            assert [c.type for c in row.kids] == ["TH"] + ["TD"] * (columns - 1)


def test_chart_is_a_figure_with_alternative_text(real_run: Rendered) -> None:
    tree = tags(real_run, "tertialrapport")
    figures = tree.find_all("Figure")
    images = [i for i in html_document(real_run["tertialrapport.html"]).find_all("img")
              if i.attrs.get("class") != "chart-narrow"]  # the phone's drawing: screen only
    assert [f.alt for f in figures] == [i.attrs["alt"] for i in images]
    assert all(len(collapse(f.alt or "")) > 40 for f in figures)


# --- fonts, security, syntax ---------------------------------------------------------------------

def test_every_font_is_embedded_with_a_unicode_map(real_run: Rendered, document: str) -> None:
    with pikepdf.open(pdf_of(real_run, document)) as pdf:
        fonts = fonts_of(pdf)
        assert fonts
        for font in fonts:
            name = str(font.get("/BaseFont"))
            assert "/ToUnicode" in font, f"{name} has no ToUnicode map"
            descendants = list(font.get("/DescendantFonts", []))
            for each in [font, *descendants] if descendants else [font]:
                if each.get("/Subtype") == "/Type0":
                    continue  # a composite font: its descendant carries the descriptor
                descriptor = each.get("/FontDescriptor")
                assert descriptor is not None, f"{name} has no font descriptor"
                assert {"/FontFile", "/FontFile2", "/FontFile3"} & set(descriptor.keys()), (
                    f"{name} is not embedded")


def test_no_encryption_and_no_javascript(real_run: Rendered, document: str) -> None:
    with pikepdf.open(pdf_of(real_run, document)) as pdf:
        assert "/Encrypt" not in pdf.trailer and not pdf.is_encrypted
        names = pdf.Root.get("/Names")
        assert names is None or "/JavaScript" not in names
        open_action = pdf.Root.get("/OpenAction")
        assert open_action is None or not isinstance(open_action, pikepdf.Dictionary) or (
            open_action.get("/S") != "/JavaScript")
        for obj in all_objects(pdf):
            assert "/JS" not in obj and "/AA" not in obj
            assert obj.get("/S") != "/JavaScript"


def test_qpdf_finds_no_problem(real_run: Rendered, document: str) -> None:
    done = subprocess.run(["qpdf", "--check", str(pdf_of(real_run, document))],
                          capture_output=True, text=True)
    assert done.returncode == 0, done.stdout + done.stderr
    assert "No syntax or stream encoding errors found" in done.stdout


# --- other variants ------------------------------------------------------------------------------

def render_variant(project: Project, cli: Any, variant: str) -> Path:
    project.write_area("08", MINIMAL_AREA)
    out = project.root / variant.replace("/", "-")
    result = cli("render", "08", "2017-T1", "--format", "pdf", "--pdf-variant", variant,
                 "--out", out, "--quiet")
    assert (result.code, result.err) == (0, "")
    return out / "2017-T1" / "08.pdf"


def test_pdf_ua_1_variant(project: Project, cli: Any) -> None:
    with pikepdf.open(render_variant(project, cli, "pdf/ua-1")) as pdf:
        meta = pdf.open_metadata()
        assert meta.get("pdfuaid:part") == "1"
        assert meta.get("pdfaid:part") is None
        assert str(pdf.Root.Lang) == "nb" and bool(pdf.Root.MarkInfo.Marked) is True
        assert bool(pdf.Root.ViewerPreferences.DisplayDocTitle) is True
        assert structure_tree(pdf).find_all("H1")


def test_plain_variant(project: Project, cli: Any) -> None:
    path = render_variant(project, cli, "plain")
    with pikepdf.open(path) as pdf:
        meta = pdf.open_metadata()
        assert meta.get("pdfaid:part") is None and meta.get("pdfaid:conformance") is None
        assert "/OutputIntents" not in pdf.Root
        assert str(pdf.docinfo.Title) == "Programområde 08 Kompetanse, markedsføring og næring" \
            " – 1. tertial 2017"
    done = subprocess.run(["qpdf", "--check", str(path)], capture_output=True, text=True)
    assert done.returncode == 0, done.stdout
