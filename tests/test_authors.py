"""Fourteen authors and one deadline (issue 12): a period started with `reportgen new all
2017-T2 --from 2017-T1` on a copy of the real inputs, then edited file by file as its authors
would: some areas done, some with placeholders left, some with errors, one not started.

`check` groups the problems per area and ends with a summary; `status` gives each area's
state (an edited DOCX waiting for import included); `render` refuses placeholders and
unreviewed text; `render all --draft` renders the ready areas, marked UTKAST in all three
formats; `new` marks what it copied; every file under inputs/ that is not read is named.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import time
import zipfile
from collections.abc import Callable, Iterator
from pathlib import Path

import pikepdf
import pytest
from helpers import INPUTS, Project, Result, make_project, run_cli, snapshot
from readers import docx_blocks, html_document, open_docx

PERIOD = "2017-T2"
FOLDER = f"inputs/{PERIOD}"
MARK = "# UTKAST: uendret fra 2017-T1 (slett linjen når teksten stemmer for 2017-T2)"
AMOUNTS = {"regnskap": "10.0", "budsjett": "10.5", "årsbudsjett": "31.0", "prognose": "31.0"}
LONG = " ".join(["ord"] * 31) + "."
BANNER = "UTKAST – ikke ferdig, skal ikke publiseres"
CHANGED = 1_504_267_200  # 2017-09-01 12:00 UTC: when every input "last changed"


# --- the authors' edits -----------------------------------------------------------------------

def fill_amounts(text: str) -> str:
    """Every amount `new` emptied, filled in."""
    return re.sub(r"^( +)(regnskap|budsjett|årsbudsjett|prognose):\s*# FYLL UT \(per august"
                  r" 2017\)$", lambda m: f"{m.group(1)}{m.group(2)}: {AMOUNTS[m.group(2)]}",
                  text, flags=re.M)


def fill_texts(text: str) -> str:
    """Every «FYLL UT» text written."""
    return re.sub(r"FYLL UT: (\w+) per august 2017\.", r"Ny \1 for august 2017.", text)


def confirm(text: str) -> str:
    """Every copied text read and confirmed: the marker lines deleted."""
    return "".join(line for line in text.splitlines(keepends=True)
                   if not line.lstrip().startswith("# UTKAST: uendret fra"))


def done(text: str) -> str:
    return confirm(fill_texts(fill_amounts(text)))


EDITS: dict[str, Callable[[str], str]] = {
    "01": done,
    "02": done,
    "03": done,
    "04": lambda t: done(t).replace("Ny fakta for august 2017.", LONG, 1),  # a warning
    "05": fill_amounts,  # the texts still FYLL UT, the copied ones not reviewed
    "06": lambda t: fill_texts(fill_amounts(t)),  # the copied texts not reviewed
    "07": lambda t: re.sub(r"^  fakta: (\|-\n    )?'?Ny fakta for august 2017\.'?$",
                           "  fakta: Merk: forbruket er i tråd med budsjett.", done(t),
                           flags=re.M),  # a colon in a one-line text
    "08": lambda t: fill_texts(t).replace("Ny vurdering", "FYLL UT: vurdering").replace(
        f"{MARK}\ningress:", "ingress:"),  # Vurdering to write, Andre forhold to review
    "09": lambda t: done(t).replace("  vurdering:", "  vurderring:"),  # a misspelt key
    # 10-13 as `new` left them: the amounts are empty; 14 is not started.
}


def edit(inputs: Path) -> None:
    """Each author's edits; then the traps: a copy, a misnamed file, a misnamed folder."""
    folder = inputs / PERIOD
    for code, change in EDITS.items():
        path = folder / f"{code}.yaml"
        path.write_text(change(path.read_text(encoding="utf-8")), encoding="utf-8")
    (folder / "14.yaml").unlink()
    shutil.copyfile(folder / "08.yaml", folder / "08.yml")
    shutil.copyfile(folder / "08.yaml", folder / "08 kopi.yaml")
    (inputs / "2017-2").mkdir()
    for path in [*inputs.rglob("*.yaml"), *inputs.rglob("*.yml")]:
        os.utime(path, (CHANGED, CHANGED))


@pytest.fixture(scope="module")
def started(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[Path, Result]]:
    """The period as `new all` makes it from the real inputs (and what `new` printed)."""
    root = make_project(tmp_path_factory.mktemp("periode") / "prosjekt").root
    shutil.rmtree(root / "inputs")
    shutil.copytree(INPUTS, root / "inputs")
    here = Path.cwd()
    os.chdir(root)
    try:
        yield root, run_cli("new", "all", PERIOD, "--from", "2017-T1")
    finally:
        os.chdir(here)


@pytest.fixture
def period(started: tuple[Path, Result], tmp_path: Path,
           monkeypatch: pytest.MonkeyPatch) -> Project:
    """A copy of the started period, edited by its authors; the working directory."""
    made = make_project(tmp_path / "prosjekt")
    shutil.rmtree(made.inputs)
    shutil.copytree(started[0] / "inputs", made.inputs)
    edit(made.inputs)
    monkeypatch.chdir(made.root)
    return made


@pytest.fixture
def utc(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    """Times shown in UTC."""
    monkeypatch.setenv("TZ", "UTC")
    time.tzset()
    yield
    monkeypatch.undo()
    time.tzset()


def problems(stderr: str) -> list[str]:
    """The first line of each problem printed (no headings, no hints)."""
    return [line for line in stderr.splitlines() if not line.startswith(("  ", "== "))]


def headings(stderr: str) -> list[str]:
    return [line for line in stderr.splitlines() if line.startswith("== ")]


# --- new --------------------------------------------------------------------------------------

def test_new_marks_what_it_copied_and_carries_rapport_yaml(
        started: tuple[Path, Result]) -> None:
    root, result = started
    assert result.code == 0, result.err
    assert result.out == "".join(
        f"wrote {FOLDER}/{code:02d}.yaml (from 2017-T1)\n" for code in range(1, 15)) + (
        f"wrote {FOLDER}/rapport.yaml (from 2017-T1)\n"
        "next: fill in what is marked FYLL UT; read each text under a line «# UTKAST: uendret"
        " fra 2017-T1», change what no longer holds for 2017-T2, then delete that line;"
        " `reportgen check 2017-T2` lists what is left\n")
    area = (root / FOLDER / "08.yaml").read_text(encoding="utf-8")
    assert area.startswith("# Laget med `reportgen new` fra 2017-T1 for 2017-T2.\n")
    # The ingress is kept (authors edit rather than retype), marked as not yet reviewed; so
    # is each Andre forhold item. The texts to write anew are placeholders.
    assert f"{MARK}\ningress: |\n  Ny strategisk næringsplan" in area
    assert area.count(f"  {MARK}\n  - overskrift: ") == 3
    assert "  fakta: 'FYLL UT: fakta per august 2017.'\n" in area
    report = (root / FOLDER / "rapport.yaml").read_text(encoding="utf-8")
    assert f"{MARK}\ntittel: 2. tertialrapport 2017\n" in report
    assert f"{MARK}\nundertittel: Rådmannens forslag\n" in report
    assert f"{MARK}\nforslag_til_vedtak:\n  - Bystyret tar 2. tertialrapport 2017" in report
    assert report.count(f"  {MARK}\n  - overskrift: Del ") == 4  # the chapters
    assert ("dato:  # skriv datoen (ÅÅÅÅ-MM-DD), eller la den stå tom: da brukes 2017-08-31\n"
            in report)
    for text in (area, report):  # one header, and only `new`'s marks
        assert text.count("# Laget med `reportgen new`") == 1


def test_new_replaces_its_header_and_marks_instead_of_stacking_them(
        period: Project, cli: Callable[..., Result]) -> None:
    result = cli("new", "06", "2017-T3", "--from", PERIOD)
    assert result.code == 0, result.err
    assert result.out.startswith(
        "wrote inputs/2017-T3/06.yaml (from 2017-T2)\n"
        "note: inputs/2017-T3/rapport.yaml is not made for single areas: `reportgen new all"
        " 2017-T3` makes it from 2017-T2's (and keeps the area files already there)\n")
    text = (period.inputs / "2017-T3" / "06.yaml").read_text(encoding="utf-8")
    assert text.startswith("# Laget med `reportgen new` fra 2017-T2 for 2017-T3.\n")
    assert text.count("# Laget med") == 1 and "uendret fra 2017-T1" not in text
    assert text.count("# UTKAST: uendret fra 2017-T2 (slett linjen når teksten stemmer for"
                      " 2017-T3)\n") == 2  # the ingress and the Andre forhold item


def test_copied_text_is_unreviewed_until_changed_or_confirmed(
        period: Project, cli: Callable[..., Result]) -> None:
    path = period.inputs / PERIOD / "06.yaml"
    unreviewed = [p for p in problems(cli("check", PERIOD, "06").err) if "unchanged" in p]
    assert unreviewed == [
        f"{FOLDER}/06.yaml:7:1: warning: ingress: unchanged since 2017-T1, not yet reviewed",
        f"{FOLDER}/06.yaml:35:5: warning: andre_forhold[0] 'Elvefestivalen 2017': unchanged since"
        " 2017-T1, not yet reviewed",
    ]
    text = path.read_text(encoding="utf-8")
    text = text.replace("Elvefestivalen 2017", "Elvefestivalen 2017 ble gjennomført", 1)
    text = text.replace(f"{MARK}\ningress:", "ingress:")  # the ingress confirmed as it is
    path.write_text(text, encoding="utf-8")
    result = cli("check", PERIOD, "06")
    assert result.code == 0
    assert [p for p in problems(result.err) if "unchanged" in p] == []
    assert result.out == (f"{PERIOD}: 1 area ready, 0 with warnings, 0 with errors"
                          " (0 errors, 0 warnings)\n")


# --- check ------------------------------------------------------------------------------------

SUMMARY = (f"{PERIOD}: 3 areas ready, 1 with warnings, 3 unfinished, 6 with errors, 1 missing"
           " (50 errors, 48 warnings); rapport.yaml: 10 warnings (10 unfinished)\n")


def test_check_groups_problems_per_area_and_ends_with_a_summary(
        period: Project, cli: Callable[..., Result]) -> None:
    before = snapshot(period.root)
    result = cli("check", PERIOD)
    assert (result.code, result.out) == (1, SUMMARY)
    assert headings(result.err) == [
        "== 01 Barnehage: ready",
        "== 02 Oppvekst: ready",
        "== 03 Samfunnssikkerhet: ready",
        "== 04 Byutvikling: 1 warning",
        "== 05 Helse-, sosial og omsorg: 6 warnings (6 unfinished)",
        "== 06 Kultur: 2 warnings (2 unfinished)",
        "== 07 Ledelse, organisering og styring: 1 error",
        "== 08 Kompetanse, markedsføring og næring: 8 warnings (4 unfinished)",
        "== 09 Idrett, park og natur: 1 error",
        "== 10 Politisk styring: 16 errors, 4 warnings (4 unfinished)",
        "== 11 Vei: 8 errors, 5 warnings (5 unfinished)",
        "== 12 Grunnskole: 16 errors, 5 warnings (5 unfinished)",
        "== 13 Introduksjonstjenester: 8 errors, 5 warnings (5 unfinished)",
        "== 14 Vann og avløp: no input file",
        "== rapport.yaml: 10 warnings (10 unfinished)",
        "== not read: files and folders under the inputs folder",
    ]
    # Area 08's warnings stand beside the other areas' errors, under its own heading.
    section = result.err.split("== 08 Kompetanse, markedsføring og næring", 1)[1].split(
        "\n== ", 1)[0]
    assert problems(section)[1:] == [
        f"{FOLDER}/08 kopi.yaml: warning: ignored: an area file is named by its code alone,"
        " such as 08.yaml",
        f"{FOLDER}/08.yaml:8:10: warning: ingress: a sentence of 35 words: «For å øke antall"
        " nye arbeidsplasser i Drammen …»",
        f"{FOLDER}/08.yaml:13:14: warning: økonomisk_status.vurdering: still holds the"
        " placeholder «FYLL UT»",
        f"{FOLDER}/08.yaml:19:5: warning: andre_forhold[0] 'Strategisk næringsplan': unchanged"
        " since 2017-T1, not yet reviewed",
        f"{FOLDER}/08.yaml:24:5: warning: andre_forhold[1] 'Næringsvekst 2020': unchanged"
        " since 2017-T1, not yet reviewed",
        f"{FOLDER}/08.yaml:25:12: warning: andre_forhold.1.tekst: a sentence of 46 words:"
        " «Omdømmeprosjektet har vart i ti år, og forlenges …»",
        f"{FOLDER}/08.yaml:33:5: warning: andre_forhold[2] 'Kontaktutvalget for næringslivet':"
        " unchanged since 2017-T1, not yet reviewed",
        f"{FOLDER}/08.yml: warning: ignored: not an input file name; did you mean 08.yaml?",
    ]
    # The YAML mistake and the misspelt key, each one problem in words.
    assert result.err.split("== 07 Ledelse, organisering og styring: 1 error\n")[1].startswith(
        f"{FOLDER}/07.yaml:11:14: error: the text of `fakta` holds a colon followed by a space"
        " (`: `), which YAML reads as the start of a new key\n"
        "  hint: write the text as a block: put `|` after the key and the text on the next"
        " lines, indented:\n"
        "      fakta: |\n"
        "        Merk: forbruket er i tråd med budsjett.\n== ")
    assert result.err.split("== 09 Idrett, park og natur: 1 error\n")[1].startswith(
        f"{FOLDER}/09.yaml:11:3: error: unknown key 'vurderring' under økonomisk_status; did"
        " you mean 'vurdering'?\n")
    assert snapshot(period.root) == before


def test_check_of_one_area_and_quiet(period: Project, cli: Callable[..., Result]) -> None:
    result = cli("check", PERIOD, "08")
    assert result.code == 0
    assert headings(result.err) == [
        "== 08 Kompetanse, markedsføring og næring: 8 warnings (4 unfinished)"]
    assert result.out == (f"{PERIOD}: 0 areas ready, 0 with warnings, 1 unfinished, 0 with"
                          " errors (0 errors, 8 warnings)\n")
    assert cli("check", PERIOD, "08", "--strict").code == 1
    quiet = cli("check", PERIOD, "--quiet")
    assert (quiet.code, quiet.out, quiet.err) == (1, SUMMARY, "")
    missing = cli("check", PERIOD, "14")
    assert missing.code == 1
    assert problems(missing.err) == [f"{FOLDER}/14.yaml: error: no input for area 14 in 2017-T2"]


# --- render -----------------------------------------------------------------------------------

def test_render_refuses_placeholders_and_unreviewed_text(
        period: Project, cli: Callable[..., Result]) -> None:
    result = cli("render", "08", PERIOD, "--out", "out")
    assert result.code == 1
    assert problems(result.err) == [
        "inputs/2017-2: warning: ignored: not a period; did you mean 2017-T2?",
        f"{FOLDER}/08 kopi.yaml: warning: ignored: an area file is named by its code alone,"
        " such as 08.yaml",
        f"{FOLDER}/08.yml: warning: ignored: not an input file name; did you mean 08.yaml?",
        f"{FOLDER}/08.yaml:13:14: error: økonomisk_status.vurdering: still holds the"
        " placeholder «FYLL UT»",
        f"{FOLDER}/08.yaml:19:5: error: andre_forhold[0] 'Strategisk næringsplan': unchanged"
        " since 2017-T1, not yet reviewed",
        f"{FOLDER}/08.yaml:24:5: error: andre_forhold[1] 'Næringsvekst 2020': unchanged since"
        " 2017-T1, not yet reviewed",
        f"{FOLDER}/08.yaml:33:5: error: andre_forhold[2] 'Kontaktutvalget for næringslivet':"
        " unchanged since 2017-T1, not yet reviewed",
    ]
    assert ("  hint: write the text for this period in its place; or add --draft to render a"
            " draft (marked UTKAST)\n") in result.err
    assert ("  hint: read it and change what no longer holds for 2017-T2; when it is right,"
            " delete the line «# UTKAST: uendret fra 2017-T1 …» above it (line 18); or add"
            " --draft to render a draft (marked UTKAST)\n") in result.err
    assert not period.out.exists()
    # The whole report is refused too, for the areas' problems and rapport.yaml's.
    whole = cli("render", "all", PERIOD, "--out", "out", "--format", "html")
    assert whole.code == 1 and f"{FOLDER}/rapport.yaml:7:1: error: tittel: unchanged" in whole.err
    assert not period.out.exists()


@pytest.mark.render
def test_a_draft_renders_the_ready_areas_marked_utkast(
        period: Project, cli: Callable[..., Result]) -> None:
    result = cli("render", "all", PERIOD, "--out", "out", "--draft",
                 "--format", "docx,pdf,html,site")
    assert result.code == 0, result.err
    left_out = [line for line in result.err.splitlines() if line.startswith("left out")]
    assert left_out == [
        "left out of the draft: 14 Vann og avløp: no input file",
        "left out of the draft: 07 Ledelse, organisering og styring: 1 error (see `reportgen"
        " check 2017-T2 07`)",
        "left out of the draft: 09 Idrett, park og natur: 1 error (see `reportgen check 2017-T2"
        " 09`)",
        "left out of the draft: 10 Politisk styring: 16 errors, 4 warnings (4 unfinished) (see"
        " `reportgen check 2017-T2 10`)",
        "left out of the draft: 11 Vei: 8 errors, 5 warnings (5 unfinished) (see `reportgen"
        " check 2017-T2 11`)",
        "left out of the draft: 12 Grunnskole: 16 errors, 5 warnings (5 unfinished) (see"
        " `reportgen check 2017-T2 12`)",
        "left out of the draft: 13 Introduksjonstjenester: 8 errors, 5 warnings (5 unfinished)"
        " (see `reportgen check 2017-T2 13`)",
    ]
    folder = period.out / PERIOD
    rendered = ["01", "02", "03", "04", "05", "06", "08", "tertialrapport"]
    assert sorted(p.name for p in folder.iterdir() if not p.name.startswith(".")) == sorted(
        [*(f"{name}.{fmt}" for name in rendered for fmt in ("docx", "html", "pdf")), "nettsted"])
    missing = [f"Programområde {code} {name} – mangler" for code, name in (
        ("07", "Ledelse, organisering og styring"), ("09", "Idrett, park og natur"),
        ("10", "Politisk styring"), ("11", "Vei"), ("12", "Grunnskole"),
        ("13", "Introduksjonstjenester"), ("14", "Vann og avløp"))]
    for name in rendered:
        _assert_draft(folder, name, missing if name == "tertialrapport" else [])
    _assert_draft_site(folder / "nettsted", rendered, missing)


def _assert_draft_site(site: Path, rendered: list[str], missing: list[str]) -> None:
    """Every page of a draft's web site says UTKAST at its top and asks not to be indexed; an
    area left out has a page that says so, under Del 3, and no documents to download."""
    pages = sorted(site.glob("*.html"))
    assert pages
    for path in pages:
        page = html_document(path)
        banner = page.find("header").find("p")
        assert (banner.attrs.get("class"), banner.text()) == ("draft-banner", BANNER), path.name
        assert page.find("title").text().startswith("UTKAST: "), path.name
        robots = [m for m in page.find_all("meta") if m.attrs.get("name") == "robots"]
        assert [m.attrs["content"] for m in robots] == ["noindex"], path.name
    left_out = html_document(site / "07.html")
    assert left_out.find("h1").text().replace("\xa0", " ") == missing[0]  # no-break: typeset
    assert "ikke med i dette utkastet" in left_out.find("main").text()
    assert not left_out.find_all("aside")  # no documents to download
    index = html_document(site / "index.html")
    menu = [n for n in index.find_all("nav") if n.attrs.get("class") == "main-menu"][0]
    entries = [a.text().replace("\xa0", " ") for a in menu.find_all("a")]
    assert [entry for entry in entries if entry.endswith("– mangler")] == missing
    documents = sorted(p.name for p in (site / "dokumenter").iterdir())
    assert documents == sorted(f"{name}.{fmt}" for name in rendered for fmt in ("docx", "pdf"))


def _assert_draft(folder: Path, name: str, missing: list[str]) -> None:
    """UTKAST at the top of the DOCX and the HTML and on every page of the PDF; the PDF not
    labelled PDF/A; the areas left out named, as "mangler", in the contents of all three."""
    docx = docx_blocks(folder / f"{name}.docx")
    assert docx[0] == (0, BANNER), name
    with zipfile.ZipFile(folder / f"{name}.docx") as package:  # its status, for archives
        assert b"<cp:contentStatus>UTKAST</cp:contentStatus>" in package.read("docProps/core.xml")
    page = html_document(folder / f"{name}.html")
    body = page.find("body")
    first = [c for c in body.children if not isinstance(c, str) and c.tag != "a"][0]
    assert (first.tag, first.attrs.get("class"), first.text()) == ("p", "draft-banner", BANNER)
    assert page.find("title").text().startswith("UTKAST: ")
    pages = _pdftotext_pages(folder / f"{name}.pdf")
    assert pages and all("UTKAST" in text.split() for text in pages), name
    with pikepdf.open(folder / f"{name}.pdf") as pdf:
        meta = pdf.open_metadata()
        assert meta.get("pdfaid:part") is None and meta.get("pdfaid:conformance") is None
        assert meta.get("pdfuaid:part") == "1"
        assert "pdfaid" not in bytes(pdf.Root.Metadata.read_bytes()).decode("utf-8")
    if missing:
        contents = [p.text for p in open_docx(folder / f"{name}.docx").paragraphs
                    if p.style.name == "TOC 2"]
        assert [e for e in contents if e.endswith("– mangler")] == missing
        nav = [a.text() for a in page.find("nav").find_all("a")]
        assert [e for e in nav if e.endswith("– mangler")] == missing
        assert all(entry in pages[1] for entry in missing)  # the contents page


def _pdftotext_pages(path: Path) -> list[str]:
    """Each page's text as pdftotext reads it in content order (-raw: the watermark is
    rotated, and the layout mode cuts rotated words into letters)."""
    count = int(re.search(r"Pages:\s+(\d+)", subprocess.run(
        ["pdfinfo", str(path)], capture_output=True, text=True, check=True).stdout).group(1))
    return [subprocess.run(["pdftotext", "-raw", "-f", str(n), "-l", str(n), str(path), "-"],
                           capture_output=True, text=True, check=True).stdout
            for n in range(1, count + 1)]


def test_a_draft_docx_edited_in_word_imports_without_its_mark(
        period: Project, cli: Callable[..., Result]) -> None:
    result = cli("render", "05", PERIOD, "--draft", "--out", "out", "--format", "docx", "-q")
    assert result.code == 0, result.err
    before = snapshot(period.inputs)
    result = cli("import", f"out/{PERIOD}/05.docx", "--yes")
    assert (result.code, result.out, result.err) == (
        0, "nothing to import: the input file already gives this text\n", "")
    assert snapshot(period.inputs) == before


# --- status -----------------------------------------------------------------------------------

STATUS = """\
AREA  NAME                                 STATE                           ERRORS  WARNINGS  FYLL UT  UNREVIEWED  OUTPUTS         INPUT CHANGED
01    Barnehage                            ready                           0       0         0        0           none            {when}
02    Oppvekst                             rendered, up to date            0       0         0        0           up to date      {when}
03    Samfunnssikkerhet                    edited DOCX waiting for import  0       0         0        0           edited 03.docx  {when}
04    Byutvikling                          warnings                        0       1         0        0           none            {when}
05    Helse-, sosial og omsorg             placeholders left               0       6         3        3           none            {when}
06    Kultur                               placeholders left               0       2         0        2           none            {when}
07    Ledelse, organisering og styring     errors                          1       0         0        0           none            {when}
08    Kompetanse, markedsføring og næring  placeholders left               0       8         1        3           none            {when}
09    Idrett, park og natur                errors                          1       0         0        0           none            {when}
10    Politisk styring                     errors                          16      4         3        1           none            {when}
11    Vei                                  errors                          8       5         3        2           none            {when}
12    Grunnskole                           errors                          16      5         3        2           none            {when}
13    Introduksjonstjenester               errors                          8       5         3        2           none            {when}
14    Vann og avløp                        missing                         0       1         0        0           none            -
      rapport.yaml (tertialrapport)        placeholders left               0       10        0        10          none            {when}
not read: inputs/2017-2 (see `reportgen check 2017-T2`)
"""  # noqa: E501 (the table as printed)


@pytest.mark.render
def test_status_gives_each_area_its_state(period: Project, cli: Callable[..., Result],
                                          utc: None) -> None:
    assert cli("render", "02", "03", PERIOD, "--out", "out", "--quiet").code == 0
    edited = period.out / PERIOD / "03.docx"  # polished in Word, not yet imported
    document = open_docx(edited)
    document.paragraphs[-1].text = "Endret i Word."
    document.save(edited)
    before = snapshot(period.root)
    result = cli("status", PERIOD, "--out", "out")
    assert (result.code, result.err) == (0, "")
    assert result.out == STATUS.replace("{when}", "2017-09-01 12:00") + SUMMARY
    data = json.loads(cli("status", PERIOD, "--out", "out", "--json").out)
    states = {area["code"]: area["state"] for area in data["areas"]}
    assert states == {"01": "ready", "02": "rendered", "03": "edited", "04": "warnings",
                      "05": "unfinished", "06": "unfinished", "07": "errors", "08": "unfinished",
                      "09": "errors", "10": "errors", "11": "errors", "12": "errors",
                      "13": "errors", "14": "missing"}
    assert data["areas"][2]["outputs"] == {"up_to_date": True, "draft": False,
                                           "edited": ["03.docx"], "rendered": True}
    assert data["areas"][0]["changed"] == "2017-09-01T12:00:00+00:00"
    assert data["report"]["state"] == "unfinished" and data["summary"] == SUMMARY.rstrip()
    assert snapshot(period.root) == before


@pytest.fixture
def in_bokmal() -> Iterator[None]:
    """reportgen's messages (and serve's own pages) in bokmål, as LANG=nb_NO gives them."""
    from reportgen import messages

    messages.use_language("nb")
    try:
        yield
    finally:
        messages.use_language(messages.ENGLISH)


@pytest.mark.usefixtures("in_bokmal")
def test_the_serve_index_shows_the_same_states(period: Project) -> None:
    from reportgen.commands.serve import EVERYTHING, Preview, index_page
    from reportgen.period import Period

    logged: list[str] = []
    preview = Preview(Period.parse(PERIOD), Path("inputs"), Path("templates"), logged.append,
                      out=Path("out"))
    preview.update({EVERYTHING})
    items = re.findall(r"<li>(.*?)</li>", index_page(preview.snapshot(), Period.parse(PERIOD)))
    shown = [re.sub(r"<[^>]+>", "", item) for item in items]
    assert shown[1] == "Nettstedet (hele rapporten slik den publiseres)"
    assert shown[2:] == [
        "01 Barnehage – klar", "02 Oppvekst – klar", "03 Samfunnssikkerhet – klar",
        "04 Byutvikling – advarsler (1)",
        "05 Helse-, sosial og omsorg – plassholdere eller ulest tekst igjen (6)",
        "06 Kultur – plassholdere eller ulest tekst igjen (2)",
        "07 Ledelse, organisering og styring – 1 feil",
        "08 Kompetanse, markedsføring og næring – plassholdere eller ulest tekst igjen (6)",
        "09 Idrett, park og natur – 1 feil", "10 Politisk styring – 16 feil", "11 Vei – 8 feil",
        "12 Grunnskole – 16 feil", "13 Introduksjonstjenester – 8 feil",
        "14 Vann og avløp – mangler",
    ]


# --- traps ------------------------------------------------------------------------------------

def test_every_file_that_is_not_read_is_named(period: Project,
                                              cli: Callable[..., Result]) -> None:
    result = cli("check", PERIOD)
    rest = result.err.split("== not read: files and folders under the inputs folder\n", 1)[1]
    assert rest == (
        "inputs/2017-2: warning: ignored: not a period; did you mean 2017-T2?\n"
        "  hint: inputs/2017-T2 is the folder reportgen reads; move this one out of the inputs"
        " folder\n")
    assert (f"{FOLDER}/08.yml: warning: ignored: not an input file name; did you mean 08.yaml?\n"
            "  hint: 08.yaml is the file reportgen reads; remove this one or move it out of the"
            " inputs folder\n") in result.err
    assert (f"{FOLDER}/08 kopi.yaml: warning: ignored: an area file is named by its code alone,"
            " such as 08.yaml\n"
            "  hint: reportgen reads 08.yaml; move this copy out of the inputs folder\n"
            ) in result.err
    # With the real file moved away, `render` says which file it found instead.
    (period.inputs / PERIOD / "08.yaml").unlink()
    (period.inputs / PERIOD / "08 kopi.yaml").unlink()
    render = cli("render", "08", PERIOD, "--out", "out")
    assert render.code == 1
    assert render.err.endswith(
        f"{FOLDER}/08.yaml: error: no input for area 08 in 2017-T2\n"
        "  hint: there is 08.yml: rename it 08.yaml\n")
    assert f"{FOLDER}/08.yml: warning: ignored: not an input file name; did you mean 08.yaml?\n" \
        "  hint: rename it 08.yaml\n" in render.err


def test_a_period_folder_named_otherwise_and_a_lowercase_period(
        period: Project, cli: Callable[..., Result]) -> None:
    assert cli("check", "2017-t2", "08").out == cli("check", PERIOD, "08").out
    shutil.rmtree(period.inputs / "2017-2")
    (period.inputs / PERIOD).rename(period.inputs / "2017 T2")
    result = cli("check", "2017-t2")
    assert (result.code, result.err) == (1, (
        "inputs/2017-T2: error: no inputs for 2017-T2\n"
        "  hint: there is a folder 2017 T2: rename it 2017-T2\n"))


def test_outside_a_report_folder_the_error_says_so(tmp_path: Path,
                                                   monkeypatch: pytest.MonkeyPatch,
                                                   cli: Callable[..., Result]) -> None:
    monkeypatch.chdir(tmp_path)
    for argv in (("check", PERIOD), ("render", "08", PERIOD), ("status", PERIOD),
                 ("new", "all", PERIOD)):
        result = cli(*argv)
        assert (result.code, result.err) == (1, (
            f"error: not a report folder: {tmp_path} has no folder inputs/\n"
            "  hint: run reportgen in the report's folder (the one that holds"
            " inputs/kommune.yaml), or name the inputs folder with --inputs DIR\n")), argv
    result = cli("check", PERIOD, "--inputs", "elsewhere")
    assert (result.code, result.err) == (1, (
        "elsewhere: error: the inputs folder does not exist\n"
        "  hint: check --inputs: it names the folder that holds kommune.yaml and one folder per"
        " period\n"))
    assert list(tmp_path.iterdir()) == []
