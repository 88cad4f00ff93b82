"""`reportgen check`: validate a period's inputs area by area and lint what is valid, through
the assessment stage (assess.py). Writes nothing.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from reportgen import project
from reportgen.assess import PeriodCheck, area_heading, check_period, report_words, summary
from reportgen.errors import ReportgenError, format_problem
from reportgen.inputs import (
    load_kommune,
    load_labels,
    periods_with_input,
    require_period,
    select_areas,
)
from reportgen.period import Period

__all__ = ["check_inputs", "periods_with_input"]


def check_inputs(period: Period, inputs: Path, templates: Path,
                 areas: tuple[str, ...] = ()) -> PeriodCheck:
    """Every area of the period (or the `areas` named), each with its errors and warnings,
    rapport.yaml (when the whole period is checked) and the files that are not read.
    kommune.yaml and the templates' labels must load first: their problems raise."""
    kommune = load_kommune(inputs)
    load_labels(templates, kommune.language)  # the templates' wording must load too
    require_period(inputs, period)
    if not areas or project.ALL in areas:
        return check_period(inputs, period, kommune)
    return check_period(inputs, period, kommune, select_areas(kommune, areas, inputs, period))


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
    if found.report is not None and (found.report.exists or found.report.errors):
        sections.append((f"== {report_words(found.report)}",
                         [*found.report.errors, *found.report.warnings]))
    if found.ignored:
        sections.append(("== not read: files and folders under the inputs folder",
                         [i.warning for i in found.ignored]))
    lines: list[str] = []
    for heading, problems in sections:
        lines.append(heading)
        for problem in sorted(problems, key=lambda p: p.sort_key()):
            lines += format_problem(problem)
    errors = sum(isinstance(p, ReportgenError) for _, problems in sections for p in problems)
    warnings = sum(len(problems) for _, problems in sections) - errors
    strict_error = ReportgenError(f"{warnings} warning(s), and --strict treats them as errors") \
        if strict and warnings and not errors else None
    return Printed(lines, summary(found), bool(errors or (strict and warnings)), strict_error)
