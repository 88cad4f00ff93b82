"""Fixtures: a small project tree per test, the command in-process, the seed rendered once."""

from __future__ import annotations

import os
import signal
from collections.abc import Callable
from pathlib import Path

import pytest

pytest.register_assert_rewrite("handmade", "helpers", "readers", "hostile")

import hostile  # noqa: E402
from helpers import INPUTS, TEMPLATES, Project, Result, SeedRun, make_project, run_cli  # noqa: E402

# The whole report's DOCX takes its contents' page numbers from LibreOffice where it is
# installed (reportgen/render/paginate.py), a few seconds per `render all`: the tests that are
# about those numbers, and the published files of readback.py, turn it on; the rest render
# without it, as on a machine without LibreOffice. Subprocesses inherit this.
os.environ.setdefault("REPORTGEN_SOFFICE", "none")

# A shell without job control starts a command run in the background (`pytest … &`) with
# Ctrl-C (SIGINT) and SIGQUIT ignored, and every process the tests start would inherit that:
# the tests that stop `reportgen serve` with Ctrl-C would wait in vain. They run as from a
# terminal.
if signal.getsignal(signal.SIGINT) is signal.SIG_IGN:
    signal.signal(signal.SIGINT, signal.default_int_handler)
if signal.getsignal(signal.SIGQUIT) is signal.SIG_IGN:
    signal.signal(signal.SIGQUIT, signal.SIG_DFL)


def pytest_configure(config: pytest.Config) -> None:
    config.addinivalue_line("markers", "render: renders a PDF with WeasyPrint (about a second)")


@pytest.fixture(autouse=True)
def _no_source_date_epoch(monkeypatch: pytest.MonkeyPatch) -> None:
    """Dates come from the period unless a test sets SOURCE_DATE_EPOCH itself."""
    monkeypatch.delenv("SOURCE_DATE_EPOCH", raising=False)


@pytest.fixture
def project(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Project:
    """A project folder with inputs/kommune.yaml (areas 07 and 08) and templates/.

    The working directory is the project, so messages show paths as `inputs/2017-T1/08.yaml`.
    """
    made = make_project(tmp_path / "prosjekt")
    monkeypatch.chdir(made.root)
    return made


@pytest.fixture
def cli() -> Callable[..., Result]:
    """cli("render", "08", "2017-T1", ...) -> Result(code, out, err), run in this process."""
    return run_cli


@pytest.fixture(scope="session")
def seed_run(tmp_path_factory: pytest.TempPathFactory) -> SeedRun:
    """The real inputs' area 08 for 2017-T1 rendered once in all three formats."""
    out = tmp_path_factory.mktemp("seed") / "out"
    code, stdout, stderr = run_cli(
        "render", "08", "2017-T1", "--inputs", INPUTS, "--templates", TEMPLATES, "--out", out)
    assert code == 0, stderr
    files = {ext: out / "2017-T1" / f"08.{ext}" for ext in ("docx", "html", "pdf")}
    return SeedRun(files, stdout, stderr)


@pytest.fixture(scope="session")
def seed_outputs(seed_run: SeedRun) -> dict[str, Path]:
    """The seed area's DOCX, HTML and PDF."""
    return seed_run.files


@pytest.fixture(scope="session")
def rich_docx(tmp_path_factory: pytest.TempPathFactory) -> bytes:
    """hostile.RICH_AREA rendered once as DOCX."""
    root = tmp_path_factory.mktemp("rich")
    made = make_project(root)
    made.write_area("08", hostile.RICH_AREA)
    result = hostile.run_in_process(
        ["render", "08", "2017-T1", "--out", "out", "--format", "docx", "--quiet"], root)
    assert result.code == 0, result.err
    return (root / "out" / "2017-T1" / "08.docx").read_bytes()
