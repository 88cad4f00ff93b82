"""The view of an area's section and of the whole report, built by walking the outline.

Part of stage 3 (present); see the package's docstring for what it imports.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import re
import unicodedata
from collections.abc import Callable
from dataclasses import replace
from typing import Any

from reportgen.labels import fill
from reportgen.languages import language
from reportgen.markup import parse_blocks, parse_spans
from reportgen.model import Area, Kommune, Period, Report, to_json
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
from reportgen.present.typography import typeset, typeset_pieces
from reportgen.view import (
    PAGE_IDS,
    Block,
    Cover,
    DocumentView,
    Heading,
    ListBlock,
    Paragraph,
    Placement,
    Section,
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
    blocks = tuple(area_blocks(area, labels, TOP_LEVEL, anchors, kommune.language))
    return replace(area_head(area, kommune, labels, epoch), blocks=blocks, draft=draft)


def area_head(area: Area, kommune: Kommune, labels: dict[str, str],
              epoch: int | None = None) -> DocumentView:
    """An area's document without its body: the title, the properties, the running header."""
    report_title = fill(labels, "report_title", tertial=area.period.tertial,
                        year=area.period.year)
    return DocumentView(
        kind="area",
        document_id=f"{area.period}/{area.code}",
        lang=kommune.language,
        lang_tag=language(kommune.language).tag,
        title=area_title(area, labels),
        kommune=kommune.name,
        period_id=str(area.period),
        period_label=area.period.label_in(kommune.language),
        report_title=report_title,
        running_title=running_title(report_title, area.period, kommune.language),
        date=document_date(area.period, epoch=epoch),
        labels=labels,
        blocks=(),
        source_fingerprint=area_fingerprint(area),
    )


def area_fingerprint(area: Area) -> str:
    """A short hash of the area's validated content (its YAML as read: not comments or
    layout), the same in every process: the document carries it, so that `reportgen import`
    can tell that the YAML changed after the document was rendered."""
    # Keys added to the model later are left out while empty, so that documents rendered
    # before them keep their fingerprint.
    unset = frozenset({"tables"} if not area.content.tables else ())
    canonical = to_json(area.content, exclude=unset)
    return hashlib.sha256(canonical.encode("utf-8")).hexdigest()[:16]


def build_report_document(report: Report, labels: dict[str, str],
                          epoch: int | None = None,
                          cache: AreaBlocks | None = None, draft: bool = False,
                          missing: dict[str, str] | None = None) -> DocumentView:
    """The view of the whole report: cover, contents, chapters, every area, chapters after
    (dated by `epoch` when given: see document_date). With `cache` (serve keeps one), an
    area whose blocks it already holds is not presented again: the view is the same. A
    `draft` names each area that is `missing` from it (code: name) in its place, with the
    word "mangler"."""
    blocks, sections = _report_blocks(report, labels, cache, missing or {})
    contents = tuple(b for b in blocks if isinstance(b, Heading) and in_contents(b.level))
    return replace(report_head(report, labels, epoch), blocks=tuple(blocks), contents=contents,
                   sections=tuple(sections), draft=draft)


def report_head(report: Report, labels: dict[str, str],
                epoch: int | None = None) -> DocumentView:
    """The whole report's document without its body: the title, the properties, the running
    header and the cover."""
    period, settings, lang = report.period, report.report, report.kommune.language
    title = settings.title or fill(labels, "report_title", tertial=period.tertial,
                                   year=period.year)
    date = document_date(period, settings.date, epoch)  # the cover shows `dato` whatever
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
        running_title=running_title(title, period, lang),
        date=date,
        labels=labels,
        blocks=(),
        cover=Cover(typeset(title), settings.subtitle and typeset(settings.subtitle),
                    format_date(settings.date or date, lang),
                    report.kommune.logo.picture if report.kommune.logo else None),
    )


def _report_blocks(report: Report, labels: dict[str, str], cache: Any = None,
                   missing: dict[str, str] | None = None) -> tuple[list[Block], list[Section]]:
    """The whole report's blocks in order, and where each of its parts starts; with `cache`
    (AreaBlocks), unchanged areas' blocks come from it. An area `missing` from a draft (code:
    name) is a part of its own, in code order among the others."""
    settings, lang = report.report, report.kommune.language
    anchors = Anchors()
    blocks: list[Block] = []
    sections: list[Section] = []

    def part(kind: Any, added: list[Block], code: str = "") -> None:
        sections.append(Section(kind, added[0].anchor, code))  # type: ignore[union-attr]
        blocks.extend(added)

    resolve = _resolver(settings.tables, labels, lang)
    if settings.resolution:
        part("resolution", _resolution(settings.resolution, labels, anchors))
    for chapter in settings.chapters_before:
        part("chapter", _titled_text(chapter.heading, chapter.text, TOP_LEVEL, anchors, resolve,
                                     new_page=starts_page(TOP_LEVEL)))
    areas_part: list[Block] = [anchors.heading(TOP_LEVEL, fill(labels, "areas_part"),
                                               new_page=starts_page(TOP_LEVEL),
                                               names_part=True)]
    if any(a.content.economic_status.figures for a in report.areas):
        overview = anchors.heading(AREA_LEVEL_IN_REPORT, fill(labels, "overview"))
        areas_part += overview_blocks(report.areas, labels, lang, overview)
    part("areas", areas_part)
    present = cache.blocks if cache is not None else area_blocks
    places: list[tuple[str, Area | str]] = [(a.code, a) for a in report.areas]
    places += sorted((missing or {}).items())
    for code, area in sorted(places, key=lambda place: place[0]):
        if isinstance(area, str):  # code order puts a missing area in its place
            part("area", _missing_area(code, area, labels, anchors), code)
        else:
            part("area", present(area, labels, AREA_LEVEL_IN_REPORT, anchors, lang), code)
    for chapter in settings.chapters_after:
        part("chapter", _titled_text(chapter.heading, chapter.text, TOP_LEVEL, anchors, resolve,
                                     new_page=starts_page(TOP_LEVEL)))
    return blocks, sections


def running_title(title: str, period: Period, lang: str) -> str:
    """The running header's name of the report: its title, and the period after it only when
    the title does not already name the period's year ("1. tertialrapport 2017" says it)."""
    return title if str(period.year) in title else f"{title} · {period.label_in(lang)}"


def area_title(area: Area, labels: dict[str, str]) -> str:
    """'Programområde 08 Kompetanse, markedsføring og næring'."""
    return fill(labels, "area_title", code=area.code, name=area.name)


def area_blocks(
    area: Area, labels: dict[str, str], level: int, anchors: Anchors, lang: str
) -> list[Block]:
    """The fixed structure of one area (outline.AREA_OUTLINE), its title at `level`."""
    blocks: list[Block] = [
        anchors.heading(level, area_title(area, labels), names_part=True)]  # areas flow
    resolve = _resolver(area.content.tables, labels, lang)
    for part in top_parts():
        blocks += _part_blocks(part, area, labels, level, anchors, lang, resolve)
    return blocks


class AreaBlocks:
    """The areas' blocks in the whole report, kept from one build to the next (serve), so
    that after one area's file changed only that area is presented again.

    An entry is used only for the very same validated area and labels objects, the same
    level and language, and the same anchors taken before it: exactly the inputs of
    area_blocks, whose blocks (frozen dataclasses) are then the same. Anchors the area took
    are taken again, so the areas after it get the same anchors too."""

    def __init__(self) -> None:
        self._entries: dict[str, tuple[Any, ...]] = {}

    def blocks(self, area: Area, labels: dict[str, str], level: int, anchors: Anchors,
               lang: str) -> list[Block]:
        """area_blocks(area, labels, level, anchors, lang), from the cache when it may be."""
        before = frozenset(anchors.used)
        key = (area, labels, level, lang, before)
        entry = self._entries.get(area.code)
        if entry is not None and _same_key(entry[0], key):
            anchors.used |= entry[2]
            return list(entry[1])
        blocks = area_blocks(area, labels, level, anchors, lang)
        self._entries[area.code] = (key, tuple(blocks), frozenset(anchors.used - before))
        return blocks


def _same_key(old: tuple[Any, ...], new: tuple[Any, ...]) -> bool:
    """Same objects (area, labels), equal level, language and anchors before."""
    return old[0] is new[0] and old[1] is new[1] and old[2:] == new[2:]


def _missing_area(code: str, name: str, labels: dict[str, str], anchors: Anchors) -> list[Block]:
    """A draft's note in the place of an area it leaves out: "Programområde 05 … – mangler"
    (in the contents too), and a sentence why."""
    heading = anchors.heading(AREA_LEVEL_IN_REPORT, fill(labels, "missing_area", code=code,
                                                         name=name), names_part=True)
    return [heading, Paragraph((Span(fill(labels, "missing_text")),))]


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
    return [anchors.heading(TOP_LEVEL, fill(labels, "resolution"), new_page=True),
            ListBlock(True, 1, items)]


def _part_blocks(part: Part, area: Area, labels: dict[str, str], level: int, anchors: Anchors,
                 lang: str, resolve: Resolve) -> list[Block]:
    """One part of the outline and the parts inside it; nothing for an absent optional one."""
    value = part.value(area.content)
    if not value:
        return []
    heading = (anchors.heading(part.heading_level(level), fill(labels, part.label))
               if part.label else None)
    blocks: list[Block] = [heading] if heading else []
    if part.kind == "text":
        blocks += _text(value, part.text_level(level), anchors, resolve)
    elif part.kind == "figures":
        # In the whole report the overview's reading guide states the sign rule, once.
        blocks.append(figures_table(value, area.period, labels, lang,
                                    sign_rule=level == TOP_LEVEL))
    elif part.kind == "group":
        for inner in children(part):
            blocks += _part_blocks(inner, area, labels, level, anchors, lang, resolve)
    elif part is OTHER_MATTERS:
        for item in value:
            if item.heading:
                blocks.append(_typeset(anchors.heading(item_heading_level(level), item.heading)))
            blocks += _text(item.text, item_text_level(level, bool(item.heading)), anchors,
                            resolve)
    return blocks


def _titled_text(heading: str, text: str, level: int, anchors: Anchors, resolve: Resolve,
                 new_page: bool = False) -> list[Block]:
    return [_typeset(anchors.heading(level, heading, new_page, names_part=True)),
            *_text(text, level + 1, anchors, resolve)]


def _text(text: str, level: int, anchors: Anchors, resolve: Resolve) -> list[Block]:
    """A text field's blocks, typeset (present.typography); its `#` headings get levels below
    the heading it stands under; its placements become the tables and charts they place."""
    blocks: list[Block] = []
    for block in parse_blocks(text, level):
        if isinstance(block, Heading):
            block = anchors.heading(shown_level(block.level), block.text)
        elif isinstance(block, Placement):
            block = resolve(block)
        blocks.append(_typeset(block))
    return blocks


def _typeset(block: Block) -> Block:
    """No-break spaces between numbers and their units, in every kind of text block."""
    if isinstance(block, Heading):
        return replace(block, text=typeset(block.text))
    if isinstance(block, Paragraph):
        return replace(block, spans=typeset_pieces(block.spans))
    if isinstance(block, ListBlock):
        return replace(block, items=tuple(typeset_pieces(item) for item in block.items))
    return block


class Anchors:
    """Unique, readable ids for headings: 'okonomisk-status', 'okonomisk-status-2'."""

    def __init__(self) -> None:
        self.used: set[str] = set()
        # The last number tried for each slug: the numbers below it are taken, and stay so.
        # Counting from 2 for each heading took time quadratic in the number of equal ones.
        self.tried: dict[str, int] = {}

    def heading(self, level: int, text: str, new_page: bool = False,
                names_part: bool = False) -> Heading:
        """A heading with an anchor of its own: its text's slug, numbered if already used."""
        base = _slug(text) or "del"
        anchor, n = base, self.tried.get(base, 1)
        if n > 1:
            anchor = _numbered(base, n)
        while anchor in self.used or PAGE_IDS.fullmatch(anchor):
            n += 1
            anchor = _numbered(base, n)
        self.used.add(anchor)
        self.tried[base] = n
        return Heading(level, text, anchor, new_page, names_part)


def _numbered(base: str, n: int) -> str:
    """The n-th anchor of a slug: `base-n`, or `base-del-n` where that is an id of the page's
    own. Every `tabell-n` is (a table's caption), so a second heading "Tabell" was numbered
    for ever."""
    anchor = f"{base}-{n}"
    return f"{base}-del-{n}" if PAGE_IDS.fullmatch(anchor) else anchor


def _slug(text: str) -> str:
    text = text.lower().replace("æ", "ae").replace("ø", "o").replace("å", "a")
    ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    return re.sub(r"[^a-z0-9]+", "-", ascii_text).strip("-")[:60]
