"""`reportgen render`: plan what is stale, load and validate every input, render, then write.

Nothing is written until every input of the run has been read and validated; the outputs are
written all or nothing (output.write), so a failed or interrupted run leaves earlier outputs
intact. Renders running at the same time into one folder write one after the other, each
holding the folder's lock (output.lock) while it reads the manifest again, merges its entries
and writes. Formats come from the registry (reportgen.render); those it marks `in_worker`
render in the processes of commands.pdfpool while this process makes the others, and without
one of those to make, those it marks `apart` (the DOCX) render in one such process. What may
be rendered (no errors; no unfinished work unless a draft) is commands.renderable's to say.
"""

from __future__ import annotations

from contextlib import AbstractContextManager
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from reportgen import project
from reportgen.commands.pdfpool import (
    render_in_worker,
    start_workers,
    stop_workers,
    worker_failures,
)
from reportgen.errors import (
    OutputError,
    ReportgenErrors,
    SourceLocation,
    UsageError,
    format_problem,
)
from reportgen.messages import _
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
    target = project.output_folder(options.out, period)
    folders = {f: RENDERERS[f].folder for f in options.formats if RENDERERS[f].folder}
    if folders and project.ALL not in requested:
        raise _site_needs_all(period, ",".join(folders))
    plan = plan_outputs(requested, period, options.inputs, options.templates,
                        tuple(f for f in options.formats if f not in folders),
                        options.variant, options.epoch, folders, options.draft)
    decision = _decide(target, plan, options.force, progress)
    stale = decision.stale
    outcome = Outcome(unchanged=[target / p.name for p in plan if p not in stale])
    for name in decision.kept:
        progress.note(_("kept {file}: edited after it was rendered").format(
            file=display_path(target / name)))
    if not stale:
        return outcome
    in_workers, workers = _worker_jobs(stale, options, period)
    pool = start_workers(workers, options.jobs, in_workers) if workers else None
    try:  # validation is imported once the workers import WeasyPrint, and only with work to do
        from reportgen.commands.renderable import renderable
        from reportgen.inputs import ignored_inputs, load_kommune, load_labels

        kommune = load_kommune(options.inputs)
        for ignored in ignored_inputs(options.inputs, period, kommune):
            progress.note("\n".join(format_problem(ignored.warning)))
        report, missing = renderable(kommune, requested, period, options.inputs,
                                     options.draft, progress.note)
        stale = [p for p in stale if p.document not in missing]
        labels = load_labels(options.templates, kommune.language)
        _refuse_to_replace(target, stale, decision.edited, options.force)
        with worker_failures(pool, in_workers):
            outputs = render_documents(report, labels, stale, options, pool, progress, missing,
                                       in_workers=in_workers)
    finally:
        if pool is not None:
            stop_workers(pool)
    outcome.written = _write(target, stale, outputs, options.force, progress)
    return outcome


def _worker_jobs(stale: list[Planned], options: Options,
                 period: Period) -> tuple[tuple[str, ...], int]:
    """The formats the worker processes render, and how many workers: for the PDF
    (`in_worker`), one per stale output, and for a site the PDF of every document it carries
    (each area's and the whole report's); with no PDF to make, the stale `apart` formats
    (the DOCX), in one worker."""
    jobs = {(p.document, p.fmt) for p in stale if RENDERERS[p.fmt].in_worker}
    documents = [project.REPORT_NAME, *project.area_codes_with_input(options.inputs, period)]
    for planned in stale:
        jobs |= {(d, f) for d in documents for f in RENDERERS[planned.fmt].uses
                 if RENDERERS[f].in_worker}
    if jobs:
        return tuple(dict.fromkeys(f for _, f in sorted(jobs))), len(jobs)
    apart = tuple(dict.fromkeys(p.fmt for p in stale if RENDERERS[p.fmt].apart))
    return apart, 1 if apart else 0


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
    changed = [n for p in stale if edited for n in manifest.files_of(p.name) or [p.name]
               if manifest.edited(n) and not manifest.imported(n)]
    return Decision(stale, kept, changed)


def _write(target: Path, stale: list[Planned], outputs: dict[str, Any], force: bool,
           progress: Progress) -> list[Path]:
    """Under the folder's lock: read the manifest as the other renders left it, check again
    for edited outputs (an edit made while rendering is refused too), keep edited copies
    (--force; a site's whole folder), add this run's entries and write the outputs, the
    manifest last. A site's files that are no longer part of it are removed in the same step."""
    from reportgen.output.manifest import NAME, Manifest
    from reportgen.output.write import backup, write_outputs

    with _locked(target, progress):
        manifest = Manifest.load(target)
        edited = {p.name: _edited_files(manifest, p, outputs[p.name]) for p in stale}
        refused = {output: [n for n in names if not manifest.imported(n)]
                   for output, names in edited.items()}
        if any(refused.values()) and not force:
            raise ReportgenErrors([
                _edited_error(target / name, in_folder=output if output.endswith("/") else "")
                for output, names in refused.items() for name in names])
        for name in (name for name, names in edited.items() if names):
            # an imported edit is in the YAML already: the copy is kept all the same
            imported = manifest.imported(name)  # asked before the copy is moved aside
            kept = display_path(backup(target / name))
            progress.note(_("kept your edited copy as {file} (its edits were imported into the"
                            " YAML)").format(file=kept) if imported else
                          _("kept your edited copy as {file}").format(file=kept))
        files: dict[str, bytes] = {}
        remove: list[str] = []
        for planned in stale:
            data = outputs[planned.name]
            if planned.folder:
                remove += manifest.record_folder(planned.name, planned.key, data)
                files.update({planned.name + path: b for path, b in data.items()})
            else:
                manifest.record(planned.name, planned.key, data)
                files[planned.name] = data
        write_outputs(target, {**files, NAME: manifest.to_bytes()}, tuple(remove))
    return [target / planned.name / project.SITE_INDEX if planned.folder
            else target / planned.name for planned in stale]


def _edited_files(manifest: Manifest, planned: Planned, data: Any) -> list[str]:
    """The files of an output that are not as reportgen wrote them: the output itself, or
    for a folder each file recorded for it or about to be written into it."""
    if not planned.folder:
        return [planned.name] if manifest.edited(planned.name) else []
    names = dict.fromkeys([*manifest.files_of(planned.name),
                           *(planned.name + path for path in data)])
    return [name for name in names if manifest.edited(name)]


def _refuse_to_replace(target: Path, stale: list[Planned], edited: list[str],
                       force: bool) -> None:
    """Raises for what may not be replaced: a folder or a named pipe where an output goes
    (even with --force), and edited outputs without --force."""
    from reportgen.output.manifest import NAME

    blocked = {name: problem for name in [*(p.name for p in stale), NAME]
               if (problem := project.output_problem(target / name, folder=name.endswith("/")))
               is not None}
    problems = [*blocked.values(), *([] if force else [
        _edited_error(target / name, in_folder=name.split("/")[0] + "/" if "/" in name else "")
        for name in edited if name not in blocked])]
    if problems:
        raise ReportgenErrors(problems)


def _locked(target: Path, progress: Progress,
            optional: bool = False) -> AbstractContextManager[None]:
    """The output folder's lock (output.lock.locked); says so when another render keeps it
    waiting."""
    from reportgen.output.lock import locked

    def waiting() -> None:
        progress.note(_("waiting for another reportgen render writing to {folder} …").format(
            folder=display_path(target)))

    return locked(target, waiting, optional)


def render_documents(report: Report, labels: dict[str, str], stale: list[Planned],
                     options: Options, pool: Any, progress: Progress,
                     missing: dict[str, str] | None = None, *,
                     in_workers: tuple[str, ...]) -> dict[str, Any]:
    """The stale outputs as {name: bytes} (a site's as {name: {path: bytes}}), in plan order.
    The formats that run in the workers of `pool` (`in_workers`) are handed out first (the
    whole report first, being the longest job), then this process renders the rest, and the
    sites, while they work. A draft names the `missing` areas."""
    sites = [p for p in stale if p.folder]
    needed: dict[str, set[str]] = {}
    for planned in stale:
        if not planned.folder:
            needed.setdefault(planned.document, set()).add(planned.fmt)
    for planned in sites:  # a site carries these formats of every document
        for document in [project.REPORT_NAME, *(a.code for a in report.areas)]:
            needed.setdefault(document, set()).update(RENDERERS[planned.fmt].uses)
    progress.start(sum(map(len, needed.values())) + len(sites))
    views = _views(report, labels, needed, options, missing or {})
    made, pending = _render_here(views, needed, options, pool, progress, in_workers)
    pages = {p.name: _render_site(p, report, labels, options, progress, missing or {})
             for p in sites}
    for output, future in pending.items():
        made[output], warnings = future.result()
        _rendered(progress, output, warnings)
    outputs: dict[str, Any] = {p.name: made[p.name] for p in stale if not p.folder}
    for planned in sites:
        outputs[planned.name] = {**pages[planned.name], **{
            project.site_document(doc, fmt): made[project.output_name(doc, fmt)]
            for doc in [project.REPORT_NAME, *(a.code for a in report.areas)]
            for fmt in RENDERERS[planned.fmt].uses}}
    return {p.name: outputs[p.name] for p in stale}


def _render_here(views: list[tuple[str, DocumentView]], needed: dict[str, set[str]],
                 options: Options, pool: Any, progress: Progress,
                 in_workers: tuple[str, ...]) -> tuple[dict[str, bytes], dict[str, Any]]:
    """The documents' formats made in this process ({output name: bytes}), and the futures
    of those handed to the workers; each format after the one it renders from."""
    made: dict[str, bytes] = {}
    pending: dict[str, Any] = {}
    sources = {f.source for f in FORMATS}
    for first in (True, False):  # sources and worker formats first, the others after
        for name, view in views:
            for fmt in _in_source_order():
                needs = fmt.name in needed[name] or (fmt.name in sources and any(
                    RENDERERS[w].source == fmt.name for w in needed[name]))
                apart = pool is not None and fmt.name in in_workers
                if not needs or first != (apart or fmt.name in sources):
                    continue
                output = project.output_name(name, fmt.name)
                source = view if fmt.source == "view" else made[
                    project.output_name(name, fmt.source)]
                if apart:
                    pending[output] = pool.submit(render_in_worker, fmt.name, source,
                                                  options.templates, options.variant)
                    continue
                made[output], warnings = render_in_worker(
                    fmt.name, source, options.templates, options.variant)
                if fmt.name in needed[name]:
                    _rendered(progress, output, warnings)
    return made, pending


def _rendered(progress: Progress, output: str, warnings: list[str]) -> None:
    for warning in dict.fromkeys(warnings):
        progress.note(_("warning: {output}: {warning}").format(output=output, warning=warning))
    progress.rendered(output)


def _render_site(planned: Planned, report: Report, labels: dict[str, str], options: Options,
                 progress: Progress, missing: dict[str, str]) -> dict[str, bytes]:
    """A site's pages, assets and search index (the documents are added by the caller); a
    draft's pages marked so, with a page for each area `missing` from it."""
    from reportgen.present import build_site

    site = build_site(report, labels, options.epoch, options.draft, missing)
    files: dict[str, bytes] = render_format(planned.fmt, site, options.templates,
                                            RenderOptions(options.variant))
    progress.rendered(planned.name)
    return files


def _views(report: Report, labels: dict[str, str], wanted: dict[str, set[str]],
           options: Options, missing: dict[str, str]) -> list[tuple[str, DocumentView]]:
    """The view of every document that has a stale output: the whole report first."""
    from reportgen.present import build_area_document, build_report_document

    views = []
    epoch, draft = options.epoch, options.draft
    if project.REPORT_NAME in wanted:
        views.append((project.REPORT_NAME,
                      build_report_document(report, labels, epoch, draft=draft, missing=missing)))
    views += [(a.code, build_area_document(a, report.kommune, labels, epoch, draft))
              for a in report.areas if a.code in wanted]
    return views


def _in_source_order() -> list[Format]:
    """The formats, each after the format it renders from."""
    def depth(fmt: Format) -> int:
        return 0 if fmt.source == "view" else 1 + depth(RENDERERS[fmt.source])

    return sorted((f for f in FORMATS if not f.folder), key=depth)


def _site_needs_all(period: Period, formats: str) -> UsageError:
    """The site is the whole report's: asked for with areas instead of `all`."""
    command = f"reportgen render all {period} --format {formats}"  # to type as it is
    return UsageError(_("--format {formats} makes the whole report's web site, of every area:"
                        " it needs `all`").format(formats=formats), hint=command)


def _edited_error(path: Path, in_folder: str = "") -> OutputError:
    shown = display_path(path)
    if in_folder.endswith("/"):
        hint = _("save the edits elsewhere, then render again; or add --force to render anyway,"
                 " keeping the whole {folder} folder as a backup beside it").format(
            folder=in_folder)
    elif path.suffix == RENDERERS["docx"].suffix and not in_folder:
        hint = _("bring the edits into the YAML with `reportgen import {file}`, then render"
                 " again; or add --force to render anyway, keeping the edited file as a backup"
                 " beside it").format(file=shown)
    else:
        hint = _("save the edits elsewhere, then render again; or add --force to render anyway,"
                 " keeping the edited file as a backup beside it")
    return OutputError(
        _("this file was changed after reportgen wrote it; rendering would overwrite the edits"),
        location=SourceLocation(shown), hint=hint)
