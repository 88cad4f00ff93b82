"""Stage 2, model: typed, frozen values of the report. Pure: no I/O; imports period,
languages, messages and view (the checked picture of the logo).

Field names are English; each names the Norwegian YAML key the authors write as its alias:
the aliases are the one place the YAML keys are spelled (outline.py reads them from here).
"""

from __future__ import annotations

import datetime as dt
import re
import signal
from dataclasses import dataclass
from decimal import Decimal
from typing import Annotated, Literal

from pydantic import (
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Field,
    PrivateAttr,
    StringConstraints,
)
from pydantic_core import PydanticCustomError

from reportgen.languages import DEFAULT_LANGUAGE, LanguageCode
from reportgen.messages import _
from reportgen.period import AREA_CODE, Period
from reportgen.view import Picture

# Ctrl-C and SIGTERM are held back while this module builds its validators, and arrive at the
# end of the module: pydantic builds them in code that cannot pass a KeyboardInterrupt on (it
# prints "Exception ignored" and keeps a broken validator, which reports wrong errors).
_HELD = signal.pthread_sigmask(signal.SIG_BLOCK, {signal.SIGINT, signal.SIGTERM})

PLACEHOLDER = "FYLL UT"  # what `reportgen new` leaves where the author must write


class Model(BaseModel):
    """Frozen, strict about unknown keys, validated by the Norwegian aliases."""

    model_config = ConfigDict(
        extra="forbid", frozen=True, populate_by_name=False, str_strip_whitespace=False
    )


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

Text = Annotated[str, StringConstraints(min_length=1)]
Amount = Annotated[Decimal, Field(
    allow_inf_nan=False, max_digits=AMOUNT_WHOLE_DIGITS + AMOUNT_DECIMALS,
    decimal_places=AMOUNT_DECIMALS,
)]
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


def _date_only(value: object) -> object:
    """A date field takes a date: a timestamp with a time of day, even 00:00, is refused,
    not cut to its date."""
    if isinstance(value, dt.datetime) or (
            isinstance(value, str) and re.match(r"\s*\d{4}-\d{1,2}-\d{1,2}([Tt]|\s+)\d", value)):
        # validate says it in its own words; this is pydantic's, should it ever show
        raise PydanticCustomError(DATE_WITH_TIME, _("a date and a time, where a date is expected"))
    return value


Date = Annotated[dt.date, BeforeValidator(_date_only)]


class FigureRow(Model):
    """One row of an area's figures table: a name and its amounts."""

    name: Text = Field(alias="navn")
    accounts: Amount = Field(alias="regnskap")  # at the period's end
    budget: Amount = Field(alias="budsjett")  # periodised, at the period's end
    annual_budget: Amount = Field(alias="årsbudsjett")  # revised, for the year
    forecast: Amount = Field(alias="prognose")  # for the year


class Figures(Model):
    """An area's figures table: the unit of its amounts and its rows."""

    unit: Unit = Field(DEFAULT_UNIT, alias="enhet")
    rows: Annotated[tuple[FigureRow, ...], Field(min_length=1)] = Field(alias="rader")


ColumnType = Literal["tekst", "beløp", "prosent", "tall", "dato"]
NUMBER_TYPES = ("beløp", "prosent", "tall")  # the column types that hold numbers
TableId = Annotated[str, StringConstraints(pattern=r"^[^\s\[\]]+$")]
Cell = Decimal | int | str | dt.date | None


class TableColumn(Model):
    """One column of a table: its heading, what it holds, and how many decimals show."""

    name: Text = Field(alias="navn")
    type: ColumnType = Field(alias="type")
    decimals: Annotated[int, Field(ge=0, le=6)] | None = Field(None, alias="desimaler")


class TableInput(Model):
    """One table of `tabeller:`, placed in a text by `[[tabell ID]]` (its chart by
    `[[diagram ID]]`); the rows are checked against the columns by validate."""

    title: Text = Field(alias="tittel")
    unit: Text | None = Field(None, alias="enhet")
    columns: Annotated[tuple[TableColumn, ...], Field(min_length=1)] = Field(alias="kolonner")
    rows: tuple[tuple[Cell, ...], ...] = Field(alias="rader")
    sum: bool = Field(False, alias="sum")
    note: Text | None = Field(None, alias="merknad")
    chart: Literal["søyle", "linje"] | None = Field(None, alias="diagram")


Tables = dict[TableId, TableInput]


class EconomicStatus(Model):
    """An area's economic status: facts, assessment, conclusion and optional figures."""

    facts: Text = Field(alias="fakta")
    assessment: Text = Field(alias="vurdering")
    conclusion: Text = Field(alias="konklusjon")
    figures: Figures | None = Field(None, alias="tall")


class OtherMatter(Model):
    """One item under other matters: an optional heading and its text."""

    heading: Text | None = Field(None, alias="overskrift")
    text: Text = Field(alias="tekst")


class AreaInput(Model):
    """The content of inputs/<period>/<code>.yaml."""

    code: str | None = Field(None, alias="programområde")  # optional; must match the file name
    lead: Text = Field(alias="ingress")
    economic_status: EconomicStatus = Field(alias="økonomisk_status")
    investments: Text | None = Field(None, alias="investeringer")
    other_matters: tuple[OtherMatter, ...] = Field((), alias="andre_forhold")
    tables: Tables = Field({}, alias="tabeller")


@dataclass(frozen=True)
class Area:
    """One programme area's section for one period."""

    code: str
    name: str
    period: Period
    content: AreaInput


class LedgerColumns(Model):
    """kommune.yaml `regnskapsimport:`: the headings of a ledger export's columns and its unit.

    Each field's default is the heading reportgen looks for when kommune.yaml names none."""

    area: Text = Field("Område", alias="område")  # the area code, "08" or "08 Kompetanse …"
    row: Text = Field("Rad", alias="rad")  # the figures row's name (`navn`)
    accounts: Text = Field("Regnskap", alias="regnskap")
    budget: Text = Field("Budsjett", alias="budsjett")
    annual_budget: Text = Field("Årsbudsjett", alias="årsbudsjett")
    unit: Literal[(KRONER, *AMOUNT_UNITS)] = Field(KRONER, alias="enhet")  # type: ignore[valid-type]


LOGO_KINDS = {".png": "png", ".svg": "svg"}  # the file name's ending -> what the picture is


class Logo(Model):
    """kommune.yaml `logo:`: the municipality's logo or coat of arms on the whole report's
    cover, a PNG or SVG file inside the inputs folder, and the text that says what it shows
    (the picture's alternative text). inputs.load_kommune reads and checks the file: then
    `picture` holds it."""

    file: Text = Field(alias="fil")  # relative to the inputs folder: bilder/vapen.svg
    alt: Text = Field(alias="tekst")
    _picture: Picture | None = PrivateAttr(None)

    @property
    def picture(self) -> Picture | None:
        """The checked picture; None until inputs.load_kommune has read it."""
        return self._picture

    def with_picture(self, picture: Picture) -> Logo:
        """This logo, holding its checked picture."""
        copy = self.model_copy()
        copy._picture = picture
        return copy


class Kommune(Model):
    """inputs/kommune.yaml."""

    name: Text = Field(alias="kommune")
    language: LanguageCode = Field(DEFAULT_LANGUAGE, alias="språk")
    areas: dict[Annotated[str, StringConstraints(pattern=f"^{AREA_CODE.pattern}$")], Text] = Field(
        alias="programområder", min_length=1
    )
    ledger: LedgerColumns = Field(LedgerColumns(), alias="regnskapsimport")
    logo: Logo | None = Field(None, alias="logo")


class Chapter(Model):
    """A chapter of the whole report before or after the areas: a heading and its text."""

    heading: Text = Field(alias="overskrift")
    text: Text = Field(alias="tekst")


class ReportInput(Model):
    """inputs/<period>/rapport.yaml; every key optional."""

    title: Text | None = Field(None, alias="tittel")
    subtitle: Text | None = Field(None, alias="undertittel")
    date: Date | None = Field(None, alias="dato")
    chapters_before: tuple[Chapter, ...] = Field((), alias="kapitler_før")
    chapters_after: tuple[Chapter, ...] = Field((), alias="kapitler_etter")
    resolution: tuple[Text, ...] = Field((), alias="forslag_til_vedtak")
    tables: Tables = Field({}, alias="tabeller")


@dataclass(frozen=True)
class Report:
    """Everything one render needs: the municipality, the period and its areas."""

    kommune: Kommune
    period: Period
    areas: tuple[Area, ...]
    report: ReportInput


signal.pthread_sigmask(signal.SIG_SETMASK, _HELD)  # the validators are whole: signals arrive
