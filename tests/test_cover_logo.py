"""The municipality's logo on the cover (kommune.yaml `logo:`), and the DOCX's running header
per Del (issue 13, part 5).

- the logo, a PNG or an SVG inside the inputs folder, is on the whole report's cover in all
  three formats and on the site's front page, read back from the files: the HTML's <img> with
  its alt text and the picture's own bytes, the PDF's Figure with /Alt in the structure tree,
  the DOCX's inline picture with the alt text as its description (an SVG as Word takes one,
  with a PNG copy for LibreOffice);
- every file that is not a logo is refused, by `check` and `render` with the same message at
  kommune.yaml's line, and nothing is written;
- the documents are the same bytes when rendered twice; a changed logo renders the report
  anew, and only the report;
- the DOCX names the Del in its running header, page by page as LibreOffice lays it out.
"""

from __future__ import annotations

import base64
import io
import os
import re
import subprocess
import zipfile
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import pytest
from helpers import INPUTS, MINIMAL_AREA, TEMPLATES, Project, Result, snapshot
from helpers import require_soffice as soffice  # LibreOffice, or skip (fail on CI)
from readers import NS, docx_part, html_document, pdftotext_pages, w

ALT = "Drammen kommunes byvåpen, et blått skjold med en hvit elv"
KOMMUNE_TEXT = """\
kommune: Drammen kommune
språk: nb
programområder:
  "07": Ledelse, organisering og styring
  "08": Kompetanse, markedsføring og næring
logo:
  fil: {file}
  tekst: {alt}
"""
SHIELD = (INPUTS / "bilder" / "logo-eksempel.svg").read_bytes()
WHERE = "inputs/kommune.yaml:7:8: error: logo.fil: "
PLAIN_SVG = ("  hint: save it again as plain SVG (Inkscape: Save As, Plain SVG; Illustrator:"
             " Export As, SVG)\n")
EXPORT_PNG = "  hint: export it from the drawing program as PNG (File, Export)"
A = "http://schemas.openxmlformats.org/drawingml/2006/main"
ASVG = "http://schemas.microsoft.com/office/drawing/2016/SVG/main"
R = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
WP = "http://schemas.openxmlformats.org/drawingml/2006/wordprocessingDrawing"


def png(width: int = 120, height: int = 144, colour: str = "#003b5c") -> bytes:
    from PIL import Image

    out = io.BytesIO()
    Image.new("RGB", (width, height), colour).save(out, "PNG")
    return out.getvalue()


def svg(body: str, size: str = 'viewBox="0 0 10 10"') -> bytes:
    return (f'<svg xmlns="http://www.w3.org/2000/svg" {size}>{body}</svg>').encode()


def write(project: Project, file: str = "bilder/vapen.svg", alt: str = ALT,
          files: dict[str, bytes] | None = None, text: str | None = None) -> None:
    project.write({"inputs/kommune.yaml": text or KOMMUNE_TEXT.format(file=file, alt=alt),
                   "inputs/2017-T1/07.yaml": MINIMAL_AREA, "inputs/2017-T1/08.yaml": MINIMAL_AREA,
                   **(files if files is not None else {"inputs/bilder/vapen.svg": SHIELD})})


# --- what is refused, by check and render alike ---------------------------------------------------

@dataclass
class Case:
    stderr: str
    file: str = "bilder/vapen.svg"
    files: dict[str, bytes] | None = None
    text: str | None = None
    make: Callable[[Path], None] | None = None  # made in the project's folder


def fifo(root: Path) -> None:
    (root / "inputs" / "bilder").mkdir(parents=True, exist_ok=True)
    os.mkfifo(root / "inputs" / "bilder" / "vapen.svg")


def link_outside(root: Path) -> None:
    (root / "utenfor.svg").write_bytes(SHIELD)
    (root / "inputs" / "bilder").mkdir(parents=True, exist_ok=True)
    (root / "inputs" / "bilder" / "vapen.svg").symlink_to(root / "utenfor.svg")


def folder(root: Path) -> None:
    (root / "inputs" / "bilder" / "vapen.svg").mkdir(parents=True)


NOT_THERE_HINT = ("  hint: write the path from the inputs folder inputs/, with / between folders:"
                  " `fil: bilder/vapen.svg` for inputs/bilder/vapen.svg\n")
OUTSIDE_HINT = ("  hint: put the picture inside inputs/ (such as in inputs/bilder/) and write its"
                " path from there: `fil: bilder/{name}`\n")
CASES = {
    "no such file": Case(f"{WHERE}there is no file inputs/bilder/vapen.svg\n{NOT_THERE_HINT}",
                         files={}),
    "a path out of the inputs folder": Case(
        f"{WHERE}'../vapen.svg' points outside inputs/, the inputs folder\n"
        + OUTSIDE_HINT.format(name="vapen.svg"), file="../vapen.svg",
        files={"vapen.svg": SHIELD}),
    "an absolute path": Case(
        f"{WHERE}'/etc/vapen.png' points outside inputs/, the inputs folder\n"
        + OUTSIDE_HINT.format(name="vapen.png"), file="/etc/vapen.png", files={}),
    "a link out of the inputs folder": Case(
        f"{WHERE}'bilder/vapen.svg' points outside inputs/, the inputs folder\n"
        + OUTSIDE_HINT.format(name="vapen.svg"), files={}, make=link_outside),
    "a named pipe": Case(
        f"{WHERE}inputs/bilder/vapen.svg: this is a named pipe (FIFO), not a file\n"
        "  hint: reportgen reads only ordinary files: put the file itself here\n",
        files={}, make=fifo),
    "a folder": Case(
        f"{WHERE}inputs/bilder/vapen.svg: this is a folder, not a file\n"
        "  hint: reportgen reads only ordinary files: put the file itself here\n",
        files={}, make=folder),
    "a JPEG file": Case(
        f"{WHERE}'bilder/vapen.jpg' is not a PNG or SVG file (its name ends .jpg)\n"
        "  hint: save the logo as PNG or SVG (most drawing programs: File, Export) and write"
        " that file's name\n", file="bilder/vapen.jpg",
        files={"inputs/bilder/vapen.jpg": b"\xff\xd8\xff\xe0"}),
    "a JPEG named .png": Case(
        f"{WHERE}inputs/bilder/vapen.png is not a PNG picture: it is a JPEG picture\n"
        f"{EXPORT_PNG}, or name the file by what it is\n", file="bilder/vapen.png",
        files={"inputs/bilder/vapen.png": b"\xff\xd8\xff\xe0\x00\x10JFIF"}),
    "a PNG named .svg": Case(
        f"{WHERE}inputs/bilder/vapen.svg is not an SVG picture: it is a PNG picture\n"
        + PLAIN_SVG, files={"inputs/bilder/vapen.svg": png()}),
    "an empty file": Case(
        f"{WHERE}inputs/bilder/vapen.png is not a PNG picture: the file is empty\n"
        f"{EXPORT_PNG}, or name the file by what it is\n", file="bilder/vapen.png",
        files={"inputs/bilder/vapen.png": b""}),
    "a PNG cut short": Case(
        f"{WHERE}inputs/bilder/vapen.png is a damaged PNG file (image file is truncated)\n"
        f"{EXPORT_PNG} again\n", file="bilder/vapen.png",
        files={"inputs/bilder/vapen.png": png(400, 400, "#123456")[:60]}),
    "a PNG too large in pixels": Case(
        f"{WHERE}inputs/bilder/vapen.png is 4001 × 10 pixels, more than 4000 on a side\n"
        "  hint: save it smaller: a logo needs about 1000 pixels across\n",
        file="bilder/vapen.png", files={"inputs/bilder/vapen.png": png(4001, 10)}),
    "a file too large": Case(
        f"{WHERE}inputs/bilder/vapen.png is 2000001 bytes, more than the 2000000 a logo may"
        " have\n  hint: save it smaller: a logo needs about 1000 pixels across; or use it as"
        " SVG\n", file="bilder/vapen.png",
        files={"inputs/bilder/vapen.png": b"\x89PNG\r\n\x1a\n" + b"\0" * 1_999_993}),
    "an SVG that is not XML": Case(
        f"{WHERE}inputs/bilder/vapen.svg is not a valid SVG file: Opening and ending tag"
        " mismatch: rect line 1 and svg, line 1, column 73\n" + PLAIN_SVG,
        files={"inputs/bilder/vapen.svg": svg("<rect>")}),
    "an SVG without its namespace": Case(
        f"{WHERE}inputs/bilder/vapen.svg is not an SVG picture: its first element is <svg>,"
        " not in SVG's namespace http://www.w3.org/2000/svg\n"
        '  hint: add xmlns="http://www.w3.org/2000/svg" to its <svg> element, or save it'
        " again as plain SVG (Inkscape: Save As, Plain SVG; Illustrator: Export As, SVG)\n",
        files={"inputs/bilder/vapen.svg": b'<svg viewBox="0 0 1 1"><rect/></svg>'}),
    "an HTML page named .svg": Case(
        f"{WHERE}inputs/bilder/vapen.svg is not an SVG picture: its first element is <html>\n"
        + PLAIN_SVG, files={"inputs/bilder/vapen.svg": b"<html><body>logo</body></html>"}),
    "an SVG with entities": Case(
        f"{WHERE}inputs/bilder/vapen.svg is an SVG file that defines entities (<!ENTITY …>),"
        " which reportgen does not read\n" + PLAIN_SVG,
        files={"inputs/bilder/vapen.svg": b'<!DOCTYPE svg [<!ENTITY e SYSTEM "/etc/passwd">]>'
               + svg("<text>&e;</text>")}),
    "an SVG with a script": Case(
        f"{WHERE}inputs/bilder/vapen.svg is an SVG file with <script> (line 1 of the file):"
        " a logo is a drawing, without programs or pages\n" + PLAIN_SVG,
        files={"inputs/bilder/vapen.svg": svg("<script>alert(1)</script>")}),
    "an SVG that fetches a picture": Case(
        f"{WHERE}inputs/bilder/vapen.svg is an SVG file that refers to"
        " 'https://example.org/vapen.png' (<image>, line 1 of the file): the picture must hold"
        " everything it shows\n  hint: save it again as plain SVG (Inkscape: Save As, Plain"
        " SVG; Illustrator: Export As, SVG), with every picture it shows embedded\n",
        files={"inputs/bilder/vapen.svg": svg(
            '<image href="https://example.org/vapen.png" width="10" height="10"/>')}),
    "an SVG that links another file": Case(
        f"{WHERE}inputs/bilder/vapen.svg is an SVG file that refers to 'andre.svg#skjold'"
        " (<use>, line 1 of the file): the picture must hold everything it shows\n"
        "  hint: save it again as plain SVG (Inkscape: Save As, Plain SVG; Illustrator:"
        " Export As, SVG), with every picture it shows embedded\n",
        files={"inputs/bilder/vapen.svg": svg(
            '<use xmlns:xlink="http://www.w3.org/1999/xlink" xlink:href="andre.svg#skjold"/>')}),
    "an SVG whose style fetches a file": Case(
        f"{WHERE}inputs/bilder/vapen.svg is an SVG file whose styles fetch another file"
        " (<style>, line 1 of the file)\n" + PLAIN_SVG,
        files={"inputs/bilder/vapen.svg": svg(
            "<style>rect { fill: url(file:///etc/passwd) }</style>")}),
    "an SVG without a size": Case(
        f"{WHERE}inputs/bilder/vapen.svg is an SVG picture that gives no size: its <svg>"
        " element has neither a width and a height nor a viewBox\n"
        "  hint: open it in a drawing program and save it again (Inkscape: Document"
        " Properties, Resize to drawing)\n",
        files={"inputs/bilder/vapen.svg": svg("<rect/>", 'width="100%"')}),
    "no alt text": Case(
        "inputs/kommune.yaml:7:3: error: missing required key 'tekst' under logo\n"
        "  hint: add `tekst:` and what the picture shows, such as `tekst: Drammen kommunes"
        " byvåpen`: screen readers read it aloud, and it stands in for the picture wherever"
        " the picture cannot be shown\n",
        text=KOMMUNE_TEXT.split("  tekst:")[0].format(file="bilder/vapen.svg")),
    "an alt text of spaces": Case(
        "inputs/kommune.yaml:8:10: error: logo.tekst: is empty\n"
        "  hint: write what the picture shows, such as `tekst: Drammen kommunes byvåpen`:"
        " screen readers read it aloud, and it stands in for the picture wherever the picture"
        " cannot be shown\n",
        text=KOMMUNE_TEXT.format(file="bilder/vapen.svg", alt='"   "')),
    "the file alone, without the mapping": Case(
        "inputs/kommune.yaml:6:7: error: logo: expected keys and values, found the text"
        " 'bilder/vapen.svg'\n"
        "  hint: write `fil:` (the picture's file, from the inputs folder) and `tekst:` (what"
        " it shows) indented under `logo:`\n",
        text=KOMMUNE_TEXT.split("logo:")[0] + "logo: bilder/vapen.svg\n"),
    "no file": Case(
        "inputs/kommune.yaml:7:3: error: missing required key 'fil' under logo\n"
        "  hint: add `fil:` with the picture's file, a PNG or SVG in the inputs folder, such"
        " as bilder/vapen.svg\n",
        text=KOMMUNE_TEXT.split("logo:")[0] + f"logo:\n  tekst: {ALT}\n"),
}


@pytest.mark.parametrize("name", CASES)
def test_check_and_render_refuse_with_the_same_message_and_write_nothing(
        name: str, project: Project, cli: Callable[..., Result]) -> None:
    case = CASES[name]
    write(project, case.file, files=case.files, text=case.text)
    if case.make:
        case.make(project.root)
    before = snapshot(project.root) if not (project.inputs / "bilder").is_dir() or not any(
        p.is_fifo() for p in (project.inputs / "bilder").iterdir()) else None
    checked = cli("check", "2017-T1")
    assert (checked.code, checked.err, checked.out) == (1, case.stderr, "")
    rendered = cli("render", "all", "2017-T1", "--out", "out", "--format", "docx,html",
                   "--quiet")
    assert (rendered.code, rendered.err) == (1, case.stderr)
    assert not project.out.exists() or not any(project.out.rglob("*.*"))
    if before is not None:
        assert snapshot(project.root) == before


# --- the logo in every format ------------------------------------------------------------------

@pytest.fixture(scope="module", params=["svg", "png"])
def rendered(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory,
             ) -> tuple[Path, bytes, str]:
    """`render all` in every format and the site, with an SVG or a PNG logo: the period's
    output folder, the logo's bytes and its kind."""
    from helpers import make_project, run_cli

    kind = request.param
    project = make_project(tmp_path_factory.mktemp(f"logo-{kind}"))
    data = SHIELD if kind == "svg" else png()
    cwd = Path.cwd()
    os.chdir(project.root)
    try:
        write(project, f"bilder/vapen.{kind}", files={f"inputs/bilder/vapen.{kind}": data})
        result = run_cli("render", "all", "2017-T1", "--out", "out", "--format",
                         "docx,pdf,html,site", "--quiet")
    finally:
        os.chdir(cwd)
    assert result.code == 0, result.err
    return project.output(""), data, kind


def _cover_image(page: Path, within: str) -> tuple[str | None, bytes]:
    """The alt text of the one <img> inside the element of class `within`, and its data: URL's
    bytes followed by its media type."""
    boxes = [e for e in html_document(page).iter("div") if e.attrs.get("class") == within]
    images = [image for box in boxes for image in box.iter("img")]
    assert len(images) == 1
    media, _, encoded = str(images[0].attrs["src"]).removeprefix("data:").partition(";base64,")
    return images[0].attrs.get("alt"), base64.b64decode(encoded) + media.encode()


def test_the_html_cover_shows_the_logo_with_its_alt_text(rendered: tuple[Path, bytes, str]) -> None:
    folder, data, kind = rendered
    media = "image/svg+xml" if kind == "svg" else "image/png"
    assert _cover_image(folder / "tertialrapport.html", "cover-logo") == (ALT, data
                                                                           + media.encode())
    assert _cover_image(folder / "nettsted" / "index.html", "cover-logo") == (
        ALT, data + media.encode())
    assert b'class="cover-logo"' not in (folder / "08.html").read_bytes()  # an area: no cover


def test_the_pdf_tags_the_logo_as_a_figure_with_its_alt_text(
        rendered: tuple[Path, bytes, str]) -> None:
    import pikepdf
    from test_pdfua import elements, kind

    with pikepdf.open(rendered[0] / "tertialrapport.pdf") as pdf:
        figures = [str(e.get("/Alt")) for e in elements(pdf) if kind(e) == "Figure"]
        assert figures[0] == ALT  # the cover's figure comes first


def test_the_docx_cover_has_the_logo_as_a_picture_described_by_its_alt_text(
        rendered: tuple[Path, bytes, str]) -> None:
    folder, data, kind = rendered
    path = folder / "tertialrapport.docx"
    body = docx_part(path, "word/document.xml")
    first = body.find(".//w:body/w:p", NS)
    pictures = first.findall(f".//{{{WP}}}inline")
    assert len(pictures) == 1
    assert pictures[0].find(f"{{{WP}}}docPr").get("descr") == ALT
    width, height = (int(pictures[0].find(f"{{{WP}}}extent").get(k)) for k in ("cx", "cy"))
    assert (round(width / 36000, 1), round(height / 36000, 1)) == (26.7, 32.0)  # mm, as PDF
    rels = docx_part(path, "word/_rels/document.xml.rels")
    targets = {r.get("Id"): r.get("Target") for r in rels}
    blip = pictures[0].find(f".//{{{A}}}blip")
    with zipfile.ZipFile(path) as package:
        fallback = package.read("word/" + targets[blip.get(f"{{{R}}}embed")])
        svg_blips = blip.findall(f".//{{{ASVG}}}svgBlip")
        if kind == "png":
            assert fallback == data and svg_blips == []
        else:
            assert [package.read("word/" + targets[b.get(f"{{{R}}}embed")])
                    for b in svg_blips] == [data]
            assert fallback.startswith(b"\x89PNG") and _shield_pixels(fallback)
    name = body.findall(".//w:body/w:p", NS)[1]
    assert "".join(t.text for t in name.iter(w("t"))) == "Drammen kommune"


def _shield_pixels(data: bytes) -> bool:
    """The PNG copy of the example shield: blue inside, white river, transparent corners."""
    from PIL import Image

    image = Image.open(io.BytesIO(data)).convert("RGBA")
    width, height = image.size
    blue = image.getpixel((width // 2, height // 4))
    river = image.getpixel((width // 2, round(height * 0.54)))
    return (blue[3] == 255 and abs(blue[0] - 0x00) + abs(blue[1] - 0x3B) + abs(blue[2] - 0x5C) < 12
            and min(river[:3]) > 240 and image.getpixel((1, height - 2))[3] == 0
            and round(width / height, 2) == round(100 / 120, 2))


def test_the_documents_are_the_same_bytes_rendered_twice(
        rendered: tuple[Path, bytes, str], tmp_path: Path) -> None:
    from helpers import run_cli

    folder = rendered[0]
    inputs = folder.parent.parent / "inputs"
    result = run_cli("render", "all", "2017-T1", "--inputs", inputs, "--templates", TEMPLATES,
                     "--out", tmp_path, "--format", "docx,pdf,html", "--quiet")
    assert result.code == 0, result.err
    for name in ("tertialrapport.docx", "tertialrapport.pdf", "tertialrapport.html"):
        assert (tmp_path / "2017-T1" / name).read_bytes() == (folder / name).read_bytes(), name


def test_a_changed_logo_renders_the_report_again_and_only_the_report(
        project: Project, cli: Callable[..., Result]) -> None:
    write(project, "bilder/vapen.png", files={"inputs/bilder/vapen.png": png()})
    render = ("render", "all", "2017-T1", "--out", "out", "--format", "html")
    assert cli(*render).code == 0
    again = cli(*render)
    assert (again.code, "wrote" in again.err + again.out) == (0, False)
    (project.inputs / "bilder" / "vapen.png").write_bytes(png(colour="#aa0000"))
    changed = cli(*render)
    written = re.findall(r"wrote (\S+)", changed.err + changed.out)
    assert [Path(p).name for p in written] == ["tertialrapport.html"]
    assert _cover_image(project.output("tertialrapport.html"), "cover-logo")[1].startswith(
        png(colour="#aa0000"))


def test_the_example_inputs_carry_a_logo_that_check_accepts(cli: Callable[..., Result]) -> None:
    result = cli("check", "2017-T1", "--inputs", INPUTS, "--templates", TEMPLATES)
    assert result.code == 0, result.err
    assert re.search(r"^logo: .*\n  fil: bilder/logo-eksempel.svg$", (
        INPUTS / "kommune.yaml").read_text(encoding="utf-8"), re.MULTILINE)


# --- the DOCX's running header -----------------------------------------------------------------

def test_the_area_docx_header_names_the_area_and_the_period_once(
        rendered: tuple[Path, bytes, str]) -> None:
    header = docx_part(rendered[0] / "08.docx", "word/header1.xml")
    texts = "".join(t.text if t.tag == w("t") else "\t" for t in header.iter(w("t"), w("tab")))
    assert texts == ("Drammen kommune · 1. tertialrapport 2017\t"
                     "Programområde 08 Kompetanse, markedsføring og næring")


def test_the_report_docx_has_a_section_per_del_whose_header_names_it(
        rendered: tuple[Path, bytes, str]) -> None:
    path = rendered[0] / "tertialrapport.docx"
    body = docx_part(path, "word/document.xml")
    rels = {r.get("Id"): r.get("Target") for r in docx_part(path, "word/_rels/document.xml.rels")}
    headers = []
    for properties in body.iter(w("sectPr")):
        reference = properties.find("w:headerReference[@w:type='default']", NS)
        part = docx_part(path, "word/" + rels[reference.get(f"{{{R}}}id")])
        headers.append(("".join(t.text or "" for t in part.iter(w("t"))),
                        " ".join(i.text.strip() for i in part.iter(w("instrText")))))
    assert headers == [
        ("Drammen kommune · 1. tertialrapport 2017", ""),
        ("Drammen kommune · 1. tertialrapport 2017Del 3 Programområdene",
         'STYLEREF "Part Title"'),
    ]
    styled = {"".join(t.text for t in p.iter(w("t"))) for p in body.iter(w("p"))
              if p.find("w:r/w:rPr/w:rStyle[@w:val='PartTitle']", NS) is not None}
    assert styled == {"Del 3 Programområdene",
                      "Programområde 07 Ledelse, organisering og styring",
                      "Programområde 08 Kompetanse, markedsføring og næring"}



@pytest.mark.slow
def test_libreoffice_shows_each_page_the_del_it_belongs_to(tmp_path: Path) -> None:
    """The real inputs' report, as LibreOffice lays out its DOCX: the cover has no header;
    every other page says the municipality and the report (its period once) and the Del the
    page is in, as the PDF's header does (LibreOffice shows Del 3's title on its areas' pages:
    it does not update STYLEREF, which Word does)."""
    from helpers import libreoffice_layout, run_cli

    with libreoffice_layout():
        result = run_cli("render", "all", "2017-T1", "--inputs", INPUTS, "--templates",
                         TEMPLATES, "--out", tmp_path, "--format", "docx", "--quiet")
    assert result.code == 0, result.err
    docx = tmp_path / "2017-T1" / "tertialrapport.docx"
    done = subprocess.run(
        [soffice(), f"-env:UserInstallation={(tmp_path / 'profile').as_uri()}", "--headless",
         "--norestore", "--convert-to", "pdf", "--outdir", str(tmp_path / "pdf"), str(docx)],
        capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, done.stderr
    pages = pdftotext_pages(tmp_path / "pdf" / "tertialrapport.pdf")
    dels = [h.strip() for h in re.findall(r"^  - overskrift: (.+)$", (
        INPUTS / "2017-T1" / "rapport.yaml").read_text(encoding="utf-8"), re.MULTILINE)]
    dels.insert(2, "Del 3 Programområdene")
    current, seen = "", []
    for number, lines in enumerate(pages[1:], 2):
        current = next((d for d in dels if d in lines[1:4]), current)
        assert " ".join(lines[0].split()) == (
            f"Drammen kommune · 1. tertialrapport 2017 {current}".rstrip()), (number, lines[:3])
        seen.append(current)
    assert [d for d in dict.fromkeys(seen) if d] == dels
    assert pages[0][0] != "Drammen kommune · 1. tertialrapport 2017"
