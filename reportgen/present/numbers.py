"""Numbers and dates the Norwegian way, for every format and both ways: format, round, parse.

Part of stage 3 (present); the chart (render) and the importer use it too. Imports Babel,
model (the units) and languages. Amounts stay exact Decimals until they are shown: rounded
half up to the unit's decimals, decimal comma, a no-break space between thousands, a real
minus sign, no "−0,0".
"""

from __future__ import annotations

import datetime as dt
import re
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation

from reportgen.languages import DEFAULT_LANGUAGE, language, month_name
from reportgen.model import AMOUNT_UNITS, amount_fits, kroner_in

MINUS = "\u2212"
NO_BREAK_SPACE = "\u00a0"


def round_amount(value: Decimal, unit: str) -> Decimal:
    """As a table shows it: half up to the unit's decimals (one for mill. kr, none for
    1000 kr)."""
    places = AMOUNT_UNITS[unit].decimals
    return value.quantize(Decimal(1).scaleb(-places), rounding=ROUND_HALF_UP)


def convert(value: Decimal, unit: str, to: str) -> Decimal:
    """An amount in one unit (kr, 1000 kr, mill. kr) expressed in another, exactly."""
    return value * kroner_in(unit) / kroner_in(to)


def format_amount(value: Decimal, unit: str, lang: str = DEFAULT_LANGUAGE) -> str:
    """Half-up rounding from the exact decimal, decimal comma, no-break space, real minus."""
    rounded = round_amount(value, unit)
    if rounded == 0:
        rounded = abs(rounded)  # no "−0,0"
    return format_number(rounded, AMOUNT_UNITS[unit].decimals, lang)


def format_number(value: Decimal, places: int, lang: str = DEFAULT_LANGUAGE) -> str:
    """A number with exactly `places` decimals, in the language's conventions."""
    from babel.numbers import format_decimal  # here: a command that shows no number needs none

    pattern = "#,##0" + ("." + "0" * places if places else "")
    text = format_decimal(value, format=pattern, locale=language(lang).babel_locale,
                          decimal_quantization=True)
    return text.replace("-", MINUS).replace("\u202f", NO_BREAK_SPACE)


def format_plain(value: Decimal, lang: str = DEFAULT_LANGUAGE) -> str:
    """A number with as many decimals as it has, no trailing zeros: −1 500, −0,5, 0 (the
    chart's axis)."""
    places = max(0, -value.normalize().as_tuple().exponent)  # type: ignore[operator]
    return format_number(abs(value) if value == 0 else value, places, lang)


def parse_amount(text: str) -> Decimal | None:
    """A typed amount as parse_number reads it; None if it is not a number or has more digits
    than an amount may have (model.amount_fits: what the YAML would refuse)."""
    number = parse_number(text)
    return number if number is not None and amount_fits(number) else None


def parse_number(text: str) -> Decimal | None:
    """'1 234,5', '−0,4', '-0,4', '(0,4)' (negative, as accounts write it), '1.234,5' or
    '1234.5' as a Decimal, of any length; None if it is not a number."""
    plain = re.sub(r"[\s\u00a0\u202f\u2009]", "", text).replace(MINUS, "-")
    plain = plain.replace("\u2013", "-")
    if re.fullmatch(r"\([^()\-+]+\)", plain):
        plain = "-" + plain[1:-1]
    if "," in plain:
        plain = plain.replace(".", "").replace(",", ".")
    elif re.fullmatch(r"-?\d{1,3}(\.\d{3}){2,}", plain):
        plain = plain.replace(".", "")
    if not re.fullmatch(r"[-+]?\d+(\.\d+)?", plain):
        return None
    try:
        return Decimal(plain)
    except InvalidOperation:
        return None


def format_date(date: dt.date, lang: str = DEFAULT_LANGUAGE) -> str:
    """'23. mai 2017'."""
    return f"{date.day}. {month_name(date.month, lang)} {date.year}"


def format_rounded(value: Decimal, places: int, lang: str = DEFAULT_LANGUAGE) -> str:
    """A number rounded half up to `places` decimals, in the language's conventions (no −0)."""
    rounded = value.quantize(Decimal(1).scaleb(-places), rounding=ROUND_HALF_UP)
    return format_number(abs(rounded) if rounded == 0 else rounded, places, lang)
