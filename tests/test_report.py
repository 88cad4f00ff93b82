"""The whole report (`render all`): every area in order one level down, the contents, the
overview and its chart, incremental rebuilds, and parallel output equal to serial output."""

from __future__ import annotations

import base64
import os
import re
import shutil
import xml.etree.ElementTree as ET
import zipfile
from collections.abc import Callable
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
import yaml
from helpers import INPUTS, TEMPLATES, run_main
from readers import (
    collapse,
    docx_blocks,
    docx_tables,
    html_blocks,
    html_document,
    html_reading_blocks,
    open_docx,
    pdf_pages,
    squash,
)

PERIOD = "2017-T1"
AREAS = [f"{n:02d}" for n in range(1, 15)]
SVG = "{http://www.w3.org/2000/svg}"


def render(out: Path, *extra: str, inputs: Path = INPUTS) -> int:
    return run_main(["render", "all", PERIOD, "--inputs", inputs, "--templates", TEMPLATES,
                     "--out", out, "--quiet", *extra])


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Every area and the whole report, all formats, rendered once with the default workers."""
    out = tmp_path_factory.mktemp("all") / "build"
    assert render(out) == 0
    return out / PERIOD


# An area's own document states the sign rule under its table; in the whole report the
# overview's reading guide states it once.
SIGN_RULE = re.compile(r"(?<=\.)\sAvvik\ser\sbudsjett\sminus\sregnskap,\sog\sårsbudsjett\s"
                       r"minus\sprognose:\spositive\stall\ser\smindreforbruk,\snegative\stall"
                       r"\ser\smerforbruk\.")


TEXT_BLOCKS = {"H1", "H2", "H3", "H4", "H5", "H6", "P", "LI", "Caption"}


def as_in_report(text: str) -> str:
    return SIGN_RULE.sub("", text)


def shifted(blocks: list[tuple[int, str]]) -> list[tuple[int, str]]:
    return [(level + 1 if level else 0, as_in_report(text)) for level, text in blocks]


def contains_run(haystack: list, needle: list) -> bool:
    """needle appears in haystack as one unbroken run."""
    return any(haystack[i:i + len(needle)] == needle for i in range(len(haystack)))


@pytest.mark.render
def test_every_output_is_written(built: Path) -> None:
    names = {p.name for p in built.iterdir()}
    expected = {f"{code}.{ext}" for code in [*AREAS, "tertialrapport"]
                for ext in ("docx", "html", "pdf")}
    assert expected <= names


def assert_areas_in_order(blocks: Callable[[Path], list[tuple[int, str]]], built: Path,
                          ext: str) -> None:
    """Each area's own document appears whole in the report, in code order, one level down."""
    report = blocks(built / f"tertialrapport.{ext}")
    position = 0
    for code in AREAS:
        area = shifted(blocks(built / f"{code}.{ext}"))
        assert contains_run(report[position:], area), code
        position = report.index(area[0], position)


@pytest.mark.render
def test_docx_report_holds_every_area_in_order_one_level_down(built: Path) -> None:
    assert_areas_in_order(docx_blocks, built, "docx")
    parts = [p.text for p in open_docx(built / "tertialrapport.docx").paragraphs
             if p.style.name == "Heading 1"]
    assert parts == ["Rådmannens forslag til vedtak", "Del 1 Hovedtrekk",
                     "Del 2 Økonomi og budsjett", "Del 3 Programområdene",
                     "Del 4 Eierstyring", "Del 5 Menneskelige ressurser"]


@pytest.mark.render
def test_html_report_holds_every_area_in_order_one_level_down(built: Path) -> None:
    assert_areas_in_order(html_blocks, built, "html")
    report = html_blocks(built / "tertialrapport.html")
    headings = [level for level, _ in report if level]
    assert all(b - a <= 1 for a, b in zip(headings, headings[1:])), "a heading level is skipped"


@pytest.mark.render
def test_pdf_report_holds_every_area_text_in_order(built: Path) -> None:
    text = squash("".join(pdf_pages(built / "tertialrapport.pdf"))).replace("-", "")
    position = 0
    for code in AREAS:
        for kind, block in html_reading_blocks(built / f"{code}.html"):  # links as printed
            if kind not in TEXT_BLOCKS:
                continue
            needle = squash(as_in_report(block)).replace("-", "")
            found = text.find(needle, position)
            assert found >= 0, (code, block)
            position = found + len(needle)


@pytest.mark.render
def test_contents_match_the_headings_in_every_format(built: Path) -> None:
    headings = [(level, text) for level, text in html_blocks(built / "tertialrapport.html")
                if level in (1, 2)]
    # HTML: a linked list, each link pointing at the heading's id.
    document = html_document(built / "tertialrapport.html")
    nav = document.find("nav")
    links = [(a.attrs["href"], collapse(a.text())) for a in nav.find_all("a")]
    assert [text for _, text in links] == [text for _, text in headings]
    ids = {h.attrs.get("id"): collapse(h.text()) for h in document.find_all("h1", "h2")}
    assert all(ids[href[1:]] == text for href, text in links)
    # DOCX: a TOC field, pre-filled with the same entries at the same levels.
    docx = open_docx(built / "tertialrapport.docx")
    entries = [(int(p.style.name[-1]), p.text) for p in docx.paragraphs
               if p.style.name.startswith("TOC ") and p.style.name != "TOC Heading"]
    assert entries == headings
    body = docx.element.xml
    assert 'TOC \\o "1-2" \\h \\z \\u' in body
    assert "w:updateFields" not in docx.settings.element.xml  # Word would ask on every opening
    # PDF: each entry with the page number where the heading stands.
    pages = pdf_pages(built / "tertialrapport.pdf")
    contents = next(i for i, page in enumerate(pages) if "Innhold" in page)
    lines = pages[contents].splitlines()
    for _, text in headings:
        line = next((line for line in lines if squash(line).startswith(squash(text))), None)
        assert line is not None, text
        page = int(re.search(r"(\d+)\s*$", line).group(1))
        assert squash(text) in squash(pages[page - 1]), (text, page)


@pytest.mark.render
def test_overview_sums_every_area_in_mill_kr(built: Path) -> None:
    expected = {}
    for code in AREAS:
        data = yaml.safe_load((INPUTS / PERIOD / f"{code}.yaml").read_text(encoding="utf-8"))
        figures = data["økonomisk_status"].get("tall")
        if not figures:
            continue
        scale = Decimal(1000) if figures.get("enhet") == "1000 kr" else Decimal(1)
        rows = figures["rader"]
        accounts = sum(Decimal(str(r["regnskap"])) for r in rows) / scale
        budget = sum(Decimal(str(r["budsjett"])) for r in rows) / scale
        expected[code] = (accounts, budget - accounts)
    table = next(t for t in docx_tables(built / "tertialrapport.docx") if t[-1][0] == "Sum"
                 and t[1][0].startswith("01 "))
    shown = {row[0][:2]: row for row in table[1:-1]}
    assert sorted(shown) == sorted(expected)
    for code, (accounts, deviation) in expected.items():
        assert shown[code][1] == format_mill(accounts)
        assert shown[code][3] == format_mill(deviation)
    total = sum(a for a, _ in expected.values())
    assert table[-1][1] == format_mill(total)


def format_mill(value: Decimal) -> str:
    from decimal import ROUND_HALF_UP

    rounded = value.quantize(Decimal("0.1"), rounding=ROUND_HALF_UP)
    sign = "\u2212" if rounded < 0 else ""
    whole, decimals = f"{abs(rounded):.1f}".split(".")
    groups = re.sub(r"(?<=\d)(?=(\d{3})+$)", "\u00a0", whole)
    return f"{sign}{groups},{decimals}"


@pytest.mark.render
def test_chart_has_alt_text_in_html_and_docx(built: Path) -> None:
    # The overview's chart; the sample's Del 5 also has a table's chart (tests/test_tables.py).
    document = html_document(built / "tertialrapport.html")
    images = [i for i in document.find_all("img") if i.attrs.get("class")]  # not the logo
    # Each chart twice: as printed, and drawn for a phone (tests/test_html_layout.py); CSS
    # shows one of them, the PDF the first.
    assert [i.attrs["class"] for i in images] == ["chart-wide", "chart-narrow"] * 2
    assert images[0].attrs["alt"] == images[1].attrs["alt"]
    assert images[0].attrs["src"].startswith("data:image/svg+xml;base64,")
    assert "søylediagram" in images[0].attrs["alt"]
    docx = open_docx(built / "tertialrapport.docx")
    # The charts: captioned pictures (the cover's logo is described only: tests/test_cover_logo)
    pictures = [p for p in docx.element.body.xpath(".//wp:docPr") if p.get("title")]
    assert len(pictures) == 2 and "søylediagram" in pictures[0].get("descr")
    charts = [s for s in docx.inline_shapes if s._inline.docPr.get("title")]
    assert len(charts) == 2
    width_px = charts[0]._inline.graphic.graphicData.pic.blipFill
    assert width_px is not None
    assert pictures[0].get("title") == document.find("figcaption").text()
    assert all(round(shape.width.cm, 2) == 16.0 for shape in charts)


def overview_table(built: Path) -> list[list[str]]:
    return next(t for t in docx_tables(built / "tertialrapport.docx") if t[-1][0] == "Sum"
                and t[1][0].startswith("01 "))


def chart_svg(built: Path) -> ET.Element:
    image = next(i for i in html_document(built / "tertialrapport.html").find_all("img")
                 if i.attrs.get("class") == "chart-wide")
    return ET.fromstring(base64.b64decode(image.attrs["src"].split(",", 1)[1]))


@pytest.mark.render
def test_chart_shows_each_area_and_its_deviation_as_the_table_does(built: Path) -> None:
    rows = overview_table(built)[1:-1]
    expected = [text for row in rows for text in (row[0], row[3])]  # name, deviation
    svg = chart_svg(built)
    texts = [e.text for e in svg.iter(f"{SVG}text")]
    assert texts[:len(expected)] == expected
    assert texts[-1] == "mill. kr"
    fills = [next(g.iter(f"{SVG}rect")).get("fill") for g in svg.iter(f"{SVG}g")
             if g.get("class") == "bar"]
    assert fills == ["#b3261e" if row[3].startswith("\u2212") else "#2c7a4b" for row in rows]
    assert svg.find(f"{SVG}title").text == html_document(
        built / "tertialrapport.html").find("figcaption").text()


@pytest.mark.render
def test_chart_text_is_real_text_in_the_pdf(built: Path) -> None:
    rows = overview_table(built)[1:-1]
    pages = pdf_pages(built / "tertialrapport.pdf")
    caption = "Avvik per april 2017 for hvert programområde (mill. kr)"
    page = next(p for p in pages if caption in p)
    # The chart's labels and values, one after the other, as the SVG holds them.
    assert squash("".join(text for row in rows for text in (row[0], row[3]))) in squash(page)


@pytest.mark.render
def test_docx_chart_is_a_300_dpi_png_16_cm_wide(built: Path) -> None:
    with zipfile.ZipFile(built / "tertialrapport.docx") as docx:
        logo = re.findall(r'Target="(media/[^"]+)"', docx.read(
            "word/_rels/document.xml.rels").decode())[-2:]  # the cover's: added last
        names = [n for n in docx.namelist() if n.startswith("word/media/")
                 and n.removeprefix("word/") not in logo]
        assert len(names) == 2  # the overview's chart and a table's chart
        data = docx.read(names[0])
    assert data[:8] == b"\x89PNG\r\n\x1a\n"
    chunks, at = {}, 8
    while at < len(data):
        length = int.from_bytes(data[at:at + 4], "big")
        chunks.setdefault(data[at + 4:at + 8], data[at + 8:at + 8 + length])
        at += 12 + length
    assert set(chunks) == {b"IHDR", b"pHYs", b"IDAT", b"IEND"}  # no text, no time
    assert chunks[b"pHYs"] == (11811).to_bytes(4, "big") * 2 + b"\x01"  # 300 dpi
    assert int.from_bytes(chunks[b"IHDR"][:4], "big") == 1890  # 16 cm


@pytest.mark.render
def test_parallel_output_is_identical_to_serial(built: Path, tmp_path: Path) -> None:
    assert render(tmp_path / "serial", "--jobs", "1") == 0
    serial = tmp_path / "serial" / PERIOD
    names = sorted(p.name for p in built.iterdir() if not p.name.startswith("."))
    assert names == sorted(p.name for p in serial.iterdir() if not p.name.startswith("."))
    for name in names:
        assert (serial / name).read_bytes() == (built / name).read_bytes(), name


def test_without_a_pdf_the_docx_files_are_made_in_a_worker_the_same_as_here(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """`--format docx,html` makes the DOCX files in one worker process of their own (its
    imports and the documents beside validation and the HTML), byte for byte as this
    process makes them with `--jobs 1`."""
    from reportgen.render import docx as docx_renderer

    pids, real = tmp_path / "pids", docx_renderer.render

    def noting_the_process(*args: Any) -> bytes:
        with pids.open("a") as noted:
            noted.write(f"{os.getpid()}\n")
        return real(*args)  # type: ignore[no-any-return]

    monkeypatch.setattr(docx_renderer, "render", noting_the_process)
    made = {}
    for jobs in ("2", "1"):
        assert render(tmp_path / jobs, "--format", "docx,html", "--jobs", jobs) == 0
        made[jobs] = {p.name: p.read_bytes() for p in (tmp_path / jobs / PERIOD).iterdir()
                      if not p.name.startswith(".")}
        made_in = pids.read_text().split()
        pids.unlink()
        assert len(made_in) == 15
        assert set(made_in) == ({str(os.getpid())} if jobs == "1" else set(made_in[:1]))
        assert (made_in[0] == str(os.getpid())) == (jobs == "1")
    assert len(made["2"]) == 30 and made["2"] == made["1"]


@pytest.mark.render
def test_unchanged_outputs_are_skipped_and_force_renders_again(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    inputs = tmp_path / "inputs"
    shutil.copytree(INPUTS, inputs)
    out = tmp_path / "build"
    assert render(out, "--format", "docx,html", inputs=inputs) == 0
    folder = out / PERIOD
    first = {p.name: p.stat().st_mtime_ns for p in folder.iterdir()}
    capsys.readouterr()
    assert run_main(["render", "all", PERIOD, "--inputs", inputs, "--templates", TEMPLATES,
                     "--out", out, "--format", "docx,html"]) == 0
    said = capsys.readouterr()
    assert "nothing rendered" in said.out and "rendered" not in said.err
    assert {p.name: p.stat().st_mtime_ns for p in folder.iterdir()} == first
    # One area changes: that area and the whole report are rendered again, nothing else.
    area = inputs / PERIOD / "03.yaml"
    area.write_text(area.read_text(encoding="utf-8").replace("Programområdet", "Området", 1),
                    encoding="utf-8")
    assert run_main(["render", "all", PERIOD, "--inputs", inputs, "--templates", TEMPLATES,
                     "--out", out, "--format", "docx,html"]) == 0
    said = capsys.readouterr()
    rendered = sorted(re.findall(r"rendered (\S+)", said.err))
    assert rendered == ["03.docx", "03.html", "tertialrapport.docx", "tertialrapport.html"]
    changed = {p.name for p in folder.iterdir() if p.stat().st_mtime_ns != first.get(p.name)}
    assert changed == {"03.docx", "03.html", "tertialrapport.docx", "tertialrapport.html",
                       ".reportgen.json"}
    # --force renders everything again.
    assert run_main(["render", "all", PERIOD, "--inputs", inputs, "--templates", TEMPLATES,
                     "--out", out, "--format", "docx,html", "--force"]) == 0
    said = capsys.readouterr()
    assert len(re.findall(r"rendered (\S+)", said.err)) == 30
