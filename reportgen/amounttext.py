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

from reportgen.messages import _
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
LEADING_ZERO = r"-?0[0-9]"
NUMBER_FORMS = (  # the kinds of NUMBER_LIKE text that are not an amount, first match wins
    r"[-+]?0[xX]", r"[-+]?0[oO]", r"[-+]?0[bB]", r".*:", r"[-+]?\.[iI]", r"\.[nN]", r".*[eE]",
    r".*_", r"\+", r"[^.]*\.[^.]*\.", LEADING_ZERO, r"-?\.", r".*\.$",
)


def _form_words(form: str, text: str) -> str:
    """The message for a text of one of NUMBER_FORMS: "0x10 is a hexadecimal number"."""
    words = {
        r"[-+]?0[xX]": _("{text} is a hexadecimal number"),
        r"[-+]?0[oO]": _("{text} is an octal number"),
        r"[-+]?0[bB]": _("{text} is a binary number"),
        r".*:": _("{text} is a number in base 60, as minutes and seconds are"),
        r"[-+]?\.[iI]": _("{text} is infinity to YAML, not an amount"),
        r"\.[nN]": _('{text} is "not a number" to YAML'),
        r".*[eE]": _("{text} has an exponent"),
        r".*_": _("{text} has an underscore"),
        r"\+": _("{text} has a plus sign"),
        r"[^.]*\.[^.]*\.": _("{text} has more than one dot"),
        LEADING_ZERO: _("{text} has a leading zero"),
        r"-?\.": _("{text} has no digit before the decimal point"),
        r".*\.$": _("{text} ends with a decimal point"),
    }
    return words[form].format(text=text)


def amount_hint() -> str:
    """How to write an amount whose meaning is unclear."""
    return _("write the amount in full with a dot for decimals, such as 1250.5")


def number_hint() -> str:
    """How to write an amount that is not a number."""
    return _("write amounts with a dot decimal separator and no spaces (1250.5);"
             " formatting happens in the documents")


def amount_problem(text: str, value: Any = None) -> tuple[str, str] | None:
    """(message, hint) when the text of an amount is not one by the rule, None when it is.
    `value` is what YAML made of the text, to say so when it differs."""
    if match := AMOUNT_TEXT.fullmatch(text):
        return _too_many_digits(text, match)
    form = next((f for f in NUMBER_FORMS if re.match(f, text)), None) \
        if NUMBER_LIKE.fullmatch(text) else None
    if form is None:
        return _("{text!r} is not a number").format(text=text), number_hint()
    plain = _plainly(text)
    message = _form_words(form, text)
    if isinstance(value, (int, float, Decimal)) and _misread(text, value):
        message = (_("{what}; YAML reads it as the octal number {value}")
                   if form == LEADING_ZERO and isinstance(value, int) else
                   _("{what}; YAML reads it as {value}")).format(what=message, value=value)
    return message, (_("write {plain}, not {text}").format(plain=plain, text=text) if plain
                     else amount_hint())


def either(items: list[str]) -> str:
    """"a or b", "a, b or c" in the user's language ("a" alone)."""
    if len(items) < 2:
        return "".join(items)
    return _("{first} or {last}").format(first=", ".join(items[:-1]), last=items[-1])


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
            _("{text} has {count} digits before the decimal point; an amount has at most"
              " {most}").format(text=text, count=len(whole), most=AMOUNT_WHOLE_DIGITS),
            _("check the amount: it counts in the table's unit ({key}: {units})").format(
                key=UNIT_KEY, units=either(list(AMOUNT_UNITS))),
        )
    if len(decimals) > AMOUNT_DECIMALS:
        rounded = Decimal(text).quantize(Decimal(1).scaleb(-AMOUNT_DECIMALS), ROUND_HALF_UP)
        return (
            _("{text} has {count} decimals; an amount has at most {most}").format(
                text=text, count=len(decimals), most=AMOUNT_DECIMALS),
            _("round it to at most {most} decimals: {rounded}").format(
                most=AMOUNT_DECIMALS, rounded=rounded),
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
