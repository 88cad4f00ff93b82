"""`reportgen check`: validate a period's inputs area by area and lint what is valid, through
the assessment stage (assess.py), after the templates. Writes nothing.

What a render needs is checked here the way the render uses it: the same loading API, the
labels validated by the same table, every format's templates tried on a made-up report with
every kind of block (present.sample_views); so when check finds no error, render has none.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from reportgen import project
from reportgen.assess import PeriodCheck, area_heading, check_period, report_words, summary
from reportgen.errors import ReportgenError, ReportgenWarning, collect, format_problem, raise_all
from reportgen.inputs import (
    load_kommune,
    load_labels,
    periods_with_input,
    require_period,
    select_areas,
)
from reportgen.messages import _, ngettext
from reportgen.period import Period
from reportgen.render import FORMATS, check_templates, view_warnings

if TYPE_CHECKING:
    from reportgen.model import Kommune
    from reportgen.view import DocumentView

__all__ = ["check_inputs", "periods_with_input"]


def check_inputs(period: Period, inputs: Path, templates: Path,
                 areas: tuple[str, ...] = ()) -> PeriodCheck:
    """Every area of the period (or the `areas` named), each with its errors and warnings,
    rapport.yaml (when the whole period is checked) and the files that are not read.
    kommune.yaml, the templates' labels and the templates must be right first: their
    problems raise (all at once)."""
    kommune = load_kommune(inputs)
    require_period(inputs, period)
    problems: list[ReportgenError] = []
    labels = collect(problems, lambda: load_labels(templates, kommune.language))
    if labels is not None:
        from reportgen.present import sample_views

        problems += check_templates(templates, lambda: sample_views(kommune, period, labels))
    raise_all(problems)
    assert labels is not None
    if not areas or project.ALL in areas:
        found = check_period(inputs, period, kommune)
    else:
        found = check_period(inputs, period, kommune,
                             select_areas(kommune, areas, inputs, period))
    _add_document_warnings(found, kommune, labels)
    return found


def _add_document_warnings(found: PeriodCheck, kommune: Kommune,
                           labels: dict[str, str]) -> None:
    """What rendering each document (`render all`) will warn about, known from the documents'
    heads (their titles and properties): each area's under the area, the whole report's
    under rapport.yaml."""
    from reportgen.model import Report, ReportInput
    from reportgen.present import area_head, report_head

    valid = tuple(a.area for a in found.areas if a.area is not None)
    for check in found.areas:
        if check.area is not None:
            check.warnings += _warnings(check.code, area_head(check.area, kommune, labels))
    if found.report is not None and found.report.settings is not None and valid:
        report = Report(kommune, found.period, valid, found.report.settings or ReportInput())
        found.report.warnings += _warnings(project.REPORT_NAME, report_head(report, labels))


def _warnings(name: str, view: DocumentView) -> list[ReportgenWarning]:
    return [ReportgenWarning(f"{project.output_name(name, fmt.name)}: {warning}", None,
                             _("nothing to do, unless the file's properties (in Word: File,"
                               " Info) should show it whole: then shorten it"))
            for fmt in FORMATS if fmt.source == "view"
            for warning in view_warnings(fmt.name, view)]


@dataclass(frozen=True)
class Printed:
    """What check prints: the problems under a heading line per area (stderr), the summary
    (stdout), and whether it failed."""

    problems: list[str]
    summary: str
    failed: bool  # an error, or a warning with --strict
    strict_error: ReportgenError | None = None  # the error --strict makes of the warnings


def report_lines(found: PeriodCheck, strict: bool) -> Printed:
    """Each area's heading and problems in the order of its file, then rapport.yaml's and
    the files that are not read; the summary line."""
    sections = [(area_heading(a), [*a.errors, *a.warnings]) for a in found.areas]
    if found.report is not None and (found.report.exists or found.report.errors
                                     or found.report.warnings):
        sections.append((f"== {report_words(found.report)}",
                         [*found.report.errors, *found.report.warnings]))
    if found.ignored:
        sections.append((_("== not read: files and folders under the inputs folder"),
                         [i.warning for i in found.ignored]))
    lines: list[str] = []
    for heading, problems in sections:
        lines.append(heading)
        for problem in sorted(problems, key=lambda p: p.sort_key()):
            lines += format_problem(problem)
    errors = sum(isinstance(p, ReportgenError) for _heading, problems in sections
                 for p in problems)
    warnings = sum(len(problems) for _heading, problems in sections) - errors
    strict_error = ReportgenError(ngettext(
        "{count} warning(s), and --strict treats them as errors",
        "{count} warning(s), and --strict treats them as errors", warnings).format(
        count=warnings)) if strict and warnings and not errors else None
    return Printed(lines, summary(found), bool(errors or (strict and warnings)), strict_error)
