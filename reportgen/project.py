"""Every path and name rule of a report project, in one place. Standard library and errors only.

    inputs/kommune.yaml              the municipality and its register of areas
    inputs/<period>/<code>.yaml      one area in one period
    inputs/<period>/rapport.yaml     the whole report's settings (optional)
    <out>/<period>/                  the documents: <code>.<suffix>, tertialrapport.<suffix>
    templates/                       docx/, html/, fonts/ and labels.yaml

Every command finds its files through these functions; none builds a path of its own.
"""

from __future__ import annotations

import os
from pathlib import Path

from reportgen.errors import InputError, OutputError, SourceLocation

DEFAULT_INPUTS = Path("inputs")
DEFAULT_OUT = Path("build")
ALL = "all"  # the command line's word for every area that has an input file
REPORT_NAME = "tertialrapport"  # the whole report's documents: tertialrapport.pdf, …
KOMMUNE_FILE = "kommune.yaml"
REPORT_FILE = "rapport.yaml"
INPUT_SUFFIX = ".yaml"
LABELS_FILE = "labels.yaml"
HYPHENATION_FILE = "hyphenation.yaml"
AREA_CODE_LENGTH = 2


def display_path(path: Path) -> str:
    """A path as the user should see it: relative to the working directory when possible."""
    try:
        return str(path.resolve().relative_to(Path.cwd().resolve()))
    except ValueError:
        return str(path)


def resolve_inside(root: Path, relative: str, what: str) -> Path:
    """root/relative, refusing anything (`..`, absolute, symlinks) that lands outside root."""
    root_real = root.resolve()
    candidate = (root / relative).resolve()
    if not candidate.is_relative_to(root_real):
        raise InputError(
            f"{what} {relative!r} points outside {display_path(root)}",
            location=SourceLocation(display_path(root / relative)),
            hint=f"keep input files inside {display_path(root)}; symbolic links may not leave it",
        )
    return candidate


# --- inputs -----------------------------------------------------------------------------------

def kommune_path(inputs: Path) -> Path:
    """inputs/kommune.yaml, the municipality's settings and register of areas."""
    return inputs / KOMMUNE_FILE


def period_folder(inputs: Path, period: object) -> Path:
    """inputs/<period>/, the folder of one period's files."""
    return inputs / str(period)


def area_file_name(code: str) -> str:
    """'08.yaml'."""
    return f"{code}{INPUT_SUFFIX}"


def area_path(inputs: Path, period: object, code: str) -> Path:
    """inputs/<period>/<code>.yaml, refusing paths that leave the inputs folder."""
    return resolve_inside(inputs, f"{period}/{area_file_name(code)}", "area file")


def report_path(inputs: Path, period: object) -> Path:
    """inputs/<period>/rapport.yaml, the whole report's settings (optional)."""
    return resolve_inside(inputs, f"{period}/{REPORT_FILE}", "report file")


def area_code_of(name: str) -> str | None:
    """The area code an input file's name stands for ('08.yaml' -> '08'), else None."""
    stem = name.removesuffix(INPUT_SUFFIX)
    if name.endswith(INPUT_SUFFIX) and len(stem) == AREA_CODE_LENGTH and stem.isascii() \
            and stem.isdigit():
        return stem
    return None


def area_codes_with_input(inputs: Path, period: object) -> list[str]:
    """The two-digit codes that have an input file for the period, sorted."""
    folder = period_folder(inputs, period)
    if not folder.is_dir():
        return []
    return sorted(code for code in map(area_code_of, os.listdir(folder)) if code is not None)


# --- templates --------------------------------------------------------------------------------

def default_templates() -> Path:
    """./templates when the project has one, else the templates shipped with reportgen."""
    local = Path("templates")
    if local.is_dir():
        return local
    package = Path(__file__).resolve().parent
    for candidate in (package / "templates", package.parent / "templates"):
        if candidate.is_dir():
            return candidate
    return local


def labels_path(templates: Path) -> Path:
    """templates/labels.yaml, the fixed wording of the documents per language."""
    return templates / LABELS_FILE


def hyphenation_path(templates: Path) -> Path:
    """templates/hyphenation.yaml, the words hyphenated otherwise than the dictionary says."""
    return templates / HYPHENATION_FILE


# --- outputs ----------------------------------------------------------------------------------

def output_folder(out: Path, period: object) -> Path:
    """<out>/<period>, refusing a period folder that is a link to somewhere else."""
    target = out / str(period)
    if target.is_symlink() and not target.resolve().is_relative_to(out.resolve()):
        raise OutputError(
            f"{display_path(target)} is a link to {target.resolve()}, outside the output"
            " folder", location=SourceLocation(display_path(target)),
            hint="remove the link; reportgen writes only inside --out",
        )
    return target


def output_name(document: str, fmt: str) -> str:
    """'08.pdf', 'tertialrapport.docx'."""
    return f"{document}.{fmt}"
