"""How a text goes into the YAML: in the scalar style it had, and changed block by block.

Pure functions over ruamel.yaml's round-trip values; imports markup and importer.common.
"""

from __future__ import annotations

from collections.abc import Hashable, Sequence
from typing import Any

from reportgen.commands.importer.common import SPACES
from reportgen.markup import block_starts, parse_blocks


def merged_text(old: str, new: str, base: int) -> str | None:
    """None when `new` renders as `old` does; else `old` with only the changed blocks
    replaced, so the author's line breaks and blank lines elsewhere stay (`new` if that
    cannot be done exactly)."""
    wanted, olds = parse_blocks(new, base), parse_blocks(old, base)
    if olds == wanted:
        return None
    chunks = new.split("\n\n")
    keys = [parse_blocks(c, base) for c in chunks]
    pieces = segments(old, base, len(olds))
    if any(len(k) != 1 for k in keys) or pieces is None:
        return new
    lines: list[str] = []
    for tag, i1, i2, j1, j2 in opcodes(olds, [k[0] for k in keys]):
        if tag == "equal":
            lines += [line for segment in pieces[i1:i2] for line in segment]
            continue
        for n, chunk in enumerate(chunks[j1:j2]):
            glued = tag == "replace" and n == 0 and chunk[:1] in "-#"
            if lines and lines[-1].strip(SPACES) and not glued:
                lines.append("")
            lines += chunk.split("\n")
        if lines and (tag != "replace" or not pieces[i2 - 1][-1].strip(SPACES)):
            lines.append("")
    composed = "\n".join(lines).strip("\n")
    return composed if parse_blocks(composed, base) == wanted else new


def segments(text: str, base: int, blocks: int | None = None) -> list[list[str]] | None:
    """The lines of each block of `text`, each with the blank lines after it (None if they
    do not add up to its blocks). `blocks`: how many blocks `text` parses into, if known."""
    stripped = text.strip("\n")
    lines = stripped.split("\n")
    bounds = block_starts(stripped, base) + [len(lines)]
    found = [lines[a:b] for a, b in zip(bounds, bounds[1:])]
    wanted = len(parse_blocks(text, base)) if blocks is None else blocks
    return found if len(found) == wanted else None


def represent_decimal(representer: Any, value: Any) -> Any:
    """A Decimal as a plain YAML number with exactly its digits (never through a float)."""
    text = format(value, "f")
    tag = "tag:yaml.org,2002:float" if "." in text else "tag:yaml.org,2002:int"
    return representer.represent_scalar(tag, text)


Opcode = tuple[str, int, int, int, int]


def opcodes(a: Sequence[Hashable], b: Sequence[Hashable]) -> list[Opcode]:
    """What `difflib.SequenceMatcher(None, a, b, autojunk=False).get_opcodes()` gives, in
    time about linear in the lengths. difflib's search for the longest matching run takes
    time proportional to the length of `a` times how often an element repeats in `b`: hours
    for a text of many equal paragraphs. The same recursion (the longest run, the earliest in
    `a`, then in `b`; then the same on each side of it) here uses a suffix automaton."""
    ids: dict[Hashable, int] = {}
    xs, ys = [ids.setdefault(x, len(ids)) for x in a], [ids.setdefault(y, len(ids)) for y in b]
    queue, found = [(0, len(xs), 0, len(ys))], []
    while queue:
        alo, ahi, blo, bhi = queue.pop()
        i, j, k = _longest_match(xs, ys, alo, ahi, blo, bhi)
        if k:
            found.append((i, j, k))
            if alo < i and blo < j:
                queue.append((alo, i, blo, j))
            if i + k < ahi and j + k < bhi:
                queue.append((i + k, ahi, j + k, bhi))
    blocks: list[tuple[int, int, int]] = []
    for i, j, k in sorted(found):  # runs that touch become one, as difflib joins them
        if blocks and blocks[-1][0] + blocks[-1][2] == i and blocks[-1][1] + blocks[-1][2] == j:
            blocks[-1] = (blocks[-1][0], blocks[-1][1], blocks[-1][2] + k)
        else:
            blocks.append((i, j, k))
    return _codes([*blocks, (len(xs), len(ys), 0)])


def _codes(blocks: list[tuple[int, int, int]]) -> list[Opcode]:
    """difflib's opcodes from its matching blocks (the last one (len(a), len(b), 0))."""
    codes: list[Opcode] = []
    i = j = 0
    for ai, bj, size in blocks:
        tag = "replace" if i < ai and j < bj else "delete" if i < ai else "insert" if j < bj else ""
        if tag:
            codes.append((tag, i, ai, j, bj))
        i, j = ai + size, bj + size
        if size:
            codes.append(("equal", ai, i, bj, j))
    return codes


def _longest_match(a: list[int], b: list[int], alo: int, ahi: int, blo: int,
                   bhi: int) -> tuple[int, int, int]:
    """(i, j, k): the longest a[i:i+k] == b[j:j+k] inside the ranges, the earliest in `a`,
    then in `b`; (alo, blo, 0) if none. One walk over a[alo:ahi] through the automaton of
    b[blo:bhi] keeps the longest end of a[alo:i + 1] found in b."""
    automaton = _SuffixAutomaton(b[blo:bhi])
    moves, link, longest, ends = automaton.moves, automaton.link, automaton.longest, automaton.ends
    best, state, size = (alo, blo, 0), 0, 0
    for i in range(alo, ahi):
        while state and a[i] not in moves[state]:
            state = link[state]
            size = longest[state]
        if a[i] in moves[state]:
            state, size = moves[state][a[i]], size + 1
        if size > best[2]:  # the first to reach a length ends, and so starts, earliest
            best = (i - size + 1, blo + ends[state] - size + 1, size)
    return best


class _SuffixAutomaton:
    """The suffix automaton of a sequence: each state stands for the runs of it that end at
    the same places; per state its moves, suffix link, longest run, and where its first
    occurrence ends (the runs of a state first occur together)."""

    def __init__(self, items: list[int]) -> None:
        self.moves: list[dict[int, int]] = [{}]
        self.link, self.longest, self.ends = [-1], [0], [0]
        last = 0
        for end, item in enumerate(items):
            new = self._state({}, 0, self.longest[last] + 1, end)
            p = last
            while p != -1 and item not in self.moves[p]:
                self.moves[p][item] = new
                p = self.link[p]
            if p != -1:
                q = self.moves[p][item]
                if self.longest[p] + 1 == self.longest[q]:
                    self.link[new] = q
                else:
                    clone = self._state(dict(self.moves[q]), self.link[q],
                                        self.longest[p] + 1, self.ends[q])
                    while p != -1 and self.moves[p].get(item) == q:
                        self.moves[p][item] = clone
                        p = self.link[p]
                    self.link[q] = self.link[new] = clone
            last = new

    def _state(self, moves: dict[int, int], link: int, longest: int, end: int) -> int:
        self.moves.append(moves)
        self.link.append(link)
        self.longest.append(longest)
        self.ends.append(end)
        return len(self.moves) - 1


def scalar(text: str, old: Any = None) -> Any:
    """A multi-line text as a literal block (`|`); a single line in the style it had."""
    from ruamel.yaml.scalarstring import (
        DoubleQuotedScalarString,
        FoldedScalarString,
        LiteralScalarString,
        SingleQuotedScalarString,
    )

    if "\n" in text or isinstance(old, (LiteralScalarString, FoldedScalarString)):
        return LiteralScalarString(text.rstrip("\n") + "\n")
    if isinstance(old, (DoubleQuotedScalarString, SingleQuotedScalarString)):
        return type(old)(text)
    return text


def set_text(mapping: Any, key: str, text: str) -> None:
    """Put in a new text; a comment after a one-line value keeps its distance from it."""
    old = mapping.get(key)
    mapping[key] = scalar(text, old)
    comment = mapping.ca.items.get(key, [None] * 3)[2]
    if comment is not None and "\n" not in text and isinstance(old, str) and "\n" not in old:
        comment.column = max(comment.column + len(text) - len(old), 0)
