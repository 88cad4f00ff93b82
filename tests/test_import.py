"""`reportgen import`: an area DOCX edited in Word or LibreOffice back into its YAML input.

The documents are edited the way a user's word processor would leave them (python-docx on the
rendered file, LibreOffice saving it again); the YAML is checked as text, and the next render
is read back in all three formats.
"""

from __future__ import annotations

import copy
import io
import os
import re
import shutil
import subprocess
import zipfile
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from helpers import Project
from hypothesis import given, settings
from hypothesis import strategies as st
from readers import (
    collapse,
    docx_blocks,
    docx_tables,
    html_blocks,
    html_document,
    open_docx,
    pdf_pages,
    squash,
)

from reportgen.commands.importer import (
    import_docx,
    merge_into_yaml,
    paragraph_markup,
    read_docx,
    unified_diff,
)
from reportgen.markup import parse_blocks
from reportgen.present.numbers import parse_amount
from reportgen.view import Span as Piece

NBSP, MINUS = "\u00a0", "\u2212"
W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"

# Comments, a quoted value, an exact amount (4.24, shown as 4,2), links, lists, sub-headings,
# escapes and an untitled Andre forhold item: what an author's file looks like.
AREA = """\
# Programområde 08, 1. tertial 2017. Kommunikasjon leser korrektur i Word.
ingress: |
  Ny strategisk næringsplan er vedtatt av bystyret. Les [planen](https://drammen.no/plan).

  Satsingsområdene er:
  - Besøksnæringen
  - Eiendomsutvikling
økonomisk_status:
  fakta: Programområdet rapporterer forbruk i tråd med budsjett per april.  # fra regnskapet
  # Vurderingen skrives av økonomisjefen.
  vurdering: |
    Det vurderes som viktig at programområdet har *økonomisk fleksibilitet*.

    # Tiltak
    Tre tiltak er prioritert, fra punkt:

    3. Skolebygg
    4. Idrettshaller
  konklusjon: "Programområdet forventer et årsresultat i tråd med budsjettet."
  tall:
    enhet: mill. kr
    rader:
      - navn: Næringsutvikling
        regnskap: 4.24  # vises som 4,2
        budsjett: 4.4
        årsbudsjett: 13.2
        prognose: 13.2
      - navn: Markedsføring
        regnskap: 1.05
        budsjett: 1.1
        årsbudsjett: 3.3
        prognose: 3.3
investeringer: |
  Ingen investeringer. Tegn som \\*, \\[ og {{ x }} står som skrevet, også \\# og «sitat» & <b>.
andre_forhold:
  - overskrift: Strategisk næringsplan
    tekst: |
      Ny plan ble vedtatt av bystyret 25.4.2017.

  - tekst: Tekst uten overskrift, med **fet** skrift.
"""


@pytest.fixture
def area(project: Project, cli: Any) -> Path:
    """The area file written and rendered (DOCX only) into out/2017-T1/08.docx."""
    path = project.write_area("08", AREA)
    assert render(cli, project, "docx").code == 0
    return path


def render(cli: Any, project: Project, formats: str = "docx,html,pdf") -> Any:
    return cli("render", "08", "2017-T1", "--inputs", project.inputs, "--out", project.out,
               "--format", formats, "--quiet")


def import_(cli: Any, docx: Path, *more: str) -> Any:
    return cli("import", docx, "--inputs", "inputs", *more)


# --- editing a document as Word would -------------------------------------------------------

def paragraph(doc: Any, text: str) -> Any:
    return next(p for p in doc.paragraphs if text in p.text)


def add_after(anchor: Any, text: str, style: str) -> Any:
    """A new paragraph with `style` right after `anchor`."""
    from docx.oxml import OxmlElement
    from docx.text.paragraph import Paragraph

    element = OxmlElement("w:p")
    anchor._p.addnext(element)
    new = Paragraph(element, anchor._parent)
    new.style = style
    new.add_run(text)
    return new


def replace_words(doc: Any, old: str, new: str) -> None:
    run = next(r for p in doc.paragraphs for r in p.runs if old in r.text)
    run.text = run.text.replace(old, new)


def embolden(doc: Any, word: str) -> None:
    """Split the run holding `word` into three and make the middle one bold."""
    run = next(r for p in doc.paragraphs for r in p.runs if word in r.text)
    before, after = run.text.split(word, 1)
    middle, rest = copy.deepcopy(run._r), copy.deepcopy(run._r)
    run._r.addnext(middle)
    middle.addnext(rest)
    from docx.text.run import Run

    run.text = before
    Run(middle, run._parent).text, Run(rest, run._parent).text = word, after
    Run(middle, run._parent).bold = True


def edited_copy(project: Project, edit: Any, name: str = "08-redigert.docx") -> Path:
    """The rendered DOCX edited by `edit(document)` and saved elsewhere, as a user would."""
    doc = open_docx(project.output("08.docx"))
    edit(doc)
    target = project.root / name
    doc.save(str(target))
    return target


# --- the round trip ---------------------------------------------------------------------------

EDITED_YAML = AREA.replace(
    "er vedtatt av bystyret.", "er enstemmig vedtatt av bystyret."
).replace(
    "  - Eiendomsutvikling\n", "  - Eiendomsutvikling\n  - Helse og gründersatsing\n"
).replace(
    "    4. Idrettshaller\n",
    "    4. Idrettshaller\n\n    Kommunikasjonsavdelingen har lest korrektur.\n",
).replace(
    '"Programområdet forventer et årsresultat', '"Programområdet forventer et **årsresultat**'
).replace(
    "        regnskap: 1.05\n", "        regnskap: 1.3\n"
) + """\
  - overskrift: Kontaktutvalget for næringslivet
    tekst: Det er gjennomført to møter i kontaktutvalget.
"""


def user_edits(doc: Any) -> None:
    """Words changed, a bullet added, a paragraph added to Vurdering, a word made bold, an
    amount changed, a new Andre forhold subsection at the end."""
    replace_words(doc, "er vedtatt av", "er enstemmig vedtatt av")
    add_after(paragraph(doc, "Eiendomsutvikling"), "Helse og gründersatsing", "List Bullet")
    add_after(paragraph(doc, "Idrettshaller"), "Kommunikasjonsavdelingen har lest korrektur.",
              "Normal")
    embolden(doc, "årsresultat")
    cell = doc.tables[0].rows[2].cells[1]
    assert cell.text == "1,1"  # 1.05 rounded half up
    cell.paragraphs[0].runs[0].text = "1,3"
    doc.add_paragraph("Kontaktutvalget for næringslivet", style="Heading 3")
    doc.add_paragraph("Det er gjennomført to møter i kontaktutvalget.", style="Normal")


def without_sum_note(block: tuple[int, str]) -> tuple[int, str]:
    level, text = block
    return level, text.replace(" Summene er regnet av eksakte beløp og kan avvike fra summen av"
                               " de avrundede tallene.", "")


@pytest.mark.render
def test_edits_in_the_docx_come_back_in_every_format(project: Project, cli: Any) -> None:
    path = project.write_area("08", AREA)
    assert render(cli, project).code == 0
    before = {"docx": docx_blocks(project.output("08.docx")),
              "html": html_blocks(project.output("08.html"))}
    edited = edited_copy(project, user_edits)

    result = import_(cli, edited, "--yes")

    assert (result.code, result.err) == (0, "")
    assert "+  - overskrift: Kontaktutvalget for næringslivet\n" in result.out
    assert result.out.endswith("wrote inputs/2017-T1/08.yaml\n")
    assert path.read_text(encoding="utf-8") == EDITED_YAML  # comments, order, quoting kept
    assert render(cli, project).code == 0
    new_bullet = "Helse og gründersatsing"
    new_text = "Kommunikasjonsavdelingen har lest korrektur."
    new_heading = "Kontaktutvalget for næringslivet"
    new_item = "Det er gjennomført to møter i kontaktutvalget."
    for fmt, old in before.items():
        blocks = (docx_blocks(project.output("08.docx")) if fmt == "docx"
                  else html_blocks(project.output("08.html")))
        expected = [(level, text.replace("er vedtatt av", "er enstemmig vedtatt av"))
                    for level, text in old]
        expected.insert(expected.index((0, "Eiendomsutvikling")) + 1, (0, new_bullet))
        expected.insert(expected.index((0, "Idrettshaller")) + 1, (0, new_text))
        expected += [(3, new_heading), (0, new_item)]
        # The note says that sums are of exact amounts where the rounded rows do not add up
        # to the sum shown: the edited amount decides whether it is there.
        assert [without_sum_note(b) for b in blocks] == [
            without_sum_note(b) for b in expected], fmt
    bold = [r.text for p in open_docx(project.output("08.docx")).paragraphs for r in p.runs
            if r.bold]
    assert bold == ["årsresultat", "fet"]
    strong = [collapse(e.text()) for e in html_document(project.output("08.html")).find_all(
        "strong")]
    assert strong == ["årsresultat", "fet"]
    assert docx_tables(project.output("08.docx"))[0][1:] == [
        ["Næringsutvikling", "4,2", "4,4", "0,2", "13,2", "13,2", "0,0"],  # 4.24 kept exact
        ["Markedsføring", "1,3", "1,1", f"{MINUS}0,2", "3,3", "3,3", "0,0"],
        ["Sum", "5,5", "5,5", "0,0", "16,5", "16,5", "0,0"],
    ]
    pdf = squash(" ".join(pdf_pages(project.output("08.pdf"))))
    for text in ("er enstemmig vedtatt av bystyret", new_bullet, new_text, new_heading, new_item,
                 "Det vurderes som viktig at programområdet har økonomisk fleksibilitet."):
        assert squash(text) in pdf
    assert squash("er vedtatt av bystyret") not in pdf


def test_an_unedited_document_imports_nothing(area: Path, project: Project, cli: Any) -> None:
    result = import_(cli, project.output("08.docx"))

    assert (result.code, result.out, result.err) == (
        0, "nothing to import: the input file already gives this text\n", "")
    assert area.read_text(encoding="utf-8") == AREA


@pytest.mark.slow
def test_documents_saved_by_libreoffice_import_as_they_read(
        area: Path, project: Project, cli: Any, tmp_path: Path) -> None:
    """Unedited: no change at all (the round trip is stable). Edited: the same YAML as the
    edits give without LibreOffice."""
    soffice = shutil.which("soffice")
    if soffice is None:
        if os.environ.get("CI"):
            pytest.fail("LibreOffice (soffice) is needed on CI")
        pytest.skip("LibreOffice (soffice) is not installed")
    edited = edited_copy(project, user_edits)
    saved = tmp_path / "saved"
    subprocess.run(
        [soffice, f"-env:UserInstallation={(tmp_path / 'profile').as_uri()}", "--headless",
         "--convert-to", "docx:MS Word 2007 XML", "--outdir", saved, project.output("08.docx"),
         edited],
        check=True, capture_output=True, timeout=120,
    )

    unedited = import_(cli, saved / "08.docx", "--yes")
    assert (unedited.code, unedited.err) == (0, "")
    assert unedited.out == "nothing to import: the input file already gives this text\n"
    assert area.read_text(encoding="utf-8") == AREA
    result = import_(cli, saved / edited.name, "--yes")
    assert (result.code, result.err) == (0, "")
    assert area.read_text(encoding="utf-8") == EDITED_YAML


def test_the_functions_behind_the_command(area: Path, project: Project) -> None:
    edited = edited_copy(project, user_edits)

    imported = read_docx(edited)

    assert (imported.period, imported.code, imported.language) == ("2017-T1", "08", "nb")
    assert imported.texts["konklusjon"] == (
        "Programområdet forventer et **årsresultat** i tråd med budsjettet.")
    assert merge_into_yaml(area, imported) == EDITED_YAML
    result = import_docx(edited, project.inputs)
    assert (result.yaml_path, result.old_text, result.new_text) == (area, AREA, EDITED_YAML)
    assert unified_diff(result).startswith(
        "--- a/inputs/2017-T1/08.yaml\n+++ b/inputs/2017-T1/08.yaml\n@@ -1,10 +1,11 @@\n")


# --- what cannot be imported is said, with its place -----------------------------------------

def tracked(tag: str, text: str) -> Any:
    """<w:ins> or <w:del> holding one run, as Word writes a tracked change."""
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn

    change = OxmlElement(f"w:{tag}")
    change.set(qn("w:id"), str(abs(hash(text)) % 10_000))
    change.set(qn("w:author"), "Kommunikasjon")
    change.set(qn("w:date"), "2017-05-02T10:00:00Z")
    run = OxmlElement("w:r")
    text_element = OxmlElement("w:delText" if tag == "del" else "w:t")
    text_element.set("{http://www.w3.org/XML/1998/namespace}space", "preserve")
    text_element.text = text
    run.append(text_element)
    change.append(run)
    return change


def track_changes(doc: Any) -> None:
    """'rapporterer forbruk' -> 'rapporterer et samlet forbruk' with tracked changes, and
    the deletion of a whole paragraph of Vurdering (its text and its paragraph mark)."""
    from docx.oxml import OxmlElement

    run = paragraph(doc, "rapporterer forbruk").runs[0]
    run.text = "Programområdet rapporterer "
    run._r.addnext(tracked("ins", "et samlet "))
    rest = copy.deepcopy(run._r)
    rest.find(f"{W}t").text = "forbruk i tråd med budsjett per april."
    run._r.getnext().addnext(rest)
    run._r.getnext().addnext(tracked("del", "et "))  # deleted text is skipped
    gone = paragraph(doc, "Tre tiltak er prioritert")
    for old in gone.runs:
        old._r.getparent().remove(old._r)
    gone._p.append(tracked("del", "Tre tiltak er prioritert, fra punkt:"))
    mark = OxmlElement("w:rPr")
    mark.append(tracked("del", ""))
    mark[0].remove(mark[0][0])  # the paragraph mark's deletion holds no run
    gone._p.get_or_add_pPr().append(mark)


def test_tracked_changes_import_as_accepted(area: Path, project: Project, cli: Any) -> None:
    edited = edited_copy(project, track_changes)

    result = import_(cli, edited, "--yes")

    assert result.code == 0
    assert result.err == (
        "08-redigert.docx: note: the document had tracked changes; the accepted text was taken\n")
    assert area.read_text(encoding="utf-8") == AREA.replace(
        "rapporterer forbruk", "rapporterer et samlet forbruk"
    ).replace("    Tre tiltak er prioritert, fra punkt:\n", "")


def unmappable(doc: Any) -> None:
    """A picture, a heading the structure does not have, text before the title, an edited
    computed cell and sum, an edited caption."""
    from PIL import Image

    picture = io.BytesIO()
    Image.new("RGB", (8, 8), "red").save(picture, "PNG")
    add_after(paragraph(doc, "Idrettshaller"), "", "Normal").add_run().add_picture(picture)
    unknown = add_after(paragraph(doc, "Det vurderes som viktig"), "Sykefravær", "Heading 2")
    add_after(unknown, "Sykefraværet var 6,1 prosent.", "Normal")
    doc.paragraphs[0].insert_paragraph_before("Utkast!", style="Normal")
    table = doc.tables[0]
    table.rows[1].cells[3].paragraphs[0].runs[0].text = "9,9"
    table.rows[3].cells[1].paragraphs[0].runs[0].text = "99,0"
    paragraph(doc, "Driftsregnskap per april").runs[0].text = "Driftsregnskapet"


def test_what_cannot_be_imported_is_noted_with_its_place(
        area: Path, project: Project, cli: Any) -> None:
    edited = edited_copy(project, unmappable)

    result = import_(cli, edited)

    assert result.code == 0
    assert result.err.splitlines() == [f"08-redigert.docx: note: {note}" for note in [
        "paragraph 1: text before the title ('Utkast!'); not imported",
        "paragraph 10 (after 'Fakta'): the table's caption and note are written by reportgen;"
        " the edit was not imported",
        "paragraph 15 (after 'Vurdering'): a heading 2 'Sykefravær' that is not part of an"
        " area's structure; it and the 1 paragraph(s) under it were not imported",
        "paragraph 21 (after 'Tiltak'): a picture; not imported",
        "table 11 (after 'Fakta'): row 'Næringsutvikling', column 'Avvik per april': computed;"
        " ignored",
        "table 11 (after 'Fakta'): the sum row is computed; ignored",
    ]]
    assert result.out == "nothing to import: the input file already gives this text\n"
    assert area.read_text(encoding="utf-8") == AREA


def delete_sections(doc: Any) -> None:
    """Investeringsbudsjettet and the Andre forhold item 'Strategisk næringsplan' deleted."""
    for text in ("Investeringsbudsjettet", "Ingen investeringer", "Strategisk næringsplan",
                 "Ny plan ble vedtatt"):
        element = paragraph(doc, text)._p
        element.getparent().remove(element)


def test_sections_deleted_in_the_document_are_removed_with_remove_missing(
        area: Path, project: Project, cli: Any) -> None:
    result = import_(cli, edited_copy(project, delete_sections), "--yes", "--remove-missing")

    assert (result.code, result.err) == (0, "")
    assert area.read_text(encoding="utf-8") == AREA.replace(
        AREA[AREA.index("investeringer:"):AREA.index("andre_forhold:")], ""
    ).replace(AREA[AREA.index("  - overskrift: Strategisk"):AREA.index("  - tekst:")], "")


def test_sections_deleted_in_the_document_are_kept_without_remove_missing(
        area: Path, project: Project, cli: Any) -> None:
    result = import_(cli, edited_copy(project, delete_sections), "--yes")

    assert (result.code, result.out) == (
        0, "nothing to import: the input file already gives this text\n")
    assert result.err == (
        "inputs/2017-T1/08.yaml: warning: the document has no text under"
        " 'Investeringsbudsjettet'; `investeringer` was kept\n"
        "  hint: import with --remove-missing to remove it\n"
        "inputs/2017-T1/08.yaml: warning: the item 'Strategisk næringsplan' under 'Andre"
        " forhold' is not in the document; it was kept\n"
        "  hint: import with --remove-missing to remove it\n")
    assert area.read_text(encoding="utf-8") == AREA


# --- refusals ---------------------------------------------------------------------------------

def test_a_document_that_names_no_area_asks_for_area_and_period(
        project: Project, cli: Any) -> None:
    """A document reportgen did not write is read when it can be placed (test_import_any.py);
    one that names no area is refused, and the hint names the options that place it."""
    import docx

    stranger = docx.Document()
    stranger.add_paragraph("Notat fra møtet")
    stranger.save(str(project.root / "notat.docx"))

    result = import_(cli, project.root / "notat.docx", "--yes")

    assert (result.code, result.out) == (1, "")
    assert result.err == (
        "notat.docx: error: cannot tell which area this document is: it has no title such as"
        " 'Programområde 06 Kultur'\n"
        "  hint: add --area and --period, such as --area 06 --period 2017-T1\n"
    )
    assert not (project.inputs / "2017-T1").exists()


class Terminal(io.StringIO):
    """Standard input that says it is a terminal, with the user's answers."""

    def isatty(self) -> bool:
        return True


def test_it_asks_before_writing(
        area: Path, project: Project, cli: Any, monkeypatch: pytest.MonkeyPatch) -> None:
    edited = edited_copy(project, lambda doc: replace_words(doc, "er vedtatt", "ble vedtatt"))
    monkeypatch.setattr("sys.stdin", Terminal("n\n"))

    declined = import_(cli, edited)

    assert declined.code == 0
    assert declined.out.endswith("Write inputs/2017-T1/08.yaml? [y/N]: nothing written\n")
    assert area.read_text(encoding="utf-8") == AREA
    monkeypatch.setattr("sys.stdin", Terminal("y\n"))
    accepted = import_(cli, edited)
    assert accepted.out.endswith("wrote inputs/2017-T1/08.yaml\n")
    assert area.read_text(encoding="utf-8") == AREA.replace("er vedtatt", "ble vedtatt")


def test_without_a_terminal_it_asks_for_yes(
        area: Path, project: Project, cli: Any, monkeypatch: pytest.MonkeyPatch) -> None:
    edited = edited_copy(project, lambda doc: replace_words(doc, "er vedtatt", "ble vedtatt"))
    monkeypatch.setattr("sys.stdin", io.StringIO(""))

    result = import_(cli, edited)

    assert result.code == 1
    assert "-  Ny strategisk næringsplan er vedtatt" in result.out
    assert result.err == (
        "08-redigert.docx: error: not writing inputs/2017-T1/08.yaml: there is no terminal to"
        " ask on\n  hint: check the change above, then run again with --yes\n")
    assert area.read_text(encoding="utf-8") == AREA


# --- an input edited after the render ----------------------------------------------------------

CORE = "{http://schemas.openxmlformats.org/package/2006/metadata/core-properties}"
CHANGED_SINCE = (
    "08-redigert.docx: note: inputs/2017-T1/08.yaml has changed since this document was"
    " rendered; writing would also undo those changes (see the diff)\n")


def test_an_input_edited_since_the_render_is_named(
        area: Path, project: Project, cli: Any, monkeypatch: pytest.MonkeyPatch) -> None:
    """The document carries a fingerprint of the content it was rendered from; importing it
    over a YAML whose content changed since would undo that change, and says so."""
    from lxml import etree

    with zipfile.ZipFile(project.output("08.docx")) as package:
        core = etree.fromstring(package.read("docProps/core.xml"))
    assert re.fullmatch(r"[0-9a-f]{16}", core.findtext(f"{CORE}version") or "")
    edited = edited_copy(project, lambda doc: replace_words(doc, "er vedtatt", "ble vedtatt"))
    monkeypatch.setattr("sys.stdin", Terminal("n\nn\nn\n"))

    unchanged = import_(cli, edited)
    area.write_text("# Lest av økonomisjefen.\n" + AREA, encoding="utf-8")  # not the content
    commented = import_(cli, edited)
    area.write_text(AREA.replace("Tre tiltak er prioritert", "Fire tiltak er prioritert"),
                    encoding="utf-8")
    changed = import_(cli, edited)

    assert (unchanged.code, unchanged.err) == (0, "")
    assert (commented.code, commented.err) == (0, "")
    assert (changed.code, changed.err) == (0, CHANGED_SINCE)
    assert "-    Fire tiltak er prioritert, fra punkt:\n" in changed.out
    assert "+  Ny strategisk næringsplan ble vedtatt" in changed.out
    assert changed.out.endswith("nothing written\n")


@pytest.mark.parametrize(("shown", "value"), [
    ("1 234,5", "1234.5"), (f"1{NBSP}234,5", "1234.5"), (f"{MINUS}0,4", "-0.4"),
    ("-12", "-12"), ("1.234,5", "1234.5"), ("1234.5", "1234.5"), ("  7 ", "7"),
    ("tolv", None), ("", None), ("1,2,3", None),
])
def test_amounts_are_read_the_norwegian_way(shown: str, value: str | None) -> None:
    assert parse_amount(shown) == (Decimal(value) if value else None)


TEXT = st.text(st.sampled_from(list("ab *_[]()#-.1\\\t{}<&") + ["\u00a0", "«"]), min_size=1,
               max_size=6)
LINKS = [None, None, "https://www.drammen.kommune.no/a", "mailto:post@drammen.kommune.no"]
PIECE = st.builds(Piece, TEXT, st.booleans(), st.booleans(), st.sampled_from(LINKS))


@settings(max_examples=300, deadline=None)
@given(st.lists(PIECE, min_size=1, max_size=4))
def test_a_paragraph_reads_back_as_written_or_is_noted(pieces: list[Piece]) -> None:
    """Literal `*`, `[`, `#`, `- `, backslashes, links and emphasis survive the markup; where
    the subset cannot say it (emphasis right next to other emphasis) there is a note."""
    line, notes = paragraph_markup(pieces)

    want = [(c, (p.bold, p.italic, p.href)) for p in pieces for c in p.text]
    while want and want[0][0] in " \t":  # the ends of a paragraph are trimmed
        want.pop(0)
    while want and want[-1][0] in " \t":
        want.pop()
    blocks = parse_blocks(line, 4)
    assert [type(b).__name__ for b in blocks] == (["Paragraph"] if want else [])
    got = [(c, (s.bold, s.italic, s.href)) for b in blocks for s in b.spans for c in s.text]
    assert [c for c, _ in got] == [c for c, _ in want]
    if not notes:  # emphasis on spaces is invisible, and moves out of the markers
        assert [f for c, f in got if c not in " \t"] == [f for c, f in want if c not in " \t"]
