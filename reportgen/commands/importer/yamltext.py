"""How a text goes into the YAML: in the scalar style it had, and changed block by block.

Pure functions over ruamel.yaml's round-trip values; imports markup and importer.common.
"""

from __future__ import annotations

import difflib
from typing import Any

from reportgen.commands.importer.common import SPACES
from reportgen.markup import parse_blocks


def merged_text(old: str, new: str, base: int) -> str | None:
    """None when `new` renders as `old` does; else `old` with only the changed blocks
    replaced, so the author's line breaks and blank lines elsewhere stay (`new` if that
    cannot be done exactly)."""
    wanted = parse_blocks(new, base)
    if parse_blocks(old, base) == wanted:
        return None
    chunks = new.split("\n\n")
    keys = [parse_blocks(c, base) for c in chunks]
    pieces = segments(old, base)
    if any(len(k) != 1 for k in keys) or pieces is None:
        return new
    olds = parse_blocks(old, base)
    lines: list[str] = []
    opcodes = difflib.SequenceMatcher(None, olds, [k[0] for k in keys], False).get_opcodes()
    for tag, i1, i2, j1, j2 in opcodes:
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


def segments(text: str, base: int) -> list[list[str]] | None:
    """The lines of each block of `text`, each with the blank lines after it."""
    lines = text.strip("\n").split("\n")
    starts: list[int] = []
    for k in range(len(lines)):
        if len(parse_blocks("\n".join(lines[:k + 1]), base)) > len(starts):
            starts.append(k)
    bounds = starts + [len(lines)]
    found = [lines[a:b] for a, b in zip(bounds, bounds[1:])]
    return found if len(found) == len(parse_blocks(text, base)) else None


def represent_decimal(representer: Any, value: Any) -> Any:
    """A Decimal as a plain YAML number with exactly its digits (never through a float)."""
    text = format(value, "f")
    tag = "tag:yaml.org,2002:float" if "." in text else "tag:yaml.org,2002:int"
    return representer.represent_scalar(tag, text)


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
