"""Merge an imported area into its YAML with ruamel.yaml's round trip; the diff; the write.

Only the values that render differently change: a text keeps its author's line breaks and
scalar style outside the changed blocks; Andre forhold items keep their YAML where their
heading and text are unchanged; comments, key order and quoting stay, and so do the file's
line ends (CRLF or LF) and a byte order mark. The merged text is validated and checked to
render what the document holds before it is offered. The parts and their keys come from the
outline (outline.py).
"""

from __future__ import annotations

import codecs
import difflib
import io
import tempfile
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from reportgen.commands.importer.common import (
    NOT_SHOWN,
    TEXT_PARTS,
    ImportedArea,
    OtherItem,
    other_base,
    text_level,
    where,
)
from reportgen.commands.importer.figures import merge_figures
from reportgen.commands.importer.yamltext import merged_text, scalar, set_text
from reportgen.errors import InputError, ReportgenError, ReportgenErrors
from reportgen.markup import parse_blocks
from reportgen.outline import (
    AREA_OUTLINE,
    FIGURES,
    ITEM_HEADING_KEY,
    ITEM_TEXT_KEY,
    OTHER_MATTERS,
    TOP_LEVEL,
    Part,
    item_heading_level,
)
from reportgen.output.write import atomic_write
from reportgen.period import Period
from reportgen.project import display_path
from reportgen.yamlsource import load_yaml


@dataclass(frozen=True)
class ImportResult:
    """The YAML before and after the import, and the notes for the user."""

    yaml_path: Path
    old_text: str  # both with "\n" line ends, as the diff shows them
    new_text: str
    notes: tuple[str, ...]
    newline: str = "\n"  # the line end the file uses, and writes with
    bom: bool = False  # whether the file starts with a UTF-8 byte order mark

    @property
    def changed(self) -> bool:
        """Whether the import changes the YAML at all."""
        return self.old_text != self.new_text


def unified_diff(result: ImportResult) -> str:
    """The change to the YAML file as a unified diff."""
    name = display_path(result.yaml_path)
    old, new = result.old_text.splitlines(True), result.new_text.splitlines(True)
    lines = difflib.unified_diff(old, new, f"a/{name}", f"b/{name}")
    return "".join(line if line.endswith("\n") else line + "\n" for line in lines)


def read_yaml_text(path: Path) -> tuple[str, str, bool]:
    """The YAML file's text with "\n" line ends; the line end it uses most ("\r\n", "\n"
    or "\r"); whether it starts with a byte order mark. Bytes that are not UTF-8 are
    replaced here: loading the file (yamlsource) reports them with their place."""
    raw = path.read_bytes()
    text = raw.decode("utf-8-sig", "replace")
    crlf = text.count("\r\n")
    lf, cr = text.count("\n") - crlf, text.count("\r") - crlf
    newline = "\r\n" if crlf > max(lf, cr) else "\r" if cr > lf else "\n"
    return text.replace("\r\n", "\n").replace("\r", "\n"), newline, raw.startswith(
        codecs.BOM_UTF8)


def write_yaml(result: ImportResult) -> None:
    """Replace the YAML file atomically (temporary file beside it, then rename), with the
    line ends and byte order mark the file had."""
    atomic_write(result.yaml_path, encoded(result), "input file")


def encoded(result: ImportResult) -> bytes:
    """The new text as the file's bytes: its line ends and byte order mark."""
    text = result.new_text.replace("\n", result.newline)
    return (codecs.BOM_UTF8 if result.bom else b"") + text.encode("utf-8")


# --- merging into the YAML -----------------------------------------------------------------

def merge_into_yaml(yaml_path: Path, imported: ImportedArea) -> str:
    """The area file's new text: the changed values put in, everything else as it was."""
    old = read_yaml_text(yaml_path)[0]
    return merge_yaml(yaml_path, old, imported)[0]


def merge_yaml(yaml_path: Path, old: str, imported: ImportedArea) -> tuple[str, list[str]]:
    """The new text of the YAML file whose text is `old`, and notes on the merge."""
    from reportgen.inputs import load_kommune
    from reportgen.present import area_fingerprint
    from reportgen.validate import validate_area

    inputs = yaml_path.parent.parent
    kommune = load_kommune(inputs)
    period = Period.parse(imported.period)
    area = validate_area(load_yaml(yaml_path), imported.code, kommune, period)
    yaml = round_trip(old)
    data = yaml.load(old)
    notes: list[str] = []
    changed = _merge_texts(data, area.content, imported, notes)
    changed |= merge_figures(FIGURES.container(data), FIGURES.value(area.content),
                             imported, notes)
    changed |= _merge_other(data, area.content.other_matters, imported.other_matters, notes)
    if not changed:
        return old, notes
    stream = io.StringIO()
    yaml.dump(data, stream)
    new = stream.getvalue()
    _verify(_check(new, yaml_path, imported, kommune, period).content, imported)
    # The document's text replaces the YAML's: edits made to the YAML since the render go.
    if imported.fingerprint and imported.fingerprint != area_fingerprint(area):
        notes.append(f"{display_path(yaml_path)} has changed since this document was"
                     " rendered; writing would also undo those changes (see the diff)")
    return new, notes


def round_trip(text: str) -> Any:
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
            return validate_area(load_yaml(path), imported.code, kommune, period)
        except ReportgenErrors as exc:
            problem = exc.errors[0]
        except ReportgenError as exc:
            problem = exc
    raise InputError(
        f"the document's content does not make a valid input: {problem.message}",
        location=where(imported.path), hint=problem.hint,
    )


def _verify(content: Any, imported: ImportedArea) -> None:
    """The merged input renders what the document holds (a failure here is a bug)."""
    values = _field_values(content)
    wrong = [key for key, text in imported.texts.items() if text and parse_blocks(
        values[key] or "", text_level(key)) != parse_blocks(text, text_level(key))]
    tokens = [key for item in imported.other_matters or [] if item.chunks
              for key, _ in _tokens(item)]
    if tokens != [key for item in content.other_matters for key in _old_keys(item)]:
        wrong.append(OTHER_MATTERS.name)
    if wrong:
        raise RuntimeError(f"import: the merged YAML differs from the document in {wrong}")


def _field_values(content: Any) -> dict[str, str | None]:
    """The text fields of an area's validated content, by their YAML keys."""
    return {key: part.value(content) for key, part in TEXT_PARTS.items()}


def _merge_texts(data: Any, content: Any, imported: ImportedArea, notes: list[str]) -> bool:
    """The text fields: a changed one replaced block by block, a missing one noted."""
    olds = _field_values(content)
    changed = False
    for key, part in TEXT_PARTS.items():
        mapping = part.container(data)
        new, old = imported.texts.get(key), olds[key]
        if part.optional:
            changed |= _merge_optional(data, part, old, new, imported, notes)
        elif not new:
            heading = "the title" if part.label is None else repr(key.capitalize())
            notes.append(f"no text under {heading} in the document; the YAML text was kept"
                         " (the field is required)")
        elif (text := merged_text(old, new, text_level(key))) is not None:
            set_text(mapping, key, text)
            changed = True
    return changed


def _merge_optional(data: Any, part: Part, old: str | None, new: str | None,
                    imported: ImportedArea, notes: list[str]) -> bool:
    """An optional text (Investeringsbudsjettet): added, changed, or removed with its heading."""
    mapping = part.container(data)
    if new == "" and old:
        heading = imported.labels.get(part.label or "", part.name)
        notes.append(f"{heading!r} has no text; the section was removed")
    if not new:
        if old is None:
            return False
        del mapping[part.name]
        return True
    text = new if old is None else merged_text(old, new, text_level(part.name))
    if text is None:
        return False
    if old is None:
        mapping.insert(_place_for(mapping, part), part.name, scalar(text))
    else:
        set_text(mapping, part.name, text)
    return True


def _place_for(mapping: Any, part: Part) -> int:
    """Where a new key goes: after the nearest part before it in the outline that the
    mapping holds (at the start if none)."""
    keys = list(mapping)
    before = AREA_OUTLINE[:AREA_OUTLINE.index(part)]
    for earlier in reversed(before):
        if earlier.key[:-1] == part.key[:-1] and earlier.name in keys:
            return keys.index(earlier.name) + 1
    return 0


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
        del data[OTHER_MATTERS.name]
        return True
    start, pos = _kept(olds, tokens)
    end, back = _kept([keys[::-1] for keys in olds[start:][::-1]], tokens[pos:][::-1])
    maps = list(data.get(OTHER_MATTERS.name) or [])
    middle = _middle(maps[start:len(old) - end], old[start:len(old) - end],
                     _items(tokens[pos:len(tokens) - back]))
    items = maps[:start] + middle + maps[len(old) - end:]
    if OTHER_MATTERS.name in data:
        data[OTHER_MATTERS.name][:] = items
    else:
        from ruamel.yaml.comments import CommentedSeq

        data[OTHER_MATTERS.name] = CommentedSeq(items)
    return True


def _tokens(item: OtherItem) -> list[tuple[Any, str | None]]:
    """(block, markup) for the item's heading (markup None) and each of its chunks."""
    from reportgen.view import Heading

    base = other_base(item.heading)
    head = [((Heading(item_heading_level(TOP_LEVEL), item.heading),), None)] if item.heading else []
    return head + [(tuple(parse_blocks(c, base)), c) for c in item.chunks]


def _old_keys(item: Any) -> list[Any]:
    from reportgen.view import Heading

    head = [(Heading(item_heading_level(TOP_LEVEL), item.heading),)] if item.heading else []
    return head + [(b,) for b in parse_blocks(item.text, other_base(item.heading))]


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
            entry = CommentedMap({ITEM_HEADING_KEY: item.heading} if item.heading else {})
            entry[ITEM_TEXT_KEY] = scalar(item.text)
        else:
            unused.remove(index)
            entry = maps[index]
            text = merged_text(old[index].text, item.text, other_base(item.heading))
            if text is not None:
                set_text(entry, ITEM_TEXT_KEY, text)
        out.append(entry)
    return out
