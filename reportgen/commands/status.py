"""`reportgen status`: one line per area of the register, in the order of kommune.yaml, with
its state (missing, errors, edited DOCX waiting for import, placeholders left, rendered and
up to date, warnings, ready), its counts, its documents in build/ and when its input last
changed; then rapport.yaml and the whole report. As a table, or as JSON for scripts.

Reads through the assessment stage (assess.py); writes nothing.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path

from reportgen import project
from reportgen.assess import (
    InputCheck,
    Outputs,
    check_period,
    outputs,
    state,
    state_words,
    summary,
)
from reportgen.inputs import load_kommune, load_labels, require_period
from reportgen.messages import _
from reportgen.model import PLACEHOLDER
from reportgen.period import Period
from reportgen.project import display_path


@dataclass(frozen=True)
class Row:
    """One line of the status: an area, or rapport.yaml and the whole report."""

    code: str | None
    name: str
    check: InputCheck
    documents: Outputs

    @property
    def state(self) -> str:
        """The state's key (assess.STATES)."""
        return state(self.check, self.documents)


@dataclass(frozen=True)
class Status:
    """The period's rows, what is not read, and the summary line."""

    period: Period
    rows: list[Row]
    ignored: list[str]  # the paths under inputs/ that are not read
    summary: str


def period_status(period: Period, inputs: Path, templates: Path, out: Path,
                  epoch: int | None = None) -> Status:
    """Every area of the register (and every area file), then rapport.yaml."""
    kommune = load_kommune(inputs)
    load_labels(templates, kommune.language)
    require_period(inputs, period)
    found = check_period(inputs, period, kommune)
    documents = outputs(inputs, period, templates, out, epoch)
    rows = [Row(a.code, a.name or _("(not in the register)"), a,
                documents.get(a.code, Outputs())) for a in found.areas]
    if found.report is not None:
        rows.append(Row(None, f"{project.REPORT_FILE} ({project.REPORT_NAME})", found.report,
                        documents.get(project.REPORT_NAME, Outputs())))
    ignored = [display_path(i.path) for i in found.ignored]
    return Status(period, rows, ignored, summary(found))


def header() -> tuple[str, ...]:
    """The table's column headings."""
    return (_("AREA"), _("NAME"), _("STATE"), _("ERRORS"), _("WARNINGS"), PLACEHOLDER,
            _("UNREVIEWED"), _("OUTPUTS"), _("INPUT CHANGED"))


def table(status: Status) -> list[str]:
    """The status as lines of a table, columns aligned, the summary last."""
    words = state_words()
    cells = [header()] + [(
        row.code or "", row.name, _state_words(row, words), str(len(row.check.errors)),
        str(len(row.check.warnings)), str(row.check.to_fill_in), str(row.check.unreviewed),
        row.documents.words, _when(row.check)) for row in status.rows]
    widths = [max(len(line[i]) for line in cells) for i in range(len(cells[0]))]
    lines = ["  ".join(c.ljust(w) for c, w in zip(line, widths)).rstrip() for line in cells]
    lines += [_("not read: {path} (see `reportgen check {period}`)").format(
        path=path, period=status.period) for path in status.ignored]
    return [*lines, status.summary]


def as_json(status: Status) -> str:
    """The status for scripts: one object per row, the summary line, what is not read."""
    rows = [{
        "code": row.code, "name": row.name, "file": display_path(row.check.path),
        "state": row.state, "errors": len(row.check.errors),
        "warnings": len(row.check.warnings), "to_fill_in": row.check.to_fill_in,
        "unreviewed": row.check.unreviewed,
        "outputs": {"up_to_date": row.documents.up_to_date, "draft": row.documents.draft,
                    "edited": list(row.documents.edited), "rendered": row.documents.rendered},
        "changed": row.check.changed.isoformat(timespec="seconds") if row.check.changed
        else None,
    } for row in status.rows]
    return json.dumps({"period": str(status.period), "areas": [r for r in rows if r["code"]],
                       "report": next((r for r in rows if not r["code"]), None),
                       "ignored": status.ignored, "summary": status.summary},
                      ensure_ascii=False, indent=2)


def _state_words(row: Row, words: dict[str, str]) -> str:
    return _("none (defaults)") if row.code is None and not row.check.exists else words[row.state]


def _when(check: InputCheck) -> str:
    changed = check.changed
    return changed.strftime("%Y-%m-%d %H:%M") if changed else "-"
