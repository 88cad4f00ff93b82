"""What `reportgen render` may render, through the assessment stage (assess.py): every
error is raised; a final document may hold no placeholder (FYLL UT) and no text that
`reportgen new` copied and nobody reviewed; a draft of `all` leaves out the areas with
errors, and names them. Part of the render command.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING

from reportgen import project
from reportgen.assess import check_period, counts
from reportgen.carry import DRAFT_WORD
from reportgen.errors import InputError, ReportgenError, ReportgenWarning, raise_all
from reportgen.inputs import select_areas
from reportgen.messages import _
from reportgen.period import Period

if TYPE_CHECKING:
    from reportgen.model import Kommune, Report


def renderable(kommune: Kommune, requested: tuple[str, ...], period: Period, inputs: Path,
               draft: bool, note: Callable[[str], None]) -> tuple[Report, dict[str, str]]:
    """The report to render and, for a draft of `all`, the areas it leaves out (code: name):
    those with errors and those of the register with no input, each `note`d. Every error is
    raised, and (unless a `draft`) every placeholder and unreviewed text, each with its place."""
    from reportgen.model import Report, ReportInput

    whole_draft = draft and project.ALL in requested
    codes = select_areas(kommune, requested, inputs, period)
    found = check_period(inputs, period, kommune, codes, with_report=True)
    problems: list[ReportgenError] = []
    missing = {c: n for c, n in kommune.areas.items() if c not in codes} if whole_draft else {}
    for code, name in missing.items():
        note(_("left out of the draft: {code} {name}: no input file").format(code=code, name=name))
    for area in found.areas:
        if area.errors and whole_draft:
            missing[area.code] = area.name or area.code
            note(_("left out of the draft: {code} {name}: {counts} (see `reportgen check"
                   " {period} {code}`)").format(code=area.code, name=area.name,
                                                counts=counts(area), period=period))
        problems += area.errors if not whole_draft else []
        problems += [] if draft else [refused(w) for w in area.unfinished]
    assert found.report is not None  # asked for `with_report`
    settings, report = found.report.settings, found.report
    if report.errors and whole_draft:
        note(_("left out of the draft: {file}: {counts}; the whole report uses its"
               " defaults").format(file=report.path.name, counts=counts(report)))
        settings = ReportInput()
    problems += [] if whole_draft else report.errors
    if project.ALL in requested and not draft:
        problems += [refused(w) for w in report.unfinished]
    raise_all(problems)
    areas = tuple(a.area for a in found.areas if a.area is not None and a.code not in missing)
    if not areas:
        raise InputError(_("no area of {period} is ready for a draft: each has errors").format(
            period=period), hint=_("run `reportgen check {period}` and fix one area first").format(
            period=period))
    return Report(kommune, period, areas, settings or ReportInput()), missing


def refused(warning: ReportgenWarning) -> InputError:
    """Unfinished work, which a final document may not hold: an error at its place."""
    return InputError(warning.message, location=warning.location,
                      hint=_("{hint}; or add --draft to render a draft (marked {draft})").format(
                          hint=warning.hint, draft=DRAFT_WORD))
