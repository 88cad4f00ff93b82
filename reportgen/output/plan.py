"""Which outputs a render must make: each output keyed by the digest of everything it is
rendered from, without parsing any YAML (the fast path of a rebuild with nothing changed).

Imports project, period, the manifest's digests, the input size limit (yamlsource) and
reportgen's version; standard library only otherwise. Every file is read through
project.read_file: a named pipe, a device or a file too large is never opened here; it only
makes its outputs stale, so that loading reports it.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from reportgen import project
from reportgen.errors import ReportgenError
from reportgen.output.manifest import digest_sources, digest_tree
from reportgen.period import Period
from reportgen.yamlsource import MAX_FILE_BYTES

PROGRAM = Path(__file__).resolve().parent.parent  # reportgen/: a fix in it renders anew
UNREADABLE = b"\x02unreadable"  # a file that loading will refuse: never up to date


@dataclass(frozen=True)
class Planned:
    """One output of the run and the digest of everything it is rendered from."""

    document: str  # "08" or "tertialrapport"
    fmt: str
    key: str
    folder: str = ""  # a format of many files, made once for the whole report: its folder

    @property
    def name(self) -> str:
        """The output's file name, 08.pdf; a folder's name with a slash: nettsted/."""
        return f"{self.folder}/" if self.folder else project.output_name(self.document, self.fmt)


def plan_outputs(requested: tuple[str, ...], period: Period, inputs: Path, templates: Path,
                 formats: tuple[str, ...], pdf_variant: str | None,
                 epoch: int | None = None, folders: dict[str, str] | None = None,
                 draft: bool = False) -> list[Planned]:
    """Every output the command asks for, keyed by its sources (and SOURCE_DATE_EPOCH, as
    `epoch`, which dates the documents, and whether it is a `draft`). `folders` maps each
    format of many files (the site) to its folder: it is made once, from everything the whole
    report is made from, and only when every area is asked for (`all`)."""
    from reportgen import __version__

    whole = project.ALL in requested
    codes = project.area_codes_with_input(inputs, period) if whole else list(
        dict.fromkeys(requested))
    area_bytes = {code: _read_or_none(project.period_folder(inputs, period)
                                      / project.area_file_name(code), inputs) for code in codes}
    common = [__version__, digest_tree(PROGRAM, ".py"), digest_tree(templates),
              _read_or_none(project.kommune_path(inputs), inputs),
              None if epoch is None else str(epoch), pdf_variant or "", "draft" if draft else ""]
    documents = [(code, digest_sources(*common, code, area_bytes[code])) for code in codes]
    if whole:
        everything = [b for code in codes for b in (code, area_bytes[code])]
        report = _read_or_none(project.period_folder(inputs, period) / project.REPORT_FILE,
                               inputs)
        documents.append((project.REPORT_NAME, digest_sources(*common, report, *everything)))
    planned = [Planned(doc, fmt, digest_sources(key, fmt)) for doc, key in documents
               for fmt in formats]
    if whole:
        planned += [Planned(project.REPORT_NAME, fmt, digest_sources(documents[-1][1], fmt),
                            folder) for fmt, folder in (folders or {}).items()]
    return planned


def _read_or_none(path: Path, inputs: Path) -> bytes | None:
    """The file's bytes; None when there is none; UNREADABLE when loading will refuse it."""
    if not project.exists(path):
        return None
    try:
        return project.read_file(path, limit=MAX_FILE_BYTES, root=inputs)
    except ReportgenError:
        return UNREADABLE
