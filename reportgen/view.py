"""The view: what every renderer receives. Format-neutral, frozen, no logic beyond shape.

Headings carry absolute levels (1 = the document's top heading) and unique anchors; numbers are
already formatted the Norwegian way; text is parsed into blocks and spans, never markup.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Literal

# The ids the HTML templates give elements of their own (the skip links' targets, the site's
# frame, table captions): no heading's anchor is one of them.
PAGE_IDS = re.compile(r"innhold|innhold-tittel|toppen|hovedmeny|sok|sokeresultat|sok-melding"
                      r"|sok-fil|last-ned|programomradene|tabell-\d+")


@dataclass(frozen=True)
class Span:
    """A run of literal text with its emphasis and, for links, the target."""

    text: str
    bold: bool = False
    italic: bool = False
    href: str | None = None


@dataclass(frozen=True)
class Paragraph:
    """A paragraph of text spans."""

    spans: tuple[Span, ...]
    kind: Literal["paragraph"] = "paragraph"


@dataclass(frozen=True)
class ListBlock:
    """A bulleted or numbered list; a numbered one counts from `start`."""

    ordered: bool
    start: int
    items: tuple[tuple[Span, ...], ...]
    kind: Literal["list"] = "list"


@dataclass(frozen=True)
class Heading:
    """A heading at an absolute level, with its anchor."""

    level: int
    text: str
    anchor: str = ""
    new_page: bool = False  # in print: a Del (chapter) of the whole report (outline.starts_page)
    names_part: bool = False  # a Del's or an area's title: the running header shows it
    kind: Literal["heading"] = "heading"


@dataclass(frozen=True)
class TableRow:
    """One row of a figures table; `is_sum` marks the sum row."""

    cells: tuple[str, ...]
    is_sum: bool = False


@dataclass(frozen=True)
class Table:
    """A table: the first column names the rows; numeric columns are right-aligned."""

    caption: str
    header: tuple[str, ...]
    rows: tuple[TableRow, ...]
    note: str  # "" for none
    numeric: tuple[bool, ...] = ()  # per column; () means every column but the first
    kind: Literal["table"] = "table"

    def is_numeric(self, column: int) -> bool:
        """Whether a column holds numbers (right-aligned)."""
        return self.numeric[column] if self.numeric else column > 0


@dataclass(frozen=True)
class Bar:
    """One bar of a chart: its label, its amount and the amount as shown."""

    label: str
    value: Decimal
    shown: str  # the formatted amount, as in the table


@dataclass(frozen=True)
class Chart:
    """A horizontal bar chart; the table before it holds the same numbers as text."""

    caption: str
    alt: str
    unit: str
    bars: tuple[Bar, ...]
    kind: Literal["chart"] = "chart"


@dataclass(frozen=True)
class Placement:
    """Where a text places a table or its chart: a line `[[tabell ID]]` or `[[diagram ID]]`.
    Present replaces it with the table or chart; renderers never see one."""

    what: Literal["tabell", "diagram"]
    ref: str
    line: int = 1  # the line of the text it stands on, for messages
    kind: Literal["placement"] = "placement"


@dataclass(frozen=True)
class Series:
    """One series of a chart: its name and a value per category (None: no value)."""

    name: str
    values: tuple[Decimal | None, ...]


@dataclass(frozen=True)
class SeriesChart:
    """A chart of a table: vertical bars grouped per category, or lines; the table holds the
    same numbers as text."""

    caption: str
    alt: str
    unit: str
    style: Literal["søyle", "linje"]
    categories: tuple[str, ...]
    series: tuple[Series, ...]
    kind: Literal["series_chart"] = "series_chart"


Block = Paragraph | ListBlock | Heading | Table | Chart | Placement | SeriesChart


@dataclass(frozen=True)
class Picture:
    """A checked picture from the inputs (kommune.yaml's `logo:`): its bytes, PNG or SVG, its
    size (pixels for a PNG, CSS pixels for an SVG: only the proportions count) and the text
    that says what it shows."""

    kind: Literal["png", "svg"]
    data: bytes = field(repr=False)
    width: float
    height: float
    alt: str

    @property
    def media_type(self) -> str:
        """image/png or image/svg+xml."""
        return "image/png" if self.kind == "png" else "image/svg+xml"

    def fit(self, width: float, height: float) -> tuple[float, float]:
        """The picture's size scaled to fit a box of `width` × `height`, its proportions kept."""
        scale = min(width / self.width, height / self.height)
        return self.width * scale, self.height * scale


# The logo on the cover: as large as fits in this box (mm), every format alike.
LOGO_BOX_MM = (60.0, 32.0)


@dataclass(frozen=True)
class Cover:
    """The whole report's front page; `logo` the municipality's, when kommune.yaml gives one."""

    title: str
    subtitle: str | None
    date_label: str
    logo: Picture | None = None


@dataclass(frozen=True)
class Section:
    """Where one part of the whole report starts among its blocks: the anchor of its heading.
    The web site makes a page of each (the resolution goes on the front page)."""

    kind: Literal["resolution", "chapter", "areas", "area"]
    anchor: str
    code: str = ""  # an area's code


@dataclass(frozen=True)
class DocumentView:
    """One output document: an area's section or the whole report."""

    kind: Literal["area", "report"]
    document_id: str  # "2017-T1/08" or "2017-T1/tertialrapport": where the text came from
    lang: str  # a code of the languages table: "nb"
    lang_tag: str  # its BCP 47 tag for documents: "nb-NO"
    title: str
    kommune: str
    period_id: str  # "2017-T1"
    period_label: str  # "1. tertial 2017"
    report_title: str  # "1. tertialrapport 2017", for running headers
    running_title: str  # the report's title, with the period unless the title names its year
    date: dt.date
    labels: dict[str, str]
    blocks: tuple[Block, ...]
    cover: Cover | None = None
    contents: tuple[Heading, ...] = ()  # table of contents entries (whole report)
    source_fingerprint: str = ""  # of an area's input (present.area_fingerprint); "" if none
    sections: tuple[Section, ...] = ()  # the whole report's parts, in order
    draft: bool = False  # a draft: marked UTKAST where a reader sees it, never final


@dataclass(frozen=True)
class SitePage:
    """One page of the report's web site: a file, its title in the menu, what it shows."""

    file: str  # "index.html", "del-1-hovedtrekk.html", "08.html", "sok.html"
    title: str  # its heading, menu entry and breadcrumb
    kind: Literal["index", "chapter", "areas", "area", "search"]
    document: DocumentView  # the blocks it shows (an area's page: the area's own document)
    parent: str = ""  # the file of the page it stands under in the menu ("" at the top)
    downloads: str = ""  # the document whose PDF and DOCX it offers: "08", "tertialrapport"


@dataclass(frozen=True)
class SiteView:
    """The whole report as a web site: the report's view and its pages in reading order."""

    report: DocumentView
    pages: tuple[SitePage, ...]
    documents: tuple[str, ...]  # every document the site carries as PDF and DOCX
