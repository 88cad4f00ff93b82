"""`reportgen render`: plan what is stale, load and validate every input, render, then write.

Nothing is written until every input of the run has been read and validated; the outputs are
written all or nothing (output.write), so a failed or interrupted run leaves earlier outputs
intact. Renders running at the same time into one folder write one after the other, each
holding the folder's lock (output.lock) while it reads the manifest again, merges its entries
and writes. Formats come from the registry (reportgen.render); those it marks `in_worker`
render in the processes of commands.pdfpool while this process makes the others.
"""

from __future__ import annotations

from contextlib import AbstractContextManager
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from reportgen import project
from reportgen.assess import check_period, counts
from reportgen.carry import DRAFT_WORD
from reportgen.commands.pdfpool import render_in_worker, start_pdf_workers
from reportgen.errors import (
    InputError,
    OutputError,
    ReportgenError,
    ReportgenErrors,
    ReportgenWarning,
    SourceLocation,
    format_problem,
    raise_all,
)
from reportgen.inputs import ignored_inputs, load_kommune, load_labels, select_areas
from reportgen.output.plan import Planned, plan_outputs
from reportgen.period import Period
from reportgen.project import display_path
from reportgen.render import (
    DRAFT_PDF_VARIANT,
    FORMATS,
    RENDERERS,
    Format,
    RenderOptions,
    render_format,
)

if TYPE_CHECKING:
    from reportgen.model import Kommune, Report
    from reportgen.output.manifest import Manifest
    from reportgen.view import DocumentView


@dataclass(frozen=True)
class Options:
    """What the command line says about a render."""

    inputs: Path
    templates: Path
    out: Path
    formats: tuple[str, ...] = ("docx", "pdf", "html")
    force: bool = False
    pdf_variant: str | None = "pdf/a-2a"
    jobs: int | None = None  # PDF worker processes; None: one per core; 1: in this process
    epoch: int | None = None  # SOURCE_DATE_EPOCH, read and checked by the command line
    draft: bool = False  # render unfinished areas, marked UTKAST; `all` from the ready areas

    @property
    def variant(self) -> str | None:
        """The PDF variant to write: a draft is never labelled PDF/A (an archive must not
        take it for final), so it is PDF/UA instead."""
        if self.draft and (self.pdf_variant or "").startswith("pdf/a"):
            return DRAFT_PDF_VARIANT
        return self.pdf_variant


@dataclass
class Outcome:
    """The files a render wrote, and those it left as they were."""

    written: list[Path] = field(default_factory=list)
    unchanged: list[Path] = field(default_factory=list)


class Progress:
    """What the render reports as it goes; the command line decides how to show it."""

    def start(self, total: int) -> None:
        """The number of outputs about to be rendered."""

    def rendered(self, name: str) -> None:
        """One output is rendered (not yet written)."""

    def note(self, message: str) -> None:
        """A line for the user."""


def render_reports(requested: tuple[str, ...], period: Period, options: Options,
                   progress: Progress) -> Outcome:
    """Skip what is up to date; validate everything; render; then write, holding the output
    folder's lock (output.lock) so that renders running at the same time keep each other's
    outputs and manifest entries."""
    for ignored in ignored_inputs(options.inputs, period):
        progress.note("\n".join(format_problem(ignored.warning)))
    target = project.output_folder(options.out, period)
    plan = plan_outputs(requested, period, options.inputs, options.templates, options.formats,
                        options.variant, options.epoch, options.draft)
    decision = _decide(target, plan, options.force, progress)
    stale = decision.stale
    outcome = Outcome(unchanged=[target / p.name for p in plan if p not in stale])
    for name in decision.kept:
        progress.note(f"kept {display_path(target / name)}: edited after it was rendered")
    if not stale:
        return outcome
    workers = sum(RENDERERS[p.fmt].in_worker for p in stale)
    pool = start_pdf_workers(workers, options.jobs) if workers else None
    try:
        kommune = load_kommune(options.inputs)
        report, missing = _load(kommune, requested, period, options, progress)
        stale = [p for p in stale if p.document not in missing]
        labels = load_labels(options.templates, kommune.language)
        _refuse_to_replace(target, stale, decision.edited, options.force)
        progress.start(len(stale))
        outputs = render_documents(report, labels, stale, options, pool, progress, missing)
    finally:
        if pool is not None:
            pool.shutdown(cancel_futures=True)
    outcome.written = _write(target, stale, outputs, options.force, progress)
    return outcome


def _load(kommune: Kommune, requested: tuple[str, ...], period: Period, options: Options,
          progress: Progress) -> tuple[Report, dict[str, str]]:
    """The report to render and, for a draft of `all`, the areas it leaves out (code: name):
    those with errors and those of the register with no input. Every error is raised, and
    (unless a draft) every placeholder and unreviewed text, each with its place."""
    from reportgen.model import Report, ReportInput

    whole_draft = options.draft and project.ALL in requested
    codes = select_areas(kommune, requested, options.inputs, period)
    found = check_period(options.inputs, period, kommune, codes, with_report=True)
    problems: list[ReportgenError] = []
    missing = {c: n for c, n in kommune.areas.items() if c not in codes} if whole_draft else {}
    for code, name in missing.items():
        progress.note(f"left out of the draft: {code} {name}: no input file")
    for area in found.areas:
        if area.errors and whole_draft:
            missing[area.code] = area.name or area.code
            progress.note(f"left out of the draft: {area.code} {area.name}: {counts(area)}"
                          f" (see `reportgen check {period} {area.code}`)")
        problems += area.errors if not whole_draft else []
        problems += [] if options.draft else [_refused(w) for w in area.unfinished]
    settings, report = found.report.settings, found.report
    if report.errors and whole_draft:
        progress.note(f"left out of the draft: {report.path.name}: {counts(report)}; the"
                      " whole report uses its defaults")
        settings = ReportInput()
    problems += [] if whole_draft else report.errors
    if project.ALL in requested and not options.draft:
        problems += [_refused(w) for w in report.unfinished]
    raise_all(problems)
    areas = tuple(a.area for a in found.areas if a.area is not None and a.code not in missing)
    if not areas:
        raise InputError(f"no area of {period} is ready for a draft: each has errors",
                         hint=f"run `reportgen check {period}` and fix one area first")
    return Report(kommune, period, areas, settings or ReportInput()), missing


def _refused(warning: ReportgenWarning) -> InputError:
    """Unfinished work, which a final document may not hold: an error at its place."""
    return InputError(warning.message, location=warning.location,
                      hint=f"{warning.hint}; or add --draft to render a draft (marked"
                      f" {DRAFT_WORD})")


@dataclass
class Decision:
    """What a render has to do in its output folder."""

    stale: list[Planned]  # to render
    kept: list[str] = field(default_factory=list)  # up to date, but edited: left as they are
    edited: list[str] = field(default_factory=list)  # stale and edited: refused without --force


def _decide(target: Path, plan: list[Planned], force: bool, progress: Progress) -> Decision:
    """Which outputs are stale, and which are edited. Decided without the lock first: when
    everything is up to date and nothing was edited, that is the answer. Otherwise again under
    the lock, because another render may be half-way through writing (its outputs renamed
    into place, its manifest not yet), which looks like edited files."""
    from reportgen.output.manifest import Manifest

    decision = _decision(Manifest.load(target), plan, force, edited=False)
    if not (decision.stale or decision.kept) or not target.is_dir():
        return decision  # nothing to do, or nothing there yet that anyone could have edited
    with _locked(target, progress, optional=True):
        return _decision(Manifest.load(target), plan, force, edited=True)


def _decision(manifest: Manifest, plan: list[Planned], force: bool, edited: bool) -> Decision:
    stale = [p for p in plan if force or not manifest.up_to_date(p.name, p.key)]
    kept = [p.name for p in plan if p not in stale and manifest.edited(p.name)]
    return Decision(stale, kept, [p.name for p in stale if edited and manifest.edited(p.name)])


def _write(target: Path, stale: list[Planned], outputs: dict[str, bytes], force: bool,
           progress: Progress) -> list[Path]:
    """Under the folder's lock: read the manifest as the other renders left it, check again
    for edited outputs (an edit made while rendering is refused too), keep edited copies
    (--force), add this run's entries and write the outputs, the manifest last."""
    from reportgen.output.manifest import NAME, Manifest
    from reportgen.output.write import backup, write_outputs

    with _locked(target, progress):
        manifest = Manifest.load(target)
        edited = [p.name for p in stale if manifest.edited(p.name)]
        if edited and not force:
            raise ReportgenErrors([_edited_error(target / name) for name in edited])
        for name in edited:
            kept = backup(target / name)
            progress.note(f"kept your edited copy as {display_path(kept)}")
        for planned in stale:
            manifest.record(planned.name, planned.key, outputs[planned.name])
        return write_outputs(target, {**outputs, NAME: manifest.to_bytes()})[:-1]


def _refuse_to_replace(target: Path, stale: list[Planned], edited: list[str],
                       force: bool) -> None:
    """Raises for what may not be replaced: a folder or a named pipe where an output goes
    (even with --force), and edited outputs without --force."""
    from reportgen.output.manifest import NAME

    blocked = {name: problem for name in [*(p.name for p in stale), NAME]
               if (problem := project.output_problem(target / name)) is not None}
    problems = [*blocked.values(), *([] if force else [
        _edited_error(target / name) for name in edited if name not in blocked])]
    if problems:
        raise ReportgenErrors(problems)


def _locked(target: Path, progress: Progress,
            optional: bool = False) -> AbstractContextManager[None]:
    """The output folder's lock (output.lock.locked); says so when another render keeps it
    waiting."""
    from reportgen.output.lock import locked

    def waiting() -> None:
        progress.note(f"waiting for another reportgen render writing to {display_path(target)} …")

    return locked(target, waiting, optional)


def render_documents(report: Report, labels: dict[str, str], stale: list[Planned],
                     options: Options, pool: Any, progress: Progress,
                     missing: dict[str, str] | None = None) -> dict[str, bytes]:
    """The stale outputs as {file name: bytes}, in plan order. The formats that run in the
    workers are handed out first (the whole report first, being the longest job), then this
    process renders the rest while they work. A draft names the `missing` areas."""
    wanted: dict[str, set[str]] = {}
    for planned in stale:
        wanted.setdefault(planned.document, set()).add(planned.fmt)
    views = _views(report, labels, wanted, options, missing or {})
    outputs: dict[str, bytes] = {}
    pending: dict[str, Any] = {}
    sources = {f.source for f in FORMATS}
    made: dict[str, dict[str, bytes]] = {name: {} for name, _ in views}
    for first in (True, False):  # sources and worker formats first, the others after
        for name, view in views:
            for fmt in _in_source_order():
                needed = fmt.name in wanted[name] or (fmt.name in sources and any(
                    RENDERERS[w].source == fmt.name for w in wanted[name]))
                if not needed or first != (fmt.in_worker or fmt.name in sources):
                    continue
                source = view if fmt.source == "view" else made[name][fmt.source]
                output = project.output_name(name, fmt.name)
                if fmt.in_worker:
                    pending[output] = pool.submit(render_in_worker, fmt.name, source,
                                                  options.templates, options.variant)
                    continue
                made[name][fmt.name] = render_format(fmt.name, source, options.templates,
                                                     RenderOptions(options.variant))
                if fmt.name in wanted[name]:
                    outputs[output] = made[name][fmt.name]
                    progress.rendered(output)
    for output, future in pending.items():
        outputs[output], warnings = future.result()
        for warning in dict.fromkeys(warnings):
            progress.note(f"warning: {output}: {warning}")
        progress.rendered(output)
    return {p.name: outputs[p.name] for p in stale}


def _views(report: Report, labels: dict[str, str], wanted: dict[str, set[str]],
           options: Options, missing: dict[str, str]) -> list[tuple[str, DocumentView]]:
    """The view of every document that has a stale output: the whole report first."""
    from reportgen.present import build_area_document, build_report_document

    views = []
    epoch, draft = options.epoch, options.draft
    if project.REPORT_NAME in wanted:
        views.append((project.REPORT_NAME,
                      build_report_document(report, labels, epoch, draft, missing)))
    views += [(a.code, build_area_document(a, report.kommune, labels, epoch, draft))
              for a in report.areas if a.code in wanted]
    return views


def _in_source_order() -> list[Format]:
    """The formats, each after the format it renders from."""
    def depth(fmt: Format) -> int:
        return 0 if fmt.source == "view" else 1 + depth(RENDERERS[fmt.source])

    return sorted(FORMATS, key=depth)


def _edited_error(path: Path) -> OutputError:
    shown = display_path(path)
    first = (f"bring the edits into the YAML with `reportgen import {shown}`"
             if path.suffix == RENDERERS["docx"].suffix else "save the edits elsewhere")
    return OutputError(
        "this file was changed after reportgen wrote it; rendering would overwrite the edits",
        location=SourceLocation(shown),
        hint=f"{first}, then render again; or add --force to render anyway, keeping the edited"
        " file as a backup beside it",
    )
