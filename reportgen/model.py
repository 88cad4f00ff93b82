"""Stage 2, model: typed, frozen values of the report. Pure: no I/O; imports period and
languages.

Field names are English; each names the Norwegian YAML key the authors write as its alias:
the aliases are the one place the YAML keys are spelled (outline.py reads them from here).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal
from typing import Annotated, Literal

from pydantic import BaseModel, ConfigDict, Field, StringConstraints

from reportgen.languages import DEFAULT_LANGUAGE, LanguageCode
from reportgen.period import Period

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

Text = Annotated[str, StringConstraints(min_length=1)]
# An amount's size, in its unit: a thousand billion is beyond any municipality's accounts
# (a typing error), and far inside what exact decimal arithmetic can round and sum.
AMOUNT_LIMIT = Decimal(10) ** 12
Amount = Annotated[Decimal, Field(allow_inf_nan=False, gt=-AMOUNT_LIMIT, lt=AMOUNT_LIMIT)]
Unit = Literal[tuple(AMOUNT_UNITS)]  # type: ignore[valid-type]


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


@dataclass(frozen=True)
class Area:
    """One programme area's section for one period."""

    code: str
    name: str
    period: Period
    content: AreaInput


class Kommune(Model):
    """inputs/kommune.yaml."""

    name: Text = Field(alias="kommune")
    language: LanguageCode = Field(DEFAULT_LANGUAGE, alias="språk")
    areas: dict[Annotated[str, StringConstraints(pattern=r"^\d{2}$")], Text] = Field(
        alias="programområder", min_length=1
    )


class Chapter(Model):
    """A chapter of the whole report before or after the areas: a heading and its text."""

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
