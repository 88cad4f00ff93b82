"""`reportgen check`'s warnings: inputs that are valid but that a careful reader would query.

Pure: works on the model and the source positions; imports errors, markup, model, sources.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from decimal import Decimal

from reportgen.errors import ReportgenWarning, SourceLocation
from reportgen.markup import parse_blocks
from reportgen.model import Area, Kommune
from reportgen.period import Period
from reportgen.sources import KeyPath, SourceFile
from reportgen.view import Heading, ListBlock, Paragraph

MARKER = "FYLL UT"  # what `reportgen new` leaves where the author must write
LONG_SENTENCE = 30  # words; plain-language (klarspråk) advice is to stay well under this
SENTENCE_END = re.compile(r"(?<=[.!?])\s+(?=[A-ZÆØÅ«\"(0-9])")


def lint_area(area: Area, source: SourceFile) -> list[ReportgenWarning]:
    """Placeholders, empty sections, long sentences and figures that do not add up."""
    warnings: list[ReportgenWarning] = []
    for path, text in _text_fields(area):
        warnings += _lint_text(path, text, source)
    figures = area.content.economic_status.figures
    for i, row in enumerate(figures.rows if figures else ()):
        where = source.location(("økonomisk_status", "tall", "rader", i))
        month = area.period.month
        # Only for cost rows: net income (negative) is often billed in advance, so its
        # timing within the year says little.
        if row.annual_budget > 0 and row.budget > row.annual_budget:
            warnings.append(ReportgenWarning(
                f"tall.rader[{i}] {row.name!r}: the budget per {month} ({row.budget}) is larger"
                f" than the budget for the year ({row.annual_budget})", where,
                "check budsjett and årsbudsjett: the periodised budget is part of the year's"))
        if row.accounts > 0 and row.forecast < row.accounts:
            warnings.append(ReportgenWarning(
                f"tall.rader[{i}] {row.name!r}: the forecast for the year ({row.forecast}) is"
                f" lower than the accounts so far ({row.accounts})", where,
                "check prognose and regnskap: the year cannot cost less than is already spent"))
        if all(v == Decimal(0) for v in (row.accounts, row.budget, row.annual_budget, row.forecast)):
            warnings.append(ReportgenWarning(
                f"tall.rader[{i}] {row.name!r}: every amount is zero", where,
                "fill in the amounts, or remove the row"))
    return warnings


def lint_register(kommune: Kommune, codes: list[str], inputs_display: str,
                  period: Period) -> list[ReportgenWarning]:
    """Areas in the register that have no input for the period."""
    return [
        ReportgenWarning(
            f"area {code} {kommune.areas[code]} has no input for {period}",
            SourceLocation(f"{inputs_display}/{period}/{code}.yaml"),
            f"write it, perhaps starting from the last period: reportgen new {code} {period}")
        for code in kommune.areas if code not in codes
    ]


def _text_fields(area: Area) -> Iterator[tuple[KeyPath, str]]:
    content, status = area.content, area.content.economic_status
    yield ("ingress",), content.lead
    yield ("økonomisk_status", "fakta"), status.facts
    yield ("økonomisk_status", "vurdering"), status.assessment
    yield ("økonomisk_status", "konklusjon"), status.conclusion
    if content.investments is not None:
        yield ("investeringer",), content.investments
    for i, item in enumerate(content.other_matters):
        if item.heading is not None:
            yield ("andre_forhold", i, "overskrift"), item.heading
        yield ("andre_forhold", i, "tekst"), item.text


def _lint_text(path: KeyPath, text: str, source: SourceFile) -> list[ReportgenWarning]:
    where, name = source.location(path), ".".join(str(p) for p in path)
    if MARKER in text:
        return [ReportgenWarning(f"{name}: still holds the placeholder «{MARKER}»", where,
                                 "write the text for this period in its place")]
    blocks = parse_blocks(text, 1)
    if not any(isinstance(b, (Paragraph, ListBlock)) for b in blocks) and path[-1] != "overskrift":
        return [ReportgenWarning(f"{name}: has no text", where, "write the text, or remove the key")]
    warnings = []
    for block, following in zip(blocks, [*blocks[1:], None]):
        if isinstance(block, Heading) and (following is None or (
                isinstance(following, Heading) and following.level <= block.level)):
            warnings.append(ReportgenWarning(
                f"{name}: the sub-heading {block.text!r} has no text under it", where,
                "write the text under it, or remove the heading"))
    for sentence in _sentences(blocks):
        words = sentence.split()
        if len(words) > LONG_SENTENCE:
            warnings.append(ReportgenWarning(
                f"{name}: a sentence of {len(words)} words: «{' '.join(words[:8])} …»", where,
                f"plain language (klarspråk): split sentences over {LONG_SENTENCE} words"))
    return warnings


def _sentences(blocks: list) -> Iterator[str]:
    for block in blocks:
        runs = [block.spans] if isinstance(block, Paragraph) else (
            block.items if isinstance(block, ListBlock) else [])
        for spans in runs:
            yield from SENTENCE_END.split("".join(s.text for s in spans))



