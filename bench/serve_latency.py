"""Latency of `reportgen serve`: from saving an area's YAML to the refreshed page.

Starts `reportgen serve PERIOD --port P` as its own process in a scratch copy of inputs/ and
templates/, then, `saves` times for each page (the area's and the whole report's, taken in
turn): reads the page and the version its reload script waits on, opens the event stream
at that version as the browser's EventSource does, saves the area's file as editors do (a
new file renamed over the old), and times, from just before the rename,

- event: the `data: <new version>` line on the event stream, and
- page: the page fetched again after the event, with its new version and changed content,

which is what the browser does before it shows the page. Standard library only.

bench/run.py calls `measure` on its snapshot; run alone, this file measures the reportgen
that PYTHONPATH points at, on this checkout's inputs/ and templates/:

    PYTHONPATH=. .venv/bin/python bench/serve_latency.py [--saves 20]
"""

from __future__ import annotations

import argparse
import http.client
import os
import re
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

VERSION = re.compile(r'EventSource\("/_events\?version=(\d+)"\)')
WAIT = 30.0  # seconds: a single wait longer than this is a failure, not a slow figure
PAUSE = 0.25  # seconds between saves, as between an author's saves (and a settled server)
REPORT_PAGE = "/tertialrapport"
CHANGE = ("april", "mai")  # a word of the area's text, and what a save makes of it


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _get(port: int, path: str) -> tuple[str, int]:
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=WAIT)
    try:
        conn.request("GET", path)
        body = conn.getresponse().read().decode("utf-8")
    finally:
        conn.close()
    match = VERSION.search(body)
    if not match:
        raise RuntimeError(f"serve: {path} has no reload script:\n{body[:500]}")
    return body, int(match.group(1))


def _wait_for_event(stream: http.client.HTTPResponse, seen: int) -> int:
    while True:
        line = stream.readline().decode("utf-8")
        if not line:
            raise RuntimeError("serve: the event stream closed")
        if line.startswith("data: ") and int(line[6:]) != seen:
            return int(line[6:])


def _save(path: Path, text: str) -> None:
    temporary = path.with_name(f".{path.name}.bench")
    temporary.write_text(text, encoding="utf-8")
    os.replace(temporary, path)


def _one_save(port: int, page: str, path: Path, text: str) -> tuple[float, float]:
    """(event, page) seconds for one save of `text` to `path`, seen on `page`."""
    before, version = _get(port, page)
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=WAIT)
    try:
        conn.request("GET", f"/_events?version={version}")
        stream = conn.getresponse()
        start = time.perf_counter()
        _save(path, text)
        new = _wait_for_event(stream, version)
        event = time.perf_counter() - start
    finally:
        conn.close()
    after, shown = _get(port, page)
    took = time.perf_counter() - start
    if shown < new or after == before:
        raise RuntimeError(f"serve: {page} did not change after the save (version {shown})")
    return event, took


def _start(cwd: Path, env: dict[str, str], reportgen: str, period: str,
           port: int) -> subprocess.Popen[str]:
    proc = subprocess.Popen([reportgen, "serve", period, "--port", str(port)], cwd=cwd,
                            env=env, stdin=subprocess.DEVNULL, stdout=subprocess.PIPE,
                            stderr=subprocess.DEVNULL, text=True)
    line = proc.stdout.readline() if proc.stdout else ""
    if "Serving" not in line:
        proc.kill()
        raise RuntimeError(f"serve did not start: {line!r}")
    return proc


def measure(snapshot: Path, env: dict[str, str], reportgen: str, period: str, area: str,
            saves: int) -> dict[str, object]:
    """Median, min and max in seconds of event and page, per page; the watcher's mode."""
    work = Path(tempfile.mkdtemp(prefix="reportgen-serve-"))
    proc = None
    try:
        for folder in ("inputs", "templates"):
            shutil.copytree(snapshot / folder, work / folder, symlinks=True)
        path = work / "inputs" / period / f"{area}.yaml"
        text = path.read_text(encoding="utf-8")
        if CHANGE[0] not in text:
            raise RuntimeError(f"serve: {path.name} has no {CHANGE[0]!r} to change")
        texts = [text, text.replace(*CHANGE, 1)]  # saved in turn: each save changes the page
        port = _free_port()
        proc = _start(work, env, reportgen, period, port)
        samples: dict[str, list[tuple[float, float]]] = {f"/{area}": [], REPORT_PAGE: []}
        for i in range(2 * saves):
            page = f"/{area}" if i % 2 == 0 else REPORT_PAGE
            samples[page].append(_one_save(port, page, path, texts[(i + 1) % 2]))
            time.sleep(PAUSE)
    finally:
        if proc is not None:
            proc.send_signal(signal.SIGINT)
            try:
                proc.wait(timeout=WAIT)
            except subprocess.TimeoutExpired:
                proc.kill()
        shutil.rmtree(work, ignore_errors=True)
    return {page: _figures(values) for page, values in samples.items()}


def _figures(values: list[tuple[float, float]]) -> dict[str, float]:
    events, pages = [v[0] for v in values], [v[1] for v in values]
    return {"event_median": statistics.median(events), "event_max": max(events),
            "median": statistics.median(pages), "min": min(pages), "max": max(pages),
            "n": len(values)}


def watcher_mode(env: dict[str, str], python: str, cwd: Path) -> str:
    """'file events' when the serve process can import watchfiles, else 'polling'."""
    found = subprocess.run([python, "-c", "import watchfiles"], cwd=cwd, env=env,
                           capture_output=True).returncode == 0
    return "file events (watchfiles)" if found else "polling (no watchfiles)"


def main() -> None:
    """Measure and print the figures of each page in milliseconds."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--saves", type=int, default=20, help="saves timed per page (default 20)")
    parser.add_argument("--period", default="2017-T1", help="the period served (default 2017-T1)")
    parser.add_argument("--area", default="08", help="the area saved (default 08)")
    args = parser.parse_args()
    root = Path(__file__).resolve().parent.parent
    env, bin_folder = dict(os.environ), root / ".venv" / "bin"
    load = os.getloadavg()[0]
    pages = measure(root, env, str(bin_folder / "reportgen"), args.period, args.area, args.saves)
    load = (load + os.getloadavg()[0]) / 2
    print(f"watcher: {watcher_mode(env, str(bin_folder / 'python'), root)}; load {load:.1f}")
    for page, figures in pages.items():
        ms = {k: f"{v * 1000:.0f}" for k, v in figures.items() if k != "n"}
        print(f"{page}: page median {ms['median']} ms, min {ms['min']}, max {ms['max']}; "
              f"event median {ms['event_median']} ms, max {ms['event_max']} "
              f"({figures['n']} saves)")


if __name__ == "__main__":
    sys.exit(main())
