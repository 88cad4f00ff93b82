"""Text carried from one period to the next: what `reportgen new` copies, how it marks it, and
which marked text is still unreviewed.

`new` keeps last period's texts (authors edit rather than retype) and puts a comment line
above each, `# UTKAST: uendret fra 2017-T1 (…)`. The text counts as unreviewed while the line
is there and the text is still what `new` copied; the author confirms it by deleting the line,
or changes the text. `check` warns about unreviewed text and `render` refuses it (`--draft`
renders it). Period words ("per april", "1. tertial") follow the new period when copied.

Imports errors, outline, period, project and yamlsource.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from reportgen import project
from reportgen.errors import UNREVIEWED, ReportgenError, ReportgenWarning
from reportgen.messages import _
from reportgen.model import ReportInput
from reportgen.outline import (
    AREA_OUTLINE,
    ITEM_HEADING_KEY,
    OTHER_MATTERS,
    REPORT_CHAPTER_GROUPS,
    TABLES_KEY,
    alias,
)
from reportgen.period import Period
from reportgen.yamlsource import KeyPath, SourceFile, dotted, load_yaml

DRAFT_WORD = "UTKAST"  # the word of the marker and of every draft document
MARKER = re.compile(rf"^[ ]*#[ ]*{DRAFT_WORD}: uendret fra ([0-9]{{4}}-T[123])\b")
HEADER_FIRST = "# Laget med `reportgen new` fra"  # the first line of the header `new` writes
HEADER_MORE = "#   "  # its further lines


def marker_line(old: Period, new: Period) -> str:
    """The comment `new` puts above each text it copied (without indentation)."""
    return f"# {DRAFT_WORD}: uendret fra {old} (slett linjen når teksten stemmer for {new})"


def header(old: Period, new: Period, placeholder: str) -> str:
    """The comment at the top of a file `new` wrote; it replaces an earlier one."""
    return "\n".join([
        f"{HEADER_FIRST} {old} for {new}.",
        f"{HEADER_MORE}{placeholder}: skriv teksten og beløpene for {new} der det står"
        f" {placeholder}.",
        f"{HEADER_MORE}{DRAFT_WORD}: teksten under en linje «# {DRAFT_WORD}: uendret fra {old}»"
        " er kopiert fra forrige periode.",
        f"{HEADER_MORE}Les den og rett det som ikke lenger stemmer; slett så den linjen.",
    ]) + "\n"


def without_header_and_markers(text: str) -> str:
    """YAML text without the header of an earlier `new` and without earlier markers."""
    lines = text.splitlines(keepends=True)
    start = 0
    while start < len(lines) and lines[start].startswith("#"):
        if lines[start].startswith(HEADER_FIRST):
            end = start + 1
            while end < len(lines) and lines[end].startswith(HEADER_MORE):
                end += 1
            lines[start:end] = []
            continue
        start += 1
    return "".join(line for line in lines if not MARKER.match(line))


# --- what is carried over ----------------------------------------------------------------------

def carried_paths(data: Any, whole_report: bool) -> list[KeyPath]:
    """The places `new` marks in a copied file: an area's texts that are not filled in anew
    (outline.AREA_OUTLINE), each Andre forhold item and table; in rapport.yaml, the title,
    subtitle, resolution, each chapter and each table."""
    if not isinstance(data, dict):
        return []
    if whole_report:
        keys = [alias(ReportInput, a) for a in ("title", "subtitle", "resolution")]
        lists = [alias(ReportInput, group) for group in REPORT_CHAPTER_GROUPS]
    else:
        keys = [p.name for p in AREA_OUTLINE if p.kind == "text" and not p.fill_in
                and len(p.key) == 1]
        lists = [OTHER_MATTERS.name]
    paths: list[KeyPath] = [(key,) for key in keys if data.get(key) is not None]
    for key in lists:
        items = data.get(key)
        paths += [(key, i) for i in range(len(items))] if isinstance(items, list) else []
    tables = data.get(TABLES_KEY)
    paths += [(TABLES_KEY, ref) for ref in tables] if isinstance(tables, dict) else []
    return paths


def renew_period_words(text: str, old: Period, new: Period) -> str:
    """'per april' -> 'per august', '1. tertial 2017' -> '2. tertial 2017' (also '1.tertial'),
    '1. tertialrapport 2017' -> '2. tertialrapport 2017'."""
    text = re.sub(rf"\bper {old.month}\b", f"per {new.month}", text)
    text = re.sub(rf"\b{old.tertial}\.( ?)tertial(rapport)? {old.year}\b",
                  lambda m: f"{new.tertial}.{m.group(1)}tertial{m.group(2) or ''} {new.year}",
                  text)
    return re.sub(rf"(?<![\d.]){old.tertial}\.( ?)tertial\b(?! \d)",
                  lambda m: f"{new.tertial}.{m.group(1)}tertial", text)


def renewed(value: Any, old: Period, new: Period) -> Any:
    """Plain data with the period words of every text renewed, as `new` copies it."""
    if isinstance(value, str):
        return renew_period_words(value, old, new)
    if isinstance(value, dict):
        return {k: renewed(v, old, new) for k, v in value.items()}
    if isinstance(value, list):
        return [renewed(v, old, new) for v in value]
    return value


# --- what is still unreviewed ------------------------------------------------------------------

@dataclass(frozen=True)
class Mark:
    """A marker line of `new` and the value it stands above."""

    path: KeyPath
    since: Period
    line: int  # the marker's own line


def marks(source: SourceFile) -> list[Mark]:
    """Every marker line of the file and the key (or list item) directly below it."""
    lines = source.text.splitlines()
    found = []
    for number, line in enumerate(lines, 1):
        match = MARKER.match(line)
        if match is None:
            continue
        below = number + 1
        while below <= len(lines) and (not lines[below - 1].strip()
                                       or lines[below - 1].lstrip().startswith("#")):
            below += 1
        path = _path_on_line(source, below)
        if path is not None:
            found.append(Mark(path, Period.parse(match.group(1)), number))
    return found


def _path_on_line(source: SourceFile, line: int) -> KeyPath | None:
    """The outermost key, or list item, that begins on the line."""
    candidates = [p for p, (at, _) in source.key_marks.items() if at == line]
    candidates += [p for p, (at, _) in source.value_marks.items()
                   if at == line and p and isinstance(p[-1], int)]
    return min(candidates, key=len) if candidates else None


def unreviewed(source: SourceFile, inputs: Path, period: Period) -> list[ReportgenWarning]:
    """The marked values that are still what `new` copied from the earlier period (or that
    cannot be compared, the earlier file being gone): one unfinished warning each."""
    earlier: dict[Period, Any] = {}
    warnings = []
    for mark in marks(source):
        if mark.since not in earlier:
            earlier[mark.since] = _earlier_data(source, inputs, mark.since)
        current = _at(source.data, mark.path)
        old = earlier[mark.since]
        if old is not None and not any(renewed(c, mark.since, period) == current
                                       for c in _slot(old, mark.path)):
            continue  # changed since: reviewed
        name = dotted(mark.path)
        if isinstance(current, dict) and isinstance(current.get(ITEM_HEADING_KEY), str):
            name += f" {current[ITEM_HEADING_KEY]!r}"  # andre_forhold[0] 'Kontaktutvalget'
        warnings.append(ReportgenWarning(
            _("{key}: unchanged since {since}, not yet reviewed").format(
                key=name, since=mark.since),
            source.location(mark.path, at_key=not isinstance(mark.path[-1], int)),
            _("read it and change what no longer holds for {period}; when it is right, delete"
              " the line «# {draft}: uendret fra {since} …» above it (line {line})").format(
                period=period, draft=DRAFT_WORD, since=mark.since, line=mark.line),
            unfinished=UNREVIEWED))
    return warnings


def _earlier_data(source: SourceFile, inputs: Path, since: Period) -> Any:
    """The data of the same file in the earlier period; None when it cannot be read."""
    path = project.period_folder(inputs, since) / source.path.name
    try:
        return load_yaml(path, root=inputs).data if project.exists(path) else None
    except ReportgenError:
        return None


def _at(data: Any, path: KeyPath) -> Any:
    for part in path:
        try:
            data = data[part]
        except (KeyError, IndexError, TypeError):
            return None
    return data


def _slot(data: Any, path: KeyPath) -> Iterator[Any]:
    """The values at `path` in `data`, any item of each list: a copied item may have moved."""
    if not path:
        yield data
        return
    head, rest = path[0], path[1:]
    if isinstance(head, int) and isinstance(data, list):
        for item in data:
            yield from _slot(item, rest)
    elif isinstance(data, dict) and head in data:
        yield from _slot(data[head], rest)
