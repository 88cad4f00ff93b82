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
from reportgen.commands.pdfpool import render_in_worker, start_pdf_workers, worker_failures
from reportgen.errors import OutputError, ReportgenErrors, SourceLocation
from reportgen.inputs import load_kommune, load_labels, load_report, select_areas
from reportgen.output.plan import Planned, plan_outputs
from reportgen.period import Period
from reportgen.project import display_path
from reportgen.render import FORMATS, RENDERERS, Format

if TYPE_CHECKING:
    from reportgen.model import Report
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
    target = project.output_folder(options.out, period)
    plan = plan_outputs(requested, period, options.inputs, options.templates, options.formats,
                        options.pdf_variant, options.epoch)
    decision = _decide(target, plan, options.force, progress)
    stale = decision.stale
    outcome = Outcome(unchanged=[target / p.name for p in plan if p not in stale])
    for name in decision.kept:
        progress.note(f"kept {display_path(target / name)}: edited after it was rendered")
    if not stale:
        return outcome
    progress.start(len(stale))
    workers = sum(RENDERERS[p.fmt].in_worker for p in stale)
    pool = start_pdf_workers(workers, options.jobs) if workers else None
    try:
        kommune = load_kommune(options.inputs)
        report = load_report(options.inputs, period,
                             select_areas(kommune, requested, options.inputs, period), kommune)
        labels = load_labels(options.templates, kommune.language)
        _refuse_to_replace(target, stale, decision.edited, options.force)
        with worker_failures(pool):
            outputs = render_documents(report, labels, stale, options, pool, progress)
    finally:
        if pool is not None:
            pool.shutdown(cancel_futures=True)
    outcome.written = _write(target, stale, outputs, options.force, progress)
    return outcome


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
    return Decision(stale, kept, [p.name for p in stale if edited and manifest.edited(p.name)
                                  and not manifest.imported(p.name)])


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
        refused = [name for name in edited if not manifest.imported(name)]
        if refused and not force:
            raise ReportgenErrors([_edited_error(target / name) for name in refused])
        for name in edited:  # kept as backups; an imported edit is in the YAML already
            why = " (its edits were imported into the YAML)" if manifest.imported(name) else ""
            kept = backup(target / name)
            progress.note(f"kept your edited copy as {display_path(kept)}{why}")
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


def _keep_edited(target: Path, edited: list[str], manifest: Any, progress: Progress) -> None:
    """Move the edited outputs aside as backups, saying so (and when their edits were
    imported into the YAML, that too)."""
    from reportgen.output.write import backup

    for name in edited:
        why = " (its edits were imported into the YAML)" if manifest.imported(name) else ""
        kept = backup(target / name)
        progress.note(f"kept your edited copy as {display_path(kept)}{why}")


def render_documents(report: Report, labels: dict[str, str], stale: list[Planned],
                     options: Options, pool: Any, progress: Progress) -> dict[str, bytes]:
    """The stale outputs as {file name: bytes}, in plan order. The formats that run in the
    workers are handed out first (the whole report first, being the longest job), then this
    process renders the rest while they work."""
    wanted: dict[str, set[str]] = {}
    for planned in stale:
        wanted.setdefault(planned.document, set()).add(planned.fmt)
    views = _views(report, labels, wanted, options.epoch)
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
                                                  options.templates, options.pdf_variant)
                    continue
                made[name][fmt.name], warnings = render_in_worker(
                    fmt.name, source, options.templates, options.pdf_variant)
                if fmt.name in wanted[name]:
                    outputs[output] = made[name][fmt.name]
                    _rendered(progress, output, warnings)
    for output, future in pending.items():
        outputs[output], warnings = future.result()
        _rendered(progress, output, warnings)
    return {p.name: outputs[p.name] for p in stale}


def _rendered(progress: Progress, output: str, warnings: list[str]) -> None:
    for warning in dict.fromkeys(warnings):
        progress.note(f"warning: {output}: {warning}")
    progress.rendered(output)


def _views(report: Report, labels: dict[str, str], wanted: dict[str, set[str]],
           epoch: int | None) -> list[tuple[str, DocumentView]]:
    """The view of every document that has a stale output: the whole report first."""
    from reportgen.present import build_area_document, build_report_document

    views = []
    if project.REPORT_NAME in wanted:
        views.append((project.REPORT_NAME, build_report_document(report, labels, epoch)))
    views += [(a.code, build_area_document(a, report.kommune, labels, epoch))
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
