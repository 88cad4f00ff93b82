"""Several processes and clients at once: renders that share an output folder, the preview
under a burst of requests, and PDF workers whose parent is killed.

Renders run as real processes, started together. Their write phases (read the manifest,
merge, write) meet in the folder's lock (reportgen/output/lock.py). The preview server runs
in this process and is sent requests from threads.
"""

from __future__ import annotations

import contextlib
import hashlib
import http.client
import json
import os
import shutil
import signal
import subprocess
import threading
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from helpers import (
    INPUTS,
    MINIMAL_AREA,
    TEMPLATES,
    Project,
    Result,
    live_children,
    pdf_workers,
    process_fields,
    reportgen_command,
)

PERIOD = "2017-T1"
FORMATS = ("docx", "html")
UP_TO_DATE = "nothing rendered; add --force to render anyway\n"


# --- renders into one output folder -----------------------------------------------------------

@pytest.fixture(scope="module")
def root(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A project with the real inputs and templates, copied so that tests may change them."""
    made = tmp_path_factory.mktemp("concurrency")
    shutil.copytree(INPUTS, made / "inputs")
    shutil.copytree(TEMPLATES, made / "templates")
    return made


def render_together(root: Path, areas: list[str], out: str, *extra: str,
                    stagger: float = 0.0) -> list[Result]:
    """`render <area> PERIOD --out <out>` for each area, started at once (or each `stagger`
    seconds after the one before); their results."""
    argv = [*reportgen_command(), "render"]
    options = ["--out", out, "--format", ",".join(FORMATS), *extra]
    processes = []
    for number, area in enumerate(areas):
        if number:
            time.sleep(stagger)
        processes.append(subprocess.Popen([*argv, area, PERIOD, *options], cwd=root,
                                          text=True, stdout=subprocess.PIPE,
                                          stderr=subprocess.PIPE))
    results = []
    for process in processes:
        out_text, err_text = process.communicate(timeout=120)
        results.append(Result(process.returncode, out_text, err_text))
    return results


def render_once(root: Path, area: str, out: str) -> Result:
    done = subprocess.run([*reportgen_command(), "render", area, PERIOD, "--out", out,
                           "--format", ",".join(FORMATS)], cwd=root, capture_output=True,
                          text=True, timeout=120)
    return Result(done.returncode, done.stdout, done.stderr)


def outputs_of(areas: list[str]) -> list[str]:
    return sorted(f"{area}.{fmt}" for area in areas for fmt in FORMATS)


def manifest_entries(folder: Path) -> dict[str, dict[str, str]]:
    return json.loads((folder / ".reportgen.json").read_text(encoding="utf-8"))["outputs"]


def assert_consistent(folder: Path, expected: list[str]) -> None:
    """The manifest lists exactly `expected`; each file is the bytes the manifest says were
    written; nothing else is in the folder (no temporary, no lock file, no backup)."""
    entries = manifest_entries(folder)
    assert sorted(entries) == expected
    for name, entry in entries.items():
        assert hashlib.sha256((folder / name).read_bytes()).hexdigest() == entry["written"], name
    assert sorted(p.name for p in folder.iterdir()) == sorted([".reportgen.json", *expected])


def assert_up_to_date(again: Result, area: str, out: str) -> None:
    """A render after the others found its outputs up to date, none of them edited."""
    names = ", ".join(f"{area}.{fmt}" for fmt in FORMATS)
    assert (again.code, again.err) == (0, ""), again.err  # no "changed after reportgen wrote it"
    assert again.out == f"up to date in {out}/{PERIOD} (sources unchanged): {names}\n{UP_TO_DATE}"


@pytest.mark.parametrize("attempt", range(3))
def test_renders_of_different_areas_into_one_folder_keep_every_entry(
    attempt: int, root: Path
) -> None:
    areas = ["07", "08", "09"]
    out = f"samme-{attempt}"
    results = render_together(root, areas, out)
    for area, result in zip(areas, results, strict=True):
        assert result.code == 0, result.err
        assert result.out == "".join(f"wrote {out}/{PERIOD}/{area}.{fmt}\n" for fmt in FORMATS)
    assert_consistent(root / out / PERIOD, outputs_of(areas))
    for area, again in zip(areas, render_together(root, areas, out), strict=True):
        assert_up_to_date(again, area, out)


# The second render starts at once, or when the first one is about to write while the second
# reads the manifest and checks for edited files: the moment that was refused before the lock.
@pytest.mark.parametrize("stagger", [0.0, 0.3, 0.6])
def test_renders_of_the_same_area_at_once_leave_a_consistent_folder(
    stagger: float, root: Path
) -> None:
    out = f"samme-område-{stagger}"
    folder = root / out / PERIOD
    area = root / "inputs" / PERIOD / "10.yaml"
    original = area.read_text(encoding="utf-8")
    try:
        # A first render; then with a changed input; then forced: the two runs write the same
        # files, and neither may take the other's outputs for edited ones.
        for step in ("first", "changed", "forced"):
            if step == "changed":
                area.write_text(original.replace("Programområdet", "Området", 1),
                                encoding="utf-8")
            extra = ("--force",) if step == "forced" else ()
            for result in render_together(root, ["10", "10"], out, *extra, stagger=stagger):
                assert result.code == 0, (step, result.err)
                assert "edited" not in result.err, (step, result.err)
            assert_consistent(folder, outputs_of(["10"]))
        assert_up_to_date(render_once(root, "10", out), "10", out)
    finally:
        area.write_text(original, encoding="utf-8")


def test_a_render_waiting_for_the_lock_says_so_and_then_writes(root: Path) -> None:
    import fcntl

    folder = root / "låst" / PERIOD
    folder.mkdir(parents=True)
    lock = folder / ".reportgen.lock"
    holder = os.open(lock, os.O_RDWR | os.O_CREAT)  # as another render does while writing
    fcntl.flock(holder, fcntl.LOCK_EX)
    process = subprocess.Popen(
        [*reportgen_command(), "render", "08", PERIOD, "--out", "låst", "--format", "html"],
        cwd=root, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    no_hang = threading.Timer(60, process.kill)
    no_hang.start()
    try:
        first = process.stderr.readline()  # type: ignore[union-attr]
        assert first == f"waiting for another reportgen render writing to låst/{PERIOD} …\n"
        assert sorted(p.name for p in folder.iterdir()) == [".reportgen.lock"]  # nothing yet
    finally:
        lock.unlink()  # as the other render does when it is done
        os.close(holder)
        out, err = process.communicate(timeout=60)
        no_hang.cancel()
    assert process.returncode == 0, err
    assert out == f"wrote låst/{PERIOD}/08.html\n"
    assert sorted(p.name for p in folder.iterdir()) == [".reportgen.json", "08.html"]


# --- the preview under many requests ----------------------------------------------------------

@contextlib.contextmanager
def preview(project: Project) -> Iterator[Any]:
    """A preview of areas 07 and 08 on a free port, serving from a thread of this process."""
    from reportgen.commands.serve import start
    from reportgen.period import Period

    project.write_area("07", MINIMAL_AREA)
    project.write_area("08", MINIMAL_AREA)
    running = start(Period.parse(PERIOD), Path("inputs"), Path("templates"), port=0,
                    log=lambda line: None)
    thread = threading.Thread(target=running.serve_forever, kwargs={"poll_interval": 0.05},
                              daemon=True)
    thread.start()
    try:
        yield running
    finally:
        running.stop()
        thread.join(5)
        assert not thread.is_alive(), "the server did not stop"


@pytest.fixture
def server(project: Project) -> Iterator[Any]:
    with preview(project) as running:
        yield running


def open_stream(port: int, version: int) -> tuple[http.client.HTTPConnection, Any]:
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
    conn.request("GET", f"/_events?version={version}")
    response = conn.getresponse()
    assert response.status == 200
    return conn, response


def test_two_hundred_requests_at_once_are_all_answered(server: Any) -> None:
    from reportgen.commands.serve.server import PAGE_THREADS

    # Open pages hold event streams, more of them than there are page threads.
    streams = [open_stream(server.port, 0) for _ in range(PAGE_THREADS + 8)]
    count = 200
    statuses: list[int | str] = []
    start = threading.Barrier(count)

    def get() -> None:
        start.wait()
        conn = http.client.HTTPConnection("127.0.0.1", server.port, timeout=30)
        try:
            conn.request("GET", "/")
            response = conn.getresponse()
            response.read()
            statuses.append(response.status)
        except OSError as exc:
            statuses.append(repr(exc))
        finally:
            conn.close()

    threads = [threading.Thread(target=get, daemon=True) for _ in range(count)]
    try:
        for thread in threads:
            thread.start()
        deadline = time.monotonic() + 30
        for thread in threads:
            thread.join(max(0.0, deadline - time.monotonic()))
        assert statuses == [200] * count
        for _, response in streams:  # the streams are still open and answered
            assert response.readline() == b"retry: 1000\n"
    finally:
        for conn, _ in streams:
            conn.close()


def test_an_event_stream_beyond_the_limit_is_told_to_come_back(
        monkeypatch: pytest.MonkeyPatch, project: Project) -> None:
    import reportgen.commands.serve.server as module

    monkeypatch.setattr(module, "STREAMS", 2)
    with preview(project) as running:
        held = [open_stream(running.port, 0) for _ in range(2)]
        try:
            version = running.preview.snapshot().version
            conn, response = open_stream(running.port, version - 1)  # its page is old
            assert response.read() == f"retry: 5000\n\ndata: {version}\n\n".encode()
            conn.close()
            for _, stream in held:
                assert stream.readline() == b"retry: 1000\n"
        finally:
            for conn, _ in held:
                conn.close()


# --- PDF workers whose parent is killed --------------------------------------------------------

@pytest.mark.render
def test_pdf_workers_end_soon_after_their_parent_is_killed(root: Path) -> None:
    process = subprocess.Popen(
        [*reportgen_command(), "render", "all", PERIOD, "--force", "--out", "drept"], cwd=root,
        stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, start_new_session=True)
    try:
        deadline = time.monotonic() + 30
        while not pdf_workers(process.pid) and time.monotonic() < deadline:
            time.sleep(0.01)
        assert pdf_workers(process.pid), "no PDF worker started"
        time.sleep(0.3)  # while they import WeasyPrint
        # the workers, and the fork server and the tracker of semaphores they come from
        workers = [*pdf_workers(process.pid), *live_children(process.pid)]
        os.kill(process.pid, signal.SIGKILL)
        killed = time.monotonic()
        process.wait()
        while any(process_fields(w) is not None for w in workers) and time.monotonic() - killed < 10:
            time.sleep(0.002)
        seconds = time.monotonic() - killed
    finally:
        with contextlib.suppress(ProcessLookupError):  # only what this test started
            os.killpg(process.pid, signal.SIGKILL)
        process.wait()
    assert seconds < 1.5, f"the PDF workers outlived their parent by {seconds:.2f} s"
