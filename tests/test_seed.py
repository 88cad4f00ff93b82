"""The seed section (programme area 08, 1. tertial 2017) read back from DOCX, HTML and PDF.

Every block of the published text must come out, in order, under the right heading at the
right level (DESIGN.md sections 1 and 7).
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from helpers import ROOT, SEED_LEVELS, SeedRun, run_process, seed_blocks
from readers import (
    collapse,
    docx_blocks,
    html_blocks,
    html_document,
    open_docx,
    pdf_body_lines,
    pdf_fonts,
    pdf_outline,
    pdf_pages,
    segment_lines,
)

TITLE = "Programområde 08 Kompetanse, markedsføring og næring"
# The running header as pypdf reads it: the report at the left, the area at the right.
RUNNING_HEADER = ("Drammen kommune · 1. tertialrapport 2017 Programområde 08 Kompetanse,"
                  " markedsføring og næring")
SEED = seed_blocks()
SEED_HEADINGS = [(level, text) for level, text in SEED if level]


def test_seed_is_parsed_as_the_fixed_structure() -> None:
    # Guards the reference itself: a wrong parse would make every comparison below vacuous.
    assert SEED_HEADINGS == [
        (1, TITLE),
        (2, "Økonomisk status"),
        (3, "Fakta"),
        (3, "Vurdering"),
        (3, "Konklusjon"),
        (2, "Andre forhold"),
        (3, "Strategisk næringsplan"),
        (3, "Næringsvekst 2020"),
        (3, "Kontaktutvalget for næringslivet"),
    ]
    assert len(SEED) == 18
    assert SEED[1][1].startswith("Ny strategisk næringsplan") and SEED[-1] == (
        0, "Det er i 1. tertial gjennomført to møter i kontaktutvalget."
    )
    assert set(SEED_LEVELS) <= {text for _, text in SEED}


# --- DOCX -----------------------------------------------------------------------------------------

def test_docx_body_is_the_seed_block_for_block(seed_outputs: dict[str, Path]) -> None:
    # Exactly as published, down to "1.tertial" and the space plus no-break space.
    assert docx_blocks(seed_outputs["docx"]) == SEED


def test_docx_keeps_the_authors_spacing(seed_outputs: dict[str, Path]) -> None:
    texts = [text for _, text in docx_blocks(seed_outputs["docx"])]
    assert any("vedtatt av bystyret 25.4.2017. \u00a0Strategisk næringsplan" in t for t in texts)
    assert any("kontaktutvalget.Programområdet rapporterer per 1.tertial" in t for t in texts)


def test_docx_headings_use_word_heading_styles(seed_outputs: dict[str, Path]) -> None:
    doc = open_docx(seed_outputs["docx"])
    styles = [(p.style.name, p.text) for p in doc.paragraphs if p.text.strip()]
    headings = [(name, text) for name, text in styles if name.startswith(("Heading", "Title"))]
    assert [text for _, text in headings] == [text for _, text in SEED_HEADINGS]
    for (level, _), (name, _) in zip(SEED_HEADINGS, headings):
        assert name == f"Heading {level}" or (level == 1 and name == "Title")
    body = {name for name, text in styles if (0, text.strip()) in SEED}
    assert body == {"Normal"}


def test_docx_core_properties(seed_outputs: dict[str, Path]) -> None:
    props = open_docx(seed_outputs["docx"]).core_properties
    assert props.title == TITLE
    assert props.subject == "1. tertial 2017"
    assert props.author == "Drammen kommune"
    assert props.language == "nb-NO"


# --- HTML -----------------------------------------------------------------------------------------

def test_html_main_is_the_seed_block_for_block(seed_outputs: dict[str, Path]) -> None:
    assert html_blocks(seed_outputs["html"]) == [(level, collapse(text)) for level, text in SEED]


def test_html_page_language_and_single_h1(seed_outputs: dict[str, Path]) -> None:
    document = html_document(seed_outputs["html"])
    page = document.find("html")
    assert page.attrs.get("lang") == "nb"
    assert [collapse(h.text()) for h in document.find_all("h1")] == [TITLE]
    assert collapse(document.find("title").text()).startswith(TITLE)


# --- PDF ------------------------------------------------------------------------------------------

@pytest.mark.render
def test_pdf_text_is_the_seed_block_for_block(seed_outputs: dict[str, Path]) -> None:
    lines = pdf_body_lines(seed_outputs["pdf"], furniture={RUNNING_HEADER})
    texts = [text for _, text in SEED]
    blocks, rest = segment_lines(lines, texts)
    assert blocks == ["".join(text.split()) for text in texts]
    assert rest == []


@pytest.mark.render
def test_pdf_pages_have_running_header_and_page_numbers(seed_outputs: dict[str, Path]) -> None:
    pages = pdf_pages(seed_outputs["pdf"])
    assert len(pages) >= 1
    for number, text in enumerate(pages, start=1):
        lines = [line.strip() for line in text.splitlines()]
        assert f"Side {number} av {len(pages)}" in lines
        assert RUNNING_HEADER in lines


@pytest.mark.render
def test_pdf_outline_covers_the_headings(seed_outputs: dict[str, Path]) -> None:
    # Headings bind their last two words with a no-break space (render/html.py `balanced`).
    outline = [(level, title.replace("\u00a0", " ")) for level, title in
               pdf_outline(seed_outputs["pdf"])]
    assert outline == SEED_HEADINGS


@pytest.mark.render
def test_pdf_metadata_title_and_language(seed_outputs: dict[str, Path]) -> None:
    import pypdf

    reader = pypdf.PdfReader(str(seed_outputs["pdf"]))
    assert reader.metadata is not None
    assert reader.metadata.title == f"{TITLE} – 1. tertial 2017"
    assert reader.metadata.author == "Drammen kommune"
    assert str(reader.trailer["/Root"]["/Lang"]) == "nb"


@pytest.mark.render
def test_pdf_pages_are_a4(seed_outputs: dict[str, Path]) -> None:
    import pypdf

    pages = pypdf.PdfReader(str(seed_outputs["pdf"])).pages
    assert len(pages) >= 1
    for page in pages:
        box = page.mediabox
        assert abs(float(box.width) - 595) <= 1 and abs(float(box.height) - 842) <= 1


@pytest.mark.render
def test_pdf_fonts_are_embedded(seed_outputs: dict[str, Path]) -> None:
    fonts = pdf_fonts(seed_outputs["pdf"])
    assert fonts, "the PDF uses no fonts at all"
    assert [name for name, embedded in fonts if not embedded] == []
    assert any("Carlito" in name for name, _ in fonts)


# --- as a separate process ---------------------------------------------------------------------

def test_process_render_writes_the_same_documents(
    seed_outputs: dict[str, Path], tmp_path: Path
) -> None:
    # The command as a user runs it, from the project folder with its defaults; DOCX and HTML
    # come out byte for byte as in the in-process render (no clock, no random ids).
    result = run_process("render", "08", "2017-T1", "--format", "docx,html", "--out", tmp_path,
                         cwd=ROOT)
    assert (result.code, sorted(result.out.splitlines())) == (0, [
        f"wrote {tmp_path}/2017-T1/08.docx", f"wrote {tmp_path}/2017-T1/08.html"
    ]), result.err
    for ext in ("docx", "html"):
        assert (tmp_path / "2017-T1" / f"08.{ext}").read_bytes() == seed_outputs[ext].read_bytes()
    assert not (tmp_path / "2017-T1" / "08.pdf").exists()


def test_render_reports_what_it_wrote_and_no_warnings(seed_run: SeedRun) -> None:
    # Any warning (a stylesheet property WeasyPrint ignores, a missing glyph) is shown on
    # stderr; the shipped templates must render the seed without one. The order of the
    # progress lines depends on which output finishes first.
    assert sorted(seed_run.out.splitlines()) == sorted(
        f"wrote {path}" for path in seed_run.files.values()
    )
    progress = sorted(re.sub(r" \(\d/3\)$", "", line) for line in seed_run.err.splitlines())
    assert progress == ["rendered 08.docx", "rendered 08.html", "rendered 08.pdf"]
