"""Stage 2, the model as pydantic sees it: pydantic models made from the model's own classes
(their fields, YAML keys, types and checks), for the data reportgen.modelread does not read.
pydantic then either converts the data (a date in quotes, a number written as text) or says
what is wrong with it, in errors whose locations are the YAML keys; validate puts those into
the author's words. Imports pydantic (this module is the only one that does; it is loaded
only for such a file) and model.
"""

from __future__ import annotations

import signal
import types
import typing
from typing import Annotated, Any

from pydantic import (
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Field,
    StringConstraints,
    ValidationError,
)
from pydantic import create_model as _create_model
from pydantic_core import PydanticCustomError

from reportgen.messages import _
from reportgen.model import (
    DATE_WITH_TIME,
    REQUIRED,
    Check,
    M,
    Model,
    fields_of,
    has_time_of_day,
)

# Frozen, strict about unknown keys, validated by the Norwegian keys only.
CONFIG = ConfigDict(extra="forbid", frozen=True, populate_by_name=False,
                    str_strip_whitespace=False)


def validated(model: type[M], data: Any) -> tuple[M | None, list[Any]]:
    """`data` read by pydantic as the model class: the value and no errors, or None and
    pydantic's errors (`ValidationError.errors()`)."""
    try:
        value = schema(model).model_validate(data)
    except ValidationError as exc:
        return None, exc.errors()
    return _converted(value), []


_SCHEMAS: dict[type[Model], type[BaseModel]] = {}
_CLASSES: dict[type[BaseModel], type[Model]] = {}


def schema(model: type[Model]) -> type[BaseModel]:
    """The pydantic model of a model class (made once). Ctrl-C and SIGTERM are held back
    while pydantic builds it, and arrive after: pydantic builds its validators in code that
    cannot pass a KeyboardInterrupt on (it prints "Exception ignored" and keeps a broken
    validator, which reports wrong errors)."""
    found = _SCHEMAS.get(model)
    if found is not None:
        return found
    held = signal.pthread_sigmask(signal.SIG_BLOCK, {signal.SIGINT, signal.SIGTERM})
    try:
        fields: dict[str, Any] = {}
        for spec in fields_of(model).values():
            if spec.factory is not REQUIRED:
                info = Field(default_factory=spec.factory, alias=spec.alias)
            elif spec.default is not REQUIRED:
                info = Field(spec.default, alias=spec.alias)
            else:
                info = Field(alias=spec.alias)
            fields[spec.name] = (_pydantic_type(spec.typed), info)
        found = _create_model(model.__name__, __config__=CONFIG, __doc__=model.__doc__,
                              **fields)
    finally:
        signal.pthread_sigmask(signal.SIG_SETMASK, held)
    _SCHEMAS[model], _CLASSES[found] = found, model
    return found


def _pydantic_type(annotation: Any) -> Any:
    """A model type as pydantic's: model classes as their pydantic models, checks as
    pydantic's constraints."""
    if isinstance(annotation, type) and issubclass(annotation, Model):
        return schema(annotation)
    origin, args = typing.get_origin(annotation), typing.get_args(annotation)
    if origin is typing.Annotated:
        check = next(m for m in annotation.__metadata__ if isinstance(m, Check))
        return Annotated[_pydantic_type(args[0]), _constraint(args[0], check)]
    if origin in (typing.Union, types.UnionType):
        return typing.Union[tuple(_pydantic_type(a) for a in args)]  # noqa: UP007
    if origin is tuple:
        return tuple[tuple(_pydantic_type(a) if a is not Ellipsis else a for a in args)]
    if origin is dict:
        return dict[_pydantic_type(args[0]), _pydantic_type(args[1])]  # type: ignore[misc]
    return annotation


def _constraint(base: Any, check: Check) -> Any:
    if check.date_only:
        return BeforeValidator(_date_only)
    if base is str:
        return StringConstraints(min_length=check.min_length, pattern=check.pattern)
    if check.max_digits is not None or check.decimal_places is not None or check.finite:
        return Field(allow_inf_nan=not check.finite, max_digits=check.max_digits,
                     decimal_places=check.decimal_places)
    return Field(min_length=check.min_length, ge=check.ge, le=check.le)


def _date_only(value: object) -> object:
    """A date field takes a date: a timestamp with a time of day, even 00:00, is refused,
    not cut to its date."""
    if has_time_of_day(value):
        # validate says it in its own words; this is pydantic's, should it ever show
        raise PydanticCustomError(DATE_WITH_TIME, _("a date and a time, where a date is expected"))
    return value


def _converted(value: Any) -> Any:
    """pydantic's value as the model's: its models as the model's classes."""
    model = _CLASSES.get(type(value))
    if model is not None:
        return model(**{name: _converted(getattr(value, name)) for name in fields_of(model)})
    if isinstance(value, tuple):
        return tuple(map(_converted, value))
    if isinstance(value, dict):
        return {k: _converted(v) for k, v in value.items()}
    return value
