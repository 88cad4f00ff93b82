"""Every character the authors write comes out as written (DESIGN.md section 3): property tests.

Arbitrary one-line, XML-legal Unicode (æøå, emoji, right-to-left text, combining marks,
no-break and zero-width spaces, `{{ }}`, `{% %}`, `{_{`, `<script>`, `&`, quotes,
backslashes, Markdown punctuation) is put in every text field of kommune.yaml, an area file
and rapport.yaml, rendered, and read back from the DOCX (python-docx) and the HTML (the
standard library's parser, entities decoded). Text fields are Markdown, so the YAML holds
`markup.escape(text)`; headings and names are literal. Characters XML cannot carry are
refused with the field, the place and the code point.
"""

from __future__ import annotations

import base64
import tempfile
import xml.etree.ElementTree as ET
import zipfile
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from helpers import TEMPLATES, run_main
from hypothesis import HealthCheck, Phase, given, settings
from hypothesis import strategies as st
from readers import Element, docx_level, html_document, open_docx, pdf_pages, squash

from reportgen.markup import escape

PERIOD = "2017-T1"
# One line of XML-legal text: no C0 control at all (tab and newline would be layout), no
# surrogates, no U+FFFE/U+FFFF.
CHAR = st.characters(blacklist_categories=("Cs",)).filter(
    lambda c: c >= " " and c not in "\ufffe\uffff"
)
PIECES = st.sampled_from([
    "æ", "ø", "å", "Æ", "Ø", "Å", "\U0001F600", "\U0001F1F3\U0001F1F4", "\u05e9\u05dc\u05d5\u05dd",
    "\u0627\u0644\u0639\u0631\u0628\u064a\u0629", "\u202e", "\u200f", "e\u0301", "\u0308",
    "\u00a0", "\u200b", "\u2028", "\u0085", "\ue000", "\ue001", "\ue002", "{{", "}}", "{%",
    "%}", "{_{", "}_}", "{%p", "{{r", "<script>", "</p>", "&", "&amp;", "&#60;", '"', "'",
    "\\", "*", "**", "_", "[", "](", "https://a.no", ")", "#", "# ", "- ", "1. ", "$", "  ",
])
TEXT = (st.lists(st.one_of(PIECES, CHAR), min_size=1, max_size=12).map("".join)
        .map(lambda t: t.strip(" ")).filter(bool))

FIELDS = ("kommune", "area_name", "ingress", "fakta", "vurdering", "konklusjon", "navn",
          "investeringer", "overskrift", "tekst", "tittel", "undertittel", "kapittel",
          "kapittel_tekst")


def quoted(text: str) -> str:
    """A YAML double-quoted scalar holding exactly text (every non-ASCII as an escape, astral
    characters as \\U escapes: a JSON-style surrogate pair would be two lone surrogates)."""
    out = []
    for char in text:
        if " " <= char <= "~" and char not in '"\\':
            out.append(char)
        elif ord(char) > 0xFFFF:
            out.append(f"\\U{ord(char):08X}")
        else:
            out.append(f"\\u{ord(char):04X}")
    return '"' + "".join(out) + '"'


def write_inputs(root: Path, t: dict[str, str]) -> Path:
    inputs = root / "inputs"
    (inputs / PERIOD).mkdir(parents=True)
    (inputs / "kommune.yaml").write_text(
        f"kommune: {quoted(t['kommune'])}\nprogramområder:\n  \"08\": {quoted(t['area_name'])}\n",
        encoding="utf-8")

    def md(key: str) -> str:
        return quoted(escape(t[key]))

    (inputs / PERIOD / "08.yaml").write_text(f"""\
ingress: {md('ingress')}
økonomisk_status:
  fakta: {md('fakta')}
  vurdering: {md('vurdering')}
  konklusjon: {md('konklusjon')}
  tall:
    rader:
      - navn: {quoted(t['navn'])}
        regnskap: 1.5
        budsjett: 2
        årsbudsjett: 6
        prognose: 6
investeringer: {md('investeringer')}
andre_forhold:
  - overskrift: {quoted(t['overskrift'])}
    tekst: {md('tekst')}
""", encoding="utf-8")
    (inputs / PERIOD / "rapport.yaml").write_text(f"""\
tittel: {quoted(t['tittel'])}
undertittel: {quoted(t['undertittel'])}
kapitler_før:
  - overskrift: {quoted(t['kapittel'])}
    tekst: {md('kapittel_tekst')}
""", encoding="utf-8")
    return inputs


def render(root: Path, t: dict[str, str], *argv: str) -> Path:
    inputs = write_inputs(root, t)
    status = run_main(["render", *argv, PERIOD, "--inputs", inputs, "--templates", TEMPLATES,
                       "--out", root / "out", "--quiet"])
    assert status == 0
    return root / "out" / PERIOD


CAPTION = "Driftsregnskap per april 2017 (mill. kr)"
REPORT_NOTE = "Beløp i mill. kr."  # in the whole report the overview's reading guide has the rest
NOTE = (f"{REPORT_NOTE} Avvik er budsjett minus regnskap, og årsbudsjett minus prognose:"
        " positive tall er mindreforbruk, negative tall er merforbruk.")


def area_blocks(t: dict[str, str], top: int = 1) -> list[tuple[int, str]]:
    """The area's section as (heading level or 0, text), as the fixed structure orders it."""
    return [(level, spaced(text)) for level, text in _area_blocks(t, top)]


def _area_blocks(t: dict[str, str], top: int) -> list[tuple[int, str]]:
    return [
        (top, f"Programområde 08 {t['area_name']}"), (0, t["ingress"]),
        (top + 1, "Økonomisk status"), (top + 2, "Fakta"), (0, t["fakta"]),
        (0, CAPTION), (0, NOTE if top == 1 else REPORT_NOTE),
        (top + 2, "Vurdering"), (0, t["vurdering"]),
        (top + 2, "Konklusjon"), (0, t["konklusjon"]),
        (top + 1, "Investeringsbudsjettet"), (0, t["investeringer"]),
        (top + 1, "Andre forhold"), (top + 2, t["overskrift"]), (0, t["tekst"]),
    ]


def in_order(expected: list[Any], actual: list[Any]) -> list[Any]:
    """The expected items not found, in order, among actual (empty when all are)."""
    rest = iter(actual)
    return [item for item in expected if not any(item == other for other in rest)]


# --- readers that keep every character (no stripping, no whitespace folding) ----------------

def spaced(text: str) -> str:
    """No-break spaces as spaces: the renderers bind a number to its unit and a heading's last
    two words (present/typography.py, render/html.py) and change nothing else."""
    return text.replace("\u00a0", " ")


def docx_paragraphs(path: Path) -> list[tuple[int, str]]:
    return [(docx_level(p), spaced(p.text)) for p in open_docx(path).paragraphs if p.text]


def docx_header(path: Path, section: int = 0) -> str:
    return "\n".join(p.text for p in open_docx(path).sections[section].header.paragraphs)


def html_elements(path: Path, *tags: str) -> Iterator[Element]:
    return html_document(path).iter(*tags)


def html_blocks_exact(path: Path) -> list[tuple[int, str]]:
    """Headings and text blocks inside <main>, their text exactly as the parser gives it."""
    main = next(html_elements(path, "main"))
    return [(int(e.tag[1]) if e.tag[0] == "h" else 0, spaced(e.text()))
            for e in main.iter("h1", "h2", "h3", "h4", "h5", "h6", "p", "caption")]


@settings(max_examples=20, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.fixed_dictionaries({name: TEXT for name in FIELDS}))
def test_every_text_field_comes_out_verbatim_in_docx_and_html(t: dict[str, str]) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        out = render(Path(tmp), t, "all", "--format", "docx,html")
        area_docx, area_html = out / "08.docx", out / "08.html"
        report_docx, report_html = out / "tertialrapport.docx", out / "tertialrapport.html"

        # The area: every block, in order, and nothing else.
        assert docx_paragraphs(area_docx) == area_blocks(t)
        assert html_blocks_exact(area_html) == area_blocks(t)
        assert [spaced(r[0]) for r in _docx_rows(area_docx)][1:] == [spaced(t["navn"])]
        assert [spaced(th.text()) for th in html_elements(area_html, "th")
                if th.attrs.get("scope") == "row"] == [spaced(t["navn"])]
        # The running header: the report, its period once, and on the right the area.
        header = f"{t['kommune']} · 1. tertialrapport 2017\tProgramområde 08 {t['area_name']}"
        assert spaced(docx_header(area_docx)) == spaced(header)
        props = open_docx(area_docx).core_properties
        assert (props.title, props.author) == (f"Programområde 08 {t['area_name']}", t["kommune"])
        assert [e.text() for e in html_elements(area_html, "title")] == [
            f"Programområde 08 {t['area_name']} – 1. tertial 2017"]
        assert [e.attrs["content"] for e in html_elements(area_html, "meta")
                if e.attrs.get("name") == "author"] == [t["kommune"]]

        # The whole report: cover, chapter, then the area one level down, in order.
        cover = [(0, spaced(t["kommune"])), (1, spaced(t["tittel"])),
                 (0, spaced(t["undertittel"]))]  # Title style; the order of the PDF's cover
        chapter = [(1, spaced(t["kapittel"])), (0, spaced(t["kapittel_tekst"]))]
        report = docx_paragraphs(report_docx)
        assert in_order(cover + chapter + area_blocks(t, 2), report) == []
        title = t["tittel"] if "2017" in t["tittel"] else f"{t['tittel']} · 1. tertial 2017"
        assert [spaced(docx_header(report_docx, n)) for n in (0, 1)] == [
            spaced(f"{t['kommune']} · {title}\t"),  # the contents' pages: no Del yet
            spaced(f"{t['kommune']} · {title}\t{t['kapittel']}")]  # the chapter's section
        assert open_docx(report_docx).core_properties.title == t["tittel"]
        cover_html = [spaced(e.text()) for e in html_elements(report_html, "p")
                      if e.attrs.get("class", "").startswith("cover-")]
        assert cover_html[:3] == [spaced(t["kommune"]), spaced(t["tittel"]),
                                  spaced(t["undertittel"])]
        assert in_order(chapter + area_blocks(t, 2), html_blocks_exact(report_html)) == []
        assert spaced(f"08 {t['area_name']}") in [spaced(th.text())
                                                  for th in html_elements(report_html, "th")]
        for texts in chart_texts(report_html):  # the overview chart's label, wide and narrow
            assert f"08 {t['area_name']}" in texts


def test_dollar_signs_in_an_area_name_are_text_not_a_formula(tmp_path: Path) -> None:
    # The overview chart labels its bars with the area names. A chart library once read `$…$`
    # as a formula (`\frac` without its braces made the whole report fail); the chart's SVG is
    # XML, where `<` and `&` must arrive escaped; the DOCX picture draws the name itself.
    t = {name: "Tekst" for name in FIELDS}
    t["area_name"] = "Vann $\\frac og $ <avløp> & co"
    out = render(tmp_path, t, "all", "--format", "docx,html")
    report = out / "tertialrapport.html"
    assert f"08 {t['area_name']}" in [th.text() for th in html_elements(report, "th")]
    assert (1, f"Programområde 08 {t['area_name']}") in docx_paragraphs(out / "08.docx")
    for texts in chart_texts(report):  # the chart for wide screens and the one for phones
        assert f"08 {t['area_name']}" in texts
    with zipfile.ZipFile(out / "tertialrapport.docx") as docx:
        (png,) = [n for n in docx.namelist() if n.startswith("word/media/")]
        assert docx.read(png)[:8] == b"\x89PNG\r\n\x1a\n"


def chart_texts(path: Path) -> list[list[str]]:
    """The texts of each drawing of the page's one chart (wide and narrow), SVG in data: URLs."""
    images = list(html_elements(path, "img"))
    assert [image.attrs["class"] for image in images] == ["chart-wide", "chart-narrow"]
    svgs = [ET.fromstring(base64.b64decode(image.attrs["src"].split(",", 1)[1]))
            for image in images]
    return [[e.text or "" for e in svg.iter("{http://www.w3.org/2000/svg}text")] for svg in svgs]


def _docx_rows(path: Path) -> list[list[str]]:
    return [[cell.text for cell in row.cells] for table in open_docx(path).tables
            for row in table.rows]


# --- PDF: fewer examples, an alphabet whose extracted text is unambiguous -------------------

PDF_TEXT = st.text(
    alphabet="abcdefghijklmnopqrstuvwxyzæøåABCDEFGHIJKLMNOPQRSTUVWXYZÆØÅ0123456789"
    " .,:;!?'\"{}<>&%*#_[]()/\\$=+",
    min_size=6, max_size=16,  # short enough that no line breaks (or hyphenates) inside
).map(str.strip).filter(lambda t: len(t) >= 6)


@pytest.mark.render
@pytest.mark.slow
@settings(max_examples=5, deadline=None, suppress_health_check=[HealthCheck.too_slow],
          phases=[Phase.explicit, Phase.reuse, Phase.generate])  # no slow shrinking of PDFs
@given(st.fixed_dictionaries({name: PDF_TEXT for name in FIELDS}))
def test_text_fields_come_out_verbatim_in_the_pdf(t: dict[str, str]) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        out = render(Path(tmp), t, "08", "--format", "pdf")
        text = squash("".join(pdf_pages(out / "08.pdf")))
        at = 0
        for _, expected in area_blocks(t):  # each block, after the one before it
            if expected in (NOTE, CAPTION):  # fixed wording, which the layout may hyphenate
                continue
            found = text.find(squash(expected), at)
            assert found >= 0, (expected, text[at:at + 200])
            at = found + len(squash(expected))
        assert squash(t["navn"]) in text  # the figures table
        assert squash(t["kommune"]) in text  # the running header


# --- characters XML cannot carry ------------------------------------------------------------

ILLEGAL = [*range(0x00, 0x09), *range(0x0B, 0x20), 0xFFFE, 0xFFFF, 0xD800]


@pytest.mark.parametrize("point", ILLEGAL, ids=[f"U+{p:04X}" for p in ILLEGAL])
def test_a_character_xml_cannot_carry_is_refused_with_field_place_and_code_point(
    point: int, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    # Written as a YAML escape ("\u0001", "\ud800"): the file itself is clean text.
    monkeypatch.chdir(tmp_path)
    t = {name: "Tekst" for name in FIELDS}
    inputs = write_inputs(tmp_path, t)
    area = inputs / PERIOD / "08.yaml"
    area.write_text(area.read_text(encoding="utf-8").replace(
        '  fakta: "Tekst"', f'  fakta: "Limt inn\\u{point:04X} fra Word"'), encoding="utf-8")
    capsys.readouterr()
    status = run_main(["render", "08", PERIOD, "--inputs", "inputs", "--templates", TEMPLATES,
                       "--out", "out"])
    err = capsys.readouterr().err
    assert status == 1
    assert err == (
        f"inputs/2017-T1/08.yaml:3:10: error: økonomisk_status.fakta: character U+{point:04X}"
        " cannot be stored in a document (line 1 of the text, character 9)\n"
        "  hint: remove the control character; it often comes along when text is pasted from"
        " Word, PDF or e-mail\n"
    )
    assert not (tmp_path / "out").exists()


@pytest.mark.parametrize("char", ["\x0c", "\x1b", "\ufffe"], ids=["U+000C", "U+001B", "U+FFFE"])
def test_the_same_characters_typed_into_the_file_are_refused_by_the_reader(
    char: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.chdir(tmp_path)
    inputs = write_inputs(tmp_path, {name: "Tekst" for name in FIELDS})
    area = inputs / PERIOD / "08.yaml"
    area.write_text(area.read_text(encoding="utf-8").replace(
        '  fakta: "Tekst"', f"  fakta: Limt inn{char} fra Word"), encoding="utf-8")
    capsys.readouterr()
    status = run_main(["render", "08", PERIOD, "--inputs", "inputs", "--templates", TEMPLATES,
                       "--out", "out"])
    assert status == 1
    assert capsys.readouterr().err == (
        f"inputs/2017-T1/08.yaml:3:18: error: character U+{ord(char):04X} is not allowed in YAML\n"
        "  hint: remove the control character (often pasted from Word or e-mail)\n"
    )
    assert not (tmp_path / "out").exists()


def test_a_surrogate_pair_written_as_two_escapes_is_refused_not_garbled(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    # JSON writes 😀 as "\ud83d\ude00"; YAML reads that as two lone surrogates, not the emoji.
    monkeypatch.chdir(tmp_path)
    inputs = write_inputs(tmp_path, {name: "Tekst" for name in FIELDS})
    area = inputs / PERIOD / "08.yaml"
    area.write_text(area.read_text(encoding="utf-8").replace(
        'ingress: "Tekst"', 'ingress: "Smil \\ud83d\\ude00"'), encoding="utf-8")
    capsys.readouterr()
    status = run_main(["render", "08", PERIOD, "--inputs", "inputs", "--templates", TEMPLATES,
                       "--out", "out"])
    assert status == 1
    assert capsys.readouterr().err.startswith(
        "inputs/2017-T1/08.yaml:1:10: error: ingress: character U+D83D cannot be stored in a"
        " document (line 1 of the text, character 6)\n"
    )
