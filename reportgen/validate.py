"""Stage 2, validate: plain data with positions -> typed model, or every problem with its place.

Imports errors, yamlsource (for SourceFile), model, modelread, outline (the amount keys),
amounttext, tablecheck (the tables), labels and labelcheck (the keys and placeholders of
templates/labels.yaml), and modelschema (pydantic) for a file modelread does not read. A file
written right is read by modelread; any other by pydantic, whose error locations are
Norwegian YAML keys (aliases); each is mapped back to the file, line and column the author
wrote. Amounts are read from the text the author typed, by amounttext's rule, not from what
YAML 1.1 makes of it (`010` is 8 to YAML, `1:30` is 90).
"""

from __future__ import annotations

import difflib
import re
import types
import typing
import unicodedata
from collections.abc import Iterator
from decimal import Decimal
from typing import Any

from reportgen.amounttext import amount_problem, number_hint
from reportgen.errors import (
    InputError,
    ReportgenError,
    ReportgenErrors,
    UsageError,
    raise_all,
)
from reportgen.labelcheck import label_problems, no_labels
from reportgen.labels import LABEL_WORDS
from reportgen.messages import _
from reportgen.model import (
    AMOUNT_DECIMALS,
    AMOUNT_WHOLE_DIGITS,
    DATE_WITH_TIME,
    Area,
    AreaInput,
    Kommune,
    Logo,
    Model,
    Period,
    ReportInput,
    fields_of,
)
from reportgen.modelread import read_model
from reportgen.outline import AMOUNT_KEYS, FIGURES, ROWS_KEY, alias, report_text_fields, text_fields
from reportgen.tablecheck import table_problems
from reportgen.yamlsource import KeyPath, SourceFile, date_hint, dotted, yaml_kind

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
    raise_all(table_problems(report.tables, report_text_fields(report), source))
    return report  # type: ignore[no-any-return]


def validate_area(source: SourceFile, code: str, kommune: Kommune, period: Period) -> Area:
    """inputs/<period>/<code>.yaml -> Area; the file name is the authority on the code."""
    if code not in kommune.areas:
        raise UsageError(
            _("area {code} is not in the register of programme areas").format(code=code),
            hint=_("add it under `programområder:` in kommune.yaml, or check the code"),
        )
    content = _validate(AreaInput, source)
    if content.code is not None and content.code != code:
        raise ReportgenErrors([InputError(
            _("programområde: {written!r} does not match the file name {code}.yaml").format(
                written=content.code, code=code),
            location=source.location((alias(AreaInput, "code"),)),
            hint=_("the file name decides the area; remove this key or rename the file"),
        )])
    raise_all(table_problems(content.tables, text_fields(content), source))
    return Area(code, kommune.areas[code], period, content)


def validate_labels(source: SourceFile, lang: str) -> dict[str, str]:
    """templates/labels.yaml -> the labels of one language: every key of labels.LABEL_WORDS,
    each a text whose placeholders are those the table gives it. A label without
    placeholders comes back as its final text (`{{` as `{`); other keys are kept as written."""
    block = source.data.get(lang) if isinstance(source.data, dict) else None
    if not isinstance(block, dict):
        raise ReportgenErrors([no_labels(source, lang)])
    problems = _bad_characters(source, block, (lang,)) + label_problems(source, lang, block)
    if problems:
        raise ReportgenErrors(problems)
    return {str(k): (v.format() if k in LABEL_WORDS and not LABEL_WORDS[k] else v)
            for k, v in block.items() if isinstance(v, str)}


def _validate(model: type[Model], source: SourceFile) -> Any:
    problems = _bad_characters(source, source.data, ())
    amounts = dict(_bad_amounts(source)) if model is AreaInput else {}
    problems += amounts.values()
    if source.data is None:
        problems.append(InputError(
            _("the file is empty"), location=source.location(),
            hint=_empty_file_hint(model),
        ))
    else:
        result = read_model(model, source.data)
        errors: list[Any] = []
        if result is None:  # not read as it is: pydantic converts it, or says what is wrong
            from reportgen.modelschema import validated

            result, errors = validated(model, source.data)
        reported = {p.location for p in problems}
        problems += [_explain(e, model, source) for e in errors
                     if not _follows(e, errors) and not _said(e, source, reported)
                     and not _misspelt(e, errors, model)
                     and tuple(e["loc"]) not in amounts]
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


def _misspelt(error: Any, errors: list[Any], model: type[Model]) -> bool:
    """A required key reported missing because it is there, misspelt: the unknown key's
    "did you mean" says it, at the key's own line (one problem, not two)."""
    loc = tuple(error["loc"])
    if error["type"] != "missing":
        return False
    allowed = _aliases(_model_at(model, loc[:-1]))
    return any(other["type"] == "extra_forbidden" and tuple(other["loc"][:-1]) == loc[:-1]
               and _close(str(other["loc"][-1]), allowed) == loc[-1] for other in errors)


def _close(key: str, allowed: list[str]) -> str | None:
    """The allowed key that `key` is most likely a misspelling of."""
    close = difflib.get_close_matches(key, allowed, n=1)
    return close[0] if close else None


def _said(error: Any, source: SourceFile, reported: set[Any]) -> bool:
    """Pydantic refuses a lone surrogate too; _bad_characters has already said what it is."""
    return error["type"] == "string_unicode" and source.location(tuple(error["loc"])) in reported


def _empty_file_hint(model: type[Model]) -> str:
    required = [f.alias for f in fields_of(model).values() if f.is_required()]
    optional = [f.alias for f in fields_of(model).values() if not f.is_required()]
    if not required:
        return _("write any of the keys {keys}, or remove the file").format(
            keys=", ".join(optional))
    return _("write the keys {keys} (and, if needed, {optional})").format(
        keys=", ".join(required), optional=", ".join(optional))


def _bad_characters(source: SourceFile, value: Any, path: KeyPath) -> list[ReportgenError]:
    if isinstance(value, dict):
        return [e for k, v in value.items() for e in _bad_characters(source, v, (*path, k))]
    if isinstance(value, list):
        return [e for i, v in enumerate(value) for e in _bad_characters(source, v, (*path, i))]
    if not isinstance(value, str) or not (match := NOT_XML.search(value)):
        return []
    line_in_text = value.count("\n", 0, match.start()) + 1
    return [InputError(
        _("{key}: character U+{code:04X} cannot be stored in a document (line {line} of the"
          " text, character {column})").format(key=dotted(path), code=ord(match.group()),
                                               line=line_in_text, column=match.start() + 1),
        location=source.location(path),
        hint=_("remove the control character; it often comes along when text is pasted from"
               " Word, PDF or e-mail"),
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
            yield path, InputError(f"{dotted(path)}: {message}", location=source.location(path),
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
    where = dotted(loc)
    if kind == "missing":
        return InputError(
            _("missing required key {key!r} under {parent}").format(
                key=loc[-1], parent=dotted(loc[:-1])) if loc[:-1] else
            _("missing required key {key!r} under the top level").format(key=loc[-1]),
            location=source.location(loc[:-1]),
            hint=key_hints().get(loc) or _("add `{key}:` with its text").format(key=loc[-1]),
        )
    if kind == "extra_forbidden":
        return _unknown_key(loc, model, source)
    if value is None and loc and loc[-1] in AMOUNT_KEYS:
        return InputError(
            _("{key}: the amount is not filled in").format(key=where),
            location=source.location(loc),
            hint=_("write the amount with a dot decimal separator, such as 120.4"
                   " (`reportgen new` leaves the amounts empty for you to fill in)"),
        )
    message, hint = _describe(kind, value, error, source.scalar_texts.get(loc))
    if kind in ("dict_type", "model_type"):
        hint = key_hints().get(loc, hint)
    return InputError(f"{where}: {message}", location=source.location(loc), hint=hint)


LOGO_KEY, LOGO_FILE_KEY, LOGO_ALT_KEY = (alias(Kommune, "logo"), alias(Logo, "file"),
                                         alias(Logo, "alt"))


def alt_hint() -> str:
    """The hint for the logo's text: what to write in `alt:`."""
    return _("write what the picture shows, such as `{alt}: Drammen kommunes byvåpen`: screen"
             " readers read it aloud, and it stands in for the picture wherever the picture"
             " cannot be shown").format(alt=LOGO_ALT_KEY)


def key_hints() -> dict[KeyPath, str]:
    """The hints of keys that say more than "add `key:`" or "indent `key: value` lines under
    it"."""
    return {
        (LOGO_KEY,): _("write `{file}:` (the picture's file, from the inputs folder) and"
                       " `{alt}:` (what it shows) indented under `{logo}:`").format(
            file=LOGO_FILE_KEY, alt=LOGO_ALT_KEY, logo=LOGO_KEY),
        (LOGO_KEY, LOGO_FILE_KEY): _("add `{file}:` with the picture's file, a PNG or SVG in the"
                                     " inputs folder, such as bilder/vapen.svg").format(
            file=LOGO_FILE_KEY),
        (LOGO_KEY, LOGO_ALT_KEY): _("add `{alt}:` and what the picture shows, such as `{alt}:"
                                    " Drammen kommunes byvåpen`: screen readers read it aloud,"
                                    " and it stands in for the picture wherever the picture"
                                    " cannot be shown").format(alt=LOGO_ALT_KEY),
    }
def _unknown_key(loc: KeyPath, model: type[Model], source: SourceFile) -> InputError:
    """A key the schema does not have here: what it may be a misspelling of, and the keys
    allowed in its place."""
    allowed = _aliases(_model_at(model, loc[:-1]))
    key, close = loc[-1], _close(str(loc[-1]), allowed)
    hint = _odd_characters(str(key), allowed) + _("the keys allowed here are {keys}").format(
        keys=", ".join(allowed))
    if loc[:-1]:
        under = dotted(loc[:-1])
        message = _("unknown key {key!r} under {parent}; did you mean {close!r}?").format(
            key=key, parent=under, close=close) if close else _(
            "unknown key {key!r} under {parent}").format(key=key, parent=under)
    else:
        message = _("unknown key {key!r}; did you mean {close!r}?").format(
            key=key, close=close) if close else _("unknown key {key!r}").format(key=key)
    return InputError(message, location=source.location(loc, at_key=True), hint=hint)


def _odd_characters(key: str, allowed: list[str]) -> str:
    """Names the characters of an unknown key that no allowed key has and that the eye may
    not tell from others (a zero-width space, a Cyrillic "а"; not a Latin "ü"): else "did
    you mean" would name a key that looks the same as the one written."""
    letters = set("".join(allowed))
    odd = [c for c in dict.fromkeys(key) if c not in letters and not " " < c <= "~"
           and not unicodedata.name(c, "").startswith("LATIN ")]
    if not odd:
        return ""
    nameless = _("without a name")
    names = ", ".join(f"U+{ord(c):04X} {unicodedata.name(c, nameless)}" for c in odd)
    return _("the key has {characters}, which no key has; type the key again; ").format(
        characters=names)


def _describe(kind: str, value: Any, error: Any, raw: str | None) -> tuple[str, str]:
    """What is wrong and what to do; `raw` is the value's text when YAML read it as other
    than text (`010` for 8)."""
    shown = raw if raw is not None else repr(value)
    if value is None and kind.endswith("_type"):
        return _("has no value"), _("write the value after the colon, or remove the key if"
                                    " optional")
    if isinstance(value, bool):
        return (_("YAML read this as {value} (yes/no/on/off are booleans)").format(
            value=str(value).lower()), _("put the text in quotes"))
    if kind == "string_type":
        return (_("expected text, found {found}").format(found=yaml_kind(value, raw)),
                _("put the value in quotes"))
    if kind == "string_too_short":
        return _("is empty"), _("write the text, or remove the key if it is optional")
    if kind.startswith(("decimal", "date", "finite_number")):
        return _not_a_number_or_date(kind, shown)
    if kind == "literal_error":
        return _("{value!r} is not allowed").format(value=value), _choices(error)
    if kind in ("dict_type", "model_type"):
        return (_("expected keys and values, found {found}").format(found=yaml_kind(value, raw)),
                _("indent `key: value` lines under it"))
    if kind in ("tuple_type", "list_type"):
        return (_("expected a list, found {found}").format(found=yaml_kind(value, raw)),
                _("write each item on a line starting with `- `"))
    if kind in ("too_short",):
        return _("needs at least one item"), _("add an item starting with `- `, or remove the"
                                               " key")
    if kind == "string_pattern_mismatch":
        return (_("{value!r} is not a two-digit code").format(value=value),
                _("write area codes as two digits in quotes, such as \"07\""))
    # pydantic's own words (English) for a kind of problem the schema does not expect
    return error["msg"], _("see the input format in README.md")


def _choices(error: Any) -> str:
    """`use 'nb' or 'nn'`: the values a literal allows, as pydantic lists them ("'a', 'b' or
    'c'"), with the last "or" in the user's language."""
    expected = str((error.get("ctx") or {}).get("expected", ""))
    if not expected:
        return error["msg"].replace("Input should be", "use")
    first, joined, last = expected.rpartition(" or ")
    values = _("{first} or {last}").format(first=first, last=last) if joined else expected
    return _("use {values}").format(values=values)


def _not_a_number_or_date(kind: str, shown: str) -> tuple[str, str]:
    if kind in ("decimal_max_digits", "decimal_whole_digits", "decimal_max_places"):
        return (
            _("{value} has more digits than an amount may have").format(value=shown),
            _("write at most {whole} digits before the decimal point and {decimals}"
              " after").format(whole=AMOUNT_WHOLE_DIGITS, decimals=AMOUNT_DECIMALS),
        )
    if kind == DATE_WITH_TIME:
        return (_("{value} is a date and a time of day; only a date is expected here").format(
            value=shown), date_hint())
    if kind.startswith("date"):
        return _("{value} is not a date").format(value=shown), date_hint()
    return _("{value} is not a number").format(value=shown), number_hint()


def _aliases(model: type[Model] | None) -> list[str]:
    if model is None:
        return []
    return [f.alias for f in fields_of(model).values()]


def _model_at(model: type[Model], loc: KeyPath) -> type[Model] | None:
    """The model class that validates the mapping at loc (for listing its keys)."""
    current: type[Model] | None = model
    for part in loc:
        if isinstance(part, int) or current is None:
            continue
        field = next((f for f in fields_of(current).values() if f.alias == part), None)
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
