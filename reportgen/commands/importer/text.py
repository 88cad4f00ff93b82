"""Runs, links and lists of one paragraph -> a line of the Markdown subset of markup.py.

`Inline` reads a paragraph's accepted text (tracked insertions kept, deletions skipped, links
and hyperlink fields resolved) as `Span`s; `paragraph_markup` writes pieces as one line of
markup, escaped where the text would otherwise read as markup; `Styles` follows a paragraph's
style through the styles it is based on (a loop cut and noted) and says whether the paragraph
is a list item (by its numbering or its style). Imports markup, view and importer.common;
python-docx objects arrive from importer.read.
"""

from __future__ import annotations

import re
from dataclasses import replace
from itertools import groupby
from typing import Any
from urllib.parse import quote

from reportgen.commands.importer.common import SPACES, Unplaced, W
from reportgen.markup import BULLET, HEADING, NUMBERED, escape, parse_spans
from reportgen.messages import _
from reportgen.view import Span

R_ID = "{http://schemas.openxmlformats.org/officeDocument/2006/relationships}id"
CONTAINERS = {f"{W}{t}" for t in ("ins", "moveTo", "smartTag", "customXml", "sdt",
                                  "sdtContent", "dir", "bdo")}
PICTURES = {f"{W}drawing", f"{W}pict", f"{W}object"}
# What a YAML block or plain scalar cannot hold as typed (only as an escape in double quotes):
# line breaks of other systems become a space, as a line break in a paragraph does; other
# control characters are left out. Each is noted.
LINE_BREAKS = ("\r", "\x85", "\u2028", "\u2029")


def _line_break_name(character: str) -> str:
    """The name of one of LINE_BREAKS, in words."""
    return {"\r": _("carriage return"), "\x85": _("next line"), "\u2028": _("line separator"),
            "\u2029": _("paragraph separator")}[character]

UNHOLDABLE = re.compile("[\r\x7f-\x9f\u2028\u2029]")


# --- a paragraph's runs -> pieces ----------------------------------------------------------

class Inline:
    """A paragraph's accepted text as pieces: w:ins kept, w:del skipped, links resolved."""

    def __init__(self, document: Any, styles: Styles) -> None:
        self.doc, self.styles = document, styles
        self.fields: list[list[Any]] = []  # complex fields: [instruction, in result]
        self.notes: list[str] = []
        self.emphasis: dict[str, tuple[bool, bool]] = {}  # of a character style, by its id

    def take_notes(self) -> list[str]:
        """The notes gathered since the last call, each once."""
        notes, self.notes = list(dict.fromkeys(self.notes)), []
        return notes

    def pieces(self, element: Any, href: str | None = None) -> list[Span]:
        """The accepted text of a paragraph (or of a part of one) as pieces."""
        out: list[Span] = []
        for child in element:
            tag = child.tag
            if not isinstance(tag, str):  # an XML comment or processing instruction
                continue
            if tag == f"{W}r":
                out += self._run(child, href)
            elif tag == f"{W}hyperlink":
                out += self.pieces(child, self._link(child))
            elif tag == f"{W}fldSimple":
                out += self.pieces(child, field_link(child.get(f"{W}instr", "")) or href)
            elif tag in CONTAINERS:
                out += self.pieces(child, href)
            elif tag.startswith("{http://schemas.openxmlformats.org/officeDocument/2006/math}"):
                self.notes.append(Unplaced(_("an equation; not imported")))
        return out

    def _link(self, link: Any) -> str | None:
        rel = link.get(R_ID)
        if rel and rel in self.doc.part.rels:
            return str(self.doc.part.rels[rel].target_ref)
        if link.get(f"{W}anchor"):
            self.notes.append(_("a link to a place in the document became plain text"))
        return None

    def _run(self, run: Any, href: str | None) -> list[Span]:
        bold, italic = self._emphasis(run.find(f"{W}rPr"))
        text: list[str] = []
        for child in run:
            text.append(self._content(child))
        link = href or next((field_link(f[0]) for f in reversed(self.fields) if f[1]), None)
        if self.fields and not self.fields[-1][1]:
            return []  # a field's instruction, not its shown result
        return [Span("".join(text), bold, italic, link)]

    def _content(self, child: Any) -> str:
        if not isinstance(child.tag, str):  # an XML comment or processing instruction
            return ""
        tag = child.tag[len(W):] if child.tag.startswith(W) else ""
        if tag == "t":  # the text after a comment inside it counts too
            return self._holdable("".join([child.text or ""] + [n.tail or "" for n in child]))
        if tag in ("tab", "noBreakHyphen", "softHyphen", "cr", "br"):
            if tag == "br" and child.get(f"{W}type") in ("page", "column"):
                return ""
            if tag in ("br", "cr"):
                self.notes.append(_("a line break inside the paragraph became a space"))
            return {"tab": "\t", "noBreakHyphen": "\u2011", "softHyphen": "\u00ad"}.get(tag, " ")
        if child.tag in PICTURES:
            self.notes.append(Unplaced(_("a picture; not imported")))
        elif child.tag.endswith("}AlternateContent"):  # shapes and text boxes
            self.notes.append(Unplaced(_("a drawing or text box; not imported")))
        elif tag in ("footnoteReference", "endnoteReference"):
            self.notes.append(Unplaced(_("a footnote; not imported")))
        elif tag == "fldChar":
            self._field_char(child.get(f"{W}fldCharType"))
        elif tag == "instrText" and self.fields:
            self.fields[-1][0] += child.text or ""
        return ""

    def _holdable(self, text: str) -> str:
        """The text with what YAML cannot hold as typed replaced (see UNHOLDABLE), noted."""
        for found in dict.fromkeys(UNHOLDABLE.findall(text)):
            if found in LINE_BREAKS:
                self.notes.append(_("character U+{code} ({name}, a line break) became a space;"
                                    " the YAML cannot hold it as typed").format(
                    code=f"{ord(found):04X}", name=_line_break_name(found)))
            else:
                self.notes.append(_("control character U+{code} was left out; the YAML cannot"
                                    " hold it as typed").format(code=f"{ord(found):04X}"))
        return UNHOLDABLE.sub(lambda m: " " if m.group() in LINE_BREAKS else "", text)

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
        return flag(rpr, "b", bold), flag(rpr, "i", italic)

    def _style(self, style_id: str | None) -> tuple[bool, bool]:
        """Bold and italic of a character style (such as Strong, Emphasis), via its bases."""
        if not style_id:
            return False, False
        if style_id not in self.emphasis:
            bold = italic = False
            for style in reversed(self.styles.chain(self.styles.by_id.get(style_id))):
                rpr = style.find(f"{W}rPr")
                bold, italic = flag(rpr, "b", bold), flag(rpr, "i", italic)
            self.emphasis[style_id] = (bold, italic)
        return self.emphasis[style_id]


def field_link(instruction: str) -> str | None:
    """The target of a HYPERLINK field to a web or mail address (None: another field)."""
    found = re.match(r'\s*HYPERLINK\s+"([^"]+)"', instruction)
    return found.group(1) if found and "\\l" not in instruction else None


def flag(rpr: Any, name: str, default: bool) -> bool:
    """A run property's on/off element (such as w:b) in `rpr`; `default` when it is absent."""
    element = rpr.find(f"{W}{name}") if rpr is not None else None
    if element is None:
        return default
    return element.get(f"{W}val", "true").lower() not in ("0", "false", "off", "none")


# --- styles and lists ------------------------------------------------------------------------

class Styles:
    """The document's styles by id, each with the chain of styles it is based on.

    Looked up in a dict: python-docx looks a style up with an XPath query that a quote in the
    id breaks. A chain that comes back to a style it has passed (a loop of `basedOn`, or a
    style based on itself) is cut there, and the loop noted once in `notes`.
    """

    def __init__(self, document: Any) -> None:
        styles = list(document.styles.element.iterchildren(f"{W}style"))
        self.by_id: dict[str | None, Any] = {}
        for style in styles:
            self.by_id.setdefault(style.get(f"{W}styleId"), style)
        defaults = [s for s in styles if s.get(f"{W}type") == "paragraph"
                    and s.get(f"{W}default") == "1"]
        self.default = defaults[-1] if defaults else None  # as python-docx takes it
        self.doc = document
        self.notes: list[str] = []  # about the styles themselves, each once
        self.said: set[Any] = set()
        # Each found once: a chain by its first style, a list level by (numId, ilvl), and the
        # document's w:num and w:abstractNum by id (None: not read yet). Looking through all
        # of them for each paragraph took time quadratic in the number of lists.
        self.chains: dict[Any, list[Any]] = {}
        self.levels: dict[tuple[str, int], tuple[str, int]] = {}
        self.nums: dict[str | None, Any] | None = None
        self.abstracts: dict[str | None, Any] = {}

    def name(self, style: Any) -> str:
        """A style's name as Word shows it ("Heading 1" for the stored "heading 1")."""
        from docx.styles import BabelFish

        name = style.find(f"{W}name")
        value = name.get(f"{W}val") if name is not None else None
        return BabelFish.internal2ui(value) if value else ""

    def chain(self, style: Any) -> list[Any]:
        """`style` and the styles it is based on, nearest first, up to a loop."""
        if style is None:
            return []
        if style not in self.chains:
            chain: list[Any] = []
            seen: dict[Any, int] = {}  # where each style of the chain is in it
            while style is not None:
                if style in seen:
                    self._loop(chain[seen[style]:])
                    break
                seen[style] = len(chain)
                chain.append(style)
                based = style.find(f"{W}basedOn")
                style = self.by_id.get(based.get(f"{W}val")) if based is not None else None
            self.chains[chain[0]] = chain
            return chain
        return self.chains[style]

    def _loop(self, members: list[Any]) -> None:
        key = frozenset(id(m) for m in members)
        if key in self.said:
            return
        self.said.add(key)
        names = [repr(self.name(m) or m.get(f"{W}styleId")) for m in members]
        if len(names) == 1:
            self.notes.append(_("in the document's styles, {style} is based on itself; that was"
                                " ignored").format(style=names[0]))
        else:
            self.notes.append(_("in the document's styles, {styles} and {last} are based on"
                                " each other in a loop; the loop was cut where it closes").format(
                styles=", ".join(names[:-1]), last=names[-1]))

    def paragraph(self, p: Any) -> list[Any]:
        """The chain of a paragraph element's style (the default style if it names none)."""
        found = p.find(f"{W}pPr/{W}pStyle")
        style = self.by_id.get(found.get(f"{W}val")) if found is not None else None
        if style is None or style.get(f"{W}type", "paragraph") != "paragraph":
            style = self.default
        return self.chain(style)

    def list_kind(self, p: Any, notes: list[str]) -> tuple[bool, int, bool] | None:
        """(ordered, first number, nested) when the paragraph is a list item, else None;
        what could not be read is added to `notes`."""
        chain = self.paragraph(p)
        num_pr = p.find(f"{W}pPr/{W}numPr")
        if num_pr is None:
            num_pr = next((n for s in chain if (n := s.find(f"{W}pPr/{W}numPr")) is not None),
                          None)
        names = [self.name(s) for s in chain]
        num_id = num_pr.find(f"{W}numId") if num_pr is not None else None
        ilvl = num_pr.find(f"{W}ilvl") if num_pr is not None else None
        level = whole(ilvl.get(f"{W}val", "0")) if ilvl is not None else 0
        if level is None:
            notes.append(_("its list level {value!r} is not a number; it was read as the first"
                           " level").format(value=ilvl.get(f"{W}val")))
            level = 0
        numbered = any(n.startswith("List Number") for n in names)
        if num_id is None or num_id.get(f"{W}val") == "0":
            listed = numbered or any(n.startswith("List Bullet") for n in names)
            return (numbered, 1, False) if listed else None
        fmt, start = self._numbering(num_id.get(f"{W}val"), level, notes)
        if fmt == "none":
            return None
        return (fmt != "bullet" if fmt else numbered), start, level > 0

    def _numbering(self, num_id: str, level: int, notes: list[str]) -> tuple[str, int]:
        """(numFmt, start) of a list level, honouring a restart of the w:num ("" if unknown)."""
        if (num_id, level) not in self.levels:
            self.levels[num_id, level] = self._level(num_id, level, notes)
        return self.levels[num_id, level]

    def _index_numbering(self) -> dict[str | None, Any]:
        """The document's w:num by numId (and its w:abstractNum by id), the first of an id
        as a search in document order finds it."""
        if self.nums is None:
            self.nums = {}
            try:
                numbering = self.doc.part.numbering_part.element
            except (KeyError, NotImplementedError):
                return self.nums
            for n in numbering.iter(f"{W}num"):
                self.nums.setdefault(n.get(f"{W}numId"), n)
            for a in numbering.iter(f"{W}abstractNum"):
                self.abstracts.setdefault(a.get(f"{W}abstractNumId"), a)
        return self.nums

    def _level(self, num_id: str, level: int, notes: list[str]) -> tuple[str, int]:
        num = self._index_numbering().get(num_id)
        if num is None or num.find(f"{W}abstractNumId") is None:
            return "", 1
        abstract = self.abstracts.get(num.find(f"{W}abstractNumId").get(f"{W}val"))
        lvl = next((x for x in abstract.iter(f"{W}lvl") if x.get(f"{W}ilvl") == str(level)),
                   None) if abstract is not None else None
        fmt = lvl.find(f"{W}numFmt") if lvl is not None else None
        start = lvl.find(f"{W}start") if lvl is not None else None
        override = next((o.find(f"{W}startOverride") for o in num.iter(f"{W}lvlOverride")
                         if o.get(f"{W}ilvl") == str(level)), None)
        first = override if override is not None else start
        value = first.get(f"{W}val", "1") if first is not None else "1"
        kind = fmt.get(f"{W}val", "decimal") if fmt is not None else ""
        number = whole(value)
        if number is None and kind not in ("bullet", "none") and (num_id, level) not in self.said:
            self.said.add((num_id, level))  # once for the list, not for each of its items
            notes.append(_("its list is set to start at {value!r}, which is not a number; it"
                           " was numbered from 1").format(value=value))
        return kind, 1 if number is None else number


def whole(value: str) -> int | None:
    """A whole number as Word writes one (ASCII digits, at most nine), else None."""
    value = value.strip()
    return int(value) if re.fullmatch(r"[0-9]{1,9}", value) else None


# --- pieces -> markup ----------------------------------------------------------------------

def paragraph_markup(pieces: list[Span]) -> tuple[str, list[str]]:
    """One paragraph's pieces as one line of the Markdown subset, and notes on what could
    not be written exactly."""
    notes: list[str] = []
    pieces = _trimmed([_linkable(p, notes) for p in pieces])
    line = _joined(pieces)
    if _shape(parse_spans(line)) != _shape(pieces):  # emphasis right next to other emphasis
        notes.append(_("its bold and italic could not be written in the markup and were left"
                       " out; add them in the YAML"))
        line = _joined([Span(p.text, href=p.href) for p in pieces])
    return _line_start(line), notes


def _joined(pieces: list[Span]) -> str:
    return "".join(
        f"[{_emphasised(list(group), True)}]({href})" if href else _emphasised(list(group))
        for href, group in groupby(pieces, key=lambda p: p.href)
    )


def _linkable(piece: Span, notes: list[str]) -> Span:
    text = piece.text.replace("\n", " ")
    href = piece.href
    if href:  # the markup's links take no spaces, brackets, parentheses or control characters
        href = re.sub(r"[\s()<>\x00-\x1f\x7f-\x9f]", lambda m: quote(m.group(), safe=""),
                      href.strip())
    if href and not re.fullmatch(r"(?:https?://|mailto:)\S+", href):
        notes.append(_("a link to {address!r} became plain text (links start with https://,"
                       " http:// or mailto:)").format(address=href))
        href = None
    return replace(piece, text=text, href=href)


def _trimmed(pieces: list[Span]) -> list[Span]:
    """Merge pieces that look the same; trim the paragraph's ends (the parser does too). The
    texts of pieces that merge are joined once (adding each to the one before took time
    quadratic in the runs of a paragraph, which Word splits often)."""
    merged: list[Span] = [
        replace(group[0], text="".join(p.text for p in group)) if len(group) > 1 else group[0]
        for group in (list(g) for _, g in groupby(
            (p for p in pieces if p.text), key=lambda p: (p.bold, p.italic, p.href)))
    ]
    first = next((i for i, p in enumerate(merged) if p.text.lstrip(SPACES)), len(merged))
    merged = merged[first:]
    while merged and not merged[-1].text.rstrip(SPACES):
        merged.pop()
    if merged:
        merged[0] = replace(merged[0], text=merged[0].text.lstrip(SPACES))
        merged[-1] = replace(merged[-1], text=merged[-1].text.rstrip(SPACES))
    return merged


def _emphasised(pieces: list[Span], in_link: bool = False) -> str:
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


