"""The DOCX files as Word, LibreOffice and a strict validator see them (issue 13).

- openxml-audit (strict, Office 2019 schemas) finds no error in any DOCX of `render all`;
- no `w:updateFields` (Word would ask on every opening) and no leftover parts of python-docx's
  template (thumbnail, bibliography stub);
- the contents' cached TOC result holds each heading's page as LibreOffice lays the document
  out (the render asks LibreOffice where it is installed; without it, the titles alone, and a
  LibreOffice that fails is a warning, never a failed render);
- the document font is embedded, and LibreOffice on a machine without Carlito lays the
  documents out line for line as it does with Carlito installed.
"""

from __future__ import annotations

import os
import re
import subprocess
import uuid
import zipfile
from pathlib import Path

import pytest
from helpers import (
    INPUTS,
    TEMPLATES,
    libreoffice_layout,
    run_cli,
    warnings_in,
)
from helpers import (
    require_soffice as soffice,
)
from lxml import etree
from readers import NS, docx_part, open_docx, pdftotext_pages, squash, w

PERIOD = "2017-T1"
REPORT = "tertialrapport.docx"
TOC_STYLES = ("TOC 1", "TOC 2")



def render_docx(out: Path, program: str | None = None) -> tuple[Path, list[str]]:
    """`render all 2017-T1 --format docx` with LibreOffice's layout (or `program`): the folder
    and the warnings the command printed."""
    with libreoffice_layout(program):
        code, _, err = run_cli("render", "all", PERIOD, "--inputs", INPUTS, "--templates",
                               TEMPLATES, "--out", out, "--format", "docx")
    assert code == 0, err
    return out / PERIOD, warnings_in(err)


@pytest.fixture(scope="module")
def rendered(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Every DOCX of `render all`, the report's contents numbered by LibreOffice if installed."""
    folder, warnings = render_docx(tmp_path_factory.mktemp("fidelity"))
    assert warnings == []
    return folder


def docx_files(folder: Path) -> list[Path]:
    found = sorted(folder.glob("*.docx"))
    assert len(found) == 15, [p.name for p in found]
    return found


def contents_entries(path: Path) -> list[tuple[str, str | None]]:
    """The contents as the TOC field's cached result shows them: (title, page or None)."""
    entries = []
    for paragraph in open_docx(path).paragraphs:
        if paragraph.style.name in TOC_STYLES:
            title, _, page = paragraph.text.partition("\t")
            entries.append((title, page or None))
    assert entries, "the report has no contents"
    return entries


# --- a strict validator ---------------------------------------------------------------------------

def test_openxml_audit_finds_no_error_in_any_docx(rendered: Path) -> None:
    from openxml_audit import OpenXmlValidator
    from openxml_audit.validator import FileFormat

    validator = OpenXmlValidator(file_format=FileFormat.OFFICE_2019, max_errors=0, strict=True)
    found = {}
    for path in docx_files(rendered):
        result = validator.validate(path)
        if result.errors:
            found[path.name] = [f"{e.part_uri} {e.path}: {e.description}" for e in result.errors]
    assert found == {}, "\n".join(f"{name}: {len(errors)} error(s), first: {errors[:3]}"
                                  for name, errors in found.items())


def test_no_update_on_open_and_no_leftover_parts(rendered: Path) -> None:
    for path in docx_files(rendered):
        with zipfile.ZipFile(path) as package:
            names = package.namelist()
            package_rels = package.read("_rels/.rels").decode("utf-8")
        assert not [n for n in names if n.startswith("customXml/") or "thumbnail" in n], names
        assert "thumbnail" not in package_rels
        settings = docx_part(path, "word/settings.xml")
        assert settings.find("w:updateFields", NS) is None, path.name  # Word asks on opening
        assert settings.find("w:savePreviewPicture", NS) is None, path.name
        app = docx_part(path, "docProps/app.xml")
        assert "Macintosh" not in etree.tostring(app, encoding="unicode"), path.name


def test_table_rows_use_the_bare_on_off_form(rendered: Path) -> None:
    """`<w:tblHeader/>`, which every reader takes as on; "true" is not in ST_OnOff."""
    body = docx_part(rendered / REPORT, "word/document.xml")
    properties = body.findall(".//w:trPr/w:tblHeader", NS) + body.findall(".//w:trPr/w:cantSplit",
                                                                          NS)
    assert properties
    assert all(p.get(w("val")) is None for p in properties)


def test_bookmark_names_fit_word_and_links_find_them(rendered: Path) -> None:
    body = docx_part(rendered / REPORT, "word/document.xml")
    names = [b.get(w("name")) for b in body.iter(w("bookmarkStart"))]
    assert names and all(len(name) <= 40 for name in names), [n for n in names if len(n) > 40]
    assert len(set(names)) == len(names)
    anchors = [link.get(w("anchor")) for link in body.iter(w("hyperlink")) if link.get(w("anchor"))]
    assert anchors and set(anchors) <= set(names)


# --- the contents' page numbers -------------------------------------------------------------------

def convert(docx: list[Path], out: Path, fonts_conf: Path | None = None) -> dict[str, Path]:
    """LibreOffice's PDFs of the files (a fresh profile; fontconfig as `fonts_conf` says)."""
    env = dict(os.environ)
    if fonts_conf is not None:
        env["FONTCONFIG_FILE"] = str(fonts_conf)
    done = subprocess.run(
        [soffice(), f"-env:UserInstallation={(out / 'profile').as_uri()}", "--headless",
         "--norestore", "--convert-to", "pdf", "--outdir", str(out / "pdf"), *map(str, docx)],
        capture_output=True, text=True, timeout=300, env=env)
    assert done.returncode == 0, done.stderr
    return {path.name: out / "pdf" / f"{path.stem}.pdf" for path in docx}


FONTCONFIG = """<?xml version="1.0"?>
<!DOCTYPE fontconfig SYSTEM "urn:fontconfig:fonts.dtd">
<fontconfig>
  <include ignore_missing="yes">/etc/fonts/fonts.conf</include>
  {extra}
  <cachedir>{cache}</cachedir>
</fontconfig>
"""
# No Carlito and no Calibri, wherever they are installed.
WITHOUT_CARLITO = """<selectfont><rejectfont>
    <pattern><patelt name="family"><string>Carlito</string></patelt></pattern>
    <pattern><patelt name="family"><string>Calibri</string></patelt></pattern>
  </rejectfont></selectfont>"""


def fonts_conf(folder: Path, extra: str) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / "fonts.conf"
    path.write_text(FONTCONFIG.format(extra=extra, cache=folder / "cache"), encoding="utf-8")
    return path


@pytest.mark.slow
def test_contents_show_the_pages_libreoffice_lays_the_headings_on(
    rendered: Path, tmp_path: Path
) -> None:
    soffice()
    entries = contents_entries(rendered / REPORT)
    assert all(page and page.isdigit() for _, page in entries), entries
    conf = fonts_conf(tmp_path / "fc", WITHOUT_CARLITO)
    pages = [squash(" ".join(lines))
             for lines in pdftotext_pages(convert([rendered / REPORT], tmp_path, conf)[REPORT])]
    contents_page = next(i for i, text in enumerate(pages) if squash("Innhold") in text)
    for title, page in entries:
        # The first page after the contents that shows the title is the page the entry says.
        first = next((i + 1 for i, text in enumerate(pages)
                      if i > contents_page and squash(title) in text), None)
        assert first == int(page), f"{title!r}: the contents say page {page}, it is on {first}"
    body = docx_part(rendered / REPORT, "word/document.xml")
    fields = [t.text for t in body.iter(w("instrText")) if "PAGEREF" in (t.text or "")]
    assert len(fields) == len(entries)  # as Word writes a TOC: Update Table keeps them live


def test_without_libreoffice_the_contents_list_the_titles(tmp_path: Path) -> None:
    folder, warnings = render_docx(tmp_path, "none")
    assert warnings == []
    entries = contents_entries(folder / REPORT)
    assert all(page is None for _, page in entries), entries
    assert entries[0][0] == "Rådmannens forslag til vedtak"


def test_a_failing_libreoffice_is_a_warning_and_the_titles_stay(tmp_path: Path) -> None:
    fake = tmp_path / "soffice"
    fake.write_text("#!/bin/sh\necho 'Error: source file could not be loaded'\nexit 3\n",
                    encoding="utf-8")
    fake.chmod(0o755)
    folder, warnings = render_docx(tmp_path / "out", str(fake))
    assert warnings == [
        "warning: tertialrapport.docx: the contents have no page numbers: LibreOffice failed"
        " (exit 3): Error: source file could not be loaded"]
    assert all(page is None for _, page in contents_entries(folder / REPORT))


def test_a_missing_libreoffice_program_is_a_warning(tmp_path: Path) -> None:
    missing = tmp_path / "no-such-soffice"
    folder, warnings = render_docx(tmp_path / "out", str(missing))
    assert warnings == [
        f"warning: tertialrapport.docx: the contents have no page numbers: cannot start"
        f" {missing}: No such file or directory"]
    assert all(page is None for _, page in contents_entries(folder / REPORT))


# --- the embedded font ----------------------------------------------------------------------------

EMBEDS = ("embedRegular", "embedBold", "embedItalic", "embedBoldItalic")
STYLES = {"embedRegular": "Regular", "embedBold": "Bold", "embedItalic": "Italic",
          "embedBoldItalic": "Bold Italic"}


def deobfuscate(data: bytes, key: str) -> bytes:
    """ECMA-376 Part 1, 17.8.1: the first 32 bytes XORed with the key GUID's bytes, reversed."""
    guid = uuid.UUID(key.strip("{}")).bytes[::-1]
    return bytes(b ^ guid[i % 16] for i, b in enumerate(data[:32])) + data[32:]


def document_font(path: Path) -> str:
    """The one font family the styles name (docDefaults and every style's rFonts)."""
    styles = docx_part(path, "word/styles.xml")
    families = set()
    for fonts in styles.iter(w("rFonts")):
        assert not [a for a in fonts.attrib if a.endswith(("Theme", "theme"))], fonts.attrib
        families |= {fonts.get(w(a)) for a in ("ascii", "hAnsi") if fonts.get(w(a))}
    families.discard("Courier")  # python-docx's HTML code styles, unused
    assert len(families) == 1, families
    return families.pop()


def test_the_document_font_is_embedded_in_every_face(rendered: Path) -> None:
    import io

    from fontTools.ttLib import TTFont

    for path in (rendered / REPORT, rendered / "01.docx"):
        family = document_font(path)
        table = docx_part(path, "word/fontTable.xml")
        entry = next(f for f in table.findall("w:font", NS) if f.get(w("name")) == family)
        assert entry.find("w:altName", NS).get(w("val")) == "Carlito"
        rels = docx_part(path, "word/_rels/fontTable.xml.rels")
        targets = {r.get("Id"): r.get("Target") for r in rels}
        with zipfile.ZipFile(path) as package:
            for embed in EMBEDS:
                element = entry.find(f"w:{embed}", NS)
                assert element is not None, (path.name, embed)
                data = package.read(f"word/{targets[element.get(NS_R + 'id')]}")
                font = TTFont(io.BytesIO(deobfuscate(data, element.get(w("fontKey")))))
                assert font["name"].getDebugName(1) == family
                assert font["name"].getDebugName(2) == STYLES[embed]
                assert font["OS/2"].fsType == 0  # installable: Word and LibreOffice use it
                assert {ord(c) for c in "æøåÆØÅ§%–€ "} <= set(font.getBestCmap())
        settings = docx_part(path, "word/settings.xml")
        assert settings.find("w:embedTrueTypeFonts", NS) is not None  # Word keeps them on save


NS_R = "{http://schemas.openxmlformats.org/officeDocument/2006/relationships}"


def as_carlito(path: Path, out: Path) -> Path:
    """The DOCX as it was before the font was embedded: the styles name Carlito, no font parts."""
    family = document_font(path)
    out.parent.mkdir(parents=True, exist_ok=True)
    with zipfile.ZipFile(path) as source, zipfile.ZipFile(out, "w") as target:
        for info in source.infolist():
            data = source.read(info)
            if info.filename in ("word/styles.xml", "word/fontTable.xml", "word/theme/theme1.xml"):
                data = data.replace(family.encode(), b"Carlito")
            if info.filename == "word/fontTable.xml":
                data = re.sub(rb"<w:embed\w+ [^>]*/>", b"", data)
            target.writestr(info, data)
    return out


def pdf_lines(pdf: Path) -> list[str]:
    return [line for page in pdftotext_pages(pdf) for line in page]


@pytest.mark.slow
def test_libreoffice_without_carlito_breaks_every_line_as_with_carlito(
    rendered: Path, tmp_path: Path
) -> None:
    from readers import pdf_fonts

    names = [REPORT, "01.docx"]
    without = convert([rendered / n for n in names], tmp_path / "without",
                      fonts_conf(tmp_path / "fc-without", WITHOUT_CARLITO))
    carlito = [as_carlito(rendered / n, tmp_path / "carlito-docx" / n) for n in names]
    installed = f"<dir>{TEMPLATES / 'fonts'}</dir>"
    reference = convert(carlito, tmp_path / "with", fonts_conf(tmp_path / "fc-with", installed))
    for name in names:
        used = {font.split("+")[-1] for font, _ in pdf_fonts(without[name])}
        assert not [f for f in used if "DejaVu" in f or "Liberation" in f], used
        assert {f for f, _ in pdf_fonts(reference[name]) if "Carlito" in f}, "no Carlito"
        assert pdf_lines(without[name]) == pdf_lines(reference[name]), name
