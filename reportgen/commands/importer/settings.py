"""kommune.yaml's register and rapport.yaml, from an imported document (ruamel round trip).

Areas the register lacks are added in code order, named as the document's titles name them;
comments, quoting and key order of kommune.yaml stay. A missing kommune.yaml is written, with
the municipality's name from the document (its title page, headers or text). rapport.yaml
gets the title page (tittel, undertittel, dato: only where they differ from what reportgen
shows anyway), the proposed resolution and the chapters before and after the areas, matched
by heading; its tables go to `tabeller:`. A chapter, subtitle, date or resolution the YAML
has and the document lacks is kept, with a warning, unless --remove-missing.
"""

from __future__ import annotations

import datetime as dt
import tempfile
from pathlib import Path
from typing import Any

from reportgen import project
from reportgen.commands.importer.common import (
    ImportedArea,
    ImportedChapter,
    ImportedReport,
    W,
    where,
)
from reportgen.commands.importer.detect import Vocabulary, kommune_names
from reportgen.commands.importer.keep import Warned, how, place_between
from reportgen.commands.importer.merge import (
    ImportResult,
    Merged,
    dumped,
    new_yaml,
    read_yaml_text,
    round_trip,
)
from reportgen.commands.importer.tables import place, resolve
from reportgen.commands.importer.yamltext import merged_text, scalar, set_text
from reportgen.errors import InputError, ReportgenError, ReportgenErrors
from reportgen.messages import _
from reportgen.model import Chapter, Kommune, ReportInput
from reportgen.outline import REPORT_CHAPTER_GROUPS, TABLES_KEY, TOP_LEVEL, alias
from reportgen.period import Period
from reportgen.project import display_path
from reportgen.yamlsource import load_yaml

REGISTER = alias(Kommune, "areas")  # "programområder"
KOMMUNE_KEYS = (alias(Kommune, "name"), alias(Kommune, "language"), REGISTER)
REPORT_KEYS = {name: alias(ReportInput, name) for name in (
    "title", "subtitle", "date", "resolution", *REPORT_CHAPTER_GROUPS, "tables")}
HEADING, TEXT = alias(Chapter, "heading"), alias(Chapter, "text")
CHAPTER_BASE = TOP_LEVEL + 1  # a chapter's `#` lines stand below its heading


def register(inputs: Path, areas: list[ImportedArea], kommune: Kommune | None,
             document: Any, language: str, name: str | None) -> tuple[
                 ImportResult | None, Kommune, list[str], dict[str, str]]:
    """kommune.yaml with the areas it lacks added (or written, when there is none); the
    Kommune it gives; notes on names that differ; the areas added, by code."""
    from ruamel.yaml.comments import CommentedMap
    from ruamel.yaml.scalarstring import DoubleQuotedScalarString

    path = project.kommune_path(inputs)
    added, notes = _missing(path, areas, kommune)
    if kommune is not None and not added:
        return None, kommune, notes, added
    if kommune is None:
        old, newline, bom = "", "\n", False
        yaml, data = new_yaml(), CommentedMap()
        data.yaml_set_start_comment("The municipality and its register of programme areas")
        data[KOMMUNE_KEYS[0]] = name or _kommune_name(document, path)
        data[KOMMUNE_KEYS[1]] = language
        data[REGISTER] = CommentedMap()
    else:
        old, newline, bom = read_yaml_text(path)
        yaml = round_trip(old)
        data = yaml.load(old)
    codes = data[REGISTER]
    for code in sorted(added):
        later = [i for i, k in enumerate(codes) if str(k) > code]
        codes.insert(later[0] if later else len(codes), DoubleQuotedScalarString(code),
                     added[code])
    new = dumped(yaml, data)
    result = ImportResult(path, old, new, (), newline, bom, created=kommune is None)
    return result, _valid(new, path, "kommune"), notes, added


def _missing(path: Path, areas: list[ImportedArea],
             kommune: Kommune | None) -> tuple[dict[str, str], list[str]]:
    """The areas the register lacks (code: name from the document), and notes on names the
    document gives otherwise than the register."""
    added: dict[str, str] = {}
    notes = []
    for area in areas:
        known = kommune.areas.get(area.code) if kommune else None
        if known is None and not area.name:
            raise InputError(_("area {code} is not in the register of kommune.yaml, and the"
                               " document gives it no name").format(code=area.code),
                             location=where(area.path),
                             hint=_('add "{code}": <name> under `{key}:` in {file}, or give'
                                    " the document the title 'Programområde {code}"
                                    " <name>'").format(code=area.code, key=REGISTER,
                                                       file=display_path(path)))
        if known is None:
            added[area.code] = area.name or ""
        elif area.name and area.name != known and not area.own:
            notes.append(_("the document names area {code} {name!r}; the register in {file}"
                           " names it {known!r}, which the documents show; the register was"
                           " kept").format(code=area.code, name=area.name,
                                           file=project.KOMMUNE_FILE, known=known))
    return added, notes


def _kommune_name(document: Any, path: Path) -> str:
    """The municipality's name as the document's headers, footers or text give it."""
    texts = []
    for part in document.part.package.parts:
        if str(part.partname).startswith(("/word/header", "/word/footer", "/word/document")):
            element = getattr(part, "element", None)
            if element is not None:
                texts += ["".join(t.text or "" for t in p.iter(f"{W}t"))
                          for p in element.iter(f"{W}p")]
    names = kommune_names(texts)
    if not names:
        raise InputError(_("{file} not found, and the document does not name the"
                           " municipality").format(file=project.KOMMUNE_FILE),
                         location=where(path),
                         hint=_("write {file} with `kommune:` (such as `kommune: Drammen"
                                " kommune`) and `språk: nb` or `nn`, then import"
                                " again").format(file=display_path(path)))
    return names[0]


def _valid(text: str, path: Path, what: str) -> Any:
    """The new text of kommune.yaml or rapport.yaml, validated (problems at the file)."""
    from reportgen.validate import validate_kommune, validate_report

    with tempfile.TemporaryDirectory() as folder:
        copy = Path(folder) / path.name
        copy.write_text(text, encoding="utf-8")
        try:
            source = load_yaml(copy)
            return validate_kommune(source) if what == "kommune" else validate_report(source)
        except ReportgenErrors as exc:
            problem = exc.errors[0]
        except ReportgenError as exc:
            problem = exc
    raise InputError(_("the document does not make a valid {file}: {problem}").format(
        file=path.name, problem=problem.message), location=where(path), hint=problem.hint)


# --- rapport.yaml -----------------------------------------------------------------------------

def report_file(inputs: Path, period: Period, report: ImportedReport, vocab: Vocabulary,
                remove_missing: bool) -> tuple[ImportResult, Merged]:
    """rapport.yaml's new text from the report's title page, resolution and chapters."""
    from ruamel.yaml.comments import CommentedMap

    path = project.report_path(inputs, period)
    if path.is_file():
        old, newline, bom = read_yaml_text(path)
        yaml, data = round_trip(old), None
        data = yaml.load(old)
        before = _valid(old, path, "report")
    else:
        old, newline, bom, yaml, data = "", "\n", False, new_yaml(), CommentedMap()
        data.yaml_set_start_comment(f"The whole report: imported from {report.path.name}")
        before = ReportInput()
    merged = Merged(old, [], [])
    tables = data.get(TABLES_KEY) if data.get(TABLES_KEY) is not None else CommentedMap()
    ids, _changed = resolve(report.grids, report.charts, tables, dict(before.tables),
                            report.labels, report.language, vocab, merged.notes,
                            report.fresh_tables)
    report.table_ids = dict(ids["tabell"])
    for chapter in (*report.before, *report.after):
        chapter.text = place(chapter.text, ids)
    _title_page(data, before, report, period, remove_missing, merged.warnings)
    _resolution(data, before, report, remove_missing, merged.warnings)
    _chapters(data, before, report, remove_missing, merged)
    if tables and TABLES_KEY not in data:
        data[TABLES_KEY] = tables
    merged.text = dumped(yaml, data) if data or old else old
    merged.area = _valid(merged.text, path, "report") if merged.text.strip() else ReportInput()
    result = ImportResult(path, old, merged.text, (), newline, bom, created=not path.is_file())
    return result, merged


def _put(data: Any, key: str, value: Any) -> None:
    """Set a key of rapport.yaml, a new one in the order of the README's example."""
    if key in data:
        data[key] = value
        return
    order = list(REPORT_KEYS.values())
    later = [i for i, k in enumerate(data) if k in order and order.index(k) > order.index(key)]
    data.insert(later[0] if later else len(data), key, value)


def _keep_or_remove(data: Any, key: str, kept: str, remove: bool, warnings: list[Warned],
                    heading: str = "") -> None:
    """Remove `key` (with --remove-missing), or keep it with the warning `kept`, a text with
    the {key} (and the {heading} of the part, if any)."""
    if key not in data:
        return
    if remove:
        del data[key]
    else:
        warnings.append((kept.format(key=key, heading=heading), how()))


def _title_page(data: Any, before: ReportInput, report: ImportedReport, period: Period,
                remove: bool, warnings: list[Warned]) -> None:
    default = report.labels["report_title"].format(tertial=period.tertial, year=period.year)
    if report.title and report.title != (before.title or default):
        _put(data, REPORT_KEYS["title"], report.title)
    if report.subtitle and report.subtitle != before.subtitle:
        _put(data, REPORT_KEYS["subtitle"], report.subtitle)
    elif not report.subtitle:
        _keep_or_remove(data, REPORT_KEYS["subtitle"],
                        _("the document has no subtitle; `{key}` was kept"), remove, warnings)
    shown = before.date or period.end
    if report.date and report.date != shown.isoformat():
        _put(data, REPORT_KEYS["date"], dt.date.fromisoformat(report.date))
    elif not report.date:
        _keep_or_remove(data, REPORT_KEYS["date"],
                        _("the document has no date on its title page; `{key}` was kept"),
                        remove, warnings)


def _resolution(data: Any, before: ReportInput, report: ImportedReport, remove: bool,
                warnings: list[Warned]) -> None:
    from ruamel.yaml.comments import CommentedSeq

    key = REPORT_KEYS["resolution"]
    if report.resolution is None:
        _keep_or_remove(data, key, _("the document has no {heading!r}; `{key}` was kept"),
                        remove, warnings, report.labels["resolution"])
    elif tuple(report.resolution) != before.resolution:
        _put(data, key, CommentedSeq([scalar(p) for p in report.resolution]))


def _chapters(data: Any, before: ReportInput, report: ImportedReport, remove: bool,
              merged: Merged) -> None:
    """kapitler_før and kapitler_etter in the document's order, matched by heading."""
    olds = {c.heading: (group, i, c) for group in REPORT_CHAPTER_GROUPS
            for i, c in enumerate(getattr(before, group))}
    used: set[str] = set()
    for group, chapters in zip(REPORT_CHAPTER_GROUPS, (report.before, report.after)):
        key = REPORT_KEYS[group]
        entries = []
        for chapter in chapters:
            entry = _chapter(data, chapter, olds, merged.notes)
            if entry is not None:
                used.add(chapter.heading)
                entries.append(entry)
        present = [c.heading for c in chapters if c.heading in used]
        olds_here = [c.heading for c in getattr(before, group)]
        for i, old in enumerate(getattr(before, group)):
            if old.heading not in used and not remove:
                at = place_between(present, olds_here[:i], olds_here[i + 1:])
                entries.insert(at, _entry(data, olds[old.heading]))
                present.insert(at, old.heading)
                merged.warnings.append((_("the chapter {heading!r} is not in the document; it"
                                          " was kept").format(heading=old.heading), how()))
        _set_chapters(data, key, entries)


def _chapter(data: Any, chapter: ImportedChapter, olds: dict[str, Any],
             notes: list[str]) -> Any:
    """A chapter's YAML entry: the one rapport.yaml has (its text merged), or a new one."""
    from ruamel.yaml.comments import CommentedMap

    if not chapter.text:
        notes.append(_("the chapter {heading!r} has no text; it was not imported").format(
            heading=chapter.heading))
        return None
    if chapter.heading not in olds:
        return CommentedMap({HEADING: chapter.heading, TEXT: scalar(chapter.text)})
    entry = _entry(data, olds[chapter.heading])
    text = merged_text(olds[chapter.heading][2].text, chapter.text, CHAPTER_BASE)
    if text is not None:
        set_text(entry, TEXT, text)
    return entry


def _entry(data: Any, old: tuple[str, int, Any]) -> Any:
    group, index, _chapter = old
    return data[REPORT_KEYS[group]][index]


def _set_chapters(data: Any, key: str, entries: list[Any]) -> None:
    from ruamel.yaml.comments import CommentedSeq

    if not entries:
        if key in data:
            del data[key]
        return
    current = data.get(key)
    if current is not None and list(current) == entries:
        return
    if current is not None:
        current[:] = entries
    else:
        _put(data, key, CommentedSeq(entries))
