"""Helpers for the test suite: project trees, the seed, and running the command.

The readers of the outputs (DOCX, HTML, PDF) are in readers.py.
"""

from __future__ import annotations

import contextlib
import io
import os
import re
import shutil
import subprocess
import sys
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
import yaml

ROOT = Path(__file__).resolve().parents[1]
TEMPLATES = ROOT / "templates"
INPUTS = ROOT / "inputs"
DATA = Path(__file__).resolve().parent / "data"
SEED = DATA / "programomrade-08-2017-T1.txt"

KOMMUNE = {
    "kommune": "Drammen kommune",
    "språk": "nb",
    "programområder": {
        "07": "Ledelse, organisering og styring",
        "08": "Kompetanse, markedsføring og næring",
    },
}
# The smallest valid area file.
MINIMAL_AREA = {
    "ingress": "Kort ingress.",
    "økonomisk_status": {
        "fakta": "Forbruk i tråd med budsjett.",
        "vurdering": "Ingen avvik.",
        "konklusjon": "Årsresultat i balanse.",
    },
}

# Headings of the seed section and their levels (DESIGN.md section 1).
SEED_LEVELS = {
    "Økonomisk status": 2,
    "Fakta": 3,
    "Vurdering": 3,
    "Konklusjon": 3,
    "Andre forhold": 2,
    "Strategisk næringsplan": 3,
    "Næringsvekst 2020": 3,
    "Kontaktutvalget for næringslivet": 3,
}


# --- project trees ---------------------------------------------------------------------------

def dump_yaml(data: Any) -> str:
    """YAML as an author would write it: keys in order, æøå as themselves, long lines kept."""
    return yaml.safe_dump(data, allow_unicode=True, sort_keys=False, width=10_000)


def build_file_tree(root: Path, spec: dict[str, Any]) -> None:
    """Write {relative path: text | bytes | dict (as YAML)} below root."""
    for relative, content in spec.items():
        path = root / relative
        path.parent.mkdir(parents=True, exist_ok=True)
        if isinstance(content, bytes):
            path.write_bytes(content)
        elif isinstance(content, str):
            path.write_text(content, encoding="utf-8")
        else:
            path.write_text(dump_yaml(content), encoding="utf-8")


def snapshot(root: Path) -> dict[str, bytes | None]:
    """Every file (bytes) and folder (None) below root, by relative path; {} if root is absent."""
    if not root.exists():
        return {}
    return {
        str(p.relative_to(root)): (p.read_bytes() if p.is_file() else None)
        for p in sorted(root.rglob("*"))
    }


@dataclass
class Project:
    """A project folder in tmp_path: inputs/, templates/ (a link to the real one), out/."""

    root: Path

    @property
    def inputs(self) -> Path:
        return self.root / "inputs"

    @property
    def out(self) -> Path:
        return self.root / "out"

    def write(self, spec: dict[str, Any]) -> None:
        build_file_tree(self.root, spec)

    def write_area(self, code: str, content: Any, period: str = "2017-T1") -> Path:
        """inputs/<period>/<code>.yaml from a dict (dumped as YAML) or from text as written."""
        self.write({f"inputs/{period}/{code}.yaml": content})
        return self.inputs / period / f"{code}.yaml"

    def output(self, name: str, period: str = "2017-T1") -> Path:
        return self.out / period / name


def make_project(root: Path, kommune: Any = None) -> Project:
    root.mkdir(parents=True, exist_ok=True)
    build_file_tree(root, {"inputs/kommune.yaml": KOMMUNE if kommune is None else kommune})
    try:
        (root / "templates").symlink_to(TEMPLATES, target_is_directory=True)
    except OSError:  # no symbolic links here: a copy does the same
        import shutil

        shutil.copytree(TEMPLATES, root / "templates")
    return Project(root)


# --- running the command -----------------------------------------------------------------------

@dataclass
class Result:
    code: int
    out: str
    err: str

    def __iter__(self) -> Iterator[Any]:
        """Unpacks as (code, out, err)."""
        return iter((self.code, self.out, self.err))


def run_main(argv: list[str]) -> int:
    """reportgen.cli.main in this process; its exit status (it always exits).

    What it prints goes to sys.stdout and sys.stderr as they are: run_cli captures it.
    """
    from reportgen.cli import main

    try:
        main([str(a) for a in argv])
    except SystemExit as exc:
        code = exc.code
        return code if isinstance(code, int) else (0 if code is None else 1)
    raise AssertionError("reportgen.cli.main returned instead of exiting")


def run_cli(*argv: Any) -> Result:
    """Run the command in this process; its exit status and what it printed on stdout and
    stderr (captured here, not by pytest, so session fixtures can use it too)."""
    stdout, stderr = io.StringIO(), io.StringIO()
    with contextlib.redirect_stdout(stdout), contextlib.redirect_stderr(stderr):
        code = run_main([str(a) for a in argv])
    return Result(code, stdout.getvalue(), stderr.getvalue())


def find_soffice() -> str | None:
    """LibreOffice's program, if installed."""
    return shutil.which("soffice") or shutil.which("libreoffice")


def require_soffice() -> str:
    """LibreOffice's program; the test fails on CI without it (scripts/setup --dev installs
    it) and is skipped elsewhere."""
    found = find_soffice()
    if found is None:
        if os.environ.get("CI"):
            pytest.fail("soffice (LibreOffice) is missing; scripts/setup --dev installs it")
        pytest.skip("soffice (LibreOffice) is not installed; scripts/setup --dev installs it")
    return found


@contextlib.contextmanager
def libreoffice_layout(program: str | None = None) -> Iterator[str | None]:
    """Renders inside take the DOCX contents' page numbers from LibreOffice (installed, or
    `program`), as a user's render does; conftest.py turns that off for the other tests."""
    chosen = program or find_soffice()
    before = os.environ.get("REPORTGEN_SOFFICE")
    os.environ["REPORTGEN_SOFFICE"] = chosen or "none"
    try:
        yield chosen
    finally:
        if before is None:
            del os.environ["REPORTGEN_SOFFICE"]
        else:
            os.environ["REPORTGEN_SOFFICE"] = before


def errors_in_check(stderr: str) -> str:
    """The errors (each with its hint) that `reportgen check` printed, in its order: without
    the heading line of each area and without the warnings."""
    problems = re.split(r"\n(?! )", stderr.rstrip("\n")) if stderr.strip() else []
    return "".join(p + "\n" for p in problems if ": error: " in p.split("\n")[0]
                   or p.startswith("error: "))


def warnings_in(stderr: str) -> list[str]:
    """The lines of the command's stderr that are warnings."""
    return [line for line in stderr.splitlines() if "warning" in line.lower()]


@dataclass(frozen=True)
class SeedRun:
    """The seed area rendered once: its files and what the command printed."""

    files: dict[str, Path]  # "docx", "html", "pdf" -> the written file
    out: str
    err: str


def reportgen_command() -> list[str]:
    """The installed console script next to this Python, else `python -m reportgen`."""
    script = Path(sys.executable).parent / "reportgen"
    return [str(script)] if script.is_file() else [sys.executable, "-m", "reportgen"]


def run_process(*argv: Any, cwd: Path) -> Result:
    """Run the command as a separate process, as a user would."""
    done = subprocess.run(
        [*reportgen_command(), *map(str, argv)], cwd=cwd, capture_output=True, text=True,
        timeout=300,
    )
    return Result(done.returncode, done.stdout, done.stderr)


def render_area(root: Path, area: Any, formats: str = "docx,html", code: str = "08") -> Path:
    """Render one area file (dict or text) in a fresh project under root; the output folder."""
    made = make_project(root)
    made.write_area(code, area)
    status = run_main(["render", code, "2017-T1", "--inputs", made.inputs, "--templates",
                       TEMPLATES, "--out", made.out, "--format", formats, "--quiet"])
    assert status == 0, f"render failed with status {status}"
    return made.out / "2017-T1"


# --- the seed ----------------------------------------------------------------------------------

def seed_blocks(path: Path = SEED) -> list[tuple[int, str]]:
    """(level, text): 1-3 for headings, 0 for paragraphs, in reading order.

    The web page's navigation is dropped: the skip links on the first line, and the footer
    (a repeat of the title, then "Topp"). Lines are stripped; nothing inside them changes.
    """
    lines = [line.strip() for line in path.read_text(encoding="utf-8").splitlines()]
    lines = [line for line in lines if line][1:]
    while lines and (lines[-1] == "Topp" or lines[-1] == lines[0]):
        lines.pop()
    return [(1, lines[0])] + [(SEED_LEVELS.get(line, 0), line) for line in lines[1:]]



SETTLED = 0.05  # seconds: a process forked to start a program has started it by then


def pdf_workers(render: int) -> list[int]:
    """The live PDF worker processes of the render process `render`: its children, or, when
    it starts several, the children of its fork server (multiprocessing's forkserver, whose
    command line names it). A worker is forked, not started: its command line is its
    parent's, and stays so. The server itself, multiprocessing's resource tracker and the
    programs started on the way (ldconfig, while WeasyPrint is imported) are not workers,
    nor is a child seen in the moment between its fork and the start of its program."""
    found = []
    for child in live_children(render):
        command = _command_line(child)
        if "multiprocessing.forkserver" in command:
            found += [c for c in live_children(child)
                      if _command_line(c) == command and _age(c) >= SETTLED]
        elif command == _command_line(render) and _age(child) >= SETTLED:
            found.append(child)
    return found


def _age(pid: int) -> float:
    """Seconds since the process started (0 when it is gone)."""
    fields = process_fields(pid)
    if fields is None:
        return 0.0
    uptime = float(Path("/proc/uptime").read_text().split()[0])
    return uptime - int(fields[19]) / os.sysconf("SC_CLK_TCK")  # field 22: starttime, in ticks


def live_processes() -> Iterator[tuple[int, list[str]]]:
    """Every live (not zombie) process and the fields of its /proc stat after its name:
    state, parent, process group, …"""
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit() and (fields := process_fields(int(entry.name))) is not None:
            yield int(entry.name), fields


def process_fields(pid: int) -> list[str] | None:
    """The fields of a live process's /proc stat after its name; None once it is gone or a
    zombie."""
    try:
        stat = (Path("/proc") / str(pid) / "stat").read_text()
    except OSError:
        return None
    fields = stat[stat.rindex(")") + 2:].split()
    return None if fields[0] in "ZX" else fields


def live_children(parent: int) -> list[int]:
    """Live (not zombie) processes whose parent is `parent`."""
    return [pid for pid, fields in live_processes() if int(fields[1]) == parent]


def _command_line(pid: int) -> str:
    try:
        return (Path("/proc") / str(pid) / "cmdline").read_bytes().replace(b"\0", b" ").decode(
            "utf-8", "replace")
    except OSError:
        return ""


def paths(data: Any, prefix: tuple[Any, ...] = ()) -> list[tuple[Any, ...]]:
    """Every place in a tree of dicts and lists."""
    found = [prefix]
    if isinstance(data, dict):
        for key, value in data.items():
            found += paths(value, (*prefix, key))
    elif isinstance(data, list):
        for index, value in enumerate(data):
            found += paths(value, (*prefix, index))
    return found
