"""Stage 5, build: load every input, validate all, render, then write atomically into build/.

The only stage that touches the output folder. Nothing is written until every input of the
run has been read and validated; each output is written to a temporary file beside its
target and renamed into place, so a failed or interrupted run leaves earlier outputs intact.
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from reportgen import sources
from reportgen.errors import (
    InputError, OutputError, ReportgenError, ReportgenErrors, SourceLocation, TemplateError,
    UsageError,
)
from reportgen.period import Period

if TYPE_CHECKING:  # the model (pydantic) loads only when inputs are validated
    from reportgen.model import Area, Kommune, Report, ReportInput

ALL = "all"
REPORT_NAME = "tertialrapport"


@dataclass(frozen=True)
class Options:
    inputs: Path
    templates: Path
    out: Path
    formats: tuple[str, ...] = ("docx", "pdf", "html")
    force: bool = False
    pdf_variant: str | None = "pdf/a-2a"
    jobs: int | None = None  # PDF worker processes; None: one per core; 1: in this process


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
    sources.resolve_inside(inputs, path.name, "kommune file")  # a link out, as for area files
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


def load_area(inputs: Path, period: Period, code: str, kommune: Kommune,
              keep_sources: dict[str, sources.SourceFile] | None = None) -> Area:
    """inputs/<period>/<code>.yaml, read and validated. `keep_sources`, when given,
    receives the parsed file (for check's warnings)."""
    from reportgen.validate import validate_area

    path = sources.area_path(inputs, str(period), code)
    if not path.is_file():
        raise InputError(
            f"no input for area {code} in {period}",
            location=SourceLocation(sources.display_path(path)),
            hint=f"write {sources.display_path(path)} (see README.md, 'Writing an input"
            f" file'), or render only the areas that have one",
        )
    source = sources.load_yaml(path)
    if keep_sources is not None:
        keep_sources[code] = source
    return validate_area(source, code, kommune, period)


def load_report_settings(inputs: Path, period: Period) -> ReportInput:
    """inputs/<period>/rapport.yaml (optional), read and validated."""
    from reportgen.validate import validate_report

    path = sources.report_path(inputs, str(period))
    return validate_report(sources.load_yaml(path) if path.is_file() else None)


def load_report(inputs: Path, period: Period, codes: list[str], kommune: Kommune,
                keep_sources: dict[str, sources.SourceFile] | None = None) -> Report:
    """Every area file of `codes` and rapport.yaml, validated; all problems raised at once."""
    from reportgen.model import Report

    problems: list[ReportgenError] = []
    areas: list[Area] = []
    for code in codes:
        try:
            areas.append(load_area(inputs, period, code, kommune, keep_sources))
        except ReportgenErrors as exc:
            problems += exc.errors
        except ReportgenError as exc:
            problems.append(exc)
    settings = None
    try:
        settings = load_report_settings(inputs, period)
    except ReportgenErrors as exc:
        problems += exc.errors
    except ReportgenError as exc:
        problems.append(exc)
    if problems or settings is None:
        raise ReportgenErrors(problems)
    return Report(kommune, period, tuple(areas), settings)


def load_labels(templates: Path, language: str) -> dict[str, str]:
    """The fixed wording for the language, from templates/labels.yaml."""
    import yaml

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


# --- plan: which outputs are stale (standard library only: the fast path) ----------------

@dataclass(frozen=True)
class Planned:
    """One output of the run and the digest of everything it is rendered from."""

    document: str  # "08" or "tertialrapport"
    fmt: str
    key: str

    @property
    def name(self) -> str:
        return f"{self.document}.{self.fmt}"


def plan_outputs(requested: tuple[str, ...], period: Period, options: Options) -> list[Planned]:
    """Every output the command asks for, keyed by its sources, without parsing any YAML."""
    from reportgen import __version__
    from reportgen.manifest import digest_sources, digest_tree

    inputs, folder = options.inputs, options.inputs / str(period)
    whole = ALL in requested
    codes = sources.area_codes_with_input(inputs, str(period)) if whole else list(
        dict.fromkeys(requested))
    area_bytes = {code: _read_or_none(folder / f"{code}.yaml") for code in codes}
    program = digest_tree(Path(__file__).parent, ".py")  # a fix in reportgen renders anew
    common = [__version__, program, digest_tree(options.templates),
              _read_or_none(sources.kommune_path(inputs)),
              os.environ.get("SOURCE_DATE_EPOCH"), options.pdf_variant or ""]
    documents = [(code, digest_sources(*common, code, area_bytes[code])) for code in codes]
    if whole:
        everything = [b for code in codes for b in (code, area_bytes[code])]
        report = _read_or_none(folder / "rapport.yaml")
        documents.append((REPORT_NAME, digest_sources(*common, report, *everything)))
    return [Planned(doc, fmt, digest_sources(key, fmt)) for doc, key in documents
            for fmt in options.formats]


def _read_or_none(path: Path) -> bytes | None:
    try:
        return path.read_bytes()
    except OSError:
        return None


# --- render ------------------------------------------------------------------------------

class Progress:
    """What the build reports as it goes; the command line decides how to show it."""

    def start(self, total: int) -> None: ...
    def rendered(self, name: str) -> None: ...
    def note(self, message: str) -> None: ...


def render_documents(report: Report, labels: dict[str, str], stale: list[Planned],
                     options: Options, pdf_workers: object, progress: Progress) -> dict[str, bytes]:
    """The stale outputs as {file name: bytes}. PDFs render in worker processes while this
    process makes the HTML and DOCX; the whole report goes first, being the longest job."""
    from reportgen.present import build_area_document, build_report_document
    from reportgen.render.html import render_html

    wanted: dict[str, set[str]] = {}
    for planned in stale:
        wanted.setdefault(planned.document, set()).add(planned.fmt)
    views = []
    if REPORT_NAME in wanted:
        views.append((REPORT_NAME, build_report_document(report, labels)))
    views += [(a.code, build_area_document(a, report.kommune, labels))
              for a in report.areas if a.code in wanted]
    outputs: dict[str, bytes] = {}
    pending = {}
    for name, view in views:
        if wanted[name] & {"html", "pdf"}:
            html = render_html(view, options.templates)
            if "pdf" in wanted[name]:
                pending[f"{name}.pdf"] = pdf_workers.submit(  # type: ignore[attr-defined]
                    _render_pdf, html, options.templates, options.pdf_variant)
            if "html" in wanted[name]:
                outputs[f"{name}.html"] = html.encode("utf-8")
                progress.rendered(f"{name}.html")
    for name, view in views:
        if "docx" in wanted[name]:
            from reportgen.render.docx import render_docx
            from reportgen.write import normalise_zip

            outputs[f"{name}.docx"] = normalise_zip(render_docx(view, options.templates))
            progress.rendered(f"{name}.docx")
    for name, future in pending.items():
        outputs[name], warnings = future.result()
        for warning in dict.fromkeys(warnings):
            progress.note(f"warning: {name}: WeasyPrint: {warning}")
        progress.rendered(name)
    return {p.name: outputs[p.name] for p in stale}  # in plan order


def _render_pdf(html: str, templates: Path, variant: str | None) -> tuple[bytes, list[str]]:
    from reportgen.render.pdf import render_pdf

    warnings: list[str] = []
    return render_pdf(html, templates, variant=variant, warnings=warnings), warnings


def _warm_pdf_worker() -> None:
    """Import WeasyPrint while the main process validates the inputs."""
    import signal

    signal.signal(signal.SIGINT, signal.SIG_IGN)  # the main process handles Ctrl-C and
    signal.signal(signal.SIGTERM, signal.SIG_DFL)  # SIGTERM, then shuts the pool down
    _exit_with_parent(os.getppid())
    from reportgen.render.pdf import warm_up

    warm_up()


def _exit_with_parent(parent: int) -> None:
    """A main process killed outright (SIGKILL) cannot shut its pool down, and the workers
    would wait for work forever: each worker ends itself once its parent is gone."""
    import threading
    import time

    def watch() -> None:
        while os.getppid() == parent:
            time.sleep(0.5)
        os._exit(1)

    threading.Thread(target=watch, name="reportgen-parent-watch", daemon=True).start()


def start_pdf_workers(count: int, jobs: int | None) -> object:
    """A pool of PDF worker processes, forked now so their imports overlap validation;
    with one job, PDFs render in this process, one after the other."""
    import multiprocessing
    from concurrent.futures import ProcessPoolExecutor

    jobs = jobs or len(os.sched_getaffinity(0))
    if jobs <= 1:
        return _InProcess()
    pool = ProcessPoolExecutor(min(count, jobs), multiprocessing.get_context("fork"),
                               initializer=_warm_pdf_worker)
    pool.submit(os.getpid)  # the pool forks its workers at the first job: make that now
    return pool


class _InProcess:
    """The pool's interface, rendering at once in this process (`--jobs 1`)."""

    def submit(self, function: Any, *args: Any) -> Any:
        from concurrent.futures import Future

        future: Future[Any] = Future()
        future.set_result(function(*args))
        return future

    def shutdown(self, cancel_futures: bool = False) -> None:
        pass


# --- the commands -----------------------------------------------------------------------

def render_reports(requested: tuple[str, ...], period: Period, options: Options,
                   progress: Progress) -> Outcome:
    """`reportgen render`: skip what is up to date; validate everything; render; then write."""
    from reportgen.manifest import NAME, Manifest

    target = output_folder(options.out, period)
    plan = plan_outputs(requested, period, options)
    manifest = Manifest.load(target)
    stale = [p for p in plan if options.force or not manifest.up_to_date(p.name, p.key)]
    outcome = Outcome(unchanged=[target / p.name for p in plan if p not in stale])
    for path in outcome.unchanged:
        if manifest.edited(path.name):
            progress.note(f"kept {sources.display_path(path)}: edited after it was rendered")
    if not stale:
        return outcome
    progress.start(len(stale))
    pdfs = sum(p.fmt == "pdf" for p in stale)
    pool = start_pdf_workers(pdfs, options.jobs) if pdfs else None
    try:
        kommune = load_kommune(options.inputs)
        report = load_report(options.inputs, period,
                             select_areas(kommune, requested, options.inputs, period), kommune)
        labels = load_labels(options.templates, kommune.language)
        edited = [p.name for p in stale if manifest.edited(p.name)]
        if edited and not options.force:
            raise ReportgenErrors([_edited_error(target / name) for name in edited])
        outputs = render_documents(report, labels, stale, options, pool, progress)
    finally:
        if pool is not None:
            pool.shutdown(cancel_futures=True)  # type: ignore[attr-defined]
    from reportgen.write import backup, write_outputs

    for name in edited:
        kept = backup(target / name)
        progress.note(f"kept your edited copy as {sources.display_path(kept)}")
    for planned in stale:
        manifest.record(planned.name, planned.key, outputs[planned.name])
    outcome.written = write_outputs(target, {**outputs, NAME: manifest.to_bytes()})[:-1]
    return outcome


def output_folder(out: Path, period: Period) -> Path:
    """<out>/<period>, refusing a period folder that is a link to somewhere else."""
    target = out / str(period)
    if target.is_symlink() and not target.resolve().is_relative_to(out.resolve()):
        raise OutputError(
            f"{sources.display_path(target)} is a link to {target.resolve()}, outside the output"
            " folder", location=SourceLocation(sources.display_path(target)),
            hint="remove the link; reportgen writes only inside --out",
        )
    return target


def _edited_error(path: Path) -> OutputError:
    shown = sources.display_path(path)
    first = (f"bring the edits into the YAML with `reportgen import {shown}`"
             if path.suffix == ".docx" else "save the edits elsewhere")
    return OutputError(
        "this file was changed after reportgen wrote it; rendering would overwrite the edits",
        location=SourceLocation(shown),
        hint=f"{first}, then render again; or add --force to render anyway, keeping the edited"
        " file as a backup beside it",
    )
