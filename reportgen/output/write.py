"""Stage 5, write: files replaced atomically (a temporary file beside the target, then a
rename), all or nothing for a set of outputs; edited outputs kept as backups.

Used by `render` (the documents) and `import` (the YAML). Imports errors, messages and project.
"""

from __future__ import annotations

import datetime
import errno
import os
import shutil
from pathlib import Path

from reportgen.errors import OutputError, SourceLocation
from reportgen.messages import _
from reportgen.project import display_path


def file_size_hint() -> str:
    """What to do when a write went past the file-size limit (EFBIG)."""
    return _("the file is larger than this session may write (the file-size limit, `ulimit"
             " -f`): raise the limit, or write to another place")


def __getattr__(name: str) -> str:
    """FILE_SIZE_HINT: file_size_hint() (looked up when imported, in the messages' language)."""
    if name == "FILE_SIZE_HINT":
        return file_size_hint()
    raise AttributeError(name)


def _hint(exc: OSError, otherwise: str) -> str:
    """What to do about a failed write: the file-size limit (EFBIG) has its own advice."""
    return file_size_hint() if exc.errno == errno.EFBIG else otherwise


def temporary_path(path: Path) -> Path:
    """The temporary file a write of `path` goes through, beside it (removed if orphaned)."""
    return path.with_name(f".{path.name}.{os.getpid()}.tmp")


def _write_temporary(temp: Path, data: bytes) -> None:
    with open(temp, "wb") as handle:
        handle.write(data)
        handle.flush()
        os.fsync(handle.fileno())


def atomic_write(path: Path, data: bytes, what: str = "output") -> None:
    """Replace one file atomically, keeping its permissions; on failure it is as it was.
    `what` the file is, for the message: "output" or "input file"."""
    temp = temporary_path(path)
    try:
        _write_temporary(temp, data)
        if path.exists():
            os.chmod(temp, path.stat().st_mode & 0o7777)
        os.replace(temp, path)
    except BaseException as exc:
        temp.unlink(missing_ok=True)
        if not isinstance(exc, OSError):
            raise
        message = _("cannot write the input file: {reason}") if what == "input file" else _(
            "cannot write the output: {reason}")
        raise OutputError(message.format(reason=exc.strerror),
                          location=SourceLocation(display_path(path)),
                          hint=_hint(exc, _("check the file's permissions"))) from exc


def make_folder(target: Path) -> None:
    """The output folder, created with its parents if it is not there yet."""
    _make_folder(target, True, _("choose another --out, or check its permissions"))


def write_outputs(target: Path, outputs: dict[str, bytes],
                  remove: tuple[str, ...] = ()) -> list[Path]:
    """Write every output via temp file + rename, all or nothing: on failure (or Ctrl-C /
    SIGTERM) part-way, outputs already renamed into place are put back as they were, and
    no temporary file is left. A name may hold folders (`nettsted/pagefind/pagefind.js`):
    they are made as needed. The files named in `remove` (a site's pages that are no
    longer part of it) go in the same step, and come back if it fails."""
    make_folder(target)
    for folder in sorted({(target / name).parent for name in outputs}):
        make_folder(folder)
        remove_stale_temporaries(folder)
    written = _write_all({target / name: data for name, data in outputs.items()}, False,
                         [target / name for name in remove])
    _remove_empty_folders(target, remove)
    return written


def write_files(files: dict[Path, bytes]) -> list[Path]:
    """Write files in several folders (made when missing) as write_outputs does: all of
    them or none; a file that is replaced keeps its permissions."""
    for folder in dict.fromkeys(path.parent for path in files):
        _make_folder(folder, False, _("check the folder's permissions"))
    return _write_all(files, True)


def _make_folder(folder: Path, output: bool, hint: str) -> None:
    try:
        folder.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        message = _("cannot create the output folder: {reason}") if output else _(
            "cannot create the folder: {reason}")
        raise OutputError(message.format(reason=exc.strerror),
                          location=SourceLocation(display_path(folder)), hint=hint) from exc


def _write_all(files: dict[Path, bytes], keep_mode: bool,
               remove: list[Path] | None = None) -> list[Path]:
    temps: list[tuple[Path, Path]] = []
    earlier: dict[Path, Path] = {}  # output -> a second link to its earlier version
    replaced: list[Path] = []
    current = next(iter(files), Path())  # the file being written, for the message
    try:
        for final, data in files.items():
            current = final
            temp = temporary_path(final)
            temps.append((temp, final))
            _write_temporary(temp, data)
            if keep_mode and final.exists():
                os.chmod(temp, final.stat().st_mode & 0o7777)
        for _temp, current in temps:
            if current.exists():
                earlier[current] = _keep_earlier(current)
        for temp, current in temps:
            os.replace(temp, current)
            replaced.append(current)
        for current in remove or []:
            if current.is_file():
                earlier[current] = _keep_earlier(current)
                replaced.append(current)
                current.unlink()
    except BaseException as exc:  # OSError, or Ctrl-C / SIGTERM part-way: leave no temporaries
        _put_back(replaced, earlier)
        for temp, _final in temps:
            temp.unlink(missing_ok=True)
        if not isinstance(exc, OSError):
            raise
        raise OutputError(
            _("cannot write output: {reason}").format(reason=exc.strerror),
            location=SourceLocation(display_path(current)),
            hint=_hint(exc, _("check free space and permissions of the output folder")),
        ) from exc
    finally:
        for keep in earlier.values():
            keep.unlink(missing_ok=True)
    return [final for _, final in temps]


def _remove_empty_folders(target: Path, removed: tuple[str, ...]) -> None:
    """The folders that removing files left empty (never `target` itself)."""
    for folder in sorted({(target / name).parent for name in removed}, reverse=True):
        while folder != target and folder.is_relative_to(target):
            try:
                folder.rmdir()
            except OSError:
                break  # not empty, or not ours to remove
            folder = folder.parent


def _keep_earlier(path: Path) -> Path:
    """A hard link (a copy where links are not supported) to the output as it is now."""
    keep = path.with_name(f".{path.name}.earlier.{os.getpid()}.tmp")
    keep.unlink(missing_ok=True)
    try:
        os.link(path, keep)
    except OSError:
        shutil.copy2(path, keep)
    return keep


def _put_back(replaced: list[Path], earlier: dict[Path, Path]) -> None:
    """Undo the renames of a failed write: earlier versions back, new files of this run gone."""
    for final in reversed(replaced):
        try:
            if final in earlier:
                os.replace(earlier[final], final)
            else:
                final.unlink(missing_ok=True)
        except OSError:
            earlier.pop(final, None)  # not deleted afterwards: it stays beside the output


def backup(path: Path) -> Path:
    """Move an edited output aside (never delete it): 08.docx -> 08.edited-20170430T120000.docx."""
    stamp = datetime.datetime.fromtimestamp(path.lstat().st_mtime).strftime("%Y%m%dT%H%M%S")
    candidate = path.with_name(f"{path.stem}.edited-{stamp}{path.suffix}")
    n = 1
    while os.path.lexists(candidate):  # a link counts, even one that leads nowhere
        n += 1
        candidate = path.with_name(f"{path.stem}.edited-{stamp}-{n}{path.suffix}")
    try:
        os.rename(path, candidate)
    except OSError as exc:
        raise OutputError(
            _("cannot keep the edited file as a backup: {reason}").format(reason=exc.strerror),
            location=SourceLocation(display_path(path)),
            hint=_("move the edited file away yourself, then render again"),
        ) from exc
    return candidate


def remove_stale_temporaries(folder: Path) -> None:
    """Temporary files left by a render that was killed (its process no longer exists)."""
    if not folder.is_dir():
        return
    for temp in folder.glob(".*.tmp"):
        pid = temp.name.rsplit(".", 2)[-2]
        if pid.isdigit() and not _alive(int(pid)):
            try:
                temp.unlink(missing_ok=True)
            except OSError:
                continue  # a folder of that name, say: not ours to remove


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True
