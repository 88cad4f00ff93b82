"""Stage 3, present: model -> view. Labels, Norwegian numbers, parsed text, heading levels.

Imports model, markup and view; no I/O (labels arrive as a dict read by the build stage).
"""

from __future__ import annotations

import datetime as dt
import hashlib
import os
import re
import unicodedata
from decimal import ROUND_HALF_UP, Decimal

from babel.numbers import format_decimal

from reportgen.markup import parse_blocks
from reportgen.model import Area, FigureRow, Figures, Kommune, Period, Report
from reportgen.view import Bar, Block, Chart, Cover, DocumentView, Heading, Table, TableRow

MINUS = "\u2212"
DECIMALS = {"mill. kr": 1, "1000 kr": 0}


def document_date(period: Period, given: dt.date | None = None) -> dt.date:
    """The documents' date (their metadata): SOURCE_DATE_EPOCH when set (reproducible builds),
    else the date the inputs give (rapport.yaml's `dato`), else the period's end."""
    epoch = os.environ.get("SOURCE_DATE_EPOCH")
    if epoch and epoch.isdigit():
        return dt.datetime.fromtimestamp(int(epoch), dt.timezone.utc).date()
    return given or period.end


def build_area_document(area: Area, kommune: Kommune, labels: dict[str, str]) -> DocumentView:
    """The view of one area's section as a document of its own."""
    anchors = Anchors()
    return DocumentView(
        kind="area",
        document_id=f"{area.period}/{area.code}",
        lang=kommune.language,
        title=area_title(area, labels),
        kommune=kommune.name,
        period_id=str(area.period),
        period_label=area.period.label,
        report_title=labels["report_title"].format(tertial=area.period.tertial, year=area.period.year),
        date=document_date(area.period),
        labels=labels,
        blocks=tuple(area_blocks(area, labels, 1, anchors, kommune.language)),
        source_fingerprint=area_fingerprint(area),
    )


def area_fingerprint(area: Area) -> str:
    """A short hash of the area's validated content (its YAML as read: not comments or
    layout), the same in every process: the document carries it, so that `reportgen import`
    can tell that the YAML changed after the document was rendered."""
    canonical = area.content.model_dump_json(by_alias=True)
    return hashlib.sha256(canonical.encode("utf-8")).hexdigest()[:16]


def build_report_document(report: Report, labels: dict[str, str]) -> DocumentView:
    """The view of the whole report: cover, contents, chapters, every area, chapters after."""
    period, settings = report.period, report.report
    anchors = Anchors()
    blocks: list[Block] = []
    for chapter in settings.chapters_before:
        blocks += _titled_text(chapter.heading, chapter.text, 1, anchors, new_page=True)
    blocks.append(anchors.heading(1, labels["areas_part"], new_page=True))
    blocks += overview_blocks(report.areas, labels, report.kommune.language, 2, anchors)
    for area in report.areas:
        blocks += area_blocks(area, labels, 2, anchors, report.kommune.language)
    for chapter in settings.chapters_after:
        blocks += _titled_text(chapter.heading, chapter.text, 1, anchors, new_page=True)
    title = settings.title or labels["report_title"].format(tertial=period.tertial, year=period.year)
    date = document_date(period, settings.date)  # the cover shows `dato` whatever the metadata
    return DocumentView(
        kind="report",
        document_id=f"{period}/tertialrapport",
        lang=report.kommune.language,
        title=title,
        kommune=report.kommune.name,
        period_id=str(period),
        period_label=period.label,
        report_title=title,
        date=date,
        labels=labels,
        blocks=tuple(blocks),
        cover=Cover(title, settings.subtitle, format_date(settings.date or date)),
        contents=tuple(b for b in blocks if isinstance(b, Heading) and b.level <= 2),
    )


def area_title(area: Area, labels: dict[str, str]) -> str:
    """'Programområde 08 Kompetanse, markedsføring og næring'."""
    return labels["area_title"].format(code=area.code, name=area.name)


def area_blocks(
    area: Area, labels: dict[str, str], level: int, anchors: Anchors, lang: str
) -> list[Block]:
    """The fixed structure of one area, its title at `level`."""
    content, status = area.content, area.content.economic_status
    blocks: list[Block] = [anchors.heading(level, area_title(area, labels), new_page=level > 1)]
    blocks += _text(content.lead, level + 1, anchors)
    blocks.append(anchors.heading(level + 1, labels["economic_status"]))
    blocks += _titled_text(labels["facts"], status.facts, level + 2, anchors)
    if status.figures:  # the figures are the facts: the table follows the Fakta text
        blocks.append(figures_table(status.figures, area.period, labels, lang))
    blocks += _titled_text(labels["assessment"], status.assessment, level + 2, anchors)
    blocks += _titled_text(labels["conclusion"], status.conclusion, level + 2, anchors)
    if content.investments:
        blocks += _titled_text(labels["investments"], content.investments, level + 1, anchors)
    if content.other_matters:
        blocks.append(anchors.heading(level + 1, labels["other_matters"]))
        for item in content.other_matters:
            if item.heading:
                blocks += _titled_text(item.heading, item.text, level + 2, anchors)
            else:
                blocks += _text(item.text, level + 2, anchors)
    return blocks


def _titled_text(heading: str, text: str, level: int, anchors: Anchors,
                 new_page: bool = False) -> list[Block]:
    return [anchors.heading(level, heading, new_page), *_text(text, level + 1, anchors)]


def _text(text: str, level: int, anchors: Anchors) -> list[Block]:
    """A text field's blocks; its `#` headings get levels below the heading it stands under."""
    return [
        anchors.heading(min(b.level, 6), b.text) if isinstance(b, Heading) else b
        for b in parse_blocks(text, level)
    ]


def figures_table(figures: Figures, period: Period, labels: dict[str, str], lang: str) -> Table:
    """Accounts, budgets and computed deviations, with a sum row when there are several rows."""
    rows = [(r.name, _amounts(r)) for r in figures.rows]
    return _amounts_table("table_caption", rows, figures.unit, period, labels, lang)


def overview_blocks(areas: tuple[Area, ...], labels: dict[str, str], lang: str, level: int,
                    anchors: Anchors) -> list[Block]:
    """Every area's figures summed, in mill. kr, and a chart of each area's deviation."""
    with_figures = [a for a in areas if a.content.economic_status.figures]
    if not with_figures:
        return []
    period = with_figures[0].period
    rows = []
    for area in with_figures:
        figures = area.content.economic_status.figures
        assert figures is not None
        scale = Decimal(1000) if figures.unit == "1000 kr" else Decimal(1)
        sums = [sum(column, Decimal(0)) / scale for column in zip(*map(_amounts, figures.rows))]
        rows.append((f"{area.code} {area.name}", sums))
    table = _amounts_table("overview_caption", rows, "mill. kr", period, labels, lang)
    words = {"month": period.month, "year": period.year, "unit": "mill. kr"}
    chart = Chart(
        caption=labels["chart_caption"].format(**words),
        alt=labels["chart_alt"].format(**words),
        unit="mill. kr",
        bars=tuple(Bar(name, values[2], format_amount(values[2], "mill. kr", lang))
                   for name, values in rows),
    )
    return [anchors.heading(level, labels["overview"]), table, chart]


def _amounts(row: FigureRow) -> list[Decimal]:
    return [row.accounts, row.budget, row.deviation, row.annual_budget, row.forecast,
            row.forecast_deviation]


def _amounts_table(caption: str, rows: list[tuple[str, list[Decimal]]], unit: str,
                   period: Period, labels: dict[str, str], lang: str) -> Table:
    words = {"month": period.month, "year": period.year, "unit": unit}
    header = tuple(labels[k].format(**words) for k in (
        "col_name", "col_accounts", "col_budget", "col_deviation",
        "col_annual_budget", "col_forecast", "col_forecast_deviation",
    ))
    shown = [TableRow((name, *(format_amount(v, unit, lang) for v in values)))
             for name, values in rows]
    if len(rows) > 1:
        sums = [sum(column, Decimal(0)) for column in zip(*(values for _, values in rows))]
        shown.append(TableRow((labels["sum"], *(format_amount(v, unit, lang) for v in sums)), True))
    return Table(
        caption=labels[caption].format(**words),
        header=header,
        rows=tuple(shown),
        note=labels["table_note"].format(**words),
    )


def format_amount(value: Decimal, unit: str, lang: str = "nb") -> str:
    """Half-up rounding from the exact decimal, decimal comma, no-break space, real minus."""
    places = DECIMALS[unit]
    rounded = value.quantize(Decimal(1).scaleb(-places), rounding=ROUND_HALF_UP)
    if rounded == 0:
        rounded = abs(rounded)  # no "−0,0"
    pattern = "#,##0" + ("." + "0" * places if places else "")
    text = format_decimal(rounded, format=pattern, locale=f"{lang}_NO", decimal_quantization=True)
    return text.replace("-", MINUS).replace("\u202f", "\u00a0")


MONTH_NAMES = ["januar", "februar", "mars", "april", "mai", "juni", "juli", "august",
               "september", "oktober", "november", "desember"]


def format_date(date: dt.date) -> str:
    """'23. mai 2017' (the same in bokmål and nynorsk)."""
    return f"{date.day}. {MONTH_NAMES[date.month - 1]} {date.year}"


class Anchors:
    """Unique, readable ids for headings: 'okonomisk-status', 'okonomisk-status-2'."""

    def __init__(self) -> None:
        self.used: set[str] = set()

    def heading(self, level: int, text: str, new_page: bool = False) -> Heading:
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
