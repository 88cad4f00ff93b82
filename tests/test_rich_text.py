"""Rich text and figures read back from DOCX and HTML: lists, emphasis, links, sub-headings,
and the figures table with Norwegian number formatting (DESIGN.md sections 3 and 4).
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from helpers import render_area
from readers import (
    Element,
    collapse,
    docx_blocks,
    docx_tables,
    html_blocks,
    html_document,
    open_docx,
)

W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
R_ID = "{http://schemas.openxmlformats.org/officeDocument/2006/relationships}id"
NBSP, MINUS = "\u00a0", "\u2212"
URL = "https://www.drammen.kommune.no/politikk/tertialrapport"

RICH = """\
ingress: |
  Bystyret vedtok planen med **bred støtte** og *uten* endringer. Les [hele planen](%s).

  Satsingsområdene er:
  - Besøksnæringen
  - Eiendomsutvikling med **nye tomter**
  - Helse og *gründersatsing*
økonomisk_status:
  fakta: |
    Tiltakene i første halvår:
    1. Møter i kontaktutvalget
    2. Ny næringsplan

    Tiltakene i andre halvår:

    1. Evaluering
    2. Rapport til bystyret
    3. Ny strategi
  vurdering: |
    Forbruket er i tråd med budsjett.

    # Økte husleieutgifter fra 2017
    Husleien økte med [5 %%](mailto:okonomi@drammen.kommune.no) fra januar.

    ## Nye avtaler
    Tre avtaler er reforhandlet, se punkt:

    3. Skolebygg
    4. Idrettshaller
  konklusjon: "Ikke en [lenke](javascript:alert(1)) og ikke {{ kode }} eller <b>tagg</b> & mer."
  tall:
    enhet: mill. kr
    rader:
      - navn: Kommunale barnehager
        regnskap: 0.15
        budsjett: 0.40
        årsbudsjett: 1234.25
        prognose: 1000.5
      - navn: Private barnehager
        regnskap: 2500
        budsjett: 1999.9
        årsbudsjett: 6000
        prognose: 6100.05
investeringer: |
  # Vannforsyning
  Nytt høydebasseng er ferdig.
""" % URL

HEADER = ["Område", "Regnskap per april", "Budsjett per april", "Avvik per april",
          "Årsbudsjett 2017", "Prognose 2017", "Avvik prognose"]
# budsjett − regnskap and årsbudsjett − prognose from the exact decimals, rounded half up
# (away from zero) only for display: 0.15 -> 0,2 (a binary float gives 0,1) and
# 0.25 -> 0,3 (banker's rounding gives 0,2).
ROWS = [
    ["Kommunale barnehager", "0,2", "0,4", "0,3", f"1{NBSP}234,3", f"1{NBSP}000,5", "233,8"],
    ["Private barnehager", f"2{NBSP}500,0", f"1{NBSP}999,9", f"{MINUS}500,1", f"6{NBSP}000,0",
     f"6{NBSP}100,1", f"{MINUS}100,1"],
    ["Sum", f"2{NBSP}500,2", f"2{NBSP}000,3", f"{MINUS}499,9", f"7{NBSP}234,3", f"7{NBSP}100,6",
     "133,7"],
]


@pytest.fixture(scope="module")
def rich(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    out = render_area(tmp_path_factory.mktemp("rich"), RICH, formats="docx,html")
    return {"docx": out / "08.docx", "html": out / "08.html"}


# --- DOCX ----------------------------------------------------------------------------------------

def paragraphs(path: Path) -> list[Any]:
    return [p for p in open_docx(path).paragraphs if p.text.strip()]


def num_id(paragraph: Any) -> str | None:
    ids = paragraph._p.findall(f"{W}pPr/{W}numPr/{W}numId")
    return ids[0].get(f"{W}val") if ids else None


def test_docx_bullet_list_items(rich: dict[str, Path]) -> None:
    items = [p.text for p in paragraphs(rich["docx"]) if p.style.name == "List Bullet"]
    assert items == ["Besøksnæringen", "Eiendomsutvikling med nye tomter",
                     "Helse og gründersatsing"]


def test_docx_numbered_lists_restart(rich: dict[str, Path]) -> None:
    doc = open_docx(rich["docx"])
    numbered = [p for p in doc.paragraphs if p.style.name == "List Number"]
    assert [p.text for p in numbered] == [
        "Møter i kontaktutvalget", "Ny næringsplan",
        "Evaluering", "Rapport til bystyret", "Ny strategi",
        "Skolebygg", "Idrettshaller",
    ]
    lists = [numbered[0:2], numbered[2:5], numbered[5:7]]
    ids = [{num_id(p) for p in items} for items in lists]
    assert all(len(s) == 1 and None not in s for s in ids), ids
    first, second, third = (s.pop() for s in ids)
    assert len({first, second, third}) == 3  # each list has its own numbering instance

    numbering = doc.part.numbering_part.element
    style_num = doc.styles["List Number"].element.pPr.numPr.numId.val
    style_abstract = numbering.num_having_numId(style_num).abstractNumId.val
    for ident, start in ((second, 1), (third, 3)):
        num = numbering.num_having_numId(int(ident))
        assert num.abstractNumId.val == style_abstract  # the List Number style's format
        overrides = num.findall(f"{W}lvlOverride")
        assert [(o.get(f"{W}ilvl"), o.find(f"{W}startOverride").get(f"{W}val"))
                for o in overrides] == [("0", str(start))]


def test_docx_bold_and_italic_runs(rich: dict[str, Path]) -> None:
    lead = paragraphs(rich["docx"])[1]
    assert lead.text == ("Bystyret vedtok planen med bred støtte og uten endringer."
                         " Les hele planen.")
    runs = [(r.text, bool(r.bold), bool(r.italic)) for r in lead.runs]
    assert ("bred støtte", True, False) in runs
    assert ("uten", False, True) in runs
    assert ("Bystyret vedtok planen med ", False, False) in runs
    items = [p for p in paragraphs(rich["docx"]) if p.style.name == "List Bullet"]
    assert [(r.text, bool(r.bold)) for r in items[1].runs] == [
        ("Eiendomsutvikling med ", False), ("nye tomter", True)
    ]
    assert [(r.text, bool(r.italic)) for r in items[2].runs] == [
        ("Helse og ", False), ("gründersatsing", True)
    ]


def test_docx_links_are_external_hyperlinks(rich: dict[str, Path]) -> None:
    doc = open_docx(rich["docx"])
    links = []
    for p in doc.paragraphs:
        for link in p._p.findall(f"{W}hyperlink"):
            rel = doc.part.rels[link.get(R_ID)]
            text = "".join(t.text for t in link.iter(f"{W}t")).replace("\xa0", " ")  # 5 %
            links.append((text, rel.target_ref, rel.is_external))
    assert links == [
        ("hele planen", URL, True),
        ("5 %", "mailto:okonomi@drammen.kommune.no", True),
    ]


def test_docx_literal_text_and_refused_link(rich: dict[str, Path]) -> None:
    texts = [t for _, t in docx_blocks(rich["docx"])]
    assert ("Ikke en [lenke](javascript:alert(1)) og ikke {{ kode }} eller <b>tagg</b> & mer."
            in texts)


# The headings of RICH at their levels: `#` one below the heading its text stands under.
RICH_HEADINGS = [
    (1, "Programområde 08 Kompetanse, markedsføring og næring"),
    (2, "Økonomisk status"),
    (3, "Fakta"),
    (3, "Vurdering"),
    (4, "Økte husleieutgifter fra 2017"),
    (5, "Nye avtaler"),
    (3, "Konklusjon"),
    (2, "Investeringsbudsjettet"),
    (3, "Vannforsyning"),
]


def test_docx_sub_headings_get_levels_below_their_heading(rich: dict[str, Path]) -> None:
    headings = [(level, text) for level, text in docx_blocks(rich["docx"]) if level]
    assert headings == RICH_HEADINGS
    styles = {p.text: p.style.name for p in paragraphs(rich["docx"])}
    assert styles["Økte husleieutgifter fra 2017"] == "Heading 4"
    assert styles["Nye avtaler"] == "Heading 5"


def test_docx_figures_table(rich: dict[str, Path]) -> None:
    assert docx_tables(rich["docx"]) == [[HEADER, *ROWS]]
    table = open_docx(rich["docx"]).tables[0]
    header, *body = table.rows
    assert header._tr.trPr is not None
    flags = header._tr.trPr.findall(f"{W}tblHeader")
    assert flags and flags[0].get(f"{W}val", "true") in ("true", "1", "on")
    for row in body:
        assert not row._tr.findall(f"{W}trPr/{W}tblHeader")
    for row in table.rows:
        aligns = [cell.paragraphs[0].alignment for cell in row.cells]
        assert aligns[0] is None or int(aligns[0]) == 0  # names: left, as the style says
        assert [int(a) if a is not None else None for a in aligns[1:]] == [2] * 6  # right


def test_docx_table_caption_and_note(rich: dict[str, Path]) -> None:
    texts = [t.replace("\xa0", " ") for _, t in docx_blocks(rich["docx"])]  # "mill. kr" bound
    assert "Driftsregnskap per april 2017 (mill. kr)" in texts
    # The note may go on to say that the sums are of exact amounts (issue 13: this table's
    # rounded rows do not add up to its sums).
    assert any(t.startswith(
        "Beløp i mill. kr. Avvik er budsjett minus regnskap, og årsbudsjett minus prognose:"
        " positive tall er mindreforbruk, negative tall er merforbruk.") for t in texts)


# --- HTML ----------------------------------------------------------------------------------------

def main_of(path: Path) -> Element:
    return html_document(path).find("main")


def items(element: Element) -> list[str]:
    return [collapse(li.text()) for li in element.find_all("li")]


def test_html_lists(rich: dict[str, Path]) -> None:
    main = main_of(rich["html"])
    assert [items(ul) for ul in main.find_all("ul")] == [
        ["Besøksnæringen", "Eiendomsutvikling med nye tomter", "Helse og gründersatsing"]
    ]
    ols = main.find_all("ol")
    assert [items(ol) for ol in ols] == [
        ["Møter i kontaktutvalget", "Ny næringsplan"],
        ["Evaluering", "Rapport til bystyret", "Ny strategi"],
        ["Skolebygg", "Idrettshaller"],
    ]
    assert [ol.attrs.get("start", "1") for ol in ols] == ["1", "1", "3"]


def test_html_emphasis_and_links(rich: dict[str, Path]) -> None:
    main = main_of(rich["html"])
    assert [s.text() for s in main.find_all("strong")] == ["bred støtte", "nye tomter"]
    assert [e.text() for e in main.find_all("em")] == ["uten", "gründersatsing"]
    assert [(a.attrs.get("href"), a.text().replace("\xa0", " ")) for a in main.find_all("a")] == [
        (URL, "hele planen"),
        ("mailto:okonomi@drammen.kommune.no", "5 %"),
    ]


def test_html_literal_text_is_escaped_not_interpreted(rich: dict[str, Path]) -> None:
    assert (0, "Ikke en [lenke](javascript:alert(1)) og ikke {{ kode }} eller <b>tagg</b> & mer."
            ) in html_blocks(rich["html"])
    assert not main_of(rich["html"]).find_all("b")


def test_html_sub_headings(rich: dict[str, Path]) -> None:
    headings = [(level, text) for level, text in html_blocks(rich["html"]) if level]
    assert headings == RICH_HEADINGS
    blocks = html_blocks(rich["html"])
    at = blocks.index((4, "Økte husleieutgifter fra 2017"))
    assert blocks[at - 2: at + 2] == [
        (3, "Vurdering"),
        (0, "Forbruket er i tråd med budsjett."),
        (4, "Økte husleieutgifter fra 2017"),
        (0, "Husleien økte med 5 % fra januar."),
    ]


def test_html_figures_table(rich: dict[str, Path]) -> None:
    tables = main_of(rich["html"]).find_all("table")
    assert len(tables) == 1
    table = tables[0]
    assert collapse(table.find("caption").text()) == "Driftsregnskap per april 2017 (mill. kr)"
    header = table.find("thead").find_all("th")
    assert [th.text() for th in header] == HEADER
    assert {th.attrs.get("scope") for th in header} == {"col"}
    body_rows = table.find("tbody").find_all("tr")
    assert [[c.text() for c in tr.find_all("th", "td")] for tr in body_rows] == ROWS
    for tr in body_rows:
        cells = tr.find_all("th", "td")
        assert (cells[0].tag, cells[0].attrs.get("scope")) == ("th", "row")
        assert [c.tag for c in cells[1:]] == ["td"] * 6


def test_one_row_in_1000_kr_has_no_sum_and_no_decimals(tmp_path: Path) -> None:
    # Amounts as YAML numbers, not strings: the text is what the author typed.
    text = (
        "ingress: Ingress.\n"
        "økonomisk_status:\n"
        "  fakta: Fakta.\n  vurdering: Vurdering.\n  konklusjon: Konklusjon.\n"
        "  tall:\n    enhet: 1000 kr\n    rader:\n"
        "      - navn: Administrasjon\n"
        "        regnskap: 1234567.5\n        budsjett: 1234567.49\n"
        "        årsbudsjett: 0.5\n        prognose: -2.5\n"
    )
    html = render_area(tmp_path, text, formats="html") / "08.html"
    table = main_of(html).find("table")
    assert collapse(table.find("caption").text()) == "Driftsregnskap per april 2017 (1000 kr)"
    rows = [[c.text() for c in tr.find_all("th", "td")]
            for tr in table.find("tbody").find_all("tr")]
    # avvik −0.01 rounds to 0 and shows no minus; prognoseavvik 0.5 − (−2.5) = 3
    assert rows == [["Administrasjon", f"1{NBSP}234{NBSP}568", f"1{NBSP}234{NBSP}567", "0", "1",
                     f"{MINUS}3", "3"]]
