"""Stage 2, model: typed, frozen values of the report. Pure: no I/O; imports period,
languages and view (the checked picture of the logo). The classes are plain frozen
dataclasses: modelread makes them from YAML written right, modelschema gives them to
pydantic for any other.

Field names are English; each names the Norwegian YAML key the authors write as its alias:
the aliases are the one place the YAML keys are spelled (outline.py reads them from here).
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import re
import typing
from collections.abc import Callable
from dataclasses import dataclass
from decimal import Decimal
from typing import Annotated, Any, Literal, TypeVar

from reportgen.languages import DEFAULT_LANGUAGE, LanguageCode
from reportgen.period import AREA_CODE, Period
from reportgen.view import Picture

PLACEHOLDER = "FYLL UT"  # what `reportgen new` leaves where the author must write


@dataclass(frozen=True)
class Check:
    """What a value is held to besides its type, as `Annotated` metadata of a field's type:
    reportgen.modelread checks it, and reportgen.modelschema gives it to pydantic."""

    min_length: int | None = None  # a text's characters, a list's items, a mapping's keys
    pattern: str | None = None  # a text, matched whole (the pattern has ^ and $)
    ge: int | None = None  # a whole number at least this
    le: int | None = None  # and at most this
    max_digits: int | None = None  # an amount's digits, all told
    decimal_places: int | None = None  # and after the decimal point
    finite: bool = False  # an amount: not infinite, not NaN
    date_only: bool = False  # a date: a timestamp with a time of day is refused


class Model:
    """A frozen value of the report read from YAML: each field names the Norwegian key it is
    read from (its alias, see `key`); unknown keys are refused. Subclasses are frozen,
    keyword-only dataclasses; reportgen.validate makes them from the YAML."""


REQUIRED: Any = dataclasses.MISSING


def key(alias: str, default: Any = REQUIRED, *, factory: Callable[[], Any] | None = None) -> Any:
    """A field read from the YAML key `alias`; required unless it has a default (or a
    `factory` that makes it)."""
    metadata = {"alias": alias}
    if factory is not None:
        return dataclasses.field(default_factory=factory, metadata=metadata)
    return dataclasses.field(default=default, metadata=metadata)


M = TypeVar("M", bound=Model)


def model(cls: type[M]) -> type[M]:
    """The decorator of the model's classes: frozen, keyword-only dataclasses."""
    return dataclasses.dataclass(frozen=True, kw_only=True)(cls)


@dataclass(frozen=True)
class FieldSpec:
    """One field of a model class: its name, YAML key, type and default."""

    name: str
    alias: str
    annotation: Any  # the type without its checks: `Figures | None`
    typed: Any  # the type with its checks (Annotated[…, Check(…)])
    default: Any  # REQUIRED when the key must be written
    factory: Any  # or what makes the default

    def is_required(self) -> bool:
        """Whether the key must be written."""
        return self.default is REQUIRED and self.factory is REQUIRED


_FIELDS: dict[type, dict[str, FieldSpec]] = {}


def fields_of(cls: type[Model]) -> dict[str, FieldSpec]:
    """A model class's fields by attribute name, in the order the class declares them."""
    found = _FIELDS.get(cls)
    if found is None:
        plain = typing.get_type_hints(cls)
        typed = typing.get_type_hints(cls, include_extras=True)
        found = _FIELDS[cls] = {
            f.name: FieldSpec(f.name, f.metadata["alias"], plain[f.name], typed[f.name],
                              f.default, f.default_factory)
            for f in dataclasses.fields(cls) if "alias" in f.metadata}
    return found


def to_json(value: Model, exclude: frozenset[str] = frozenset()) -> str:
    """A model value as compact JSON by its YAML keys, the fields named in `exclude` left out:
    the text pydantic's `model_dump_json(by_alias=True)` gives (amounts as texts, dates as
    ISO dates), which the area fingerprints of documents already rendered were made of."""
    import json

    return json.dumps(_plain(value, exclude), ensure_ascii=False, separators=(",", ":"))


def _plain(value: Any, exclude: frozenset[str] = frozenset()) -> Any:
    if isinstance(value, Model):
        return {spec.alias: _plain(getattr(value, name))
                for name, spec in fields_of(type(value)).items() if name not in exclude}
    if isinstance(value, (tuple, list)):
        return [_plain(v) for v in value]
    if isinstance(value, dict):
        return {str(k): _plain(v) for k, v in value.items()}
    if isinstance(value, Decimal):
        return str(value)
    if isinstance(value, dt.date):
        return value.isoformat()
    return value


@dataclass(frozen=True)
class AmountUnit:
    """A unit the figures may be given in: how many decimals show, and its size in kroner."""

    name: str
    decimals: int
    kroner: int


AMOUNT_UNITS = {unit.name: unit for unit in (
    AmountUnit("mill. kr", 1, 1_000_000),
    AmountUnit("1000 kr", 0, 1_000),
)}
DEFAULT_UNIT = "mill. kr"  # also the unit of the whole report's overview
KRONER = "kr"  # a ledger export's own unit, besides the units of the figures


def kroner_in(unit: str) -> int:
    """How many kroner one of a unit is: 1 for kr, 1000 for 1000 kr, …"""
    return 1 if unit == KRONER else AMOUNT_UNITS[unit].kroner

# The digits an amount may have: what the documents can show exactly (the sums and the
# conversions between units stay well inside Decimal's 28 digits). The YAML text of an amount
# is checked against these by validate; the model refuses anything larger, whatever its source.
AMOUNT_WHOLE_DIGITS = 15  # before the decimal point
AMOUNT_DECIMALS = 8  # after it: a ledger's øre in mill. kr (1 234 567,89 kr = 1.23456789)

Text = Annotated[str, Check(min_length=1)]
Amount = Annotated[Decimal, Check(finite=True, max_digits=AMOUNT_WHOLE_DIGITS + AMOUNT_DECIMALS,
                                  decimal_places=AMOUNT_DECIMALS)]
Unit = Literal[tuple(AMOUNT_UNITS)]  # type: ignore[valid-type]


def amount_fits(value: Decimal) -> bool:
    """Whether an amount has at most AMOUNT_WHOLE_DIGITS digits before the decimal point and
    AMOUNT_DECIMALS after it (trailing zeros after the point do not count)."""
    if not value.is_finite():
        return False
    if value == 0:
        return True
    _, digits, exponent = value.as_tuple()
    zeros = len(digits) - len("".join(map(str, digits)).rstrip("0"))
    places = max(0, -(int(exponent) + zeros))
    return value.adjusted() < AMOUNT_WHOLE_DIGITS and places <= AMOUNT_DECIMALS


DATE_WITH_TIME = "date_with_time"  # the kind of error of a date field given a time of day


def has_time_of_day(value: object) -> bool:
    """A timestamp with a time of day, even 00:00, where a date field takes a date (refused,
    not cut to its date)."""
    return isinstance(value, dt.datetime) or (
        isinstance(value, str) and re.match(r"\s*\d{4}-\d{1,2}-\d{1,2}([Tt]|\s+)\d", value)
        is not None)


Date = Annotated[dt.date, Check(date_only=True)]


@model
class FigureRow(Model):
    """One row of an area's figures table: a name and its amounts."""

    name: Text = key("navn")
    accounts: Amount = key("regnskap")  # at the period's end
    budget: Amount = key("budsjett")  # periodised, at the period's end
    annual_budget: Amount = key("årsbudsjett")  # revised, for the year
    forecast: Amount = key("prognose")  # for the year


@model
class Figures(Model):
    """An area's figures table: the unit of its amounts and its rows."""

    unit: Unit = key("enhet", DEFAULT_UNIT)
    rows: Annotated[tuple[FigureRow, ...], Check(min_length=1)] = key("rader")


ColumnType = Literal["tekst", "beløp", "prosent", "tall", "dato"]
NUMBER_TYPES = ("beløp", "prosent", "tall")  # the column types that hold numbers
TableId = Annotated[str, Check(pattern=r"^[^\s\[\]]+$")]
Cell = Decimal | int | str | dt.date | None
AreaCode = Annotated[str, Check(pattern=f"^{AREA_CODE.pattern}$")]


@model
class TableColumn(Model):
    """One column of a table: its heading, what it holds, and how many decimals show."""

    name: Text = key("navn")
    type: ColumnType = key("type")
    decimals: Annotated[int, Check(ge=0, le=6)] | None = key("desimaler", None)


@model
class TableInput(Model):
    """One table of `tabeller:`, placed in a text by `[[tabell ID]]` (its chart by
    `[[diagram ID]]`); the rows are checked against the columns by validate."""

    title: Text = key("tittel")
    unit: Text | None = key("enhet", None)
    columns: Annotated[tuple[TableColumn, ...], Check(min_length=1)] = key("kolonner")
    rows: tuple[tuple[Cell, ...], ...] = key("rader")
    sum: bool = key("sum", False)
    note: Text | None = key("merknad", None)
    chart: Literal["søyle", "linje"] | None = key("diagram", None)


Tables = dict[TableId, TableInput]


@model
class EconomicStatus(Model):
    """An area's economic status: facts, assessment, conclusion and optional figures."""

    facts: Text = key("fakta")
    assessment: Text = key("vurdering")
    conclusion: Text = key("konklusjon")
    figures: Figures | None = key("tall", None)


@model
class OtherMatter(Model):
    """One item under other matters: an optional heading and its text."""

    heading: Text | None = key("overskrift", None)
    text: Text = key("tekst")


@model
class AreaInput(Model):
    """The content of inputs/<period>/<code>.yaml."""

    code: str | None = key("programområde", None)  # optional; must match the file name
    lead: Text = key("ingress")
    economic_status: EconomicStatus = key("økonomisk_status")
    investments: Text | None = key("investeringer", None)
    other_matters: tuple[OtherMatter, ...] = key("andre_forhold", ())
    tables: Tables = key("tabeller", factory=dict)


@dataclass(frozen=True)
class Area:
    """One programme area's section for one period."""

    code: str
    name: str
    period: Period
    content: AreaInput


@model
class LedgerColumns(Model):
    """kommune.yaml `regnskapsimport:`: the headings of a ledger export's columns and its unit.

    Each field's default is the heading reportgen looks for when kommune.yaml names none."""

    area: Text = key("område", "Område")  # the area code, "08" or "08 Kompetanse …"
    row: Text = key("rad", "Rad")  # the figures row's name (`navn`)
    accounts: Text = key("regnskap", "Regnskap")
    budget: Text = key("budsjett", "Budsjett")
    annual_budget: Text = key("årsbudsjett", "Årsbudsjett")
    unit: Literal[(KRONER, *AMOUNT_UNITS)] = key("enhet", KRONER)  # type: ignore[valid-type]


LOGO_KINDS = {".png": "png", ".svg": "svg"}  # the file name's ending -> what the picture is


@model
class Logo(Model):
    """kommune.yaml `logo:`: the municipality's logo or coat of arms on the whole report's
    cover, a PNG or SVG file inside the inputs folder, and the text that says what it shows
    (the picture's alternative text). inputs.load_kommune reads and checks the file: then
    `picture` holds it."""

    file: Text = key("fil")  # relative to the inputs folder: bilder/vapen.svg
    alt: Text = key("tekst")
    # The checked picture (not a key of the YAML); None until inputs.load_kommune has read it.
    picture: Picture | None = dataclasses.field(default=None, compare=False, repr=False)

    def with_picture(self, picture: Picture) -> Logo:
        """This logo, holding its checked picture."""
        return dataclasses.replace(self, picture=picture)


@model
class Kommune(Model):
    """inputs/kommune.yaml."""

    name: Text = key("kommune")
    language: LanguageCode = key("språk", DEFAULT_LANGUAGE)
    areas: Annotated[dict[AreaCode, Text], Check(min_length=1)] = key("programområder")
    ledger: LedgerColumns = key("regnskapsimport", factory=LedgerColumns)
    logo: Logo | None = key("logo", None)


@model
class Chapter(Model):
    """A chapter of the whole report before or after the areas: a heading and its text."""

    heading: Text = key("overskrift")
    text: Text = key("tekst")


@model
class ReportInput(Model):
    """inputs/<period>/rapport.yaml; every key optional."""

    title: Text | None = key("tittel", None)
    subtitle: Text | None = key("undertittel", None)
    date: Date | None = key("dato", None)
    chapters_before: tuple[Chapter, ...] = key("kapitler_før", ())
    chapters_after: tuple[Chapter, ...] = key("kapitler_etter", ())
    resolution: tuple[Text, ...] = key("forslag_til_vedtak", ())
    tables: Tables = key("tabeller", factory=dict)


@dataclass(frozen=True)
class Report:
    """Everything one render needs: the municipality, the period and its areas."""

    kommune: Kommune
    period: Period
    areas: tuple[Area, ...]
    report: ReportInput

