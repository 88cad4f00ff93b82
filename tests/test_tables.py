"""Tables and charts anywhere (`tabeller:`, `[[tabell ID]]`, `[[diagram ID]]`) and the proposed
resolution (`forslag_til_vedtak:`), DESIGN.md section 4b: read back from DOCX, HTML and PDF."""

from __future__ import annotations

import base64
import datetime as dt
import re
import zipfile
from pathlib import Path

import pikepdf
import pytest
from helpers import MINIMAL_AREA, Project, dump_yaml, snapshot
from readers import (
    docx_blocks,
    docx_tables,
    html_document,
    pdf_outline,
    pdf_pages,
    pdftotext_pages,
    squash,
)

TABLE = {
    "tittel": "Nøkkeltall",
    "enhet": "mill. kr",
    "kolonner": [
        {"navn": "Tjeneste", "type": "tekst"},
        {"navn": "Beløp", "type": "beløp"},
        {"navn": "Andel", "type": "prosent"},
        {"navn": "Antall", "type": "tall"},
        {"navn": "Vedtatt", "type": "dato"},
        {"navn": "Presis", "type": "beløp", "desimaler": 2},
    ],
    "rader": [
        ["Hjemmetjenester", 1.25, 2.05, 161, dt.date(2017, 5, 23), 0.125],
        ["Sykehjem", 1.25, 12.5, 1200, None, -1234.5],
    ],
    "sum": True,
    "merknad": "Kilde: fagsystemet.",
    "diagram": "søyle",
}
VURDERING = "Før tabellen.\n\n[[tabell nokkel]]\n\nMellom.\n\n[[diagram nokkel]]\n\nEtter tabellen.\n"
# What the table shows: one decimal (mill. kr) half up, percent with one decimal and a no-break
# space, numbers with none and thousands apart, dates in words, sums of exact amounts.
SHOWN = [
    ["Tjeneste", "Beløp", "Andel", "Antall", "Vedtatt", "Presis"],
    ["Hjemmetjenester", "1,3", "2,1\xa0%", "161", "23. mai 2017", "0,13"],
    ["Sykehjem", "1,3", "12,5\xa0%", "1\xa0200", "", "−1\xa0234,50"],
    ["Sum", "2,5", "", "1\xa0361", "", "−1\xa0234,38"],
]


def area_with_table(**changes: object) -> str:
    table = {**TABLE, **changes}
    status = {**MINIMAL_AREA["økonomisk_status"], "vurdering": VURDERING}
    return dump_yaml({**MINIMAL_AREA, "økonomisk_status": status, "tabeller": {"nokkel": table}})


@pytest.fixture
def rendered(project: Project, cli) -> Project:
    project.write_area("08", area_with_table())
    project.write({"inputs/2017-T1/rapport.yaml": dump_yaml({
        "forslag_til_vedtak": ["Bystyret tar rapporten til orientering.",
                               "Budsjettet justeres som vist i **tabell 1**."],
        "kapitler_før": [{"overskrift": "Del 2 Økonomi", "tekst": "Innledning.\n\n[[tabell skatt]]\n\nSlutt.\n"}],
        "tabeller": {"skatt": {"tittel": "Skatt", "kolonner": [
            {"navn": "År", "type": "tekst"}, {"navn": "Inngang", "type": "beløp"}],
            "rader": [["2016", 1234], ["2017", 1260]], "sum": True}},
    })})
    result = cli("render", "all", "2017-T1", "--out", project.out)
    assert result.code == 0, result.err
    return project


@pytest.mark.render
def test_every_column_type_reads_back_the_same_in_docx_html_and_pdf(rendered: Project) -> None:
    assert docx_tables(rendered.output("08.docx"))[0] == SHOWN
    page = html_document(rendered.output("08.html"))
    table = page.find_all("table")[0]
    assert table.find_all("caption")[0].text() == "Nøkkeltall (mill. kr)"
    assert [th.attrs.get("scope") for th in table.find_all("th")][:6] == ["col"] * 6
    rows = [[c.text() for c in tr.children if not isinstance(c, str)] for tr in table.find_all("tr")]
    assert rows == SHOWN
    numeric = [c.attrs.get("class") for c in table.find_all("tr")[1].children if not isinstance(c, str)]
    assert numeric == [None, "num", "num", "num", None, "num"]
    text = squash("\n".join(pdf_pages(rendered.output("08.pdf"))))
    for row in SHOWN:
        assert squash(" ".join(row)) in text


@pytest.mark.render
def test_the_table_stands_where_the_text_places_it(rendered: Project) -> None:
    blocks = [text for _, text in docx_blocks(rendered.output("08.docx"))]
    order = [blocks.index(t) for t in ("Før tabellen.", "Nøkkeltall (mill. kr)", "Mellom.",
                                       "Etter tabellen.")]
    assert order == sorted(order)
    html = rendered.output("08.html").read_text(encoding="utf-8")
    assert html.index("Før tabellen.") < html.index("<table") < html.index("Mellom.") \
        < html.index('class="chart"') < html.index("Etter tabellen.")


@pytest.mark.render
def test_the_chart_has_the_caption_as_title_and_an_alt_text(rendered: Project) -> None:
    html = rendered.output("08.html").read_text(encoding="utf-8")
    data = re.search(r'src="data:image/svg\+xml;base64,([^"]+)" alt="([^"]+)"', html)
    assert data is not None
    assert data.group(2) == "Diagram over tallene i tabellen «Nøkkeltall». Tallene står i tabellen."
    svg = base64.b64decode(data.group(1)).decode()
    assert "<title id=\"title\">Nøkkeltall (mill. kr)</title>" in svg
    assert ">Hjemmetjenester<" in svg and ">Beløp<" in svg  # axis and legend
    with zipfile.ZipFile(rendered.output("08.docx")) as package:
        document = package.read("word/document.xml").decode()
    assert 'descr="Diagram over tallene i tabellen «Nøkkeltall». Tallene står i tabellen."' in document


@pytest.mark.render
def test_the_pdf_tags_the_table_as_a_table_with_header_cells(rendered: Project) -> None:
    with pikepdf.open(rendered.output("08.pdf")) as pdf:
        kinds = [str(e.get("/S")) for e in _elements(pdf.Root.StructTreeRoot)]
    assert kinds.count("/Table") == 1
    assert kinds.count("/TH") >= 6


def _elements(node: pikepdf.Object) -> list[pikepdf.Object]:
    found, stack = [], [node]
    while stack:
        current = stack.pop()
        kids = current.get("/K") if isinstance(current, pikepdf.Dictionary) else None
        if kids is None:
            continue
        for kid in (kids if isinstance(kids, pikepdf.Array) else [kids]):
            if isinstance(kid, pikepdf.Dictionary) and "/S" in kid:
                found.append(kid)
                stack.append(kid)
    return found


@pytest.mark.render
def test_the_proposed_resolution_is_numbered_after_the_contents(rendered: Project) -> None:
    blocks = docx_blocks(rendered.output("tertialrapport.docx"))
    texts = [t for _, t in blocks]
    start = len(texts) - 1 - texts[::-1].index("Rådmannens forslag til vedtak")  # not the TOC
    assert blocks[start][0] == 1
    assert texts[start + 1:start + 3] == ["Bystyret tar rapporten til orientering.",
                                          "Budsjettet justeres som vist i tabell 1."]
    assert start < len(texts) - 1 - texts[::-1].index("Del 2 Økonomi")
    page = html_document(rendered.output("tertialrapport.html"))
    lists = [ol for ol in page.find_all("ol") if "orientering" in ol.text()]
    assert lists and [li.text() for li in lists[0].find_all("li")][0].startswith("Bystyret")
    outline = [(level, text.replace("\xa0", " "))
               for level, text in pdf_outline(rendered.output("tertialrapport.pdf"))]
    assert (1, "Rådmannens forslag til vedtak") in outline
    contents = html_document(rendered.output("tertialrapport.html")).find_all("nav")[0].text()
    assert contents.index("Rådmannens forslag til vedtak") < contents.index("Del 2 Økonomi")
    pdf = squash("\n".join(line for page in pdftotext_pages(rendered.output("tertialrapport.pdf"))
                            for line in page))
    assert squash("1. Bystyret tar rapporten til orientering.") in pdf
    assert squash("2. Budsjettet justeres som vist i tabell 1.") in pdf
    assert docx_tables(rendered.output("tertialrapport.docx"))[0] == [
        ["År", "Inngang"], ["2016", "1\xa0234"], ["2017", "1\xa0260"], ["Sum", "2\xa0494"]]


@pytest.mark.parametrize(("changes", "message"), [
    ({"rader": [["A", 1, 2, 3, None]]},
     "inputs/2017-T1/08.yaml:{line}:7: error: tabeller.nokkel.rader[0]: the row has 5 value(s),"
     " the table has 6 column(s)"),
    ({"rader": [["A", "mye", 2, 3, None, 1]]},
     "error: tabeller.nokkel.rader[0][1]: the text 'mye' is not a number in the column 'Beløp'"
     " (beløp)"),
    ({"rader": [["A", 1, 2, 3, "i går", 1]]},
     "error: tabeller.nokkel.rader[0][4]: the text 'i går' is not a date in the column"
     " 'Vedtatt' (dato)"),
    ({"rader": [["A", True, 2, 3, None, 1]]},
     "error: tabeller.nokkel.rader[0][1]: YAML read 'true' as yes/no in the column 'Beløp'"),
])
def test_rows_that_do_not_fit_their_columns_are_errors(project: Project, cli, changes: dict,
                                                       message: str) -> None:
    path = project.write_area("08", area_with_table(**changes))
    line = path.read_text(encoding="utf-8").splitlines().index("    rader:") + 2
    before = snapshot(project.root)
    for command in (("check", "2017-T1"), ("render", "08", "2017-T1", "--out", project.out)):
        result = cli(*command)
        assert result.code == 1, result.err
        assert message.format(line=line) in result.err
        assert "  hint: " in result.err
    assert snapshot(project.root) == before


def test_an_unknown_table_id_is_an_error_that_lists_the_known_ones(project: Project, cli) -> None:
    text = area_with_table().replace("[[tabell nokkel]]", "[[tabell nøkkel]]")
    project.write_area("08", text)
    result = cli("check", "2017-T1")
    assert result.code == 1
    assert ("error: økonomisk_status.vurdering: [[tabell nøkkel]] names no table (line 3 of the"
            " text)\n  hint: define it under `tabeller:` in this file (the tables here: nokkel)"
            ) in result.err


def test_a_chart_of_a_table_without_diagram_is_an_error(project: Project, cli) -> None:
    project.write_area("08", area_with_table(diagram=None).replace("diagram: null\n", ""))
    result = cli("check", "2017-T1")
    assert result.code == 1
    assert "[[diagram nokkel]] but the table has no `diagram:`" in result.err


def test_a_table_placed_nowhere_is_a_warning(project: Project, cli) -> None:
    text = area_with_table().replace("[[tabell nokkel]]", "Ingen tabell.").replace(
        "[[diagram nokkel]]", "Intet diagram.")
    project.write_area("08", text)
    result = cli("check", "2017-T1")
    assert result.code == 0, result.err
    assert "warning: tabeller.nokkel: the table is placed in no text" in result.err
    assert "hint: put a line [[tabell nokkel]] where it belongs" in result.err


def test_a_table_id_defined_twice_is_an_error(project: Project, cli) -> None:
    text = area_with_table() + "  nokkel:\n    tittel: To\n"
    project.write_area("08", text.replace("tabeller:\n", "tabeller:\n  nokkel:\n    tittel: En\n", 1))
    result = cli("check", "2017-T1")
    assert result.code == 1
    assert "duplicate key 'nokkel'" in result.err


def test_an_escaped_placement_is_text(project: Project, cli) -> None:
    status = {**MINIMAL_AREA["økonomisk_status"], "vurdering": "\\[[tabell x]]"}
    project.write_area("08", dump_yaml({**MINIMAL_AREA, "økonomisk_status": status}))
    result = cli("render", "08", "2017-T1", "--format", "html", "--out", project.out)
    assert result.code == 0, result.err
    assert "<p>[[tabell x]]</p>" in project.output("08.html").read_text(encoding="utf-8")


def test_the_sample_report_has_a_resolution_a_table_with_a_sum_and_a_chart() -> None:
    from helpers import INPUTS

    text = Path(INPUTS, "2017-T1", "rapport.yaml").read_text(encoding="utf-8")
    assert "forslag_til_vedtak:" in text and "sum: true" in text and "diagram: søyle" in text
