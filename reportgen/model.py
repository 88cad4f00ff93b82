"""Stage 2, model: typed, frozen values of the report. Pure: no I/O; imports only errors.

Field names are English; each names the Norwegian YAML key the authors write as its alias.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal
from typing import Annotated, Literal

from pydantic import BaseModel, ConfigDict, Field, StringConstraints

from reportgen.period import Period


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
