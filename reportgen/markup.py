"""The Markdown subset of the text fields -> view blocks. Pure; imports only view.

Paragraphs (blank line), `-` and `1.` lists, `**bold**`, `*italic*`, `[text](https://…)`,
`#` sub-headings one level below the heading the text stands under, and lines that hold only
`[[tabell ID]]` or `[[diagram ID]]` (a table of `tabeller:` or its chart, placed there).
Everything else is literal: `{{ }}`, `<tags>`, `&` and quotes come out as written. A
backslash before a markup character makes it literal (`\\*`); `escape()` is the inverse
used when text is written back.
"""

from __future__ import annotations

import re

from reportgen.view import Block, Heading, ListBlock, Paragraph, Placement, Span

ESCAPABLE = "\\*[]#-."
HEADING = re.compile(r" {0,3}(#{1,6})[ \t]+(.*?)[ \t]*")
BULLET = re.compile(r" {0,3}-[ \t]+(.*)")
NUMBERED = re.compile(r" {0,3}(\d{1,9})\.[ \t]+(.*)")
PLACEMENT = re.compile(r" {0,3}\[\[(tabell|diagram)[ \t]+([^\s\[\]]+)\]\][ \t]*")
LINK = re.compile(r"\[((?:\\.|[^\]\\])+)\]\(((?:https?://|mailto:)[^\s()<>]+)\)")
SPACES = " \t"  # only these are trimmed: a no-break space is the author's


def parse_blocks(text: str, level: int) -> list[Block]:
    """Blocks of one text field; `#` becomes a heading at `level` (`##` at level + 1)."""
    parser = _BlockParser(level)
    for number, line in enumerate(text.split("\n"), 1):
        if placement := PLACEMENT.fullmatch(line.rstrip(SPACES)):
            parser.place(Placement(placement.group(1), placement.group(2), number))  # type: ignore[arg-type]
        else:
            parser.feed(line.rstrip(SPACES))
    return parser.finish()


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


def parse_spans(text: str, bold: bool = False, italic: bool = False) -> tuple[Span, ...]:
    """Inline markup -> spans of literal text; unmatched markers stay as written."""
    spans: list[Span] = []
    buffer: list[str] = []

    def flush() -> None:
        if buffer:
            spans.append(Span("".join(buffer), bold, italic))
            buffer.clear()

    i = 0
    while i < len(text):
        char = text[i]
        if char == "\\" and i + 1 < len(text) and text[i + 1] in ESCAPABLE:
            buffer.append(text[i + 1])
            i += 2
            continue
        if char == "*":
            marker = "**" if text.startswith("**", i) else "*"
            end = _closing(text, i + len(marker), marker)
            if end is not None and not (bold if marker == "**" else italic):
                flush()
                inner = text[i + len(marker) : end]
                spans += parse_spans(inner, bold or marker == "**", italic or marker == "*")
                i = end + len(marker)
                continue
        if char == "[" and (link := LINK.match(text, i)):
            flush()
            for span in parse_spans(link.group(1), bold, italic):
                spans.append(Span(span.text, span.bold, span.italic, link.group(2)))
            i = link.end()
            continue
        buffer.append(char)
        i += 1
    flush()
    return tuple(_merge(spans))


def _closing(text: str, start: int, marker: str) -> int | None:
    """Where an emphasis opened before `start` closes: text hugs both markers."""
    if start >= len(text) or text[start] in " \t":
        return None
    i = start + 1
    while (j := text.find(marker, i)) != -1:
        escaped = text[j - 1] == "\\"
        part_of_bold = marker == "*" and (text.startswith("**", j) or text[j - 1] == "*")
        if not escaped and not part_of_bold and text[j - 1] not in " \t":
            # `***` closes an inner italic first, then the bold: `**a *b***`
            return j + 1 if marker == "**" and text.startswith("***", j) else j
        i = j + (2 if part_of_bold else 1)
    return None


def _merge(spans: list[Span]) -> list[Span]:
    """Adjacent spans with the same formatting become one (escapes split them)."""
    merged: list[Span] = []
    for span in spans:
        previous = merged[-1] if merged else None
        if previous and (previous.bold, previous.italic, previous.href) == (
            span.bold, span.italic, span.href
        ):
            merged[-1] = Span(previous.text + span.text, span.bold, span.italic, span.href)
        elif span.text:
            merged.append(span)
    return merged


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
