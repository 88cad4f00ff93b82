"""`reportgen serve`, server: HTTP on 127.0.0.1, the Host check, the event stream, start/stop.

Part of the serve command; standard library only (http.server).
Only the index, the documents, the site (/nettsted/…, from memory) and /_events are
answered; no file is served by its path on disk.
"""

from __future__ import annotations

import re
import secrets
import socketserver
import sys
import threading
import traceback
import urllib.parse
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

from reportgen.commands.serve.pages import (
    EVENTS_PATH,
    SITE_PATH,
    State,
    bad_version_page,
    document_page,
    index_page,
    inject,
    method_page,
    not_found_page,
    not_in_preview_page,
    refused_page,
    reload_script,
    site_page,
)
from reportgen.commands.serve.watch import EVERYTHING, Log, Preview, log_to_stderr
from reportgen.commands.serve.watcher import Watcher
from reportgen.errors import UsageError
from reportgen.messages import _
from reportgen.period import Period
from reportgen.project import (
    DEFAULT_OUT,
    REPORT_NAME,
    SITE_DOCUMENTS,
    SITE_INDEX,
    SITE_SEARCH_INDEX,
)

HOST = "127.0.0.1"  # the only address the server binds
LOCAL_NAMES = {"127.0.0.1", "localhost"}  # the only Host headers it answers
PING_SECONDS = 15.0  # an event-stream comment keeps idle connections open
BACKLOG = 1024  # connections the system holds while every page thread is busy (capped by it)
PAGE_THREADS = 32  # connections read and answered at a time; the next wait in the backlog
STREAMS = 64  # event streams held open at a time, each in a thread of its own
STREAM_RETRY_MS = 5000  # when that many are open: the browser asks again after this long
DOCUMENT_PATH = re.compile(r"/(\d{2}|" + REPORT_NAME + r")(?:\.html)?")
INDEX_PATHS = ("/", "/index.html")
# The site's pages may run their own scripts (the search page: Pagefind, with WebAssembly) and
# send the search form to themselves; the documents' pages may run only the reload script.
PAGE_POLICY = "script-src {scripts}; object-src 'none'; base-uri 'none'; form-action 'none'; " \
              "frame-ancestors 'none'"
SITE_POLICY = "script-src 'self' 'wasm-unsafe-eval' {scripts}; object-src 'none'; " \
              "base-uri 'none'; form-action 'self'; frame-ancestors 'none'"
MEDIA_TYPES = {".html": "text/html; charset=utf-8", ".css": "text/css; charset=utf-8",
               ".js": "text/javascript; charset=utf-8", ".json": "application/json",
               ".woff2": "font/woff2", ".txt": "text/plain; charset=utf-8"}


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
        self._send(405, method_page(), head=False, headers={"Allow": "GET, HEAD"})

    do_POST = do_PUT = do_DELETE = do_PATCH = do_OPTIONS = do_TRACE = do_CONNECT = _refuse_method

    def log_message(self, format: str, *args: Any) -> None:  # noqa: A002
        pass  # one line per request would bury the problems the terminal shows

    def _answer(self, head: bool) -> None:
        if not _local_host(self.headers.get("Host")):
            self._send(403, refused_page(self.server.url), head)
            return
        url = urllib.parse.urlsplit(self.path)
        if url.path == EVENTS_PATH:
            self._events(url.query, head)
            return
        state = self.server.preview.snapshot()
        if url.path == SITE_PATH.rstrip("/"):
            self._start(301, "text/plain; charset=utf-8")
            self.send_header("Location", SITE_PATH)
            self.send_header("Content-Length", "0")
            self.end_headers()
            return
        if url.path.startswith(SITE_PATH):
            self._site(url.path[len(SITE_PATH):] or SITE_INDEX, state, head)
            return
        page = self._page_at(url.path, state)
        if page is None:
            self._send(404, not_found_page(url.path), head)
            return
        self._reloading(page, state, head)

    def _page_at(self, path: str, state: State) -> str | None:
        """The index or a document's page; None for any other path."""
        period = self.server.preview.period
        if path in INDEX_PATHS:
            return index_page(state, period)
        match = DOCUMENT_PATH.fullmatch(path)
        if match and match.group(1) in state.documents:
            return document_page(state.documents[match.group(1)], period)
        return None

    def _site(self, name: str, state: State, head: bool) -> None:
        """A file of the site, from memory: a page (with the reload script), an asset or the
        search index; the problems of the whole report while it cannot be made."""
        period, site = self.server.preview.period, self.server.preview.site(state)
        if site.files is None:
            self._reloading(site_page(site, period), state, head)
            return
        if name.startswith(f"{SITE_SEARCH_INDEX}/"):
            data = self.server.preview.search_files().get(name[len(SITE_SEARCH_INDEX) + 1:])
        else:
            data = site.files.get(name)
        if data is None:
            missing = SITE_PATH + name
            page = (not_in_preview_page(missing, period) if name.startswith(f"{SITE_DOCUMENTS}/")
                    else not_found_page(missing))
            self._send(404, page, head)
        elif name.endswith(".html"):
            self._reloading(data.decode("utf-8"), state, head, policy=SITE_POLICY)
        else:
            suffix = name[name.rfind("."):] if "." in name else ""
            self._start(200, MEDIA_TYPES.get(suffix, "application/octet-stream"))
            self.send_header("Content-Length", str(len(data)))
            self.end_headers()
            if not head:
                self.wfile.write(data)

    def _reloading(self, page: str, state: State, head: bool, policy: str = PAGE_POLICY) -> None:
        """A page with the script that reloads it when the version moves on."""
        nonce = secrets.token_urlsafe(16)
        self._send(200, inject(page, reload_script(state.version, nonce)), head, nonce=nonce,
                   policy=policy)

    def _start(self, status: int, content_type: str) -> None:
        """The status line and the headers every answer carries."""
        self.send_response(status)
        self.send_header("Content-Type", content_type)
        self.send_header("Cache-Control", "no-store")
        self.send_header("X-Content-Type-Options", "nosniff")

    def _send(self, status: int, page: str, head: bool, nonce: str | None = None,
              headers: dict[str, str] | None = None, policy: str = PAGE_POLICY) -> None:
        body = page.encode("utf-8")
        self._start(status, "text/html; charset=utf-8")
        self.send_header("Content-Length", str(len(body)))
        self.send_header("Referrer-Policy", "no-referrer")
        scripts = f"'nonce-{nonce}'" if nonce else "'none'"
        self.send_header("Content-Security-Policy", policy.format(scripts=scripts))
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
                self._send(400, bad_version_page(), head)
                return
        self._start(200, "text/event-stream; charset=utf-8")
        self.end_headers()
        self.close_connection = True
        if head:
            return
        if not self.server.become_stream():
            self._too_many_streams(seen)
            return
        try:
            self._stream(seen)
        finally:
            self.server.end_stream()

    def _too_many_streams(self, seen: int | None) -> None:
        """Every stream slot is taken: the version if the page's is old, then the browser is
        told to come back later, so a page that changed still reloads."""
        version = self.server.preview.snapshot().version
        data = f"data: {version}\n\n" if version != seen else ""
        self.wfile.write(f"retry: {STREAM_RETRY_MS}\n\n{data}".encode())

    def _stream(self, seen: int | None) -> None:
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
    """The HTTP server of the preview, bound to 127.0.0.1; `stop` ends it and its threads.

    A thread per connection, but at most PAGE_THREADS of them reading and answering requests:
    the accept loop waits for a free one, and new connections wait in the listen backlog
    (BACKLOG) meanwhile, instead of being refused. An event stream lives for as long as its
    page is open; once a request turns out to be one, its thread leaves the page threads'
    count for the streams' (at most STREAMS), so open pages never keep other pages waiting.
    """

    daemon_threads = True
    block_on_close = False  # event streams end on stop; idle connections time out on their own
    request_queue_size = BACKLOG

    def __init__(self, preview: Preview, port: int) -> None:
        super().__init__((HOST, port), _Handler)
        self.preview = preview
        self.watcher: Watcher | None = None
        self._serving = threading.Event()
        self._stopping = threading.Event()
        self._pages = threading.BoundedSemaphore(PAGE_THREADS)
        self._streams = threading.BoundedSemaphore(STREAMS)
        self._slot = threading.local()  # .page: this thread counts among the page threads

    def process_request(self, request: Any, client_address: Any) -> None:
        """Start the connection's thread once fewer than PAGE_THREADS are busy."""
        while not self._pages.acquire(timeout=0.25):
            if self._stopping.is_set():
                self.shutdown_request(request)
                return
        try:
            super().process_request(request, client_address)
        except Exception:  # the thread did not start (Ctrl-C may come after it started:
            self._pages.release()  # then the thread frees the place, and only it)
            raise

    def process_request_thread(self, request: Any, client_address: Any) -> None:
        """Answer one connection, then free its page thread's place (if it still holds it)."""
        self._slot.page = True
        try:
            super().process_request_thread(request, client_address)
        finally:
            if self._slot.page:
                self._pages.release()

    def become_stream(self) -> bool:
        """Move the calling thread from the page threads to the event streams; False, and
        no move, when STREAMS streams are open already."""
        if not self._streams.acquire(blocking=False):
            return False
        self._slot.page = False
        self._pages.release()
        return True

    def end_stream(self) -> None:
        """An event stream of the calling thread has ended."""
        self._streams.release()

    def server_bind(self) -> None:
        """Bind without the host-name lookup that HTTPServer's own would do."""
        socketserver.TCPServer.server_bind(self)
        self.server_name, self.server_port = HOST, self.server_address[1]

    @property
    def port(self) -> int:
        """The bound port (the free one chosen when asked for 0)."""
        return int(self.server_address[1])

    @property
    def url(self) -> str:
        """The preview's address, as printed and as the Host check expects."""
        return f"http://{HOST}:{self.port}/"

    def serve_forever(self, poll_interval: float = 0.25) -> None:
        """Answer requests until `stop`."""
        self._serving.set()
        super().serve_forever(poll_interval)

    def handle_error(self, request: Any, client_address: Any) -> None:
        """Log a request's internal error; a browser going away is no error."""
        if isinstance(sys.exc_info()[1], (ConnectionError, TimeoutError)):
            return  # the browser went away (a reload closes the event stream)
        self.preview.log(traceback.format_exc().rstrip())

    def stop(self) -> None:
        """End the event streams, the watcher and the server, and close the socket."""
        self._stopping.set()
        self.preview.stop()
        if self.watcher is not None:
            self.watcher.stop()
        if self._serving.is_set():
            self.shutdown()
        self.server_close()


def start(period: Period, inputs: Path, templates: Path, port: int = 8000,
          log: Log = log_to_stderr, epoch: int | None = None,
          out: Path = DEFAULT_OUT) -> PreviewServer:
    """Bind 127.0.0.1:port (0: a free port), render every document (dated by `epoch`, the
    SOURCE_DATE_EPOCH, when given), start watching.

    The caller runs `serve_forever` and, at the end, `stop`.
    """
    preview = Preview(period, inputs, templates, log, epoch, out)
    try:
        server = PreviewServer(preview, port)
    except OSError as exc:
        raise UsageError(
            _("cannot listen on {address}: {reason}").format(address=f"{HOST}:{port}",
                                                            reason=exc.strerror or exc),
            hint=_("another program (perhaps another `reportgen serve`) may use the port: choose"
                   " another with --port, or --port 0 for a free one"),
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
          say: Log = print, log: Log = log_to_stderr, epoch: int | None = None,
          out: Path = DEFAULT_OUT) -> None:
    """`reportgen serve`: run until Ctrl-C (or SIGTERM), then stop cleanly."""
    server = None
    try:
        server = start(period, inputs, templates, port, log, epoch, out)
        say(_("Serving {period} on {url} (Ctrl-C to stop)").format(period=period, url=server.url))
        server.serve_forever()
    except KeyboardInterrupt:
        pass
    finally:
        if server is not None:
            server.stop()
    say(_("stopped"))
