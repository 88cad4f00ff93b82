"""`reportgen serve`: a live HTML preview of one period for report authors.

It loads inputs with the loading API (inputs.py) and renders with the same stages as
`reportgen render` (present, then render_html), all in memory; nothing is
written to build/, and no file is ever served from disk by its path. Standard library only
(http.server). The server listens on 127.0.0.1 and nowhere else, and answers only requests
addressed to that host (or `localhost`), so neither other machines nor a web page that points
a DNS name at the loopback address can read the drafts.

A watcher thread waits on file events from the system (watchfiles; polling without it) on
the inputs and the templates. On a change it re-validates and
re-renders only the documents the change affects, then bumps a version number. Served pages,
and only they, carry a small script that listens on `/_events?version=N` (Server-Sent Events)
and reloads the page once the version moves on. A problem in the inputs or templates becomes
a page listing the problems; it never stops the server, and the page turns back into the
document when the file is fixed.

Modules, in layers (a module imports only those above it; the contract in pyproject.toml):
  pages.py   the documents held in memory (Document, State) and the server's own pages
  watch.py   Preview (validate and render what a change affects)
  watcher.py Watcher (file events, or polling: what changed)
  server.py  the HTTP handler and server, the Host check, the event stream, start and serve
This module is the public API: cli.py and the tests import from here.
"""

from __future__ import annotations

from reportgen.commands.serve.pages import (
    EVENTS_PATH,
    STYLE,
    Document,
    State,
    document_page,
    failure_page,
    index_page,
    inject,
    not_found_page,
    problem_page,
    problems_html,
    reload_script,
)
from reportgen.commands.serve.server import (
    DOCUMENT_PATH,
    HOST,
    INDEX_PATHS,
    LOCAL_NAMES,
    PING_SECONDS,
    PreviewServer,
    serve,
    start,
)
from reportgen.commands.serve.watch import EVERYTHING, RAPPORT, Log, Preview
from reportgen.commands.serve.watcher import HASH_LIMIT, POLL_SECONDS, Watcher

__all__ = [
    "DOCUMENT_PATH", "EVENTS_PATH", "EVERYTHING", "HASH_LIMIT", "HOST", "INDEX_PATHS",
    "LOCAL_NAMES", "PING_SECONDS", "POLL_SECONDS", "RAPPORT", "STYLE", "Document", "Log",
    "Preview", "PreviewServer", "State", "Watcher", "document_page", "failure_page",
    "index_page", "inject", "not_found_page", "problem_page", "problems_html",
    "reload_script", "serve", "start",
]
