"""`reportgen import` of documents reportgen did not write, and of whole reports.

The documents are made without reportgen (handmade.py): with python-docx in Word's own
style names, in Norwegian style names ("Overskrift 1"), and without any heading styles
(headings as bold paragraphs); and as HTML, flat ODT and RTF converted by LibreOffice
(`soffice --headless --convert-to docx`). Each is imported into an inputs folder that has no
file for its period, rendered, and the text of the rendered DOCX compared with the
document's, paragraph by paragraph and word for word; the figures by their amounts.
"""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path
from typing import Any

import pytest
from handmade import (
    CONVERTED,
    HTML_FIGURES,
    KOMMUNE,
    REPORT_AREAS,
    SKATT,
    area_blocks,
    expected_figures,
    figures_computed,
    figures_nynorsk,
    figures_of,
    figures_typed,
    number,
    same_figures,
    section,
    texts,
    without,
    write_docx,
    write_report,
)
from helpers import Project, make_project, snapshot
from helpers import require_soffice as soffice  # LibreOffice, or skip (fail on CI)
from readers import open_docx


@pytest.fixture
def empty(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Project:
    """A project whose inputs folder has kommune.yaml (with comments; areas 01 and 08 only)
    and no folder for any period."""
    made = make_project(tmp_path / "prosjekt", kommune=None)
    (made.inputs / "kommune.yaml").write_text(KOMMUNE, encoding="utf-8")
    monkeypatch.chdir(made.root)
    return made


def import_(cli: Any, path: Path, *more: str) -> Any:
    return cli("import", path, "--inputs", "inputs", "--out", "out", *more)


def render(cli: Any, *areas: str, formats: str = "docx") -> Any:
    return cli("render", *areas, "2017-T1", "--inputs", "inputs", "--out", "out", "--format",
               formats, "--quiet")


# --- one area, made in Word --------------------------------------------------------------------

NO_UNIT = ("note: after 'Fakta': no unit (mill. kr or 1000 kr) is named at the figures table;"
           " it was read as mill. kr: change `enhet` if that is wrong\n")


def test_an_area_made_in_word_is_written_into_empty_inputs_and_renders_as_written(
        empty: Project, cli: Any) -> None:
    source = write_docx(empty.root / "06-kultur.docx",
                        area_blocks("06", "Kultur", figures_computed()))

    result = import_(cli, source, "--yes")

    assert (result.code, result.err) == (0, f"06-kultur.docx: {NO_UNIT}")
    lines = result.out.splitlines()
    assert lines[0] == ("read 06-kultur.docx as area 06 of 2017-T1: its title 'Programområde 06"
                        " Kultur' names the area, and its text names the period ('1. tertial"
                        " 2017')")
    assert lines[1:3] == ["--- /dev/null", "+++ b/inputs/2017-T1/06.yaml"]
    assert lines[-5:] == [
        "area 06 Kultur: inputs/2017-T1/06.yaml (new): ingress, fakta, tall (3 row(s)),"
        " vurdering, konklusjon, investeringer, andre_forhold (1 item(s))",
        "inputs/kommune.yaml (changed): added to the register: 06 Kultur",
        "not placed: nothing",
        "wrote inputs/2017-T1/06.yaml",
        "wrote inputs/kommune.yaml",
    ]
    assert (empty.inputs / "kommune.yaml").read_text(encoding="utf-8") == KOMMUNE.replace(
        '  "08"', '  "06": Kultur\n  "08"')  # the comments stay
    yaml = (empty.inputs / "2017-T1" / "06.yaml").read_text(encoding="utf-8")
    assert yaml.startswith("# Programområde 06 Kultur, 1. tertial 2017: imported from"
                           " 06-kultur.docx\ningress: ")
    for line in ("  fakta: Regnskapet per april viser et **merforbruk** på 0,2 mill. kr i",
                 "    Kulturskolen har færre elever enn forutsatt, se [kommunens nettsider]"
                 "(https://www.drammen.kommune.no/kultur/). Elevinntektene blir *lavere*",
                 "    # Tiltak", "    1. Venteliste til høsten", "        regnskap: 7.2",
                 "        prognose: 21.4", "  - overskrift: Elvefestivalen 2017",
                 "      - frivillige lag og foreninger"):
        assert line in yaml
    assert render(cli, "06").code == 0
    rendered = empty.output("06.docx")
    assert texts(rendered) == texts(source)
    same_figures(figures_of(rendered)[0], expected_figures(figures_computed()[0]), 1)
    again = import_(cli, source, "--yes")
    assert again.code == 0 and again.out.endswith(
        "nothing to import: the input file already gives this text\n")


def test_norwegian_style_names_and_a_table_of_typed_columns_in_another_order(
        empty: Project, cli: Any) -> None:
    blocks = [("h", 0, "Programområde 06 Kultur"), *area_blocks("06", "Kultur",
                                                                figures_typed())[1:]]
    source = write_docx(empty.root / "kultur.docx", blocks, styles="norsk")

    result = import_(cli, source, "--yes")

    assert (result.code, result.err) == (0, "")
    assert result.out.startswith("read kultur.docx as area 06 of 2017-T1: its title"
                                 " 'Programområde 06 Kultur' names the area, and its text names"
                                 " the period ('1. tertial 2017', 2 times)\n")
    yaml = (empty.inputs / "2017-T1" / "06.yaml").read_text(encoding="utf-8")
    assert "    enhet: 1000 kr\n" in yaml
    assert "        regnskap: 9612\n        budsjett: 9900\n        årsbudsjett: 29800\n" in yaml
    assert render(cli, "06").code == 0
    rendered = empty.output("06.docx")
    assert texts(rendered) == texts(source)
    same_figures(figures_of(rendered)[0], expected_figures(figures_typed()[1]), 0)


def test_headings_that_lost_their_styles_are_read_by_their_labels_and_bold(
        empty: Project, cli: Any) -> None:
    """No heading styles at all: the labels, the title and the item headings are bold
    Normal paragraphs; the sub-heading 'Tiltak' too. The table has nynorsk headings."""
    source = write_docx(empty.root / "uten-stiler.docx",
                        area_blocks("06", "Kultur", figures_nynorsk()), styles="none")

    result = import_(cli, source, "--yes")

    assert (result.code, result.err) == (0, f"uten-stiler.docx: {NO_UNIT}")
    yaml = (empty.inputs / "2017-T1" / "06.yaml").read_text(encoding="utf-8")
    assert "  tall:\n" in yaml and "andre_forhold:\n  - overskrift: Elvefestivalen 2017\n" in yaml
    assert "    # Tiltak\n" in yaml
    assert render(cli, "06").code == 0
    rendered = empty.output("06.docx")
    assert texts(rendered) == texts(source)
    same_figures(figures_of(rendered)[0], expected_figures(figures_nynorsk()[0]), 1)


def test_labels_in_any_case_and_with_a_colon_are_headings(empty: Project, cli: Any) -> None:
    renamed = {"Vurdering": "VURDERING:", "Fakta": "fakta"}
    blocks = [("h", b[1], renamed.get(b[2], b[2])) if b[0] == "h" else b
              for b in area_blocks("06", "Kultur")]
    source = write_docx(empty.root / "store-bokstaver.docx", blocks, styles="none")

    result = import_(cli, source, "--yes")

    assert result.code == 0
    assert result.err == (
        "store-bokstaver.docx: note: after 'Økonomisk status': the heading 'fakta' is written"
        " 'Fakta' by reportgen\n"
        "store-bokstaver.docx: note: after 'fakta': the heading 'VURDERING:' is written"
        " 'Vurdering' by reportgen\n")
    assert render(cli, "06").code == 0
    shown = texts(empty.output("06.docx"))
    assert [renamed.get(t, t) for t in shown] == texts(source)


# --- documents LibreOffice converted from HTML, ODT and RTF -------------------------------------


@pytest.fixture(scope="module")
def converted(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    """The HTML, flat ODT and RTF documents as LibreOffice converts them to DOCX (one call)."""
    program = soffice()
    folder = tmp_path_factory.mktemp("libreoffice")
    sources = []
    for name, text in CONVERTED.items():
        (folder / name).write_text(text, encoding="utf-8")
        sources.append(folder / name)
    subprocess.run([program, f"-env:UserInstallation={(folder / 'profile').as_uri()}",
                    "--headless", "--convert-to", "docx:MS Word 2007 XML", "--outdir",
                    folder / "docx", *sources], check=True, capture_output=True, timeout=180)
    return {name: folder / "docx" / (Path(name).stem + ".docx") for name in CONVERTED}


@pytest.mark.slow
@pytest.mark.parametrize("name", list(CONVERTED))
def test_documents_libreoffice_converted_render_as_written(
        name: str, converted: dict[str, Path], empty: Project, cli: Any) -> None:
    source = converted[name]
    code = source.stem[:2]

    result = import_(cli, source, "--yes")

    assert result.code == 0, result.err
    assert result.out.startswith(f"read {source.name} as area {code} of 2017-T1: its title")
    assert f"wrote inputs/2017-T1/{code}.yaml\n" in result.out
    assert render(cli, code).code == 0
    rendered = empty.output(f"{code}.docx")
    assert texts(rendered) == texts(source)
    if name.endswith(".html"):
        same_figures(figures_of(rendered)[0], expected_figures(HTML_FIGURES), 1)


# --- a whole report ---------------------------------------------------------------------------

@pytest.fixture
def nothing(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Project:
    """A project whose inputs folder is empty: not even kommune.yaml."""
    made = make_project(tmp_path / "prosjekt")
    (made.inputs / "kommune.yaml").unlink()
    monkeypatch.chdir(made.root)
    return made


@pytest.mark.render
def test_a_whole_report_fills_an_empty_inputs_folder_and_renders_as_written(
        nothing: Project, cli: Any) -> None:
    source = write_report(nothing.root / "tertialrapport-2017-1.docx")

    result = import_(cli, source, "--yes")

    assert result.code == 0, result.err
    assert result.err == "".join(
        f"tertialrapport-2017-1.docx: note: after 'Fakta' in 'Programområde {code}"
        f" {REPORT_AREAS[code]}': no unit (mill. kr or 1000 kr) is named at the figures"
        " table; it was read as mill. kr: change `enhet` if that is wrong\n"
        for code in ("01", "06", "11"))
    lines = result.out.splitlines()
    assert lines[0] == ("read tertialrapport-2017-1.docx as the whole report for 2017-T1: its"
                        " text names the period ('1. tertialrapport 2017', 7 times)")
    summary = lines[lines.index("area 01 Barnehage: inputs/2017-T1/01.yaml (new): ingress,"
                                " fakta, tall (3 row(s)), vurdering, konklusjon, investeringer,"
                                " andre_forhold (1 item(s))"):]
    assert summary == [
        "area 01 Barnehage: inputs/2017-T1/01.yaml (new): ingress, fakta, tall (3 row(s)),"
        " vurdering, konklusjon, investeringer, andre_forhold (1 item(s))",
        "area 02 Oppvekst: inputs/2017-T1/02.yaml (new): ingress, fakta, vurdering, konklusjon,"
        " investeringer, andre_forhold (1 item(s))",
        "area 06 Kultur: inputs/2017-T1/06.yaml (new): ingress, fakta, tall (3 row(s)),"
        " vurdering, konklusjon, investeringer, andre_forhold (1 item(s))",
        "area 09 Idrett, park og natur: inputs/2017-T1/09.yaml (new): ingress, fakta,"
        " vurdering, konklusjon, investeringer, andre_forhold (1 item(s))",
        "area 11 Vei: inputs/2017-T1/11.yaml (new): ingress, fakta, tall (3 row(s)), vurdering,"
        " konklusjon",
        "inputs/kommune.yaml (new): added to the register: 01 Barnehage, 02 Oppvekst, 06 Kultur,"
        " 09 Idrett, park og natur, 11 Vei",
        "rapport.yaml (new): 2 chapter(s) before the areas, 2 after, the proposed resolution"
        " (2 point(s))",
        "not placed: 1, each with its place:",
        "  after 'Vurdering' in 'Programområde 09 Idrett, park og natur': a picture; not"
        " imported",
        "wrote inputs/2017-T1/01.yaml",
        "wrote inputs/2017-T1/02.yaml", "wrote inputs/2017-T1/06.yaml",
        "wrote inputs/2017-T1/09.yaml", "wrote inputs/2017-T1/11.yaml",
        "wrote inputs/2017-T1/rapport.yaml", "wrote inputs/kommune.yaml",
    ]
    kommune = (nothing.inputs / "kommune.yaml").read_text(encoding="utf-8")
    assert kommune == (
        "# The municipality and its register of programme areas\n"
        "kommune: Drammen kommune\nspråk: nb\nprogramområder:\n"
        + "".join(f'  "{code}": {name}\n' for code, name in REPORT_AREAS.items()))
    report = (nothing.inputs / "2017-T1" / "rapport.yaml").read_text(encoding="utf-8")
    assert "      [[tabell skatteinngang-per-april-mill]]\n" in report
    assert "      - ['2016', 1234.5, 1.9]\n" in report

    assert render(cli, "all").code == 0
    whole = texts(nothing.output("tertialrapport.docx"))
    written = texts(source)
    # The overview is reportgen's own: its heading, the reading guide, the areas left out.
    ours = ("Økonomisk oversikt for programområdene", "Slik leser du tabellene:",
            "Disse programområdene har ikke tall", "Programområde 02 har ikke tall")
    shown = [t for t in whole if not t.startswith(ours)]
    # reportgen's cover names the municipality first (as the PDF's cover does); the rest in order
    cover = 4  # the municipality, the title, the subtitle, the date
    assert (sorted(shown[:cover]), shown[cover:]) == (sorted(written[:cover]), written[cover:])
    for code, name in REPORT_AREAS.items():
        title = f"Programområde {code} {name}"
        assert texts(nothing.output(f"{code}.docx")) == section(written, title), code
    tables = [[[c.text for c in row.cells] for row in t.rows]
              for t in open_docx(nothing.output("tertialrapport.docx")).tables]
    skatt = next(t for t in tables if t[0] == SKATT[1])
    assert [[number(c.rstrip(" %\u00a0")) if i else c for i, c in enumerate(row)]
            for row in skatt[1:]] == [[r[0], number(r[1]), number(r[2].rstrip(" %"))]
                                      for r in SKATT[2]]
    again = import_(cli, source, "--yes")
    assert (again.code, again.out.splitlines()[-1]) == (
        0, "nothing to import: the input file already gives this text")


def test_a_whole_report_merges_into_inputs_that_have_part_of_it(
        empty: Project, cli: Any) -> None:
    """Area 01 and rapport.yaml exist: 01.yaml is merged (its comment stays), a chapter the
    document lacks is kept with a warning, and the register gets only the missing areas."""
    source = write_report(empty.root / "rapport.docx")
    empty.write({"inputs/2017-T1/01.yaml": (
        "# Barnehage, skrevet av enhetsleder.\n"
        "ingress: Programområdet barnehage rapporterer et resultat i balanse.\n"
        "økonomisk_status:\n  fakta: Gammel tekst.\n  vurdering: Gammel vurdering.\n"
        "  konklusjon: Gammel konklusjon.\n"),
        "inputs/2017-T1/rapport.yaml": (
            "kapitler_etter:\n  - overskrift: Del 6 Vedlegg\n    tekst: Vedleggene følger.\n")})

    result = import_(cli, source, "--yes")

    assert result.code == 0, result.err
    assert result.err.endswith(
        "inputs/2017-T1/rapport.yaml: warning: the chapter 'Del 6 Vedlegg' is not in the"
        " document; it was kept\n  hint: import with --remove-missing to remove it\n")
    area = (empty.inputs / "2017-T1" / "01.yaml").read_text(encoding="utf-8")
    assert area.startswith("# Barnehage, skrevet av enhetsleder.\ningress: Programområdet")
    assert "Gammel" not in area
    report = (empty.inputs / "2017-T1" / "rapport.yaml").read_text(encoding="utf-8")
    assert report.index("Del 4 Eierstyring") < report.index("Del 5 Menneskelige") < \
        report.index("Del 6 Vedlegg")
    kommune = (empty.inputs / "kommune.yaml").read_text(encoding="utf-8")
    assert kommune.startswith(KOMMUNE.split("programområder:")[0])
    assert '  "01": Barnehage   # fra 2016\n  "02": Oppvekst\n' in kommune
    assert render(cli, "all").code == 0


# --- never destructive by accident ---------------------------------------------------------

EXISTING = """\
# Kultur, skrevet av enhetsleder.
ingress: Gammel ingress.
økonomisk_status:
  fakta: Gammel fakta.
  vurdering: |
    Gammel vurdering.

    # Tiltak

    Tre tiltak er satt i verk:
  konklusjon: Gammel konklusjon.
  tall:
    rader:
      - navn: Bibliotek
        regnskap: 9.6
        budsjett: 9.9
        årsbudsjett: 29.8
        prognose: 29.8
andre_forhold:
  - overskrift: Elvefestivalen 2017
    tekst: Planleggingen er i rute.
"""


def test_parts_the_document_lacks_are_kept_with_a_warning(empty: Project, cli: Any) -> None:
    """A document without a figures table, Andre forhold or the sub-heading 'Tiltak' does
    not remove them from the YAML; each is named in a warning."""
    empty.write({"inputs/kommune.yaml": KOMMUNE.replace('  "08"', '  "06": Kultur\n  "08"'),
                 "inputs/2017-T1/06.yaml": EXISTING})
    blocks = without(area_blocks("06", "Kultur"), "Andre forhold", "Tiltak",
                     "Investeringsbudsjettet")
    source = write_docx(empty.root / "06.docx", blocks)

    result = import_(cli, source, "--yes")

    assert result.code == 0, result.err
    assert result.err == "".join(
        f"inputs/2017-T1/06.yaml: warning: {what}\n"
        "  hint: import with --remove-missing to remove it\n" for what in (
            "the document has no figures table; `tall` was kept",
            "the sub-heading 'Tiltak' under 'Vurdering' is not in the document; it was kept"
            " with the 1 block(s) under it",
            "the item 'Elvefestivalen 2017' under 'Andre forhold' is not in the document; it"
            " was kept"))
    yaml = (empty.inputs / "2017-T1" / "06.yaml").read_text(encoding="utf-8")
    assert yaml.startswith("# Kultur, skrevet av enhetsleder.\ningress: Programområdet")
    assert yaml.endswith(EXISTING[EXISTING.index("  tall:\n"):])  # tall and andre_forhold
    assert "    # Tiltak\n\n    Tre tiltak er satt i verk:\n" in yaml
    assert "kept from the YAML (the document lacks them): 3, see the warnings" in result.out

    removed = import_(cli, source, "--yes", "--remove-missing")

    assert (removed.code, removed.err) == (
        0, "06.docx: note: the figures table is not in the document; `tall` was removed\n")
    yaml = (empty.inputs / "2017-T1" / "06.yaml").read_text(encoding="utf-8")
    assert "tall:" not in yaml and "andre_forhold:" not in yaml and "Tiltak" not in yaml


# --- the round trip does not go in a circle ------------------------------------------------------

def test_edit_import_render_replaces_the_edited_docx_without_force(
        empty: Project, cli: Any) -> None:
    empty.write({"inputs/kommune.yaml": KOMMUNE.replace('  "08"', '  "06": Kultur\n  "08"')})
    assert import_(cli, write_docx(empty.root / "06.docx", area_blocks("06", "Kultur")),
                   "--yes").code == 0
    assert render(cli, "06").code == 0
    output = empty.output("06.docx")
    doc = open_docx(output)  # edited in place, as Word saves it
    paragraph = next(p for p in doc.paragraphs if p.text.startswith("Nytt kulturhus"))
    paragraph.runs[0].text = "Nytt kulturhus er vedtatt av bystyret."
    doc.save(str(output))
    edited = output.read_bytes()
    empty.write({"inputs/2017-T1/06.yaml": (empty.inputs / "2017-T1" / "06.yaml").read_text(
        encoding="utf-8") + "# lest av økonomisjefen\n"})  # the input changes too

    refused = render(cli, "06")
    imported = import_(cli, output, "--yes")
    rendered = cli("render", "06", "2017-T1", "--inputs", "inputs", "--out", "out", "--format",
                   "docx")

    assert refused.code == 1
    assert refused.err == (
        "out/2017-T1/06.docx: error: this file was changed after reportgen wrote it; rendering"
        " would overwrite the edits\n"
        "  hint: bring the edits into the YAML with `reportgen import out/2017-T1/06.docx`,"
        " then render again; or add --force to render anyway, keeping the edited file as a"
        " backup beside it\n")
    assert imported.code == 0, imported.err
    assert imported.out.endswith(
        "wrote inputs/2017-T1/06.yaml\n"
        "noted that out/2017-T1/06.docx was imported: the next render replaces it without"
        " --force, and keeps your edited copy as a backup beside it\n")
    assert rendered.code == 0, rendered.err
    assert rendered.out == "wrote out/2017-T1/06.docx\n"
    backups = sorted(empty.output("").glob("06.edited-*.docx"))
    assert [b.read_bytes() for b in backups] == [edited]
    assert rendered.err.endswith(f"kept your edited copy as out/2017-T1/{backups[0].name} (its"
                                 " edits were imported into the YAML)\n")
    assert "Nytt kulturhus er vedtatt av bystyret." in texts(output)
    assert render(cli, "06").code == 0  # and then nothing is left to do


# --- verified by rendering -------------------------------------------------------------------

def test_a_difference_after_rendering_is_reported_and_nothing_is_written(
        empty: Project, cli: Any, monkeypatch: pytest.MonkeyPatch) -> None:
    """Were the renderer to lose a paragraph, the import would say which and write nothing."""
    from reportgen.render import docx as renderer
    from reportgen.view import Paragraph

    add = renderer._BodyWriter.add

    def losing(self: Any, block: Any) -> None:
        if isinstance(block, Paragraph) and block.spans[0].text.startswith("Tre tiltak"):
            return
        add(self, block)

    monkeypatch.setattr(renderer._BodyWriter, "add", losing)
    source = write_docx(empty.root / "06.docx", area_blocks("06", "Kultur"))
    before = snapshot(empty.inputs)

    result = import_(cli, source, "--yes")

    assert result.code == 1
    assert result.err.endswith(
        "06.docx: error: the new input would not render as the document reads: under"
        " 'Vurdering', block 3: the document has 'Tre tiltak er satt i verk:'; the new input"
        " renders 'Venteliste til høsten / Nye kurs for voksne / Lavere avgift for søsken'\n"
        "  hint: nothing was written. This is a fault in reportgen's import: please report it"
        " with the document; meanwhile, write that part in the YAML\n")
    assert snapshot(empty.inputs) == before


# --- what cannot be placed, by its place in words ------------------------------------------------

def _with_parts_that_cannot_be_placed(empty: Project) -> Path:
    """Area 06 as a DOCX with a picture under Vurdering, a paragraph before the title, a
    heading between Økonomisk status and Fakta (with a paragraph under it) and a comment."""
    blocks = area_blocks("06", "Kultur")
    at = next(i for i, b in enumerate(blocks) if b[0] == "h" and b[2] == "Vurdering")
    blocks.insert(at + 1, ("picture",))
    blocks.insert(0, ("p", "UTKAST – ikke send videre"))
    blocks.insert(4, ("h", 3, "Sammendrag"))  # a heading between Økonomisk status and Fakta
    blocks.insert(5, ("p", "Kort oppsummert går det bra."))
    source = write_docx(empty.root / "06.docx", blocks)
    import docx

    doc = docx.Document(str(source))
    konklusjon = next(p for p in doc.paragraphs if p.text.startswith("Programområdet forventer"))
    doc.add_comment(konklusjon.runs, text="Sjekk beløpet", author="Økonomi")
    doc.save(str(source))
    return source


def test_what_cannot_be_placed_is_listed_by_its_place_in_words(
        empty: Project, cli: Any) -> None:
    source = _with_parts_that_cannot_be_placed(empty)

    result = import_(cli, source, "--yes")

    assert result.code == 0, result.err
    assert result.err == ""
    lines = result.out.splitlines()
    start = lines.index("not placed: 4, each with its place:")
    assert lines[start:start + 5] == [
        "not placed: 4, each with its place:",
        "  at the start: text before the title ('UTKAST – ikke send videre'); not imported",
        "  after 'Økonomisk status': the heading 'Sammendrag', which is not part of an area's"
        " structure; it and the 1 paragraph(s) under it were not imported",
        "  after 'Vurdering': a picture; not imported",
        "  the document has 1 comment(s); comments are not imported",
    ]
    assert render(cli, "06").code == 0
    assert texts(empty.output("06.docx")) == [
        t for t in texts(source) if t not in ("UTKAST – ikke send videre", "Sammendrag",
                                              "Kort oppsummert går det bra.")]


@pytest.fixture
def english_afterwards(monkeypatch: pytest.MonkeyPatch) -> Any:
    """A test that runs the command line with --lang in this process: the messages are in
    English again afterwards (--lang also sets LANGUAGE, for click's own messages)."""
    from reportgen import messages

    monkeypatch.setenv("LANGUAGE", "en")
    yield
    messages.use_language(messages.ENGLISH)


@pytest.mark.parametrize(("language", "lines"), [
    ("nb", ["ikke plassert: 4, hver med sin plass:",
            "  i begynnelsen: tekst før tittelen ('UTKAST – ikke send videre'); ikke importert",
            "  etter 'Økonomisk status': overskriften 'Sammendrag', som ikke hører til"
            " oppbygningen av et programområde; den og 1 avsnitt under den ble ikke importert",
            "  etter 'Vurdering': et bilde; ikke importert",
            "  dokumentet har 1 kommentar; kommentarer importeres ikke"]),
    ("nn", ["ikkje plassert: 4, kvar med sin plass:",
            "  i byrjinga: tekst før tittelen ('UTKAST – ikke send videre'); ikkje importert",
            "  etter 'Økonomisk status': overskrifta 'Sammendrag', som ikkje høyrer til"
            " oppbygginga av eit programområde; ho og 1 avsnitt under ho vart ikkje importerte",
            "  etter 'Vurdering': eit bilete; ikkje importert",
            "  dokumentet har 1 kommentar; kommentarar blir ikkje importerte"]),
])
def test_what_cannot_be_placed_is_listed_in_the_language_of_the_messages(
        empty: Project, cli: Any, english_afterwards: None, language: str,
        lines: list[str]) -> None:
    """The same document as above, with --lang: the same parts are not placed, in words of
    that language (nothing is written: there is no terminal to ask on)."""
    source = _with_parts_that_cannot_be_placed(empty)
    before = snapshot(empty.inputs)

    result = import_(cli, source, "--lang", language)

    assert result.code == 1
    out = result.out.splitlines()
    assert out[out.index(lines[0]):out.index(lines[0]) + 5] == lines
    assert snapshot(empty.inputs) == before


def test_reportgens_own_document_whose_headings_lost_their_styles_proposes_no_deletion(
        empty: Project, cli: Any) -> None:
    """The rendered DOCX with every heading made a bold Normal paragraph (as pasting into a
    new document does): the labels still mark the parts, the items' bold headings the
    items; nothing is proposed, and the sub-heading stays one."""
    empty.write({"inputs/kommune.yaml": KOMMUNE.replace('  "08"', '  "06": Kultur\n  "08"'),
                 "inputs/2017-T1/06.yaml": EXISTING})
    assert render(cli, "06").code == 0
    doc = open_docx(empty.output("06.docx"))
    for paragraph in doc.paragraphs:
        if paragraph.style.name.startswith("Heading"):
            paragraph.style = doc.styles["Normal"]
            for run in paragraph.runs:
                run.bold = True
    doc.save(str(empty.root / "uten-stiler.docx"))

    result = import_(cli, empty.root / "uten-stiler.docx", "--yes")

    assert (result.code, result.out) == (
        0, "nothing to import: the input file already gives this text\n")
    assert result.err == (
        "inputs/2017-T1/06.yaml: warning: the sub-heading 'Tiltak' under 'Vurdering' is"
        " ordinary text in the document; it was kept as a sub-heading\n"
        "  hint: import with --remove-missing to take it as the text the document has\n")
    assert (empty.inputs / "2017-T1" / "06.yaml").read_text(encoding="utf-8") == EXISTING


# --- where a document goes: the options, or its title and text --------------------------------

def test_the_options_place_a_document_that_names_no_area(empty: Project, cli: Any) -> None:
    blocks = [("h", 1, "Kultur")] + area_blocks("06", "Kultur")[1:]
    source = write_docx(empty.root / "kultur.docx", blocks)

    result = import_(cli, source, "--yes", "--area", "06", "--period", "2017-T1")

    assert result.code == 0, result.err
    assert result.out.splitlines()[0] == (
        "read kultur.docx as area 06 of 2017-T1: --area says the area, and --period says the"
        " period")
    assert "kommune.yaml (changed): added to the register: 06 Kultur" in result.out


@pytest.mark.parametrize(("lead", "message", "hint"), [
    ("Programområdet rapporterer et resultat i balanse.",
     "cannot tell which period this document is for: its text names no tertial (such as"
     " '1. tertial 2017' or 'per april 2017')",
     "add --area and --period, such as --area 06 --period 2017-T1"),
    ("Resultatet for 1. tertial 2017 er bedre enn for 1. tertial 2016.",
     "cannot tell which period this document is for: its text names 2017-T1 ('1. tertial"
     " 2017') and 2016-T1 ('1. tertial 2016') as often",
     "add --area and --period, such as --area 06 --period 2017-T1"),
], ids=["no-period", "two-periods"])
def test_a_document_that_does_not_say_its_period_asks_for_it(
        lead: str, message: str, hint: str, empty: Project, cli: Any) -> None:
    blocks = area_blocks("06", "Kultur")
    blocks[1] = ("p", lead)
    source = write_docx(empty.root / "kultur.docx", blocks)
    before = snapshot(empty.inputs)

    result = import_(cli, source, "--yes")

    assert (result.code, result.out) == (1, "")
    assert result.err == f"kultur.docx: error: {message}\n  hint: {hint}\n"
    assert snapshot(empty.inputs) == before


def test_area_picks_one_area_of_a_whole_report(empty: Project, cli: Any) -> None:
    source = write_report(empty.root / "rapport.docx")

    result = import_(cli, source, "--yes", "--area", "06")

    assert result.code == 0, result.err
    assert result.out.splitlines()[0] == (
        "read rapport.docx as the whole report for 2017-T1: its text names the period"
        " ('1. tertialrapport 2017', 7 times); only area 06 is imported")
    assert sorted(p.name for p in (empty.inputs / "2017-T1").iterdir()) == ["06.yaml"]


def test_options_that_contradict_reportgens_own_document_are_a_usage_error(
        empty: Project, cli: Any) -> None:
    empty.write({"inputs/kommune.yaml": KOMMUNE, "inputs/2017-T1/08.yaml": EXISTING})
    assert render(cli, "08").code == 0

    result = import_(cli, empty.output("08.docx"), "--area", "06")

    assert (result.code, result.out) == (2, "")
    assert result.err == (
        "error: this document is area 08 of 2017-T1 (reportgen wrote it, and its properties say"
        " so), not what --area and --period say\n"
        "  hint: leave out --area and --period: reportgen's own documents name their area and"
        " period\n")


# --- tables anywhere ---------------------------------------------------------------------------

WITH_TABLE = """\
ingress: Kort ingress.
økonomisk_status:
  fakta: Forbruk i tråd med budsjett.
  vurdering: |
    Skatteinngangen er høyere enn i fjor.

    [[tabell skatt]]

    [[diagram skatt]]

    Mer tekst.
  konklusjon: Årsresultat i balanse.
tabeller:
  skatt:
    tittel: Skatteinngang
    enhet: mill. kr
    kolonner:
      - navn: År
        type: tekst
      - navn: Beløp
        type: beløp
    rader:
      - ["2016", 1234.5]
      - ["2017", 1260.1]
    diagram: søyle
"""


def test_a_table_placed_in_a_text_comes_back_to_its_place(empty: Project, cli: Any) -> None:
    """reportgen's own document with a table and its chart in Vurdering: unedited, nothing
    to import (before, the table became its caption's text); an edited cell updates the row."""
    empty.write({"inputs/2017-T1/08.yaml": WITH_TABLE})
    assert render(cli, "08").code == 0

    unedited = import_(cli, empty.output("08.docx"), "--yes")
    doc = open_docx(empty.output("08.docx"))
    doc.tables[0].rows[2].cells[1].paragraphs[0].runs[0].text = "1 270,0"
    doc.save(str(empty.root / "08-redigert.docx"))
    edited = import_(cli, empty.root / "08-redigert.docx", "--yes")

    assert (unedited.code, unedited.err, unedited.out) == (
        0, "", "nothing to import: the input file already gives this text\n")
    assert (edited.code, edited.err) == (0, "")
    assert (empty.inputs / "2017-T1" / "08.yaml").read_text(encoding="utf-8") == \
        WITH_TABLE.replace('["2017", 1260.1]', '["2017", 1270.0]')


@pytest.mark.render
def test_the_whole_sample_report_unedited_imports_as_nothing_to_import(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch, cli: Any) -> None:
    """The repository's own inputs rendered and imported back: every area and rapport.yaml
    unchanged, nothing written. Before, a chart right after a table with a note took the
    note for its caption, and its own caption below it came back as a paragraph of text."""
    root = tmp_path / "prosjekt"
    shutil.copytree(Path(__file__).resolve().parent.parent / "inputs", root / "inputs")
    monkeypatch.chdir(root)
    assert render(cli, "all").code == 0
    before = snapshot(root / "inputs")
    done = import_(cli, root / "out" / "2017-T1" / "tertialrapport.docx", "--period",
                   "2017-T1", "--yes")
    assert done.code == 0
    # Only notes: the overview's own paragraphs (made by reportgen) are left out, and said so.
    assert [line.split(": ", 2)[1] for line in done.err.splitlines()] == ["note"], done.err
    assert "rapport.yaml (unchanged)" in done.out and "(changed)" not in done.out
    assert done.out.endswith("nothing to import: the input file already gives this text\n")
    assert snapshot(root / "inputs") == before
