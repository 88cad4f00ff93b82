"""The DOCX is accessible and edits well in Word: language, title, alt text, table headers,
heading order, no spacing paragraphs, real lists, keep-with-next, page numbers in the footer.

Read back from the raw parts (lxml) and with python-docx, for the real inputs rendered once
per session: area 08 (the seed), area 01 (a figures table, a bullet list) and the whole report
(a chart, the contents, a numbered list).
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pytest

pytest.register_assert_rewrite("readback")

from readback import Rendered  # noqa: E402
from readers import (  # noqa: E402
    NS,
    collapse,
    docx_part,
    docx_part_names,
    html_document,
    open_docx,
    w,
)

pytest_plugins = ("readback",)
pytestmark = pytest.mark.render  # the session's render of the real inputs makes the PDFs too

DOCUMENTS = ["08", "01", "tertialrapport"]
LANG = "nb-NO"
CORE_NAMESPACES = {NS["cp"], NS["dc"], NS["dcterms"]}


@pytest.fixture(params=DOCUMENTS)
def docx_path(request: pytest.FixtureRequest, real_run: Rendered) -> Path:
    return real_run[f"{request.param}.docx"]


def story_parts(path: Path) -> list[str]:
    """The parts that hold text: the body, headers and footers."""
    return [n for n in docx_part_names(path)
            if n == "word/document.xml" or re.fullmatch(r"word/(header|footer)\d*\.xml", n)]


def text_of(element: Any) -> str:
    return "".join(t.text or "" for t in element.iter(w("t")))


def val(element: Any, path: str) -> str | None:
    found = element.find(path, NS)
    return None if found is None else found.get(w("val"), "true")


class Styles:
    """styles.xml: each style's own properties, and lookups along its basedOn chain."""

    def __init__(self, path: Path) -> None:
        self.root = docx_part(path, "word/styles.xml")
        self.by_id = {s.get(w("styleId")): s for s in self.root.iterfind("w:style", NS)}
        self.default_paragraph = next(
            (i for i, s in self.by_id.items()
             if s.get(w("type")) == "paragraph" and s.get(w("default")) == "1"), None)

    def chain(self, style_id: str | None) -> list[Any]:
        out, seen = [], set()
        while style_id and style_id in self.by_id and style_id not in seen:
            seen.add(style_id)
            style = self.by_id[style_id]
            out.append(style)
            style_id = val(style, "w:basedOn")
        return out

    def first(self, style_id: str | None, path: str) -> Any:
        for style in self.chain(style_id):
            found = style.find(path, NS)
            if found is not None:
                return found
        return None

    def name(self, style_id: str | None) -> str:
        style = self.by_id.get(style_id or "")
        return "" if style is None else (val(style, "w:name") or "")


def paragraph_style(paragraph: Any, styles: Styles) -> str | None:
    return val(paragraph, "w:pPr/w:pStyle") or styles.default_paragraph


def heading_level(paragraph: Any, styles: Styles) -> int:
    """1-9 from the outline level (the paragraph's, else its style's), else 0 for body text."""
    style_id = paragraph_style(paragraph, styles)
    outline = paragraph.find("w:pPr/w:outlineLvl", NS)
    if outline is None:
        outline = styles.first(style_id, "w:pPr/w:outlineLvl")
    if outline is not None:
        level = int(outline.get(w("val"))) + 1
        return level if level <= 9 else 0
    for style in styles.chain(style_id):
        if match := re.fullmatch(r"[Hh]eading ([1-9])", val(style, "w:name") or ""):
            return int(match.group(1))
    return 0


def body_paragraphs(path: Path) -> list[Any]:
    """The body's paragraphs in order, table cells included."""
    return list(docx_part(path, "word/document.xml").find("w:body", NS).iter(w("p")))


# --- language and properties ---------------------------------------------------------------------

def test_language_on_defaults_styles_and_runs(docx_path: Path) -> None:
    styles = Styles(docx_path)
    defaults = styles.root.find("w:docDefaults/w:rPrDefault/w:rPr/w:lang", NS)
    assert defaults is not None and defaults.get(w("val")) == LANG
    # Every language named anywhere in the styles is the document's (Word's legacy
    # stylesWithEffects part included, when the package has one).
    for part in ("word/styles.xml", "word/stylesWithEffects.xml"):
        if part in docx_part_names(docx_path):
            langs = list(docx_part(docx_path, part).iter(w("lang")))
            assert langs, part
            assert {(l.get(w("val")), l.get(w("eastAsia")), l.get(w("bidi"))) for l in langs} \
                == {(LANG, LANG, LANG)}, part
    for part in story_parts(docx_path):
        root = docx_part(docx_path, part)
        for style_ref in root.iter(w("pStyle"), w("rStyle")):
            style_id = style_ref.get(w("val"))
            lang = styles.first(style_id, "w:rPr/w:lang")
            assert lang is not None and lang.get(w("val")) == LANG, f"{part}: style {style_id}"
        runs = list(root.iter(w("r")))
        assert runs, part
        without = [text_of(r) for r in runs if val(r, "w:rPr/w:lang") != LANG]
        assert without == [], f"{part}: runs without w:lang {LANG}"


def test_core_properties_title_and_language(docx_path: Path, real_run: Rendered) -> None:
    properties = open_docx(docx_path).core_properties
    name = docx_path.stem
    if name == "tertialrapport":  # the cover's title
        title = collapse(html_document(real_run[f"{name}.html"]).find("title").text())
    else:  # the section's title, its one top heading
        title = collapse(html_document(real_run[f"{name}.html"]).find("h1").text())
    assert properties.title == title
    assert properties.language == LANG
    paragraphs = [p for p in open_docx(docx_path).paragraphs if p.text.strip()]
    # The report's cover starts with the municipality above the title, as the PDF's does.
    assert paragraphs[1 if name == "tertialrapport" else 0].text == title


def test_core_properties_part_is_valid(docx_path: Path) -> None:
    # ECMA-376 part 2: each property at most once, each in its own namespace; a reader that
    # follows the schema (Word, LibreOffice) finds the keywords and the last editor.
    core = docx_part(docx_path, "docProps/core.xml")
    names = [child.tag for child in core]
    assert len(names) == len(set(names)), names
    assert {name.split("}")[0][1:] for name in names} <= CORE_NAMESPACES, names
    assert core.findtext("cp:keywords", namespaces=NS) == "1. tertialrapport 2017; 2017-T1"
    assert core.findtext("cp:lastModifiedBy", namespaces=NS) == "Drammen kommune"
    assert core.findtext("cp:revision", namespaces=NS) == "1"


# --- content -------------------------------------------------------------------------------------

def test_every_picture_has_alternative_text(docx_path: Path, real_run: Rendered) -> None:
    pictures = list(docx_part(docx_path, "word/document.xml").iter(f"{{{NS['wp']}}}docPr"))
    images = [i for i in html_document(real_run[f"{docx_path.stem}.html"]).find_all("img")
              if i.attrs.get("class") != "chart-narrow"]  # the phone's drawing of a chart
    assert [collapse(p.get("descr") or "") for p in pictures] == [
        collapse(i.attrs["alt"] or "") for i in images]
    assert all(collapse(p.get("descr") or "") for p in pictures)
    if docx_path.stem == "tertialrapport":
        assert len(pictures) == 3  # the cover's logo, the overview chart, the sick-leave chart


def test_tables_repeat_their_header_row_and_keep_rows_whole(docx_path: Path) -> None:
    tables = list(docx_part(docx_path, "word/document.xml").iter(w("tbl")))
    if docx_path.stem != "08":
        assert tables
    for table in tables:
        rows = table.findall("w:tr", NS)
        assert len(rows) >= 2
        assert val(rows[0], "w:trPr/w:tblHeader") in ("true", "1", "on")
        for row in rows[1:]:
            assert val(row, "w:trPr/w:tblHeader") in (None, "false", "0", "off")
        for row in rows:
            assert val(row, "w:trPr/w:cantSplit") in ("true", "1", "on")


def test_heading_levels_never_skip_going_down(docx_path: Path) -> None:
    styles = Styles(docx_path)
    levels = [heading_level(p, styles) for p in body_paragraphs(docx_path)]
    levels = [level for level in levels if level]
    assert levels and levels[0] == 1
    for before, after in zip(levels, levels[1:]):
        assert after <= before + 1, f"heading level {before} is followed by {after}"


def test_no_empty_paragraphs_for_spacing(docx_path: Path) -> None:
    empty = []
    for paragraph in body_paragraphs(docx_path):
        if text_of(paragraph).strip():
            continue
        holds = (
            paragraph.find(".//w:drawing", NS) is not None
            or paragraph.find(".//w:pict", NS) is not None
            or paragraph.find(".//w:fldSimple", NS) is not None
            or paragraph.find(".//w:fldChar", NS) is not None
            or paragraph.find("w:pPr/w:sectPr", NS) is not None
            or paragraph.find(".//w:br[@w:type='page']", NS) is not None
            # an empty table cell: Word requires each cell to hold a paragraph
            or (paragraph.getparent().tag == w("tc") and len(paragraph.getparent().findall(w("p"))) == 1)
        )
        if not holds:
            empty.append(paragraph)
    assert len(empty) == 0, f"{len(empty)} empty paragraphs"


def test_lists_use_list_styles_with_numbering(docx_path: Path, real_run: Rendered) -> None:
    styles = Styles(docx_path)
    numbering = docx_part(docx_path, "word/numbering.xml")
    nums = {n.get(w("numId")): val(n, "w:abstractNumId") for n in numbering.iterfind("w:num", NS)}
    formats = {a.get(w("abstractNumId")): val(a, "w:lvl[@w:ilvl='0']/w:numFmt")
               for a in numbering.iterfind("w:abstractNum", NS)}
    page = html_document(real_run[f"{docx_path.stem}.html"]).find("main")
    expected = [("bullet" if ul.tag == "ul" else "decimal", collapse(li.text()))
                for ul in page.iter("ul", "ol") for li in ul.find_all("li")]
    found = []
    for paragraph in body_paragraphs(docx_path):
        style_id = paragraph_style(paragraph, styles)
        name = styles.name(style_id)
        num_pr = paragraph.find("w:pPr/w:numPr", NS)
        if num_pr is None:
            num_pr = styles.first(style_id, "w:pPr/w:numPr")
        if name not in ("List Bullet", "List Number"):
            assert num_pr is None or val(num_pr, "w:numId") in (None, "0"), (
                f"{text_of(paragraph)!r} is numbered but has style {name!r}")
            continue
        assert num_pr is not None, f"{text_of(paragraph)!r}: {name} without numbering"
        kind = formats[nums[val(num_pr, "w:numId")]]
        assert kind == ("bullet" if name == "List Bullet" else "decimal")
        found.append((kind, collapse(text_of(paragraph))))
    assert found == expected
    if docx_path.stem != "08":
        assert found


def test_headings_keep_with_next(docx_path: Path) -> None:
    styles = Styles(docx_path)
    headings = [p for p in body_paragraphs(docx_path) if heading_level(p, styles)]
    assert headings
    for paragraph in headings:
        keep = paragraph.find("w:pPr/w:keepNext", NS)
        if keep is None:
            keep = styles.first(paragraph_style(paragraph, styles), "w:pPr/w:keepNext")
        assert keep is not None and keep.get(w("val"), "true") in ("true", "1", "on"), (
            text_of(paragraph))


# --- header and footer ---------------------------------------------------------------------------

def field_text(paragraph: Any) -> str:
    """The paragraph's text with each field as {INSTRUCTION} in place of its shown result."""
    out, instruction, depth = [], "", 0
    for element in paragraph.iter(w("t"), w("fldSimple"), w("fldChar"), w("instrText")):
        if element.tag == w("fldSimple"):
            out.append("{" + element.get(w("instr")).split()[0] + "}")
        elif element.tag == w("fldChar"):
            kind = element.get(w("fldCharType"))
            if kind == "begin":
                depth, instruction = depth + 1, ""
            elif kind == "separate":
                out.append("{" + instruction.split()[0] + "}")
            elif kind == "end":
                depth -= 1
        elif element.tag == w("instrText"):
            instruction += element.text or ""
        elif not any(a.tag == w("fldSimple") for a in element.iterancestors()) and (
                depth == 0 or instruction == ""):
            out.append(element.text or "")
    return "".join(out)


def test_footer_numbers_the_pages(docx_path: Path) -> None:
    footers = [n for n in story_parts(docx_path) if "footer" in n]
    assert footers
    for part in footers:
        paragraphs = docx_part(docx_path, part).findall("w:p", NS)
        assert [field_text(p) for p in paragraphs if field_text(p).strip()] == [
            "Side {PAGE} av {NUMPAGES}"]


def test_header_names_municipality_report_and_period(docx_path: Path) -> None:
    """The report (its period once: the title names the year) and the part: an area's
    document its area, the whole report a header per Del (tests/test_cover_logo.py)."""
    headers = sorted((n for n in story_parts(docx_path) if "header" in n),
                     key=lambda n: int(re.sub(r"\D", "", n)))
    report = "Drammen kommune · 1. tertialrapport 2017"
    parts = [collapse(text_of(docx_part(docx_path, n))).removeprefix(report) for n in headers]
    if docx_path.stem == "tertialrapport":
        assert parts == ["", "Del 1 Hovedtrekk", "Del 2 Økonomi og budsjett",
                         "Del 3 Programområdene", "Del 4 Eierstyring",
                         "Del 5 Menneskelige ressurser"]
    else:
        title = docx_part(docx_path, "word/document.xml").find(".//w:body/w:p", NS)
        assert parts == [collapse(text_of(title))]
        assert parts[0].startswith(f"Programområde {docx_path.stem} ")
