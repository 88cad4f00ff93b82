"""`reportgen import` given hostile and broken DOCX files: refused in words, or read with notes.

Each file is made here from a real document (`render 08 2017-T1 --format docx` in a scratch
project) by rewriting its zip: a zip bomb, a header that lies about a part's size, XML with
entity bombs or a DTD, damaged XML and damaged compressed data, loops of style bases, list
numbers that are not numbers, characters YAML cannot hold as typed. A refusal is exit 1 with
the file, what is wrong and a hint, and the YAML is byte for byte as it was. What hung or
took minutes runs in a separate process with a time limit.
"""

from __future__ import annotations

import codecs
import re
import struct
import subprocess
import zipfile
import zlib
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from helpers import Project, Result, reportgen_command
from test_import import AREA, EDITED_YAML, edited_copy, import_, render, user_edits
from test_security import listener

from reportgen.commands.importer.package import (
    MAX_ENTRIES,
    MAX_PART_BYTES,
    MAX_RATIO,
    MAX_TOTAL_BYTES,
)

DOCUMENT, STYLES, NUMBERING = "word/document.xml", "word/styles.xml", "word/numbering.xml"
DAMAGED = ("  hint: the file was changed or cut short after it was saved; open it in Word, which"
           " can often repair it, save it as a new .docx and import that\n")
RESAVE = ("  hint: open it in Word or LibreOffice and save it as Word Document (.docx), then"
          " import that\n")
NOT_WORDS = ("  hint: import the document as Word or LibreOffice saved it; Word never writes a"
             " document like this\n")
LARGE = ("  hint: an area document unpacks to well under a megabyte; if this one holds large"
         " pictures or pasted objects, delete them in Word (they are not imported), save, and"
         " import again\n")
NOTHING = "nothing to import: the input file already gives this text\n"


@pytest.fixture
def rendered(project: Project, cli: Any) -> Path:
    """test_import's area file written and rendered to out/2017-T1/08.docx."""
    project.write_area("08", AREA)
    assert render(cli, project, "docx").code == 0
    return project.output("08.docx")


@pytest.fixture
def yaml_file(project: Project, rendered: Path) -> Path:
    return project.inputs / "2017-T1" / "08.yaml"


Edit = Callable[[bytes], bytes] | bytes | None  # a part's new bytes; None: leave it out


def rewrite(source: Path, target: Path, edits: dict[str, Edit],
            add: dict[str, bytes] | None = None) -> Path:
    """A copy of the DOCX at `source` with parts changed, left out or added, as `target`."""
    with zipfile.ZipFile(source) as package:
        parts = [(info.filename, package.read(info)) for info in package.infolist()]
    with zipfile.ZipFile(target, "w", zipfile.ZIP_DEFLATED) as package:
        for name, data in parts:
            edit = edits.get(name, data)
            if edit is not None:
                package.writestr(name, edit(data) if callable(edit) else edit)
        for name, data in (add or {}).items():
            package.writestr(name, data)
    return target


def replace_once(old: str, new: str) -> Callable[[bytes], bytes]:
    def edit(data: bytes) -> bytes:
        assert old.encode() in data, old
        return data.replace(old.encode(), new.encode(), 1)
    return edit


def with_dtd(root: str, declarations: str, reference: str = "") -> Callable[[bytes], bytes]:
    """A part with a DOCTYPE after its XML declaration, and `reference` before "Tre tiltak"."""
    def edit(data: bytes) -> bytes:
        data = data.replace(b"?>", f"?><!DOCTYPE {root} {declarations}>".encode(), 1)
        return data.replace(b"Tre tiltak", f"{reference}Tre tiltak".encode(), 1)
    return edit


def process(project: Project, docx: Path, *more: str) -> Result:
    """`reportgen import` as a separate process that must end within a minute."""
    done = subprocess.run(
        [*reportgen_command(), "import", str(docx), "--inputs", "inputs", *more],
        cwd=project.root, capture_output=True, text=True, timeout=60)
    return Result(done.returncode, done.stdout, done.stderr)


def refused(result: Result, message: str, hint: str, name: str = "hostile.docx") -> None:
    assert (result.code, result.out, result.err) == (1, "", f"{name}: error: {message}\n{hint}")


# --- the zip -------------------------------------------------------------------------------

def test_a_zip_bomb_is_refused_before_it_is_unpacked(
        project: Project, rendered: Path, yaml_file: Path) -> None:
    """1.4 MB that unpacks to 400 MB of paragraphs: before, 14 minutes at full CPU."""
    before = yaml_file.read_bytes()
    bomb = project.root / "hostile.docx"
    rewrite(rendered, bomb, {DOCUMENT: None})
    with zipfile.ZipFile(rendered) as package:
        document = package.read(DOCUMENT)
    end = document.index(b"</w:body>")
    paragraph = "<w:p><w:r><w:t>Kommunikasjonsavdelingen har lest korrektur.</w:t></w:r></w:p>"
    chunk = (paragraph * 1000).encode()
    with zipfile.ZipFile(bomb, "a", zipfile.ZIP_DEFLATED) as package:
        with package.open(DOCUMENT, "w", force_zip64=True) as stream:
            stream.write(document[:end])
            for _ in range(400_000_000 // len(chunk)):
                stream.write(chunk)
            stream.write(document[end:])
        total = sum(info.file_size for info in package.infolist())
    assert bomb.stat().st_size < 2_000_000 and total > 400_000_000

    result = process(project, bomb, "--yes")

    refused(result, f"the file would unpack to {total} bytes, more than the limit of"
            f" {MAX_TOTAL_BYTES}", LARGE)
    assert yaml_file.read_bytes() == before


def zeros(size: int) -> bytes:
    return bytes(size)


@pytest.mark.parametrize("case", ["total", "part", "ratio", "entries"])
def test_the_zip_limits_are_checked_before_anything_is_unpacked(
        project: Project, rendered: Path, yaml_file: Path, cli: Any, case: str) -> None:
    before = yaml_file.read_bytes()
    hostile = project.root / "hostile.docx"
    add = {
        "total": lambda: {f"word/media/fyll{n}.bin": zeros(MAX_PART_BYTES - 1) for n in range(6)},
        "part": lambda: {"word/media/fyll.bin": zeros(MAX_PART_BYTES + 1)},
        "ratio": lambda: {"word/media/fyll.bin": zeros(5_000_000)},
        "entries": lambda: {f"word/media/bilde{n}.png": b"" for n in range(MAX_ENTRIES)},
    }[case]
    rewrite(rendered, hostile, {}, add())
    with zipfile.ZipFile(hostile) as package:
        infos = package.infolist()
    fill = next((i for i in infos if i.filename == "word/media/fyll.bin"), None)

    result = import_(cli, hostile, "--yes")

    if case == "total":
        refused(result, f"the file would unpack to {sum(i.file_size for i in infos)} bytes,"
                f" more than the limit of {MAX_TOTAL_BYTES}", LARGE)
    elif case == "part":
        refused(result, f"word/media/fyll.bin in the file would unpack to {MAX_PART_BYTES + 1}"
                f" bytes, more than the limit of {MAX_PART_BYTES} for one part", LARGE)
    elif case == "ratio":
        assert fill is not None
        refused(result, f"word/media/fyll.bin in the file is packed"
                f" {fill.file_size // fill.compress_size} to 1, more than the limit of"
                f" {MAX_RATIO} to 1: it is made to unpack to far more than it holds", NOT_WORDS)
    else:
        refused(result, f"the file holds {len(infos)} entries, more than the limit of"
                f" {MAX_ENTRIES}", NOT_WORDS)
    assert yaml_file.read_bytes() == before


def patch_entry(path: Path, name: str, *, crc: int | None = None,
                size: int | None = None) -> None:
    """Overwrite an entry's CRC or unpacked size in its local header and the zip directory,
    as a damaged or crafted file has them."""
    data = bytearray(path.read_bytes())
    with zipfile.ZipFile(path) as package:
        local = package.getinfo(name).header_offset
    central = next(m.start() for m in re.finditer(rb"PK\x01\x02", data)
                   if data[m.start() + 46:m.start() + 46 + len(name)] == name.encode())
    for field, value in (("crc", crc), ("size", size)):
        if value is not None:
            offsets = {"crc": (local + 14, central + 16), "size": (local + 22, central + 24)}
            for offset in offsets[field]:
                data[offset:offset + 4] = struct.pack("<I", value)
    path.write_bytes(bytes(data))


def test_a_header_that_understates_a_size_cannot_unpack_past_it(
        project: Project, rendered: Path, yaml_file: Path, cli: Any) -> None:
    """The directory says 10 kB; the data unpacks to 15 MB. Unpacking stops at 10 kB."""
    before = yaml_file.read_bytes()
    hostile = rewrite(rendered, project.root / "hostile.docx",
                      {DOCUMENT: replace_once("</w:body>", " " * 15_000_000 + "</w:body>")})
    patch_entry(hostile, DOCUMENT, size=10_000)

    result = import_(cli, hostile, "--yes")

    refused(result, f"the file is damaged: {DOCUMENT} in it cannot be unpacked (its checksum"
            " does not match)", DAMAGED)
    assert yaml_file.read_bytes() == before


def test_damaged_compressed_data_and_a_wrong_checksum_are_damage(
        project: Project, rendered: Path, yaml_file: Path, cli: Any) -> None:
    """Before: zlib.error and BadZipFile, exit 70."""
    before = yaml_file.read_bytes()
    broken = project.root / "hostile.docx"
    data = bytearray(rendered.read_bytes())
    with zipfile.ZipFile(rendered) as package:
        info = package.getinfo(DOCUMENT)
    start = info.header_offset + 30 + len(info.filename) + len(info.extra)
    for offset in range(start + 200, start + 260):
        data[offset] ^= 0x55
    broken.write_bytes(bytes(data))
    checksum = rewrite(rendered, project.root / "kontrollsum.docx", {})
    patch_entry(checksum, STYLES, crc=zlib.crc32(b"noe annet"))

    results = [import_(cli, broken, "--yes"), import_(cli, checksum, "--yes")]

    refused(results[0], f"the file is damaged: {DOCUMENT} in it cannot be unpacked (its"
            " compressed data is broken)", DAMAGED)
    refused(results[1], f"the file is damaged: {STYLES} in it cannot be unpacked (its checksum"
            " does not match)", DAMAGED, "kontrollsum.docx")
    assert yaml_file.read_bytes() == before


@pytest.mark.parametrize(("content", "message", "hint"), [
    (b"Dette er ikke et Word-dokument.\n",
     "not a Word document (.docx): the file is not a zip package, as every .docx is", RESAVE),
    (b"", "not a Word document (.docx): the file is not a zip package, as every .docx is",
     RESAVE),
    (b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n", "not a Word document (.docx): it is a PDF", RESAVE),
    (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(500),
     "not a Word document (.docx): it is an older Word document (.doc), or a .docx protected"
     " with a password", RESAVE),
    ("cut short", "the file is damaged: it is cut short, or its zip directory is broken",
     DAMAGED),
], ids=["text", "empty", "pdf", "doc", "cut-short"])
def test_a_file_that_is_not_a_zip_is_said_to_be_what_it_is(
        project: Project, rendered: Path, yaml_file: Path, cli: Any, content: Any,
        message: str, hint: str) -> None:
    before = yaml_file.read_bytes()
    hostile = project.root / "hostile.docx"
    raw = rendered.read_bytes()
    hostile.write_bytes(raw[:len(raw) // 2] if content == "cut short" else content)

    refused(import_(cli, hostile, "--yes"), message, hint)
    assert yaml_file.read_bytes() == before


def test_a_zip_without_the_document_is_refused(
        project: Project, rendered: Path, yaml_file: Path, cli: Any) -> None:
    before = yaml_file.read_bytes()
    without = rewrite(rendered, project.root / "hostile.docx", {DOCUMENT: None})
    other = project.root / "arkiv.docx"
    with zipfile.ZipFile(other, "w") as package:
        package.writestr("notat.txt", "Notat fra møtet")

    refused(import_(cli, without, "--yes"), "the file is not a whole Word document:"
            f" {DOCUMENT}, which holds its text, is missing", DAMAGED)
    refused(import_(cli, other, "--yes"), "not a Word document (.docx): the zip package holds"
            " no word/document.xml", RESAVE, "arkiv.docx")
    assert yaml_file.read_bytes() == before


# --- the XML -------------------------------------------------------------------------------

LAUGHS = "[<!ENTITY a0 \"ha\">" + "".join(
    f"<!ENTITY a{n} \"{f'&a{n - 1};' * 10}\">" for n in range(1, 10)) + "]"
DTD_MESSAGE = ("{part} in the file declares a DTD (<!DOCTYPE …>), which a Word document never"
               " has; the file was not read")
DTD_HINT = ("  hint: import the document as Word or LibreOffice saved it (Word does not open a"
            " document with a DTD either)\n")


@pytest.mark.parametrize(("part", "edit"), [
    (DOCUMENT, with_dtd("w:document", LAUGHS, "&a9;")),
    (STYLES, lambda d: with_dtd("w:styles", LAUGHS)(d).replace(
        b'<w:name w:val="Normal"/>', b'<w:name w:val="Normal&a9;"/>', 1)),
], ids=["document", "styles"])
def test_billion_laughs_is_refused_at_once(
        project: Project, rendered: Path, yaml_file: Path, part: str, edit: Any) -> None:
    """10⁹ "ha" through nested entities. Before: exit 70 (libxml2's amplification limit)."""
    before = yaml_file.read_bytes()
    hostile = rewrite(rendered, project.root / "hostile.docx", {part: edit})

    refused(process(project, hostile, "--yes"), DTD_MESSAGE.format(part=part), DTD_HINT)
    assert yaml_file.read_bytes() == before


def utf16_with_dtd(data: bytes) -> bytes:
    text = data.decode("utf-8").replace("encoding='UTF-8'", "encoding='UTF-16'")
    text = with_dtd("w:document", '[<!ENTITY firma "Drammen">]', "&firma; ")(
        text.encode("utf-8")).decode("utf-8")
    return codecs.BOM_UTF16_LE + text.encode("utf-16-le")


@pytest.mark.parametrize("edit", [
    with_dtd("w:document", '[<!ENTITY firma "Drammen kommune">]', "&firma; "),
    with_dtd("w:document", '[<!ENTITY passord SYSTEM "file:///etc/passwd">]', "&passord; "),
    with_dtd("w:document", 'SYSTEM "http://127.0.0.1:{port}/ord.dtd"', "&firma; "),
    utf16_with_dtd,
], ids=["internal-entity", "file-entity", "network-dtd", "utf-16"])
def test_a_dtd_is_refused_and_nothing_is_fetched(
        project: Project, rendered: Path, yaml_file: Path, cli: Any, edit: Any) -> None:
    """Before: the text after the entity was dropped without a note, and the YAML written."""
    before = yaml_file.read_bytes()
    with listener() as (port, seen):
        def part(data: bytes) -> bytes:
            return edit(data).replace(b"{port}", str(port).encode())
        hostile = rewrite(rendered, project.root / "hostile.docx", {DOCUMENT: part})
        result = import_(cli, hostile, "--yes")

    refused(result, DTD_MESSAGE.format(part=DOCUMENT), DTD_HINT)
    assert seen == []
    assert yaml_file.read_bytes() == before


@pytest.mark.parametrize(("edit", "what"), [
    (replace_once("</w:body>", "</w:bod>"), "Opening and ending tag mismatch: body line 2 and bod"),
    (replace_once("Tre tiltak", "&firma; Tre tiltak"), "Entity 'firma' not defined"),
    (lambda d: d[:d.index(b"Tre tiltak")], "Premature end of data in tag t line 2"),
], ids=["tag-mismatch", "undefined-entity", "cut-short"])
def test_xml_that_is_not_well_formed_is_damage(
        project: Project, rendered: Path, yaml_file: Path, cli: Any, edit: Any,
        what: str) -> None:
    """Before: exit 70 from lxml's XMLSyntaxError."""
    before = yaml_file.read_bytes()
    hostile = rewrite(rendered, project.root / "hostile.docx", {DOCUMENT: edit})

    result = import_(cli, hostile, "--yes")

    assert (result.code, result.out) == (1, "")
    assert re.fullmatch(
        re.escape(f"hostile.docx: error: the file is damaged: {DOCUMENT} in it is not"
                  " well-formed XML (line 2, column ") + r"\d+" + re.escape(f": {what})\n")
        + re.escape(DAMAGED), result.err), result.err
    assert yaml_file.read_bytes() == before


def test_comments_and_instructions_in_a_paragraph_lose_no_text(
        project: Project, rendered: Path, yaml_file: Path, cli: Any) -> None:
    """Before: a comment between runs was exit 70; inside w:t it dropped the text after it."""
    before = yaml_file.read_bytes()
    hostile = rewrite(rendered, project.root / "hostile.docx", {DOCUMENT: replace_once(
        "<w:t>Tre tiltak er prioritert, fra punkt:</w:t></w:r>",
        "<w:t>Tre <!-- merknad -->tiltak<?pi x?> er prioritert, fra punkt:</w:t></w:r>"
        "<!-- mellom -->")})

    assert tuple(import_(cli, hostile, "--yes")) == (0, NOTHING, "")
    assert yaml_file.read_bytes() == before


# --- styles and lists ------------------------------------------------------------------------

NORMAL = '<w:style w:type="paragraph" w:default="1" w:styleId="Normal"><w:name w:val="Normal"/>'
SITAT = ('<w:style w:type="paragraph" w:styleId="Sitat"><w:name w:val="Sitat"/>'
         '<w:basedOn w:val="Normal"/></w:style>')
LINK = '<w:style w:type="character" w:customStyle="1" w:styleId="Hyperlink"><w:name w:val="Hyperlink"/>'  # noqa: E501
DEFAULT_FONT = ('<w:style w:type="character" w:default="1" w:styleId="DefaultParagraphFont">'
                '<w:name w:val="Default Paragraph Font"/>')


def style_loop(case: str) -> Callable[[bytes], bytes]:
    def edit(data: bytes) -> bytes:
        if case == "itself":
            return replace_once(NORMAL, NORMAL + '<w:basedOn w:val="Normal"/>')(data)
        if case == "two":
            data = replace_once(NORMAL, NORMAL + '<w:basedOn w:val="Sitat"/>')(data)
            return replace_once("</w:styles>", SITAT + "</w:styles>")(data)
        data = replace_once(LINK, LINK + '<w:basedOn w:val="DefaultParagraphFont"/>')(data)
        return replace_once(DEFAULT_FONT, DEFAULT_FONT + '<w:basedOn w:val="Hyperlink"/>')(data)
    return edit


@pytest.mark.parametrize(("case", "note"), [
    ("itself", "in the document's styles, 'Normal' is based on itself; that was ignored"),
    ("two", "in the document's styles, 'Normal' and 'Sitat' are based on each other in a loop;"
     " the loop was cut where it closes"),
    ("character", "in the document's styles, 'Hyperlink' and 'Default Paragraph Font' are"
     " based on each other in a loop; the loop was cut where it closes"),
])
def test_a_loop_of_style_bases_is_cut_and_noted(
        project: Project, rendered: Path, yaml_file: Path, case: str, note: str) -> None:
    """Before: `itself` and `two` hung (a while loop over base_style); `character` was a
    RecursionError, exit 70."""
    before = yaml_file.read_bytes()
    hostile = rewrite(rendered, project.root / "hostile.docx", {STYLES: style_loop(case)})

    result = process(project, hostile, "--yes")

    assert tuple(result) == (0, NOTHING, f"hostile.docx: note: {note}\n")
    assert yaml_file.read_bytes() == before


def test_a_quote_in_a_style_id_is_just_an_unknown_style(
        project: Project, rendered: Path, yaml_file: Path, cli: Any) -> None:
    """Before: python-docx's XPath lookup of the id failed, exit 70."""
    before = yaml_file.read_bytes()
    hostile = rewrite(rendered, project.root / "hostile.docx", {DOCUMENT: replace_once(
        '<w:pStyle w:val="Normal"/>', '<w:pStyle w:val="No&quot;rmal\']"/>')})

    assert tuple(import_(cli, hostile, "--yes")) == (0, NOTHING, "")
    assert yaml_file.read_bytes() == before


def test_a_list_level_or_outline_level_that_is_not_a_number_is_noted(
        project: Project, rendered: Path, yaml_file: Path, cli: Any) -> None:
    """Before: int() raised ValueError, exit 70 (also for a superscript two, which
    str.isdigit() takes for a digit)."""
    before = yaml_file.read_bytes()

    def edit(data: bytes) -> bytes:
        data = data.replace(b'<w:ilvl w:val="0"/>', b'<w:ilvl w:val="x"/>')
        return replace_once('<w:pStyle w:val="Heading3"/>',
                            '<w:pStyle w:val="Heading3"/><w:outlineLvl w:val="\u00b2"/>')(data)

    result = import_(cli, rewrite(rendered, project.root / "hostile.docx", {DOCUMENT: edit}),
                     "--yes")

    assert (result.code, result.out) == (0, NOTHING)
    assert result.err.splitlines() == [f"hostile.docx: note: {note}" for note in [
        "paragraph 7 (after 'Økonomisk status'): its outline level '²' is not a number; it was"
        " ignored",
        "paragraph 16 (after 'Tiltak'): its list level 'x' is not a number; it was read as the"
        " first level",
        "paragraph 17 (after 'Tiltak'): its list level 'x' is not a number; it was read as the"
        " first level",
    ]]
    assert yaml_file.read_bytes() == before


def test_a_list_start_that_is_not_a_number_starts_at_one(
        project: Project, rendered: Path, yaml_file: Path, cli: Any) -> None:
    """Before: int() raised ValueError, exit 70."""
    hostile = rewrite(rendered, project.root / "hostile.docx", {NUMBERING: lambda d: re.sub(
        rb'<w:(start|startOverride) w:val="\d+"/>', rb'<w:\1 w:val="tre"/>', d)})

    result = import_(cli, hostile, "--yes")

    assert result.code == 0
    assert result.err == ("hostile.docx: note: paragraph 16 (after 'Tiltak'): its list is set"
                          " to start at 'tre', which is not a number; it was numbered from 1\n")
    assert yaml_file.read_text(encoding="utf-8") == AREA.replace(
        "    3. Skolebygg\n    4. Idrettshaller\n", "    1. Skolebygg\n    2. Idrettshaller\n")


# --- characters ----------------------------------------------------------------------------

def test_characters_yaml_cannot_hold_as_typed_become_a_space_or_go_with_a_note(
        project: Project, rendered: Path, yaml_file: Path, cli: Any) -> None:
    """NEL (U+0085), U+2028 and a C1 control in a paragraph, NEL in a table cell. Before: the
    merged YAML did not read back as the document (ruamel writes them raw into a block
    scalar), exit 70."""
    def edit(data: bytes) -> bytes:
        data = replace_once("<w:t>Markedsføring</w:t>", "<w:t>Markeds\u0085føring</w:t>")(data)
        return replace_once("Programområdet forventer et årsresultat i tråd med budsjettet.",
                            "Programområdet\u0085venter et\u2028årsresultat i tråd med\x80"
                            " budsjettet.")(data)

    result = import_(cli, rewrite(rendered, project.root / "hostile.docx", {DOCUMENT: edit}),
                     "--yes")

    assert result.code == 0
    assert result.err.splitlines() == [f"hostile.docx: note: {note}" for note in [
        "table 10 (after 'Fakta'): in the figures table, character U+0085 (next line, a line"
        " break) became a space; the YAML cannot hold it as typed",
        "paragraph 19 (after 'Konklusjon'): character U+0085 (next line, a line break) became a"
        " space; the YAML cannot hold it as typed",
        "paragraph 19 (after 'Konklusjon'): character U+2028 (line separator, a line break)"
        " became a space; the YAML cannot hold it as typed",
        "paragraph 19 (after 'Konklusjon'): control character U+0080 was left out; the YAML"
        " cannot hold it as typed",
    ]]
    assert yaml_file.read_text(encoding="utf-8") == AREA.replace(
        "forventer et årsresultat", "venter et årsresultat").replace(
        "navn: Markedsføring", "navn: Markeds føring")


# --- the YAML file's line ends ----------------------------------------------------------------

@pytest.mark.parametrize("bom", [b"", codecs.BOM_UTF8], ids=["crlf", "crlf-bom"])
def test_a_crlf_file_keeps_its_line_ends(
        project: Project, cli: Any, bom: bytes) -> None:
    """Before: the whole file was written back with LF line ends (and without its BOM)."""
    path = project.inputs / "2017-T1" / "08.yaml"
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(bom + AREA.replace("\n", "\r\n").encode("utf-8"))
    assert render(cli, project, "docx").code == 0
    edited = edited_copy(project, user_edits)

    result = import_(cli, edited, "--yes")

    assert (result.code, result.err) == (0, "")
    written = path.read_bytes()
    assert written == bom + EDITED_YAML.replace("\n", "\r\n").encode("utf-8")
    assert b"\n" not in written.replace(b"\r\n", b"")
    assert "\r" not in result.out  # the diff shows lines, not line ends
