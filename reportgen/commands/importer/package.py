"""Open a DOCX to import safely: the zip checked against limits, every XML part parsed strictly.

A .docx is a zip package of XML parts. Before python-docx sees it, the file is read here once,
into memory: its size, the number of entries, the sizes they declare and how tightly they are
packed are checked against the limits below; then every entry is unpacked with a cap (a header
that understates its size cannot run past it) and its checksum checked; then every XML part is
parsed with entity expansion, DTD loading and network access off. A part that declares a DTD
is refused: Word writes none (and does not open a document that has one), and a DTD is where
entity bombs and references to other files live. Each part must then be of the kind
python-docx takes it for (kinds.py), before and after python-docx reads the checked bytes,
and the main document must have its body. Every refusal is an InputError at the document, in
words, with a hint. Imports errors, importer.common and importer.kinds.
"""

from __future__ import annotations

import io
import posixpath
import re
import zipfile
import zlib
from pathlib import Path
from typing import Any

from reportgen import project
from reportgen.commands.importer.common import where
from reportgen.commands.importer.kinds import (
    CONTENT_TYPES,
    RELATIONSHIPS,
    TYPES,
    check_body,
    check_related,
    check_roots,
    damaged,
)
from reportgen.errors import InputError
from reportgen.messages import _

MAX_FILE_BYTES = 100_000_000  # the .docx file itself
MAX_TOTAL_BYTES = 100_000_000  # all its entries unpacked
MAX_PART_BYTES = 20_000_000  # one entry unpacked
MAX_ENTRIES = 10_000
MAX_RATIO = 200  # unpacked : packed, for an entry that unpacks to more than RATIO_FLOOR
RATIO_FLOOR = 1_000_000
CHUNK = 1 << 16

OFFICE_DOCUMENT = "/officeDocument"  # the end of the main document's relationship type
RELS = f"{RELATIONSHIPS}Relationship"


def _signatures() -> tuple[tuple[bytes, str], ...]:
    """What a file that is not a zip often is: its first bytes, and what it is, in words."""
    return ((b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1", _("it is an older Word document (.doc), or"
                                                   " a .docx protected with a password")),
            (b"%PDF", _("it is a PDF")), (b"{\\rtf", _("it is an RTF document")))


def _resave() -> str:
    return _("open it in Word or LibreOffice and save it as Word Document (.docx), then import"
             " that")


def _not_words() -> str:
    return _("import the document as Word or LibreOffice saved it; Word never writes a"
             " document like this")


def _large() -> str:
    return _("an area document unpacks to well under a megabyte; if this one holds large"
             " pictures or pasted objects, delete them in Word (they are not imported), save,"
             " and import again")


def open_document(path: Path) -> Any:
    """The python-docx Document of the file at `path`, once the package passed every check;
    an InputError (in words, with a hint) for a file that is not a sound Word document."""
    import docx
    from docx.opc.exceptions import PackageNotFoundError

    raw = _read_file(path)
    roots = _check_xml(_unpacked(raw, path), path)  # the parts go again: python-docx reads raw
    try:
        document = docx.Document(io.BytesIO(raw))
    except (PackageNotFoundError, KeyError, ValueError) as exc:
        raise InputError(_("cannot read the file as a Word document (.docx)"),
                         location=where(path), hint=_resave()) from exc
    check_related(document, roots, path)
    check_body(document, path)
    return document


def _read_file(path: Path) -> bytes:
    if not project.exists(path):
        raise InputError(_("no such file"), location=where(path),
                         hint=_("give the path of the .docx to import"))
    size = project.check_file(path).st_size  # a named pipe would hang the zip reader
    try:
        if size > MAX_FILE_BYTES:
            raise InputError(_("the file is {size} bytes, more than the limit of"
                               " {limit}").format(size=size, limit=MAX_FILE_BYTES),
                             location=where(path), hint=_large())
        return path.read_bytes()
    except OSError as exc:
        raise InputError(_("cannot read the file: {reason}").format(reason=exc.strerror),
                         location=where(path),
                         hint=_("check that the file exists and that you may read it")) from exc


def _unpacked(raw: bytes, path: Path) -> dict[str, bytes]:
    """Every entry of the zip, unpacked within the limits, by name (the last of a name)."""
    if not zipfile.is_zipfile(io.BytesIO(raw)):
        _not_a_zip(raw, path)
    try:
        with zipfile.ZipFile(io.BytesIO(raw)) as package:
            infos = package.infolist()
            _check_declared(infos, path)
            parts, total = {}, 0
            for info in infos:
                parts[info.filename] = _unpack(package, info, MAX_TOTAL_BYTES - total, path)
                total += len(parts[info.filename])
            return parts
    except zipfile.BadZipFile as exc:
        raise InputError(_("the file is damaged: its zip directory is broken ({reason})").format(
            reason=exc), location=where(path), hint=damaged()) from exc


def _not_a_zip(raw: bytes, path: Path) -> None:
    if raw.startswith(b"PK\x03\x04"):
        raise InputError(_("the file is damaged: it is cut short, or its zip directory is"
                           " broken"), location=where(path), hint=damaged())
    what = next((words for signature, words in _signatures() if raw.startswith(signature)),
                _("the file is not a zip package, as every .docx is"))
    raise InputError(_("not a Word document (.docx): {what}").format(what=what),
                     location=where(path), hint=_resave())


def _check_declared(infos: list[zipfile.ZipInfo], path: Path) -> None:
    """The entry count and the sizes the zip's directory declares, before unpacking any."""
    if len(infos) > MAX_ENTRIES:
        raise InputError(_("the file holds {count} entries, more than the limit of"
                           " {limit}").format(count=len(infos), limit=MAX_ENTRIES),
                         location=where(path), hint=_not_words())
    total = sum(info.file_size for info in infos)
    if total > MAX_TOTAL_BYTES:
        raise InputError(_("the file would unpack to {size} bytes, more than the limit of"
                           " {limit}").format(size=total, limit=MAX_TOTAL_BYTES),
                         location=where(path), hint=_large())
    for info in infos:
        if info.file_size > MAX_PART_BYTES:
            raise InputError(_("{part} in the file would unpack to {size} bytes, more than the"
                               " limit of {limit} for one part").format(
                part=info.filename, size=info.file_size, limit=MAX_PART_BYTES),
                location=where(path), hint=_large())
        if info.file_size > RATIO_FLOOR and info.file_size > MAX_RATIO * info.compress_size:
            ratio = info.file_size // max(info.compress_size, 1)
            raise InputError(_("{part} in the file is packed {ratio} to 1, more than the limit"
                               " of {limit} to 1: it is made to unpack to far more than it"
                               " holds").format(part=info.filename, ratio=ratio,
                                                limit=MAX_RATIO),
                             location=where(path), hint=_not_words())
        if info.flag_bits & 0x1:
            raise InputError(_("the file is protected with a password"), location=where(path),
                             hint=_("remove the password in Word (File, Info, Protect"
                                    " Document), save, and import again"))


def _unpack(package: zipfile.ZipFile, info: zipfile.ZipInfo, left: int, path: Path) -> bytes:
    """One entry's bytes, unpacked in chunks that stop at its declared size or the limit."""
    cap = min(info.file_size, MAX_PART_BYTES, left)
    chunks, size = [], 0
    try:
        with package.open(info) as stream:
            while chunk := stream.read(CHUNK):
                size += len(chunk)
                if size > cap:
                    raise InputError(_("the file is damaged: {part} in it unpacks to more"
                                       " than the {limit} bytes it may").format(
                        part=info.filename, limit=cap), location=where(path), hint=damaged())
                chunks.append(chunk)
    except (zipfile.BadZipFile, zlib.error, EOFError, NotImplementedError) as exc:
        raise InputError(_("the file is damaged: {part} in it cannot be unpacked"
                           " ({reason})").format(part=info.filename, reason=_why(exc)),
                         location=where(path), hint=damaged()) from exc
    return b"".join(chunks)


def _why(exc: Exception) -> str:
    """Why an entry cannot be unpacked, in words."""
    if isinstance(exc, zlib.error):
        return _("its compressed data is broken")
    if isinstance(exc, EOFError):
        return _("it is cut short")
    if isinstance(exc, NotImplementedError):
        return _("it is packed in a way Word does not use")
    return _("its checksum does not match") if "CRC" in str(exc) else str(exc)


# --- the XML parts ---------------------------------------------------------------------------

def _check_xml(parts: dict[str, bytes], path: Path) -> dict[str, str]:
    """Every XML part well-formed, without a DTD and of the kind python-docx takes it for;
    the main document there. The root element of each XML part, by name."""
    no_document = InputError(_("not a Word document (.docx): the zip package holds no"
                               " word/document.xml"), location=where(path), hint=_resave())
    if CONTENT_TYPES not in parts or "_rels/.rels" not in parts:
        raise no_document
    types = _parse(CONTENT_TYPES, parts[CONTENT_TYPES], path)
    roots = {CONTENT_TYPES: types.tag}
    content_types = _types(types)
    for name, data in parts.items():
        if name.lower().endswith((".xml", ".rels")) or _is_xml(name, content_types):
            roots[name] = _parse(name, data, path).tag  # only the root's tag is kept
    check_roots(roots, lambda name: _content_type(name, content_types), path)
    main = next((r.get("Target", "") for r in _parse("_rels/.rels", parts["_rels/.rels"],
                                                       path).iter(RELS)
                 if r.get("Type", "").endswith(OFFICE_DOCUMENT)), None)
    if main is None:
        raise no_document
    main = posixpath.normpath("/" + main).lstrip("/")  # as python-docx resolves it
    if main not in parts:
        raise InputError(_("the file is not a whole Word document: {part}, which holds its"
                           " text, is missing").format(part=main), location=where(path),
                         hint=damaged())
    return roots


def _types(types: Any) -> tuple[dict[str, str], dict[str, str]]:
    """The content types by extension (Default) and by part name (Override), in lower case
    as python-docx looks them up."""
    def kind(element: Any) -> str:
        return element.get("ContentType", "")

    defaults = {e.get("Extension", "").lower(): kind(e) for e in types.iter(f"{TYPES}Default")}
    overrides = {e.get("PartName", "").lower().lstrip("/"): kind(e)
                 for e in types.iter(f"{TYPES}Override")}
    return defaults, overrides


def _content_type(name: str, types: tuple[dict[str, str], dict[str, str]]) -> str:
    """A part's content type ("" if none), as python-docx finds it: by name, then extension."""
    defaults, overrides = types
    if name.lower() in overrides:
        return overrides[name.lower()]
    return defaults.get(name.rsplit(".", 1)[-1].lower() if "." in name else "", "")


def _is_xml(name: str, types: tuple[dict[str, str], dict[str, str]]) -> bool:
    return _content_type(name, types).lower().endswith("xml")


def _parse(name: str, data: bytes, path: Path) -> Any:
    """One XML part parsed without entities, DTDs or the network; refused if it has a DTD."""
    from lxml import etree

    if _declares_dtd(data):
        _dtd(name, path)
    parser = etree.XMLParser(resolve_entities=False, no_network=True, load_dtd=False,
                             huge_tree=False)
    try:
        root = etree.fromstring(data, parser)
    except etree.XMLSyntaxError as exc:
        line, column = exc.position
        raise InputError(_("the file is damaged: {part} in it is not well-formed XML (line"
                           " {line}, column {column}: {reason})").format(
            part=name, line=line, column=column, reason=_first_error(exc)),
            location=where(path), hint=damaged()) from exc
    if root.getroottree().docinfo.doctype:  # in an encoding _declares_dtd does not read
        _dtd(name, path)
    return root


def _first_error(exc: Any) -> str:
    """libxml2's words for the error, without the place (exc.error_log also holds earlier
    parses' errors)."""
    return re.sub(r", line \d+, column \d+$", "", str(exc.msg))


def _dtd(name: str, path: Path) -> None:
    raise InputError(_("{part} in the file declares a DTD (<!DOCTYPE …>), which a Word"
                       " document never has; the file was not read").format(part=name),
                     location=where(path),
                     hint=_("import the document as Word or LibreOffice saved it (Word does"
                            " not open a document with a DTD either)"))


def _declares_dtd(data: bytes) -> bool:
    """Whether the XML's prolog (before the first element) holds <!DOCTYPE, in UTF-8 or
    UTF-16 (what OPC allows), skipping the declaration, comments and instructions."""
    head = data[:2]
    encoding = ("utf-16-le" if head in (b"\xff\xfe", b"<\x00")
                else "utf-16-be" if head in (b"\xfe\xff", b"\x00<") else "utf-8")
    text = data.decode(encoding, "replace").lstrip("\ufeff")
    at = 0
    while True:
        while at < len(text) and text[at] in " \t\r\n":
            at += 1
        ends = {"<?": "?>", "<!--": "-->"}
        opener = next((o for o in ends if text.startswith(o, at)), None)
        if opener is None:
            return text.startswith("<!DOCTYPE", at)
        close = text.find(ends[opener], at + len(opener))
        if close < 0:
            return False
        at = close + len(ends[opener])
