"""`reportgen check`: validate every input of a period (errors, all listed at once), then
lint what is valid (warnings). Writes nothing. Imports build (loading), lint and sources.
"""

from __future__ import annotations

from pathlib import Path

from reportgen import sources
from reportgen.build import Options, load_kommune, load_labels, load_report
from reportgen.errors import (
    InputError, ReportgenError, ReportgenErrors, ReportgenWarning, SourceLocation,
)
from reportgen.period import Period


def periods_with_input(inputs: Path) -> list[Period]:
    """Every period folder under inputs/, oldest first; an error when there is none."""
    found = []
    for child in sorted(inputs.iterdir()) if inputs.is_dir() else []:
        try:
            found.append(Period.parse(child.name))
        except ValueError:
            continue
    if not found:
        raise InputError("no period folders (such as 2017-T1) found",
                         location=SourceLocation(sources.display_path(inputs)),
                         hint="name the period, or pass --inputs with the folder that has them")
    return found


def check_inputs(period: Period, options: Options) -> tuple[list[str], list[ReportgenWarning]]:
    """`reportgen check`: validate every input of the period (errors raise, all listed at once)
    and return the areas checked and the warnings: missing areas, placeholders, long sentences."""
    from reportgen.lint import lint_area, lint_register

    kommune = load_kommune(options.inputs)
    load_labels(options.templates, kommune.language)  # the templates' wording must load too
    if not (options.inputs / str(period)).is_dir():
        raise InputError(f"no inputs for {period}",
                         location=SourceLocation(sources.display_path(options.inputs / str(period))),
                         hint=f"start it with `reportgen new all {period}`, or check the period")
    codes = sources.area_codes_with_input(options.inputs, str(period))
    strangers = [c for c in codes if c not in kommune.areas]
    problems: list[ReportgenError] = [
        InputError(
            f"area {c} has an input file but is not in the register",
            location=SourceLocation(sources.display_path(options.inputs / str(period) / f"{c}.yaml")),
            hint="add it under `programområder:` in kommune.yaml, or remove the file",
        ) for c in strangers
    ]
    known = [c for c in codes if c in kommune.areas]
    parsed: dict[str, sources.SourceFile] = {}
    try:
        report = load_report(options.inputs, period, known, kommune, keep_sources=parsed)
    except ReportgenErrors as exc:
        problems += exc.errors
    if problems:
        raise ReportgenErrors(problems)
    warnings = lint_register(kommune, known, sources.display_path(options.inputs), period)
    for area in report.areas:
        warnings += lint_area(area, parsed[area.code])
    return known, warnings
