"""`reportgen import`: an edited area DOCX back into its YAML input.

Reads a document that `reportgen render` wrote (as Word or LibreOffice saved it again), maps
its headings to the fields of inputs/<period>/<area>.yaml by the labels of the document's
language, turns paragraphs back into the Markdown subset of markup.py, and merges only the
changed values into the YAML with ruamel.yaml, keeping the authors' comments, key order and
quoting. Whatever cannot be mapped becomes a note with its place, never dropped silently.
Imports errors, sources, validate, markup, present and build (labels, kommune.yaml).
"""

from __future__ import annotations

import difflib
import io
import os
import re
import tempfile
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation
from itertools import groupby
from pathlib import Path
from typing import Any

from reportgen import sources
from reportgen.errors import (
    InputError, OutputError, ReportgenError, ReportgenErrors, SourceLocation,
)
from reportgen.markup import BULLET, HEADING, NUMBERED, escape, parse_blocks, parse_spans
from reportgen.period import Period

W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
R_ID = "{http://schemas.openxmlformats.org/officeDocument/2006/relationships}id"
IDENTIFIER = re.compile(r"reportgen:(\d{4}-T[123])/(\S+)")
FIELDS = ("ingress", "fakta", "vurdering", "konklusjon", "investeringer")
BASE_LEVEL = {"ingress": 2, "fakta": 4, "vurdering": 4, "konklusjon": 4, "investeringer": 3}
STATUS_LABELS = {"facts": "fakta", "assessment": "vurdering", "conclusion": "konklusjon"}
AMOUNTS = {1: "regnskap", 2: "budsjett", 4: "årsbudsjett", 5: "prognose"}
TRACKED = {f"{W}{t}" for t in ("ins", "del", "moveFrom", "moveTo", "rPrChange", "pPrChange",
                                "tblPrChange", "trPrChange", "tcPrChange", "sectPrChange")}
CONTAINERS = {f"{W}{t}" for t in ("ins", "moveTo", "smartTag", "customXml", "sdt",
                                  "sdtContent", "dir", "bdo")}
PICTURES = {f"{W}drawing", f"{W}pict", f"{W}object"}
SPACES = " \t"
NOT_SHOWN = "not imported"


@dataclass(frozen=True)
class Piece:
    """A stretch of a paragraph's accepted text with its emphasis and link target."""

    text: str
    bold: bool = False
    italic: bool = False
    href: str | None = None


@dataclass
class OtherItem:
    """One Andre forhold subsection: its heading (None: untitled text) and markup blocks."""

    heading: str | None
    chunks: list[str] = field(default_factory=list)  # one paragraph, list or `#` line each

    @property
    def text(self) -> str:
        """The item's text as it goes into `tekst`."""
        return "\n\n".join(self.chunks)


@dataclass
class ImportedTable:
    """The figures table as shown: data rows and the sum row, seven cell texts each."""

    rows: list[tuple[str, ...]]
    sum_row: tuple[str, ...] | None
    unit: str | None  # from the caption above the table, when it names one
    header: tuple[str, ...]  # the column headings reportgen writes, for notes
    where: str


@dataclass
class ImportedArea:
    """What an area document holds, as input values (markup text), plus notes."""

    path: Path
    period: str
    code: str
    language: str
    texts: dict[str, str] = field(default_factory=dict)  # the fields whose heading is there
    figures: ImportedTable | None = None
    other_matters: list[OtherItem] | None = None  # None: no "Andre forhold" heading
    notes: list[str] = field(default_factory=list)


@dataclass(frozen=True)
class ImportResult:
    """The YAML before and after the import, and the notes for the user."""

    yaml_path: Path
    old_text: str
    new_text: str
    notes: tuple[str, ...]

    @property
    def changed(self) -> bool:
        """Whether the import changes the YAML at all."""
        return self.old_text != self.new_text


# --- the command's steps -------------------------------------------------------------------

def import_docx(docx_path: Path, inputs: Path, templates: Path | None = None) -> ImportResult:
    """Read the document, find its area file below `inputs` and merge; writes nothing."""
    imported = read_docx(docx_path, templates)
    yaml_path = sources.area_path(inputs, imported.period, imported.code)
    if not yaml_path.is_file():
        raise InputError(
            f"this document is area {imported.code} of {imported.period}, but"
            f" {sources.display_path(yaml_path)} does not exist",
            location=_where(docx_path),
            hint="pass the inputs folder the document was rendered from with --inputs",
        )
    old = yaml_path.read_text(encoding="utf-8-sig")
    new, notes = _merge(yaml_path, old, imported)
    return ImportResult(yaml_path, old, new, tuple(imported.notes + notes))


def unified_diff(result: ImportResult) -> str:
    """The change to the YAML file as a unified diff."""
    name = sources.display_path(result.yaml_path)
    old, new = result.old_text.splitlines(True), result.new_text.splitlines(True)
    lines = difflib.unified_diff(old, new, f"a/{name}", f"b/{name}")
    return "".join(line if line.endswith("\n") else line + "\n" for line in lines)


def write_yaml(path: Path, text: str) -> None:
    """Replace the YAML file atomically (temporary file beside it, then rename)."""
    temp = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    try:
        with open(temp, "w", encoding="utf-8", newline="") as handle:
            handle.write(text)
            handle.flush()
            os.fsync(handle.fileno())
        os.chmod(temp, path.stat().st_mode & 0o7777)
        os.replace(temp, path)
    except BaseException as exc:
        temp.unlink(missing_ok=True)
        if not isinstance(exc, OSError):
            raise
        raise OutputError(f"cannot write the input file: {exc.strerror}",
                          location=_where(path), hint="check the file's permissions") from exc


def _where(path: Path) -> SourceLocation:
    return SourceLocation(sources.display_path(path))


# --- reading the document ------------------------------------------------------------------

def read_docx(path: Path, templates: Path | None = None) -> ImportedArea:
    """The area document at `path` as input values; InputError if reportgen did not write it."""
    document = _open(path)
    props = document.core_properties
    match = IDENTIFIER.fullmatch((props.identifier or "").strip())
    if match is None:
        raise InputError(
            "not a document written by reportgen", location=_where(path),
            hint="import an area document from `reportgen render` (such as build/2017-T1/08.docx),"
            " saved by Word or LibreOffice; its properties name its source",
        )
    if not re.fullmatch(r"\d{2}", match.group(2)):
        raise InputError("this is the whole report; import reads one area's document",
                         location=_where(path),
                         hint="import the area documents (such as 08.docx) one at a time")
    language = (props.language or "nb")[:2].lower()
    language = language if language in ("nb", "nn") else "nb"
    from reportgen.build import load_labels

    labels = load_labels(templates or _templates(), language)
    imported = ImportedArea(path, match.group(1), match.group(2), language)
    _Reader(document, labels, Period.parse(imported.period), imported).read(props.title or "")
    return imported


def _open(path: Path) -> Any:
    import docx
    from docx.opc.exceptions import PackageNotFoundError

    if not path.is_file():
        raise InputError("no such file", location=_where(path),
                         hint="give the path of the .docx to import")
    try:
        return docx.Document(str(path))
    except (PackageNotFoundError, OSError, KeyError, ValueError) as exc:
        raise InputError(
            "cannot read the file as a Word document (.docx)", location=_where(path),
            hint="save it as Word (.docx) in Word or LibreOffice, then import that file",
        ) from exc


def _templates() -> Path:
    """./templates when the project has one, else the templates shipped with reportgen."""
    package = Path(__file__).resolve().parent
    for candidate in (Path("templates"), package / "templates", package.parent / "templates"):
        if candidate.is_dir():
            return candidate
    return Path("templates")


class _Reader:
    """Walks the body in order; a state machine over the fixed structure of an area."""

    def __init__(self, document: Any, labels: dict[str, str], period: Period,
                 out: ImportedArea) -> None:
        self.doc, self.labels, self.out = document, labels, out
        self.inline = _Inline(document)
        self.section = "start"  # start, lead, status, investments, other
        self.target: str | int | None = None  # a field name, or an index into other_matters
        self.chunks: dict[str | int, list[str]] = {}
        self.skipping: list[Any] | None = None  # an unknown heading: note, its place, count
        self.list_open: tuple[str | int, bool, int] | None = None  # target, ordered, next no.
        self.number, self.after, self.carry = 0, "", [Piece("")]
        words = {"month": period.month, "year": period.year}
        self.captions = {labels[k].format(unit=u, **words): u for u in ("mill. kr", "1000 kr")
                         for k in ("table_caption", "table_note")}
        self.header = tuple(labels[k].format(unit="", **words) for k in (
            "col_name", "col_accounts", "col_budget", "col_deviation", "col_annual_budget",
            "col_forecast", "col_forecast_deviation"))
        self.caption_unit: str | None = None
        self.moved = False  # the note about text after the table is given once

    def read(self, title: str) -> None:
        """Fill `out` from the body, then add the notes about the whole document."""
        self.title = title
        for element in _blocks(self.doc.element.body):
            self.number += 1
            self.kind = "table" if element.tag == f"{W}tbl" else "paragraph"
            if element.tag == f"{W}tbl":
                self._table(element)
            else:
                self._paragraph(element)
        self._end_skip()
        self._finish()

    def _here(self) -> str:
        after = f" (after {self.after!r})" if self.after else ""
        return f"{self.kind} {self.number}{after}"

    def note(self, what: str) -> None:
        """A note about the current paragraph, with its place."""
        self.out.notes.append(f"{self._here()}: {what}")

    # paragraphs ------------------------------------------------------------------------------

    def _paragraph(self, p: Any) -> None:
        pieces = self.inline.pieces(p)
        for what in self.inline.take_notes():
            self.note(what)
        if _mark_deleted(p):  # a tracked deletion of the paragraph mark joins it to the next
            self.carry += pieces
            return
        pieces, self.carry = self.carry + pieces, [Piece("")]
        text = "".join(x.text for x in pieces).strip(SPACES + "\n")
        level, style = self._level(p)
        if level and text:
            self._heading(level, re.sub(r"[ \t\n]+", " ", text))
        elif text and style in ("Caption", "Table Note") and self.target == "fakta":
            self._caption(text)
        elif text:
            self._text(p, pieces)

    def _level(self, p: Any) -> tuple[int, str]:
        """(heading level or 0, style name) of a paragraph."""
        outline = p.find(f"{W}pPr/{W}outlineLvl")
        style = _paragraph_style(self.doc, p)
        name = style.name or ""
        if outline is not None and outline.get(f"{W}val", "9").isdigit():
            return min(int(outline.get(f"{W}val")) + 1, 10) % 10, name
        while style is not None:
            if style.name == "Title":
                return 1, name
            if found := re.fullmatch(r"Heading ([1-9])", style.name or ""):
                return int(found.group(1)), name
            style = style.base_style
        return 0, name

    def _heading(self, level: int, text: str) -> None:
        self.list_open = None
        if self.skipping:  # only the unknown heading's own text is skipped
            self.target = self.skipping[3]
            self._end_skip()
        if self.section == "start" and level == 1:
            self._title(text)
        elif self.section == "start":
            self.note("the title (a heading 1) is missing; the text before here was " + NOT_SHOWN)
            self.section, self.target = "lead", "ingress"
            self._heading(level, text)
        elif not self._structural(level, text):
            if self.target is not None and level >= self._base():
                self._add("#" * min(level - self._base() + 1, 6) + " " + escape(text))
            else:
                what = f"{self._here()}: a heading {level} {text!r} that is not part of an" \
                       " area's structure; it"
                self.skipping = [what, len(self.out.notes), 0, self.target]
                self.target = None
        self.after = text

    def _title(self, text: str) -> None:
        self.section, self.target = "lead", "ingress"
        if self.title and text != self.title:
            self.note("the title is made from the area's name in kommune.yaml; the edit was "
                      + NOT_SHOWN)

    def _structural(self, level: int, text: str) -> bool:
        """Headings of the fixed structure move to their field; True when `text` is one."""
        label = {self.labels[k]: k for k in (
            "economic_status", "investments", "other_matters", *STATUS_LABELS)}.get(text)
        if level == 2 and label in ("economic_status", "investments", "other_matters"):
            self.section = {"economic_status": "status", "investments": "investments",
                            "other_matters": "other"}[label]
            self.target = "investeringer" if label == "investments" else None
            if label == "other_matters":
                self.out.other_matters = self.out.other_matters or []
        elif level == 3 and self.section == "status" and label in STATUS_LABELS:
            self.target = STATUS_LABELS[label]
        elif level == 3 and self.section == "other":
            self.target = self._new_item(text)
        else:
            return False
        self._end_skip()
        if isinstance(self.target, str):
            if self.target in self.chunks:
                self.note(f"a second heading {text!r}; its text was added to the first")
            self.chunks.setdefault(self.target, [])
        return True

    def _end_skip(self) -> None:
        if self.skipping:
            what, index, count, _ = self.skipping
            under = f" and the {count} paragraph(s) under it were" if count else " was"
            self.out.notes.insert(index, f"{what}{under} {NOT_SHOWN}")
            self.skipping = None

    def _new_item(self, heading: str | None) -> int:
        assert self.out.other_matters is not None
        self.out.other_matters.append(OtherItem(heading))
        index = len(self.out.other_matters) - 1
        self.chunks[index] = self.out.other_matters[index].chunks
        return index

    def _base(self) -> int:
        """The level a `#` line of the current field stands for."""
        if isinstance(self.target, int):
            assert self.out.other_matters is not None
            return 4 if self.out.other_matters[self.target].heading else 3
        return BASE_LEVEL.get(self.target or "", 99)

    def _caption(self, text: str) -> None:
        if text in self.captions:
            self.caption_unit = self.captions[text]
        else:
            self.note(f"the table's caption and note are written by reportgen; the edit was "
                      + NOT_SHOWN)

    def _text(self, p: Any, pieces: list[Piece]) -> None:
        if self.skipping:
            self.skipping[2] += 1
            return
        if self.section == "other" and self.target is None:
            self.target = self._new_item(None)
        if self.target is None:
            where = "before the title" if self.section == "start" else "outside the fields"
            quote = "".join(x.text for x in pieces).strip()
            quote = quote if len(quote) <= 40 else quote[:39] + "…"
            self.note(f"text {where} ({quote!r}); {NOT_SHOWN}")
            return
        if self.target == "fakta" and self.out.figures is not None and not self.moved:
            self.moved = True
            self.note("text after the figures table belongs to Fakta, which stands before the"
                      " table; it will move there")
        line = _markup(pieces, self.inline.notes)
        for what in self.inline.take_notes():
            self.note(what)
        listing = _list_kind(self.doc, p)
        if listing is None:
            self.list_open = None
            self._add(line)
        else:
            self._item(line, *listing)

    def _item(self, line: str, ordered: bool, start: int, nested: bool) -> None:
        if nested:
            self.note("a nested list item became an item of the outer list")
        if self.list_open and self.list_open[:2] == (self.target, ordered):
            number = self.list_open[2]
            self.chunks[self.target][-1] += "\n" + (f"{number}. " if ordered else "- ") + line
        else:
            number = start
            self._add((f"{number}. " if ordered else "- ") + line)
        assert self.target is not None
        self.list_open = (self.target, ordered, number + 1)

    def _add(self, chunk: str) -> None:
        assert self.target is not None
        self.chunks.setdefault(self.target, []).append(chunk)

    # tables ------------------------------------------------------------------------------------

    def _table(self, table: Any) -> None:
        self.list_open = None
        if self.skipping:
            self.skipping[2] += 1
            return
        if self.target != "fakta" or self.out.figures is not None:
            self.note(f"a table where none belongs (only Fakta has one); {NOT_SHOWN}")
            return
        rows = [r for r in table.findall(f"{W}tr") if r.find(f"{W}trPr/{W}del") is None]
        cells = [tuple(self._cell(c) for c in r.findall(f"{W}tc")) for r in rows]
        if not cells or len(cells[0]) != 7:
            self.note(f"a table that is not the figures table; {NOT_SHOWN}")
            return
        if cells[0] != self.header:
            self.note("the column headings are written by reportgen; the edit was " + NOT_SHOWN)
        body, total = cells[1:], None
        if len(body) > 1 and (body[-1][0] == self.labels["sum"] or _all_bold(rows[-1])):
            body, total = body[:-1], body[-1]
        for number, row in enumerate(body, 2):
            if len(row) != 7:
                self.note(f"row {number} of the figures table has {len(row)} cells, not 7;"
                          f" it was {NOT_SHOWN}")
        body = [row for row in body if len(row) == 7]
        self.out.figures = ImportedTable(body, total, self.caption_unit, self.header,
                                         self._here())

    def _cell(self, cell: Any) -> str:
        text = " ".join("".join(x.text for x in self.inline.pieces(p))
                        for p in cell.iter(f"{W}p"))
        for what in self.inline.take_notes():
            self.note(f"in the figures table, {what}")
        return text.strip()

    # the end -----------------------------------------------------------------------------------

    def _finish(self) -> None:
        out = self.out
        for key, chunks in self.chunks.items():
            if isinstance(key, str):
                out.texts[key] = "\n\n".join(chunks)
        body = self.doc.element.body
        if any(e.tag in TRACKED for e in body.iter()):
            out.notes.append("the document had tracked changes; the accepted text was taken")
        comments = sum(1 for _ in body.iter(f"{W}commentReference"))
        if comments:
            out.notes.append(f"the document has {comments} comment(s); comments are {NOT_SHOWN}")


def _blocks(parent: Any) -> Any:
    """Paragraphs and tables of the body in order, looking into content controls."""
    for child in parent:
        if child.tag in (f"{W}p", f"{W}tbl"):
            yield child
        elif child.tag in (f"{W}sdt", f"{W}sdtContent", f"{W}customXml"):
            yield from _blocks(child)


def _paragraph_style(doc: Any, p: Any) -> Any:
    from docx.enum.style import WD_STYLE_TYPE

    return doc.part.get_style(p.style, WD_STYLE_TYPE.PARAGRAPH)


def _mark_deleted(p: Any) -> bool:
    return p.find(f"{W}pPr/{W}rPr/{W}del") is not None


def _all_bold(row: Any) -> bool:
    runs = [r for r in row.iter(f"{W}r") if r.find(f"{W}t") is not None]
    return bool(runs) and all(_flag(r.find(f"{W}rPr"), "b", False) for r in runs)


def _flag(rpr: Any, name: str, default: bool) -> bool:
    element = rpr.find(f"{W}{name}") if rpr is not None else None
    if element is None:
        return default
    return element.get(f"{W}val", "true").lower() not in ("0", "false", "off", "none")


def _list_kind(doc: Any, p: Any) -> tuple[bool, int, bool] | None:
    """(ordered, first number, nested) when the paragraph is a list item, else None."""
    style = _paragraph_style(doc, p)
    num_pr = p.find(f"{W}pPr/{W}numPr")
    chain = []
    while style is not None:
        chain.append(style)
        if num_pr is None:
            num_pr = style.element.find(f"{W}pPr/{W}numPr")
        style = style.base_style
    names = [s.name or "" for s in chain]
    num_id = num_pr.find(f"{W}numId") if num_pr is not None else None
    ilvl = num_pr.find(f"{W}ilvl") if num_pr is not None else None
    level = int(ilvl.get(f"{W}val", "0")) if ilvl is not None else 0
    numbered = any(n.startswith("List Number") for n in names)
    if num_id is None or num_id.get(f"{W}val") == "0":
        listed = numbered or any(n.startswith("List Bullet") for n in names)
        return (numbered, 1, False) if listed else None
    fmt, start = _numbering(doc, num_id.get(f"{W}val"), level)
    if fmt == "none":
        return None
    return (fmt != "bullet" if fmt else numbered), start, level > 0


def _numbering(doc: Any, num_id: str, level: int) -> tuple[str, int]:
    """(numFmt, start) of a list level, honouring a restart of the w:num ("" if unknown)."""
    try:
        numbering = doc.part.numbering_part.element
    except (KeyError, NotImplementedError):
        return "", 1
    num = next((n for n in numbering.iter(f"{W}num") if n.get(f"{W}numId") == num_id), None)
    if num is None or num.find(f"{W}abstractNumId") is None:
        return "", 1
    abstract_id = num.find(f"{W}abstractNumId").get(f"{W}val")
    abstract = next((a for a in numbering.iter(f"{W}abstractNum")
                     if a.get(f"{W}abstractNumId") == abstract_id), None)
    lvl = next((x for x in abstract.iter(f"{W}lvl") if x.get(f"{W}ilvl") == str(level)),
               None) if abstract is not None else None
    fmt = lvl.find(f"{W}numFmt") if lvl is not None else None
    start = lvl.find(f"{W}start") if lvl is not None else None
    override = next((o.find(f"{W}startOverride") for o in num.iter(f"{W}lvlOverride")
                     if o.get(f"{W}ilvl") == str(level)), None)
    first = override if override is not None else start
    number = int(first.get(f"{W}val", "1")) if first is not None else 1
    return (fmt.get(f"{W}val", "decimal") if fmt is not None else ""), number


class _Inline:
    """A paragraph's accepted text as pieces: w:ins kept, w:del skipped, links resolved."""

    def __init__(self, document: Any) -> None:
        self.doc = document
        self.fields: list[list[Any]] = []  # complex fields: [instruction, in result]
        self.notes: list[str] = []
        self.styles: dict[str, tuple[bool, bool]] = {}

    def take_notes(self) -> list[str]:
        """The notes gathered since the last call, each once."""
        notes, self.notes = list(dict.fromkeys(self.notes)), []
        return notes

    def pieces(self, element: Any, href: str | None = None) -> list[Piece]:
        """The accepted text of a paragraph (or of a part of one) as pieces."""
        out: list[Piece] = []
        for child in element:
            tag = child.tag
            if tag == f"{W}r":
                out += self._run(child, href)
            elif tag == f"{W}hyperlink":
                out += self.pieces(child, self._link(child))
            elif tag == f"{W}fldSimple":
                out += self.pieces(child, _field_link(child.get(f"{W}instr", "")) or href)
            elif tag in CONTAINERS:
                out += self.pieces(child, href)
            elif tag.startswith("{http://schemas.openxmlformats.org/officeDocument/2006/math}"):
                self.notes.append(f"an equation; {NOT_SHOWN}")
        return out

    def _link(self, link: Any) -> str | None:
        rel = link.get(R_ID)
        if rel and rel in self.doc.part.rels:
            return str(self.doc.part.rels[rel].target_ref)
        if link.get(f"{W}anchor"):
            self.notes.append("a link to a place in the document became plain text")
        return None

    def _run(self, run: Any, href: str | None) -> list[Piece]:
        bold, italic = self._emphasis(run.find(f"{W}rPr"))
        text: list[str] = []
        for child in run:
            text.append(self._content(child))
        link = href or next((_field_link(f[0]) for f in reversed(self.fields) if f[1]), None)
        if self.fields and not self.fields[-1][1]:
            return []  # a field's instruction, not its shown result
        return [Piece("".join(text), bold, italic, link)]

    def _content(self, child: Any) -> str:
        tag = child.tag[len(W):] if child.tag.startswith(W) else ""
        if tag == "t":
            return child.text or ""
        if tag in ("tab", "noBreakHyphen", "softHyphen", "cr", "br"):
            if tag == "br" and child.get(f"{W}type") in ("page", "column"):
                return ""
            if tag in ("br", "cr"):
                self.notes.append("a line break inside the paragraph became a space")
            return {"tab": "\t", "noBreakHyphen": "\u2011", "softHyphen": "\u00ad"}.get(tag, " ")
        if child.tag in PICTURES:
            self.notes.append(f"a picture; {NOT_SHOWN}")
        elif child.tag.endswith("}AlternateContent"):  # shapes and text boxes
            self.notes.append(f"a drawing or text box; {NOT_SHOWN}")
        elif tag in ("footnoteReference", "endnoteReference"):
            self.notes.append(f"a footnote; {NOT_SHOWN}")
        elif tag == "fldChar":
            self._field_char(child.get(f"{W}fldCharType"))
        elif tag == "instrText" and self.fields:
            self.fields[-1][0] += child.text or ""
        return ""

    def _field_char(self, kind: str | None) -> None:
        if kind == "begin":
            self.fields.append(["", False])
        elif kind == "separate" and self.fields:
            self.fields[-1][1] = True
        elif kind == "end" and self.fields:
            self.fields.pop()

    def _emphasis(self, rpr: Any) -> tuple[bool, bool]:
        style = rpr.find(f"{W}rStyle") if rpr is not None else None
        bold, italic = self._style(style.get(f"{W}val") if style is not None else None)
        return _flag(rpr, "b", bold), _flag(rpr, "i", italic)

    def _style(self, style_id: str | None) -> tuple[bool, bool]:
        """Bold and italic of a character style (such as Strong, Emphasis), via its bases."""
        if not style_id:
            return False, False
        if style_id not in self.styles:
            styles = self.doc.styles.element
            style = styles.get_by_id(style_id)
            rpr = style.find(f"{W}rPr") if style is not None else None
            based = style.basedOn_val if style is not None else None
            base = self._style(based) if based and based != style_id else (False, False)
            self.styles[style_id] = (_flag(rpr, "b", base[0]), _flag(rpr, "i", base[1]))
        return self.styles[style_id]


def _field_link(instruction: str) -> str | None:
    found = re.match(r'\s*HYPERLINK\s+"([^"]+)"', instruction)
    return found.group(1) if found and "\\l" not in instruction else None


# --- pieces -> markup ----------------------------------------------------------------------

def paragraph_markup(pieces: list[Piece]) -> tuple[str, list[str]]:
    """One paragraph's pieces as one line of the Markdown subset, and notes on what could
    not be written exactly."""
    notes: list[str] = []
    return _markup(pieces, notes), notes


def _markup(pieces: list[Piece], notes: list[str]) -> str:
    pieces = _trimmed([_linkable(p, notes) for p in pieces])
    line = _joined(pieces)
    if _shape(parse_spans(line)) != _shape(pieces):  # emphasis right next to other emphasis
        notes.append("its bold and italic could not be written in the markup and were left"
                     " out; add them in the YAML")
        line = _joined([Piece(p.text, href=p.href) for p in pieces])
    return _line_start(line)


def _joined(pieces: list[Piece]) -> str:
    return "".join(
        f"[{_emphasised(list(group), True)}]({href})" if href else _emphasised(list(group))
        for href, group in groupby(pieces, key=lambda p: p.href)
    )


def _linkable(piece: Piece, notes: list[str]) -> Piece:
    text = piece.text.replace("\n", " ")
    href = piece.href
    if href:  # the markup's links take no spaces, brackets or parentheses: percent-encode
        href = re.sub(r"[\s()<>]", lambda m: f"%{ord(m.group()):02X}", href.strip())
    if href and not re.fullmatch(r"(?:https?://|mailto:)\S+", href):
        notes.append(f"a link to {href!r} became plain text (links start with"
                            " https://, http:// or mailto:)")
        href = None
    return Piece(text, piece.bold, piece.italic, href)


def _trimmed(pieces: list[Piece]) -> list[Piece]:
    """Merge pieces that look the same; trim the paragraph's ends (the parser does too)."""
    merged: list[Piece] = []
    for piece in pieces:
        last = merged[-1] if merged else None
        if last and (last.bold, last.italic, last.href) == (piece.bold, piece.italic, piece.href):
            merged[-1] = Piece(last.text + piece.text, last.bold, last.italic, last.href)
        elif piece.text:
            merged.append(piece)
    while merged and not merged[0].text.lstrip(SPACES):
        merged.pop(0)
    while merged and not merged[-1].text.rstrip(SPACES):
        merged.pop()
    if merged:
        first, last = merged[0], merged[-1]
        merged[0] = Piece(first.text.lstrip(SPACES), first.bold, first.italic, first.href)
        last = merged[-1]
        merged[-1] = Piece(last.text.rstrip(SPACES), last.bold, last.italic, last.href)
    return merged


def _emphasised(pieces: list[Piece], in_link: bool = False) -> str:
    """`**bold *with italic***` around literal, escaped text; spaces stay outside markers."""
    parts = []
    for bold, group in groupby(pieces, key=lambda p: p.bold):
        inner = "".join(_wrap(_literal(p.text, in_link), "*") if p.italic
                        else _literal(p.text, in_link) for p in group)
        parts.append(_wrap(inner, "**") if bold else inner)
    return "".join(parts)


def _literal(text: str, in_link: bool) -> str:
    """Escaped text; a backslash at its end is doubled, as markup may follow it."""
    escaped = escape(text) + ("\\" if text.endswith("\\") else "")
    return escaped.replace("]", "\\]") if in_link else escaped


def _wrap(text: str, marker: str) -> str:
    core = text.strip(SPACES)
    if not core:
        return text
    start = text.index(core[0])
    return f"{text[:start]}{marker}{core}{marker}{text[start + len(core):]}"


def _line_start(line: str) -> str:
    """A backslash where the line would otherwise start a heading, list item or number."""
    if HEADING.fullmatch(line) or BULLET.fullmatch(line):
        return "\\" + line
    if NUMBERED.fullmatch(line):
        return re.sub(r"^(\d+)\.", r"\1\\.", line)
    return line


def _shape(spans: Any) -> list[tuple[str, Any]]:
    """Each character with its formatting; spaces count as unformatted."""
    return [(c, None if c in SPACES else (s.bold, s.italic, s.href))
            for s in spans for c in s.text]


# --- merging into the YAML -----------------------------------------------------------------

def merge_into_yaml(yaml_path: Path, imported: ImportedArea) -> str:
    """The area file's new text: the changed values put in, everything else as it was."""
    old = yaml_path.read_text(encoding="utf-8-sig")
    return _merge(yaml_path, old, imported)[0]


def _merge(yaml_path: Path, old: str, imported: ImportedArea) -> tuple[str, list[str]]:
    from reportgen.build import load_kommune
    from reportgen.validate import validate_area

    inputs = yaml_path.parent.parent
    kommune = load_kommune(inputs)
    period = Period.parse(imported.period)
    area = validate_area(sources.load_yaml(yaml_path), imported.code, kommune, period)
    yaml = _round_trip(old)
    data = yaml.load(old)
    notes: list[str] = []
    changed = _merge_texts(data, area.content, imported, notes)
    changed |= _merge_figures(data["økonomisk_status"], area.content.economic_status.figures,
                              imported, notes)
    changed |= _merge_other(data, area.content.other_matters, imported.other_matters, notes)
    if not changed:
        return old, notes
    stream = io.StringIO()
    yaml.dump(data, stream)
    new = stream.getvalue()
    _verify(_check(new, yaml_path, imported, kommune, period).content, imported)
    return new, notes


def _round_trip(text: str) -> Any:
    """A ruamel.yaml round-trip YAML whose indentation reproduces the file as written (the
    first guess when none does)."""
    from ruamel.yaml import YAML
    from ruamel.yaml.util import load_yaml_guess_indent

    _, indent, offset = load_yaml_guess_indent(text)
    candidates = []
    for mapping, sequence, dash in ((2, indent, offset or 0), (2, 4, 2), (2, 2, 0), (4, 6, 4),
                                    (4, 4, 2)):
        yaml = YAML(typ="rt")
        yaml.preserve_quotes, yaml.width = True, 100_000
        yaml.indent(mapping=mapping, sequence=sequence, offset=dash)
        stream = io.StringIO()
        yaml.dump(yaml.load(text), stream)
        if stream.getvalue() == text:
            return yaml
        candidates.append(yaml)
    return candidates[0]


def _check(text: str, yaml_path: Path, imported: ImportedArea, kommune: Any,
           period: Period) -> Any:
    """The new text as a valid Area; an InputError at the document if it is not one."""
    from reportgen.validate import validate_area

    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / yaml_path.name
        path.write_text(text, encoding="utf-8")
        try:
            return validate_area(sources.load_yaml(path), imported.code, kommune, period)
        except ReportgenErrors as exc:
            problem = exc.errors[0]
        except ReportgenError as exc:
            problem = exc
    raise InputError(
        f"the document's content does not make a valid input: {problem.message}",
        location=_where(imported.path), hint=problem.hint,
    )


def _verify(content: Any, imported: ImportedArea) -> None:
    """The merged input renders what the document holds (a failure here is a bug)."""
    status = content.economic_status
    values = {"ingress": content.lead, "fakta": status.facts, "vurdering": status.assessment,
              "konklusjon": status.conclusion, "investeringer": content.investments or ""}
    wrong = [key for key, text in imported.texts.items() if text and parse_blocks(
        values[key], BASE_LEVEL[key]) != parse_blocks(text, BASE_LEVEL[key])]
    tokens = [key for item in imported.other_matters or [] if item.chunks
              for key, _ in _tokens(item)]
    if tokens != [key for item in content.other_matters for key in _old_keys(item)]:
        wrong.append("andre_forhold")
    if wrong:
        raise RuntimeError(f"import: the merged YAML differs from the document in {wrong}")


def _merge_texts(data: Any, content: Any, imported: ImportedArea, notes: list[str]) -> bool:
    status = data["økonomisk_status"]
    olds = {"ingress": content.lead, "fakta": content.economic_status.facts,
            "vurdering": content.economic_status.assessment,
            "konklusjon": content.economic_status.conclusion,
            "investeringer": content.investments}
    changed = False
    for key in FIELDS:
        mapping = data if key in ("ingress", "investeringer") else status
        new, old = imported.texts.get(key), olds[key]
        if key == "investeringer":
            changed |= _merge_investments(data, old, new, notes)
        elif not new:
            heading = "the title" if key == "ingress" else repr(key.capitalize())
            notes.append(f"no text under {heading} in the document; the YAML text was kept"
                         " (the field is required)")
        elif (text := _merged_text(old, new, BASE_LEVEL[key])) is not None:
            _set_text(mapping, key, text)
            changed = True
    return changed


def _merge_investments(data: Any, old: str | None, new: str | None, notes: list[str]) -> bool:
    if new == "" and old:
        notes.append("'Investeringsbudsjettet' has no text; the section was removed")
    if not new:
        if old is None:
            return False
        del data["investeringer"]
        return True
    text = new if old is None else _merged_text(old, new, BASE_LEVEL["investeringer"])
    if text is None:
        return False
    if old is None:
        data.insert(list(data).index("økonomisk_status") + 1, "investeringer", _scalar(text))
    else:
        _set_text(data, "investeringer", text)
    return True


def _merged_text(old: str, new: str, base: int) -> str | None:
    """None when `new` renders as `old` does; else `old` with only the changed blocks
    replaced, so the author's line breaks and blank lines elsewhere stay (`new` if that
    cannot be done exactly)."""
    wanted = parse_blocks(new, base)
    if parse_blocks(old, base) == wanted:
        return None
    chunks = new.split("\n\n")
    keys = [parse_blocks(c, base) for c in chunks]
    segments = _segments(old, base)
    if any(len(k) != 1 for k in keys) or segments is None:
        return new
    olds = parse_blocks(old, base)
    lines: list[str] = []
    opcodes = difflib.SequenceMatcher(None, olds, [k[0] for k in keys], False).get_opcodes()
    for tag, i1, i2, j1, j2 in opcodes:
        if tag == "equal":
            lines += [line for segment in segments[i1:i2] for line in segment]
            continue
        for n, chunk in enumerate(chunks[j1:j2]):
            glued = tag == "replace" and n == 0 and chunk[:1] in "-#"
            if lines and lines[-1].strip(SPACES) and not glued:
                lines.append("")
            lines += chunk.split("\n")
        if lines and (tag != "replace" or not segments[i2 - 1][-1].strip(SPACES)):
            lines.append("")
    composed = "\n".join(lines).strip("\n")
    return composed if parse_blocks(composed, base) == wanted else new


def _segments(text: str, base: int) -> list[list[str]] | None:
    """The lines of each block of `text`, each with the blank lines after it."""
    lines = text.strip("\n").split("\n")
    starts: list[int] = []
    for k in range(len(lines)):
        if len(parse_blocks("\n".join(lines[:k + 1]), base)) > len(starts):
            starts.append(k)
    bounds = starts + [len(lines)]
    segments = [lines[a:b] for a, b in zip(bounds, bounds[1:])]
    return segments if len(segments) == len(parse_blocks(text, base)) else None


def _scalar(text: str, old: Any = None) -> Any:
    """A multi-line text as a literal block (`|`); a single line in the style it had."""
    from ruamel.yaml.scalarstring import (
        DoubleQuotedScalarString, FoldedScalarString, LiteralScalarString,
        SingleQuotedScalarString,
    )

    if "\n" in text or isinstance(old, (LiteralScalarString, FoldedScalarString)):
        return LiteralScalarString(text.rstrip("\n") + "\n")
    if isinstance(old, (DoubleQuotedScalarString, SingleQuotedScalarString)):
        return type(old)(text)
    return text


def _set_text(mapping: Any, key: str, text: str) -> None:
    """Put in a new text; a comment after a one-line value keeps its distance from it."""
    old = mapping.get(key)
    mapping[key] = _scalar(text, old)
    comment = mapping.ca.items.get(key, [None] * 3)[2]
    if comment is not None and "\n" not in text and isinstance(old, str) and "\n" not in old:
        comment.column = max(comment.column + len(text) - len(old), 0)


def _merge_other(data: Any, old: tuple[Any, ...], new: list[OtherItem] | None,
                 notes: list[str]) -> bool:
    """Andre forhold: the items before and after the changed stretch keep their YAML as
    written; in between, items matched by heading keep theirs, new ones are added in order."""
    for item in new or []:
        if not item.chunks:
            notes.append(f"the heading {item.heading!r} under 'Andre forhold' has no text;"
                         f" it was {NOT_SHOWN}")
    tokens = [t for item in (new or []) if item.chunks for t in _tokens(item)]
    olds = [_old_keys(o) for o in old]
    if [k for keys in olds for k in keys] == [key for key, _ in tokens]:
        return False
    if not tokens:
        del data["andre_forhold"]
        return True
    start, pos = _kept(olds, tokens)
    end, back = _kept([keys[::-1] for keys in olds[start:][::-1]], tokens[pos:][::-1])
    maps = list(data.get("andre_forhold") or [])
    middle = _middle(maps[start:len(old) - end], old[start:len(old) - end],
                     _items(tokens[pos:len(tokens) - back]))
    items = maps[:start] + middle + maps[len(old) - end:]
    if "andre_forhold" in data:
        data["andre_forhold"][:] = items
    else:
        from ruamel.yaml.comments import CommentedSeq

        data["andre_forhold"] = CommentedSeq(items)
    return True


def _tokens(item: OtherItem) -> list[tuple[Any, str | None]]:
    """(block, markup) for the item's heading (markup None) and each of its chunks."""
    from reportgen.view import Heading

    base = 4 if item.heading else 3
    head = [((Heading(3, item.heading),), None)] if item.heading else []
    return head + [(tuple(parse_blocks(c, base)), c) for c in item.chunks]


def _old_keys(item: Any) -> list[Any]:
    from reportgen.view import Heading

    head = [(Heading(3, item.heading),)] if item.heading else []
    return head + [(b,) for b in parse_blocks(item.text, 4 if item.heading else 3)]


def _kept(olds: list[list[Any]], tokens: list[tuple[Any, str | None]]) -> tuple[int, int]:
    """How many old items the document repeats unchanged at its start, and their tokens."""
    count = pos = 0
    for keys in olds:
        if [key for key, _ in tokens[pos:pos + len(keys)]] != keys:
            break
        count, pos = count + 1, pos + len(keys)
    return count, pos


def _items(tokens: list[tuple[Any, str | None]]) -> list[OtherItem]:
    """Tokens back into items: a heading starts one; text before any heading is untitled."""
    items: list[OtherItem] = []
    for key, chunk in tokens:
        if chunk is None:
            items.append(OtherItem(key[0].text))
        else:
            if not items:
                items.append(OtherItem(None))
            items[-1].chunks.append(chunk)
    return items


def _middle(maps: list[Any], old: tuple[Any, ...], new: list[OtherItem]) -> list[Any]:
    """The changed stretch: old entries reused by heading (text updated), others new."""
    from ruamel.yaml.comments import CommentedMap

    unused, out = list(range(len(old))), []
    for item in (i for i in new if i.chunks):
        index = next((i for i in unused if old[i].heading == item.heading), None)
        if index is None:
            entry = CommentedMap({"overskrift": item.heading} if item.heading else {})
            entry["tekst"] = _scalar(item.text)
        else:
            unused.remove(index)
            entry = maps[index]
            text = _merged_text(old[index].text, item.text, 4 if item.heading else 3)
            if text is not None:
                _set_text(entry, "tekst", text)
        out.append(entry)
    return out


# --- the figures table ---------------------------------------------------------------------

ATTRIBUTES = {"regnskap": "accounts", "budsjett": "budget", "årsbudsjett": "annual_budget",
              "prognose": "forecast"}
COMPUTED = {3: ("budsjett", "regnskap"), 6: ("årsbudsjett", "prognose")}  # column: a − b


def _merge_figures(status: Any, old: Any, imported: ImportedArea, notes: list[str]) -> bool:
    """Typed amounts and names from the table; computed cells and the sum row are ignored."""
    from ruamel.yaml.comments import CommentedMap, CommentedSeq

    table = imported.figures
    if table is None:
        if old is not None:
            notes.append("the figures table is not in the document; `tall` was removed")
            del status["tall"]
        return old is not None
    unit = old.unit if old is not None else (table.unit or "mill. kr")
    olds = list(old.rows) if old is not None else []
    maps = list(status["tall"]["rader"]) if old is not None else []
    names = {cells[0] for cells in table.rows}
    rows, used, changed = CommentedSeq(), [], False
    for number, cells in enumerate(table.rows):
        index = _match_row(cells[0], number, olds, used, names)
        before = olds[index] if index is not None else None
        values = _row_values(cells, before, unit, table, notes)
        if values is None:
            continue
        entry = maps[index] if index is not None else CommentedMap()
        if before is None or before.name != cells[0]:
            entry["navn"] = _scalar(cells[0], entry.get("navn"))
        for key, value in values.items():
            entry[key] = value
        changed |= bool(values) or before is None or before.name != cells[0]
        used.append(index)
        rows.append(entry)
    _check_sum(table, olds, unit, notes)
    if not rows or not (changed or used != list(range(len(olds)))):
        return False
    if old is None:
        status["tall"] = CommentedMap({"enhet": unit, "rader": rows})
    else:
        status["tall"]["rader"][:] = rows
    return True


def _match_row(name: str, number: int, olds: list[Any], used: list[int | None],
               names: set[str]) -> int | None:
    """The YAML row a table row stands for: by its name, else by its place if renamed."""
    for index, row in enumerate(olds):
        if index not in used and row.name == name:
            return index
    if number < len(olds) and number not in used and olds[number].name not in names:
        return number
    return None


def _row_values(cells: tuple[str, ...], before: Any, unit: str, table: ImportedTable,
                notes: list[str]) -> dict[str, Any] | None:
    """The amounts that changed ({} if none); None when a new row has no valid amounts."""
    where = f"{table.where}: row {cells[0]!r}"
    values: dict[str, Any] = {}
    shown: dict[str, Decimal] = {}
    for column, key in AMOUNTS.items():
        parsed = parse_amount(cells[column])
        original = getattr(before, ATTRIBUTES[key]) if before is not None else None
        if parsed is None:
            what = "the YAML value was kept" if original is not None else "the row was " + NOT_SHOWN
            notes.append(f"{where}, column {table.header[column]!r}: {cells[column]!r} is not"
                         f" an amount; {what}")
            if original is None:
                return None
        elif original is None or parsed != _rounded(original, unit):
            values[key] = _yaml_number(parsed)
        shown[key] = original if before is not None else parsed
    for column, (plus, minus) in COMPUTED.items():  # as rendered, from the YAML's amounts
        if parse_amount(cells[column]) != _rounded(shown[plus] - shown[minus], unit):
            notes.append(f"{where}, column {table.header[column]!r}: computed; ignored")
    return values


def _check_sum(table: ImportedTable, olds: list[Any], unit: str, notes: list[str]) -> None:
    if table.sum_row is None:
        return
    columns = [[r.accounts, r.budget, r.deviation, r.annual_budget, r.forecast,
                r.forecast_deviation] for r in olds]
    sums = [sum(c, Decimal(0)) for c in zip(*columns)] if len(olds) > 1 else None
    shown = [parse_amount(c) for c in table.sum_row[1:]]
    if sums is None or shown != [_rounded(s, unit) for s in sums]:
        notes.append(f"{table.where}: the sum row is computed; ignored")


def parse_amount(text: str) -> Decimal | None:
    """'1 234,5', '−0,4', '1.234,5' or '1234.5' as a Decimal; None if it is not a number."""
    plain = re.sub(r"[\s\u00a0\u202f\u2009]", "", text).replace("\u2212", "-")
    plain = plain.replace("\u2013", "-")
    if "," in plain:
        plain = plain.replace(".", "").replace(",", ".")
    elif re.fullmatch(r"-?\d{1,3}(\.\d{3}){2,}", plain):
        plain = plain.replace(".", "")
    if not re.fullmatch(r"[-+]?\d+(\.\d+)?", plain):
        return None
    try:
        return Decimal(plain)
    except InvalidOperation:
        return None


def _rounded(value: Decimal, unit: str) -> Decimal:
    """As the table shows it: half up to one decimal (mill. kr) or none (1000 kr)."""
    from reportgen.present import DECIMALS

    return value.quantize(Decimal(1).scaleb(-DECIMALS[unit]), rounding=ROUND_HALF_UP)


def _yaml_number(value: Decimal) -> int | float:
    """An amount for ruamel: an int when written without decimals, else a float whose
    shortest form (what YAML gets) is exactly the decimal typed."""
    text = format(value, "f")
    if "." not in text:
        return int(text)
    number = float(text)
    if Decimal(repr(number)) != value:
        raise InputError(f"the amount {text} has more digits than the input can hold exactly",
                         hint="round it to a few decimals in the document")
    return number
