"""`reportgen import FILE.docx`: one document — an area, or a whole report — into the inputs.

Reads the document (document.py); adds the areas kommune.yaml's register lacks (settings.py);
merges into each area's file or writes a new one (merge.py); for a whole report, writes the
title page and chapters into rapport.yaml; verifies by rendering (verify.py); and, when the
document is an output reportgen wrote and someone edited, notes in build/<period>/.reportgen
.json that its edits were imported, so that the next render replaces it without --force
(keeping it as a backup). Nothing is written here: `write_import` writes every file at once.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from reportgen import project
from reportgen.commands.importer.common import ImportedArea, ImportedReport, Unplaced
from reportgen.commands.importer.document import Reading, read_document
from reportgen.commands.importer.merge import (
    ImportResult,
    Merged,
    create_yaml,
    encoded,
    merge_yaml,
    read_yaml_text,
)
from reportgen.commands.importer.settings import register, report_file
from reportgen.commands.importer.verify import verify_area, verify_report
from reportgen.errors import ReportgenError, ReportgenWarning, SourceLocation, collect, raise_all
from reportgen.messages import _, ngettext
from reportgen.model import Area, Kommune, Report, ReportInput
from reportgen.outline import FIGURES, OTHER_MATTERS, TABLES_KEY, text_parts
from reportgen.project import display_path


@dataclass
class DocumentImport:
    """What an import of a document would write, and what to tell the user."""

    path: Path
    how: str  # how the document's area and period were decided ("" for reportgen's own)
    results: list[ImportResult] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    unplaced: list[str] = field(default_factory=list)  # what could not be placed, where
    warnings: list[ReportgenWarning] = field(default_factory=list)
    summary: list[str] = field(default_factory=list)
    manifest: tuple[Path, bytes] | None = None  # the manifest noting the imported output
    output: Path | None = None  # that output
    own_area: bool = False  # one area's document rendered by reportgen: the plain output

    @property
    def changed(self) -> list[ImportResult]:
        """The files whose text changes."""
        return [r for r in self.results if r.changed]

    @property
    def files(self) -> str:
        """The files it writes, for a question: "inputs/2017-T1/08.yaml", "the 3 changed
        file(s)"."""
        changed = self.changed
        if len(changed) == 1:
            return display_path(changed[0].yaml_path)
        return ngettext("the {count} changed file(s)", "the {count} changed file(s)",
                        len(changed)).format(count=len(changed))


def import_document(path: Path, inputs: Path, templates: Path, area: str | None = None,
                    period: Any = None, remove_missing: bool = False,
                    out: Path = project.DEFAULT_OUT) -> DocumentImport:
    """Read the document and work out every file it changes; writes nothing."""
    from reportgen.inputs import load_kommune

    kommune = load_kommune(inputs) if project.kommune_path(inputs).is_file() else None
    reading = read_document(path, templates, area, period, kommune.language if kommune else None)
    whole = reading.report if reading.area is None else None
    outcome = DocumentImport(path, reading.how, own_area=reading.own and whole is None)
    language = reading.areas[0].language if reading.areas else (
        whole.language if whole else "nb")
    listed, kommune, notes, added = register(inputs, reading.areas, kommune, reading.document,
                                             language, whole.kommune if whole else None)
    if whole is not None:
        for note in whole.notes:
            (outcome.unplaced if isinstance(note, Unplaced) else outcome.notes).append(note)
    problems: list[ReportgenError] = []
    merged: list[tuple[ImportedArea, Merged]] = []
    for imported in reading.areas:
        done = collect(problems, lambda a=imported: _area_file(a, inputs, kommune, reading,
                                                               remove_missing, outcome))
        if done is not None:
            merged.append((imported, done))
    raise_all(problems)
    outcome.notes += notes
    settings = _report(inputs, reading, whole, remove_missing, outcome)
    if listed is not None:
        outcome.results.append(listed)
    _verify(reading, merged, kommune, settings, templates, outcome)
    _manifest(path, out, reading, outcome)
    _summary(merged, listed, added, settings, outcome)
    return outcome


def _area_file(imported: ImportedArea, inputs: Path, kommune: Kommune, reading: Reading,
               remove_missing: bool, outcome: DocumentImport) -> Merged:
    """The area's file merged (or made), as a result; its notes and warnings gathered."""
    yaml_path = project.area_path(inputs, reading.period, imported.code)
    if project.exists(yaml_path):  # a named pipe or a folder there: read_yaml_text says so
        old, newline, bom = read_yaml_text(yaml_path)
        done = merge_yaml(yaml_path, old, imported, kommune, remove_missing, reading.vocab)
    else:
        old, newline, bom = "", "\n", False
        done = create_yaml(yaml_path, imported, kommune, reading.vocab, imported.path.name)
    prefix = _("area {code}").format(code=imported.code) + ": " \
        if reading.report is not None else ""
    for note in [*imported.notes, *done.notes]:
        (outcome.unplaced if isinstance(note, Unplaced) and not outcome.own_area
         else outcome.notes).append(note if note in imported.notes else prefix + note)
    where = SourceLocation(display_path(yaml_path))
    outcome.warnings += [ReportgenWarning(w, where, hint) for w, hint in done.warnings]
    outcome.results.append(ImportResult(yaml_path, old, done.text, tuple(
        [*imported.notes, *done.notes]), newline, bom, created=not yaml_path.is_file()))
    return done


def _report(inputs: Path, reading: Reading, whole: ImportedReport | None,
            remove_missing: bool, outcome: DocumentImport) -> ReportInput | None:
    """rapport.yaml, for a whole report."""
    if whole is None:
        return None
    result, done = report_file(inputs, reading.period, whole, reading.vocab, remove_missing)
    where = SourceLocation(display_path(result.yaml_path))
    outcome.notes += done.notes
    outcome.warnings += [ReportgenWarning(w, where, hint) for w, hint in done.warnings]
    if result.changed or result.created:
        outcome.results.append(result)
    return done.area  # type: ignore[no-any-return]


def _verify(reading: Reading, merged: list[tuple[ImportedArea, Merged]], kommune: Kommune,
            settings: ReportInput | None, templates: Path, outcome: DocumentImport) -> None:
    """Render what changes and compare it with the document (an error if it differs)."""
    if not outcome.changed:
        return
    if reading.report is not None and reading.area is None:
        areas = tuple(sorted((m.area for _, m in merged), key=lambda a: a.code))
        report = Report(kommune, reading.period, areas, settings or ReportInput())
        expected = reading.report
        expected.areas = sorted(expected.areas, key=lambda a: a.code)
        verify_report(report, templates, expected, reading.vocab)
        return
    for imported, done in merged:
        verify_area(done.area, kommune, templates, imported, reading.vocab)


def _manifest(path: Path, out: Path, reading: Reading, outcome: DocumentImport) -> None:
    """When the document is an edited output of build/<period>/, note that it was imported."""
    from reportgen.output.manifest import NAME, Manifest

    folder = project.output_folder(out, reading.period)
    name = project.output_name(reading.area.code if reading.area else project.REPORT_NAME,
                               "docx")
    if not (folder / name).is_file():
        return
    manifest = Manifest.load(folder)
    if manifest.mark_imported(name, path.read_bytes()):
        outcome.manifest = (folder / NAME, manifest.to_bytes())
        outcome.output = folder / name


def _summary(merged: list[tuple[ImportedArea, Merged]], listed: ImportResult | None,
             added: dict[str, str], settings: ReportInput | None,
             outcome: DocumentImport) -> None:
    """A line per file for a document reportgen did not write or a whole report."""
    if outcome.own_area:
        return
    for imported, done in merged:
        result = next(r for r in outcome.results if r.yaml_path.name == f"{imported.code}.yaml")
        outcome.summary.append(_("area {code} {name}: {file} ({state}): {parts}").format(
            code=imported.code, name=done.area.name, file=display_path(result.yaml_path),
            state=_state(result), parts=_parts(done.area)))
    if listed is not None:
        names = ", ".join(f"{code} {name}" for code, name in sorted(added.items()))
        outcome.summary.append(_("{file} ({state}): added to the register: {areas}").format(
            file=display_path(listed.yaml_path), state=_state(listed), areas=names))
    if settings is not None:
        shown = next((r for r in outcome.results if r.yaml_path.name == project.REPORT_FILE),
                     None)
        outcome.summary.append(f"{project.REPORT_FILE} ({_state(shown)}):"
                               f" {_report_parts(settings)}")
    outcome.summary.append(_("not placed: {count}, each with its place:").format(
        count=len(outcome.unplaced)) if outcome.unplaced else _("not placed: nothing"))
    outcome.summary += [f"  {u}" for u in outcome.unplaced]
    if outcome.warnings:
        outcome.summary.append(_("kept from the YAML (the document lacks them): {count}, see"
                                 " the warnings").format(count=len(outcome.warnings)))


def _state(result: ImportResult | None) -> str:
    """Whether the import makes a file, changes it or leaves it as it is (None: no result)."""
    if result is not None and result.created:
        return _("new")  # TRANSLATORS: a file the import writes for the first time
    if result is not None and result.changed:
        return _("changed")  # TRANSLATORS: a file the import changes
    return _("unchanged")  # TRANSLATORS: a file the import leaves as it is


def _report_parts(settings: ReportInput) -> str:
    """What rapport.yaml holds, in words: "2 chapter(s) before the areas, 1 after, …"."""
    parts = [_("{before} chapter(s) before the areas, {after} after").format(
        before=len(settings.chapters_before), after=len(settings.chapters_after))]
    if settings.resolution:
        count = len(settings.resolution)  # "point(s)" in English either way
        parts.append(ngettext("the proposed resolution ({count} point(s))",
                              "the proposed resolution ({count} point(s))", count).format(
            count=count))
    return ", ".join(parts)


def _parts(area: Area) -> str:
    """What an area file holds, in words: "ingress, fakta, tall (3 rows), …"."""
    content = area.content
    parts = [p.name for p in text_parts() if p.value(content)]
    figures = content.economic_status.figures
    if figures:  # "row(s)", "item(s)" in English either way; other languages have two forms
        rows = len(figures.rows)
        parts.insert(parts.index("fakta") + 1 if "fakta" in parts else 0, ngettext(
            "{key} ({count} row(s))", "{key} ({count} row(s))", rows).format(
            key=FIGURES.name, count=rows))
    if content.other_matters:
        items = len(content.other_matters)
        parts.append(ngettext("{key} ({count} item(s))", "{key} ({count} item(s))",
                              items).format(key=OTHER_MATTERS.name, count=items))
    if content.tables:
        parts.append(f"{TABLES_KEY} ({len(content.tables)})")
    return ", ".join(parts)


def write_import(outcome: DocumentImport) -> list[Path]:
    """Every changed file of the import (and the manifest's note) at once: all or none."""
    from reportgen.output.write import write_files

    files = {r.yaml_path: encoded(r) for r in outcome.changed}
    if outcome.manifest is not None:
        files[outcome.manifest[0]] = outcome.manifest[1]
    written = write_files(files) if files else []
    return [p for p in written if outcome.manifest is None or p != outcome.manifest[0]]
