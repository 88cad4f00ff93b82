"""Split a whole tertial report into its title page, chapters and areas, and read each.

The report is cut at its headings: an area's section begins at a heading "Programområde NN
…" (detect.py) and ends at the next heading as high as it; a chapter begins at a heading of
the report's top level ("Del 1 Hovedtrekk", or any heading as high as the highest), and a
chapter that holds the areas ("Del 3 Programområdene") is reportgen's own: its text (the
overview of the areas' figures) is noted, not imported. What stands before the first chapter
is the title page: the title, a subtitle, the date, the municipality's name; the contents
list is reportgen's own. Each area is read by foreign.ForeignReader; each chapter by the
same reader with the outline turned off, its text going into one field.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from reportgen.commands.importer.common import (
    ImportedArea,
    ImportedChapter,
    ImportedReport,
    Unplaced,
    W,
    where,
)
from reportgen.commands.importer.detect import (
    Vocabulary,
    date_in,
    is_short,
    kommune_names,
)
from reportgen.commands.importer.foreign import TITLE_LEVEL, ForeignReader, bold, heading_level
from reportgen.commands.importer.grid import blocks
from reportgen.commands.importer.read import document_notes
from reportgen.commands.importer.text import Inline, Styles
from reportgen.errors import InputError
from reportgen.messages import _, ngettext
from reportgen.outline import AREA_OUTLINE
from reportgen.period import Period

LEAD = AREA_OUTLINE[0].name  # the field a chapter's text is read into
TOC_LINE = re.compile(r"\t\s*\d+\s*$")  # a line of a typed contents list: "… <tab> 12"


@dataclass
class Mark:
    """What a paragraph of the report is, for cutting the report into parts."""

    kind: str  # area, chapter, resolution, contents, part, heading, title, toc, text, table
    level: int | None  # the document's heading level (None: none, or a bold line)
    text: str
    code: str = ""
    name: str = ""
    caption: bool = False  # in a caption's style
    label: str | None = None  # the labels.yaml key of its text, if it is a fixed text


@dataclass
class Segment:
    """A stretch of the body that belongs to one part: from `start` to `end` (exclusive)."""

    kind: str  # cover, area, chapter, resolution, contents, rest
    start: int
    mark: Mark | None
    end: int = 0


def read_report(document: Any, path: Path, vocab: Vocabulary, labels: dict[str, str],
                period: Period, language: str, own: bool = False) -> ImportedReport:
    """The whole report as input values: every area, the chapters, the title page."""
    styles = Styles(document)
    elements = list(blocks(document.element.body))
    marks = _marks(elements, styles, Inline(document, styles), vocab)
    segments = _segments(marks)
    out = ImportedReport(path, str(period), language, labels, own=own)
    contents = sum(1 for m in marks if m.kind in ("toc", "contents"))
    areas_part = _areas_parts(segments, marks, vocab)
    seen: dict[str, str] = {}
    for segment in segments:
        part = elements[segment.start:segment.end]
        kept = [e for e, m in zip(part, marks[segment.start:segment.end]) if m.kind != "toc"]
        if segment.kind == "cover":
            _cover(part, marks[segment.start:segment.end], styles, vocab, out)
        elif segment.kind == "area":
            _area(document, kept, segment.mark, styles, vocab, period, out, seen)
        elif segment.kind == "resolution":
            out.resolution = _points(_chapter(document, kept, styles, vocab, period, out))
        elif segment.kind == "chapter" and segment.start in areas_part:
            _note_part(segment, marks, out, True, own)
            heading = segment.mark.text if segment.mark else ""
            if heading != labels["areas_part"]:
                out.notes.append(_("the heading {heading!r} is written {label!r} by reportgen")
                                 .format(heading=heading, label=labels["areas_part"]))
        elif segment.kind == "chapter":
            chapter = ImportedChapter(segment.mark.text if segment.mark else "",
                                      _chapter(document, kept, styles, vocab, period, out))
            (out.after if out.areas else out.before).append(chapter)
            if out.areas and _areas_after(segments, segment):
                out.notes.append(_("the chapter {heading!r} stands between two areas; reportgen"
                                   " shows it after the areas").format(heading=chapter.heading))
        elif segment.kind == "rest":
            _note_part(segment, marks, out, False, own)
    if contents and not own:
        out.notes.append(_("the contents list is made by reportgen from the headings; it was"
                           " left out"))
    out.notes += document_notes(document)
    return out


def _marks(elements: list[Any], styles: Styles, inline: Inline, vocab: Vocabulary) -> list[Mark]:
    """What each block is, with the report's top level of chapters found."""
    marks = []
    for element in elements:
        if element.tag == f"{W}tbl":
            marks.append(Mark("table", None, ""))
            continue
        pieces = inline.pieces(element)
        inline.take_notes()
        raw = "".join(p.text for p in pieces)
        text = " ".join(raw.split())
        level, _style = heading_level(element, styles)
        mark = _mark(level, text, raw, bold(pieces), vocab)
        mark.caption, mark.label = level == "caption", vocab.label_of(text)
        marks.append(mark)
    areas = [m.level for m in marks if m.kind == "area" and m.level is not None]
    candidates = [m.level for m in marks if m.level is not None and m.level > TITLE_LEVEL
                  and (m.kind in ("chapter", "resolution", "contents")
                       or (m.kind == "heading" and (not areas or m.level <= min(areas))))]
    top = min(candidates) if candidates else None
    for m in marks:
        if m.kind == "heading" and m.level == top:
            m.kind = "chapter"
    return marks


def _mark(level: Any, text: str, raw: str, emphasis: bool, vocab: Vocabulary) -> Mark:
    if level == "toc" or TOC_LINE.search(raw):
        return Mark("toc", None, text)
    if not text:
        return Mark("text", None, text)
    depth = level if isinstance(level, int) else None
    heading_like = depth is not None or (is_short(text) and (emphasis or not level))
    titled = vocab.area_title(text)
    if titled and is_short(text) and heading_like:
        return Mark("area", depth, text, *titled)
    named = vocab.label_of(text)
    if heading_like and named in ("resolution", "contents") and is_short(text):
        return Mark(named, depth, text)
    if vocab.part(text) is not None:
        return Mark("part", depth, text)
    if heading_like and (depth or emphasis) and vocab.chapter(text):
        return Mark("chapter", depth, text)
    if depth == TITLE_LEVEL:
        return Mark("title", depth, text)
    return Mark("heading" if depth else "text", depth, text)


def _segments(marks: list[Mark]) -> list[Segment]:
    """The body cut into parts at the areas' and chapters' headings."""
    segments = [Segment("cover", 0, None)]
    area_level: int | None = None
    for i, mark in enumerate(marks):
        current = segments[-1]
        ends_area = current.kind == "area" and mark.kind == "heading" and \
            mark.level is not None and area_level is not None and mark.level <= area_level
        if mark.kind in ("area", "chapter", "resolution", "contents") or ends_area:
            segments.append(Segment("rest" if ends_area else mark.kind, i, mark))
            if mark.kind == "area":
                area_level = mark.level
    for segment, following in zip(segments, segments[1:]):
        segment.end = following.start
    segments[-1].end = len(marks)
    return segments


def _areas_parts(segments: list[Segment], marks: list[Mark], vocab: Vocabulary) -> set[int]:
    """The chapters that hold the areas (reportgen's "Del 3 Programområdene"), by start."""
    found = set()
    for segment, following in zip(segments, segments[1:]):
        if segment.kind != "chapter" or following.kind != "area" or segment.mark is None:
            continue
        mark, area = segment.mark, following.mark
        own_text = any(m.kind == "table" or (m.kind != "toc" and m.text)
                       for m in marks[segment.start + 1:segment.end])
        deeper = mark.level is not None and area is not None and area.level is not None \
            and area.level > mark.level
        if vocab.label_of(mark.text) == "areas_part" or deeper or not own_text:
            found.add(segment.start)
    return found


def _areas_after(segments: list[Segment], segment: Segment) -> bool:
    return any(s.kind == "area" for s in segments if s.start > segment.start)


def _note_part(segment: Segment, marks: list[Mark], out: ImportedReport,
               reportgen_part: bool, own: bool) -> None:
    """A stretch reportgen writes itself, or cannot place: one note naming it."""
    inside = marks[segment.start + 1:segment.end]
    paragraphs = sum(1 for m in inside if m.kind not in ("table", "toc") and m.text)
    tables = sum(1 for m in inside if m.kind == "table")
    if reportgen_part and own:  # reportgen's overview: its heading, captions, table, chart
        overview = [m for m in inside if m.label == "overview"]
        paragraphs -= sum(1 for m in inside if m.caption and m.text) + len(overview)
        tables -= min(tables, len(overview))
    heading = segment.mark.text if segment.mark else ""
    what = _counted(paragraphs, tables)
    if reportgen_part and not what:
        return
    if reportgen_part:
        out.notes.append(_("under {heading!r}, before the first area: {what}; reportgen makes"
                           " this part from the areas (the overview of their figures); it was"
                           " left out").format(heading=heading, what=what))
    else:
        left = _("the heading {heading!r} and the {what} under it, after an area's Andre"
                 " forhold and before the next area; not imported") if what else _(
            "the heading {heading!r}, after an area's Andre forhold and before the next area;"
            " not imported")
        out.notes.append(Unplaced(left.format(heading=heading, what=what)))


def _counted(paragraphs: int, tables: int) -> str:
    """"2 paragraph(s), 1 table(s)" (those there are); "paragraph(s)" in English either
    way, other languages have two forms."""
    counts = [ngettext("{count} paragraph(s)", "{count} paragraph(s)", paragraphs),
              ngettext("{count} table(s)", "{count} table(s)", tables)]
    return ", ".join(text.format(count=n) for n, text in zip((paragraphs, tables), counts) if n)


def _cover(part: list[Any], marks: list[Mark], styles: Styles, vocab: Vocabulary,
           out: ImportedReport) -> None:
    """The title page: title, subtitle, date and the municipality's name."""
    for element, mark in zip(part, marks):
        if mark.kind == "table":
            out.notes.append(Unplaced(_("a table on the title page; not imported")))
        elif not mark.text or mark.kind in ("toc", "contents"):
            continue
        elif out.title is None and (mark.level == TITLE_LEVEL or vocab.report_title(mark.text)):
            out.title = mark.text
        elif out.subtitle is None and heading_level(element, styles)[0] == "subtitle":
            out.subtitle = mark.text
        elif out.date is None and date_in(mark.text):
            out.date = date_in(mark.text)
        elif out.kommune is None and kommune_names([mark.text]) == [mark.text]:
            out.kommune = mark.text
        else:
            quote = mark.text if len(mark.text) <= 40 else mark.text[:39] + "…"
            out.notes.append(Unplaced(_("on the title page, {quote!r}; not imported").format(
                quote=quote)))


def _area(document: Any, part: list[Any], mark: Mark | None, styles: Styles,
          vocab: Vocabulary, period: Period, out: ImportedReport,
          seen: dict[str, str]) -> None:
    assert mark is not None
    if mark.code in seen:
        raise InputError(_("the report has two sections for area {code}: {first!r} and"
                           " {second!r}").format(code=mark.code, first=seen[mark.code],
                                                 second=mark.text),
                         location=where(out.path),
                         hint=_("keep one of them, or give one its own area number"))
    seen[mark.code] = mark.text
    area = ImportedArea(out.path, str(period), mark.code, out.language, labels=out.labels,
                        own=False)
    ForeignReader(document, out.labels, period, area, vocab, styles, scope=mark.text).read(
        "", part)
    out.areas.append(area)


def _chapter(document: Any, part: list[Any], styles: Styles, vocab: Vocabulary,
             period: Period, out: ImportedReport) -> str:
    """A chapter's text (its heading is the first block) as markup; its tables join the
    report's `grids`, its notes the report's."""
    holder = ImportedArea(out.path, str(period), "", out.language, labels=out.labels,
                          own=False, grids=out.grids, charts=out.charts)
    scope = " ".join("".join(t.text or "" for t in part[0].iter(f"{W}t")).split()) \
        if part else ""
    ForeignReader(document, out.labels, period, holder, vocab, styles, scope=scope,
                  chapter=True).read("", part)
    out.notes += holder.notes
    return holder.texts.get(LEAD, "")


def _points(text: str) -> list[str]:
    """The proposed resolution's points: each paragraph or list item one point."""
    points = []
    for chunk in text.split("\n\n") if text else []:
        for line in chunk.split("\n"):
            line = re.sub(r"^(?:- |\d+\. )", "", line.strip())
            if line and not line.startswith("#"):
                points.append(line)
    return points
