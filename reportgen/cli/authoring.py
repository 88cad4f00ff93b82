"""What `reportgen check` and `reportgen new` print for the report authors: check's problems
area by area under a heading line each, then its summary; what new wrote and what is left to
do. Part of the command line (reportgen.cli); the work itself is reportgen.commands.
"""

from __future__ import annotations

from typing import Any

from reportgen.messages import _
from reportgen.period import Period
from reportgen.project import display_path
from reportgen.streams import echo


def print_check(found: Any, quiet: bool, strict: bool) -> bool:
    """Each area's heading and problems (stderr), then the summary (stdout); True when the
    check failed (an error, or a warning with --strict)."""
    from reportgen.cli import print_error
    from reportgen.commands.check import report_lines

    printed = report_lines(found, strict)
    for line in [] if quiet else printed.problems:
        echo(line, err=True)
    echo(printed.summary)
    if printed.strict_error is not None:
        print_error(printed.strict_error)
    return printed.failed


def print_new(period: Period, old: Period, outcome: Any) -> None:
    """The files new wrote (from the `old` period) and kept, and what to do next."""
    from reportgen.carry import DRAFT_WORD
    from reportgen.model import PLACEHOLDER

    for target in outcome.written:
        echo(_("wrote {file} (from {period})").format(file=display_path(target), period=old))
    if outcome.kept:
        echo(_("kept, already there: {names}").format(names=", ".join(outcome.kept)))
    if outcome.report_note:
        echo(_("note: {note}").format(note=outcome.report_note))
    if outcome.written:
        echo(_("next: fill in what is marked {placeholder}; read each text under a line"
               " «# {draft}: uendret fra {old}», change what no longer holds for {period}, then"
               " delete that line; `reportgen check {period}` lists what is left").format(
            placeholder=PLACEHOLDER, draft=DRAFT_WORD, old=old, period=period))
