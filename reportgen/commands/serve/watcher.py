"""`reportgen serve`, watcher: watch the inputs and templates, and hand each change to the
Preview (watch.py), which re-renders what it affects.

Part of the serve command: file events from the system (watchfiles), or polling without them.
"""

from __future__ import annotations

import hashlib
import os
import threading
import traceback
from pathlib import Path
from typing import Any

from reportgen import project
from reportgen.commands.serve.watch import EVERYTHING, RAPPORT, Preview
from reportgen.errors import ReportgenError
from reportgen.messages import _
from reportgen.project import display_path

POLL_SECONDS = 0.3  # the polling fallback's interval
# A batch of file events ends once none came for this long; watchfiles also sleeps this long
# between looks at its queue, so a save is seen 1-2 steps after it (the events of one save,
# its temporary file and the rename, come microseconds apart).
EVENT_STEP_MS = 5
EVENT_DEBOUNCE_MS = 200  # ... or once it has lasted this long
SAFETY_SECONDS = 2.0  # with file events: a look this often even without any
HASH_LIMIT = 256 * 1024  # files up to this size are compared by content, larger by size+mtime


class Watcher:
    """Hands each change of the files to Preview.update.

    It waits on the operating system's file events (the `watchfiles` package: inotify on
    Linux) on the inputs and templates folders; each batch of events, and a safety look every
    SAFETY_SECONDS, compares the files' signatures with the last ones (poll), so an event
    only says when to look and never what changed. Without watchfiles, or when the system
    refuses to watch (no inotify, its limit reached), it polls every `interval` seconds."""

    def __init__(self, preview: Preview, interval: float = POLL_SECONDS,
                 events: bool = True) -> None:
        self.preview, self.interval, self.events = preview, interval, events
        self.previous = self.snapshot()
        self.mode = "polling"  # "events" once start has set the file events up
        self._notify: Any = None
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, name="reportgen-watcher", daemon=True)

    def start(self) -> None:
        """Start watching in a daemon thread. The file events are live when this returns: a
        save from then on is seen by its event, one before it by the thread's first look."""
        self._notify = self._file_events() if self.events else None
        self.mode = "events" if self._notify is not None else "polling"
        self._thread.start()

    def stop(self) -> None:
        """Stop watching; waits for an update in progress (at most 10 seconds)."""
        self._stop.set()
        if self._thread.is_alive():
            self._thread.join(timeout=10)

    def files(self) -> list[Path]:
        """kommune.yaml, the period's area files and rapport.yaml, every template file."""
        preview = self.preview
        found = [project.kommune_path(preview.inputs)]
        folder = project.period_folder(preview.inputs, preview.period)
        try:
            found += [folder / name for name in os.listdir(folder) if _classify_input(name)]
        except OSError:
            pass
        for top, dirs, names in os.walk(preview.templates):
            dirs[:] = [d for d in dirs if not d.startswith(".")]
            found += [Path(top, n) for n in names if not n.startswith(".") and not n.endswith("~")]
        return found

    def snapshot(self) -> dict[Path, tuple[Any, ...]]:
        """A signature per watched file that exists."""
        signatures = {}
        inputs, templates = self.preview.inputs, self.preview.templates
        for path in self.files():
            signature = _signature(path, None if path.is_relative_to(templates) else inputs)
            if signature is not None:
                signatures[path] = signature
        return signatures

    def poll(self) -> bool:
        """Compare with the last snapshot; update the preview if anything it shows changed."""
        current = self.snapshot()
        paths = {p for p in current.keys() | self.previous.keys()
                 if current.get(p) != self.previous.get(p)}
        self.previous = current
        changed = {name for name in map(self._affects, paths) if name is not None}
        if changed:
            shown = sorted(display_path(p) for p in paths)
            names, more = ", ".join(shown[:3]), len(shown) - 3
            self.preview.update(changed, _("changed {files} and {more} more").format(
                files=names, more=more) if more > 0 else _("changed {files}").format(files=names))
        return bool(changed)

    def _affects(self, path: Path) -> str | None:
        if path.parent == project.period_folder(self.preview.inputs, self.preview.period):
            return _classify_input(path.name)
        return EVERYTHING  # kommune.yaml or a template

    def _run(self) -> None:
        if self._notify is not None:
            try:
                self._wait_on_events(self._notify)
                return
            except Exception as exc:  # the system stopped giving events: poll instead
                self.preview.log(_("file events stopped ({reason}); looking for changes every"
                                   " {seconds} s instead").format(
                    reason=f"{type(exc).__name__}: {exc}", seconds=self.interval))
                self.mode = "polling"
            finally:
                self._notify.close()
        while not self._stop.wait(self.interval):
            self._look()

    def _look(self) -> None:
        try:
            self.poll()
        except Exception:  # a bug; the next change gets another chance
            self.preview.log(traceback.format_exc().rstrip())

    def _file_events(self) -> Any:
        """A watch on the inputs and templates folders (watchfiles' RustNotify: inotify on
        Linux), or None without watchfiles or when the system refuses (its limit reached)."""
        try:
            from watchfiles._rust_notify import RustNotify  # watchfiles' documented backend
        except ImportError:
            return None
        roots = [str(p) for p in (self.preview.inputs, self.preview.templates) if p.is_dir()]
        try:
            # paths, debug, force_polling, poll_delay_ms, recursive, ignore_permission_denied
            return RustNotify(roots, False, False, 0, True, True)
        except Exception as exc:
            self.preview.log(_("file events unavailable ({reason}); looking for changes every"
                               " {seconds} s instead").format(
                reason=f"{type(exc).__name__}: {exc}", seconds=self.interval))
            return None

    def _wait_on_events(self, notify: Any) -> None:
        """A look after each batch of events, and every SAFETY_SECONDS, until stopped."""
        self._look()  # what changed between the first snapshot and the watch's start
        while not self._stop.is_set():
            result = notify.watch(EVENT_DEBOUNCE_MS, EVENT_STEP_MS,
                                  int(SAFETY_SECONDS * 1000), self._stop)
            if result == "stop" or self._stop.is_set():
                return
            self._look()


def _classify_input(name: str) -> str | None:
    """What a file in the period folder feeds: an area code, RAPPORT, or nothing."""
    if name == project.REPORT_FILE:
        return RAPPORT
    return project.area_code_of(name)


def _signature(path: Path, root: Path | None) -> tuple[Any, ...] | None:
    """Size and content digest (size and mtime above HASH_LIMIT); None if nothing is there.
    What may not be read (a named pipe, a device, a link out of `root`: the inputs folder, for
    an input file) is never opened: its signature is the reason it is refused, and the update
    that a new signature causes shows the problem on the page."""
    try:
        stat = project.check_file(path, root=root)
        if stat.st_size > HASH_LIMIT:
            return (stat.st_size, stat.st_mtime_ns)
        data = project.read_file(path, limit=HASH_LIMIT, root=root)
        return (len(data), hashlib.blake2b(data, digest_size=16).digest())
    except ReportgenError as exc:
        return (exc.message,) if project.exists(path) else None
