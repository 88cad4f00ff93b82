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
from decimal import Decimal
from pathlib import Path
from typing import Any

from reportgen.commands.importer.common import (
    TEXT_PARTS,
    ImportedArea,
    text_level,
    where,
)
from reportgen.commands.importer.figures import amount_representer, merge_figures
from reportgen.commands.importer.items import merge_other, old_keys, tokens_of
from reportgen.commands.importer.keep import Warned, keep_missing
from reportgen.commands.importer.tables import place, resolve
from reportgen.commands.importer.yamltext import merged_text, represent_decimal, scalar, set_text
from reportgen.errors import InputError, ReportgenError, ReportgenErrors
from reportgen.markup import parse_blocks
from reportgen.messages import _
from reportgen.model import PLACEHOLDER
from reportgen.outline import (
    AREA_OUTLINE,
    FIGURES,
    OTHER_MATTERS,
    TABLES_KEY,
    Part,
)
from reportgen.output.write import atomic_write
from reportgen.period import Period
from reportgen.project import display_path, read_file
from reportgen.yamlsource import MAX_FILE_BYTES, load_yaml


@dataclass(frozen=True)
class ImportResult:
    """The YAML before and after the import, and the notes for the user."""

    yaml_path: Path
    old_text: str  # both with "\n" line ends, as the diff shows them
    new_text: str
    notes: tuple[str, ...]
    newline: str = "\n"  # the line end the file uses, and writes with
    bom: bool = False  # whether the file starts with a UTF-8 byte order mark
    created: bool = False  # a new file (the import writes it for the first time)

    @property
    def changed(self) -> bool:
        """Whether the import changes the YAML at all."""
        return self.old_text != self.new_text


def unified_diff(result: ImportResult) -> str:
    """The change to the YAML file as a unified diff."""
    name = display_path(result.yaml_path)
    old, new = result.old_text.splitlines(True), result.new_text.splitlines(True)
    lines = difflib.unified_diff(old, new, "/dev/null" if result.created else f"a/{name}",
                                 f"b/{name}")
    return "".join(line if line.endswith("\n") else line + "\n" for line in lines)


def write_yaml(result: ImportResult) -> None:
    """Replace the YAML file atomically (temporary file beside it, then rename), with the
    line ends and byte order mark the file had."""
    atomic_write(result.yaml_path, encoded(result), "input file")


def encoded(result: ImportResult) -> bytes:
    """The new text as the file's bytes: its line ends and byte order mark."""
    text = result.new_text.replace("\n", result.newline)
    return (codecs.BOM_UTF8 if result.bom else b"") + text.encode("utf-8")


# --- merging into the YAML -----------------------------------------------------------------

def read_yaml_text(yaml_path: Path) -> tuple[str, str, bool]:
    """The area file's text with "\n" line ends, read through project.read_file (an ordinary
    file inside its inputs folder, at most MAX_FILE_BYTES); the line end it uses most ("\r\n",
    "\n" or "\r"); whether it starts with a byte order mark. InputError with its place when
    it is not UTF-8."""
    inputs = yaml_path.parent.parent
    raw = read_file(yaml_path, limit=MAX_FILE_BYTES, root=inputs)
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError:
        load_yaml(yaml_path, root=inputs)  # says where, with line and column
        raise
    crlf = text.count("\r\n")
    lf, cr = text.count("\n") - crlf, text.count("\r") - crlf
    newline = "\r\n" if crlf > max(lf, cr) else "\r" if cr > lf else "\n"
    return (text.replace("\r\n", "\n").replace("\r", "\n"), newline,
            raw.startswith(codecs.BOM_UTF8))
@dataclass
class Merged:
    """An area file's new text, the notes and warnings about it, and the area it gives."""

    text: str
    notes: list[str]
    warnings: list[Warned]  # each with its hint
    area: Any = None  # the validated Area of the new text


def merge_into_yaml(yaml_path: Path, imported: ImportedArea) -> str:
    """The area file's new text: the changed values put in, everything else as it was."""
    old = read_yaml_text(yaml_path)[0]
    return merge_yaml(yaml_path, old, imported).text


def merge_yaml(yaml_path: Path, old: str, imported: ImportedArea, kommune: Any = None,
               remove_missing: bool = False, vocab: Any = None) -> Merged:
    """The new text of the YAML file whose text is `old`, with notes and warnings. Parts the
    YAML has and the document lacks are kept (with a warning) unless `remove_missing`."""
    from reportgen.inputs import load_kommune
    from reportgen.present import area_fingerprint
    from reportgen.validate import validate_area

    kommune = kommune or load_kommune(yaml_path.parent.parent)
    period = Period.parse(imported.period)
    source = load_yaml(yaml_path, root=yaml_path.parent.parent)
    area = validate_area(source, imported.code, kommune, period)
    yaml = round_trip(old)
    data = yaml.load(old)
    notes: list[str] = []
    changed = _place_tables(data, area.content.tables, imported, vocab, notes)
    warnings, keep_figures = ([], False) if remove_missing else keep_missing(
        imported, area.content, imported.labels)
    changed |= _merge_texts(data, area.content, imported, notes)
    if not keep_figures:
        changed |= merge_figures(FIGURES.container(data), FIGURES.value(area.content),
                                 imported, notes)
    changed |= merge_other(data, area.content.other_matters, imported.other_matters, notes)
    if not changed:
        return Merged(old, notes, warnings, area)
    new = dumped(yaml, data)
    checked = _check(new, yaml_path, imported, kommune, period)
    _verify(checked.content, imported)
    # The document's text replaces the YAML's: edits made to the YAML since the render go.
    if imported.fingerprint and imported.fingerprint != area_fingerprint(area):
        notes.append(_("{file} has changed since this document was rendered; writing would"
                       " also undo those changes (see the diff)").format(
            file=display_path(yaml_path)))
    return Merged(new, notes, warnings, checked)


def create_yaml(yaml_path: Path, imported: ImportedArea, kommune: Any, vocab: Any,
                source: str) -> Merged:
    """A new area file from the document: its parts in the outline's order; a required
    text the document does not have is left for the author (FYLL UT, with a warning)."""
    from ruamel.yaml.comments import CommentedMap

    period = Period.parse(imported.period)
    data, notes, warnings = CommentedMap(), [], []
    shown = period.label_in(imported.language)
    data.yaml_set_start_comment(f"{imported.title or imported.code}, {shown}: imported from"
                                f" {source}")
    tables = CommentedMap()
    _resolve_into(tables, {}, imported, vocab, notes)
    for part in AREA_OUTLINE:
        container = part.container(data)
        if part.kind == "group":
            container[part.name] = CommentedMap()
        elif part.kind == "text":
            _new_text(container, part, imported, warnings)
        elif part.kind == "figures" and imported.figures is not None:
            merge_figures(container, None, imported, notes)
        elif part.kind == "items":
            merge_other(data, (), imported.other_matters, notes)
    if tables:
        data[TABLES_KEY] = tables
    new = dumped(new_yaml(), data)
    checked = _check(new, yaml_path, imported, kommune, period)
    _verify(checked.content, imported)
    return Merged(new, notes, warnings, checked)


def _new_text(container: Any, part: Part, imported: ImportedArea,
              warnings: list[Warned]) -> None:
    text = imported.texts.get(part.name)
    if text:
        container[part.name] = scalar(text)
    elif not part.optional:
        container[part.name] = PLACEHOLDER
        missing = _("the document has no text under {heading!r}; `{key}` was written as"
                    " «{placeholder}» for you to fill in") if part.label else _(
            "the document has no text under the title; `{key}` was written as «{placeholder}»"
            " for you to fill in")
        warnings.append((missing.format(heading=imported.labels.get(part.label or ""),
                                        key=part.name, placeholder=PLACEHOLDER), None))


def _place_tables(data: Any, existing: dict[str, Any], imported: ImportedArea, vocab: Any,
                  notes: list[str]) -> bool:
    """The document's tables and charts given their ids in `tabeller:` (new ones added)."""
    from ruamel.yaml.comments import CommentedMap

    if not imported.grids and not imported.charts:
        return False
    tables = data.get(TABLES_KEY)
    mapping = tables if tables is not None else CommentedMap()
    changed = _resolve_into(mapping, existing, imported, vocab, notes)
    if tables is None and mapping:
        data[TABLES_KEY] = mapping
    return changed


def _resolve_into(mapping: Any, existing: dict[str, Any], imported: ImportedArea, vocab: Any,
                  notes: list[str]) -> bool:
    """Resolve the placements of `imported` against `existing`; new tables into `mapping`."""
    if vocab is None:
        from reportgen.commands.importer.detect import vocabulary
        from reportgen.project import default_templates

        vocab = vocabulary(default_templates())
    ids, changed = resolve(imported.grids, imported.charts, mapping, existing, imported.labels,
                           imported.language, vocab, notes, imported.fresh_tables)
    imported.table_ids = dict(ids["tabell"])
    imported.texts = {k: place(v, ids) for k, v in imported.texts.items()}
    for item in imported.other_matters or []:
        item.chunks[:] = [c for c in (place(chunk, ids) for chunk in item.chunks) if c]
    return changed


def new_yaml() -> Any:
    """A ruamel.yaml round-trip YAML for a new file, indented as the README's examples."""
    from ruamel.yaml import YAML

    yaml = YAML(typ="rt")
    yaml.preserve_quotes, yaml.width = True, 100_000
    yaml.indent(mapping=2, sequence=4, offset=2)
    yaml.representer.add_representer(Decimal, represent_decimal)
    return yaml


def dumped(yaml: Any, data: Any) -> str:
    """The YAML text of `data`."""
    stream = io.StringIO()
    yaml.dump(data, stream)
    return stream.getvalue()


class _GuessOnly:
    """The loader given to ruamel's load_yaml_guess_indent, which guesses the indentation from
    the lines and then loads the text with it: only the guess is wanted here, and a load of a
    large file takes seconds."""

    def load(self, text: str) -> None:
        """Nothing: the text is loaded by the candidates."""
        return None


def round_trip(text: str) -> Any:
    """A ruamel.yaml round-trip YAML whose indentation reproduces the file as written (the
    first guess when none does)."""
    from ruamel.yaml import YAML
    from ruamel.yaml.util import load_yaml_guess_indent

    _data, indent, offset = load_yaml_guess_indent(text, yaml=_GuessOnly())
    candidates = []
    for mapping, sequence, dash in ((2, indent, offset or 0), (2, 4, 2), (2, 2, 0), (4, 6, 4),
                                    (4, 4, 2)):
        yaml = YAML(typ="rt")
        yaml.Representer = amount_representer()
        yaml.preserve_quotes, yaml.width = True, 100_000
        yaml.indent(mapping=mapping, sequence=sequence, offset=dash)
        yaml.representer.add_representer(Decimal, represent_decimal)
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
        _("the document's content does not make a valid input: {problem}").format(
            problem=problem.message),
        location=where(imported.path), hint=problem.hint,
    )


def _verify(content: Any, imported: ImportedArea) -> None:
    """The merged input renders what the document holds (a failure here is a bug)."""
    values = _field_values(content)
    wrong = [key for key, text in imported.texts.items() if text and parse_blocks(
        values[key] or "", text_level(key)) != parse_blocks(text, text_level(key))]
    tokens = [key for item in imported.other_matters or [] if item.chunks
              for key, _ in tokens_of(item)]
    if tokens != [key for item in content.other_matters for key in old_keys(item)]:
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
            missing = _("no text under the title in the document; the YAML text was kept (the"
                        " field is required)") if part.label is None else _(
                "no text under {heading!r} in the document; the YAML text was kept (the field"
                " is required)")
            notes.append(missing.format(heading=key.capitalize()))
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
        notes.append(_("{heading!r} has no text; the section was removed").format(
            heading=heading))
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
