"""Every path and name rule of a report project, in one place. Standard library, errors and
messages only.

    inputs/kommune.yaml              the municipality and its register of areas
    inputs/<period>/<code>.yaml      one area in one period
    inputs/<period>/rapport.yaml     the whole report's settings (optional)
    <out>/<period>/                  the documents: <code>.<suffix>, tertialrapport.<suffix>
    <out>/<period>/nettsted/         the web site: index.html, a page per part, dokumenter/, …
    templates/                       docx/, html/, fonts/ and labels.yaml

Every command finds its files through these functions; none builds a path of its own, and
every input is read through read_file: an ordinary file (never a named pipe, a device or a
folder), inside its folder, not a link that loops, and not too large, checked before it is
opened.
"""

from __future__ import annotations

import errno
import os
import stat
from collections.abc import Callable
from pathlib import Path

from reportgen.errors import InputError, OutputError, ReportgenError, SourceLocation
from reportgen.messages import _

DEFAULT_INPUTS = Path("inputs")
DEFAULT_OUT = Path("build")
ALL = "all"  # the command line's word for every area that has an input file
REPORT_NAME = "tertialrapport"  # the whole report's documents: tertialrapport.pdf, …
KOMMUNE_FILE = "kommune.yaml"
REPORT_FILE = "rapport.yaml"
INPUT_SUFFIX = ".yaml"
LABELS_FILE = "labels.yaml"
CHART_FONTS = ("fonts/Carlito-Regular.ttf", "fonts/Carlito-Bold.ttf")  # regular, bold
HYPHENATION_FILE = "hyphenation.yaml"
AREA_CODE_LENGTH = 2


def display_path(path: Path) -> str:
    """A path as the user should see it: relative to the working directory when possible.

    The last part is not followed when it is a symbolic link: a message about a link names
    the link (which the user has to change), not the file it points to."""
    try:
        cwd = Path.cwd().resolve()
    except OSError:  # the working folder was removed
        return str(path)
    for seen in (Path(os.path.abspath(path)), _parent_resolved(path)):
        if seen is not None and seen.is_relative_to(cwd):
            return str(seen.relative_to(cwd))
    return str(path)


def _parent_resolved(path: Path) -> Path | None:
    """The path with its folder's symbolic links followed (a link loop: None)."""
    try:
        return Path(os.path.abspath(path)).parent.resolve() / path.name
    except (OSError, RuntimeError):
        return None


def resolve_inside(root: Path, relative: str, what: str) -> Path:
    """root/relative, refusing anything (`..`, absolute, symlinks) that lands outside root,
    and a symbolic link that loops."""
    root_real = root.resolve()
    try:
        candidate = (root / relative).resolve()
    except (OSError, RuntimeError) as exc:  # Python 3.11 says "Symlink loop" as RuntimeError
        raise _not_a_file(root / relative, (LOOP, _loop()), InputError) from exc
    if not candidate.is_relative_to(root_real):
        raise InputError(
            _outside(what).format(what=what, file=relative, folder=display_path(root)),
            location=SourceLocation(display_path(root / relative)),
            hint=_keep_inside().format(folder=display_path(root)),
        )
    return candidate


def _outside(what: str) -> str:
    """The message for a file of the kind `what` ("area file", …) that points outside its
    folder: a text with the {file} and the {folder}."""
    return {"area file": _("area file {file!r} points outside {folder}"),
            "report file": _("report file {file!r} points outside {folder}"),
            "kommune file": _("kommune file {file!r} points outside {folder}"),
            "file": _("file {file!r} points outside {folder}")}.get(
        what, _("{what} {file!r} points outside {folder}"))


def _keep_inside() -> str:
    return _("keep input files inside {folder}; symbolic links may not leave it")


# --- reading a file safely -------------------------------------------------------------------

# What can be at a path, as _at tells it: the words of each kind come with it.
FILE, FOLDER, LOOP, BROKEN_LINK, OTHER = "file", "folder", "loop", "broken link", "other"


def __getattr__(name: str) -> str:
    """A_FILE and A_FOLDER: what what_is_at says of a file and of a folder, in the messages'
    language (looked up when read: the language is chosen at the start of a run)."""
    if name == "A_FILE":
        return _("a file")
    if name == "A_FOLDER":
        return _("a folder")
    raise AttributeError(name)


def _kinds() -> tuple[tuple[Callable[[int], bool], str], ...]:
    return ((stat.S_ISREG, _("a file")), (stat.S_ISDIR, _("a folder")),
            (stat.S_ISFIFO, _("a named pipe (FIFO)")), (stat.S_ISCHR, _("a device")),
            (stat.S_ISBLK, _("a device")), (stat.S_ISSOCK, _("a socket")))


def _loop() -> str:
    return _("a symbolic link that loops back on itself")


def exists(path: Path) -> bool:
    """Anything at all is at `path`: a file, a folder, a pipe, a link (even a broken one)."""
    return os.path.lexists(path)


def _kind(mode: int) -> str:
    return next((words for test, words in _kinds() if test(mode)), _("a special file"))


def _at(path: Path) -> tuple[str, str] | None:
    """What `path` is, following links: FILE, FOLDER, LOOP, BROKEN_LINK or OTHER, and that in
    words; None when nothing is there."""
    try:
        mode = os.stat(path).st_mode
    except OSError as exc:
        if exc.errno == errno.ELOOP:
            return LOOP, _loop()
        if not os.path.islink(path):
            return None
        return BROKEN_LINK, _("a link to {target}, which does not exist").format(
            target=os.readlink(path))
    kind = FILE if stat.S_ISREG(mode) else FOLDER if stat.S_ISDIR(mode) else OTHER
    if kind == OTHER and os.path.islink(path):
        return kind, _("a link to {target}, which is {kind}").format(
            target=os.path.realpath(path), kind=_kind(mode))
    return kind, _kind(mode)


def what_is_at(path: Path) -> str | None:
    """What `path` is, following links, in words ("a file", "a folder", "a named pipe (FIFO)",
    "a link to /dev/zero, which is a device", "a symbolic link that loops back on itself",
    ...); None when nothing is there."""
    found = _at(path)
    return None if found is None else found[1]


def _not_a_file(path: Path, found: tuple[str, str] | None,
                error: type[ReportgenError]) -> ReportgenError:
    if found is None:
        message, hint = _("there is no such file"), None
    else:
        kind, words = found
        message = (_("this is {what}") if kind == BROKEN_LINK else _(
            "this is {what}, not a file")).format(what=words)
        hint = _("point the link at a real file, or put the file itself here") if kind == LOOP \
            else _("reportgen reads only ordinary files: put the file itself here")
    return error(message, location=SourceLocation(display_path(path)), hint=hint)


def check_file(path: Path, *, root: Path | None = None,
               error: type[ReportgenError] = InputError) -> os.stat_result:
    """The status of the ordinary file at `path`, before anything opens it; `error` when it
    leaves `root` (through a symbolic link, say), loops, is missing, or is not an ordinary
    file (a named pipe would hang the reader, a device such as /dev/zero never end)."""
    if root is not None:
        real, root_real = os.path.realpath(path), os.path.realpath(root)
        if os.path.commonpath([real, root_real]) != root_real:
            relative = os.path.relpath(os.path.abspath(path), os.path.abspath(root))
            raise error(_outside("file").format(file=relative, folder=display_path(root)),
                        location=SourceLocation(display_path(path)),
                        hint=_keep_inside().format(folder=display_path(root)))
    try:
        return _regular(os.stat(path), path, error)
    except OSError as exc:
        if exc.errno not in (errno.ENOENT, errno.ENOTDIR, errno.ELOOP):
            raise error(_("cannot read file: {reason}").format(reason=exc.strerror),
                        location=SourceLocation(display_path(path))) from exc
        raise _not_a_file(path, _at(path), error) from exc


def _regular(status: os.stat_result, path: Path,
             error: type[ReportgenError]) -> os.stat_result:
    if not stat.S_ISREG(status.st_mode):
        raise _not_a_file(path, _at(path), error)
    return status


def read_file(path: Path, *, limit: int | None, root: Path | None = None,
              error: type[ReportgenError] = InputError) -> bytes:
    """The bytes of the ordinary file at `path`, checked first (check_file) and refused
    unread when larger than `limit` bytes; every input file is read through here."""
    status = check_file(path, root=root, error=error)
    if limit is not None and status.st_size > limit:
        raise _too_large(path, status.st_size, limit, error)
    try:  # O_NONBLOCK: were it swapped for a named pipe since, opening would not hang
        fd = os.open(path, os.O_RDONLY | os.O_NONBLOCK | os.O_NOCTTY | os.O_CLOEXEC)
        with os.fdopen(fd, "rb") as handle:
            _regular(os.fstat(handle.fileno()), path, error)
            data = handle.read() if limit is None else handle.read(limit + 1)
    except OSError as exc:
        raise error(_("cannot read file: {reason}").format(reason=exc.strerror),
                    location=SourceLocation(display_path(path))) from exc
    if limit is not None and len(data) > limit:  # it grew since
        raise _too_large(path, len(data), limit, error)
    return data


def _too_large(path: Path, size: int, limit: int, error: type[ReportgenError]) -> ReportgenError:
    return error(_("file is {size} bytes, more than the limit of {limit}").format(
        size=size, limit=limit), location=SourceLocation(display_path(path)),
        hint=_("split the text or remove pasted binary content"))


# --- inputs -----------------------------------------------------------------------------------

def kommune_path(inputs: Path) -> Path:
    """inputs/kommune.yaml, the municipality's settings and register of areas."""
    return inputs / KOMMUNE_FILE


def period_folder(inputs: Path, period: object) -> Path:
    """inputs/<period>/, the folder of one period's files."""
    return inputs / str(period)


def area_file_name(code: str) -> str:
    """'08.yaml'."""
    return f"{code}{INPUT_SUFFIX}"


def area_path(inputs: Path, period: object, code: str) -> Path:
    """inputs/<period>/<code>.yaml, refusing paths that leave the inputs folder."""
    return resolve_inside(inputs, f"{period}/{area_file_name(code)}", "area file")


def report_path(inputs: Path, period: object) -> Path:
    """inputs/<period>/rapport.yaml, the whole report's settings (optional)."""
    return resolve_inside(inputs, f"{period}/{REPORT_FILE}", "report file")


def area_code_of(name: str) -> str | None:
    """The area code an input file's name stands for ('08.yaml' -> '08'), else None."""
    stem = name.removesuffix(INPUT_SUFFIX)
    if name.endswith(INPUT_SUFFIX) and len(stem) == AREA_CODE_LENGTH and stem.isascii() \
            and stem.isdigit():
        return stem
    return None


def area_codes_with_input(inputs: Path, period: object) -> list[str]:
    """The two-digit codes that have an input file for the period, sorted."""
    folder = period_folder(inputs, period)
    if not folder.is_dir():
        return []
    return sorted(code for code in map(area_code_of, os.listdir(folder)) if code is not None)


# --- templates --------------------------------------------------------------------------------

def default_templates() -> Path:
    """./templates when the project has one, else the templates shipped with reportgen."""
    local = Path("templates")
    if local.is_dir():
        return local
    package = Path(__file__).resolve().parent
    for candidate in (package / "templates", package.parent / "templates"):
        if candidate.is_dir():
            return candidate
    return local


def labels_path(templates: Path) -> Path:
    """templates/labels.yaml, the fixed wording of the documents per language."""
    return templates / LABELS_FILE


def hyphenation_path(templates: Path) -> Path:
    """templates/hyphenation.yaml, the words hyphenated otherwise than the dictionary says."""
    return templates / HYPHENATION_FILE


# --- outputs ----------------------------------------------------------------------------------

def output_folder(out: Path, period: object) -> Path:
    """<out>/<period>, refusing a period folder that is a link to somewhere else, and an --out
    or period folder that is not a folder (a file, a named pipe, a link that loops)."""
    target = out / str(period)
    require_folder(out, _("--out names the folder the documents go into (made when missing):"
                          " choose another, or move this away"))
    require_folder(target, _("reportgen keeps the period's documents in a folder of this"
                             " name: move this away, or choose another --out"))
    if target.is_symlink() and not target.resolve().is_relative_to(out.resolve()):
        raise OutputError(
            _("{folder} is a link to {target}, outside the output folder").format(
                folder=display_path(target), target=target.resolve()),
            location=SourceLocation(display_path(target)),
            hint=_("remove the link; reportgen writes only inside --out"),
        )
    return target


def require_folder(path: Path, hint: str) -> None:
    """OutputError (with `hint`) when something other than a folder is at `path`."""
    found = _at(path)
    if found is not None and found[0] != FOLDER:
        raise OutputError(_("this is {what}, not a folder").format(what=found[1]),
                          location=SourceLocation(display_path(path)), hint=hint)


def output_problem(path: Path, folder: bool = False) -> OutputError | None:
    """Why reportgen may not replace what is at an output's path (a folder, a named pipe, a
    device), or None: nothing is there, an ordinary file, or a link (never written through).
    For an output that is a `folder` (the site), anything but a folder is in the way."""
    try:
        mode = os.lstat(path).st_mode
    except OSError:
        return None  # nothing there (or unreachable: writing says why)
    if stat.S_ISDIR(mode) if folder else (stat.S_ISREG(mode) or stat.S_ISLNK(mode)):
        return None
    message = _("this is {what}, not a folder; reportgen will not replace it") if folder else _(
        "this is {what}, not a file; reportgen will not replace it")
    return OutputError(message.format(what=_kind(mode)),
                       location=SourceLocation(display_path(path)),
                       hint=_("move it away (or remove it), then render again"))


def output_name(document: str, fmt: str) -> str:
    """'08.pdf', 'tertialrapport.docx'."""
    return f"{document}.{fmt}"


# --- the web site (render all --format site) ---------------------------------------------------

SITE_FOLDER = "nettsted"  # <out>/<period>/nettsted/: the whole report as a web site
SITE_INDEX = "index.html"  # its front page
SITE_SEARCH = "sok.html"  # its search page
SITE_DOCUMENTS = "dokumenter"  # its copies of the documents: dokumenter/08.pdf
SITE_ASSETS = "ressurser"  # its stylesheet, fonts and script
SITE_SEARCH_INDEX = "pagefind"  # the search index and the search box (Pagefind's bundle)


def site_page(slug: str) -> str:
    """A page's file in the site: 'del-1-hovedtrekk.html', '08.html'."""
    return f"{slug}.html"


def site_document(document: str, fmt: str) -> str:
    """Where the site keeps a copy of a document: 'dokumenter/08.pdf'."""
    return f"{SITE_DOCUMENTS}/{output_name(document, fmt)}"
