"""What `reportgen import` prints: how a document was placed, the notes and warnings, the
change to each file as a diff, the summary; then the question before writing (--yes for
scripts). Part of the command line (reportgen.cli); the import itself is
reportgen.commands.importer.
"""

from __future__ import annotations

import sys
from pathlib import Path

import click

from reportgen.errors import format_problem
from reportgen.messages import _, ngettext
from reportgen.period import Period
from reportgen.project import display_path
from reportgen.streams import echo, printing


def import_document(file: Path, inputs: Path, templates: Path, period: Period | None,
                    area: str | None, remove_missing: bool, out: Path, yes: bool) -> None:
    """`reportgen import FILE.docx`: what it found, the diffs, the summary; then writes."""
    from reportgen.commands.importer import import_document as read
    from reportgen.commands.importer import unified_diff, write_import

    outcome = read(file, inputs, templates, area, period, remove_missing, out)
    if outcome.how:
        echo(outcome.how)
    for note in outcome.notes:
        echo(_("{file}: note: {note}").format(file=display_path(file), note=note), err=True)
    for warning in outcome.warnings:
        for line in format_problem(warning):
            echo(line, err=True)
    changed = outcome.changed
    for result in changed:
        echo(unified_diff(result), nl=False)
    for line in outcome.summary:
        echo(line)
    if not changed:
        echo(_("nothing to import: the input file already gives this text"))
    elif not confirmed(file, yes, _("Write {files}?").format(files=outcome.files),
                       outcome.files):
        return
    for path in write_import(outcome):
        echo(_("wrote {file}").format(file=display_path(path)))
    if outcome.output is not None:
        echo(_("noted that {file} was imported: the next render replaces it without --force,"
               " and keeps your edited copy as a backup beside it").format(
            file=display_path(outcome.output)))


def import_ledger(file: Path, inputs: Path, period: Period, yes: bool) -> None:
    """`reportgen import FILE.xlsx --period P`: notes, diffs, totals; then writes."""
    from reportgen.commands.importer import import_ledger, unified_diff, write_all
    from reportgen.inputs import load_kommune

    outcome = import_ledger(file, inputs, period, load_kommune(inputs))
    for note in [*outcome.notes, *(n for r in outcome.results for n in r.notes)]:
        echo(_("note: {note}").format(note=note), err=True)
    for result in outcome.changed:
        echo(unified_diff(result), nl=False)
    for line in [*outcome.summary, *(_("total {line}").format(line=t) for t in outcome.totals)]:
        echo(line)
    if not outcome.changed:
        echo(_("nothing to import: every area file already has these amounts"))
        return
    count = len(outcome.changed)  # "file(s)" in English either way
    question = ngettext("Write the {count} changed file(s)?", "Write the {count} changed"
                        " file(s)?", count).format(count=count)
    if confirmed(file, yes, question, ngettext("{count} file(s)", "{count} file(s)",
                                               count).format(count=count)):
        for path in write_all(outcome.results):
            echo(_("wrote {file}").format(file=display_path(path)))


def confirmed(file: Path, yes: bool, question: str, what: str) -> bool:
    """--yes, or the user's answer on a terminal; without a terminal, an error."""
    from reportgen.errors import OutputError, SourceLocation

    if yes:
        return True
    if not (sys.stdin is not None and sys.stdin.isatty()):
        raise OutputError(_("not writing {what}: there is no terminal to ask on").format(
            what=what), location=SourceLocation(display_path(file)),
            hint=_("check the change above, then run again with --yes"))
    if printing(False, click.confirm, question, default=False):
        return True
    echo(_("nothing written"))
    return False
