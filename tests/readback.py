"""The published files rendered once per session, for the tests of publication and archive
grade (test_pdfa, test_print, test_docx_accessibility, test_nynorsk, test_reproducible).

A pytest plugin: modules that use its fixtures say `pytest_plugins = ("readback",)`, so that
the real inputs are rendered once per session. The readers of the files are in readers.py.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import pytest
from helpers import INPUTS, TEMPLATES, libreoffice_layout, run_cli

PERIOD = "2017-T1"


@dataclass(frozen=True)
class Rendered:
    """One `render` run: its output folder and what it printed."""

    folder: Path
    out: str
    err: str

    def __getitem__(self, name: str) -> Path:
        path = self.folder / name
        assert path.is_file(), f"{name} was not written"
        return path


@pytest.fixture(scope="session")
def real_run(tmp_path_factory: pytest.TempPathFactory) -> Rendered:
    """The real inputs of 2017-T1 rendered once: every area and the whole report, three formats."""
    out = tmp_path_factory.mktemp("real") / "out"
    with libreoffice_layout():  # as published: contents with page numbers where it can
        code, stdout, stderr = run_cli(
            "render", "all", PERIOD, "--inputs", INPUTS, "--templates", TEMPLATES, "--out", out)
    assert code == 0, stderr
    return Rendered(out / PERIOD, stdout, stderr)
