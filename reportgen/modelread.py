"""Stage 2, reading the model: plain data of exactly the model's shape -> the model's frozen
values, without pydantic. Imports model only.

A file that an author has written right is read here: every key known and every required
one there, each value of its field's type and within its checks. Anything else gives None: a
key unknown or missing, a value of another type or outside its checks, or a value pydantic
would convert (a date in quotes, a number written as text, yes/no for a boolean). Then
validate asks pydantic (reportgen.modelschema), for its errors or for its conversion. So a
value is read here only as pydantic reads it (tests/test_model_read.py compares the two),
and only a file with a problem pays for pydantic's import.
"""

from __future__ import annotations

import datetime as dt
import math
import re
import types
import typing
from collections.abc import Callable
from decimal import Decimal
from typing import Any, Literal

from reportgen.model import Check, M, Model, fields_of

Reader = Callable[[Any], Any]  # a value -> the model's value, or FAIL

FAIL: Any = object()  # a value this module does not read: pydantic's to say
# A lone surrogate (pydantic refuses the text), and the characters on which Python's and
# pydantic's regular expressions may not agree (a line break before the end, controls).
_SURROGATE = re.compile("[\ud800-\udfff]")
_CONTROL = re.compile("[\x00-\x1f\x7f-\x9f]")


def read_model(model: type[M], data: Any) -> M | None:
    """`data` read as the model class; None where pydantic must say what it makes of it."""
    value = _reader(model)(data)
    return None if value is FAIL else value  # type: ignore[no-any-return]


_READERS: dict[Any, Reader] = {}


def _reader(annotation: Any) -> Reader:
    """The reader of a type (made once)."""
    found = _READERS.get(annotation)
    if found is None:
        found = _READERS[annotation] = _make_reader(annotation)
    return found


def _make_reader(annotation: Any) -> Reader:
    if isinstance(annotation, type) and issubclass(annotation, Model):
        return _model_reader(annotation)
    origin, args = typing.get_origin(annotation), typing.get_args(annotation)
    if origin is typing.Annotated:
        checks = [m for m in annotation.__metadata__ if isinstance(m, Check)]
        return _checked(_reader(args[0]), checks[0])
    if origin is Literal:
        choices = frozenset(args)
        if not all(type(choice) is str for choice in choices):
            raise TypeError(f"a literal of other than texts: {annotation}")
        return lambda v: v if type(v) is str and v in choices else FAIL
    if origin in (typing.Union, types.UnionType):
        members = [a for a in args if a is not type(None)]
        if len(members) == 1:  # X | None
            inner = _reader(members[0])
            return lambda v: None if v is None else inner(v)
        if set(members) == set(_CELL_TYPES):
            return _cell
        raise TypeError(f"a union modelread does not know: {annotation}")
    if origin is tuple and len(args) == 2 and args[1] is Ellipsis:
        return _sequence(_reader(args[0]))
    if origin is dict:
        return _mapping(_reader(args[0]), _reader(args[1]))
    if annotation in _PLAIN:
        return _PLAIN[annotation]
    raise TypeError(f"a type modelread does not know: {annotation}")


def _model_reader(model: type[Model]) -> Reader:
    specs = list(fields_of(model).values())
    keys = {s.alias: (s.name, _reader(s.typed)) for s in specs}
    required = [s.alias for s in specs if s.is_required()]

    def read(value: Any) -> Any:
        if type(value) is not dict or any(k not in value for k in required):
            return FAIL
        fields = {}
        for key, item in value.items():
            known = keys.get(key) if type(key) is str else None
            if known is None:
                return FAIL
            name, reader = known
            fields[name] = reader(item)
            if fields[name] is FAIL:
                return FAIL
        return model(**fields)

    return read


def _sequence(item: Reader) -> Reader:
    def read(value: Any) -> Any:
        if type(value) not in (list, tuple):
            return FAIL
        items = tuple(map(item, value))
        return FAIL if any(i is FAIL for i in items) else items

    return read


def _mapping(key: Reader, item: Reader) -> Reader:
    def read(value: Any) -> Any:
        if type(value) is not dict:
            return FAIL
        pairs = {key(k): item(v) for k, v in value.items()}
        if len(pairs) != len(value) or FAIL in pairs or any(v is FAIL for v in pairs.values()):
            return FAIL
        return pairs

    return read


def _text(value: Any) -> Any:
    return value if type(value) is str and not _SURROGATE.search(value) else FAIL


def _decimal(value: Any) -> Any:
    """pydantic's Decimal: finite (it refuses NaN and infinity unless told otherwise)."""
    kind = type(value)
    if kind is Decimal:
        return value if value.is_finite() else FAIL
    if kind is int:
        return Decimal(value)
    if kind is float and math.isfinite(value):
        return Decimal(str(value))  # pydantic's conversion: the float's shortest text
    return FAIL


def _exact(kind: type) -> Reader:
    return lambda v: v if type(v) is kind else FAIL


_PLAIN: dict[Any, Reader] = {
    str: _text, Decimal: _decimal, int: _exact(int), bool: _exact(bool),
    dt.date: _exact(dt.date), type(None): lambda v: None if v is None else FAIL,
}

# A table's cell (model.Cell): pydantic keeps a number, a text, a date or nothing as it is,
# and makes a Decimal of a float; a boolean (which it makes 1 or 0) is left to it.
_CELL_TYPES = (Decimal, int, str, dt.date)


def _cell(value: Any) -> Any:
    kind = type(value)
    if value is None or kind in (int, dt.date):
        return value
    if kind is str:
        return _text(value)
    if kind in (float, Decimal):
        return _decimal(value)
    return FAIL


def _checked(inner: Reader, check: Check) -> Reader:
    def read(value: Any) -> Any:
        value = inner(value)
        if value is FAIL or not _holds(value, check):
            return FAIL
        return value

    return read


def _holds(value: Any, check: Check) -> bool:
    """Whether a value of the check's type meets it, as pydantic would hold it to it (where
    that is unsure, as for an amount at the very edge of its digits, False)."""
    if check.min_length is not None and len(value) < check.min_length:
        return False
    if check.pattern is not None and (_CONTROL.search(value)
                                      or not re.search(check.pattern, value)):
        return False
    if check.ge is not None and value < check.ge:
        return False
    if check.le is not None and value > check.le:
        return False
    if check.finite and not value.is_finite():
        return False
    if check.max_digits is not None or check.decimal_places is not None:
        _sign, digits, exponent = value.as_tuple()
        if not isinstance(exponent, int):  # infinite, or NaN
            return False
        kept = len(digits) - (len("".join(map(str, digits)).rstrip("0")) or 1)
        # as written, and without the trailing zeros (as normalize() would have it)
        return all(_digits_within(len(digits) - cut, exponent + cut, check)
                   for cut in (0, kept))
    return True


def _digits_within(count: int, exponent: int, check: Check) -> bool:
    """Whether `count` digits times ten to `exponent` are within the check's digits."""
    decimals = max(0, -exponent)
    total = count + exponent if exponent >= 0 else max(count, decimals)
    whole = total - decimals
    if check.max_digits is not None and total > check.max_digits:
        return False
    if check.decimal_places is not None:
        if decimals > check.decimal_places:
            return False
        if check.max_digits is not None and whole > check.max_digits - check.decimal_places:
            return False
    return True
