"""The DOCX files as the programs that open them see them (DESIGN.md section 7: "opens without
complaint in Word and LibreOffice").

LibreOffice converts every DOCX of `render all` to PDF, and each PDF holds every heading and
paragraph of its DOCX, in order. The packages themselves are checked the way a strict reader
would: well-formed XML parts, content types for every part, relationships that resolve,
external targets only for links, no duplicate zip entries.
"""

from __future__ import annotations

import posixpath
import subprocess
import zipfile
from pathlib import Path
from urllib.parse import urlparse

import pytest
from helpers import INPUTS, MINIMAL_AREA, TEMPLATES, make_project, run_main
from helpers import require_soffice as soffice  # LibreOffice, or skip (fail on CI)
from lxml import etree
from readers import docx_blocks, open_docx, pdf_body_lines, squash

CT = "{http://schemas.openxmlformats.org/package/2006/content-types}"
REL = "{http://schemas.openxmlformats.org/package/2006/relationships}"
HYPERLINK = "http://schemas.openxmlformats.org/officeDocument/2006/relationships/hyperlink"
LINKS = """\
Se [planen](https://www.drammen.kommune.no/plan?side=2&visning=full), skriv til
[økonomi](mailto:okonomi@drammen.kommune.no) eller les [mer](http://example.no/a_b).
"""


@pytest.fixture(scope="module")
def docx_files(tmp_path_factory: pytest.TempPathFactory) -> list[Path]:
    """Every DOCX of `render all 2017-T1` from the real inputs (15), and an area with links."""
    root = tmp_path_factory.mktemp("clients")
    status = run_main(["render", "all", "2017-T1", "--inputs", INPUTS, "--templates", TEMPLATES,
                       "--out", root / "real", "--format", "docx", "--quiet"])
    assert status == 0
    real = sorted((root / "real" / "2017-T1").glob("*.docx"))
    assert len(real) == 15
    links = make_project(root / "lenker")
    links.write_area("08", dict(MINIMAL_AREA, ingress=LINKS))
    status = run_main(["render", "08", "2017-T1", "--inputs", links.inputs, "--templates",
                       TEMPLATES, "--out", links.out, "--format", "docx", "--quiet"])
    assert status == 0
    return [*real, links.output("08.docx")]


# --- LibreOffice ---------------------------------------------------------------------------------


@pytest.mark.slow
def test_libreoffice_opens_every_docx_and_prints_all_of_its_text(
    docx_files: list[Path], tmp_path: Path
) -> None:
    program = soffice()
    real = docx_files[:15]
    out = tmp_path / "pdf"
    done = subprocess.run(
        [program, "--headless", "--norestore",
         f"-env:UserInstallation={(tmp_path / 'profil').as_uri()}",
         "--convert-to", "pdf", "--outdir", str(out), *map(str, real)],
        capture_output=True, text=True, timeout=180,
    )
    assert done.returncode == 0, done.stderr
    assert sorted(p.stem for p in out.glob("*.pdf")) == sorted(p.stem for p in real), (
        done.stdout + done.stderr)
    for docx in real:
        # The page furniture (running header, "Side N av M") stands between the pages' text.
        header = {p.text for p in open_docx(docx).sections[0].header.paragraphs if p.text}
        text = squash("".join(pdf_body_lines(out / f"{docx.stem}.pdf", header)))
        at = 0
        for _, block in docx_blocks(docx):  # every heading and paragraph, in order
            found = text.find(squash(block), at)
            assert found >= 0, f"{docx.name}: {block!r} not found after {text[at:at + 120]!r}"
            at = found + len(squash(block))


# --- the packages -------------------------------------------------------------------------------

def parts(docx: Path) -> dict[str, bytes]:
    with zipfile.ZipFile(docx) as package:
        return {info.filename: package.read(info) for info in package.infolist()}


def test_no_duplicate_zip_entries_and_the_zip_is_sound(docx_files: list[Path]) -> None:
    for docx in docx_files:
        with zipfile.ZipFile(docx) as package:
            names = package.namelist()
            assert len(names) == len(set(names)), docx.name
            assert package.testzip() is None, docx.name
            assert names[0] == "[Content_Types].xml", docx.name  # where strict readers look


def test_every_xml_part_is_well_formed(docx_files: list[Path]) -> None:
    parser = etree.XMLParser(resolve_entities=False, no_network=True, huge_tree=False)
    for docx in docx_files:
        for name, data in parts(docx).items():
            if name.endswith((".xml", ".rels")):
                etree.fromstring(data, parser)  # raises on anything malformed
                assert b"<!DOCTYPE" not in data and b"<!ENTITY" not in data, (docx.name, name)


def test_content_types_cover_every_part(docx_files: list[Path]) -> None:
    for docx in docx_files:
        contents = parts(docx)
        types = etree.fromstring(contents["[Content_Types].xml"])
        defaults = {d.get("Extension").lower() for d in types.iter(f"{CT}Default")}
        overrides = {o.get("PartName") for o in types.iter(f"{CT}Override")}
        for name in contents:
            if name == "[Content_Types].xml" or name.endswith("/"):
                continue
            extension = name.rsplit(".", 1)[-1].lower()
            assert f"/{name}" in overrides or extension in defaults, (docx.name, name)
        for override in overrides:  # and nothing is declared that is not there
            assert override.lstrip("/") in contents, (docx.name, override)


def test_relationships_resolve_and_only_links_go_outside(docx_files: list[Path]) -> None:
    for docx in docx_files:
        external_seen = []
        contents = parts(docx)
        for name, data in contents.items():
            if not name.endswith(".rels"):
                continue
            folder = posixpath.dirname(posixpath.dirname(name))  # word/_rels/x.rels -> word
            for rel in etree.fromstring(data).iter(f"{REL}Relationship"):
                target = rel.get("Target")
                if rel.get("TargetMode") == "External":
                    assert rel.get("Type") == HYPERLINK, (docx.name, name, target)
                    assert urlparse(target).scheme in ("http", "https", "mailto"), target
                    external_seen.append(target)
                    continue
                resolved = (target.lstrip("/") if target.startswith("/")
                            else posixpath.normpath(posixpath.join(folder, target)))
                assert resolved in contents, (docx.name, name, target)
    assert external_seen == [  # the area with links (the last file) has exactly its three
        "https://www.drammen.kommune.no/plan?side=2&visning=full",
        "mailto:okonomi@drammen.kommune.no", "http://example.no/a_b",
    ]
