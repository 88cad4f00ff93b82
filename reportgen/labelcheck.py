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
from reportgen.messages import _
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
        found = _("nothing") if source.data is None else yaml_kind(source.data)
        return TemplateError(
            _("expected the labels by language ({lang}: and its keys), found {found}").format(
                lang=lang, found=found),
            location=source.location(), hint=_("start the file with `{lang}:` and indent the"
                                               " labels under it, as in the labels.yaml that"
                                               " comes with reportgen").format(lang=lang))
    if lang in source.data:
        return TemplateError(
            _("{lang}: expected the labels as keys and values, found {found}").format(
                lang=lang, found=yaml_kind(source.data[lang])), location=source.location((lang,)),
            hint=_("indent `key: text` lines under it"))
    return TemplateError(
        _("no labels for the language {lang!r} (kommune.yaml's `språk:`)").format(lang=lang),
        location=SourceLocation(source.display), hint=_(
            "add `{lang}:` with every label, as in the labels.yaml that comes with"
            " reportgen").format(lang=lang))


def _missing_label(source: SourceFile, lang: str, key: str, block: dict[str, Any]) -> TemplateError:
    unknown = [str(k) for k in block if k not in LABEL_WORDS]
    close = difflib.get_close_matches(key, unknown, n=1)
    words = _placeholders(LABEL_WORDS[key])
    hint = _("add `{key}:` with its wording under `{lang}:` (it may use {placeholders})").format(
        key=key, lang=lang, placeholders=words) if words else _(
        "add `{key}:` with its wording under `{lang}:`").format(key=key, lang=lang)
    if close:
        hint = _("is {close!r} a misspelling of it? {advice}").format(close=close[0], advice=hint)
    return TemplateError(
        _("{lang}: missing label {key!r}").format(lang=lang, key=key),
        location=source.location((lang,), at_key=True), hint=hint)


def _label_problem(value: Any, words: tuple[str, ...]) -> tuple[str, str] | None:
    """What is wrong with one label, and what to do; None when it formats with `words`."""
    if value is None:
        return _("has no value"), _("write the wording after the colon")
    if isinstance(value, bool):
        return (_("YAML read this as {value} (yes/no/on/off are booleans)").format(
                    value=str(value).lower()),
                _("put the text in quotes"))
    if not isinstance(value, str):
        return (_("expected text, found {found}").format(found=yaml_kind(value)),
                _("put the text in quotes"))
    try:
        fields = [(f, spec, conv) for _text, f, spec, conv in string.Formatter().parse(value)
                  if f is not None]
    except ValueError as exc:
        return _brace_problem("Single '}'" in str(exc), words)
    for field, spec, conversion in fields:
        if field not in words:
            return _("unknown placeholder {placeholder}").format(
                placeholder=f"{{{field}}}"), _unknown_placeholder_hint(field, words)
        if spec or conversion:
            shown = field + (f"!{conversion}" if conversion else "") + (f":{spec}" if spec else "")
            return (_("the placeholder {placeholder} has a format").format(
                        placeholder=f"{{{shown}}}"),
                    _("write {placeholder}: reportgen fills it in as it is").format(
                        placeholder=f"{{{field}}}"))
    return None


def _brace_problem(lone: bool, words: tuple[str, ...]) -> tuple[str, str]:
    """A `}` alone or a `{` not closed: braces as text are written doubled."""
    # TRANSLATORS: the braces stand for themselves (the text is not formatted).
    message = _("a `}` without its `{`") if lone else _("a `{` that is not closed")
    listed = _placeholders(words)
    return message, _("write {braces} for braces as text; placeholders are {placeholders}").format(
        braces="{{ and }}", placeholders=listed) if listed else _(
        "write {braces} for braces as text").format(braces="{{ and }}")


def _unknown_placeholder_hint(field: str, words: tuple[str, ...]) -> str:
    """The placeholder meant, the label's own placeholders, and how to write braces."""
    listed = _placeholders(words)
    hint = _("this label may use {placeholders}; write {braces} for braces as text").format(
        placeholders=listed, braces="{{ and }}") if listed else _(
        "this label takes no placeholders; write {braces} for braces as text").format(
        braces="{{ and }}")
    close = difflib.get_close_matches(field, words, n=1)
    if close:
        hint = _("did you mean {placeholder}? {advice}").format(placeholder=f"{{{close[0]}}}",
                                                              advice=hint)
    return hint


def _placeholders(words: tuple[str, ...]) -> str:
    """The placeholders listed: "{code} and {name}"; "" when there are none."""
    shown = [f"{{{w}}}" for w in words]
    if len(shown) < 2:
        return "".join(shown)
    return _("{first} and {last}").format(first=", ".join(shown[:-1]), last=shown[-1])
