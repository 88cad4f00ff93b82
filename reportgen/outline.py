"""The report's shape as data: the outline of an area's section, the levels of the documents'
headings, and the columns of the figures table. Imports model only.

Every command that needs the shape iterates these tables: present builds the sections from
them, the importer maps a document's headings back through them, check lints the text fields
they name, `new` empties the parts they mark. The YAML keys are the model's aliases, read
from the model here; no other module spells them.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from decimal import Decimal
from typing import Any, Literal

from reportgen.model import (
    AreaInput,
    Chapter,
    FigureRow,
    Figures,
    Model,
    OtherMatter,
    ReportInput,
    fields_of,
)

# --- heading levels ---------------------------------------------------------------------------

TOP_LEVEL = 1  # a document's own title: an area document's title, a chapter of the report
AREA_LEVEL_IN_REPORT = TOP_LEVEL + 1  # an area's title in the whole report, below "Del 3"
CONTENTS_LEVELS = 2  # the contents list headings down to this level
HTML_LEVELS = 6  # h1 … h6
DOCX_LEVELS = 9  # Heading 1 … Heading 9


def shown_level(level: int, deepest: int = HTML_LEVELS) -> int:
    """A heading level as a format can show it: at most its deepest level."""
    return min(level, deepest)


def in_contents(level: int) -> bool:
    """Whether the contents list a heading of this level."""
    return level <= CONTENTS_LEVELS


def starts_page(level: int) -> bool:
    """Whether a heading at this level starts a new page in print: a Del (a chapter of the
    whole report, or the report's part with the areas) does; an area's title does not. The
    areas flow one after the other, each title kept with its first lines (print.css): a new
    page for each area left pages of the report three-quarters empty, and a reader of a
    municipal report leafs through areas as the sections of one part, not as chapters."""
    return level == TOP_LEVEL


# --- the area's outline -----------------------------------------------------------------------

Kind = Literal["text", "group", "figures", "items"]


def alias(model: type[Model], attribute: str) -> str:
    """The YAML key of a model field."""
    return fields_of(model)[attribute].alias


@dataclass(frozen=True)
class Part:
    """One part of an area's section, in the order the section shows them."""

    path: tuple[str, ...]  # attributes from AreaInput: ("economic_status", "facts")
    label: str | None  # labels.yaml key of the part's heading; None: it has none
    depth: int  # its heading's level below the area's title; its text stands one deeper
    kind: Kind
    fill_in: bool = False  # `reportgen new` leaves it for the author to write (FYLL UT)

    @property
    def key(self) -> tuple[str, ...]:
        """The YAML keys of the part: ("økonomisk_status", "fakta")."""
        keys, model = [], AreaInput
        for attribute in self.path:
            keys.append(alias(model, attribute))
            model = _inner(model, attribute)
        return tuple(keys)

    @property
    def name(self) -> str:
        """The part's own YAML key: "fakta"."""
        return self.key[-1]

    @property
    def parent(self) -> Part | None:
        """The part this one stands in ("økonomisk_status" for "fakta")."""
        return next((p for p in AREA_OUTLINE if p.path == self.path[:-1]), None)

    @property
    def optional(self) -> bool:
        """Whether the part may be left out."""
        model = AreaInput
        for attribute in self.path[:-1]:
            model = _inner(model, attribute)
        return not fields_of(model)[self.path[-1]].is_required()

    def heading_level(self, title_level: int) -> int:
        """The level of the part's heading when the area's title stands at `title_level`."""
        return title_level + self.depth

    def text_level(self, title_level: int) -> int:
        """The level a `#` line in the part's text stands for: below the part's heading (or,
        without a heading of its own, below the title)."""
        return title_level + self.depth + 1

    def value(self, content: Any) -> Any:
        """The part's value in an area's content (AreaInput); None when it is not there."""
        for attribute in self.path:
            content = getattr(content, attribute, None) if content is not None else None
        return content

    def container(self, data: Any) -> Any:
        """The YAML mapping that holds this part's key (None when it is not there)."""
        for key in self.key[:-1]:
            data = data.get(key) if hasattr(data, "get") else None
        return data if hasattr(data, "get") else None


AREA_OUTLINE: tuple[Part, ...] = (
    Part(("lead",), None, 0, "text"),  # under the title
    Part(("economic_status",), "economic_status", 1, "group"),
    Part(("economic_status", "facts"), "facts", 2, "text", fill_in=True),
    Part(("economic_status", "figures"), None, 2, "figures"),  # the facts' table, after Fakta
    Part(("economic_status", "assessment"), "assessment", 2, "text", fill_in=True),
    Part(("economic_status", "conclusion"), "conclusion", 2, "text", fill_in=True),
    Part(("investments",), "investments", 1, "text"),
    Part(("other_matters",), "other_matters", 1, "items"),  # items one level deeper
)


def part(*path: str) -> Part:
    """The part at an attribute path: part("economic_status", "figures")."""
    return next(p for p in AREA_OUTLINE if p.path == path)


def text_parts() -> tuple[Part, ...]:
    """The parts whose value is a text of the Markdown subset, in order."""
    return tuple(p for p in AREA_OUTLINE if p.kind == "text")


def children(parent: Part) -> tuple[Part, ...]:
    """The parts directly inside a group."""
    return tuple(p for p in AREA_OUTLINE if p.path[:-1] == parent.path)


def top_parts() -> tuple[Part, ...]:
    """The parts that stand directly under the area's title."""
    return tuple(p for p in AREA_OUTLINE if len(p.path) == 1)


FIGURES = part("economic_status", "figures")
OTHER_MATTERS = part("other_matters")
ITEM_HEADING_KEY = alias(OtherMatter, "heading")  # "overskrift"
ITEM_TEXT_KEY = alias(OtherMatter, "text")  # "tekst"
ROWS_KEY = alias(Figures, "rows")  # "rader"
UNIT_KEY = alias(Figures, "unit")  # "enhet"
ROW_NAME_KEY = alias(FigureRow, "name")  # "navn"


def item_heading_level(title_level: int) -> int:
    """An Andre forhold item's heading: one level below "Andre forhold"."""
    return OTHER_MATTERS.heading_level(title_level) + 1


def item_text_level(title_level: int, has_heading: bool) -> int:
    """The level a `#` line in an Andre forhold item stands for: below its heading if it has
    one, else below "Andre forhold"."""
    return item_heading_level(title_level) + (1 if has_heading else 0)


def text_fields(content: AreaInput) -> Iterator[tuple[tuple[str | int, ...], str]]:
    """(YAML key path, text) of every text in an area's content, in the section's order,
    Andre forhold items' headings and texts included."""
    for each in text_parts():
        value = each.value(content)
        if value is not None:
            yield each.key, value
    for i, item in enumerate(content.other_matters):
        if item.heading is not None:
            yield (OTHER_MATTERS.name, i, ITEM_HEADING_KEY), item.heading
        yield (OTHER_MATTERS.name, i, ITEM_TEXT_KEY), item.text


TABLES_KEY = alias(AreaInput, "tables")  # "tabeller", the same key in rapport.yaml
REPORT_CHAPTER_GROUPS = ("chapters_before", "chapters_after")  # ReportInput, in order
RESOLUTION_KEY = alias(ReportInput, "resolution")  # "forslag_til_vedtak"


def report_text_fields(report: ReportInput) -> Iterator[tuple[tuple[str | int, ...], str]]:
    """(YAML key path, text) of every text in rapport.yaml: the proposed resolution's points
    and the chapters' texts."""
    for i, point in enumerate(report.resolution):
        yield (RESOLUTION_KEY, i), point
    for group in REPORT_CHAPTER_GROUPS:
        for i, chapter in enumerate(getattr(report, group)):
            yield (alias(ReportInput, group), i, alias(Chapter, "text")), chapter.text


def _inner(model: type[Model], attribute: str) -> Any:
    """The model class of a nested field (AreaInput.economic_status -> EconomicStatus)."""
    import typing

    annotation = fields_of(model)[attribute].annotation
    for candidate in (annotation, *typing.get_args(annotation)):
        if isinstance(candidate, type) and issubclass(candidate, Model):
            return candidate
    return None


# --- the figures table --------------------------------------------------------------------------

@dataclass(frozen=True)
class FigureColumn:
    """One amount column of a figures table, after the column of row names."""

    attribute: str  # FigureRow's field for a typed amount; the column's own name if computed
    label: str  # labels.yaml key of its heading
    difference: tuple[str, str] | None = None  # computed: the first minus the second
    from_ledger: bool = False  # `import` of an accounting export fills it in

    @property
    def typed(self) -> bool:
        """An amount the author writes (else computed from two others)."""
        return self.difference is None

    @property
    def key(self) -> str:
        """The YAML key of a typed amount ("regnskap")."""
        assert self.typed, f"{self.attribute} is computed and has no key"
        return alias(FigureRow, self.attribute)

    def value(self, row: Any) -> Decimal:
        """The column's amount for a row: typed, or the difference of two typed ones.
        Positive deviations are mindreforbruk (under budget), negative merforbruk."""
        if self.difference is None:
            return getattr(row, self.attribute)
        minuend, subtrahend = self.difference
        return getattr(row, minuend) - getattr(row, subtrahend)


NAME_LABEL = "col_name"  # the first column: the rows' names
FIGURE_COLUMNS: tuple[FigureColumn, ...] = (
    FigureColumn("accounts", "col_accounts", from_ledger=True),
    FigureColumn("budget", "col_budget", from_ledger=True),
    FigureColumn("deviation", "col_deviation", ("budget", "accounts")),
    FigureColumn("annual_budget", "col_annual_budget", from_ledger=True),
    FigureColumn("forecast", "col_forecast"),
    FigureColumn("forecast_deviation", "col_forecast_deviation", ("annual_budget", "forecast")),
)
TYPED_COLUMNS = tuple(c for c in FIGURE_COLUMNS if c.typed)
AMOUNT_KEYS = tuple(c.key for c in TYPED_COLUMNS)  # regnskap, budsjett, årsbudsjett, prognose
LEDGER_COLUMNS = tuple(c for c in FIGURE_COLUMNS if c.from_ledger)
CHART_COLUMN = next(c for c in FIGURE_COLUMNS if c.attribute == "deviation")  # the chart's bars


def column_values(row: Any) -> list[Decimal]:
    """A row's amounts in the table's column order."""
    return [column.value(row) for column in FIGURE_COLUMNS]
