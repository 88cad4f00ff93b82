"""No-break spaces where a line must not break: between a number and its unit or sign.

Part of stage 3 (present), so that DOCX, HTML and PDF agree. Only an ordinary space (U+0020)
between the tokens of one of these pairs becomes a no-break space (U+00A0); no other
character, word or space changes, so the text read back equals the author's modulo
whitespace:

    4,5 mill. kr   25 %   1 486 søkere   kr 200   § 19 a   mill. kr

`untypeset` undoes exactly that for text read back from a document (`reportgen import`).
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import replace
from typing import Any, TypeVar

NBSP = "\u00a0"
_GAP = "[ \u00a0]"  # a space as the author wrote it, or already bound
_UNIT = (r"(?:mill\.|mrd\.|kr\b|kroner\b|NOK\b|%|‰|prosent(?:poeng)?\b|pst\.|"
         r"mnok\b|MNOK\b|årsverk\b|km\b|m²|m2\b|m³|kWh\b)")
# Each pattern matches the space to bind as its group "gap".
BINDINGS = tuple(re.compile(p) for p in (
    rf"(?<=\d)(?P<gap> )(?={_UNIT})",  # 4,5 mill.  25 %  12 årsverk
    r"(?<![\w])(?:mill|mrd)\.(?P<gap> )(?=kr\b|kroner\b)",  # mill. kr
    r"(?<![\w])(?:kr|NOK)\.?(?P<gap> )(?=\d)",  # kr 200
    r"§(?P<gap> )(?=\d)",  # § 19
    rf"§{_GAP}\d+(?P<gap> )(?=[a-h](?![\wæøå]))",  # § 19 a (not "§ 19 i loven")
    r"(?<![\d,.])\d{1,3}(?P<gap> )(?=\d{3}(?![\d]))",  # 1 486 (thousands)
))
_REPEATS = 3  # a pattern may bind several spaces of one run ("1 234 567")

T = TypeVar("T")


def bound_spaces(text: str) -> list[int]:
    """The positions of the spaces in `text` that typesetting binds (or has bound)."""
    plain, found = text.replace(NBSP, " "), set()
    for _ in range(_REPEATS):
        before = len(found)
        for pattern in BINDINGS:
            found |= {m.start("gap") for m in pattern.finditer(_bound(plain, found))}
        if len(found) == before:
            break
    return sorted(found)


def _bound(text: str, positions: set[int]) -> str:
    chars = list(text)
    for at in positions:
        chars[at] = NBSP
    return "".join(chars)


def typeset(text: str) -> str:
    """The text with a no-break space in each space that must not break."""
    return _bound(text, {at for at in bound_spaces(text) if text[at] == " "})


def untypeset(text: str) -> str:
    """The no-break spaces that typesetting would have put in, as ordinary spaces."""
    chars = list(text)
    for at in bound_spaces(text):
        chars[at] = " "
    return "".join(chars)


def typeset_pieces(pieces: Sequence[T], undo: bool = False) -> tuple[T, ...]:
    """Spans (anything with a `text`) typeset as one text, across their boundaries
    ("4,5 " + bold "mill. kr"), each keeping its own characters' count."""
    joined = "".join(_text(p) for p in pieces)
    done = (untypeset if undo else typeset)(joined)
    if done == joined:
        return tuple(pieces)
    out, at = [], 0
    for piece in pieces:
        size = len(_text(piece))
        out.append(replace(piece, text=done[at:at + size]))  # type: ignore[type-var]
        at += size
    return tuple(out)


def _text(piece: Any) -> str:
    return str(piece.text)
