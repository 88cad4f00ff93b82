"""`reportgen serve`, watch: watch the inputs and templates, re-render what a change affects.

Part of the serve command. It loads through the loading API (inputs.py); present, model and
render.html are imported where they are used, as the render command does, so the stages load
only once there is something to render.

An area file affects that area and the whole report; rapport.yaml the whole report;
kommune.yaml or any template everything. Each update re-validates and re-renders only that,
then bumps the version that the served pages' reload scripts wait on.
"""

from __future__ import annotations

import hashlib
import os
import sys
import threading
import traceback
from collections.abc import Callable
from pathlib import Path
from typing import Any, TypeVar

from reportgen import project
from reportgen.commands.serve.pages import Document, Site, State
from reportgen.errors import ReportgenError, ReportgenErrors, collect, format_problem
from reportgen.inputs import (
    load_area,
    load_kommune,
    load_labels,
    load_report_settings,
    no_areas_error,
    unregistered_area_error,
)
from reportgen.period import Period
from reportgen.project import REPORT_NAME, display_path

POLL_SECONDS = 0.3  # the polling fallback's interval
EVENT_STEP_MS = 15  # a batch of file events ends once none came for this long
EVENT_DEBOUNCE_MS = 200  # ... or once it has lasted this long
SAFETY_SECONDS = 2.0  # with file events: a look this often even without any
HASH_LIMIT = 256 * 1024  # files up to this size are compared by content, larger by size+mtime
EVERYTHING = "*"  # a change that affects every document (kommune.yaml, templates)
RAPPORT = "rapport"  # a change to inputs/<period>/rapport.yaml

Log = Callable[[str], None]
Problems = tuple[ReportgenError, ...]
T = TypeVar("T")


def log_to_stderr(line: str) -> None:
    """The default log: one line on stderr, at once."""
    sys.stderr.write(line + "\n")
    sys.stderr.flush()


def _attempt(load: Callable[[], T]) -> T | Problems:
    """What `load` returns, or the problems it raised (each of a ReportgenErrors)."""
    problems: list[ReportgenError] = []
    result = collect(problems, load)
    return tuple(problems) if problems else result  # type: ignore[return-value]


class Preview:
    """The rendered documents of one period, kept up to date by `update`."""

    def __init__(self, period: Period, inputs: Path, templates: Path,
                 log: Log = log_to_stderr, epoch: int | None = None) -> None:
        self.period, self.inputs, self.templates, self.log = period, inputs, templates, log
        self.epoch = epoch  # SOURCE_DATE_EPOCH, as `render` dates the documents
        self.state = State()
        self._changed = threading.Condition()
        self._stopping = False
        # Only the updating thread touches these:
        self._kommune: Any = None
        self._labels: dict[str, str] | None = None
        self._common: Problems = ()
        self._areas: dict[str, Any] = {}  # code -> validated Area, or a tuple of its problems
        self._report_input: Any = ()  # validated ReportInput, or a tuple of its problems
        self._whole: Any = None  # the whole report (model.Report) when it is valid
        self._search_lock = threading.Lock()
        self._search: tuple[int, dict[str, bytes]] = (-1, {})  # version -> its search bundle
        self._area_blocks: Any = None  # present.AreaBlocks: unchanged areas not presented again

    # Reading: the request threads.

    def snapshot(self) -> State:
        """The current state, whole."""
        with self._changed:
            return self.state

    def wait_for_change(self, seen: int | None, timeout: float) -> int | None:
        """The version once it differs from `seen` (or after `timeout`); None when stopping."""
        with self._changed:
            self._changed.wait_for(lambda: self._stopping or self.state.version != seen, timeout)
            return None if self._stopping else self.state.version

    def stop(self) -> None:
        """Wake every waiting event stream and let it end."""
        with self._changed:
            self._stopping = True
            self._changed.notify_all()

    # Updating: the watcher thread, and the start.

    def update(self, changed: set[str], reason: str | None = None) -> None:
        """Re-validate and re-render what `changed` affects, then bump the version.

        `changed` holds area codes, RAPPORT, or EVERYTHING.
        """
        everything = EVERYTHING in changed
        if everything:
            self._load_common()
        codes = project.area_codes_with_input(self.inputs, self.period)
        documents = {n: d for n, d in self.state.documents.items() if n in codes}
        self._areas = {c: a for c, a in self._areas.items() if c in codes}
        touched = [c for c in codes if everything or c in changed or c not in documents]
        for code in touched:
            self._areas[code] = self._validate_area(code)
            documents[code] = self._render_area(code)
        if everything or RAPPORT in changed:
            self._report_input = _attempt(lambda: load_report_settings(self.inputs, self.period))
        documents[REPORT_NAME] = self._render_report(codes)
        site = self._render_site(documents[REPORT_NAME])
        updated = [*touched, REPORT_NAME]
        with self._changed:
            self.state = State(
                self.state.version + 1, documents,
                self._kommune.name if self._kommune is not None else None, self._common, site,
            )
            self._changed.notify_all()
        self._report(reason, updated, [documents[name] for name in updated])

    def _load_common(self) -> None:
        """kommune.yaml and the labels of its language, or the problems with them."""
        kommune = _attempt(lambda: load_kommune(self.inputs))
        if isinstance(kommune, tuple):
            self._kommune, self._labels, self._common = None, None, kommune
            return
        labels = _attempt(lambda: load_labels(self.templates, kommune.language))
        self._kommune = kommune
        self._labels, self._common = (None, labels) if isinstance(labels, tuple) else (labels, ())

    def _validate_area(self, code: str) -> Any:
        """The validated area, or a tuple of its problems."""
        if self._kommune is None:
            return ()  # the page shows the problems with kommune.yaml instead
        if code not in self._kommune.areas:
            return (unregistered_area_error(self.inputs, self.period, code),)
        # load_area refuses `..` and links out of the inputs folder.
        return _attempt(lambda: load_area(self.inputs, self.period, code, self._kommune))

    def _render_area(self, code: str) -> Document:
        from reportgen.present import build_area_document

        kommune, area = self._kommune, self._areas[code]
        name = kommune.areas.get(code) if kommune is not None else None
        if name:
            title = f"{code} {name}"
        else:
            title = code if kommune is None else f"{code} (ikke i registeret)"
        if self._common or isinstance(area, tuple):
            return Document(code, title, problems=self._common or area)
        return self._render(code, title, lambda: build_area_document(
            area, kommune, self._labels, self.epoch))

    def _render_report(self, codes: list[str]) -> Document:
        from reportgen.model import Report
        from reportgen.present import AreaBlocks, build_report_document

        title = "Hele rapporten"
        self._whole = None
        if self._common:
            return Document(REPORT_NAME, title, problems=self._common)
        kommune = self._kommune
        included = [c for c in codes if c in kommune.areas]
        problems = [p for c in included if isinstance(self._areas[c], tuple)
                    for p in self._areas[c]]
        if isinstance(self._report_input, tuple):
            problems += self._report_input
        if not included:
            problems.append(no_areas_error(self.inputs, self.period))
        if problems:
            return Document(REPORT_NAME, title, problems=tuple(ReportgenErrors(problems).errors))
        report = Report(kommune, self.period, tuple(self._areas[c] for c in included),
                        self._report_input)
        self._whole = report
        if self._area_blocks is None:
            self._area_blocks = AreaBlocks()
        labels, cache = self._labels or {}, self._area_blocks
        return self._render(REPORT_NAME, title,
                            lambda: build_report_document(report, labels, self.epoch, cache))

    def _render(self, name: str, title: str, make_view: Callable[[], Any]) -> Document:
        from reportgen.render.html import render_html

        try:
            page = _attempt(lambda: render_html(make_view(), self.templates))
        except Exception as exc:  # a bug: keep serving, show it, keep the traceback
            self.log(traceback.format_exc().rstrip())
            return Document(name, title, failure=f"{type(exc).__name__}: {exc}")
        if isinstance(page, tuple):
            return Document(name, title, problems=page)
        return Document(name, title, page)

    def _render_site(self, whole: Document) -> Site:
        """The site's pages and assets, as `render all --format site` makes them; the whole
        report's problems when it cannot be made."""
        from reportgen.languages import language
        from reportgen.present import build_site
        from reportgen.render.site import assets, render_pages

        if self._whole is None or whole.html is None:
            return Site(problems=whole.problems, failure=whole.failure)

        def files() -> dict[str, bytes]:
            site = build_site(self._whole, self._labels or {}, self.epoch)
            pages = render_pages(site, self.templates)
            return {**{n: h.encode("utf-8") for n, h in pages.items()}, **assets(self.templates)}

        try:
            made = _attempt(files)
        except Exception as exc:  # a bug: keep serving, show it, keep the traceback
            self.log(traceback.format_exc().rstrip())
            return Site(failure=f"{type(exc).__name__}: {exc}")
        if isinstance(made, tuple):
            return Site(problems=made)
        lang = self._whole.kommune.language
        return Site(made, language(lang).search or lang)

    def search_files(self) -> dict[str, bytes]:
        """The site's search index of the current version, made on the first request for it
        (Pagefind takes a few seconds); {} with the problem logged when it cannot be made."""
        from reportgen.project import SITE_SEARCH
        from reportgen.render.search import search_bundle

        with self._search_lock:
            state = self.snapshot()
            if self._search[0] != state.version and state.site.files is not None:
                pages = {n: d.decode("utf-8") for n, d in state.site.files.items()
                         if n.endswith(".html") and "/" not in n and n != SITE_SEARCH}
                bundle = _attempt(lambda: search_bundle(pages, state.site.language))
                for problem in bundle if isinstance(bundle, tuple) else ():
                    self.log("\n".join(format_problem(problem)))
                self._search = (state.version, {} if isinstance(bundle, tuple) else bundle)
            return self._search[1]

    def _report(self, reason: str | None, updated: list[str], documents: list[Document]) -> None:
        """Tell the terminal what changed and every distinct problem, as `reportgen check` does."""
        if reason:
            self.log(f"{reason}: updated {', '.join(updated)}")
        seen: set[tuple[str, str]] = set()
        for document in documents:
            for problem in document.problems:
                key = (str(problem.location), problem.message)
                if key not in seen:
                    seen.add(key)
                    self.log("\n".join(format_problem(problem)))
            if document.failure:
                self.log(f"{document.name}: internal error: {document.failure}")
        if seen:
            self.log(f"{len(seen)} problem(s); the browser shows them until they are fixed")


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
            more = f" and {len(shown) - 3} more" if len(shown) > 3 else ""
            self.preview.update(changed, f"changed {', '.join(shown[:3])}{more}")
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
                self.preview.log(f"file events stopped ({type(exc).__name__}: {exc}); "
                                 f"looking for changes every {self.interval} s instead")
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
            self.preview.log(f"file events unavailable ({type(exc).__name__}: {exc}); "
                             f"looking for changes every {self.interval} s instead")
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
