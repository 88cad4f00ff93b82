"""What a typesetter checks on paper, read back from the produced files: no mostly empty page,
numbers kept with their units, the notes of the figures, links with their address, the running
header per page, hyphenation that spares names and keeps three letters on each side.

The whole report of the real inputs (rendered once per session) and a small project whose
ingress repeats amounts and units in a different order on every line, so that lines break at
many different places.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest

pytest.register_assert_rewrite("readback")

from helpers import MINIMAL_AREA, make_project, run_cli, warnings_in  # noqa: E402
from readback import Rendered  # noqa: E402
from readers import (  # noqa: E402
    collapse,
    docx_blocks,
    docx_tables,
    html_blocks,
    html_document,
    page_fill,
    pdf_pages,
    pdftotext_pages,
    squash,
)

pytest_plugins = ("readback",)
pytestmark = pytest.mark.render

NBSP = "\u00a0"
HEADER = "Drammen kommune · 1. tertialrapport 2017"
AMOUNTS = ("Merforbruket er 4,5 mill. kr og prisen kr 200 per time etter § 19 a i loven, "
           "25 % over fjoråret, for 1 486 søkere med 12 årsverk og 2 474,6 mill. kr totalt.")
SIGN_RULE = ("Avvik er budsjett minus regnskap, og årsbudsjett minus prognose: positive tall er"
             " mindreforbruk, negative tall er merforbruk.")
SUM_NOTE = "Summene er regnet av eksakte beløp og kan avvike fra summen av de avrundede tallene."
WITHOUT = ("Disse programområdene har ikke tall og er derfor ikke med i oversikten: "
           "03 Samfunnssikkerhet; 07 Ledelse, organisering og styring; "
           "08 Kompetanse, markedsføring og næring.")
BOUND = [("4,5", "mill."), ("mill.", "kr"), ("kr", "200"), ("§", "19"), ("19", "a"),
         ("25", "%"), ("1", "486"), ("12", "årsverk"), ("2", "474,6"),
         ("474,6", "mill.")]


@pytest.fixture(scope="module")
def amounts(tmp_path_factory: pytest.TempPathFactory) -> Path:
    project = make_project(tmp_path_factory.mktemp("polish") / "prosjekt")
    words = AMOUNTS.split()
    lead = " ".join(" ".join(words[i:] + words[:i]) for i in range(len(words)))
    project.write_area("08", {**MINIMAL_AREA, "ingress": lead})
    code, _, err = run_cli("render", "08", "2017-T1", "--inputs", project.inputs, "--templates",
                           project.root / "templates", "--out", project.out)
    assert code == 0 and warnings_in(err) == [], err
    return project.out / "2017-T1"


def plain(text: str) -> str:
    return text.replace(NBSP, " ")


def unbroken(text: str) -> str:
    """Text without whitespace and hyphens: PDF text, where lines may break at a hyphen or
    hyphenate a word, compared with what it should say."""
    return squash(plain(text)).replace("-", "")


# --- pages ---------------------------------------------------------------------------------------

def test_no_page_but_the_cover_and_a_dels_first_page_is_mostly_empty(real_run: Rendered) -> None:
    pdf = real_run["tertialrapport.pdf"]
    dels = [collapse(h.text()) for h in html_document(pdf.with_suffix(".html")).iter("h1")]
    fills = page_fill(pdf)
    assert len(fills) <= 22  # 28 when every area started a page
    for number, (fill, lines) in enumerate(zip(fills, pdftotext_pages(pdf)), start=1):
        if number == 1 or any(collapse(line) in dels for line in lines):
            continue  # the cover; a page a Del starts on
        assert fill >= 1 / 3, f"page {number} is {100 - 100 * fill:.0f} % empty"


def test_an_area_title_is_kept_with_its_text_and_areas_flow(real_run: Rendered) -> None:
    pages = pdftotext_pages(real_run["tertialrapport.pdf"])
    titles = [collapse(h.text()) for h in html_document(real_run["tertialrapport.html"])
              .iter("h2") if h.text().startswith("Programområde")]
    starts = 0
    for number, lines in enumerate(pages, start=1):
        body = lines[1:-1]  # without the running header and the page number
        for i, line in enumerate(body):
            if collapse(line) in titles:
                assert i + 1 < len(body), f"page {number} ends with {line!r}"
                starts += i == 0
    assert starts < len(titles) / 2, "most areas still start a page of their own"


def test_a_layout_made_again_is_made_without_the_one_before_in_memory(
        monkeypatch: pytest.MonkeyPatch) -> None:
    """A Del that flows onto the page before it is laid out again (pdf._laid_out): the
    layout before is let go first, else two layouts of the whole report are held at once
    (472 MiB for 99 areas, not 323)."""
    import gc
    import weakref

    from reportgen.render import pagination, pdf

    class Layout:  # stands in for WeasyPrint's document: a layout is as large as the report
        pass

    made: list[weakref.ref[Layout]] = []
    alive_at_start: list[int] = []

    def render_page(*args: object) -> Layout:
        gc.collect()
        alive_at_start.append(sum(ref() is not None for ref in made))
        layout = Layout()
        made.append(weakref.ref(layout))
        return layout

    def underfull(document: object, threshold: float, flowing: list[str]) -> list[str]:
        return [f"del-{len(flowing) + 1}"]  # every layout finds one more Del to flow

    monkeypatch.setattr(pdf, "_render_page", render_page)
    monkeypatch.setattr(pagination, "underfull_breaks", underfull)
    document = pdf._laid_out("<html><head></head><body></body></html>",
                             Path(__file__).parents[1] / "templates", pdf._Collect())
    assert len(made) == pdf.MAX_LAYOUTS
    assert alive_at_start == [0] * pdf.MAX_LAYOUTS
    assert document is made[-1]()  # the last layout is the one the PDF is drawn from


# --- numbers and units ---------------------------------------------------------------------------

def test_numbers_and_units_are_bound_in_docx_and_html(amounts: Path) -> None:
    bound = AMOUNTS
    for left, right in BOUND:
        bound = bound.replace(f"{left} {right}", f"{left}{NBSP}{right}")
    for text in ([t for _, t in docx_blocks(amounts / "08.docx")][1],
                 [p.text() for p in html_document(amounts / "08.html").iter("p")
                  if p.text().startswith("Merforbruket")][0]):
        assert text.startswith(bound)  # the first line of the ingress is the sentence itself
        assert plain(text) == " ".join(" ".join(AMOUNTS.split()[i:] + AMOUNTS.split()[:i])
                                       for i in range(len(AMOUNTS.split())))
    assert "i loven" in plain(docx_blocks(amounts / "08.docx")[1][1])  # words stay words


def test_no_line_of_the_pdf_breaks_between_a_number_and_its_unit(amounts: Path,
                                                                  real_run: Rendered) -> None:
    for pdf in (amounts / "08.pdf", real_run["tertialrapport.pdf"], real_run["05.pdf"]):
        lines = [line for page in pdftotext_pages(pdf) for line in page]
        for line, following in zip(lines, lines[1:]):
            last, first = line.split()[-1], following.split()[0]
            if following == "mill. kr":  # the chart's axis: its ticks, then its unit
                continue
            assert (last, first) not in BOUND, f"{pdf.name}: {line!r} / {following!r}"
            assert not (re.fullmatch(r"[\d,]+", last) and first in ("mill.", "kr", "kr.", "%"))
    text = squash(plain("".join(pdf_pages(amounts / "08.pdf"))))
    assert squash(AMOUNTS) in text  # the text itself unchanged


# --- figures -------------------------------------------------------------------------------------

def test_sum_note_where_the_rounded_rows_do_not_add_up(real_run: Rendered) -> None:
    # The overview's Sum 823,6 while its rounded rows add up to 823,7.
    html = [plain(t) for _, t in html_blocks(real_run["tertialrapport.html"])]
    overview_note = next(t for t in html if t.startswith("Beløp i mill. kr."))
    assert overview_note == f"Beløp i mill. kr. {SUM_NOTE}"
    assert unbroken(SUM_NOTE) in unbroken("".join(pdf_pages(real_run["tertialrapport.pdf"])))
    docx = [plain(t) for _, t in docx_blocks(real_run["tertialrapport.docx"])]
    assert f"Beløp i mill. kr. {SUM_NOTE}" in docx
    # Area 01's rows add up as shown: its note has no such sentence.
    assert f"Beløp i mill. kr. {SIGN_RULE}" in [plain(t) for _, t in html_blocks(
        real_run["01.html"])]


def test_sign_rule_once_per_document(real_run: Rendered) -> None:
    report = [plain(t) for _, t in html_blocks(real_run["tertialrapport.html"])]
    guide = [t for t in report if t.startswith("Slik leser du tabellene:")]
    assert len(guide) == 1
    assert report.index(guide[0]) == report.index("Økonomisk oversikt for programområdene") + 1
    notes = [t for t in report if t.startswith("Beløp i ")]
    assert len(notes) == 12 and not any("Avvik er" in t for t in notes)
    for name in ("01.html", "05.html"):  # an area's own document has the rule in its note
        area = [plain(t) for _, t in html_blocks(real_run[name])]
        assert sum(SIGN_RULE in t for t in area) == 1
    docx = [plain(t) for _, t in docx_blocks(real_run["tertialrapport.docx"])]
    assert sum("Avvik er budsjett minus regnskap" in t for t in docx) == 1


def test_overview_names_the_areas_without_figures(real_run: Rendered) -> None:
    html = [plain(t) for _, t in html_blocks(real_run["tertialrapport.html"])]
    assert WITHOUT in html
    assert WITHOUT in [plain(t) for _, t in docx_blocks(real_run["tertialrapport.docx"])]
    assert squash(WITHOUT) in squash(plain("".join(pdf_pages(real_run["tertialrapport.pdf"]))))
    overview = docx_tables(real_run["tertialrapport.docx"])[0]
    assert not any(row[0].startswith(("03 ", "07 ", "08 ")) for row in overview)


# --- links ---------------------------------------------------------------------------------------

def test_links_print_their_address_in_the_pdf_only(real_run: Rendered) -> None:
    address = "https://www.drammen.kommune.no/tjenester/kultur-idrett-og-fritid/"
    assert unbroken(f"kommunens nettsider ({address}).") in unbroken(
        "".join(pdf_pages(real_run["06.pdf"])))
    page = html_document(real_run["06.html"])
    (link,) = [a for a in page.iter("a") if a.attrs.get("href") == address]
    assert collapse(link.text()) == "kommunens nettsider"
    assert address not in "".join(t for _, t in html_blocks(real_run["06.html"]))
    assert address not in "".join(t for _, t in docx_blocks(real_run["06.docx"]))
    css = (Path(__file__).parents[1] / "templates/html/css/print.css").read_text()
    assert 'a[href^="http"]:not(.shows-address)::after' in css
    assert "text-decoration: underline" in css  # marked on paper; screen.css is unchanged


# --- running header ------------------------------------------------------------------------------

def test_running_header_names_the_document_and_the_part_each_page_starts_in(
        real_run: Rendered) -> None:
    pdf = real_run["tertialrapport.pdf"]
    parts = [collapse(h.text()) for h in html_document(pdf.with_suffix(".html")).iter("h1", "h2")
             if "part" in (h.attrs.get("class") or "").split()]
    current = ""
    for number, lines in enumerate(pdftotext_pages(pdf), start=1):
        body = lines[1:-1]
        if number > 1:
            first = collapse(body[0]) if body else ""
            expected = first if first in parts else current
            header = re.split(r"\s{2,}", lines[0])
            assert header[0] == HEADER, f"page {number}: {lines[0]!r}"
            assert (header[1] if len(header) > 1 else "") == expected, f"page {number}"
            assert lines[0].count("tertial") == 1, "the period named twice"
        for line in body:
            if collapse(line) in parts:
                current = collapse(line)
    assert current == parts[-1]


def test_area_document_header_names_the_area(real_run: Rendered) -> None:
    for lines in pdftotext_pages(real_run["08.pdf"]):
        assert re.split(r"\s{2,}", lines[0]) == [
            HEADER, "Programområde 08 Kompetanse, markedsføring og næring"]


# --- hyphenation ---------------------------------------------------------------------------------

def test_hyphenation_spares_names_and_keeps_three_letters_each_side(real_run: Rendered) -> None:
    words = set(re.findall(r"\w+", plain(" ".join(
        t for _, t in html_blocks(real_run["tertialrapport.html"])))))
    broken = []
    for page in pdftotext_pages(real_run["tertialrapport.pdf"]):
        for line, following in zip(page, page[1:]):
            if re.search(r"\w-$", line):
                head, tail = re.findall(r"\w+", line)[-1], re.findall(r"\w+", following)[0]
                if head + tail in words:  # a word the layout broke (not "Helse-, sosial")
                    broken.append((head, tail))
    assert broken, "nothing was hyphenated"
    for head, tail in broken:
        assert not head[0].isupper(), f"a name broken: {head}-{tail}"
        assert len(head) >= 3 and len(tail) >= 3, f"{head}-{tail}"


def test_hyphenation_exceptions_are_read_from_the_templates(tmp_path: Path) -> None:
    from reportgen.inputs import load_hyphenation
    from reportgen.render.hyphenation import prepare

    (tmp_path / "hyphenation.yaml").write_text("ord:\n  - barne|hage\n  - bystyret\n",
                                               encoding="utf-8")
    exceptions = load_hyphenation(tmp_path)
    assert exceptions == ("barne\u00adhage", "bystyret")
    page = prepare("<title>Drammen</title><body><p>Barnehage og bystyret i Drammen, "
                   '<a href="#x">Drammensregionen</a>.</p><h2>Glitrevannverket</h2></body>',
                   exceptions)
    assert page == ('<title>Drammen</title><body><p><span class="hy">Barne\u00adhage</span> og '
                    '<span class="hy">bystyret</span> i <span class="hy">Drammen</span>, '
                    '<a href="#x">Drammensregionen</a>.</p><h2>Glitrevannverket</h2></body>')


def test_a_broken_hyphenation_list_is_a_template_error(tmp_path: Path) -> None:
    import shutil

    from helpers import TEMPLATES

    templates = tmp_path / "malen"
    shutil.copytree(TEMPLATES, templates)
    (templates / "hyphenation.yaml").write_text("ord: barnehage\n", encoding="utf-8")
    project = make_project(tmp_path / "prosjekt")
    project.write_area("08", MINIMAL_AREA)
    code, out, err = run_cli("render", "08", "2017-T1", "--inputs", project.inputs,
                             "--templates", templates, "--out", project.out, "--format", "pdf")
    assert code == 1
    assert err == (f"{templates / 'hyphenation.yaml'}: error: cannot read the hyphenation"
                   " exceptions: `ord` must be a list of words\n"
                   "  hint: write `ord:` and under it one word per line as `- ord`, with | where"
                   " it may be broken\n")
    assert not (project.out / "2017-T1" / "08.pdf").exists()
