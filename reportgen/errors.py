"""Error types shared by every stage. Imports nothing from reportgen.

Exceptions never print: cli.py formats them as `file:line:column: error: what` plus a hint.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import IntEnum


class ExitCode(IntEnum):
    OK = 0
    USER_ERROR = 1  # input, template or output problem the user can fix
    USAGE = 2  # command-line misuse
    INTERNAL = 70  # a bug (sysexits EX_SOFTWARE)


@dataclass(frozen=True)
class SourceLocation:
    """A 1-based position in a file, shown as `path:line:column`."""

    path: str
    line: int | None = None
    column: int | None = None

    def __str__(self) -> str:
        parts = [self.path]
        if self.line is not None:
            parts.append(str(self.line))
            if self.column is not None:
                parts.append(str(self.column))
        return ":".join(parts)


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


@dataclass(frozen=True)
class ReportgenWarning:
    """Valid input that a careful reader would query; `check --strict` fails on it."""

    message: str
    location: SourceLocation | None = None
    hint: str | None = None


class ReportgenErrors(ReportgenError):
    """Several problems found in one run; all are reported before exiting."""

    def __init__(self, errors: list[ReportgenError]) -> None:
        super().__init__(f"{len(errors)} problem(s)")
        self.errors = sorted(errors, key=ReportgenError.sort_key)
        self.exit_code = max(e.exit_code for e in errors)
