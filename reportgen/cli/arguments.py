"""The command line's values: parsed and checked as click reads them (a wrong one is a usage
error, exit 2), and the options several commands share. Part of the command line.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import click

from reportgen.cli.helptext import option
from reportgen.messages import N_, _
from reportgen.period import AREA_CODE, Period
from reportgen.project import ALL, DEFAULT_INPUTS
from reportgen.render import RENDERERS

# The variants WeasyPrint 70 writes (weasyprint.pdf.VARIANTS), listed here so that parsing the
# command line does not import WeasyPrint.
PDF_VARIANTS = ("pdf/a-1a", "pdf/a-1b", "pdf/a-2a", "pdf/a-2b", "pdf/a-2u", "pdf/a-3a",
                "pdf/a-3b", "pdf/a-3u", "pdf/a-4e", "pdf/a-4f", "pdf/a-4u", "pdf/ua-1", "pdf/ua-2",
                "pdf/x-1a", "pdf/x-3", "pdf/x-4", "pdf/x-5g", "plain")


def parse_period(ctx: click.Context, param: click.Parameter, value: str | None) -> Period | None:
    """A PERIOD argument or option (2017-T1), parsed."""
    if value is None:
        return None
    try:
        return Period.parse(value)
    except ValueError as exc:
        raise click.BadParameter(str(exc)) from exc


def parse_formats(ctx: click.Context, param: click.Parameter, value: str) -> tuple[str, ...]:
    """--format: the comma-separated formats, each once, each one the registry knows."""
    chosen = tuple(dict.fromkeys(f.strip().lower() for f in value.split(",") if f.strip()))
    wrong = [f for f in chosen if f not in RENDERERS]
    if wrong or not chosen:
        raise click.BadParameter(
            _("{formats} is not a format; choose from {choices}").format(
                formats=", ".join(wrong), choices=",".join(RENDERERS)) if wrong else
            _("nothing is not a format; choose from {choices}").format(choices=",".join(RENDERERS))
        )
    return chosen


def check_areas(values: tuple[str, ...]) -> tuple[str, ...]:
    """The AREA arguments, each two digits or `all`; a usage error names the wrong one."""
    for value in values:
        if value != ALL and not AREA_CODE.fullmatch(value):
            one_digit = len(value) == 1 and value.isascii() and value.isdigit()
            raise click.BadParameter(
                _("{value!r} is not an area code: use two digits such as 08, or `all` (write"
                  " {code})").format(value=value, code=f"{int(value):02d}") if one_digit else
                _("{value!r} is not an area code: use two digits such as 08, or `all`").format(
                    value=value),
                param_hint="AREA",
            )
    return values


def folder_options(func: Any) -> Any:
    """--inputs and --templates, as every command but `new` takes them."""
    func = option("--inputs", type=click.Path(path_type=Path), default=DEFAULT_INPUTS,
                  show_default=True,
                  help=N_("Folder with kommune.yaml and <PERIOD>/<AREA>.yaml."))(func)
    func = option("--templates", type=click.Path(path_type=Path), default=None,
                  help=N_("Folder with docx/, html/ and labels.yaml [default: ./templates]."))(func)
    return func


def parse_area(ctx: click.Context, param: click.Parameter, value: str | None) -> str | None:
    """--area: one area code of two digits."""
    if value is not None and not AREA_CODE.fullmatch(value):
        raise click.BadParameter(_("{value!r} is not an area code: use two digits such as"
                                   " 06").format(value=value))
    return value
