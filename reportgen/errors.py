"""Error types shared by every stage. Imports only reportgen.messages (the words "error",
"warning", "hint" in the user's language).

Exceptions never print: `format_problem` gives the lines that cli.py prints and that the
serve page shows, `file:line:column: error: what` plus a hint; `collect` gathers every problem
of a run so that all of them are reported at once.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from enum import IntEnum
from typing import TypeVar

from reportgen.messages import _

T = TypeVar("T")


class ExitCode(IntEnum):
    """The process exit status of a run, by what went wrong."""

    OK = 0
    USER_ERROR = 1  # input, template or output problem the user can fix
    USAGE = 2  # command-line misuse
    INTERNAL = 70  # a bug (sysexits EX_SOFTWARE)


@dataclass(frozen=True)
class SourceLocation:
    """A 1-based position in a file, shown as `path:line:column`; in a spreadsheet (`sheet`
    given, or a CSV file with `cell` set) as `path, sheet S, row R, column C`."""

    path: str
    line: int | None = None
    column: int | None = None
    sheet: str | None = None  # a workbook's sheet; line and column are then row and column
    cell: bool = False  # a CSV file's cell: row and column, as in a spreadsheet

    def __str__(self) -> str:
        if self.sheet is not None or self.cell:
            parts = [self.path] + ([_("sheet {sheet}").format(sheet=self.sheet)]
                                   if self.sheet is not None else [])
            if self.line is not None:
                parts.append(_("row {row}").format(row=self.line))
            if self.column is not None:
                parts.append(_("column {column}").format(column=column_letters(self.column)))
            return ", ".join(parts)
        parts = [self.path]
        if self.line is not None:
            parts.append(str(self.line))
            if self.column is not None:
                parts.append(str(self.column))
        return ":".join(parts)


def column_letters(column: int) -> str:
    """A spreadsheet's column name: 1 -> A, 27 -> AA."""
    letters = ""
    while column > 0:
        column, rest = divmod(column - 1, 26)
        letters = chr(ord("A") + rest) + letters
    return letters


class ReportgenError(Exception):
    """A problem the user can fix; `exit_code` says which kind."""

    exit_code = ExitCode.USER_ERROR

    def __init__(
        self, message: str, *, location: SourceLocation | None = None, hint: str | None = None
    ) -> None:
        super().__init__(message)
        self.message = message
        self.location = location
        self.hint = hint

    def sort_key(self) -> tuple[str, int, int]:
        """Order problems by file, line and column; those without a location first."""
        loc = self.location
        return (loc.path, loc.line or 0, loc.column or 0) if loc else ("", 0, 0)


class InputError(ReportgenError):
    """Invalid input data: YAML syntax, schema, values."""


class TemplateError(ReportgenError):
    """A template that cannot be read or rendered."""


class OutputError(ReportgenError):
    """An output that cannot or may not be written."""


class UsageError(ReportgenError):
    """Command-line misuse that only shows once inputs are known (an area not in the register)."""

    exit_code = ExitCode.USAGE


TO_FILL_IN, UNREVIEWED = "placeholder", "unreviewed"  # the kinds of unfinished work


def plural(count: int, one: str, many: str) -> str:
    """`one` for a count of 1, else `many`: both whole phrases, such as f"{n} error" and
    f"{n} errors" (the form gettext's ngettext takes, for translation)."""
    return one if count == 1 else many


@dataclass(frozen=True)
class ReportgenWarning:
    """Valid input that a careful reader would query; `check --strict` fails on it."""

    message: str
    location: SourceLocation | None = None
    hint: str | None = None
    # Unfinished work, which `render` refuses (an error) and `render --draft` renders:
    # TO_FILL_IN («FYLL UT» left in), UNREVIEWED (text `new` copied, not yet reviewed).
    unfinished: str = ""

    def sort_key(self) -> tuple[str, int, int]:
        """Order warnings by file, line and column; those without a location first."""
        loc = self.location
        return (loc.path, loc.line or 0, loc.column or 0) if loc else ("", 0, 0)


class ReportgenErrors(ReportgenError):
    """Several problems found in one run; all are reported before exiting."""

    def __init__(self, errors: list[ReportgenError]) -> None:
        super().__init__(f"{len(errors)} problem(s)")
        self.errors = sorted(errors, key=ReportgenError.sort_key)
        self.exit_code = max(e.exit_code for e in errors)


def problems_of(error: ReportgenError) -> list[ReportgenError]:
    """The single problems an error stands for (the members of a ReportgenErrors)."""
    return list(error.errors) if isinstance(error, ReportgenErrors) else [error]


def collect(problems: list[ReportgenError], attempt: Callable[[], T]) -> T | None:
    """What `attempt` returns; or None, with every problem it raised added to `problems`."""
    try:
        return attempt()
    except ReportgenError as exc:
        problems += problems_of(exc)
        return None


def raise_all(problems: list[ReportgenError]) -> None:
    """Raise every collected problem at once (nothing when there is none)."""
    if problems:
        raise ReportgenErrors(problems)


HINT_MORE = "      "  # a hint's further lines (the text to type, say), under its first


def format_problem(problem: ReportgenError | ReportgenWarning) -> list[str]:
    """`path:line:column: error: message` (or `warning:`) and `  hint: …`, as printed, in the
    user's language; a hint of several lines (the fix as text to type) has its further lines
    indented under it."""
    kind = _("warning") if isinstance(problem, ReportgenWarning) else _("error")
    where = f"{problem.location}: " if problem.location else ""
    lines = [f"{where}{kind}: {problem.message}"]
    if problem.hint:
        first, *more = problem.hint.split("\n")
        word = _("hint")
        lines += [f"  {word}: {first}", *(HINT_MORE + line for line in more)]
    return lines
