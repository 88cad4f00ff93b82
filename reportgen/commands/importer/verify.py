"""Verified by rendering: the new inputs render to a DOCX that reads back as the document.

Each imported area (or the whole report, with its chapters) is rendered to DOCX as `render`
would, and the rendered file is read back with the same readers; every text must give the
same paragraphs, headings and list items as the document gave (or, for a part kept from the
YAML, as the YAML gives), the figures the same names and amounts, each new table the same
cells. Any difference is an error naming the part and the paragraph, and nothing is written.
"""

from __future__ import annotations

import tempfile
from pathlib import Path
from typing import Any

from reportgen.commands.importer.common import (
    TEXT_PARTS,
    ImportedArea,
    ImportedGrid,
    ImportedReport,
    other_base,
    text_level,
    where,
)
from reportgen.commands.importer.document import read_document
from reportgen.commands.importer.settings import CHAPTER_BASE
from reportgen.commands.importer.tables import place, resolve
from reportgen.errors import InputError
from reportgen.markup import parse_blocks
from reportgen.messages import _
from reportgen.outline import FIGURE_COLUMNS
from reportgen.present.numbers import parse_amount, round_amount
from reportgen.view import Heading, ListBlock, Paragraph, Placement

SHOWN = 3  # differences named in the error


def verify_area(area: Any, kommune: Any, templates: Path, expected: ImportedArea,
                vocab: Any) -> None:
    """Render the area as a document of its own and compare it with what was imported."""
    from reportgen.present import build_area_document

    view = build_area_document(area, kommune, expected.labels)
    back = _read_back(view, templates, vocab).area
    assert back is not None
    _placed(back, area.content.tables, vocab)
    _raise(_area_differences(expected, back, area, ""), expected.path)


def verify_report(report: Any, templates: Path, expected: ImportedReport,
                  vocab: Any) -> None:
    """Render the whole report and compare each area and chapter with what was imported."""
    from reportgen.present import build_report_document

    view = build_report_document(report, expected.labels)
    back = _read_back(view, templates, vocab).report
    assert back is not None
    found = {a.code: a for a in back.areas}
    problems: list[str] = []
    for area, wanted in zip(report.areas, expected.areas):
        got = found.get(area.code)
        if got is None:
            problems.append(_("area {code} is not in the rendered report").format(
                code=area.code))
            continue
        _placed(got, area.content.tables, vocab)
        scope = _("area {code}").format(code=area.code) + ": "
        problems += _area_differences(wanted, got, area, scope)
    ids = _ids(back.grids, back.charts, report.report.tables, back, vocab)
    for mine, theirs in ((expected.before, back.before), (expected.after, back.after)):
        problems += _chapter_differences(mine, theirs, ids)
    problems += _grids(expected, back, "")
    if expected.resolution is not None and back.resolution != expected.resolution:
        problems.append(_("the proposed resolution: the document has {have!r}; the new input"
                          " renders {gives!r}").format(have=expected.resolution,
                                                       gives=back.resolution))
    _raise(problems, expected.path)


def _read_back(view: Any, templates: Path, vocab: Any) -> Any:
    from reportgen.render import RenderOptions, render_format

    data = render_format("docx", view, templates, RenderOptions(None))
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "rendered.docx"
        path.write_bytes(data)
        return read_document(path, templates)


def _placed(back: ImportedArea, tables: dict[str, Any], vocab: Any) -> None:
    """The read-back's `[[tabell ?N]]` given the ids the rendered tables have."""
    ids = _ids(back.grids, back.charts, tables, back, vocab)
    back.texts = {k: place(v, ids) for k, v in back.texts.items()}
    for item in back.other_matters or []:
        item.chunks[:] = [c for c in (place(chunk, ids) for chunk in item.chunks) if c]


def _ids(grids: list[ImportedGrid], charts: list[tuple[str, str]], tables: dict[str, Any],
         owner: Any, vocab: Any) -> Any:
    ids, _changed = resolve(grids, charts, {}, tables, owner.labels, owner.language, vocab, [])
    owner.table_ids = dict(ids["tabell"])
    return ids


def _area_differences(expected: ImportedArea, back: ImportedArea, area: Any,
                      scope: str) -> list[str]:
    problems = []
    for key, text in expected.texts.items():
        if text:
            problems += _blocks(scope, _field(expected, key), parse_blocks(text, text_level(key)),
                                parse_blocks(back.texts.get(key, ""), text_level(key)))
    mine = [(i.heading, parse_blocks(i.text, other_base(i.heading)))
            for i in expected.other_matters or [] if i.chunks]
    theirs = [(i.heading, parse_blocks(i.text, other_base(i.heading)))
              for i in back.other_matters or [] if i.chunks]
    if mine != theirs:
        problems.append(scope + _("under 'Andre forhold': the document has the items {have!r};"
                                  " the new input renders {gives!r}").format(
            have=[h for h, _blocks in mine], gives=[h for h, _blocks in theirs]))
    problems += _figures(expected, back, area, scope)
    problems += _grids(expected, back, scope)
    return problems


def _field(imported: ImportedArea, key: str) -> str:
    part = TEXT_PARTS[key]
    return imported.labels.get(part.label or "", key) if part.label else _("the title")


def _blocks(scope: str, field: str, mine: list[Any], theirs: list[Any]) -> list[str]:
    if mine == theirs:
        return []
    index = next((i for i, (a, b) in enumerate(zip(mine, theirs)) if a != b),
                 min(len(mine), len(theirs)))
    have = _text(mine[index]) if index < len(mine) else _("nothing more")
    gives = _text(theirs[index]) if index < len(theirs) else _("nothing more")
    return [scope + _("under {field!r}, block {number}: the document has {have!r}; the new"
                      " input renders {gives!r}").format(field=field, number=index + 1,
                                                         have=have, gives=gives)]


def _text(block: Any) -> str:
    """A block's words, for a message."""
    if isinstance(block, Heading):
        return _("(heading) {text}").format(text=block.text)
    if isinstance(block, Paragraph):
        return "".join(s.text for s in block.spans)
    if isinstance(block, ListBlock):
        return " / ".join("".join(s.text for s in item) for item in block.items)
    if isinstance(block, Placement):
        return f"[[{block.what} {block.ref}]]"
    return type(block).__name__


def _figures(expected: ImportedArea, back: ImportedArea, area: Any, scope: str) -> list[str]:
    figures = area.content.economic_status.figures
    if expected.figures is None or figures is None:
        return []
    got = back.figures.rows if back.figures else []
    unit = figures.unit
    for mine, theirs in zip(expected.figures.rows, got):
        for k, column in enumerate(FIGURE_COLUMNS, 1):
            a, b = parse_amount(mine[k]), parse_amount(theirs[k])
            if column.typed and a is not None and (b is None or round_amount(a, unit) != b):
                return [scope + _("the figures table, row {row!r}: the document has {have!r},"
                                  " the new input renders {gives!r}").format(
                    row=mine[0], have=mine[k], gives=theirs[k])]
    names = [r[0] for r in expected.figures.rows if all(
        parse_amount(r[k]) is not None for k, c in enumerate(FIGURE_COLUMNS, 1) if c.typed)]
    if names != [r[0] for r in got]:
        return [scope + _("the figures table: the document has the rows {have!r}; the new"
                          " input renders {gives!r}").format(have=names,
                                                             gives=[r[0] for r in got])]
    return []


def _grids(expected: Any, back: Any, scope: str) -> list[str]:
    """Each table made or changed by this import gives the document's cells."""
    theirs = {ref: back.grids[i] for i, ref in back.table_ids.items() if ref}
    problems = []
    for index, ref in expected.table_ids.items():
        if ref not in expected.fresh_tables or ref not in theirs:
            continue
        mine, got = expected.grids[index], theirs[ref]
        rows = [mine.header, *mine.rows]
        shown = [got.header, *got.rows]
        if len(rows) != len(shown) or any(not _same(a, b) for r, s in zip(rows, shown)
                                          for a, b in zip(r, s)):
            problems.append(scope + _("the table {caption!r}: the new input does not render"
                                      " the document's cells").format(caption=mine.caption))
    return problems


def _same(mine: str, theirs: str) -> bool:
    a, b = parse_amount(mine.replace("%", "")), parse_amount(theirs.replace("%", ""))
    return mine.strip() == theirs.strip() or (a is not None and a == b)


def _chapter_differences(mine: list[Any], theirs: list[Any], ids: Any) -> list[str]:
    problems = []
    found = {c.heading: c for c in theirs}
    for chapter in mine:
        if not chapter.text:
            continue
        got = found.get(chapter.heading)
        if got is None:
            problems.append(_("the chapter {heading!r} is not in the rendered report").format(
                heading=chapter.heading))
            continue
        problems += _blocks("", chapter.heading, parse_blocks(chapter.text, CHAPTER_BASE),
                            parse_blocks(place(got.text, ids), CHAPTER_BASE))
    return problems


def _raise(problems: list[str], path: Path) -> None:
    if not problems:
        return
    message = _("the new input would not render as the document reads: {problems} (and"
                " {count} more)") if len(problems) > SHOWN else _(
        "the new input would not render as the document reads: {problems}")
    raise InputError(message.format(problems="; ".join(problems[:SHOWN]),
                                    count=len(problems) - SHOWN), location=where(path),
                     hint=_("nothing was written. This is a fault in reportgen's import: please"
                            " report it with the document; meanwhile, write that part in the"
                            " YAML"))
