"""`reportgen serve`, watch: re-validate and re-render what a change of the inputs or the
templates affects (the Watcher, watcher.py, says what changed).

Part of the serve command. It loads through the loading API (inputs.py); present, model and
render.html are imported where they are used, as the render command does, so the stages load
only once there is something to render.

An area file affects that area and the whole report; rapport.yaml the whole report;
kommune.yaml or any template everything. Each update re-validates and re-renders only that,
then bumps the version that the served pages' reload scripts wait on. The web site of the
whole report is made when one of its pages is asked for, not on every save.
"""

from __future__ import annotations

import sys
import threading
import traceback
from collections.abc import Callable
from dataclasses import replace
from pathlib import Path
from typing import Any, TypeVar

from reportgen import project
from reportgen.assess import ERRORS, MISSING, AreaCheck, Outputs, check_area, outputs, state
from reportgen.commands.serve.pages import Document, Site, State
from reportgen.errors import ReportgenError, ReportgenErrors, collect, format_problem
from reportgen.inputs import load_kommune, load_labels, load_report_settings, no_areas_error
from reportgen.messages import _
from reportgen.period import Period
from reportgen.project import DEFAULT_OUT, REPORT_NAME

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
                 log: Log = log_to_stderr, epoch: int | None = None,
                 out: Path = DEFAULT_OUT) -> None:
        self.period, self.inputs, self.templates, self.log = period, inputs, templates, log
        self.epoch = epoch  # SOURCE_DATE_EPOCH, as `render` dates the documents
        self.out = out  # where `render` writes: the index says what is up to date there
        self._reported: dict[tuple[str, str], list[str]] = {}  # what the terminal has been told
        self.state = State()
        self._changed = threading.Condition()
        self._stopping = False
        # Only the updating thread touches these:
        self._kommune: Any = None
        self._labels: dict[str, str] | None = None
        self._common: Problems = ()
        self._areas: dict[str, AreaCheck] = {}  # code -> the area's file, validated and linted
        self._report_input: Any = ()  # validated ReportInput, or a tuple of its problems
        self._whole: Any = None  # the whole report (model.Report) when it is valid
        self._search_lock = threading.Lock()
        self._search: tuple[int, dict[str, bytes]] = (-1, {})  # version -> its search bundle
        self._site_lock = threading.Lock()
        self._site: tuple[int, Site] = (-1, Site())  # version -> its site, once asked for
        self._site_source: tuple[int, Any, dict[str, str], Document | None] = (0, None, {}, None)
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
        whole = (self._whole, self._labels or {}, documents[REPORT_NAME])
        documents = self._with_states(documents)
        updated = [*touched, REPORT_NAME]
        with self._changed:
            self.state = State(
                self.state.version + 1, documents,
                self._kommune.name if self._kommune is not None else None, self._common,
            )
            self._site_source = (self.state.version, *whole)  # the site is made when asked for
            self._changed.notify_all()
        self._report(reason, updated, documents)

    def _with_states(self, documents: dict[str, Document]) -> dict[str, Document]:
        """Each area's state, as `reportgen status` gives it (its documents in --out
        included), and the register's areas that have no input yet."""
        if self._kommune is None:
            return documents
        try:
            built = outputs(self.inputs, self.period, self.templates, self.out, self.epoch)
        except ReportgenError:
            built = {}
        shown = dict(documents)
        for code, document in documents.items():
            if code in self._areas:
                check = self._areas[code]
                shown[code] = replace(document, state=state(check, built.get(code, Outputs())),
                                      warnings=tuple(check.warnings))
        for code, name in self._kommune.areas.items():
            if code not in shown:
                shown[code] = Document(code, f"{code} {name}", state=MISSING)
        return dict(sorted(shown.items()))

    def _load_common(self) -> None:
        """kommune.yaml and the labels of its language, or the problems with them."""
        kommune = _attempt(lambda: load_kommune(self.inputs))
        if isinstance(kommune, tuple):
            self._kommune, self._labels, self._common = None, None, kommune
            return
        labels = _attempt(lambda: load_labels(self.templates, kommune.language))
        self._kommune = kommune
        self._labels, self._common = (None, labels) if isinstance(labels, tuple) else (labels, ())

    def _validate_area(self, code: str) -> AreaCheck:
        """The area's file, validated and linted (an unregistered one is an error); with
        kommune.yaml broken, nothing (the page shows those problems instead)."""
        if self._kommune is None:
            return AreaCheck(project.period_folder(self.inputs, self.period), code=code)
        # load_area (through check_area) refuses `..` and links out of the inputs folder.
        return check_area(self.inputs, self.period, code, self._kommune)

    def _render_area(self, code: str) -> Document:
        from reportgen.present import build_area_document

        kommune, check = self._kommune, self._areas[code]
        name = kommune.areas.get(code) if kommune is not None else None
        if name:
            title = f"{code} {name}"
        else:
            title = code if kommune is None else code + " " + _("(not in the register)")
        if self._common or check.area is None:
            return Document(code, title, problems=self._common or tuple(check.errors),
                            state=ERRORS)
        area = check.area
        return self._render(code, title, lambda: build_area_document(
            area, kommune, self._labels, self.epoch))

    def _render_report(self, codes: list[str]) -> Document:
        from reportgen.model import Report
        from reportgen.present import AreaBlocks, build_report_document

        title = _("The whole report")
        self._whole = None
        if self._common:
            return Document(REPORT_NAME, title, problems=self._common)
        kommune = self._kommune
        included = [c for c in codes if c in kommune.areas]
        problems = [p for c in included for p in self._areas[c].errors]
        if isinstance(self._report_input, tuple):
            problems += self._report_input
        if not included:
            problems.append(no_areas_error(self.inputs, self.period))
        if problems:
            return Document(REPORT_NAME, title, problems=tuple(ReportgenErrors(problems).errors))
        report = Report(kommune, self.period, tuple(self._areas[c].area for c in included),
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

    def site(self, state: State) -> Site:
        """The web site of the whole report, made on the first request for it after an
        update (it takes longer than the report itself, and a save need not wait for it):
        that of `state`'s version, or of a newer one when an update came in between (its
        page then reloads once more)."""
        return self._site_of(state)[1]

    def _site_of(self, state: State) -> tuple[int, Site]:
        """The site and the version it was made for."""
        with self._site_lock:
            if self._site[0] < state.version:
                with self._changed:
                    version, report, labels, whole = self._site_source
                self._site = (version, self._render_site(report, labels, whole))
            return self._site

    def _render_site(self, report: Any, labels: dict[str, str], whole: Document | None) -> Site:
        """The site's pages and assets, as `render all --format site` makes them from the
        whole `report` (model.Report); the whole report's problems when it cannot be made."""
        from reportgen.languages import language
        from reportgen.present import build_site
        from reportgen.render.site import assets, render_pages

        if whole is None:
            return Site()
        if report is None or whole.html is None:
            return Site(problems=whole.problems, failure=whole.failure)

        def files() -> dict[str, bytes]:
            site = build_site(report, labels, self.epoch)
            pages = render_pages(site, self.templates)
            return {**{n: h.encode("utf-8") for n, h in pages.items()}, **assets(self.templates)}

        try:
            made = _attempt(files)
        except Exception as exc:  # a bug: keep serving, show it, keep the traceback
            self.log(traceback.format_exc().rstrip())
            return Site(failure=f"{type(exc).__name__}: {exc}")
        if isinstance(made, tuple):
            return Site(problems=made)
        lang = report.kommune.language
        return Site(made, language(lang).search or lang)

    def search_files(self) -> dict[str, bytes]:
        """The site's search index of the current version, made on the first request for it
        (Pagefind takes a few seconds); {} with the problem logged when it cannot be made."""
        from reportgen.project import SITE_SEARCH
        from reportgen.render.search import search_bundle

        with self._search_lock:
            version, site = self._site_of(self.snapshot())
            if self._search[0] != version and site.files is not None:
                pages = {n: d.decode("utf-8") for n, d in site.files.items()
                         if n.endswith(".html") and "/" not in n and n != SITE_SEARCH}
                bundle = _attempt(lambda: search_bundle(pages, site.language))
                for problem in bundle if isinstance(bundle, tuple) else ():
                    self.log("\n".join(format_problem(problem)))
                self._search = (version, {} if isinstance(bundle, tuple) else bundle)
            return self._search[1]

    def _report(self, reason: str | None, updated: list[str],
                documents: dict[str, Document]) -> None:
        """Tell the terminal what changed since the last save: the problems that are new
        (in full, as `reportgen check` prints them) and those that are fixed (their first
        line); not the whole list again."""
        if reason:
            self.log(_("{reason}: updated {documents}").format(reason=reason,
                                                               documents=", ".join(updated)))
        current: dict[tuple[str, str], list[str]] = {}
        for document in documents.values():
            for problem in [*document.problems, *document.warnings]:
                current.setdefault((str(problem.location), problem.message),
                                   format_problem(problem))
            if document.failure:
                current.setdefault((document.name, document.failure),
                                   [_("{document}: internal error: {failure}").format(
                                       document=document.name, failure=document.failure)])
        new = [lines for key, lines in current.items() if key not in self._reported]
        fixed = [lines for key, lines in self._reported.items() if key not in current]
        for lines in new:
            self.log("\n".join(lines))
        for lines in fixed:
            self.log(_("fixed: {problem}").format(problem=lines[0]))
        if new or fixed:
            self.log(_("{count} problem(s) left ({new} new, {fixed} fixed); the browser shows"
                       " them until they are fixed").format(count=len(current), new=len(new),
                                                            fixed=len(fixed)) if current
                     else _("no problems left"))
        self._reported = current
