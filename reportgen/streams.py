"""The command line's standard streams: printing that fails as the user's problem, never as a
bug; and a render's progress on stderr. Used by cli.py only, the one module that prints.

A write to stdout or stderr can fail: a pipe whose reader has gone (`reportgen check | head`),
a closed stream (`>&-`), a full disk or the file-size limit (`ulimit -f`: EFBIG; Python ignores
SIGXFSZ). `printing` turns that into CannotPrint; cli.py then exits with status 1 (not 70, and
without a traceback), says so on stderr when stdout failed and stderr works, and says nothing
for a broken pipe, as other Unix tools do. Output that cannot be shown stops the command where
it is: a render whose progress cannot be printed stops before it writes anything.
"""

from __future__ import annotations

import contextlib
import errno
import os
import sys
import traceback
from pathlib import Path
from typing import Any

import click

from reportgen.errors import ExitCode
from reportgen.messages import _


class CannotPrint(Exception):
    """Writing to stdout (or stderr: `err`) failed: a closed stream or pipe, a full disk, the
    file-size limit. Not a bug: the exit status is 1."""

    def __init__(self, err: bool, exc: BaseException | None) -> None:
        super().__init__(getattr(exc, "strerror", None) or _("it is closed"))
        self.err, self.broken_pipe = err, getattr(exc, "errno", None) == errno.EPIPE


def printing(to_stderr: bool, write: Any, /, *args: Any, **kwargs: Any) -> Any:
    """write(*args, **kwargs), which prints on stdout (stderr if `to_stderr`), a failed write
    as CannotPrint."""
    if (sys.stderr if to_stderr else sys.stdout) is None:  # closed before reportgen started
        raise CannotPrint(to_stderr, None)
    try:
        return write(*args, **kwargs)
    except (OSError, ValueError) as exc:  # ValueError: "I/O operation on closed file"
        raise CannotPrint(to_stderr, exc) from exc


def failed_stream(exc: OSError) -> CannotPrint | None:
    """CannotPrint when `exc` came from click writing stdout itself (its --help and
    --version, which do not go through `printing`); None when it came from elsewhere."""
    frames = traceback.extract_tb(exc.__traceback__)
    last = frames[-1] if frames else None
    if last and last.name == "echo" and Path(last.filename).parts[-2:] == ("click", "utils.py"):
        return CannotPrint(False, exc)
    return None


def echo(message: str = "", err: bool = False, nl: bool = True) -> None:
    """click.echo, a failed write as CannotPrint."""
    printing(err, click.echo, message, err=err, nl=nl)


def quietly(write: Any, *args: Any, **kwargs: Any) -> None:
    """Print if possible: an error reported while stderr fails keeps its own exit status."""
    with contextlib.suppress(CannotPrint):
        write(*args, **kwargs)


def cannot_print(exc: CannotPrint) -> int:
    """Say on stderr (if that works) that stdout failed, but nothing for a pipe whose reader
    has gone (`| head`); then point both at /dev/null, so Python's last flush succeeds."""
    if not exc.err and not exc.broken_pipe:
        quietly(echo, _("reportgen: error: cannot write to standard output: {reason}").format(
            reason=exc), err=True)
    null = os.open(os.devnull, os.O_WRONLY)
    for stream in (sys.stdout, sys.stderr):
        with contextlib.suppress(Exception):  # no file behind it (a test's StringIO, None)
            os.dup2(null, stream.fileno())
    os.close(null)
    return ExitCode.USER_ERROR


def open_standard_descriptors() -> None:
    """/dev/null for a closed stdin, stdout or stderr, so no file reportgen opens gets that
    number (and with it some library's messages)."""
    for fd in (0, 1, 2):
        try:
            os.fstat(fd)
        except OSError:
            null = os.open(os.devnull, os.O_RDWR)  # the lowest free number: fd itself
            if null != fd:
                os.dup2(null, fd)
                os.close(null)


# --- a render's progress, on stderr -------------------------------------------------------

class _Plain:
    """Progress as plain lines (not a terminal, or Rich unwanted); silent with --quiet."""

    def __init__(self, quiet: bool) -> None:
        self.quiet, self.total, self.done = quiet, 0, 0

    def start(self, total: int) -> None:
        self.total = total

    def rendered(self, name: str) -> None:
        self.done += 1
        if not self.quiet:
            echo(_("rendered {name} ({done}/{total})").format(
                name=name, done=self.done, total=self.total), err=True)

    def note(self, message: str) -> None:
        if not self.quiet:
            echo(message, err=True)

    def stop(self) -> None:
        pass


class _Bar(_Plain):
    """A Rich progress bar on a terminal."""

    def __init__(self) -> None:
        super().__init__(quiet=False)
        from rich.console import Console
        from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn

        self.console = Console(stderr=True)
        self.bar = Progress(TextColumn(_("rendering")), BarColumn(), MofNCompleteColumn(),
                            TextColumn("{task.description}"), console=self.console, transient=True)
        self.task: Any = None

    def start(self, total: int) -> None:
        self.bar.start()
        self.task = self.bar.add_task("", total=total)

    def rendered(self, name: str) -> None:
        if self.task is not None:
            self.bar.update(self.task, advance=1, description=name)

    def note(self, message: str) -> None:
        self.console.print(message, markup=False, highlight=False)

    def stop(self) -> None:
        self.bar.stop()


def progress(quiet: bool) -> _Plain:
    """A progress bar on a terminal, else plain lines (none with `quiet`)."""
    if not quiet and sys.stderr is not None and sys.stderr.isatty():
        return _Bar()
    return _Plain(quiet)
