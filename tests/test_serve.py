"""`reportgen serve`: the live preview, over real HTTP on the loopback.

Each test starts its own server on a free port in a temporary project and stops it at the
end. Waiting is bounded: an event stream read with a socket timeout, never an open sleep.
"""

from __future__ import annotations

import html
import http.client
import os
import re
import select
import shutil
import signal
import socket
import subprocess
import threading
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from helpers import INPUTS, MINIMAL_AREA, TEMPLATES, Project, reportgen_command
from readers import collapse

PERIOD = "2017-T1"
AREA_FILE = f"inputs/{PERIOD}/08.yaml"
TITLE = "Programområde 08 Kompetanse, markedsføring og næring"
SEED_SENTENCE = "Programområdet rapporterer forbruk i tråd med budsjett per april."
NEW_SENTENCE = "Programområdet rapporterer et mindreforbruk på 0,3 millioner kroner per april."
WAIT = 5.0  # seconds: the longest any single wait may take
VERSION = re.compile(r'EventSource\("/_events\?version=(\d+)"\)')


class Client:
    """Plain HTTP/1.1 requests to the server, one connection each."""

    def __init__(self, port: int) -> None:
        self.port = port

    def request(self, path: str, method: str = "GET",
                headers: dict[str, str] | None = None) -> tuple[int, Any, str]:
        conn = http.client.HTTPConnection("127.0.0.1", self.port, timeout=WAIT)
        try:
            conn.request(method, path, headers=headers or {})
            response = conn.getresponse()
            return response.status, response, response.read().decode("utf-8")
        finally:
            conn.close()

    def page(self, path: str) -> tuple[str, int]:
        """A page that must answer 200; its HTML and the version its reload script waits on."""
        status, response, body = self.request(path)
        assert status == 200, (path, status, body[:300])
        assert response.getheader("Content-Type") == "text/html; charset=utf-8"
        match = VERSION.search(body)
        assert match, f"{path}: no reload script"
        return body, int(match.group(1))

    def events(self, version: int) -> EventStream:
        return EventStream(self.port, version)


class EventStream:
    """An open /_events?version=N connection, as the browser's EventSource holds it."""

    def __init__(self, port: int, version: int) -> None:
        self.conn = http.client.HTTPConnection("127.0.0.1", port, timeout=WAIT)
        self.conn.request("GET", f"/_events?version={version}")
        self.response = self.conn.getresponse()
        assert self.response.status == 200
        assert self.response.getheader("Content-Type").startswith("text/event-stream")

    def next_version(self) -> int:
        """The version in the next `data:` line; at most WAIT seconds (then a timeout error)."""
        deadline = time.monotonic() + WAIT
        while time.monotonic() < deadline:
            line = self.response.readline().decode("utf-8")
            assert line, "the event stream closed"
            if line.startswith("data: "):
                return int(line[len("data: "):])
        raise AssertionError("no event within the time limit")

    def close(self) -> None:
        self.conn.close()


def body_text(page: str) -> str:
    """The visible text of a page: tags dropped, entities decoded, whitespace collapsed."""
    page = re.sub(r"<(script|style)\b.*?</\1>", " ", page, flags=re.S)
    return collapse(html.unescape(re.sub(r"<[^>]+>", " ", page)))


def save(path: Path, text: str) -> None:
    """Write as many editors save: a new file renamed over the old, so no poll sees half."""
    temporary = path.with_name(f".{path.name}.tmp")
    temporary.write_text(text, encoding="utf-8")
    os.replace(temporary, path)


def seed_project(project: Project) -> str:
    """The published section of area 08 and a minimal area 07; returns 08's text."""
    target = project.inputs / PERIOD / "08.yaml"
    target.parent.mkdir(parents=True, exist_ok=True)
    shutil.copyfile(INPUTS / PERIOD / "08.yaml", target)
    project.write_area("07", MINIMAL_AREA)
    return target.read_text(encoding="utf-8")


@pytest.fixture
def running(project: Project) -> Iterator[tuple[Client, Any, list[str], str]]:
    """A preview of the project on a free port: (client, server, terminal lines, 08's text)."""
    from reportgen.commands.serve import start
    from reportgen.period import Period

    text = seed_project(project)
    logged: list[str] = []
    server = start(Period.parse(PERIOD), Path("inputs"), Path("templates"), port=0,
                   log=logged.append)
    thread = threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.05},
                              daemon=True)
    thread.start()
    try:
        yield Client(server.port), server, logged, text
    finally:
        server.stop()
        thread.join(WAIT)
        assert not thread.is_alive(), "the server did not stop"


def test_pages_follow_the_inputs_and_show_errors_until_fixed(
        running: tuple[Client, Any, list[str], str], project: Project) -> None:
    client, server, logged, text = running

    index, version = client.page("/")
    assert '<html lang="en">' in index  # the server's own pages: the messages' language
    for link in ('href="/08"', 'href="/07"', 'href="/tertialrapport"'):
        assert link in index
    assert "08 Kompetanse, markedsføring og næring" in body_text(index)

    page, same = client.page("/08")
    assert same == version
    assert '<html lang="nb">' in page
    assert TITLE in body_text(page) and SEED_SENTENCE in body_text(page)
    assert "Strategisk næringsplan" in body_text(page)
    assert _without_nonce(client.page("/08.html")[0]) == _without_nonce(page)
    assert page.count("<script") == 1 and page.index("<script") < page.rindex("</body>")

    # An author saves a changed sentence: the open event stream announces a new version,
    # and by then /08 and the whole report already show the sentence.
    stream = client.events(version)
    try:
        changed = text.replace(SEED_SENTENCE, NEW_SENTENCE)
        assert changed != text
        save(project.root / AREA_FILE, changed)
        first = stream.next_version()
        assert first > version
        page, shown = client.page("/08")
        assert shown == first
        assert NEW_SENTENCE in body_text(page) and SEED_SENTENCE not in body_text(page)
        assert NEW_SENTENCE in body_text(client.page("/tertialrapport")[0])
        assert f"changed {AREA_FILE}: updated 08, tertialrapport" in logged

        # A tab breaks the YAML: /08 and the whole report show the problem with file:line:
        # column and the hint, in a page that reloads (in the messages' language, English
        # here); the server keeps running.
        broken = changed.replace("  fakta:", "\tfakta:")
        line = broken.splitlines().index(f"\tfakta: {NEW_SENTENCE}") + 1
        save(project.root / AREA_FILE, broken)
        second = stream.next_version()
        assert second > first
        for path in ("/08", "/tertialrapport"):
            page, shown = client.page(path)
            assert shown == second
            assert '<html lang="en">' in page
            shown_text = body_text(page)
            assert (f"{AREA_FILE}:{line}:1: error: a tab character: YAML allows only spaces"
                    " here") in shown_text
            assert "hint: replace the tab with spaces" in shown_text
            # The fix, as text to type, on its own line under the hint.
            assert "like this:\n      fakta: Programområdet rapporterer" in html.unescape(page)
        index = body_text(client.page("/")[0])
        assert "08 Kompetanse, markedsføring og næring – 1 error" in index
        assert "Kort ingress." in body_text(client.page("/07")[0])
        assert any(f"{AREA_FILE}:{line}:1: error: a tab character" in entry for entry in logged)
        # The terminal is told only what changed: the new problem, not the list again.
        changes = [i for i, e in enumerate(logged) if e.startswith(f"changed {AREA_FILE}")]
        assert len(changes) == 2 and logged[changes[0] + 1:changes[1]] == []
        assert [entry.split("\n")[0] for entry in logged[changes[1]:]] == [
            f"changed {AREA_FILE}: updated 08, tertialrapport",
            f"{AREA_FILE}:{line}:1: error: a tab character: YAML allows only spaces here",
            f"fixed: {AREA_FILE}:4:10: warning: ingress: a sentence of 35 words: «For å øke"
            " antall nye arbeidsplasser i Drammen …»",
            f"fixed: {AREA_FILE}:9:14: warning: økonomisk_status.vurdering: a sentence of 32"
            " words: «Det vurderes som viktig at programområdet har økonomisk …»",
            f"fixed: {AREA_FILE}:19:12: warning: andre_forhold.1.tekst: a sentence of 46 words:"
            " «Omdømmeprosjektet har vart i ti år, og forlenges …»",
            "1 problem(s) left (1 new, 3 fixed); the browser shows them until they are fixed",
        ]

        # Fixed: the document is back.
        save(project.root / AREA_FILE, changed)
        third = stream.next_version()
        assert third > second
        page, _ = client.page("/08")
        assert NEW_SENTENCE in body_text(page) and "error:" not in body_text(page)

        # kommune.yaml feeds every document: renaming the area renames its title.
        kommune = project.inputs / "kommune.yaml"
        save(kommune, kommune.read_text(encoding="utf-8").replace(
            "Kompetanse, markedsføring og næring", "Kompetanse og næring"))
        assert stream.next_version() > third
        assert "Programområde 08 Kompetanse og næring" in body_text(client.page("/08")[0])
        assert "Programområde 08 Kompetanse og næring" in body_text(
            client.page("/tertialrapport")[0])
    finally:
        stream.close()
    assert not (project.root / "build").exists()


def _without_nonce(page: str) -> str:
    return re.sub(r'<script nonce="[^"]+"', "<script", page)


def test_templates_feed_every_document(project: Project) -> None:
    """A change to the templates re-renders every area; a broken template is a problem page."""
    from reportgen.commands.serve import start
    from reportgen.period import Period

    templates = project.root / "templates"
    templates.unlink()  # a link to the project's own templates: use a copy to change
    shutil.copytree(TEMPLATES, templates, ignore=shutil.ignore_patterns("fonts", "docx"))
    seed_project(project)
    server = start(Period.parse(PERIOD), Path("inputs"), Path("templates"), port=0,
                   log=lambda line: None)
    thread = threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.05},
                              daemon=True)
    thread.start()
    client = Client(server.port)
    stream = client.events(client.page("/")[1])
    try:
        labels = templates / "labels.yaml"
        save(labels, labels.read_text(encoding="utf-8").replace(
            "economic_status: Økonomisk status", "economic_status: Økonomi per april"))
        stream.next_version()
        for path in ("/07", "/08", "/tertialrapport"):
            assert "Økonomi per april" in body_text(client.page(path)[0]), path

        document = templates / "html" / "document.html.j2"
        save(document, document.read_text(encoding="utf-8") + "{% if %}\n")
        stream.next_version()
        shown = body_text(client.page("/08")[0])
        assert "error: template syntax" in shown and "hint: fix the template" in shown
    finally:
        stream.close()
        server.stop()
        thread.join(WAIT)
    assert not thread.is_alive()


def test_only_documents_are_served(running: tuple[Client, Any, list[str], str]) -> None:
    client, server, _, _ = running
    for path in ("/../etc/passwd", "/%2e%2e/etc/passwd", "//etc/passwd", "/..%2f..%2fetc%2fpasswd",
                 "/inputs/kommune.yaml", f"/{AREA_FILE}", "/templates/html/document.html.j2",
                 "/09", "/7", "/08.pdf", "/08/", "/tertialrapport.docx", "/favicon.ico"):
        status, response, body = client.request(path)
        assert status == 404, path
        assert '<html lang="en">' in body and "Page not found" in body
        assert "kommune:" not in body and "root:" not in body
        assert "<script" not in body
    status, _, body = client.request("/../etc/passwd?<b>x</b>")
    assert status == 404 and "<b>" not in body

    status, response, body = client.request("/08", method="HEAD")
    assert status == 200 and body == "" and int(response.getheader("Content-Length")) > 1000
    status, response, _ = client.request("/08", method="POST")
    assert status == 405 and response.getheader("Allow") == "GET, HEAD"
    assert client.request("/_events?version=x")[0] == 400
    # A page that rebinds its own DNS name to 127.0.0.1 gets nothing.
    assert client.request("/08", headers={"Host": f"evil.example:{server.port}"})[0] == 403
    assert client.request("/08", headers={"Host": f"localhost:{server.port}"})[0] == 200


def test_binds_loopback_only(running: tuple[Client, Any, list[str], str]) -> None:
    client, server, _, _ = running
    assert server.server_address[0] == "127.0.0.1"
    with socket.socket() as other:  # 127.0.0.2 is loopback too, yet not the bound address
        other.settimeout(1)
        with pytest.raises(OSError):
            other.connect(("127.0.0.2", server.port))


def test_port_in_use_is_a_usage_error(project: Project) -> None:
    from reportgen.commands.serve import start
    from reportgen.errors import UsageError
    from reportgen.period import Period

    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        with pytest.raises(UsageError, match="cannot listen on 127.0.0.1") as caught:
            start(Period.parse(PERIOD), Path("inputs"), Path("templates"),
                  port=taken.getsockname()[1], log=lambda line: None)
    assert "--port 0" in (caught.value.hint or "")


def test_rendered_html_has_no_reload_script(project: Project, cli: Any) -> None:
    seed_project(project)
    result = cli("render", "08", PERIOD, "--inputs", "inputs", "--templates", "templates",
                 "--out", "out", "--format", "html", "--quiet")
    assert result.code == 0, result.err
    rendered = project.output("08.html").read_text(encoding="utf-8")
    assert "_events" not in rendered and "<script" not in rendered


def test_command_serves_until_interrupted(project: Project) -> None:
    seed_project(project)
    process = subprocess.Popen([*reportgen_command(), "serve", PERIOD, "--port", "0"],
                               cwd=project.root, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                               text=True)
    try:
        ready, _, _ = select.select([process.stdout], [], [], 3 * WAIT)
        assert ready, "the server did not start"
        first = process.stdout.readline()  # type: ignore[union-attr]
        match = re.fullmatch(r"Serving 2017-T1 on http://127\.0\.0\.1:(\d+)/ \(Ctrl-C to stop\)\n",
                             first)
        assert match, first
        port = int(match.group(1))
        assert port != 0
        page, _ = Client(port).page("/08")
        assert SEED_SENTENCE in body_text(page)
        process.send_signal(signal.SIGINT)
        out, err = process.communicate(timeout=WAIT)
    finally:
        if process.poll() is None:
            process.kill()
            process.communicate()
    assert process.returncode == 0, err
    assert out == "stopped\n", out
    assert not (project.root / "build").exists()

