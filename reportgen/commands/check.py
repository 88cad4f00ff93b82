"""`reportgen check`: validate every input of a period and the templates (errors, all listed
at once), then lint what is valid (warnings, commands.lint). Writes nothing.

What a render needs is checked here the way the render uses it: the same loading API, the
labels validated by the same table, every format's templates tried on a made-up report with
every kind of block (present.sample_views); so when check finds no error, render has none.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from reportgen import project
from reportgen.commands.lint import lint_area, lint_register, lint_tables
from reportgen.errors import ReportgenError, ReportgenWarning, collect, raise_all
from reportgen.inputs import (
    load_kommune,
    load_labels,
    load_report,
    periods_with_input,
    require_period,
    unregistered_area_error,
)
from reportgen.outline import report_text_fields
from reportgen.period import Period
from reportgen.render import FORMATS, check_templates, view_warnings
from reportgen.yamlsource import SourceFile

if TYPE_CHECKING:
    from reportgen.model import Report

__all__ = ["check_inputs", "periods_with_input"]


def check_inputs(period: Period, inputs: Path,
                 templates: Path) -> tuple[list[str], list[ReportgenWarning]]:
    """Validate every input of the period and the templates (errors raise, all listed at
    once) and return the areas checked and the warnings: missing areas, placeholders, long
    sentences, titles too long for a document's properties."""
    kommune = load_kommune(inputs)
    require_period(inputs, period)
    codes = project.area_codes_with_input(inputs, period)
    problems: list[ReportgenError] = [
        unregistered_area_error(inputs, period, c) for c in codes if c not in kommune.areas]
    labels = collect(problems, lambda: load_labels(templates, kommune.language))
    if labels is not None:
        from reportgen.present import sample_views

        problems += check_templates(templates, lambda: sample_views(kommune, period, labels))
    known = [c for c in codes if c in kommune.areas]
    parsed: dict[str, SourceFile] = {}
    report = collect(problems, lambda: load_report(inputs, period, known, kommune, parsed))
    raise_all(problems)
    assert report is not None and labels is not None
    warnings = lint_register(kommune, known, project.display_path(inputs), period)
    for area in report.areas:
        warnings += lint_area(area, parsed[area.code])
    if project.REPORT_FILE in parsed:
        warnings += lint_tables(report.report.tables, report_text_fields(report.report),
                                parsed[project.REPORT_FILE])
    return known, warnings + _document_warnings(report, labels)


def _document_warnings(report: Report, labels: dict[str, str]) -> list[ReportgenWarning]:
    """What rendering every document of the period (`render all`) will warn about, known from
    the documents' heads (their titles and properties)."""
    from reportgen.present import area_head, report_head

    views = [(project.REPORT_NAME, report_head(report, labels))] if report.areas else []
    views += [(a.code, area_head(a, report.kommune, labels)) for a in report.areas]
    return [ReportgenWarning(f"{project.output_name(name, fmt.name)}: {warning}", None,
                             "nothing to do, unless the file's properties (in Word: File, Info)"
                             " should show it whole: then shorten it")
            for name, view in views for fmt in FORMATS if fmt.source == "view"
            for warning in view_warnings(fmt.name, view)]
