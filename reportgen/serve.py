"""`reportgen serve`: a live HTML preview of one period for report authors.

Standard library only (http.server). The server listens on 127.0.0.1 and nowhere else, and
answers only requests addressed to that host (or `localhost`), so neither other machines nor
a web page that points a DNS name at the loopback address can read the drafts. Every page is
rendered in memory by the same stages as `reportgen render` (present, then render_html);
nothing is written to build/, and no file is ever served from disk by its path.

A watcher thread polls the inputs and the templates. On a change it re-validates and
re-renders only the documents the change affects (an area file: that area and the whole
report; rapport.yaml: the whole report; kommune.yaml or a template: everything), then bumps
a version number. Served pages, and only they, carry a small script that listens on
`/_events?version=N` (Server-Sent Events) and reloads the page once the version moves on.
A problem in the inputs or templates becomes a page listing the problems; it never stops
the server, and the page turns back into the document when the file is fixed.
"""

from __future__ import annotations

import hashlib
import html
import os
import re
import secrets
import socketserver
import sys
import threading
import traceback
import urllib.parse
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any, Callable

from reportgen import sources
from reportgen.build import REPORT_NAME, load_kommune, load_labels
from reportgen.errors import InputError, ReportgenError, ReportgenErrors, SourceLocation, UsageError
from reportgen.period import AREA_CODE, Period

HOST = "127.0.0.1"  # the only address the server binds
LOCAL_NAMES = {"127.0.0.1", "localhost"}  # the only Host headers it answers
POLL_SECONDS = 0.3
PING_SECONDS = 15.0  # an event-stream comment keeps idle connections open
HASH_LIMIT = 256 * 1024  # files up to this size are compared by content, larger by size+mtime
EVERYTHING = "*"  # a change that affects every document (kommune.yaml, templates)
RAPPORT = "rapport"  # a change to inputs/<period>/rapport.yaml
DOCUMENT_PATH = re.compile(r"/(\d{2}|" + REPORT_NAME + r")(?:\.html)?")
INDEX_PATHS = ("/", "/index.html")
EVENTS_PATH = "/_events"

Log = Callable[[str], None]


def _stderr(line: str) -> None:
    print(line, file=sys.stderr, flush=True)


# --- what the server holds: one rendered page (or its problems) per document --------------

@dataclass(frozen=True)
class Document:
    """One document of the period: its HTML, or the problems that keep it from rendering."""

    name: str  # "08" or "tertialrapport"
    title: str  # as listed on the index page
    html: str | None = None
    problems: tuple[ReportgenError, ...] = ()
    failure: str | None = None  # an internal error (a bug), in one line


@dataclass(frozen=True)
class State:
    """Everything the request handlers read, replaced as a whole after each update."""

    version: int = 0
    documents: dict[str, Document] = field(default_factory=dict)
    kommune: str | None = None
    common: tuple[ReportgenError, ...] = ()  # problems with kommune.yaml or the labels


class Preview:
    """The rendered documents of one period, kept up to date by `update`."""

    def __init__(self, period: Period, inputs: Path, templates: Path, log: Log = _stderr) -> None:
        self.period, self.inputs, self.templates, self.log = period, inputs, templates, log
        self.state = State()
        self._changed = threading.Condition()
        self._stopping = False
        # Only the updating thread touches these:
        self._kommune: Any = None
        self._labels: dict[str, str] | None = None
        self._common: tuple[ReportgenError, ...] = ()
        self._areas: dict[str, Any] = {}  # code -> validated Area, or a tuple of its problems
        self._report_input: Any = ()  # validated ReportInput, or a tuple of its problems

    # -- reading (request threads) --

    def snapshot(self) -> State:
        with self._changed:
            return self.state

    def wait_for_change(self, seen: int | None, timeout: float) -> int | None:
        """The version once it differs from `seen` (or after `timeout`); None when stopping."""
        with self._changed:
            self._changed.wait_for(lambda: self._stopping or self.state.version != seen, timeout)
            return None if self._stopping else self.state.version

    def stop(self) -> None:
        with self._changed:
            self._stopping = True
            self._changed.notify_all()

    # -- updating (the watcher thread, and the start) --

    def update(self, changed: set[str], reason: str | None = None) -> None:
        """Re-validate and re-render what `changed` affects, then bump the version.

        `changed` holds area codes, RAPPORT, or EVERYTHING.
        """
        everything = EVERYTHING in changed
        if everything:
            self._load_common()
        codes = sources.area_codes_with_input(self.inputs, str(self.period))
        documents = {n: d for n, d in self.state.documents.items() if n in codes}
        self._areas = {c: a for c, a in self._areas.items() if c in codes}
        touched = [c for c in codes if everything or c in changed or c not in documents]
        for code in touched:
            self._areas[code] = self._validate_area(code)
            documents[code] = self._render_area(code)
        if everything or RAPPORT in changed:
            self._report_input = self._validate_rapport()
        documents[REPORT_NAME] = self._render_report(codes)
        updated = [*touched, REPORT_NAME]
        with self._changed:
            self.state = State(
                self.state.version + 1, documents,
                self._kommune.name if self._kommune is not None else None, self._common,
            )
            self._changed.notify_all()
        self._report(reason, updated, [documents[name] for name in updated])

    def _load_common(self) -> None:
        self._kommune, self._labels, problems = None, None, []
        try:
            self._kommune = load_kommune(self.inputs)
            self._labels = load_labels(self.templates, self._kommune.language)
        except ReportgenErrors as exc:
            problems += exc.errors
        except ReportgenError as exc:
            problems.append(exc)
        self._common = tuple(problems)

    def _validate_area(self, code: str) -> Any:
        from reportgen.build import load_area

        if self._kommune is None:
            return ()  # the page shows the problems with kommune.yaml instead
        if code not in self._kommune.areas:
            path = self.inputs / str(self.period) / f"{code}.yaml"
            return (InputError(
                f"area {code} has an input file but is not in the register",
                location=SourceLocation(sources.display_path(path)),
                hint="add it under `programområder:` in kommune.yaml, or remove the file",
            ),)
        try:
            return load_area(self.inputs, self.period, code, self._kommune)  # refuses `..`, links
        except ReportgenErrors as exc:
            return tuple(exc.errors)
        except ReportgenError as exc:
            return (exc,)

    def _validate_rapport(self) -> Any:
        from reportgen.build import load_report_settings

        try:
            return load_report_settings(self.inputs, self.period)
        except ReportgenErrors as exc:
            return tuple(exc.errors)
        except ReportgenError as exc:
            return (exc,)

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
        return self._render(code, title, lambda: build_area_document(area, kommune, self._labels))

    def _render_report(self, codes: list[str]) -> Document:
        from reportgen.model import Report
        from reportgen.present import build_report_document

        title = "Hele rapporten"
        if self._common:
            return Document(REPORT_NAME, title, problems=self._common)
        kommune = self._kommune
        included = [c for c in codes if c in kommune.areas]
        problems = [p for c in included if isinstance(self._areas[c], tuple)
                    for p in self._areas[c]]
        if isinstance(self._report_input, tuple):
            problems += self._report_input
        if not included:
            folder = self.inputs / str(self.period)
            problems.append(InputError(
                f"no area has an input file for {self.period}",
                location=SourceLocation(sources.display_path(folder)),
                hint=f"write inputs/{self.period}/<code>.yaml,"
                f" such as inputs/{self.period}/08.yaml",
            ))
        if problems:
            return Document(REPORT_NAME, title, problems=tuple(ReportgenErrors(problems).errors))
        report = Report(kommune, self.period, tuple(self._areas[c] for c in included),
                        self._report_input)
        return self._render(REPORT_NAME, title,
                            lambda: build_report_document(report, self._labels or {}))

    def _render(self, name: str, title: str, make_view: Callable[[], Any]) -> Document:
        from reportgen.render.html import render_html

        try:
            return Document(name, title, render_html(make_view(), self.templates))
        except ReportgenErrors as exc:
            return Document(name, title, problems=tuple(exc.errors))
        except ReportgenError as exc:
            return Document(name, title, problems=(exc,))
        except Exception as exc:  # a bug: keep serving, show it, keep the traceback
            self.log(traceback.format_exc().rstrip())
            return Document(name, title, failure=f"{type(exc).__name__}: {exc}")

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
                    self.log("\n".join(problem_lines(problem)))
            if document.failure:
                self.log(f"{document.name}: internal error: {document.failure}")
        if seen:
            self.log(f"{len(seen)} problem(s); the browser shows them until they are fixed")


def problem_lines(problem: ReportgenError) -> list[str]:
    """`path:line:column: error: message` and `  hint: …`, as the command line prints them."""
    where = f"{problem.location}: " if problem.location else ""
    lines = [f"{where}error: {problem.message}"]
    if problem.hint:
        lines.append(f"  hint: {problem.hint}")
    return lines


# --- watching the inputs and templates ---------------------------------------------------

class Watcher:
    """Polls the files every POLL_SECONDS and hands each change to Preview.update."""

    def __init__(self, preview: Preview, interval: float = POLL_SECONDS) -> None:
        self.preview, self.interval = preview, interval
        self.previous = self.snapshot()
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, name="reportgen-watcher", daemon=True)

    def start(self) -> None:
        self._thread.start()

    def stop(self) -> None:
        self._stop.set()
        if self._thread.is_alive():
            self._thread.join(timeout=10)

    def files(self) -> list[Path]:
        """kommune.yaml, the period's area files and rapport.yaml, every template file."""
        preview = self.preview
        found = [sources.kommune_path(preview.inputs)]
        folder = preview.inputs / str(preview.period)
        try:
            found += [folder / name for name in os.listdir(folder) if _classify_input(name)]
        except OSError:
            pass
        for top, dirs, names in os.walk(preview.templates):
            dirs[:] = [d for d in dirs if not d.startswith(".")]
            found += [Path(top, n) for n in names if not n.startswith(".") and not n.endswith("~")]
        return found

    def snapshot(self) -> dict[Path, tuple[Any, ...]]:
        signatures = {}
        for path in self.files():
            signature = _signature(path)
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
            shown = sorted(sources.display_path(p) for p in paths)
            more = f" and {len(shown) - 3} more" if len(shown) > 3 else ""
            self.preview.update(changed, f"changed {', '.join(shown[:3])}{more}")
        return bool(changed)

    def _affects(self, path: Path) -> str | None:
        if path.parent == self.preview.inputs / str(self.preview.period):
            return _classify_input(path.name)
        return EVERYTHING  # kommune.yaml or a template

    def _run(self) -> None:
        while not self._stop.wait(self.interval):
            try:
                self.poll()
            except Exception:  # a bug; the next change gets another chance
                self.preview.log(traceback.format_exc().rstrip())


def _classify_input(name: str) -> str | None:
    """What a file in the period folder feeds: an area code, RAPPORT, or nothing."""
    if name == "rapport.yaml":
        return RAPPORT
    if name.endswith(".yaml") and AREA_CODE.fullmatch(name[:-5]):
        return name[:-5]
    return None


def _signature(path: Path) -> tuple[Any, ...] | None:
    try:
        stat = path.stat()
        if stat.st_size > HASH_LIMIT:
            return (stat.st_size, stat.st_mtime_ns)
        return (stat.st_size, hashlib.blake2b(path.read_bytes(), digest_size=16).digest())
    except OSError:
        return None


# --- pages the server makes itself -------------------------------------------------------

STYLE = """
body { font: 1rem/1.5 system-ui, sans-serif; margin: 0 auto; max-width: 46rem;
       padding: 1rem; color: #1a1a1a; background: #fff; }
h1 { font-size: 1.6rem; line-height: 1.2; }
a { color: #0b4f8a; }
.problems { padding-left: 1.25rem; }
.problems li { margin: 0 0 1rem; padding: 0.5rem 0.75rem; border-left: 4px solid #b00020;
               background: #fdf2f3; }
.problems p { margin: 0; overflow-wrap: anywhere; }
.problems .error { font-family: ui-monospace, monospace; }
.hint { color: #333; }
.bad { color: #b00020; font-weight: bold; }
"""


def _page(title: str, body: str) -> str:
    """One of the server's own pages (index, problems, not found): bokmål, escaped by callers."""
    return (
        '<!DOCTYPE html>\n<html lang="nb">\n<head>\n<meta charset="utf-8">\n'
        '<meta name="viewport" content="width=device-width, initial-scale=1">\n'
        f"<title>{html.escape(title)}</title>\n<style>{STYLE}</style>\n</head>\n"
        f"<body>\n<main>\n{body}</main>\n</body>\n</html>\n"
    )


def _escape(text: object) -> str:
    return html.escape(str(text), quote=True)


def problems_html(problems: tuple[ReportgenError, ...]) -> str:
    """The problems as a list; the messages are in English, as on the command line."""
    items = []
    for problem in problems:
        where = f"{problem.location}: " if problem.location else ""
        item = f'<li><p class="error">{_escape(where)}error: {_escape(problem.message)}</p>'
        if problem.hint:
            item += f'<p class="hint">hint: {_escape(problem.hint)}</p>'
        items.append(item + "</li>\n")
    return f'<ol class="problems" lang="en">\n{"".join(items)}</ol>\n'


def problem_page(document: Document, period: Period) -> str:
    count = len(document.problems)
    body = (
        f"<h1>{_escape(document.title)} kan ikke vises</h1>\n"
        f"<p>{count} feil må rettes før siden kan vises. Lagre filen når feilen er rettet, "
        "så lastes siden inn på nytt av seg selv.</p>\n"
        f"{problems_html(document.problems)}"
        '<p><a href="/">Til oversikten</a></p>\n'
    )
    return _page(f"Feil – {document.title} – {period.label}", body)


def failure_page(document: Document, period: Period) -> str:
    body = (
        "<h1>Intern feil i reportgen</h1>\n"
        f"<p>{_escape(document.title)} kunne ikke vises på grunn av en feil i reportgen, ikke i "
        "filene dine. Meld gjerne fra om feilen, med meldingen som står i terminalen.</p>\n"
        f'<pre lang="en">{_escape(document.failure)}</pre>\n'
        '<p><a href="/">Til oversikten</a></p>\n'
    )
    return _page(f"Intern feil – {document.title} – {period.label}", body)


def index_page(state: State, period: Period) -> str:
    def entry(document: Document) -> str:
        link = f'<a href="/{_escape(document.name)}">{_escape(document.title)}</a>'
        count = len(document.problems) + (1 if document.failure else 0)
        flag = f' – <span class="bad">{count} feil</span>' if count else ""
        return f"<li>{link}{flag}</li>\n"

    documents = state.documents
    areas = [d for name, d in sorted(documents.items()) if name != REPORT_NAME]
    kommune = f"{_escape(state.kommune)}. " if state.kommune else ""
    body = (
        f"<h1>Forhåndsvisning av {_escape(period.label)}</h1>\n"
        f"<p>{kommune}Sidene lastes inn på nytt av seg selv når du lagrer endringer i "
        "inndata eller maler. Ingenting skrives til build/.</p>\n"
    )
    if state.common:
        body += f"<h2>Feil i kommune.yaml eller malene</h2>\n{problems_html(state.common)}"
    if REPORT_NAME in documents:
        body += f"<ul>\n{entry(documents[REPORT_NAME])}</ul>\n"
    body += "<h2>Programområder</h2>\n"
    if areas:
        body += f"<ul>\n{''.join(entry(d) for d in areas)}</ul>\n"
    else:
        body += f"<p>Ingen programområder har inndata for {_escape(period)} ennå.</p>\n"
    return _page(f"Forhåndsvisning – {period.label}", body)


def not_found_page(path: str) -> str:
    return _page("Fant ikke siden", (
        "<h1>Fant ikke siden</h1>\n"
        f"<p>Adressen <code>{_escape(path)}</code> finnes ikke i forhåndsvisningen.</p>\n"
        '<p><a href="/">Til oversikten</a></p>\n'
    ))


def reload_script(version: int, nonce: str) -> str:
    """Listens for a new version and reloads the page; added to served pages only."""
    return (
        f'<script nonce="{nonce}">\n'
        "(function () {\n"
        '  if (!("EventSource" in window)) return;\n'
        f'  var events = new EventSource("{EVENTS_PATH}?version={version}");\n'
        "  events.onmessage = function (event) {\n"
        f'    if (event.data !== "{version}") {{ events.close(); location.reload(); }}\n'
        "  };\n"
        "}());\n"
        "</script>\n"
    )


def inject(page: str, script: str) -> str:
    """The page with `script` just before its last </body> (at the end if it has none)."""
    at = page.lower().rfind("</body>")
    return page + script if at < 0 else page[:at] + script + page[at:]


# --- HTTP ---------------------------------------------------------------------------------

class _Handler(BaseHTTPRequestHandler):
    server: PreviewServer
    server_version = "reportgen-serve"
    sys_version = ""
    timeout = 30  # an idle connection (a browser's spare one) is dropped after this

    def version_string(self) -> str:
        return self.server_version

    def do_GET(self) -> None:  # noqa: N802 (http.server's naming)
        self._answer(head=False)

    def do_HEAD(self) -> None:  # noqa: N802
        self._answer(head=True)

    def _refuse_method(self) -> None:
        self._send(405, _page("Metoden er ikke tillatt",
                              "<h1>Bare GET og HEAD er tillatt</h1>\n"),
                   head=False, headers={"Allow": "GET, HEAD"})

    do_POST = do_PUT = do_DELETE = do_PATCH = do_OPTIONS = do_TRACE = do_CONNECT = _refuse_method

    def log_message(self, format: str, *args: Any) -> None:  # noqa: A002
        pass  # one line per request would bury the problems the terminal shows

    def _answer(self, head: bool) -> None:
        if not _local_host(self.headers.get("Host")):
            self._send(403, _page("Ikke tillatt", (
                f"<h1>Ikke tillatt</h1>\n<p>Forhåndsvisningen svarer bare på adressen "
                f"<code>{_escape(self.server.url)}</code>.</p>\n")), head)
            return
        url = urllib.parse.urlsplit(self.path)
        if url.path == EVENTS_PATH:
            self._events(url.query, head)
            return
        preview, state = self.server.preview, self.server.preview.snapshot()
        match = DOCUMENT_PATH.fullmatch(url.path)
        if url.path in INDEX_PATHS:
            page = index_page(state, preview.period)
        elif match and match.group(1) in state.documents:
            document = state.documents[match.group(1)]
            if document.html is not None:
                page = document.html
            elif document.failure:
                page = failure_page(document, preview.period)
            else:
                page = problem_page(document, preview.period)
        else:
            self._send(404, not_found_page(url.path), head)
            return
        nonce = secrets.token_urlsafe(16)
        self._send(200, inject(page, reload_script(state.version, nonce)), head, nonce=nonce)

    def _send(self, status: int, page: str, head: bool, nonce: str | None = None,
              headers: dict[str, str] | None = None) -> None:
        body = page.encode("utf-8")
        self.send_response(status)
        self.send_header("Content-Type", "text/html; charset=utf-8")
        self.send_header("Content-Length", str(len(body)))
        self.send_header("Cache-Control", "no-store")
        self.send_header("X-Content-Type-Options", "nosniff")
        self.send_header("Referrer-Policy", "no-referrer")
        scripts = f"'nonce-{nonce}'" if nonce else "'none'"
        self.send_header("Content-Security-Policy", f"script-src {scripts}; object-src 'none'; "
                         "base-uri 'none'; form-action 'none'; frame-ancestors 'none'")
        for name, value in (headers or {}).items():
            self.send_header(name, value)
        self.end_headers()
        if not head:
            self.wfile.write(body)

    def _events(self, query: str, head: bool) -> None:
        """Server-Sent Events: `data: <version>` now if the page's version is old, then on
        every change; a comment every PING_SECONDS keeps the connection open."""
        values = urllib.parse.parse_qs(query).get("version")
        seen: int | None = None
        if values:
            try:
                seen = int(values[0])
            except ValueError:
                self._send(400, _page("Ugyldig forespørsel",
                                      "<h1>version må være et heltall</h1>\n"), head)
                return
        self.send_response(200)
        self.send_header("Content-Type", "text/event-stream; charset=utf-8")
        self.send_header("Cache-Control", "no-store")
        self.send_header("X-Content-Type-Options", "nosniff")
        self.end_headers()
        self.close_connection = True
        if head:
            return
        self.wfile.write(b"retry: 1000\n\n")
        preview = self.server.preview
        while True:
            version = preview.wait_for_change(seen, PING_SECONDS)
            if version is None:
                return  # the server is stopping
            self.wfile.write(f"data: {version}\n\n".encode() if version != seen else b": ping\n\n")
            self.wfile.flush()
            seen = version


def _local_host(header: str | None) -> bool:
    """True for a Host header naming this computer's loopback (any port), or none at all."""
    if header is None:
        return True
    name = header.strip().lower()
    if not name.startswith("["):
        name = name.rsplit(":", 1)[0]
    return name in LOCAL_NAMES


class PreviewServer(ThreadingHTTPServer):
    """The HTTP server of the preview, bound to 127.0.0.1; `stop` ends it and its threads."""

    daemon_threads = True
    block_on_close = False  # event streams end on stop; idle connections time out on their own

    def __init__(self, preview: Preview, port: int) -> None:
        super().__init__((HOST, port), _Handler)
        self.preview = preview
        self.watcher: Watcher | None = None
        self._serving = threading.Event()

    def server_bind(self) -> None:
        socketserver.TCPServer.server_bind(self)  # HTTPServer's own would look up a host name
        self.server_name, self.server_port = HOST, self.server_address[1]

    @property
    def port(self) -> int:
        return int(self.server_address[1])

    @property
    def url(self) -> str:
        return f"http://{HOST}:{self.port}/"

    def serve_forever(self, poll_interval: float = 0.25) -> None:
        self._serving.set()
        super().serve_forever(poll_interval)

    def handle_error(self, request: Any, client_address: Any) -> None:
        if isinstance(sys.exc_info()[1], (ConnectionError, TimeoutError)):
            return  # the browser went away (a reload closes the event stream)
        self.preview.log(traceback.format_exc().rstrip())

    def stop(self) -> None:
        self.preview.stop()
        if self.watcher is not None:
            self.watcher.stop()
        if self._serving.is_set():
            self.shutdown()
        self.server_close()


def start(period: Period, inputs: Path, templates: Path, port: int = 8000,
          log: Log = _stderr) -> PreviewServer:
    """Bind 127.0.0.1:port (0: a free port), render every document, start watching.

    The caller runs `serve_forever` and, at the end, `stop`.
    """
    preview = Preview(period, inputs, templates, log)
    try:
        server = PreviewServer(preview, port)
    except OSError as exc:
        raise UsageError(
            f"cannot listen on {HOST}:{port}: {exc.strerror or exc}",
            hint="another program (perhaps another `reportgen serve`) may use the port: choose"
            " another with --port, or --port 0 for a free one",
        ) from exc
    try:
        watcher = Watcher(preview)  # its first look comes before the first render: no gap
        preview.update({EVERYTHING})
        watcher.start()
        server.watcher = watcher
    except BaseException:
        server.server_close()
        raise
    return server


def serve(period: Period, inputs: Path, templates: Path, port: int = 8000,
          say: Log = print, log: Log = _stderr) -> None:
    """`reportgen serve`: run until Ctrl-C (or SIGTERM), then stop cleanly."""
    server = None
    try:
        server = start(period, inputs, templates, port, log)
        say(f"Serving {period} on {server.url} (Ctrl-C to stop)")
        server.serve_forever()
    except KeyboardInterrupt:
        pass
    finally:
        if server is not None:
            server.stop()
    say("stopped")
