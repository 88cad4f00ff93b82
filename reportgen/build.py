"""Stage 5, build: load every input, validate all, render, then write atomically into build/.

The only stage that touches the output folder. Nothing is written until every input of the
run has been read and validated; each output is written to a temporary file beside its
target and renamed into place, so a failed or interrupted run leaves earlier outputs intact.
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable

import yaml

from reportgen import sources
from reportgen.errors import (
    InputError, OutputError, ReportgenError, ReportgenErrors, SourceLocation, TemplateError,
    UsageError,
)
from reportgen.model import Area, Kommune, Period, Report

ALL = "all"
REPORT_NAME = "tertialrapport"


@dataclass(frozen=True)
class Options:
    inputs: Path
    templates: Path
    out: Path
    formats: tuple[str, ...] = ("docx", "pdf", "html")
    force: bool = False
    pdf_variant: str | None = None


@dataclass
class Outcome:
    written: list[Path] = field(default_factory=list)
    unchanged: list[Path] = field(default_factory=list)


# --- load and validate ------------------------------------------------------------------

def load_kommune(inputs: Path) -> Kommune:
    """inputs/kommune.yaml, validated."""
    from reportgen.validate import validate_kommune

    path = sources.kommune_path(inputs)
    if not path.is_file():
        raise InputError(
            "kommune.yaml not found", location=SourceLocation(sources.display_path(path)),
            hint="create it with `kommune:`, `språk:` and `programområder:`, or pass --inputs",
        )
    return validate_kommune(sources.load_yaml(path))


def select_areas(kommune: Kommune, requested: tuple[str, ...], inputs: Path,
                 period: Period) -> list[str]:
    """The area codes a command names; `all` means every area with an input file."""
    if ALL in requested:
        codes = [c for c in sources.area_codes_with_input(inputs, str(period)) if c in kommune.areas]
        if not codes:
            raise InputError(
                f"no area has an input file for {period}",
                location=SourceLocation(sources.display_path(inputs / str(period))),
                hint=f"write inputs/{period}/<code>.yaml, such as inputs/{period}/08.yaml",
            )
        return codes
    unknown = [c for c in requested if c not in kommune.areas]
    if unknown:
        known = ", ".join(kommune.areas)
        raise UsageError(
            f"area {', '.join(unknown)} is not in the register of programme areas",
            hint=f"use a two-digit code from kommune.yaml ({known}) or `all`",
        )
    return list(dict.fromkeys(requested))


def load_report(inputs: Path, period: Period, codes: list[str], kommune: Kommune) -> Report:
    """Read and validate every area file (and rapport.yaml); report all problems at once."""
    from reportgen.validate import validate_area, validate_report

    problems: list[ReportgenError] = []
    areas: list[Area] = []
    for code in codes:
        try:
            path = sources.area_path(inputs, str(period), code)
            if not path.is_file():
                raise InputError(
                    f"no input for area {code} in {period}",
                    location=SourceLocation(sources.display_path(path)),
                    hint=f"write {sources.display_path(path)} (see README.md, 'Writing an input"
                    f" file'), or render only the areas that have one",
                )
            areas.append(validate_area(sources.load_yaml(path), code, kommune, period))
        except ReportgenErrors as exc:
            problems += exc.errors
        except ReportgenError as exc:
            problems.append(exc)
    report_input = None
    try:
        path = sources.report_path(inputs, str(period))
        report_input = validate_report(sources.load_yaml(path) if path.is_file() else None)
    except ReportgenErrors as exc:
        problems += exc.errors
    except ReportgenError as exc:
        problems.append(exc)
    if problems:
        raise ReportgenErrors(problems)
    assert report_input is not None
    return Report(kommune, period, tuple(areas), report_input)


def load_labels(templates: Path, language: str) -> dict[str, str]:
    """The fixed wording for the language, from templates/labels.yaml."""
    path = templates / "labels.yaml"
    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
        return {str(k): str(v) for k, v in data[language].items()}
    except (OSError, yaml.YAMLError, KeyError, TypeError, AttributeError) as exc:
        raise TemplateError(
            f"cannot read the labels for language {language!r}: {exc}",
            location=SourceLocation(sources.display_path(path)),
            hint="templates/labels.yaml needs a mapping per language (nb, nn)",
        ) from exc


# --- render ------------------------------------------------------------------------------

def render_documents(report: Report, labels: dict[str, str], options: Options,
                     whole_report: bool) -> dict[str, bytes]:
    """Every requested output of the run, as {file name: bytes}, rendered in memory."""
    from reportgen.present import build_area_document, build_report_document

    views = [(area.code, build_area_document(area, report.kommune, labels))
             for area in report.areas]
    if whole_report:
        views.append((REPORT_NAME, build_report_document(report, labels)))
    outputs: dict[str, bytes] = {}
    for name, view in views:
        outputs.update(render_view(name, view, options))
    return outputs


def render_view(name: str, view: object, options: Options) -> dict[str, bytes]:
    """One document in every requested format."""
    from reportgen.render.html import render_html

    outputs: dict[str, bytes] = {}
    html = render_html(view, options.templates)  # type: ignore[arg-type]
    if "html" in options.formats:
        outputs[f"{name}.html"] = html.encode("utf-8")
    if "docx" in options.formats:
        from reportgen.render.docx import render_docx
        from reportgen.write import normalise_zip

        outputs[f"{name}.docx"] = normalise_zip(render_docx(view, options.templates))  # type: ignore[arg-type]
    if "pdf" in options.formats:
        from reportgen.render.pdf import render_pdf

        outputs[f"{name}.pdf"] = render_pdf(html, options.templates, variant=options.pdf_variant)
    return outputs


# --- the commands -----------------------------------------------------------------------

def render_reports(requested: tuple[str, ...], period: Period, options: Options,
                   say: Callable[[str], None] = lambda _: None) -> Outcome:
    """`reportgen render`: validate everything, render everything, then write."""
    from reportgen.write import write_outputs

    kommune = load_kommune(options.inputs)
    codes = select_areas(kommune, requested, options.inputs, period)
    report = load_report(options.inputs, period, codes, kommune)
    labels = load_labels(options.templates, kommune.language)
    outputs = render_documents(report, labels, options, whole_report=ALL in requested)
    target = options.out / str(period)
    written = write_outputs(target, outputs)
    for path in written:
        say(f"wrote {sources.display_path(path)}")
    return Outcome(written=written)


def check_inputs(period: Period, options: Options) -> list[str]:
    """`reportgen check`: validate every input of the period; returns the areas checked."""
    kommune = load_kommune(options.inputs)
    codes = sources.area_codes_with_input(options.inputs, str(period))
    strangers = [c for c in codes if c not in kommune.areas]
    problems: list[ReportgenError] = [
        InputError(
            f"area {c} has an input file but is not in the register",
            location=SourceLocation(sources.display_path(options.inputs / str(period) / f"{c}.yaml")),
            hint="add it under `programområder:` in kommune.yaml, or remove the file",
        ) for c in strangers
    ]
    try:
        load_report(options.inputs, period, [c for c in codes if c in kommune.areas], kommune)
    except ReportgenErrors as exc:
        problems += exc.errors
    if problems:
        raise ReportgenErrors(problems)
    return [c for c in codes if c in kommune.areas]


def ensure_out_dir(out: Path) -> None:
    """The output folder must be a folder we can create; refuse files in the way."""
    if out.exists() and not out.is_dir():
        raise OutputError(f"{out} exists and is not a folder", hint="choose another --out")
    os.makedirs(out, exist_ok=True)
