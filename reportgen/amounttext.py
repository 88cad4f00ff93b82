"""Stage 2, validate: the text of an amount as the author typed it, by one rule.

Imports model (the digit limits, the units) and outline (the unit's key). YAML 1.1 reads
`010` as 8, `0x10` as 16, `1:30` as 90 and `1_000` as 1000; an amount is instead read from its
text, which must be an optional minus, digits without a leading zero (but a lone 0 before the
decimal point), and optionally a dot and decimals: at most AMOUNT_WHOLE_DIGITS digits before
the point and AMOUNT_DECIMALS after it. Anything else that YAML would read as a number is
told in words, with what to write instead. validate applies it to the figures' amounts.
"""

from __future__ import annotations

import re
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation
from typing import Any

from reportgen.model import AMOUNT_DECIMALS, AMOUNT_UNITS, AMOUNT_WHOLE_DIGITS
from reportgen.outline import UNIT_KEY

# An amount as typed: an optional minus, digits without a leading zero (but a lone 0 before
# the decimal point), optionally a dot and decimals; at most AMOUNT_WHOLE_DIGITS and
# AMOUNT_DECIMALS digits (README.md, "Figures").
AMOUNT_TEXT = re.compile(r"-?(0|[1-9][0-9]*)(?:\.([0-9]+))?")
# What else YAML 1.1 may read as a number: digits with `_`, `:`, `.`, an exponent, a sign;
# 0x/0o/0b; .inf and .nan.
NUMBER_LIKE = re.compile(r"[-+]?(?=[0-9_.:]*[0-9])[0-9_.:]+(?:[eE][-+]?[0-9]+)?"
                         r"|[-+]?0[xXoObB][0-9a-fA-F_]+|[-+]?\.(?:inf|Inf|INF)|\.(?:nan|NaN|NAN)")
NUMBER_FORMS = (  # how a NUMBER_LIKE text that is not an amount is told, first match wins
    (r"[-+]?0[xX]", "is a hexadecimal number"),
    (r"[-+]?0[oO]", "is an octal number"),
    (r"[-+]?0[bB]", "is a binary number"),
    (r".*:", "is a number in base 60, as minutes and seconds are"),
    (r"[-+]?\.[iI]", "is infinity to YAML, not an amount"),
    (r"\.[nN]", 'is "not a number" to YAML'),
    (r".*[eE]", "has an exponent"),
    (r".*_", "has an underscore"),
    (r"\+", "has a plus sign"),
    (r"[^.]*\.[^.]*\.", "has more than one dot"),
    (r"-?0[0-9]", "has a leading zero"),
    (r"-?\.", "has no digit before the decimal point"),
    (r".*\.$", "ends with a decimal point"),
)
AMOUNT_HINT = "write the amount in full with a dot for decimals, such as 1250.5"
NUMBER_HINT = ("write amounts with a dot decimal separator and no spaces (1250.5);"
               " formatting happens in the documents")


def amount_problem(text: str, value: Any = None) -> tuple[str, str] | None:
    """(message, hint) when the text of an amount is not one by the rule, None when it is.
    `value` is what YAML made of the text, to say so when it differs."""
    if match := AMOUNT_TEXT.fullmatch(text):
        return _too_many_digits(text, match)
    if not NUMBER_LIKE.fullmatch(text):
        return f"{text!r} is not a number", NUMBER_HINT
    form = next((what for pattern, what in NUMBER_FORMS if re.match(pattern, text)), None)
    if form is None:
        return f"{text!r} is not a number", NUMBER_HINT
    plain = _plainly(text)
    if isinstance(value, (int, float, Decimal)) and _misread(text, value):
        octal = form == "has a leading zero" and isinstance(value, int)
        form += f"; YAML reads it as {'the octal number ' if octal else ''}{value}"
    return f"{text} {form}", (f"write {plain}, not {text}" if plain else AMOUNT_HINT)


def _misread(text: str, value: float | Decimal) -> bool:
    """Whether YAML's number is not what the digits say (`010` is 8, `1:30` is 90)."""
    try:
        return Decimal(value).is_finite() and Decimal(text.replace("_", "")) != value
    except InvalidOperation:
        return True


def _too_many_digits(text: str, match: re.Match[str]) -> tuple[str, str] | None:
    whole, decimals = match.group(1), match.group(2) or ""
    if len(whole) > AMOUNT_WHOLE_DIGITS:
        return (
            f"{text} has {len(whole)} digits before the decimal point; an amount has at most"
            f" {AMOUNT_WHOLE_DIGITS}",
            f"check the amount: it counts in the table's unit ({UNIT_KEY}:"
            f" {' or '.join(AMOUNT_UNITS)})",
        )
    if len(decimals) > AMOUNT_DECIMALS:
        rounded = Decimal(text).quantize(Decimal(1).scaleb(-AMOUNT_DECIMALS), ROUND_HALF_UP)
        return (
            f"{text} has {len(decimals)} decimals; an amount has at most {AMOUNT_DECIMALS}",
            f"round it to at most {AMOUNT_DECIMALS} decimals: {rounded}",
        )
    return None


def _plainly(text: str) -> str | None:
    """The amount the text most likely means, written by the rule (`1_000` -> `1000`, `1e3`
    -> `1000`, `010` -> `10`, `+5` -> `5`); None when it is unclear or too long."""
    try:
        number = Decimal(text.replace("_", ""))
    except InvalidOperation:  # 0x10, 1:30, .inf
        return None
    if not number.is_finite() or abs(number.adjusted()) > AMOUNT_WHOLE_DIGITS:
        return None
    plain = format(number, "f")
    match = AMOUNT_TEXT.fullmatch(plain)
    return plain if match and plain != text and _too_many_digits(plain, match) is None else None
