"""The view of an area's section and of the whole report, built by walking the outline.

Part of stage 3 (present); see the package's docstring for what it imports.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import re
import unicodedata
from collections.abc import Callable
from typing import Any

from reportgen.languages import language
from reportgen.markup import parse_blocks, parse_spans
from reportgen.model import Area, Kommune, Period, Report
from reportgen.outline import (
    AREA_LEVEL_IN_REPORT,
    OTHER_MATTERS,
    TOP_LEVEL,
    Part,
    children,
    in_contents,
    item_heading_level,
    item_text_level,
    shown_level,
    starts_page,
    top_parts,
)
from reportgen.present.figures import figures_table, overview_blocks
from reportgen.present.numbers import format_date
from reportgen.present.tables import chart_view, table_view
from reportgen.view import (
    Block,
    Cover,
    DocumentView,
    Heading,
    ListBlock,
    Paragraph,
    Placement,
    Span,
)

Resolve = Callable[[Placement], Block]  # a placement -> the table or chart it places


def document_date(period: Period, given: dt.date | None = None,
                  epoch: int | None = None) -> dt.date:
    """The documents' date (their metadata): `epoch` when given (SOURCE_DATE_EPOCH, for
    reproducible builds, read and checked by the command line), else the date the inputs give
    (rapport.yaml's `dato`), else the period's end."""
    if epoch is not None:
        return dt.datetime.fromtimestamp(epoch, dt.UTC).date()
    return given or period.end


def build_area_document(area: Area, kommune: Kommune, labels: dict[str, str],
                        epoch: int | None = None, draft: bool = False) -> DocumentView:
    """The view of one area's section as a document of its own (dated by `epoch` when
    given: see document_date; a `draft` when asked)."""
    anchors = Anchors()
    return DocumentView(
        kind="area",
        document_id=f"{area.period}/{area.code}",
        lang=kommune.language,
        lang_tag=language(kommune.language).tag,
        title=area_title(area, labels),
        kommune=kommune.name,
        period_id=str(area.period),
        period_label=area.period.label_in(kommune.language),
        report_title=labels["report_title"].format(
            tertial=area.period.tertial, year=area.period.year
        ),
        date=document_date(area.period, epoch=epoch),
        labels=labels,
        blocks=tuple(area_blocks(area, labels, TOP_LEVEL, anchors, kommune.language)),
        source_fingerprint=area_fingerprint(area),
        draft=draft,
    )


def area_fingerprint(area: Area) -> str:
    """A short hash of the area's validated content (its YAML as read: not comments or
    layout), the same in every process: the document carries it, so that `reportgen import`
    can tell that the YAML changed after the document was rendered."""
    # Keys added to the model later are left out while empty, so that documents rendered
    # before them keep their fingerprint.
    unset = {"tables"} if not area.content.tables else set()
    canonical = area.content.model_dump_json(by_alias=True, exclude=unset)
    return hashlib.sha256(canonical.encode("utf-8")).hexdigest()[:16]


def build_report_document(report: Report, labels: dict[str, str],
                          epoch: int | None = None, draft: bool = False,
                          missing: dict[str, str] | None = None) -> DocumentView:
    """The view of the whole report: cover, contents, chapters, every area, chapters after
    (dated by `epoch` when given: see document_date). A `draft` names each area that is
    `missing` from it (code: name) in its place, with the word "mangler"."""
    period, settings = report.period, report.report
    anchors = Anchors()
    blocks: list[Block] = []
    lang = report.kommune.language
    resolve = _resolver(settings.tables, labels, lang)
    if settings.resolution:
        blocks += _resolution(settings.resolution, labels, anchors)
    for chapter in settings.chapters_before:
        blocks += _titled_text(chapter.heading, chapter.text, TOP_LEVEL, anchors, resolve,
                               new_page=True)
    blocks.append(anchors.heading(TOP_LEVEL, labels["areas_part"], new_page=True))
    if any(a.content.economic_status.figures for a in report.areas):
        overview = anchors.heading(AREA_LEVEL_IN_REPORT, labels["overview"])
        blocks += overview_blocks(report.areas, labels, lang, overview)
    places: list[tuple[str, Area | str]] = [(a.code, a) for a in report.areas]
    places += sorted((missing or {}).items())
    for code, area in sorted(places, key=lambda place: place[0]):
        if isinstance(area, str):  # code order puts a missing area in its place
            blocks += _missing_area(code, area, labels, anchors)
        else:
            blocks += area_blocks(area, labels, AREA_LEVEL_IN_REPORT, anchors, lang)
    for chapter in settings.chapters_after:
        blocks += _titled_text(chapter.heading, chapter.text, TOP_LEVEL, anchors, resolve,
                               new_page=True)
    title = settings.title or labels["report_title"].format(
        tertial=period.tertial, year=period.year
    )
    # The cover shows `dato` whatever the metadata says.
    date = document_date(period, settings.date, epoch)
    return DocumentView(
        kind="report",
        document_id=f"{period}/tertialrapport",
        lang=lang,
        lang_tag=language(lang).tag,
        title=title,
        kommune=report.kommune.name,
        period_id=str(period),
        period_label=period.label_in(lang),
        report_title=title,
        date=date,
        labels=labels,
        blocks=tuple(blocks),
        cover=Cover(title, settings.subtitle, format_date(settings.date or date, lang)),
        contents=tuple(b for b in blocks if isinstance(b, Heading) and in_contents(b.level)),
        draft=draft,
    )


def area_title(area: Area, labels: dict[str, str]) -> str:
    """'Programområde 08 Kompetanse, markedsføring og næring'."""
    return labels["area_title"].format(code=area.code, name=area.name)


def area_blocks(
    area: Area, labels: dict[str, str], level: int, anchors: Anchors, lang: str
) -> list[Block]:
    """The fixed structure of one area (outline.AREA_OUTLINE), its title at `level`."""
    blocks: list[Block] = [
        anchors.heading(level, area_title(area, labels), new_page=starts_page(level))]
    resolve = _resolver(area.content.tables, labels, lang)
    for part in top_parts():
        blocks += _part_blocks(part, area, labels, level, anchors, lang, resolve)
    return blocks


def _missing_area(code: str, name: str, labels: dict[str, str], anchors: Anchors) -> list[Block]:
    """A draft's note in the place of an area it leaves out: "Programområde 05 … – mangler"
    (in the contents too), and a sentence why."""
    return [anchors.heading(AREA_LEVEL_IN_REPORT, labels["missing_area"].format(
        code=code, name=name)), Paragraph((Span(labels["missing_text"]),))]


def _resolver(tables: dict[str, Any], labels: dict[str, str], lang: str) -> Resolve:
    """Placements of this file's tables (validate has checked every id)."""
    def resolve(placement: Placement) -> Block:
        table = tables[placement.ref]
        if placement.what == "diagram":
            return chart_view(table, labels)
        return table_view(table, labels, lang)

    return resolve


def _resolution(points: tuple[str, ...], labels: dict[str, str],
                anchors: Anchors) -> list[Block]:
    """Rådmannens forslag til vedtak: its heading and the points, numbered 1., 2., …"""
    items = tuple(parse_spans(" ".join(point.split())) for point in points)
    return [anchors.heading(TOP_LEVEL, labels["resolution"], new_page=True),
            ListBlock(True, 1, items)]


def _part_blocks(part: Part, area: Area, labels: dict[str, str], level: int, anchors: Anchors,
                 lang: str, resolve: Resolve) -> list[Block]:
    """One part of the outline and the parts inside it; nothing for an absent optional one."""
    value = part.value(area.content)
    if not value:
        return []
    heading = (anchors.heading(part.heading_level(level), labels[part.label])
               if part.label else None)
    blocks: list[Block] = [heading] if heading else []
    if part.kind == "text":
        blocks += _text(value, part.text_level(level), anchors, resolve)
    elif part.kind == "figures":
        blocks.append(figures_table(value, area.period, labels, lang))
    elif part.kind == "group":
        for inner in children(part):
            blocks += _part_blocks(inner, area, labels, level, anchors, lang, resolve)
    elif part is OTHER_MATTERS:
        for item in value:
            if item.heading:
                blocks.append(anchors.heading(item_heading_level(level), item.heading))
            blocks += _text(item.text, item_text_level(level, bool(item.heading)), anchors,
                            resolve)
    return blocks


def _titled_text(heading: str, text: str, level: int, anchors: Anchors, resolve: Resolve,
                 new_page: bool = False) -> list[Block]:
    return [anchors.heading(level, heading, new_page), *_text(text, level + 1, anchors, resolve)]


def _text(text: str, level: int, anchors: Anchors, resolve: Resolve) -> list[Block]:
    """A text field's blocks; its `#` headings get levels below the heading it stands under;
    its placements become the tables and charts they place."""
    blocks: list[Block] = []
    for block in parse_blocks(text, level):
        if isinstance(block, Heading):
            block = anchors.heading(shown_level(block.level), block.text)
        elif isinstance(block, Placement):
            block = resolve(block)
        blocks.append(block)
    return blocks


class Anchors:
    """Unique, readable ids for headings: 'okonomisk-status', 'okonomisk-status-2'."""

    def __init__(self) -> None:
        self.used: set[str] = set()

    def heading(self, level: int, text: str, new_page: bool = False) -> Heading:
        """A heading with an anchor of its own: its text's slug, numbered if already used."""
        base = _slug(text) or "del"
        anchor, n = base, 1
        while anchor in self.used:
            n += 1
            anchor = f"{base}-{n}"
        self.used.add(anchor)
        return Heading(level, text, anchor, new_page)


def _slug(text: str) -> str:
    text = text.lower().replace("æ", "ae").replace("ø", "o").replace("å", "a")
    ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    return re.sub(r"[^a-z0-9]+", "-", ascii_text).strip("-")[:60]
