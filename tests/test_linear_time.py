"""Time linear in the input for the parsers and writers, with the same results as before.

Each input below took minutes or hours before its fix (the times are in docs/reliability.md,
"Time and memory"). It runs in a process of its own, which must finish within a generous
bound (30 s of processor time) that proves only that it does not hang, and its result is
checked in full. Property tests check that the new algorithms give what the old ones gave
(those are kept here, as references).
"""

from __future__ import annotations

import difflib
import io
import json
import os
import re
import resource
import subprocess
import sys
import textwrap
import zipfile
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from helpers import ROOT, TEMPLATES, dump_yaml, make_project, render_area
from hypothesis import given, settings
from hypothesis import strategies as st
from readers import docx_part, w

from reportgen.commands.importer.yamltext import opcodes
from reportgen.markup import ESCAPABLE, block_starts, parse_blocks, parse_spans
from reportgen.present.document import Anchors, _slug
from reportgen.view import PAGE_IDS, Span

LIMIT = 30  # seconds of processor time: each input took minutes or more before
HANG = 4 * LIMIT  # seconds on the clock, for a machine busy with other work


def run_limited(argv: list[str], stdin: str = "", cwd: Path = ROOT) -> str:
    """Run a program of this checkout (PYTHONPATH) as a process of its own; its output. Fails
    if it uses more than LIMIT seconds of processor time: a generous bound that proves only
    that it does not hang (its own time is a few seconds), whatever else the machine runs."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    done = subprocess.run(argv, input=stdin, cwd=cwd, capture_output=True, text=True,
                          env={**os.environ, "PYTHONPATH": str(ROOT)}, timeout=HANG)
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    used = after.ru_utime + after.ru_stime - before.ru_utime - before.ru_stime
    assert done.returncode == 0, done.stderr
    assert used < LIMIT, f"{used:.0f} s of processor time"
    return done.stdout


def run_python(code: str, stdin: str = "") -> Any:
    """Run `code` in a new Python that imports this checkout's reportgen (see run_limited);
    what it printed, as JSON."""
    return json.loads(run_limited([sys.executable, "-c", textwrap.dedent(code)], stdin))


SPANS = """
    import json, sys
    from reportgen.markup import parse_spans
    print(json.dumps([[s.text, s.bold, s.italic, s.href] for s in parse_spans(sys.stdin.read())]))
"""


# --- markup ------------------------------------------------------------------------------------

# Each marker opens something that never closes; before, each one searched the rest of the
# text for its closer (24 kB of "a *" took 9 s, these 100 kB and more took minutes).
UNCLOSED = {
    "a-star": "a *" * 40_000,
    "star-a": "*a " * 40_000,
    "bold-a": "**a " * 30_000,
    "bracket": "[a " * 70_000,
    "bracket-then-close": "[a " * 70_000 + "]",
}


@pytest.mark.parametrize("text", UNCLOSED.values(), ids=UNCLOSED.keys())
def test_unclosed_emphasis_and_brackets_stay_text(text: str) -> None:
    assert run_python(SPANS, text) == [[text, False, False, None]]


def test_a_link_after_many_unclosed_brackets_is_still_a_link() -> None:
    text = "[a " * 70_000 + "] [lenke](https://a.no/x)"  # each `[` read on to that `]`

    assert run_python(SPANS, text) == [
        ["[a " * 70_000 + "] ", False, False, None], ["lenke", False, False, "https://a.no/x"]]


def test_bold_around_many_unclosed_stars_is_bold() -> None:
    inner = "a *" * 40_000 + "b"

    assert run_python(SPANS, f"**{inner}**") == [[inner, True, False, None]]


def test_a_heading_with_a_long_run_of_spaces() -> None:
    text = "a" + " " * 200_000 + "b"  # the heading pattern backtracked over every space

    assert run_python("""
        import json, sys
        from reportgen.markup import parse_blocks
        print(json.dumps([[b.level, b.text] for b in parse_blocks(sys.stdin.read(), 2)]))
    """, f"# {text}") == [[2, text]]


def old_parse_spans(text: str, bold: bool = False, italic: bool = False) -> tuple[Span, ...]:
    """markup.parse_spans as it was: a search for the closer from each `*` and `[`."""
    link_pattern = r"\[((?:\\.|[^\]\\])+)\]\(((?:https?://|mailto:)[^\s()<>]+)\)"
    spans: list[Span] = []
    buffer: list[str] = []

    def flush() -> None:
        if buffer:
            spans.append(Span("".join(buffer), bold, italic))
            buffer.clear()

    i = 0
    while i < len(text):
        char = text[i]
        if char == "\\" and i + 1 < len(text) and text[i + 1] in ESCAPABLE:
            buffer.append(text[i + 1])
            i += 2
            continue
        if char == "*":
            marker = "**" if text.startswith("**", i) else "*"
            end = old_closing(text, i + len(marker), marker)
            if end is not None and not (bold if marker == "**" else italic):
                flush()
                inner = text[i + len(marker) : end]
                spans += old_parse_spans(inner, bold or marker == "**", italic or marker == "*")
                i = end + len(marker)
                continue
        if char == "[" and (link := re.compile(link_pattern).match(text, i)):
            flush()
            for span in old_parse_spans(link.group(1), bold, italic):
                spans.append(Span(span.text, span.bold, span.italic, link.group(2)))
            i = link.end()
            continue
        buffer.append(char)
        i += 1
    flush()
    merged: list[Span] = []
    for span in spans:
        if merged and (merged[-1].bold, merged[-1].italic, merged[-1].href) == (
                span.bold, span.italic, span.href):
            merged[-1] = Span(merged[-1].text + span.text, span.bold, span.italic, span.href)
        elif span.text:
            merged.append(span)
    return tuple(merged)


def old_closing(text: str, start: int, marker: str) -> int | None:
    if start >= len(text) or text[start] in " \t":
        return None
    i = start + 1
    while (j := text.find(marker, i)) != -1:
        escaped = text[j - 1] == "\\"
        part_of_bold = marker == "*" and (text.startswith("**", j) or text[j - 1] == "*")
        if not escaped and not part_of_bold and text[j - 1] not in " \t":
            return j + 1 if marker == "**" and text.startswith("***", j) else j
        i = j + (2 if part_of_bold else 1)
    return None


MARKUP = st.lists(st.sampled_from(
    ["*", "*", "**", "***", "[", "]", "(", ")", "\\", " ", "\t", "a", "b", "http://x",
     "https://y.no/z", "mailto:q", "](http://a.no)", "[x](https://b)", "\\*", "\\[", "\\]",
     "\n", "#", "-", ".", "æ"]), max_size=30).map("".join)


@settings(max_examples=300, deadline=None)
@given(MARKUP, st.booleans(), st.booleans())
def test_inline_markup_reads_as_it_did(text: str, bold: bool, italic: bool) -> None:
    assert parse_spans(text, bold, italic) == old_parse_spans(text, bold, italic)


LINES = st.lists(st.sampled_from(
    ["", "a", "b c", "1. x", "2. y", "1. z", "- p", "-q", "# h", "## h2", "   ", "  c", "10. t",
     "1.x", "**b**", "[[tabell t]]", "  [[diagram d]] "]), max_size=14).map("\n".join)


@settings(max_examples=300, deadline=None)
@given(LINES)
def test_block_starts_are_where_first_lines_gain_a_block(text: str) -> None:
    lines, starts = text.split("\n"), []
    for k in range(len(lines)):  # as the importer found them: parsing each first lines
        if len(parse_blocks("\n".join(lines[:k + 1]), 3)) > len(starts):
            starts.append(k)

    assert block_starts(text, 3) == starts


# --- headings' anchors -------------------------------------------------------------------------

def test_many_headings_with_the_same_text_get_numbered_anchors() -> None:
    anchors = run_python("""
        import json
        from reportgen.present.document import Anchors
        anchors = Anchors()
        print(json.dumps([anchors.heading(3, "Samme").anchor for _ in range(40_000)]))
    """)  # the n-th one tried n anchors: 20 000 took a minute

    assert anchors == ["samme"] + [f"samme-{n}" for n in range(2, 40_001)]


def test_headings_named_like_the_tables_captions_get_anchors_of_their_own() -> None:
    # The page gives each table's caption the id tabell-1, tabell-2 …: a second heading
    # "Tabell" tried tabell-2, tabell-3 … for ever, and the render never ended.
    anchors = Anchors()

    assert [anchors.heading(2, t).anchor for t in ["Tabell", "Tabell", "Tabell 2", "Tabell"]] \
        == ["tabell", "tabell-del-2", "tabell-2-2", "tabell-del-3"]


@settings(max_examples=300, deadline=None)
@given(st.lists(st.sampled_from(["a", "a 2", "a-3", "A", "", "del", "del 2", "a 2 2", "-",
                                 "Tabell", "tabell 3", "Innhold", "innhold 2", "Søk"]),
                max_size=25))
def test_anchors_are_the_first_free_number_as_before(texts: list[str]) -> None:
    anchors, used, expected = Anchors(), set(), []
    for text in texts:  # the page's own ids (PAGE_IDS, such as "tabell-2") are never taken
        base = _slug(text) or "del"
        anchor, n = base, 1
        while anchor in used or PAGE_IDS.fullmatch(anchor):
            n += 1
            anchor = f"{base}-{n}"
            if PAGE_IDS.fullmatch(anchor):  # every `tabell-n`: a table's caption
                anchor = f"{base}-del-{n}"
        used.add(anchor)
        expected.append(anchor)

    assert [anchors.heading(2, t).anchor for t in texts] == expected


# --- import: a text merged block by block ------------------------------------------------------

MERGED = """
    import json, sys
    from reportgen.commands.importer.yamltext import merged_text
    old, new = json.loads(sys.stdin.read())
    print(json.dumps(merged_text(old, new, 3)))
"""


def test_a_long_text_with_one_edit_keeps_the_authors_line_breaks() -> None:
    # Before, the blocks of each first lines of the YAML text were parsed anew: 3000
    # paragraphs took 47 s, these 6000 three minutes.
    old = [f"Avsnitt {i} er skrevet\nover to linjer." for i in range(6000)]
    new = [p.replace("\n", " ") for p in old]
    new[3000] = "Avsnitt 3000 er endret."

    merged = run_python(MERGED, json.dumps(["\n\n".join(old), "\n\n".join(new)]))

    assert merged == "\n\n".join(old[:3000] + [new[3000]] + old[3001:])


def test_a_paragraph_added_among_many_equal_ones() -> None:
    # difflib's search for the longest run took time proportional to the number of equal
    # paragraphs for each of them: 12 000 took minutes.
    old = ["Samme avsnitt."] * 12_000
    new = old[:6000] + ["Nytt avsnitt."] + old[6000:]

    assert run_python(MERGED, json.dumps(["\n\n".join(old), "\n\n".join(new)])) == \
        "\n\n".join(new)


@settings(max_examples=300, deadline=None)
@given(st.lists(st.integers(0, 4), max_size=25), st.lists(st.integers(0, 4), max_size=25))
def test_block_opcodes_are_difflibs(a: list[int], b: list[int]) -> None:
    assert opcodes(a, b) == difflib.SequenceMatcher(None, a, b, False).get_opcodes()


# --- import: the figures table -----------------------------------------------------------------

def test_a_figures_table_of_thousands_of_rows_merges_by_name() -> None:
    # Each table row looked through every YAML row and the list of those taken: 4000 rows
    # took minutes.
    changed = run_python("""
        import json
        from pathlib import Path
        from ruamel.yaml.comments import CommentedMap, CommentedSeq
        from reportgen.commands.importer.common import ImportedArea, ImportedTable
        from reportgen.commands.importer.figures import merge_figures
        from reportgen.model import Figures
        from reportgen.modelread import read_model

        rows = [{"navn": f"Rad {i}", "regnskap": i, "budsjett": 4, "årsbudsjett": 12,
                 "prognose": 12} for i in range(4000)]
        old = read_model(Figures, {"enhet": "1000 kr", "rader": rows})
        status = CommentedMap({"tall": CommentedMap(
            {"enhet": "1000 kr", "rader": CommentedSeq(CommentedMap(r) for r in rows)})})
        cells = [(f"Rad {i}", str(i), "4", "", "12", "12", "") for i in range(4000)]
        cells[2000] = ("Rad 2000", "2001", "4", "", "12", "12", "")  # an edit
        cells.reverse()  # and the rows in the opposite order
        table = ImportedTable(cells, None, None, ("",) * 7, "table 3")
        imported = ImportedArea(Path("08.docx"), "2017-T1", "08", "nb", figures=table)
        assert merge_figures(status, old, imported, [])
        print(json.dumps([dict(r) for r in status["tall"]["rader"]]))
    """)

    expected = [{"navn": f"Rad {i}", "regnskap": 2001 if i == 2000 else i, "budsjett": 4,
                 "årsbudsjett": 12, "prognose": 12} for i in reversed(range(4000))]
    assert changed == expected


# --- import: reading a document ----------------------------------------------------------------

READ = """
    import json, sys
    from pathlib import Path
    from reportgen.commands.importer import read_docx
    print(json.dumps(read_docx(Path(sys.stdin.read())).texts))
"""
AREA = {"økonomisk_status": {"fakta": "F.", "vurdering": "V.", "konklusjon": "K."}}


def rewritten(docx: Path, changes: dict[str, Callable[[Any], None]]) -> bytes:
    """The document with some of its XML parts changed: {part name: change(root element)}."""
    from lxml import etree

    with zipfile.ZipFile(docx) as package:
        parts = {name: package.read(name) for name in package.namelist()}
    for name, change in changes.items():
        root = etree.fromstring(parts[name])
        change(root)
        parts[name] = etree.tostring(root, xml_declaration=True, encoding="UTF-8",
                                     standalone=True)
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as package:
        for name, data in parts.items():
            package.writestr(name, data)
    return out.getvalue()


def copied(element: Any) -> Any:
    from lxml import etree

    return etree.fromstring(etree.tostring(element))


def many_lists(docx: Path, lists: int, items: int, runs: int) -> bytes:
    """The rendered area document whose lead is "1. a / 2. b / Mellom.", with that repeated:
    `lists` lists, each with its own w:num (as Word gives each list), then one list of
    `items` items, then a paragraph of `runs` runs."""
    numbers = [f"{1000 + k}" for k in range(lists - 1)]
    listed = f".//{w('numPr')}"
    first = next(p for p in docx_part(docx, "word/document.xml").iter(w("p"))
                 if p.find(listed) is not None)
    num_id = first.find(f".//{w('numId')}").get(w("val"))

    def nums(numbering: Any) -> None:
        num = next(n for n in numbering.iter(w("num")) if n.get(w("numId")) == num_id)
        for number in reversed(numbers):
            num.addnext(copied(num))
            num.getnext().set(w("numId"), number)

    def body(document: Any) -> None:
        first = next(p for p in document.iter(w("p")) if p.find(listed) is not None)
        trio = [first, first.getnext(), first.getnext().getnext()]
        place = trio[-1]
        for number in numbers:
            for p in map(copied, trio):
                for ident in p.iter(w("numId")):
                    ident.set(w("val"), number)
                place.addnext(p)
                place = p
        for _ in range(items):
            place.addnext(copied(trio[1]))
            place = place.getnext()
        place.addnext(copied(trio[2]))
        run = place.getnext().find(w("r"))
        for _ in range(runs - 1):
            run.addnext(copied(run))

    return rewritten(docx, {"word/numbering.xml": nums, "word/document.xml": body})


@pytest.mark.slow
def test_a_document_of_thousands_of_lists_reads_back(tmp_path: Path) -> None:
    # Each list paragraph looked through every w:num; each item was added to the text of its
    # list; each run of a paragraph to the text before it.
    docx = render_area(tmp_path / "rendered", {"ingress": "1. a\n2. b\n\nMellom.", **AREA},
                       "docx") / "08.docx"
    big = tmp_path / "08.docx"
    big.write_bytes(many_lists(docx, lists=5000, items=10_000, runs=10_000))

    texts = run_python(READ, str(big))

    long_list = "\n".join(f"{n}. b" for n in range(1, 10_001))
    assert texts["ingress"] == "\n\n".join(
        ["1. a\n2. b", "Mellom."] * 5000 + [long_list, "Mellom." * 10_000])


# --- DOCX --------------------------------------------------------------------------------------

def render_docx_process(root: Path, area: dict[str, Any]) -> Path:
    """Render area 08 to DOCX with the command, in a process of its own; the document."""
    project = make_project(root)
    project.write_area("08", dump_yaml(area))
    run_limited([sys.executable, "-m", "reportgen", "render", "08", "2017-T1", "--inputs",
                 str(project.inputs), "--templates", str(TEMPLATES), "--out", str(project.out),
                 "--format", "docx", "--quiet"], cwd=root)
    return project.output("08.docx")


def cell_texts(row: Any) -> list[str]:
    return ["".join(t.text or "" for t in cell.iter(w("t"))) for cell in row.iter(w("tc"))]


@pytest.mark.slow
def test_a_figures_table_of_thousands_of_rows_in_the_docx(tmp_path: Path) -> None:
    # The move of the table from the subdocument into the template (lxml: time quadratic in
    # the number of elements moved) took minutes for 4000 rows.
    rows = [{"navn": f"Rad {i}", "regnskap": i, "budsjett": 4, "årsbudsjett": 12,
             "prognose": 12} for i in range(4000)]
    area = {"ingress": "I.", "økonomisk_status": {
        "fakta": "F.", "tall": {"enhet": "1000 kr", "rader": rows}, "vurdering": "V.",
        "konklusjon": "K."}}

    table = docx_part(render_docx_process(tmp_path, area), "word/document.xml").find(
        f".//{w('tbl')}")

    shown = [cell_texts(row) for row in table.iter(w("tr"))]
    assert len(shown) == 4002  # the heading row, the rows, the sum
    assert shown[1] == ["Rad 0", "0", "4", "4", "12", "12", "0"]
    assert shown[4000] == ["Rad 3999", "3\u00a0999", "4", "\u22123\u00a0995", "12", "12", "0"]
    assert shown[4001][0] == "Sum"


@pytest.mark.slow
def test_a_long_text_of_lists_and_links_in_the_docx(tmp_path: Path) -> None:
    # Each numbered list looked through every w:num for a free id (in quadratic time), each
    # link through every relationship, each paragraph through the body for its end.
    units = [f"1. punkt [{i}](https://a.no/{i})\n2. punkt\n\nMellom [lenke](https://b.no/x)."
             for i in range(2500)]
    area = {"ingress": "\n\n".join(units), "økonomisk_status": {
        "fakta": "F.", "vurdering": "V.", "konklusjon": "K."}}

    docx = render_docx_process(tmp_path, area)

    body = docx_part(docx, "word/document.xml").find(w("body"))
    texts = ["".join(t.text or "" for t in p.iter(w("t"))) for p in body.iter(w("p"))]
    start = texts.index("punkt 0")
    expected = [t for i in range(2500) for t in (f"punkt {i}", "punkt", "Mellom lenke.")]
    assert texts[start:start + 7500] == expected
    lists = [p.find(f"{w('pPr')}/{w('numPr')}/{w('numId')}").get(w("val"))
             for p in body.iter(w("p")) if p.find(f"{w('pPr')}/{w('numPr')}") is not None]
    assert len(lists) == 5000 and len(set(lists)) == 2500  # each list restarts at 1
    with zipfile.ZipFile(docx) as package:
        rels = package.read("word/_rels/document.xml.rels").decode()
    assert len(re.findall(r'Target="https://a\.no/\d+"', rels)) == 2500
    assert rels.count('Target="https://b.no/x"') == 1
