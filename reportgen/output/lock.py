"""Stage 5, the folder lock: while a render re-reads the manifest, merges its entries into it
and writes its outputs, no other render touches the same output folder. Renders of different
areas into one folder therefore keep each other's manifest entries. They render side by side
and wait for each other only while writing.

The lock is fcntl.flock on <folder>/.reportgen.lock. The file exists only while a render holds
the lock: the holder removes it before it lets go. A process that gets the lock checks that the
file it locked is still the one at that path, and locks the new one if not. If a render is
killed by SIGKILL, the kernel releases its lock but the file stays behind. The next render then
uses that file and removes it.

Imports the standard library, errors, messages, project and output.write (which creates the
folder).
"""

from __future__ import annotations

import contextlib
import os
import time
from collections.abc import Callable, Iterator
from pathlib import Path

from reportgen.errors import OutputError, SourceLocation
from reportgen.messages import _
from reportgen.output.write import make_folder
from reportgen.project import display_path

LOCK_NAME = ".reportgen.lock"
SAY_AFTER = 1.0  # seconds of waiting for another render before saying so
_RETRY = 0.02  # seconds between tries while still silent


@contextlib.contextmanager
def locked(folder: Path, waiting: Callable[[], None], optional: bool = False) -> Iterator[None]:
    """Hold the lock of `folder`, creating the folder if needed. If another process holds the
    lock for more than SAY_AFTER seconds, `waiting` is called once, and the wait goes on.

    `optional`: where the lock file cannot be made (a folder this user may only read), go on
    without the lock instead of failing; for reading only, as this process cannot write there.
    """
    make_folder(folder)
    path = folder / LOCK_NAME
    try:
        handle = _acquire(path, waiting)
    except OutputError:
        if not optional:
            raise
        yield
        return
    try:
        yield
    finally:
        with contextlib.suppress(OSError):
            path.unlink()  # before letting go: nobody else can hold it now
        os.close(handle)


def _acquire(path: Path, waiting: Callable[[], None]) -> int:
    """A descriptor of the lock file at `path`, locked. If the previous holder removed the
    file while this process waited, the lock is taken again on the file that is there now."""
    said = False
    while True:
        handle = _open(path)
        try:
            said = _lock(handle, waiting, said)
            if _same_file(handle, path):
                return handle
        except BaseException:
            os.close(handle)
            raise
        os.close(handle)


def _open(path: Path) -> int:
    """Open (or create) the lock file; never through a symbolic link."""
    try:
        return os.open(path, os.O_RDWR | os.O_CREAT | os.O_NOFOLLOW | os.O_CLOEXEC, 0o644)
    except OSError as exc:
        raise OutputError(
            _("cannot lock the output folder: {reason}").format(reason=exc.strerror),
            location=SourceLocation(display_path(path)),
            hint=_("check the permissions of the output folder, or remove the file if it is"
                   " not a plain file"),
        ) from exc


def _lock(handle: int, waiting: Callable[[], None], said: bool) -> bool:
    """Wait for the lock; call `waiting` if it takes a while and has not been said yet.
    Whether it has been said."""
    import fcntl

    deadline = time.monotonic() + SAY_AFTER
    while not said:
        try:
            fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
            return said
        except BlockingIOError:
            pass
        if time.monotonic() >= deadline:
            waiting()
            said = True
        else:
            time.sleep(_RETRY)
    fcntl.flock(handle, fcntl.LOCK_EX)
    return said


def _same_file(handle: int, path: Path) -> bool:
    """The locked file is still the one named `path` (its holder did not remove it)."""
    try:
        named = os.lstat(path)
    except FileNotFoundError:
        return False
    held = os.fstat(handle)
    return (named.st_dev, named.st_ino) == (held.st_dev, held.st_ino)
