"""Print typography of the PDF: hyphenation, page furniture, headings kept with their text,
tables kept whole or continued with their header row.

Read back from the PDF with poppler's `pdftotext -layout` (lines per page), pypdf (text) and
the structure tree (which page each block is on). A small project renders two made-up areas:
07 with a 60-row figures table, 08 with a long run of Norwegian compounds.
"""

from __future__ import annotations

import re
from pathlib import Path

import pikepdf
import pytest

pytest.register_assert_rewrite("readback")

from helpers import MINIMAL_AREA, make_project, run_cli, warnings_in  # noqa: E402
from readback import Rendered  # noqa: E402
from readers import (  # noqa: E402
    collapse,
    html_document,
    html_reading_blocks,
    join_continued,
    pdf_pages,
    pdftotext_pages,
    squash,
    structure_tree,
    tagged_blocks,
)

pytest_plugins = ("readback",)
pytestmark = pytest.mark.render

RUNNING_HEADER = "Drammen kommune · 1. tertialrapport 2017"  # and the part, at the right
COMPOUNDS = ("Næringslivsorganisasjonenes samarbeidsavtale om kompetanseutviklingsprogrammet "
             "for arbeidsmarkedsinstitusjonenes kvalitetssikringsrutiner og "
             "barnehagelærerutdanningens praksisopplæringsordninger.")
ROWS = 60
HEADER_WORDS = ["Område", "Regnskap", "per", "april", "Budsjett", "Avvik", "Årsbudsjett",
                "2017", "Prognose", "prognose"]


@pytest.fixture(scope="module")
def printed(tmp_path_factory: pytest.TempPathFactory) -> Rendered:
    project = make_project(tmp_path_factory.mktemp("print") / "prosjekt")
    words = COMPOUNDS.split()  # the words in a different order each time: different breaks
    project.write_area("08", {**MINIMAL_AREA, "ingress": " ".join(
        " ".join(words[i % len(words):] + words[:i % len(words)]) for i in range(30))})
    rows = [{"navn": f"Tjeneste {i:02d}", "regnskap": f"{i}.5", "budsjett": f"{i}.0",
             "årsbudsjett": f"{3 * i}.0", "prognose": f"{3 * i}.4"} for i in range(1, ROWS + 1)]
    status = {**MINIMAL_AREA["økonomisk_status"], "fakta": "Tabellen viser alle tjenestene.",
              "tall": {"enhet": "mill. kr", "rader": rows}}
    project.write_area("07", {**MINIMAL_AREA, "økonomisk_status": status})
    code, out, err = run_cli(
        "render", "07", "08", "2017-T1", "--inputs", project.inputs, "--templates",
        project.root / "templates", "--out", project.out, "--format", "pdf,html")
    assert code == 0, err
    assert warnings_in(err) == []
    return Rendered(project.out / "2017-T1", out, err)


@pytest.fixture(params=["tmp:07", "tmp:08", "real:01", "real:08", "real:tertialrapport"])
def document(request: pytest.FixtureRequest, printed: Rendered, real_run: Rendered) -> Path:
    """A PDF (its HTML beside it): the small project's two areas and three real documents."""
    where, name = request.param.split(":")
    return (printed if where == "tmp" else real_run)[f"{name}.pdf"]


def has_cover(pdf: Path) -> bool:
    return pdf.stem == "tertialrapport"


# --- hyphenation ---------------------------------------------------------------------------------

def test_long_compounds_are_hyphenated_with_the_norwegian_dictionary(printed: Rendered) -> None:
    import pyphen

    norwegian = pyphen.Pyphen(lang="nb_NO", left=1, right=1)
    english = pyphen.Pyphen(lang="en_US", left=1, right=1)
    words = set(re.findall(r"\w+", COMPOUNDS))
    lines = [line.strip() for page in pdf_pages(printed["08.pdf"]) for line in page.splitlines()
             if not line.startswith(RUNNING_HEADER) and not re.fullmatch(r"Side \d+ av \d+", line)]
    breaks = []
    for line, following in zip(lines, lines[1:]):
        if line.endswith(("\u2010", "\u00ad")):
            pytest.fail(f"a line ends in {line[-1]!r}, which Carlito has no glyph for: {line!r}")
        if not line.endswith("-"):
            continue
        head = re.findall(r"\w+", line)[-1]
        tail = re.findall(r"\w+", following)[0]
        assert head + tail in words, f"broken inside something else: {line!r} / {following!r}"
        breaks.append((head + tail, len(head)))
    assert len(breaks) >= 5, "the long compounds were not hyphenated"
    for word, at in breaks:
        assert at in norwegian.positions(word), f"{word} broken after {word[:at]!r}"
        assert at >= 3 and len(word) - at >= 3, f"{word} broken after {word[:at]!r}"
    assert any(at not in english.positions(word) for word, at in breaks), (
        "every break is also an English one: is the Norwegian dictionary used?")


# --- page furniture ------------------------------------------------------------------------------

def test_every_page_has_its_number_of_the_total(document: Path) -> None:
    pages = pdftotext_pages(document)
    assert len(pages) >= 2
    first = 2 if has_cover(document) else 1
    if has_cover(document):
        assert not any(re.search(r"Side \d+ av", line) for line in pages[0])
    for number, lines in enumerate(pages[first - 1:], start=first):
        assert lines[-1] == f"Side {number} av {len(pages)}"
        assert [line for line in lines if re.search(r"Side \d+ av \d+", line)] == [lines[-1]]


def test_every_page_has_the_running_header(document: Path) -> None:
    pages = pdftotext_pages(document)
    if has_cover(document):
        assert RUNNING_HEADER not in pages[0]
        pages = pages[1:]
    for lines in pages:
        assert lines[0].startswith(RUNNING_HEADER)
        assert sum(line.startswith(RUNNING_HEADER) for line in lines) == 1


def test_no_page_ends_with_a_heading(document: Path) -> None:
    headings = [collapse(h.text()) for h in html_document(document.with_suffix(".html"))
                .find("body").iter("h1", "h2", "h3", "h4", "h5", "h6")]
    for number, lines in enumerate(pdftotext_pages(document), start=1):
        body = [line for line in lines if not line.startswith(RUNNING_HEADER)
                and not re.fullmatch(r"Side \d+ av \d+", line)]
        if not body:
            continue
        last = collapse(body[-1])
        assert not any(last == h or h.endswith(" " + last) for h in headings), (
            f"page {number} ends with the heading {last!r}")
    # The same from the tags: on each page, the last block that has content there is not a
    # heading (a heading is kept with what follows it).
    blocks = tagged_blocks(document)
    for page in sorted(set().union(*(b.pages for b in blocks))):
        last = [b for b in blocks if page in b.pages][-1]
        assert not last.type.startswith("H"), f"page {page + 1} ends with {last.type} {last.text!r}"


# --- tables --------------------------------------------------------------------------------------

def row_pages(pages: list[list[str]], names: list[str]) -> dict[str, list[int]]:
    """For each row name, the pages (1-based) with a table row that starts with it."""
    found: dict[str, list[int]] = {name: [] for name in names}
    for number, lines in enumerate(pages, start=1):
        for line in lines:
            for name in names:
                if re.match(re.escape(name) + r"\s{2,}−?\d", line):
                    found[name].append(number)
    return found


def header_words(lines: list[str], first_row: int) -> list[str]:
    """The words of a table's header row: the lines right above its first row of figures
    that hold nothing but header words (a cell's words may wrap onto two lines)."""
    start = first_row
    while start > 0 and lines[start - 1].split() and set(lines[start - 1].split()) <= set(
            HEADER_WORDS):
        start -= 1
    return " ".join(lines[start:first_row]).split()


def first_row_line(lines: list[str], names: list[str]) -> int:
    return next(i for i, line in enumerate(lines)
                if any(re.match(re.escape(n) + r"\s{2,}−?\d", line) for n in names))


def test_a_table_that_fits_is_not_split(real_run: Rendered) -> None:
    pages = pdftotext_pages(real_run["01.pdf"])
    names = ["Kommunale barnehager", "Private barnehager", "Spesialpedagogisk hjelp", "Sum"]
    found = row_pages(pages, names)
    caption = [n for n, lines in enumerate(pages, start=1)
               if "Driftsregnskap per april 2017 (mill. kr)" in lines]
    assert all(len(p) == 1 for p in found.values()), found
    assert {p[0] for p in found.values()} == set(caption), (found, caption)
    # Every figures table of the real documents, whole report included, is on one page.
    for name in ["01", "tertialrapport"]:
        with pikepdf.open(real_run[f"{name}.pdf"]) as pdf:
            tables = structure_tree(pdf).find_all("Table")
        assert tables
        for table in tables:
            assert len(table.pages) == 1, f"{name}: a table is split over pages {table.pages}"


def test_table_header_words_are_not_broken(printed: Rendered, real_run: Rendered) -> None:
    # Every word of the column headings whole (no "Regnska" / "p per"), each where it belongs.
    for pdf, name in ((real_run["01.pdf"], "Kommunale barnehager"),
                      (printed["07.pdf"], "Tjeneste 01")):
        lines = next(lines for lines in pdftotext_pages(pdf) if any(
            line.startswith(name) for line in lines))
        words = header_words(lines, first_row_line(lines, [name]))
        assert sorted(words) == sorted(
            "Område Regnskap per april Budsjett per april Avvik per april Årsbudsjett 2017 "
            "Prognose 2017 Avvik prognose".split()), f"{pdf.name}: {words}"


def test_a_long_table_repeats_its_header_row_on_every_page(printed: Rendered) -> None:
    pages = pdftotext_pages(printed["07.pdf"])
    names = [f"Tjeneste {i:02d}" for i in range(1, ROWS + 1)] + ["Sum"]
    found = row_pages(pages, names)
    assert all(len(p) == 1 for p in found.values()), found
    order = [found[name][0] for name in names]
    assert order == sorted(order)  # rows in order, page after page
    with_rows = sorted(set(order))
    assert len(with_rows) >= 2, "the table was expected to need more than one page"
    assert with_rows == list(range(with_rows[0], with_rows[-1] + 1))
    for number in with_rows:
        lines = pages[number - 1]
        words = header_words(lines, first_row_line(lines, names))
        assert set(words) == set(HEADER_WORDS), f"page {number}: no header row above the rows"
        assert sum("Område" in line.split() for line in lines) == 1  # once per page
    # The caption stands on the page where the table begins, above its header row.
    caption = [n for n, lines in enumerate(pages, start=1)
               if "Driftsregnskap per april 2017 (mill. kr)" in lines]
    assert caption == [with_rows[0]]


def test_a_repeated_header_row_is_tagged_once(printed: Rendered) -> None:
    expected = [(kind, squash(text))
                for kind, text in html_reading_blocks(printed["07.html"])]
    assert join_continued(tagged_blocks(printed["07.pdf"]),
                          html_reading_blocks(printed["07.html"])) == expected
