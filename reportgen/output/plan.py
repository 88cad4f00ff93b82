"""Which outputs a render must make: each output keyed by the digest of everything it is
rendered from, without parsing any YAML (the fast path of a rebuild with nothing changed).

Imports project, period, the manifest's digests, the input size limit (yamlsource) and
reportgen's version; standard library only otherwise. Every file is read through
project.read_file: a named pipe, a device or a file too large is never opened here; it only
makes its outputs stale, so that loading reports it.
"""

from __future__ import annotations

import os
import re
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


def source_trees(templates: Path) -> tuple[str, str]:
    """The digests of reportgen's program and of the templates, which every output's key
    holds: give them to plan_outputs as `trees` to plan twice without reading them twice."""
    return digest_tree(PROGRAM, ".py"), digest_tree(templates)


def plan_outputs(requested: tuple[str, ...], period: Period, inputs: Path, templates: Path,
                 formats: tuple[str, ...], pdf_variant: str | None,
                 epoch: int | None = None, folders: dict[str, str] | None = None,
                 draft: bool = False, trees: tuple[str, str] | None = None) -> list[Planned]:
    """Every output the command asks for, keyed by its sources (and SOURCE_DATE_EPOCH, as
    `epoch`, which dates the documents, and whether it is a `draft`). `folders` maps each
    format of many files (the site) to its folder: it is made once, from everything the whole
    report is made from, and only when every area is asked for (`all`). `trees`: what
    source_trees(templates) gives, when the caller has it already."""
    from reportgen import __version__

    whole = project.ALL in requested
    codes = project.area_codes_with_input(inputs, period) if whole else list(
        dict.fromkeys(requested))
    area_bytes = {code: _read_or_none(project.period_folder(inputs, period)
                                      / project.area_file_name(code), inputs) for code in codes}
    kommune = _read_or_none(project.kommune_path(inputs), inputs)
    common = [__version__, *(trees or source_trees(templates)), kommune,
              None if epoch is None else str(epoch), pdf_variant or "", "draft" if draft else ""]
    documents = [(code, digest_sources(*common, code, area_bytes[code])) for code in codes]
    if whole:
        everything = [b for code in codes for b in (code, area_bytes[code])]
        report = _read_or_none(project.period_folder(inputs, period) / project.REPORT_FILE,
                               inputs)
        documents.append((project.REPORT_NAME, digest_sources(
            *common, report, _logo_bytes(kommune, inputs), *everything)))
    planned = [Planned(doc, fmt, digest_sources(key, fmt)) for doc, key in documents
               for fmt in formats]
    if whole:
        planned += [Planned(project.REPORT_NAME, fmt, digest_sources(documents[-1][1], fmt),
                            folder) for fmt, folder in (folders or {}).items()]
    return planned


def _read_or_none(path: Path, inputs: Path, limit: int = MAX_FILE_BYTES) -> bytes | None:
    """The file's bytes; None when there is none; UNREADABLE when loading will refuse it."""
    if not project.exists(path):
        return None
    try:
        return project.read_file(path, limit=limit, root=inputs)
    except ReportgenError:
        return UNREADABLE


# kommune.yaml's `logo:` and the `fil:` under it (model.Logo), as the README writes them: the
# logo's file is found without parsing YAML. Written any other way, the whole report is
# rendered anew every time (never wrongly up to date).
LOGO_KEY = re.compile(rb"""^(["']?)logo\1[ \t]*:(?P<rest>[^\n]*)""", re.MULTILINE)
FILE_KEY = re.compile(rb"""^[ \t]+(["']?)fil\1[ \t]*:[ \t]*(?P<value>[^\n]*)""", re.MULTILINE)
FLOW_FILE = re.compile(rb"""[{,][ \t]*(["']?)fil\1[ \t]*:[ \t]*(?P<value>[^,}]*)""")
COMMENT = re.compile(rb"(^|[ \t])#.*")


def _logo_bytes(kommune: bytes | None, inputs: Path) -> bytes | None:
    """The bytes of the logo kommune.yaml names (None: it names none; UNREADABLE: loading
    will refuse it; a new random value each time when the file cannot be told this way)."""
    if kommune is None or kommune == UNREADABLE or b"logo" not in kommune:
        return None
    key = LOGO_KEY.search(kommune)
    rest = COMMENT.sub(b"", key.group("rest")).strip() if key else b""
    if key and rest.startswith(b"{"):
        found = FLOW_FILE.search(rest)
    elif key and not rest:
        block = re.match(rb"(?:\n(?:[ \t][^\n]*|[ \t]*(?:#[^\n]*)?))*", kommune[key.end():])
        found = FILE_KEY.search(block.group() if block else b"")
    else:
        found = None
    value = COMMENT.sub(b"", found.group("value")).strip() if found else b""
    if value[:1] in (b"'", b'"') and value[-1:] == value[:1] and b"\\" not in value:
        value = value[1:-1].replace(b"''", b"'") if value[:1] == b"'" else value[1:-1]
    if not value or value[:1] in b"'\"|>&*!":
        return os.urandom(16)
    from reportgen.picture import MAX_PICTURE_BYTES

    return _read_or_none(inputs / os.fsdecode(value), inputs, MAX_PICTURE_BYTES)
