"""All or nothing (DESIGN.md section 7): a render that is killed, interrupted or fails part-way
leaves every earlier output byte for byte as it was, and no temporary file behind.

The real command is killed as a separate process (SIGKILL, SIGTERM, SIGINT) at moments chosen
from how long an uninterrupted run takes here; failures inside a render and while writing are
made in-process by replacing one function.
"""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import signal
import subprocess
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from helpers import (
    INPUTS,
    TEMPLATES,
    Project,
    Result,
    live_processes,
    reportgen_command,
    snapshot,
)

PERIOD = "2017-T1"
ALL = ("render", "all", PERIOD)
INTERRUPTED = "interrupted; earlier outputs are untouched"
# A forced run with another date would change every output's bytes: if any of it reached the
# output folder, the comparison with the earlier outputs shows it.
OTHER_DATE = {"SOURCE_DATE_EPOCH": "1500000000"}


def md5s(folder: Path) -> dict[str, str]:
    """md5 of every file below folder (temporaries included), by relative path."""
    return {str(p.relative_to(folder)): hashlib.md5(p.read_bytes()).hexdigest()
            for p in sorted(folder.rglob("*")) if p.is_file()}


def temporaries(folder: Path) -> list[str]:
    return sorted(p.name for p in folder.glob(".*.tmp"))


def without_temporaries(files: dict[str, str]) -> dict[str, str]:
    """The files without what a killed run may leave: its temporaries, and the lock file of
    the output folder if it was writing (both go at the next render that writes)."""
    return {k: v for k, v in files.items() if not (Path(k).name.startswith(".")
                                                    and k.endswith(".tmp"))
            and Path(k).name != ".reportgen.lock"}


def consistent_with_manifest(folder: Path) -> bool:
    """Every output is exactly what the manifest says reportgen wrote."""
    outputs = json.loads((folder / ".reportgen.json").read_text())["outputs"]
    return all(hashlib.sha256((folder / name).read_bytes()).hexdigest() == entry["written"]
               for name, entry in outputs.items())


# --- the real command, killed -----------------------------------------------------------------

@dataclass
class Rendered:
    root: Path  # project folder: inputs/ and templates/ copied, so nothing else changes them
    out: Path  # the earlier outputs of `render all`, never touched by the tests
    files: dict[str, str]  # their md5s
    seconds: float  # how long the uninterrupted render took here


def run(root: Path, *argv: str, env: dict[str, str] | None = None) -> Result:
    done = subprocess.run([*reportgen_command(), *argv], cwd=root, capture_output=True,
                          text=True, timeout=120, env={**os.environ, **(env or {})})
    return Result(done.returncode, done.stdout, done.stderr)


@pytest.fixture(scope="module")
def rendered(tmp_path_factory: pytest.TempPathFactory) -> Rendered:
    root = tmp_path_factory.mktemp("interrupts")
    shutil.copytree(INPUTS, root / "inputs")
    shutil.copytree(TEMPLATES, root / "templates")
    start = time.monotonic()
    first = run(root, *ALL, "--out", "earlier")
    seconds = time.monotonic() - start
    assert first.code == 0, first.err
    out = root / "earlier" / PERIOD
    assert len([p for p in out.iterdir() if not p.name.startswith(".")]) == 45
    return Rendered(root, out, md5s(out), seconds)


def processes_in_group(group: int) -> list[int]:
    """Live (not zombie) processes whose process group is `group`."""
    return [pid for pid, fields in live_processes() if int(fields[2]) == group]


def wait_for_group_to_end(group: int, limit: float = 10.0) -> list[int]:
    deadline = time.monotonic() + limit
    while (left := processes_in_group(group)) and time.monotonic() < deadline:
        time.sleep(0.1)
    return left


def kill_render(root: Path, out: Path, sig: signal.Signals, moment: Callable[[], None],
                log: Path) -> int:
    """Start `render all --force` writing into out; at `moment`, send sig; its exit status."""
    with open(log, "w") as stderr:
        process = subprocess.Popen(
            [*reportgen_command(), *ALL, "--force", "--out", str(out.parent)], cwd=root,
            stdout=subprocess.DEVNULL, stderr=stderr, env={**os.environ, **OTHER_DATE},
            start_new_session=True,  # its own process group: the PDF workers can be found
        )
        try:
            moment()
            process.send_signal(sig)
            status = process.wait(timeout=60)
            left = wait_for_group_to_end(process.pid)
        finally:
            if process.poll() is None or processes_in_group(process.pid):
                os.killpg(process.pid, signal.SIGKILL)  # only what this test started
                process.wait()
    assert left == [], f"PDF workers {left} outlived the main process"
    return status


def after(seconds: float) -> Callable[[], None]:
    return lambda: time.sleep(seconds)


def when_writing_starts(out: Path, limit: float = 60.0) -> Callable[[], None]:
    """Wait until the first temporary file of the run appears (the write phase)."""
    def wait() -> None:
        deadline = time.monotonic() + limit
        while time.monotonic() < deadline:
            if out.is_dir() and any(n.endswith(".tmp") for n in os.listdir(out)):
                return
            time.sleep(0.0005)
    return wait


MOMENTS = {"early": 0.1, "midway": 0.45}
CASES = [(sig, moment) for sig in (signal.SIGTERM, signal.SIGINT, signal.SIGKILL)
         for moment in MOMENTS] + [(signal.SIGTERM, "writing"), (signal.SIGKILL, "writing")]


@pytest.mark.parametrize(("sig", "moment"), CASES,
                         ids=[f"{s.name}-{m}" for s, m in CASES])
def test_killed_render_leaves_earlier_outputs_intact(
    sig: signal.Signals, moment: str, rendered: Rendered, tmp_path: Path
) -> None:
    out = tmp_path / "out" / PERIOD
    shutil.copytree(rendered.out, out)
    when = (when_writing_starts(out) if moment == "writing"
            else after(rendered.seconds * MOMENTS[moment]))
    log = tmp_path / "stderr.txt"
    status = kill_render(rendered.root, out, sig, when, log)
    stderr = log.read_text()
    files = md5s(out)

    if status == 0:  # the run finished before the signal arrived: then all of it is there
        assert temporaries(out) == []
        assert consistent_with_manifest(out)
        assert files != rendered.files
        return
    if sig == signal.SIGKILL:
        assert status == -signal.SIGKILL
        assert without_temporaries(files) == rendered.files
    else:
        # 130 from reportgen's handler; killed by the signal itself only before it is set up
        assert status in (130, -sig), stderr
        if status == 130:
            assert stderr.splitlines()[-1] == INTERRUPTED
        assert files == rendered.files  # byte for byte, and not one temporary file
        assert "Traceback" not in stderr

    # The next normal run: a render that writes (here one file) removes what a killed run
    # left; then nothing is taken for an edited file and everything is up to date.
    one = run(rendered.root, "render", "08", PERIOD, "--format", "html", "--force",
              "--out", str(out.parent))
    assert one.code == 0, one.err
    assert temporaries(out) == []
    assert not (out / ".reportgen.lock").exists()
    again = run(rendered.root, *ALL, "--out", str(out.parent))
    assert again.code == 0, again.err
    assert "edited" not in again.err
    if again.out.startswith(f"up to date in {out} (sources unchanged): "):
        assert md5s(out) == rendered.files
    # (else reportgen's own code changed since the earlier render, which renders anew)


# --- a render that fails for one area -----------------------------------------------------------

@pytest.fixture
def real_project(project: Project, cli: Callable[..., Result]) -> dict[str, bytes | None]:
    """The real inputs rendered as DOCX and HTML into out/; the output folder's snapshot."""
    shutil.rmtree(project.inputs)
    shutil.copytree(INPUTS, project.inputs)
    first = cli(*ALL, "--format", "docx,html", "--out", "out")
    assert first.code == 0, first.err
    return snapshot(project.out)


def fail_for_area_05(monkeypatch: pytest.MonkeyPatch, module: Any, name: str,
                     error: Exception) -> None:
    real = getattr(module, name)

    def render(view: Any, templates: Path, *rest: Any) -> Any:
        if view.title.startswith("Programområde 05 "):
            raise error
        return real(view, templates, *rest)

    monkeypatch.setattr(module, name, render)


@pytest.mark.parametrize("fmt", ["docx", "html"])
def test_a_bug_in_one_areas_render_writes_nothing(
    fmt: str, real_project: dict[str, bytes | None], project: Project,
    cli: Callable[..., Result], monkeypatch: pytest.MonkeyPatch,
) -> None:
    import reportgen.render.docx
    import reportgen.render.html

    module = reportgen.render.docx if fmt == "docx" else reportgen.render.html
    name = "_build" if fmt == "docx" else "render_html"  # where each builds its document
    fail_for_area_05(monkeypatch, module, name, RuntimeError("simulated bug"))
    result = cli(*ALL, "--format", "docx,html", "--out", "out", "--force")
    assert result.code == 70
    assert result.err.splitlines()[-1] == (
        "reportgen: internal error (a bug in reportgen, not in your files). Please report it"
        " with the output of the same command run with --debug."
    )
    assert result.out == ""
    assert snapshot(project.out) == real_project  # no temporary file, no new byte


def test_a_template_error_in_one_area_writes_nothing(
    real_project: dict[str, bytes | None], project: Project, cli: Callable[..., Result],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    import reportgen.render.html
    from reportgen.errors import SourceLocation, TemplateError

    error = TemplateError("template uses an unknown value: 'doc' has no attribute 'x'",
                          location=SourceLocation("templates/html/document.html.j2"),
                          hint="templates may use only the fields of the view")
    fail_for_area_05(monkeypatch, reportgen.render.html, "render_html", error)
    result = cli(*ALL, "--format", "docx,html", "--out", "out", "--force")
    assert result.code == 1
    assert result.err.endswith(
        "templates/html/document.html.j2: error: template uses an unknown value: 'doc' has no"
        " attribute 'x'\n  hint: templates may use only the fields of the view\n"
    )
    assert snapshot(project.out) == real_project


# --- a failure while writing --------------------------------------------------------------------

def replace_fails_on_call(monkeypatch: pytest.MonkeyPatch, number: int,
                          action: Callable[[Any], None]) -> list[str]:
    """os.replace runs `action` instead of renaming on its `number`th call into the output
    folder; returns the names renamed into place (and back) in order."""
    real = os.replace
    calls: list[str] = []

    def replace(src: Any, dst: Any, *args: Any, **kwargs: Any) -> None:
        calls.append(Path(dst).name)
        if len(calls) == number:
            action(src)
        real(src, dst, *args, **kwargs)

    monkeypatch.setattr(os, "replace", replace)
    return calls


def no_space(src: Any) -> None:
    raise OSError(28, os.strerror(28), str(src))


def test_disk_full_part_way_through_writing_puts_everything_back(
    real_project: dict[str, bytes | None], project: Project, cli: Callable[..., Result],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    project.write({"inputs/2017-T1/08.yaml": (project.inputs / PERIOD / "08.yaml").read_text(
        encoding="utf-8") + "investeringer: Ny tekst etter første kjøring.\n"})
    calls = replace_fails_on_call(monkeypatch, 2, no_space)
    result = cli("render", "08", PERIOD, "--format", "docx,html", "--out", "out", "-q")
    assert result.code == 1
    assert result.err == (
        "out/2017-T1/08.html: error: cannot write output: No space left on device\n"
        "  hint: check free space and permissions of the output folder\n"
    )
    assert calls[:2] == ["08.docx", "08.html"]  # 08.docx was in place, and was put back
    assert snapshot(project.out) == real_project


def test_disk_full_on_a_first_render_leaves_no_output(
    project: Project, cli: Callable[..., Result], monkeypatch: pytest.MonkeyPatch,
) -> None:
    from helpers import MINIMAL_AREA

    project.write_area("08", MINIMAL_AREA)
    replace_fails_on_call(monkeypatch, 2, no_space)
    result = cli("render", "08", PERIOD, "--format", "docx,html", "--out", "out", "-q")
    assert result.code == 1
    assert result.err.startswith("out/2017-T1/08.html: error: cannot write output: ")
    assert snapshot(project.out) == {"2017-T1": None}  # the folder, empty


def test_sigterm_while_renaming_into_place_puts_everything_back(
    real_project: dict[str, bytes | None], project: Project, cli: Callable[..., Result],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    # The signal arrives between two renames, the narrowest moment of a real kill.
    previous = signal.getsignal(signal.SIGTERM)
    try:
        replace_fails_on_call(monkeypatch, 3, lambda src: os.kill(os.getpid(), signal.SIGTERM))
        result = cli(*ALL, "--format", "docx,html", "--out", "out", "--force")
    finally:
        signal.signal(signal.SIGTERM, previous)
    assert result.code == 130
    assert result.err.splitlines()[-1] == INTERRUPTED
    assert snapshot(project.out) == real_project

    again = cli(*ALL, "--format", "docx,html", "--out", "out")
    assert (again.code, again.err) == (0, "")  # nothing taken for an edited file
