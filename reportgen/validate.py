"""Stage 2, validate: plain data with positions -> typed model, or every problem with its place.

Imports errors, yamlsource (for SourceFile), model, outline (the amount keys) and labels (the
keys and placeholders of templates/labels.yaml). Pydantic's error locations are Norwegian YAML
keys (aliases); each is mapped back to the file, line and column the author wrote.
"""

from __future__ import annotations

import datetime as dt
import difflib
import re
import string
import types
import typing
from decimal import Decimal
from typing import Any

import pydantic

from reportgen.errors import (
    InputError,
    ReportgenError,
    ReportgenErrors,
    SourceLocation,
    TemplateError,
    UsageError,
)
from reportgen.labels import LABEL_WORDS
from reportgen.model import AMOUNT_LIMIT, Area, AreaInput, Kommune, Model, Period, ReportInput
from reportgen.outline import AMOUNT_KEYS, alias
from reportgen.yamlsource import KeyPath, SourceFile

# C0 controls other than tab and newline, the non-characters U+FFFE/U+FFFF, lone surrogates:
# XML cannot carry them, so a DOCX holding one is corrupt.
NOT_XML = re.compile("[\x00-\x08\x0b-\x1f\ufffe\uffff\ud800-\udfff]")


def validate_kommune(source: SourceFile) -> Kommune:
    """inputs/kommune.yaml -> Kommune."""
    return _validate(Kommune, source)


def validate_report(source: SourceFile | None) -> ReportInput:
    """inputs/<period>/rapport.yaml (optional) -> ReportInput."""
    return ReportInput() if source is None else _validate(ReportInput, source)


def validate_area(source: SourceFile, code: str, kommune: Kommune, period: Period) -> Area:
    """inputs/<period>/<code>.yaml -> Area; the file name is the authority on the code."""
    if code not in kommune.areas:
        raise UsageError(
            f"area {code} is not in the register of programme areas",
            hint="add it under `programområder:` in kommune.yaml, or check the code",
        )
    content = _validate(AreaInput, source)
    if content.code is not None and content.code != code:
        raise ReportgenErrors([InputError(
            f"programområde: {content.code!r} does not match the file name {code}.yaml",
            location=source.location((alias(AreaInput, "code"),)),
            hint="the file name decides the area; remove this key or rename the file",
        )])
    return Area(code, kommune.areas[code], period, content)


def validate_labels(source: SourceFile, lang: str) -> dict[str, str]:
    """templates/labels.yaml -> the labels of one language: every key of labels.LABEL_WORDS,
    each a text whose placeholders are those the table gives it. A label without
    placeholders comes back as its final text (`{{` as `{`); other keys are kept as written."""
    block = source.data.get(lang) if isinstance(source.data, dict) else None
    if not isinstance(block, dict):
        raise ReportgenErrors([_no_labels(source, lang)])
    problems = _bad_characters(source, block, (lang,))
    for key, words in LABEL_WORDS.items():
        if key not in block:
            problems.append(_missing_label(source, lang, key, block))
        elif (problem := _label_problem(block[key], words)) is not None:
            message, hint = problem
            problems.append(TemplateError(f"{lang}.{key}: {message}",
                                          location=source.location((lang, key)), hint=hint))
    if problems:
        raise ReportgenErrors(problems)
    return {str(k): (v.format() if k in LABEL_WORDS and not LABEL_WORDS[k] else v)
            for k, v in block.items() if isinstance(v, str)}


def _no_labels(source: SourceFile, lang: str) -> TemplateError:
    if not isinstance(source.data, dict):
        found = "nothing" if source.data is None else _yaml_kind(source.data)
        return TemplateError(
            f"expected the labels by language ({lang}: and its keys), found {found}",
            location=source.location(), hint=f"start the file with `{lang}:` and indent the"
            " labels under it, as in the labels.yaml that comes with reportgen")
    if lang in source.data:
        return TemplateError(
            f"{lang}: expected the labels as keys and values, found"
            f" {_yaml_kind(source.data[lang])}", location=source.location((lang,)),
            hint="indent `key: text` lines under it")
    return TemplateError(
        f"no labels for the language {lang!r} (kommune.yaml's `språk:`)",
        location=SourceLocation(source.display), hint=f"add `{lang}:` with every label, as in the"
        " labels.yaml that comes with reportgen")


def _missing_label(source: SourceFile, lang: str, key: str, block: dict[str, Any]) -> TemplateError:
    unknown = [str(k) for k in block if k not in LABEL_WORDS]
    close = difflib.get_close_matches(key, unknown, n=1)
    guess = f"is {close[0]!r} a misspelling of it? " if close else ""
    return TemplateError(
        f"{lang}: missing label {key!r}", location=source.location((lang,), at_key=True),
        hint=f"{guess}add `{key}:` with its wording under `{lang}:`"
        + _words_hint(LABEL_WORDS[key], " (it may use {})"))


def _label_problem(value: Any, words: tuple[str, ...]) -> tuple[str, str] | None:
    """What is wrong with one label, and what to do; None when it formats with `words`."""
    if value is None:
        return "has no value", "write the wording after the colon"
    if isinstance(value, bool):
        return (f"YAML read this as {str(value).lower()} (yes/no/on/off are booleans)",
                "put the text in quotes")
    if not isinstance(value, str):
        return f"expected text, found {_yaml_kind(value)}", "put the text in quotes"
    try:
        fields = [(f, spec, conv) for _, f, spec, conv in string.Formatter().parse(value)
                  if f is not None]
    except ValueError as exc:
        lone = "Single '}'" in str(exc)
        return (f"a `{'}' if lone else '{'}` {'without its `{`' if lone else 'that is not closed'}",
                "write {{ and }} for braces as text" + _words_hint(words, "; placeholders are {}"))
    for field, spec, conversion in fields:
        if field not in words:
            close = difflib.get_close_matches(field, words, n=1)
            guess = f"did you mean {{{close[0]}}}? " if close else ""
            return (f"unknown placeholder {{{field}}}",
                    guess + (_words_hint(words, "this label may use {}")
                             or "this label takes no placeholders")
                    + "; write {{ and }} for braces as text")
        if spec or conversion:
            shown = field + (f"!{conversion}" if conversion else "") + (f":{spec}" if spec else "")
            return (f"the placeholder {{{shown}}} has a format",
                    f"write {{{field}}}: reportgen fills it in as it is")
    return None


def _words_hint(words: tuple[str, ...], form: str) -> str:
    """`form` with the placeholders listed ("{code} and {name}"); "" when there are none."""
    if not words:
        return ""
    shown = [f"{{{w}}}" for w in words]
    return form.format(", ".join(shown[:-1]) + " and " + shown[-1] if len(shown) > 1
                       else shown[0])


def _validate(model: type[Model], source: SourceFile) -> Any:
    problems = _bad_characters(source, source.data, ())
    if source.data is None:
        problems.append(InputError(
            "the file is empty", location=source.location(),
            hint=_empty_file_hint(model),
        ))
    else:
        try:
            result = model.model_validate(source.data)
        except pydantic.ValidationError as exc:
            errors = exc.errors()
            reported = {p.location for p in problems}
            problems += [_explain(e, model, source) for e in errors
                         if not _follows(e, errors) and not _said(e, source, reported)]
        else:
            if not problems:
                return result
    raise ReportgenErrors(problems)


def _follows(error: Any, errors: list[Any]) -> bool:
    """A list that is 'too short after validation' only because one of its items failed."""
    loc = tuple(error["loc"])
    return error["type"] == "too_short" and any(
        len(other["loc"]) > len(loc) and tuple(other["loc"][: len(loc)]) == loc
        for other in errors
    )


def _said(error: Any, source: SourceFile, reported: set[Any]) -> bool:
    """Pydantic refuses a lone surrogate too; _bad_characters has already said what it is."""
    return error["type"] == "string_unicode" and source.location(tuple(error["loc"])) in reported


def _empty_file_hint(model: type[Model]) -> str:
    required = [f.alias or n for n, f in model.model_fields.items() if f.is_required()]
    optional = [f.alias or n for n, f in model.model_fields.items() if not f.is_required()]
    if not required:
        return f"write any of the keys {', '.join(optional)}, or remove the file"
    return f"write the keys {', '.join(required)} (and, if needed, {', '.join(optional)})"


def _bad_characters(source: SourceFile, value: Any, path: KeyPath) -> list[ReportgenError]:
    if isinstance(value, dict):
        return [e for k, v in value.items() for e in _bad_characters(source, v, (*path, k))]
    if isinstance(value, list):
        return [e for i, v in enumerate(value) for e in _bad_characters(source, v, (*path, i))]
    if not isinstance(value, str) or not (match := NOT_XML.search(value)):
        return []
    line_in_text = value.count("\n", 0, match.start()) + 1
    return [InputError(
        f"{_dotted(path)}: character U+{ord(match.group()):04X} cannot be stored in a document"
        f" (line {line_in_text} of the text, character {match.start() + 1})",
        location=source.location(path),
        hint="remove the control character; it often comes along when text is pasted from"
        " Word, PDF or e-mail",
    )]


def _explain(error: Any, model: type[Model], source: SourceFile) -> InputError:
    """One pydantic error -> an InputError at the author's line, with what to do."""
    loc: KeyPath = tuple(error["loc"])
    kind, value = error["type"], error.get("input")
    where = _dotted(loc)
    if kind == "missing":
        parent = _dotted(loc[:-1]) or "the top level"
        return InputError(
            f"missing required key {loc[-1]!r} under {parent}",
            location=source.location(loc[:-1]),
            hint=f"add `{loc[-1]}:` with its text",
        )
    if kind == "extra_forbidden":
        allowed = _aliases(_model_at(model, loc[:-1]))
        close = difflib.get_close_matches(str(loc[-1]), allowed, n=1)
        guess = f"did you mean {close[0]!r}? " if close else ""
        return InputError(
            f"unknown key {loc[-1]!r}" + (f" under {_dotted(loc[:-1])}" if loc[:-1] else ""),
            location=source.location(loc, at_key=True),
            hint=f"{guess}the keys allowed here are {', '.join(allowed)}",
        )
    if value is None and loc and loc[-1] in AMOUNT_KEYS:
        return InputError(
            f"{where}: the amount is not filled in", location=source.location(loc),
            hint="write the amount with a dot decimal separator, such as 120.4"
            " (`reportgen new` leaves the amounts empty for you to fill in)",
        )
    message, hint = _describe(kind, value, error)
    return InputError(f"{where}: {message}", location=source.location(loc), hint=hint)


def _describe(kind: str, value: Any, error: Any) -> tuple[str, str]:
    if value is None and kind.endswith("_type"):
        return "has no value", "write the value after the colon, or remove the key if optional"
    if isinstance(value, bool):
        return (
            f"YAML read this as {str(value).lower()} (yes/no/on/off are booleans)",
            "put the text in quotes",
        )
    if kind == "string_type":
        return f"expected text, found {_yaml_kind(value)}", "put the value in quotes"
    if kind == "string_too_short":
        return "is empty", "write the text, or remove the key if it is optional"
    if kind.startswith("decimal") or kind in ("finite_number",):
        return (
            f"{value!r} is not a number",
            "write amounts with a dot decimal separator and no spaces (1250.5);"
            " formatting happens in the documents",
        )
    if kind in ("less_than", "greater_than"):
        return _too_large(value)
    if kind == "literal_error":
        return f"{value!r} is not allowed", error["msg"].replace("Input should be", "use")
    if kind in ("dict_type", "model_type"):
        return (
            f"expected keys and values, found {_yaml_kind(value)}",
            "indent `key: value` lines under it",
        )
    if kind in ("tuple_type", "list_type"):
        return (
            f"expected a list, found {_yaml_kind(value)}",
            "write each item on a line starting with `- `",
        )
    if kind in ("too_short",):
        return "needs at least one item", "add an item starting with `- `, or remove the key"
    if kind == "string_pattern_mismatch":
        return (
            f"{value!r} is not a two-digit code",
            "write area codes as two digits in quotes, such as \"07\"",
        )
    if kind.startswith("date"):
        return f"{value!r} is not a date", "write dates as YYYY-MM-DD, such as 2017-05-23"
    return error["msg"], "see the input format in README.md"


def _too_large(value: Any) -> tuple[str, str]:
    most = f"{AMOUNT_LIMIT - 1:,}".replace(",", " ")
    return (f"{value} is larger than an amount can be (at most {most} in either direction)",
            "check the amount: it is written in the table's unit (enhet), such as 120.4")


def _yaml_kind(value: Any) -> str:
    if isinstance(value, dict):
        return "a mapping"
    if isinstance(value, list):
        return "a list"
    if isinstance(value, str):
        return f"the text {value!r}"
    if isinstance(value, (int, float, Decimal)) and not isinstance(value, bool):
        return f"the number {value}"
    if isinstance(value, dt.date):
        return f"the date {value.isoformat()}"
    return f"the {type(value).__name__} {value!r}"


def _dotted(loc: KeyPath) -> str:
    return "".join(f"[{p}]" if isinstance(p, int) else f".{p}" for p in loc).lstrip(".")


def _aliases(model: type[Model] | None) -> list[str]:
    if model is None:
        return []
    return [f.alias or name for name, f in model.model_fields.items()]


def _model_at(model: type[Model], loc: KeyPath) -> type[Model] | None:
    """The model class that validates the mapping at loc (for listing its keys)."""
    current: type[Model] | None = model
    for part in loc:
        if isinstance(part, int) or current is None:
            continue
        field = next((f for f in current.model_fields.values() if f.alias == part), None)
        current = _inner_model(field.annotation) if field else None
    return current


def _inner_model(annotation: Any) -> type[Model] | None:
    if isinstance(annotation, type) and issubclass(annotation, Model):
        return annotation
    origin = typing.get_origin(annotation)
    if origin in (typing.Union, types.UnionType, tuple, list, typing.Annotated):
        for arg in typing.get_args(annotation):
            if (found := _inner_model(arg)) is not None:
                return found
    return None
