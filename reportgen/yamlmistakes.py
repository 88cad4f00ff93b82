"""The common YAML mistakes of people who are not programmers, read from the parser's complaint
and the lines around it, and said in words with the fix as text to type: a colon in a text, a
quote that does not close, a quoted phrase followed by more text, a text that starts with a
character YAML reserves, a `|` block whose text is not indented, a tab, a line indented too far.

Pure: works on the parser's problem, its positions (1-based) and the file's lines. Imports
only reportgen.messages (the words, in the user's language; the text to type is never
translated); yamlsource turns the answer into an InputError.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from reportgen.messages import _

# `key: value` or `- key: value` at the start of a line: the indentation, the key, the value.
KEY_LINE = re.compile(r"^(?P<indent>[ ]*)(?:- +)?(?P<key>[^\s:#'\"\[\]{}&*!|>%@`-][^:#]*?)"
                      r"[ ]*:(?:[ ]+(?P<value>.*))?$")
BLOCK_HEADER = re.compile(r"^(?P<indent>[ ]*)(?:- +)?(?P<key>[^\s:#][^:#]*?)[ ]*:[ ]+"
                          r"[|>][+-]?[0-9]?[ ]*(?:#.*)?$")
SHOWN = 70  # characters of a text shown in a hint; longer ones end in "…"
RESERVED = "[{*&@`-%"  # the characters a plain text may not begin with


def _block() -> str:
    """The advice to write a text as a block; the fix follows it on the next lines."""
    return _("write the text as a block: put `|` after the key and the text on the next lines,"
             " indented:")


def _reserved_reading(char: str) -> str:
    """What YAML reads a text that begins with `char` (one of RESERVED) as."""
    readings = {"[": _("the start of a list"), "{": _("the start of a mapping"),
                "*": _("a reference to another value (an alias)"),
                "&": _("a name for a value (an anchor)"), "-": _("a list item"),
                "%": _("a YAML directive")}
    return readings.get(char) or _("a character YAML keeps for itself")


@dataclass(frozen=True)
class Explained:
    """A mistake in words: what is wrong, what to do (the fix on the lines after the first),
    and where (line and column, 1-based)."""

    message: str
    hint: str
    line: int
    column: int


def explain(problem: str, problem_at: tuple[int, int] | None, context: str,
            context_at: tuple[int, int] | None, lines: list[str]) -> Explained | None:
    """The mistake the parser's complaint stands for, or None when it is none of the common
    ones (the caller then shows the parser's own words)."""
    where = context_at if context_at and "simple key" in context else problem_at
    if where is not None and (found := unindented_block(lines, where[0])):
        return found
    if "found character '\\t'" in problem and problem_at:
        return _tab(lines, problem_at)
    if "quoted scalar" in context and context_at and "end of stream" in problem:
        return _unclosed_quote(lines, context_at)
    if "flow" in context and context_at:  # `[` or `{` opened a list the text never closes
        problem_at = context_at
    if problem_at is None:
        return None
    line = _line(lines, problem_at[0])
    match = KEY_LINE.match(line)
    if "mapping values are not allowed" in problem:
        return _colon(lines, problem_at, match)
    value = (match.group("value") or "") if match else ""
    if match and value[:1] in ("'", '"') and "expected <block end>" in problem:
        return _quoted_then_more(match, problem_at[0])
    if match and value[:1] and value[:1] in RESERVED:
        return _reserved(match, problem_at[0], line.index(value) + 1)
    return None


def looks_like_a_key(line: str) -> bool:
    """`vurdering: …`, `- tekst: …`: a key as the schema spells them (lower case, no spaces),
    not the start of a sentence such as `Merk: …`."""
    match = KEY_LINE.match(line)
    return bool(match) and " " not in match.group("key") and match.group("key").islower()


def unindented_block(lines: list[str], line_no: int) -> Explained | None:
    """A `key: |` whose text, on the line `line_no` (or the one the parser stopped at), is not
    indented further than the key: YAML ends the block before it."""
    previous = line_no - 1
    while previous >= 1 and not _line(lines, previous).strip():
        previous -= 1
    header = BLOCK_HEADER.match(_line(lines, previous)) if previous >= 1 else None
    text = _line(lines, line_no)
    if header is None or not text.strip() or _indent(text) > len(header.group("indent")):
        return None
    key = header.group("key")
    return Explained(
        _("the text under `{key}: |` is not indented, so YAML does not take it for the"
          " text").format(key=key),
        _("indent every line of the text 2 spaces more than `{key}:`, like this:").format(key=key)
        + f"\n{key}: |\n  {_shown(text.strip())}", line_no, 1)


def _tab(lines: list[str], at: tuple[int, int]) -> Explained:
    line = _line(lines, at[0])
    spaces = re.sub(r"^[ \t]+", lambda m: m.group().replace("\t", "  "), line)
    return Explained(
        _("a tab character: YAML allows only spaces here"),
        _("replace the tab with spaces (2 for each level, in the same column as the lines"
          " around it), like this:") + f"\n{_shown(spaces)}", at[0], at[1])


def _unclosed_quote(lines: list[str], at: tuple[int, int]) -> Explained:
    line = _line(lines, at[0])
    quote = line[at[1] - 1] if at[1] - 1 < len(line) else '"'
    match = KEY_LINE.match(line)
    key = match.group("key") if match else "key"
    return Explained(
        _("the quote {quote} that begins the text of `{key}` is never closed").format(
            quote=quote, key=key),
        _("end the text with {quote} on the same line; or, if the quote is part of the text,"
          " write the text as a block: put `|` after the key and the text on the next lines,"
          " indented:").format(quote=quote)
        + f"\n{key}: |\n  {_shown(line[at[1] - 1:].strip())}", at[0], at[1])


def _quoted_then_more(match: re.Match[str], line_no: int) -> Explained:
    key, value = match.group("key"), match.group("value")
    return Explained(
        _("the text of `{key}` begins with a phrase in quotes and goes on after it; YAML takes"
          " only the quoted part for the text").format(key=key),
        f"{_block()}\n{key}: |\n  {_shown(value)}", line_no, match.start("value") + 1)


def _reserved(match: re.Match[str], line_no: int, column: int) -> Explained:
    key, value = match.group("key"), match.group("value")
    return Explained(
        _("the text of `{key}` begins with `{char}`, which YAML reads as {reading}").format(
            key=key, char=value[0], reading=_reserved_reading(value[0])),
        f"{_block()}\n{key}: |\n  {_shown(value)}", line_no, column)


def _colon(lines: list[str], at: tuple[int, int],
           match: re.Match[str] | None) -> Explained | None:
    """`: ` inside a one-line text; or a line indented too far, which YAML reads as more of
    the text above it."""
    line = _line(lines, at[0])
    if match and match.group("value") and match.start("value") < at[1]:
        key, value = match.group("key"), match.group("value")
        return Explained(
            _("the text of `{key}` holds a colon followed by a space (`: `), which YAML reads"
              " as the start of a new key").format(key=key),
            f"{_block()}\n{key}: |\n  {_shown(value)}", at[0], at[1])
    above = at[0] - 1
    while above >= 1 and not KEY_LINE.match(_line(lines, above)):
        above -= 1
    owner = KEY_LINE.match(_line(lines, above)) if above >= 1 else None
    if owner is None:
        return None
    key, spaces = owner.group("key"), len(owner.group("indent"))
    text = [(owner.group("value") or "").strip()] + [
        _line(lines, n).strip() for n in range(above + 1, at[0] + 1)]
    typed = "\n".join(f"  {_shown(t)}" for t in text if t)
    return Explained(
        _("this line is indented further than `{key}:` above it, so YAML reads it as more of"
          " that text, where a colon followed by a space cannot stand").format(key=key),
        _("if `{own}:` is a key of its own, start it in the same column as `{key}:` ({spaces}"
          " spaces before it); if the line is part of the text of `{key}`, write the text as"
          " a block: put `|` after the key and the text on the next lines, indented:").format(
            own=line.strip().split(":")[0], key=key, spaces=spaces)
        + f"\n{key}: |\n{typed}", at[0], _indent(line) + 1)


def _line(lines: list[str], number: int) -> str:
    return lines[number - 1].rstrip("\r\n") if 1 <= number <= len(lines) else ""


def _indent(line: str) -> int:
    return len(line) - len(line.lstrip(" "))


def _shown(text: str) -> str:
    return text if len(text) <= SHOWN else text[:SHOWN].rstrip() + " …"
