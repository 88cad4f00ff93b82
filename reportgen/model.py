"""Stage 2, model: typed, frozen values of the report. Pure: no I/O; imports only errors.

Field names are English; each names the Norwegian YAML key the authors write as its alias.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
import datetime as dt
from decimal import Decimal
from typing import Annotated, Literal

from pydantic import BaseModel, ConfigDict, Field, StringConstraints

AREA_CODE = re.compile(r"\d{2}")
PERIOD_FORM = re.compile(r"(\d{4})-T([123])")
MONTHS = {1: "april", 2: "august", 3: "desember"}
PERIOD_ENDS = {1: (4, 30), 2: (8, 31), 3: (12, 31)}


@dataclass(frozen=True, order=True)
class Period:
    """A tertial: `2017-T1` is January–April 2017."""

    year: int
    tertial: int

    @classmethod
    def parse(cls, text: str) -> Period:
        """Parse `YYYY-T1`..`YYYY-T3`; ValueError names the accepted form."""
        match = PERIOD_FORM.fullmatch(text)
        if not match:
            raise ValueError(
                f"{text!r} is not a period; write YEAR-T1, YEAR-T2 or YEAR-T3, such as 2017-T1"
            )
        return cls(int(match.group(1)), int(match.group(2)))

    def __str__(self) -> str:
        return f"{self.year}-T{self.tertial}"

    @property
    def label(self) -> str:
        """'1. tertial 2017'."""
        return f"{self.tertial}. tertial {self.year}"

    @property
    def month(self) -> str:
        """The month the tertial ends in, lower case: 'april'."""
        return MONTHS[self.tertial]

    @property
    def end(self) -> dt.date:
        """The last day of the tertial."""
        month, day = PERIOD_ENDS[self.tertial]
        return dt.date(self.year, month, day)

    def previous(self) -> Period:
        """The tertial before this one."""
        if self.tertial == 1:
            return Period(self.year - 1, 3)
        return Period(self.year, self.tertial - 1)


class Model(BaseModel):
    """Frozen, strict about unknown keys, validated by the Norwegian aliases."""

    model_config = ConfigDict(
        extra="forbid", frozen=True, populate_by_name=False, str_strip_whitespace=False
    )


Text = Annotated[str, StringConstraints(min_length=1)]
Amount = Annotated[Decimal, Field(allow_inf_nan=False)]
Unit = Literal["mill. kr", "1000 kr"]


class FigureRow(Model):
    name: Text = Field(alias="navn")
    accounts: Amount = Field(alias="regnskap")  # at the period's end
    budget: Amount = Field(alias="budsjett")  # periodised, at the period's end
    annual_budget: Amount = Field(alias="årsbudsjett")  # revised, for the year
    forecast: Amount = Field(alias="prognose")  # for the year

    @property
    def deviation(self) -> Decimal:
        """Positive is mindreforbruk (under budget)."""
        return self.budget - self.accounts

    @property
    def forecast_deviation(self) -> Decimal:
        return self.annual_budget - self.forecast


class Figures(Model):
    unit: Unit = Field("mill. kr", alias="enhet")
    rows: Annotated[tuple[FigureRow, ...], Field(min_length=1)] = Field(alias="rader")


class EconomicStatus(Model):
    facts: Text = Field(alias="fakta")
    assessment: Text = Field(alias="vurdering")
    conclusion: Text = Field(alias="konklusjon")
    figures: Figures | None = Field(None, alias="tall")


class OtherMatter(Model):
    heading: Text | None = Field(None, alias="overskrift")
    text: Text = Field(alias="tekst")


class AreaInput(Model):
    """The content of inputs/<period>/<code>.yaml."""

    code: str | None = Field(None, alias="programområde")  # optional; must match the file name
    lead: Text = Field(alias="ingress")
    economic_status: EconomicStatus = Field(alias="økonomisk_status")
    investments: Text | None = Field(None, alias="investeringer")
    other_matters: tuple[OtherMatter, ...] = Field((), alias="andre_forhold")


@dataclass(frozen=True)
class Area:
    """One programme area's section for one period."""

    code: str
    name: str
    period: Period
    content: AreaInput

    @property
    def title(self) -> str:
        return f"Programområde {self.code} {self.name}"


class Kommune(Model):
    """inputs/kommune.yaml."""

    name: Text = Field(alias="kommune")
    language: Literal["nb", "nn"] = Field("nb", alias="språk")
    areas: dict[Annotated[str, StringConstraints(pattern=r"^\d{2}$")], Text] = Field(
        alias="programområder", min_length=1
    )


class Chapter(Model):
    heading: Text = Field(alias="overskrift")
    text: Text = Field(alias="tekst")


class ReportInput(Model):
    """inputs/<period>/rapport.yaml; every key optional."""

    title: Text | None = Field(None, alias="tittel")
    subtitle: Text | None = Field(None, alias="undertittel")
    date: dt.date | None = Field(None, alias="dato")
    chapters_before: tuple[Chapter, ...] = Field((), alias="kapitler_før")
    chapters_after: tuple[Chapter, ...] = Field((), alias="kapitler_etter")


@dataclass(frozen=True)
class Report:
    """Everything one render needs: the municipality, the period and its areas."""

    kommune: Kommune
    period: Period
    areas: tuple[Area, ...]
    report: ReportInput
