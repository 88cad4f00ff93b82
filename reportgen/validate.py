"""Stage 2, validate: plain data with positions -> typed model, or every problem with its place.

Imports errors, yamlsource (for SourceFile), model, outline (the amount keys), amounttext and
labels (the keys and placeholders of templates/labels.yaml). Pydantic's error locations are
Norwegian YAML keys (aliases); each is mapped back to the file, line and column the author
wrote. Amounts are read from the text the author typed, by amounttext's rule, not from what
YAML 1.1 makes of it (`010` is 8 to YAML, `1:30` is 90).
"""

from __future__ import annotations

import datetime as dt
import difflib
import re
import string
import types
import typing
import unicodedata
from collections.abc import Iterator
from decimal import Decimal
from typing import Any

import pydantic

from reportgen.amounttext import NUMBER_HINT, amount_problem
from reportgen.errors import (
    InputError,
    ReportgenError,
    ReportgenErrors,
    SourceLocation,
    TemplateError,
    UsageError,
    raise_all,
)
from reportgen.labels import LABEL_WORDS
from reportgen.markup import parse_blocks
from reportgen.model import (
    AMOUNT_DECIMALS,
    AMOUNT_WHOLE_DIGITS,
    NUMBER_TYPES,
    Area,
    AreaInput,
    Kommune,
    Logo,
    Model,
    Period,
    ReportInput,
    TableInput,
)
from reportgen.outline import (
    AMOUNT_KEYS,
    FIGURES,
    ROWS_KEY,
    TABLES_KEY,
    alias,
    report_text_fields,
    text_fields,
)
from reportgen.view import Placement
from reportgen.yamlsource import DATE_HINT, KeyPath, SourceFile

# C0 controls other than tab and newline, the non-characters U+FFFE/U+FFFF, lone surrogates:
# XML cannot carry them, so a DOCX holding one is corrupt.
NOT_XML = re.compile("[\x00-\x08\x0b-\x1f\ufffe\uffff\ud800-\udfff]")


def validate_kommune(source: SourceFile) -> Kommune:
    """inputs/kommune.yaml -> Kommune."""
    return _validate(Kommune, source)


def validate_report(source: SourceFile | None) -> ReportInput:
    """inputs/<period>/rapport.yaml (optional) -> ReportInput."""
    if source is None:
        return ReportInput()
    report = _validate(ReportInput, source)
    raise_all(_table_problems(report.tables, report_text_fields(report), source))
    return report  # type: ignore[no-any-return]


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
    raise_all(_table_problems(content.tables, text_fields(content), source))
    return Area(code, kommune.areas[code], period, content)


# --- tables: rows against columns, placements against ids ------------------------------------

def _table_problems(tables: dict[str, Any], texts: Any,
                    source: SourceFile) -> list[ReportgenError]:
    """Rows of the wrong length or with a value of the wrong kind; placements of unknown ids."""
    problems: list[ReportgenError] = []
    key = TABLES_KEY
    for ref, table in tables.items():
        raw_rows = source.data[key][ref].get(alias(TableInput, "rows")) or []
        for i, row in enumerate(raw_rows):
            where = (key, ref, alias(TableInput, "rows"), i)
            if len(row) != len(table.columns):
                problems.append(InputError(
                    f"{_dotted(where)}: the row has {len(row)} value(s), the table has"
                    f" {len(table.columns)} column(s)", location=source.location(where),
                    hint="write one value per column, in the columns' order; leave a cell"
                    " empty with null"))
                continue
            for j, (value, column) in enumerate(zip(row, table.columns)):
                problem = _cell_problem(value, column.type)
                if problem:
                    problems.append(InputError(
                        f"{_dotted((*where, j))}: {problem} in the column {column.name!r}"
                        f" ({column.type})", location=source.location((*where, j)),
                        hint=CELL_HINTS[column.type]))
    for path, text in texts:
        for block in parse_blocks(text, 1):
            if isinstance(block, Placement) and block.ref not in tables:
                known = ", ".join(tables) or "none"
                problems.append(InputError(
                    f"{_dotted(path)}: [[{block.what} {block.ref}]] names no table (line"
                    f" {block.line} of the text)", location=source.location(path),
                    hint=f"define it under `{key}:` in this file (the tables here: {known})"))
            elif isinstance(block, Placement) and block.what == "diagram" \
                    and tables[block.ref].chart is None:
                problems.append(InputError(
                    f"{_dotted(path)}: [[diagram {block.ref}]] but the table has no"
                    f" `{alias(TableInput, 'chart')}:`", location=source.location(path),
                    hint="add `diagram: søyle` or `diagram: linje` to the table"))
    return problems


CELL_HINTS = {
    "tekst": "write text (in quotes if it looks like a number or a date)",
    "beløp": "write the amount as a number with a dot for decimals, such as 1250.5",
    "prosent": "write the percentage as a number, such as 2.1 for 2,1 %",
    "tall": "write a number, such as 161",
    "dato": "write the date as YYYY-MM-DD, such as 2017-05-23",
}


def _iso_date(value: Any) -> bool:
    """A text that is a date as YYYY-MM-DD (quoted in the YAML)."""
    try:
        return isinstance(value, str) and bool(dt.date.fromisoformat(value))
    except ValueError:
        return False


def _cell_problem(value: Any, kind: str) -> str | None:
    """What is wrong with a table cell's value for its column type (None: nothing)."""
    if value is None:
        return None
    if isinstance(value, bool):
        return f"YAML read {str(value).lower()!r} as yes/no"
    if kind in NUMBER_TYPES and not isinstance(value, (int, Decimal)):
        return f"{_yaml_kind(value)} is not a number"
    if kind == "dato" and not isinstance(value, dt.date) and not _iso_date(value):
        return f"{_yaml_kind(value)} is not a date"
    return None


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
    amounts = dict(_bad_amounts(source)) if model is AreaInput else {}
    problems += amounts.values()
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
                         if not _follows(e, errors) and not _said(e, source, reported)
                         and tuple(e["loc"]) not in amounts]
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


# --- amounts, as typed ------------------------------------------------------------------------

def _bad_amounts(source: SourceFile) -> Iterator[tuple[KeyPath, InputError]]:
    """Each amount of the figures whose text is not one by the rule, with what to write."""
    for path in _amount_paths(source.data):
        value = _at(source.data, path)
        if isinstance(value, bool) or not isinstance(value, (int, float, Decimal, str)):
            continue  # a boolean, an empty value, a list: the model says what is wrong
        text = source.scalar_texts.get(path, value) if not isinstance(value, str) else value
        problem = amount_problem(text, value)
        if problem is not None:
            message, hint = problem
            yield path, InputError(f"{_dotted(path)}: {message}", location=source.location(path),
                                   hint=hint)


def _amount_paths(data: Any) -> Iterator[KeyPath]:
    """The places of the typed amounts in an area file's data, as far as its shape allows."""
    figures = data
    for key in FIGURES.key:
        figures = figures.get(key) if isinstance(figures, dict) else None
    rows = figures.get(ROWS_KEY) if isinstance(figures, dict) else None
    for index, row in enumerate(rows if isinstance(rows, list) else []):
        for key in AMOUNT_KEYS:
            if isinstance(row, dict) and key in row:
                yield (*FIGURES.key, ROWS_KEY, index, key)


def _at(data: Any, path: KeyPath) -> Any:
    for part in path:
        data = data[part]
    return data


# --- pydantic's errors ----------------------------------------------------------------------

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
            hint=KEY_HINTS.get(loc, f"add `{loc[-1]}:` with its text"),
        )
    if kind == "extra_forbidden":
        allowed = _aliases(_model_at(model, loc[:-1]))
        close = difflib.get_close_matches(str(loc[-1]), allowed, n=1)
        guess = f"did you mean {close[0]!r}? " if close else ""
        return InputError(
            f"unknown key {loc[-1]!r}" + (f" under {_dotted(loc[:-1])}" if loc[:-1] else ""),
            location=source.location(loc, at_key=True),
            hint=f"{guess}{_odd_characters(str(loc[-1]), allowed)}"
            f"the keys allowed here are {', '.join(allowed)}",
        )
    if value is None and loc and loc[-1] in AMOUNT_KEYS:
        return InputError(
            f"{where}: the amount is not filled in", location=source.location(loc),
            hint="write the amount with a dot decimal separator, such as 120.4"
            " (`reportgen new` leaves the amounts empty for you to fill in)",
        )
    message, hint = _describe(kind, value, error, source.scalar_texts.get(loc))
    if kind in ("dict_type", "model_type"):
        hint = KEY_HINTS.get(loc, hint)
    return InputError(f"{where}: {message}", location=source.location(loc), hint=hint)


LOGO_KEY, LOGO_FILE_KEY, LOGO_ALT_KEY = (alias(Kommune, "logo"), alias(Logo, "file"),
                                         alias(Logo, "alt"))
ALT_HINT = (f"write what the picture shows, such as `{LOGO_ALT_KEY}: Drammen kommunes"
            " byvåpen`: screen readers read it aloud, and it stands in for the picture"
            " wherever the picture cannot be shown")
# The hints of keys that say more than "add `key:`" or "indent `key: value` lines under it".
KEY_HINTS = {
    (LOGO_KEY,): f"write `{LOGO_FILE_KEY}:` (the picture's file, from the inputs folder) and"
                 f" `{LOGO_ALT_KEY}:` (what it shows) indented under `{LOGO_KEY}:`",
    (LOGO_KEY, LOGO_FILE_KEY): f"add `{LOGO_FILE_KEY}:` with the picture's file, a PNG or SVG"
                               " in the inputs folder, such as bilder/vapen.svg",
    (LOGO_KEY, LOGO_ALT_KEY): f"add `{LOGO_ALT_KEY}:` and " + ALT_HINT.removeprefix("write "),
}


def _odd_characters(key: str, allowed: list[str]) -> str:
    """Names the characters of an unknown key that no allowed key has and that the eye may
    not tell from others (a zero-width space, a Cyrillic "а"; not a Latin "ü"): else "did
    you mean" would name a key that looks the same as the one written."""
    letters = set("".join(allowed))
    odd = [c for c in dict.fromkeys(key) if c not in letters and not " " < c <= "~"
           and not unicodedata.name(c, "").startswith("LATIN ")]
    if not odd:
        return ""
    names = ", ".join(f"U+{ord(c):04X} {unicodedata.name(c, 'without a name')}" for c in odd)
    return f"the key has {names}, which no key has; type the key again; "


def _describe(kind: str, value: Any, error: Any, raw: str | None) -> tuple[str, str]:
    """What is wrong and what to do; `raw` is the value's text when YAML read it as other
    than text (`010` for 8)."""
    shown = raw if raw is not None else repr(value)
    if value is None and kind.endswith("_type"):
        return "has no value", "write the value after the colon, or remove the key if optional"
    if isinstance(value, bool):
        return (
            f"YAML read this as {str(value).lower()} (yes/no/on/off are booleans)",
            "put the text in quotes",
        )
    if kind == "string_type":
        return f"expected text, found {_yaml_kind(value, raw)}", "put the value in quotes"
    if kind == "string_too_short":
        return "is empty", "write the text, or remove the key if it is optional"
    if kind.startswith(("decimal", "date", "finite_number")):
        return _not_a_number_or_date(kind, shown)
    if kind == "literal_error":
        return f"{value!r} is not allowed", error["msg"].replace("Input should be", "use")
    if kind in ("dict_type", "model_type"):
        return (
            f"expected keys and values, found {_yaml_kind(value, raw)}",
            "indent `key: value` lines under it",
        )
    if kind in ("tuple_type", "list_type"):
        return (
            f"expected a list, found {_yaml_kind(value, raw)}",
            "write each item on a line starting with `- `",
        )
    if kind in ("too_short",):
        return "needs at least one item", "add an item starting with `- `, or remove the key"
    if kind == "string_pattern_mismatch":
        return (
            f"{value!r} is not a two-digit code",
            "write area codes as two digits in quotes, such as \"07\"",
        )
    return error["msg"], "see the input format in README.md"


def _not_a_number_or_date(kind: str, shown: str) -> tuple[str, str]:
    if kind in ("decimal_max_digits", "decimal_whole_digits", "decimal_max_places"):
        return (
            f"{shown} has more digits than an amount may have",
            f"write at most {AMOUNT_WHOLE_DIGITS} digits before the decimal point and"
            f" {AMOUNT_DECIMALS} after",
        )
    if kind == "date_with_time":
        return f"{shown} is a date and a time of day; only a date is expected here", DATE_HINT
    if kind.startswith("date"):
        return f"{shown} is not a date", DATE_HINT
    return f"{shown} is not a number", NUMBER_HINT


def _yaml_kind(value: Any, raw: str | None = None) -> str:
    if isinstance(value, dict):
        return "a mapping"
    if isinstance(value, list):
        return "a list"
    if isinstance(value, str):
        return f"the text {value!r}"
    if isinstance(value, (int, float, Decimal)) and not isinstance(value, bool):
        return f"the number {value if raw is None else raw}"
    if isinstance(value, dt.date):
        return f"the date {value.isoformat() if raw is None else raw}"
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
