"""Where a period stands, area by area: each area's errors and warnings (always both, whatever
the other areas hold), rapport.yaml's, the files under inputs/ that are not read, each area's
state, and whether its documents in build/ are up to date or were edited. `check`, `status`,
`render` and `serve` all read the inputs through here.

Imports the loading API (inputs), the warnings (lint) and, for the outputs, the plan and the
manifest (output) and the default formats (render's registry).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from reportgen import project
from reportgen.errors import (
    TO_FILL_IN,
    UNREVIEWED,
    ReportgenError,
    ReportgenWarning,
    SourceLocation,
    collect,
)
from reportgen.inputs import (
    Ignored,
    ignored_inputs,
    load_area,
    load_report_settings,
    read_area,
    unregistered_area_error,
)
from reportgen.lint import lint_area, lint_report, unfinished
from reportgen.messages import _, ngettext
from reportgen.period import Period
from reportgen.project import display_path

if TYPE_CHECKING:
    from reportgen.model import Area, Kommune, ReportInput
    from reportgen.yamlsource import SourceFile

# An area's state, the most pressing first.
MISSING = "missing"  # in the register, no input file
ERRORS = "errors"  # the file cannot be rendered
EDITED = "edited"  # its DOCX was edited after it was rendered: waiting for import
UNFINISHED = "unfinished"  # placeholders left, or copied text not yet reviewed
RENDERED = "rendered"  # its documents in build/ are up to date
WARNINGS = "warnings"  # valid, with warnings
READY = "ready"  # valid, nothing to query
STATES = (MISSING, ERRORS, EDITED, UNFINISHED, RENDERED, WARNINGS, READY)


def state_words() -> dict[str, str]:
    """Each state as the command line and serve's index page show it."""
    return {
        MISSING: _("missing"), ERRORS: _("errors"), EDITED: _("edited DOCX waiting for import"),
        UNFINISHED: _("placeholders left"), RENDERED: _("rendered, up to date"),
        WARNINGS: _("warnings"), READY: _("ready"),
    }


@dataclass
class InputCheck:
    """One input file (an area's, or rapport.yaml) and what is wrong with it."""

    path: Path
    errors: list[ReportgenError] = field(default_factory=list)
    warnings: list[ReportgenWarning] = field(default_factory=list)
    source: SourceFile | None = None

    @property
    def exists(self) -> bool:
        """Whether the file is there."""
        return project.exists(self.path)

    @property
    def unfinished(self) -> list[ReportgenWarning]:
        """The warnings `render` refuses: placeholders and unreviewed copied text."""
        return [w for w in self.warnings if w.unfinished]

    @property
    def to_fill_in(self) -> int:
        """How many placeholders «FYLL UT» are left."""
        return sum(w.unfinished == TO_FILL_IN for w in self.warnings)

    @property
    def unreviewed(self) -> int:
        """How many copied texts are not yet reviewed."""
        return sum(w.unfinished == UNREVIEWED for w in self.warnings)

    @property
    def changed(self) -> dt.datetime | None:
        """When the file last changed (local time); None when it is not there."""
        try:
            return dt.datetime.fromtimestamp(self.path.stat().st_mtime).astimezone()
        except OSError:
            return None

    @property
    def state(self) -> str:
        """MISSING, ERRORS, UNFINISHED, WARNINGS or READY (the outputs not counted)."""
        if not self.exists:
            return MISSING
        if self.errors:
            return ERRORS
        if self.unfinished:
            return UNFINISHED
        return WARNINGS if self.warnings else READY


@dataclass
class AreaCheck(InputCheck):
    """An area's input file, validated and linted."""

    code: str = ""
    name: str | None = None  # from the register; None: not in it
    area: Area | None = None


@dataclass
class ReportCheck(InputCheck):
    """rapport.yaml (optional), validated and linted."""

    settings: ReportInput | None = None


@dataclass
class PeriodCheck:
    """A period's inputs: each area asked for (in the register's order), rapport.yaml when
    the whole period was asked for, and what under inputs/ is not read."""

    period: Period
    areas: list[AreaCheck]
    report: ReportCheck | None
    ignored: list[Ignored]


def check_period(inputs: Path, period: Period, kommune: Kommune,
                 codes: list[str] | None = None, with_report: bool | None = None) -> PeriodCheck:
    """Every area of the register and every area file (or only `codes`), each validated and
    linted on its own; rapport.yaml too when the whole period is checked (or `with_report`).
    A file that is not read but seems meant for an area (`08.yml`) is a warning of that area."""
    with_file = project.area_codes_with_input(inputs, period)
    chosen = codes if codes is not None else list(dict.fromkeys([*kommune.areas, *with_file]))
    areas = [check_area(inputs, period, code, kommune, named=codes is not None)
             for code in chosen]
    whole = codes is None if with_report is None else with_report
    rest = []
    for ignored in ignored_inputs(inputs, period, kommune):
        meant = next((a for a in areas if a.code == ignored.code), None)
        if meant is not None:
            meant.warnings.append(ignored.warning)
        elif whole:
            rest.append(ignored)
    return PeriodCheck(period, areas, check_report(inputs, period) if whole else None, rest)


def check_area(inputs: Path, period: Period, code: str, kommune: Kommune,
               named: bool = False) -> AreaCheck:
    """One area's file: its errors, and its warnings (the unfinished ones even when it has
    errors). A missing file is a warning, or an error when the area was `named`."""
    path = project.period_folder(inputs, period) / project.area_file_name(code)
    check = AreaCheck(path, code=code, name=kommune.areas.get(code))
    if not project.exists(path):
        if named:
            collect(check.errors, lambda: read_area(inputs, period, code))
        else:
            check.warnings.append(ReportgenWarning(
                _("area {code} {name} has no input for {period}").format(
                    code=code, name=check.name, period=period),
                SourceLocation(display_path(path)),
                _("write it, perhaps starting from the last period: reportgen new {code} {period}"
                  ).format(code=code, period=period)))
        return check
    if check.name is None:
        check.errors.append(unregistered_area_error(inputs, period, code))
        return check
    sources: dict[str, SourceFile] = {}
    check.area = collect(check.errors, lambda: load_area(inputs, period, code, kommune, sources))
    check.source = sources.get(code)
    if check.area is not None and check.source is not None:
        check.warnings = lint_area(check.area, check.source, inputs)
    elif check.source is not None and check.source.data is not None:
        check.warnings = unfinished(check.source, inputs, period)
    return check


def check_report(inputs: Path, period: Period) -> ReportCheck:
    """rapport.yaml: its errors and warnings; the defaults when there is none."""
    check = ReportCheck(project.period_folder(inputs, period) / project.REPORT_FILE)
    sources: dict[str, SourceFile] = {}
    check.settings = collect(check.errors, lambda: load_report_settings(inputs, period, sources))
    check.source = sources.get(project.REPORT_FILE)
    if check.settings is not None and check.source is not None:
        check.warnings = lint_report(check.settings, check.source, inputs, period)
    elif check.source is not None and check.source.data is not None:
        check.warnings = unfinished(check.source, inputs, period)
    return check


# --- in words ---------------------------------------------------------------------------------

def counts(check: InputCheck) -> str:
    """"16 errors, 3 warnings", "1 warning (1 unfinished)", "ready", "no input file"."""
    if not check.exists and not check.errors:
        return _("no input file")
    parts = []
    if check.errors:
        parts.append(errors_words(len(check.errors)))
    if check.warnings:
        parts.append(warnings_words(len(check.warnings)))
        if check.unfinished:
            parts[-1] = _("{warnings} ({count} unfinished)").format(
                warnings=parts[-1], count=len(check.unfinished))
    return ", ".join(parts) or _("ready")


def errors_words(count: int) -> str:
    """"1 error", "16 errors"."""
    return ngettext("{count} error", "{count} errors", count).format(count=count)


def warnings_words(count: int) -> str:
    """"1 warning", "3 warnings"."""
    return ngettext("{count} warning", "{count} warnings", count).format(count=count)


def area_heading(check: AreaCheck) -> str:
    """The line above an area's problems: `== 08 Kompetanse, … næring: 3 warnings`."""
    name = check.name if check.name is not None else _("(not in the register)")
    return f"== {check.code} {name}: {counts(check)}"


def summary(check: PeriodCheck) -> str:
    """`2017-T2: 3 areas ready, 2 with warnings, 9 with errors (136 errors, 12 warnings);
    rapport.yaml ok`."""
    states = [a.state for a in check.areas]
    ready = states.count(READY)
    parts = [ngettext("{count} area ready", "{count} areas ready", ready).format(count=ready),
             _("{count} with warnings").format(count=states.count(WARNINGS))]
    if UNFINISHED in states:
        count = states.count(UNFINISHED)
        parts.append(ngettext("{count} unfinished", "{count} unfinished", count).format(
            count=count))
    parts.append(_("{count} with errors").format(count=states.count(ERRORS)))
    if MISSING in states:
        parts.append(_("{count} missing").format(count=states.count(MISSING)))
    inputs: list[InputCheck] = [*check.areas, *([check.report] if check.report else [])]
    errors = sum(len(c.errors) for c in inputs)
    warnings = sum(len(c.warnings) for c in inputs) + len(check.ignored)
    line = (f"{check.period}: {', '.join(parts)} ({errors_words(errors)},"
            f" {warnings_words(warnings)})")
    return f"{line}; {report_words(check.report)}" if check.report else line


def report_words(report: ReportCheck) -> str:
    """"rapport.yaml ok", "rapport.yaml: 2 errors", "no rapport.yaml (…defaults)"."""
    if not report.exists:
        return _("no {file} (the whole report uses its defaults)").format(
            file=project.REPORT_FILE)
    if not report.errors and not report.warnings:
        return _("{file} ok").format(file=project.REPORT_FILE)
    return f"{project.REPORT_FILE}: {counts(report)}"


# --- the documents in build/ ------------------------------------------------------------------

@dataclass(frozen=True)
class Outputs:
    """What the output folder holds of one document (an area's, or the whole report's)."""

    up_to_date: bool = False  # every format, rendered from the inputs as they are now
    draft: bool = False  # the same, as a draft
    edited: tuple[str, ...] = ()  # its files that were changed after reportgen wrote them
    rendered: bool = False  # any of its files was ever rendered there

    @property
    def words(self) -> str:
        """"up to date", "draft", "out of date", "edited 08.docx", "none"."""
        if self.edited:
            return _("edited {files}").format(files=", ".join(self.edited))
        if self.up_to_date:
            return _("up to date")
        if self.draft:
            return _("draft")
        return _("out of date") if self.rendered else _("none")


def outputs(inputs: Path, period: Period, templates: Path, out: Path,
            epoch: int | None = None) -> dict[str, Outputs]:
    """Per document ("08", "tertialrapport"): whether build/<period>/ holds it up to date
    (every default format, the default PDF variant), as a draft, or edited."""
    from reportgen.output.manifest import Manifest
    from reportgen.output.plan import plan_outputs, source_trees
    from reportgen.render import DEFAULT_FORMATS, DEFAULT_PDF_VARIANT, DRAFT_PDF_VARIANT

    try:
        folder = project.output_folder(out, period)
    except ReportgenError:
        return {}
    manifest = Manifest.load(folder)
    trees = source_trees(templates)  # read once for both plans
    final = plan_outputs((project.ALL,), period, inputs, templates, DEFAULT_FORMATS,
                         DEFAULT_PDF_VARIANT, epoch, trees=trees)
    draft = plan_outputs((project.ALL,), period, inputs, templates, DEFAULT_FORMATS,
                         DRAFT_PDF_VARIANT, epoch, draft=True, trees=trees)
    found = {}
    for document in dict.fromkeys(p.document for p in final):
        mine = [p for p in final if p.document == document]
        drafts = [p for p in draft if p.document == document]
        found[document] = Outputs(
            all(manifest.up_to_date(p.name, p.key) for p in mine),
            all(manifest.up_to_date(p.name, p.key) for p in drafts),
            tuple(p.name for p in mine if manifest.edited(p.name)),
            any(p.name in manifest.entries for p in mine))
    return found


def state(check: InputCheck, documents: Outputs | None) -> str:
    """The state of an input with its documents: an edited DOCX waits for import (unless
    the input is missing or has errors); documents up to date make a valid input RENDERED."""
    base = check.state
    if base in (MISSING, ERRORS) or documents is None:
        return base
    if any(name.endswith(".docx") for name in documents.edited):
        return EDITED
    if base != UNFINISHED and documents.up_to_date:
        return RENDERED
    return base
