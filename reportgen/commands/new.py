"""`reportgen new`: an area's input for a new period, made from its previous one, and (with
`all`) rapport.yaml too.

Structure, headings, Andre forhold and the figure rows' names carry over; Fakta, Vurdering,
Konklusjon and every amount are left for the author, marked «FYLL UT» (text) or empty with a
`# FYLL UT` comment (amounts), which `check` reports until they are filled in. The texts that
carry over (the ingress, Investeringer, each Andre forhold item and table; in rapport.yaml the
title, subtitle, resolution, chapters and tables) are kept, each under a comment line
`# UTKAST: uendret fra 2017-T1 (…)`: unreviewed until the author changes the text or deletes
the line (carry.py). rapport.yaml's `dato` is emptied. Period words ("per april",
"1. tertial") follow the new period. Comments and key order survive (ruamel.yaml round trip);
the header comment of an earlier `new` is replaced, not stacked. An existing file is never
overwritten. The parts to empty and the amounts come from the outline (outline.py).
"""

from __future__ import annotations

import errno
import io
import os
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from reportgen import project
from reportgen.carry import (
    carried_paths,
    header,
    marker_line,
    renew_period_words,
    without_header_and_markers,
)
from reportgen.errors import InputError, OutputError, SourceLocation
from reportgen.inputs import no_areas_error, require_report_folder
from reportgen.messages import _
from reportgen.model import PLACEHOLDER as MARKER
from reportgen.model import ReportInput
from reportgen.outline import AMOUNT_KEYS, AREA_OUTLINE, FIGURES, ROWS_KEY, alias, top_parts
from reportgen.output.write import FILE_SIZE_HINT
from reportgen.period import Period
from reportgen.project import display_path
from reportgen.yamlsource import MAX_FILE_BYTES, parse_yaml


@dataclass
class NewOutcome:
    """What `new` did: the files it wrote (with the period each came from) and the areas it
    left alone because their file exists already."""

    written: list[Path] = field(default_factory=list)
    kept: list[str] = field(default_factory=list)  # area codes, and rapport.yaml
    report_note: str | None = None  # why rapport.yaml was not made


def new_areas(codes: tuple[str, ...], period: Period, source: Period | None,
              inputs: Path) -> tuple[Period, NewOutcome]:
    """`reportgen new`: each area's file for `period` from its file of the period before
    (or of `source`); `all` makes every area that has a file there."""
    require_report_folder(inputs)
    old = source or period.previous()
    whole = project.ALL in codes
    chosen = project.area_codes_with_input(inputs, old) if whole else list(codes)
    if not chosen:
        raise no_areas_error(inputs, old, hint=_("choose the period to start from with --from"))
    outcome = NewOutcome()
    for code in chosen:
        origin = project.area_path(inputs, old, code)
        target = project.area_path(inputs, period, code)
        if whole and project.exists(target):
            outcome.kept.append(code)
            continue
        if not project.exists(origin):
            raise InputError(_("no input for area {code} in {period} to start from").format(
                code=code, period=old), location=SourceLocation(display_path(origin)),
                hint=_("choose another period with --from, or write the file by hand"))
        raw = project.read_file(origin, limit=MAX_FILE_BYTES, root=inputs)
        write_new_file(target, new_area_text(origin, raw, old, period))
        outcome.written.append(target)
    _new_report(inputs, old, period, whole, outcome)
    return old, outcome


def _new_report(inputs: Path, old: Period, new: Period, whole: bool,
                outcome: NewOutcome) -> None:
    """rapport.yaml from the earlier period's, with `all`; or why it was not made."""
    origin, target = project.report_path(inputs, old), project.report_path(inputs, new)
    if project.exists(target):
        if whole:
            outcome.kept.append(project.REPORT_FILE)
    elif not project.exists(origin):
        if whole:
            outcome.report_note = _(
                "no {file} in {old} to start from: the whole report uses its defaults (title,"
                " date) until you write {target}").format(
                file=project.REPORT_FILE, old=old, target=display_path(target))
    elif not whole:
        outcome.report_note = _(
            "{target} is not made for single areas: `reportgen new all {new}` makes it from"
            " {old}'s (and keeps the area files already there)").format(
            target=display_path(target), new=new, old=old)
    else:
        raw = project.read_file(origin, limit=MAX_FILE_BYTES, root=inputs)
        write_new_file(target, new_report_text(origin, raw, old, new))
        outcome.written.append(target)


def new_report_text(source: Path, raw: bytes, old: Period, new: Period) -> str:
    """The YAML text of the new period's rapport.yaml: the old one's, its period words
    renewed, its texts marked unreviewed and its date emptied."""
    yaml, data = _load(source, raw, old)
    _renew(data, old, new)
    date = alias(ReportInput, "date")
    if data.get(date) is not None:
        data[date] = None
        data.yaml_add_eol_comment("skriv datoen (ÅÅÅÅ-MM-DD), eller la den stå tom:"
                                  f" da brukes {new.end.isoformat()}", date)
    return _finish(yaml, data, old, new, whole_report=True)


def _load(source: Path, raw: bytes, old: Period) -> tuple[Any, Any]:
    """A round-trip parser and the file's data (a mapping), or InputError."""
    # Read once as check reads it: its limits (aliases, nesting, characters) come first, as
    # ruamel.yaml expands any number of aliases.
    parse_yaml(raw.decode("utf-8"), display_path(source), source)
    yaml = _yaml()
    try:
        data = yaml.load(raw.decode("utf-8"))
    except Exception as exc:  # ruamel raises many types; the message names line and column
        raise InputError(
            _("cannot read it as YAML: {problem}").format(problem=exc).splitlines()[0],
            location=SourceLocation(display_path(source)),
            hint=_("run `reportgen check {period}` and fix the file first").format(period=old),
        ) from exc
    if data is None:
        from ruamel.yaml.comments import CommentedMap

        data = CommentedMap()
    return yaml, data


def _finish(yaml: Any, data: Any, old: Period, new: Period, whole_report: bool) -> str:
    """The new file's text: a fresh header (an earlier one is dropped), the data, and a
    marker line above each text that was carried over."""
    out = io.StringIO()
    yaml.dump(data, out)
    text = without_header_and_markers(out.getvalue())
    source = parse_yaml(text, _("the new file"))
    lines = text.splitlines(keepends=True)
    starts = sorted({(source.key_marks.get(path) or source.value_marks[path])[0]
                     for path in carried_paths(source.data, whole_report)}, reverse=True)
    for line in starts:
        indent = len(lines[line - 1]) - len(lines[line - 1].lstrip(" "))
        lines.insert(line - 1, " " * indent + marker_line(old, new) + "\n")
    return header(old, new, MARKER) + "".join(lines)


def new_area_text(source: Path, raw: bytes, old: Period, new: Period) -> str:
    """The YAML text of the new period's file, made from the old period's file (`raw`, the
    bytes of `source`)."""
    yaml, data = _load(source, raw, old)
    if not hasattr(data, "items") or not data:
        required = ", ".join(p.name for p in top_parts() if not p.optional)
        raise InputError(_("expected an area's keys ({keys}, …)").format(keys=required),
                         location=SourceLocation(display_path(source)))
    _renew(data, old, new)
    for part in AREA_OUTLINE:
        mapping = part.container(data)
        if part.fill_in and mapping is not None and part.name in mapping:
            mapping[part.name] = _placeholder(str(mapping[part.name]), part.name, new)
    figures = FIGURES.container(data)
    if figures is not None:
        rows = (figures.get(FIGURES.name) or {}).get(ROWS_KEY) or []
        for row in rows:
            for key in AMOUNT_KEYS:
                if key in row:
                    row[key] = None
                    row.yaml_add_eol_comment(f"{MARKER} (per {new.month} {new.year})", key)
    return _finish(yaml, data, old, new, whole_report=False)


def write_new_file(target: Path, text: str) -> None:
    """Create the file; refuse to replace an existing one (exclusive create). A write that
    fails part-way (a full disk, the file-size limit) leaves no file."""
    project.require_folder(target.parent, _("the period's input files go in a folder of this"
                                            " name: move this away"))
    try:
        target.parent.mkdir(parents=True, exist_ok=True)
        handle = open(target, "x", encoding="utf-8")  # noqa: SIM115 (closed below)
    except FileExistsError as exc:
        raise OutputError(
            _("the file exists already; `reportgen new` never overwrites"),
            location=SourceLocation(display_path(target)),
            hint=_("edit that file, or move it away first if you want to start over"),
        ) from exc
    except OSError as exc:  # a file where the period's folder goes, say
        raise _cannot_write(target, exc) from exc
    try:
        with handle:
            handle.write(text)
            handle.flush()
            os.fsync(handle.fileno())
    except BaseException as exc:  # OSError, or Ctrl-C: remove what this run created
        target.unlink(missing_ok=True)
        if isinstance(exc, OSError):
            raise _cannot_write(target, exc) from exc
        raise


def _cannot_write(target: Path, exc: OSError) -> OutputError:
    return OutputError(_("cannot write the file: {reason}").format(reason=exc.strerror),
                       location=SourceLocation(display_path(target)),
                       hint=FILE_SIZE_HINT if exc.errno == errno.EFBIG else
                       _("check free space and the permissions of the inputs folder"))


def _yaml() -> Any:
    from ruamel.yaml import YAML

    yaml = YAML()  # round trip: comments, key order and quoting stay as the author wrote them
    yaml.preserve_quotes = True
    yaml.width = 4096  # never re-wrap the authors' lines
    yaml.indent(mapping=2, sequence=4, offset=2)
    return yaml


def _placeholder(text: str, key: str, period: Period) -> Any:
    """Keep the text's own sub-headings; replace everything else by the marker."""
    from ruamel.yaml.scalarstring import LiteralScalarString

    headings = [line for line in text.splitlines() if re.match(r" {0,3}#{1,6}\s", line)]
    marker = f"{MARKER}: {key} per {period.month} {period.year}."
    if not headings:
        return marker
    return LiteralScalarString("\n\n".join(f"{h}\n\n{marker}" for h in headings) + "\n")


def _renew(node: Any, old: Period, new: Period) -> None:
    """Update the period words in every string of the document, in place."""
    items = node.items() if hasattr(node, "items") else enumerate(node) if isinstance(
        node, list) else ()
    for key, value in list(items):
        if isinstance(value, str):
            node[key] = type(value)(renew_period_words(value, old, new)) if type(
                value) is not str else renew_period_words(value, old, new)
        else:
            _renew(value, old, new)
