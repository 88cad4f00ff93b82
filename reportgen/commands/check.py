"""`reportgen check`: validate every input of a period (errors, all listed at once), then
lint what is valid (warnings, commands.lint). Writes nothing.
"""

from __future__ import annotations

from pathlib import Path

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
from reportgen.yamlsource import SourceFile

__all__ = ["check_inputs", "periods_with_input"]


def check_inputs(period: Period, inputs: Path,
                 templates: Path) -> tuple[list[str], list[ReportgenWarning]]:
    """Validate every input of the period (errors raise, all listed at once) and return the
    areas checked and the warnings: missing areas, placeholders, long sentences."""
    kommune = load_kommune(inputs)
    load_labels(templates, kommune.language)  # the templates' wording must load too
    require_period(inputs, period)
    codes = project.area_codes_with_input(inputs, period)
    problems: list[ReportgenError] = [
        unregistered_area_error(inputs, period, c) for c in codes if c not in kommune.areas]
    known = [c for c in codes if c in kommune.areas]
    parsed: dict[str, SourceFile] = {}
    report = collect(problems, lambda: load_report(inputs, period, known, kommune, parsed))
    raise_all(problems)
    assert report is not None
    warnings = lint_register(kommune, known, project.display_path(inputs), period)
    for area in report.areas:
        warnings += lint_area(area, parsed[area.code])
    if project.REPORT_FILE in parsed:
        warnings += lint_tables(report.report.tables, report_text_fields(report.report),
                                parsed[project.REPORT_FILE])
    return known, warnings
