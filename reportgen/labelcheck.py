"""Part of stage 2, validate: templates/labels.yaml's labels of one language against the
table of labels (labels.LABEL_WORDS): each key there, each a text that uses only its own
placeholders.

Imports errors, labels and yamlsource; validate.validate_labels calls it.
"""

from __future__ import annotations

import difflib
import string
from typing import Any

from reportgen.errors import SourceLocation, TemplateError
from reportgen.labels import LABEL_WORDS
from reportgen.yamlsource import SourceFile, yaml_kind


def label_problems(source: SourceFile, lang: str, block: dict[str, Any]) -> list[TemplateError]:
    """Every label the table lists that is missing from `block`, or is not a text with the
    label's own placeholders."""
    problems = []
    for key, words in LABEL_WORDS.items():
        if key not in block:
            problems.append(_missing_label(source, lang, key, block))
        elif (problem := _label_problem(block[key], words)) is not None:
            message, hint = problem
            problems.append(TemplateError(f"{lang}.{key}: {message}",
                                          location=source.location((lang, key)), hint=hint))
    return problems


def no_labels(source: SourceFile, lang: str) -> TemplateError:
    """The labels file has no block of keys for the language: what it has instead."""
    if not isinstance(source.data, dict):
        found = "nothing" if source.data is None else yaml_kind(source.data)
        return TemplateError(
            f"expected the labels by language ({lang}: and its keys), found {found}",
            location=source.location(), hint=f"start the file with `{lang}:` and indent the"
            " labels under it, as in the labels.yaml that comes with reportgen")
    if lang in source.data:
        return TemplateError(
            f"{lang}: expected the labels as keys and values, found"
            f" {yaml_kind(source.data[lang])}", location=source.location((lang,)),
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
        return f"expected text, found {yaml_kind(value)}", "put the text in quotes"
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
