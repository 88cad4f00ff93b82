"""The warnings: inputs that are valid but that a careful reader would query, and the
unfinished work that `render` refuses (placeholders «FYLL UT», text `new` copied that nobody
reviewed: warnings marked `unfinished`).

Works on the model and the source positions; reads the earlier period's file only to tell
whether copied text has changed (carry.unreviewed).
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import Any

from reportgen import project
from reportgen.carry import unreviewed
from reportgen.errors import TO_FILL_IN, ReportgenWarning, SourceLocation
from reportgen.markup import parse_blocks
from reportgen.messages import _
from reportgen.model import PLACEHOLDER, Area, Kommune, ReportInput
from reportgen.outline import (
    FIGURES,
    ITEM_HEADING_KEY,
    ROWS_KEY,
    TABLES_KEY,
    TYPED_COLUMNS,
    report_text_fields,
    text_fields,
)
from reportgen.period import Period
from reportgen.view import Heading, ListBlock, Paragraph, Placement
from reportgen.yamlsource import KeyPath, SourceFile, dotted

LONG_SENTENCE = 30  # words; plain-language (klarspråk) advice is to stay well under this
SENTENCE_END = re.compile(r"(?<=[.!?])\s+(?=[A-ZÆØÅ«\"(0-9])")


def unfinished(source: SourceFile, inputs: Path, period: Period) -> list[ReportgenWarning]:
    """Every placeholder «FYLL UT» left in the file (in any text: a heading, a row's name, a
    table's cell) and every text `new` copied that is still unreviewed."""
    return [*_placeholders(source, source.data, ()), *unreviewed(source, inputs, period)]


def _placeholders(source: SourceFile, value: Any, path: KeyPath) -> list[ReportgenWarning]:
    if isinstance(value, dict):
        return [w for k, v in value.items() for w in _placeholders(source, v, (*path, k))]
    if isinstance(value, list):
        return [w for i, v in enumerate(value) for w in _placeholders(source, v, (*path, i))]
    if not isinstance(value, str) or PLACEHOLDER not in value:
        return []
    return [ReportgenWarning(_("{key}: still holds the placeholder «{placeholder}»").format(
        key=dotted(path), placeholder=PLACEHOLDER), source.location(path),
        _("write the text for this period in its place"), unfinished=TO_FILL_IN)]


def lint_area(area: Area, source: SourceFile, inputs: Path) -> list[ReportgenWarning]:
    """Placeholders and unreviewed text, empty sections, long sentences and figures that do
    not add up."""
    warnings = unfinished(source, inputs, area.period)
    for path, text in text_fields(area.content):
        warnings += _lint_text(path, text, source)
    warnings += lint_tables(area.content.tables, text_fields(area.content), source)
    figures = area.content.economic_status.figures
    for i, row in enumerate(figures.rows if figures else ()):
        where = source.location((*FIGURES.key, ROWS_KEY, i))
        row_name = f"{FIGURES.name}.{ROWS_KEY}[{i}] {row.name!r}"
        month = area.period.month
        # Only for cost rows: net income (negative) is often billed in advance, so its
        # timing within the year says little.
        if row.annual_budget > 0 and row.budget > row.annual_budget:
            warnings.append(ReportgenWarning(
                _("{row}: the budget per {month} ({budget}) is larger than the budget for the"
                  " year ({annual})").format(row=row_name, month=month, budget=row.budget,
                                             annual=row.annual_budget), where,
                _("check budsjett and årsbudsjett: the periodised budget is part of the"
                  " year's")))
        if row.accounts > 0 and row.forecast < row.accounts:
            warnings.append(ReportgenWarning(
                _("{row}: the forecast for the year ({forecast}) is lower than the accounts so"
                  " far ({accounts})").format(row=row_name, forecast=row.forecast,
                                              accounts=row.accounts), where,
                _("check prognose and regnskap: the year cannot cost less than is already"
                  " spent")))
        if all(column.value(row) == 0 for column in TYPED_COLUMNS):
            warnings.append(ReportgenWarning(
                _("{row}: every amount is zero").format(row=row_name), where,
                _("fill in the amounts, or remove the row")))
    return warnings


def lint_report(settings: ReportInput, source: SourceFile, inputs: Path,
                period: Period) -> list[ReportgenWarning]:
    """rapport.yaml: placeholders and unreviewed text, tables that no text places."""
    return [*unfinished(source, inputs, period),
            *lint_tables(settings.tables, report_text_fields(settings), source)]


def lint_tables(tables: dict[str, Any], texts: Iterable[tuple[KeyPath, str]],
                source: SourceFile) -> list[ReportgenWarning]:
    """Tables defined under `tabeller:` that no text places."""
    placed = {b.ref for _path, text in texts for b in parse_blocks(text, 1)
              if isinstance(b, Placement)}
    return [ReportgenWarning(
        _("{key}: the table is placed in no text").format(key=f"{TABLES_KEY}.{ref}"),
        source.location((TABLES_KEY, ref), at_key=True),
        _("put a line [[tabell {ref}]] where it belongs in a text, or remove the table").format(
            ref=ref))
        for ref in tables if ref not in placed]


def lint_register(kommune: Kommune, codes: list[str], inputs_display: str,
                  period: Period) -> list[ReportgenWarning]:
    """Areas in the register that have no input for the period."""
    return [
        ReportgenWarning(
            _("area {code} {name} has no input for {period}").format(
                code=code, name=kommune.areas[code], period=period),
            SourceLocation(f"{inputs_display}/{period}/{project.area_file_name(code)}"),
            _("write it, perhaps starting from the last period: reportgen new {code} {period}"
              ).format(code=code, period=period))
        for code in kommune.areas if code not in codes
    ]


def _lint_text(path: KeyPath, text: str, source: SourceFile) -> list[ReportgenWarning]:
    where, name = source.location(path), ".".join(str(p) for p in path)
    if PLACEHOLDER in text:
        return []  # said by `unfinished`; the rest of the text is not the author's yet
    blocks = parse_blocks(text, 1)
    if not any(isinstance(b, (Paragraph, ListBlock)) for b in blocks) \
            and path[-1] != ITEM_HEADING_KEY:
        return [ReportgenWarning(_("{key}: has no text").format(key=name), where,
                                 _("write the text, or remove the key"))]
    warnings = []
    for block, following in zip(blocks, [*blocks[1:], None]):
        if isinstance(block, Heading) and (following is None or (
                isinstance(following, Heading) and following.level <= block.level)):
            warnings.append(ReportgenWarning(
                _("{key}: the sub-heading {heading!r} has no text under it").format(
                    key=name, heading=block.text), where,
                _("write the text under it, or remove the heading")))
    for sentence in _sentences(blocks):
        words = sentence.split()
        if len(words) > LONG_SENTENCE:
            warnings.append(ReportgenWarning(
                _("{key}: a sentence of {count} words: «{start} …»").format(
                    key=name, count=len(words), start=" ".join(words[:8])), where,
                _("plain language (klarspråk): split sentences over {most} words").format(
                    most=LONG_SENTENCE)))
    return warnings


def _sentences(blocks: list) -> Iterator[str]:
    for block in blocks:
        runs = [block.spans] if isinstance(block, Paragraph) else (
            block.items if isinstance(block, ListBlock) else [])
        for spans in runs:
            yield from SENTENCE_END.split("".join(s.text for s in spans))



