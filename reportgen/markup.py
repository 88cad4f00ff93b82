"""The Markdown subset of the text fields -> view blocks. Pure; imports only view.

Paragraphs (blank line), `-` and `1.` lists, `**bold**`, `*italic*`, `[text](https://…)`,
`#` sub-headings one level below the heading the text stands under, and lines that hold only
`[[tabell ID]]` or `[[diagram ID]]` (a table of `tabeller:` or its chart, placed there).
Everything else is literal: `{{ }}`, `<tags>`, `&` and quotes come out as written. A
backslash before a markup character makes it literal (`\\*`); `escape()` is the inverse
used when text is written back.
"""

from __future__ import annotations

import bisect
import re

from reportgen.view import Block, Heading, ListBlock, Paragraph, Placement, Span

ESCAPABLE = "\\*[]#-."
# feed() strips the spaces at a line's end (`(.*?)[ \t]*` here backtracked over each space)
HEADING = re.compile(r" {0,3}(#{1,6})[ \t]+(.*)")
BULLET = re.compile(r" {0,3}-[ \t]+(.*)")
NUMBERED = re.compile(r" {0,3}(\d{1,9})\.[ \t]+(.*)")
PLACEMENT = re.compile(r" {0,3}\[\[(tabell|diagram)[ \t]+([^\s\[\]]+)\]\][ \t]*")
# A link is `[`, LINK_TEXT (not empty), `]`, LINK_TARGET.
LINK_TEXT = re.compile(r"(?:\\.|[^\]\\])*")
LINK_TARGET = re.compile(r"\(((?:https?://|mailto:)[^\s()<>]+)\)")
# Where an emphasis may close: a lone `*` or a `**`, not after a space or a backslash.
CLOSERS = {"*": re.compile(r"(?<![*\\ \t])\*(?!\*)"), "**": re.compile(r"(?<![\\ \t])(?=\*\*)")}
MARKS = "\\*["  # the characters parse_spans looks at; the others are literal
MARK = re.compile(r"[\\*\[]")
SPACES = " \t"  # only these are trimmed: a no-break space is the author's


def parse_blocks(text: str, level: int) -> list[Block]:
    """Blocks of one text field; `#` becomes a heading at `level` (`##` at level + 1)."""
    parser = _BlockParser(level)
    for number, line in enumerate(text.split("\n"), 1):
        parser.take(line, number)
    return parser.finish()


def block_starts(text: str, level: int) -> list[int]:
    """The numbers (from 0) of the lines of `text` at which its first lines parse into one
    block more than the lines before them do: where each block starts. One pass, where
    parsing each first lines anew took time quadratic in the number of lines."""
    parser = _BlockParser(level)
    starts: list[int] = []
    for number, line in enumerate(text.split("\n")):
        parser.take(line, number + 1)
        if parser.count() > len(starts):
            starts.append(number)
    return starts


class _BlockParser:
    def __init__(self, level: int) -> None:
        self.level = level
        self.blocks: list[Block] = []
        self.paragraph: list[str] = []
        self.list_ordered: bool | None = None  # None: no list open
        self.list_start = 1
        self.items: list[list[str]] = []
        self.after_blank = False
        # A numbered list needs two items: authors wrap lines at "1. tertial", and a paragraph
        # may begin with it. Until the second item comes, the paragraph a "1." line broke into
        # and the line as written are kept, to become text again if no second item follows.
        self.interrupted: list[str] = []
        self.first_line = ""

    def take(self, line: str, number: int) -> None:
        """Line `number` (from 1) of the text: a table's place or a line of text."""
        line = line.rstrip(SPACES)
        if placement := PLACEMENT.fullmatch(line):
            self.place(Placement(placement.group(1), placement.group(2), number))  # type: ignore[arg-type]
        else:
            self.feed(line)

    def place(self, placement: Placement) -> None:
        """A line that holds only `[[tabell ID]]` or `[[diagram ID]]`: a block of its own."""
        self._flush()
        self.blocks.append(placement)
        self.after_blank = False

    def feed(self, line: str) -> None:
        if not line.strip(SPACES):
            self._flush_paragraph()
            self.after_blank = True
            return
        heading, bullet, numbered = (
            HEADING.fullmatch(line), BULLET.fullmatch(line), NUMBERED.fullmatch(line)
        )
        if heading:
            self._flush()
            text = "".join(s.text for s in parse_spans(heading.group(2)))
            self.blocks.append(Heading(self.level + len(heading.group(1)) - 1, text))
        elif bullet or (numbered and (not self.paragraph or numbered.group(1) == "1")):
            self._add_item(ordered=bool(numbered), match=numbered or bullet, line=line)
        elif self.items and not self.after_blank:
            self.items[-1].append(line.strip(SPACES))  # the item's text continues
        else:
            if self.items:
                self._flush_list()
            self.paragraph.append(line.strip(SPACES))
        self.after_blank = False

    def _add_item(self, ordered: bool, match: re.Match[str], line: str) -> None:
        if self.list_ordered is not ordered:
            self._flush_list()
            if ordered:
                self.interrupted, self.paragraph = self.paragraph, []
                self.first_line = line.strip(SPACES)
            self.list_ordered = ordered
            self.list_start = int(match.group(1)) if ordered else 1
        self._flush_paragraph()
        self.items.append([match.groups()[-1]])

    def _flush_paragraph(self) -> None:
        if self.paragraph:
            self.blocks.append(Paragraph(parse_spans(" ".join(self.paragraph))))
            self.paragraph = []

    def _flush_list(self) -> None:
        if self.list_ordered and len(self.items) == 1:  # a lone "1. …" line is text
            lines = [*self.interrupted, self.first_line, *self.items[0][1:]]
            self.blocks.append(Paragraph(parse_spans(" ".join(lines))))
        elif self.items:
            if self.interrupted:
                self.blocks.append(Paragraph(parse_spans(" ".join(self.interrupted))))
            items = tuple(parse_spans(" ".join(item)) for item in self.items)
            self.blocks.append(ListBlock(bool(self.list_ordered), self.list_start, items))
        self.items, self.list_ordered, self.interrupted = [], None, []

    def _flush(self) -> None:
        self._flush_paragraph()
        self._flush_list()

    def finish(self) -> list[Block]:
        self._flush()
        return self.blocks

    def count(self) -> int:
        """How many blocks finish() would return now (as _flush_paragraph and _flush_list
        would add them), without finishing."""
        if self.list_ordered and len(self.items) == 1:
            listed = 1  # a lone "1. …" line is text
        else:
            listed = (1 + bool(self.interrupted)) if self.items else 0
        return len(self.blocks) + bool(self.paragraph) + listed


def parse_spans(text: str, bold: bool = False, italic: bool = False) -> tuple[Span, ...]:
    """Inline markup -> spans of literal text; unmatched markers stay as written."""
    spans: list[Span] = []
    buffer: list[str] = []  # literal text not yet in a span
    marks = _Delimiters(text)
    i = 0
    while i < len(text):
        char = text[i]
        if char not in MARKS:  # literal up to the next character that may be markup
            found = MARK.search(text, i)
            stop = found.start() if found else len(text)
            buffer.append(text[i:stop])
            i = stop
            continue
        if char == "\\" and i + 1 < len(text) and text[i + 1] in ESCAPABLE:
            buffer.append(text[i + 1])
            i += 2
            continue
        if char == "*":
            marker = "**" if text.startswith("**", i) else "*"
            inside = bold if marker == "**" else italic
            end = None if inside else marks.closing(i + len(marker), marker)
            if end is not None:
                spans += _taken(buffer, bold, italic)
                inner = text[i + len(marker) : end]
                spans += parse_spans(inner, bold or marker == "**", italic or marker == "*")
                i = end + len(marker)
                continue
        if char == "[" and (link := marks.link(i)):
            spans += _taken(buffer, bold, italic)
            label, href, i = link
            for span in parse_spans(label, bold, italic):
                spans.append(Span(span.text, span.bold, span.italic, href))
            continue
        buffer.append(char)
        i += 1
    return tuple(_merge([*spans, *_taken(buffer, bold, italic)]))


def _taken(buffer: list[str], bold: bool, italic: bool) -> list[Span]:
    """The literal text gathered so far as a span (none if there is none); empties `buffer`."""
    spans = [Span("".join(buffer), bold, italic)] if buffer else []
    buffer.clear()
    return spans


class _Delimiters:
    """Where the emphasis opened at a place closes, and the link that starts there, each found
    in time independent of the text's length: the closers are listed once per text, and the
    text of a link is scanned once for all the `[` in it. Searching from every `*` or `[` anew
    took time quadratic in the length of a text with many unclosed ones."""

    def __init__(self, text: str) -> None:
        self.text = text
        self.closers: dict[str, list[int]] = {}  # marker -> where one may close, ascending
        self.label = (-1, -1)  # the link text scanned last: (start, end)
        self.targets: dict[int, tuple[str, int] | None] = {}  # by `]`: (href, end of the link)

    def closing(self, start: int, marker: str) -> int | None:
        """Where an emphasis opened before `start` closes: text hugs both markers, and a `*`
        next to another `*` is part of bold. `***` closes an inner italic first, then the
        bold: `**a *b***`."""
        text = self.text
        if start >= len(text) or text[start] in " \t":
            return None
        if marker not in self.closers:
            self.closers[marker] = [m.start() for m in CLOSERS[marker].finditer(text)]
        closers = self.closers[marker]
        k = bisect.bisect_left(closers, start + 1)
        if k == len(closers):
            return None
        j = closers[k]
        return j + 1 if marker == "**" and text.startswith("***", j) else j

    def link(self, i: int) -> tuple[str, str, int] | None:
        """(text, target, end) of the link `[text](target)` at `i`; None if none starts there."""
        start, (first, end) = i + 1, self.label
        # A `[` inside the text scanned last starts a text that ends where that one ends: the
        # scan takes a backslash and the character after it as one, and `[` is neither.
        if not first <= start <= end:
            end = LINK_TEXT.match(self.text, start).end()
            self.label = (start, end)
        if end == start or not self.text.startswith("]", end):
            return None
        if end not in self.targets:
            target = LINK_TARGET.match(self.text, end + 1)
            self.targets[end] = (target.group(1), target.end()) if target else None
        found = self.targets[end]
        return (self.text[start:end], *found) if found else None


def _merge(spans: list[Span]) -> list[Span]:
    """Adjacent spans with the same formatting become one (escapes split them). The texts of
    a run of them are joined once: adding each to the one before took quadratic time."""
    merged: list[Span] = []
    texts: list[list[str]] = []  # the texts of merged[k]
    for span in spans:
        if not span.text:
            continue
        if merged and (merged[-1].bold, merged[-1].italic, merged[-1].href) == (
            span.bold, span.italic, span.href
        ):
            texts[-1].append(span.text)
        else:
            merged.append(span)
            texts.append([span.text])
    return [span if len(parts) == 1 else Span("".join(parts), span.bold, span.italic, span.href)
            for span, parts in zip(merged, texts)]


def escape(text: str) -> str:
    """Literal text -> markup that parses back to exactly that text (one paragraph per line)."""
    text = re.sub(r"\\(?=[" + re.escape(ESCAPABLE) + "])", r"\\\\", text)
    text = text.replace("*", "\\*").replace("[", "\\[")
    lines = []
    for line in text.split("\n"):
        if HEADING.fullmatch(line) or BULLET.fullmatch(line):
            line = re.sub(r"^( {0,3})([#-])", r"\1\\\2", line)
        elif NUMBERED.fullmatch(line):
            line = re.sub(r"^( {0,3}\d+)\.", r"\1\\.", line)
        lines.append(line)
    return "\n".join(lines)
