"""Stage 1, read: YAML text into plain data with source positions (SourceFile).

Imports errors and project (for display_path). Knows nothing of the model or of templates;
which files to read is inputs.py's business.
The safe loader only; every mapping key is kept as the text the author wrote (so `07:` stays
"07", never the YAML 1.1 octal 7), in Unicode's composed form (NFC: an "å" typed as "a" and a
combining ring, as some macOS editors save it, is the "å" of the key); floats become exact
Decimals from their text; the text of every scalar YAML reads as something other than text
(a number, a date, a boolean) is kept beside its value, for messages and for the amounts,
which must be what the author typed (validate); an impossible date, duplicate keys, unknown
tags and alias bombs are errors. Text values are never changed.
"""

from __future__ import annotations

import calendar
import datetime as dt
import unicodedata
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from pathlib import Path
from typing import TYPE_CHECKING, Any

from reportgen.errors import InputError, SourceLocation
from reportgen.messages import _
from reportgen.project import display_path, read_file
from reportgen.yamlmistakes import explain, looks_like_a_key, unindented_block

MAX_FILE_BYTES = 1_000_000  # a long area section is ~20 kB
MAX_VALUES = 50_000  # values after expanding aliases; stops "billion laughs" early
MAX_TEXT = 5_000_000  # characters of text after expanding aliases: five times the file limit
MAX_DEPTH = 20  # the schema needs 5 levels

if TYPE_CHECKING:
    import yaml

KeyPath = tuple[str | int, ...]
STR_TAG = "tag:yaml.org,2002:str"
FLOAT_TAG = "tag:yaml.org,2002:float"
TIMESTAMP_TAG = "tag:yaml.org,2002:timestamp"
COLLECTION_TAGS = ("tag:yaml.org,2002:map", "tag:yaml.org,2002:seq")  # the walker builds these
# Text, numbers, booleans, null and dates; not !!binary, whose bytes would slip past the
# character checks of validate (pydantic turns bytes into text).
SCALAR_TAGS = tuple(f"tag:yaml.org,2002:{name}"
                    for name in ("str", "int", "float", "bool", "null", "timestamp"))


def tag_hint() -> str:
    """What to do about a YAML tag (`!!python/…`, `!local`)."""
    return _("remove the `!` tag: inputs are plain text, numbers, lists and mappings")


def date_hint() -> str:
    """How to write a date."""
    return _("write dates as YYYY-MM-DD, such as 2017-05-23")


@dataclass(frozen=True)
class SourceFile:
    """One YAML file: its data as plain Python values and where each value stands."""

    path: Path
    display: str  # as shown in messages: relative to the working directory when inside it
    data: Any
    value_marks: dict[KeyPath, tuple[int, int]] = field(repr=False)
    key_marks: dict[KeyPath, tuple[int, int]] = field(repr=False)
    # The text as written of each scalar that YAML did not read as text: "010" for the 8
    # in data, "1:30" for 90, "2017-05-23" for a date, "yes" for True.
    scalar_texts: dict[KeyPath, str] = field(default_factory=dict, repr=False)
    text: str = field(default="", repr=False)  # the file as read, comments and all

    def location(self, key_path: KeyPath = (), *, at_key: bool = False) -> SourceLocation:
        """The position of a value (or its key), falling back to the nearest recorded parent."""
        marks = self.key_marks if at_key and key_path in self.key_marks else self.value_marks
        path = key_path
        while path and path not in marks:
            path = path[:-1]
            marks = self.value_marks
        line, column = marks.get(path, (1, 1))
        return SourceLocation(self.display, line, column)


def dotted(path: KeyPath) -> str:
    """A key path as messages show it: `økonomisk_status.tall.rader[0].regnskap`."""
    return "".join(f"[{p}]" if isinstance(p, int) else f".{p}" for p in path).lstrip(".")


def yaml_kind(value: Any, raw: str | None = None) -> str:
    """What YAML read a value as, in words: "the number 010", "the text 'x'", "a list"."""
    if isinstance(value, dict):
        return _("a mapping")
    if isinstance(value, list):
        return _("a list")
    if isinstance(value, str):
        return _("the text {text!r}").format(text=value)
    if isinstance(value, (int, float, Decimal)) and not isinstance(value, bool):
        return _("the number {number}").format(number=value if raw is None else raw)
    if isinstance(value, dt.date):
        return _("the date {date}").format(date=value.isoformat() if raw is None else raw)
    return _("the {kind} {value!r}").format(kind=type(value).__name__, value=value)


def load_yaml(path: Path, root: Path | None = None) -> SourceFile:
    """Read one YAML file (through project.read_file: an ordinary file, inside `root` when
    given, at most MAX_FILE_BYTES); raise InputError with file:line:column for anything
    unreadable."""
    display = display_path(path)
    raw = read_file(path, limit=MAX_FILE_BYTES, root=root)
    return parse_yaml(_decode(raw, display), display, path)


def parse_yaml(text: str, display: str, path: Path | None = None) -> SourceFile:
    """YAML text (of the file `path`, shown as `display`) as a SourceFile; InputError with
    line and column for anything unreadable.

    Read by libyaml's parser (PyYAML's C extension, ~20 × faster) when it is installed and
    the text has no character PyYAML's reader refuses and no tab (libyaml takes tabs in
    places PyYAML's parser refuses them); anything libyaml cannot read, and anything the
    walker refuses, is read again by PyYAML's own parser, so that every message is the one
    PyYAML's parser gives (the explanations of yamlmistakes know its words). Where the two
    differ otherwise, libyaml is the lenient one (`tekst: |#`, `[a? b]`), reading what the
    author meant. libyaml stops at 1000 levels of nesting: its recursion stays bounded."""
    import yaml  # here, not at the top: a rebuild with nothing changed never parses YAML

    path = path or Path(display)
    fast = getattr(yaml, "CSafeLoader", None)
    if fast is not None and "\t" not in text and not yaml.reader.Reader.NON_PRINTABLE.search(text):
        try:
            return _parse(fast(text), text, display, path)
        except (yaml.YAMLError, InputError, RecursionError):
            pass  # said again below, in PyYAML's words
    try:
        loader = yaml.SafeLoader(text)  # the reader checks every character here, at once
    except yaml.reader.ReaderError as exc:
        raise _reader_error(exc, text, display) from exc
    try:
        return _parse(loader, text, display, path)
    except yaml.MarkedYAMLError as exc:
        raise _yaml_error(exc, display, text) from exc
    except yaml.reader.ReaderError as exc:
        raise _reader_error(exc, text, display) from exc
    except RecursionError as exc:
        raise InputError(
            _("the file is nested too deeply"),
            location=SourceLocation(display, 1, 1),
            hint=_("the input schema needs at most {levels} levels").format(levels=MAX_DEPTH),
        ) from exc


def _parse(loader: yaml.SafeLoader | yaml.CSafeLoader, text: str, display: str,
           path: Path) -> SourceFile:
    """The file's one document composed by `loader` and walked into values; disposes of the
    loader."""
    try:
        node = loader.get_single_node()
        if node is None:
            return SourceFile(path, display, None, {(): (1, 1)}, {}, text=text)
        walker = _Walker(loader, display, text)
        return walker.source_file(path, walker.value(node, (), 0))
    finally:
        loader.dispose()


def _decode(raw: bytes, display: str) -> str:
    try:
        return raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line, column = _line_col(raw[: exc.start].decode("utf-8", "replace"), exc.start)
        raise InputError(
            _("the file is not valid UTF-8 (byte 0x{byte:02x})").format(byte=raw[exc.start]),
            location=SourceLocation(display, line, column),
            hint=_("save the file as UTF-8 (in most editors: Save As, encoding UTF-8)"),
        ) from exc


def _line_col(text: str, offset: int) -> tuple[int, int]:
    before = text[:offset]
    return before.count("\n") + 1, offset - (before.rfind("\n") + 1) + 1


def _reader_error(exc: yaml.reader.ReaderError, text: str, display: str) -> InputError:
    line, column = _line_col(text, exc.position)
    return InputError(
        _("character U+{code:04X} is not allowed in YAML").format(code=exc.character)
        if isinstance(exc.character, int)
        else _("unreadable character: {reason}").format(reason=exc.reason),
        location=SourceLocation(display, line, column),
        hint=_("remove the control character (often pasted from Word or e-mail)"),
    )


def _yaml_error(exc: yaml.MarkedYAMLError, display: str, text: str) -> InputError:
    problem, context = exc.problem or "", exc.context or ""
    at = (exc.problem_mark.line + 1, exc.problem_mark.column + 1) if exc.problem_mark else None
    context_at = (exc.context_mark.line + 1, exc.context_mark.column + 1) \
        if exc.context_mark else None
    mistake = explain(problem, at, context, context_at, text.splitlines())
    if mistake is not None:
        return InputError(mistake.message, hint=mistake.hint,
                          location=SourceLocation(display, mistake.line, mistake.column))
    line, column = at or context_at or (None, None)
    where = SourceLocation(display, line, column)
    if "could not determine a constructor" in str(exc):
        return InputError(_("invalid YAML: the tag {tag} is not allowed").format(
            tag=problem.split("tag ")[-1]), location=where, hint=tag_hint())
    # The parser's own words (PyYAML's, in English) when the mistake is none of the common ones.
    what = problem or context or _("invalid YAML")
    return InputError(_("invalid YAML: {problem}").format(problem=what), location=where,
                      hint=_("check the indentation and quoting on this line and the one before"))


class _Walker:
    """Turns a composed node tree into values, recording each value's and key's position."""

    def __init__(self, loader: yaml.SafeLoader | yaml.CSafeLoader, display: str,
                 text: str) -> None:
        self.loader = loader
        self.display = display
        self.text = text
        self.count = 0
        self.chars = 0  # characters of the text values, aliases expanded
        self.value_marks: dict[KeyPath, tuple[int, int]] = {}
        self.key_marks: dict[KeyPath, tuple[int, int]] = {}
        self.scalar_texts: dict[KeyPath, str] = {}

    def source_file(self, path: Path, data: Any) -> SourceFile:
        """The file's data with every position and text this walker recorded."""
        return SourceFile(path, self.display, data, self.value_marks, self.key_marks,
                          self.scalar_texts, self.text)

    def _here(self, node: yaml.Node) -> SourceLocation:
        return SourceLocation(self.display, node.start_mark.line + 1, node.start_mark.column + 1)

    def value(self, node: yaml.Node, path: KeyPath, depth: int) -> Any:
        import yaml

        self.count += 1
        if self.count > MAX_VALUES or depth > MAX_DEPTH:
            too_many = self.count > MAX_VALUES
            raise InputError(
                _("more than {count} values after expanding aliases").format(count=MAX_VALUES)
                if too_many
                else _("nested more than {levels} levels deep").format(levels=MAX_DEPTH),
                location=self._here(node),
                hint=_("anchors and aliases (&, *) are not needed in report inputs;"
                       " write the text out")
                if too_many
                else _("check the indentation: the input schema is only a few levels deep"),
            )
        self.value_marks.setdefault(path, (node.start_mark.line + 1, node.start_mark.column + 1))
        if isinstance(node, yaml.ScalarNode):
            self.chars += len(node.value)
            if self.chars > MAX_TEXT:  # a long text repeated by aliases
                raise InputError(
                    _("more than {limit} characters of text after expanding aliases").format(
                        limit=MAX_TEXT),
                    location=self._here(node),
                    hint=_("anchors and aliases (&, *) are not needed in report inputs;"
                           " write the text out"))
        if node.tag not in (SCALAR_TAGS if isinstance(node, yaml.ScalarNode) else COLLECTION_TAGS):
            raise InputError(  # `!!python/object/apply:…`, `!!set`, `!!binary`, `!local`
                _("invalid YAML: the tag {tag} is not allowed").format(tag=repr(node.tag)),
                location=self._here(node), hint=tag_hint(),
            )
        if isinstance(node, yaml.MappingNode):
            return self._mapping(node, path, depth)
        if isinstance(node, yaml.SequenceNode):
            return [self.value(item, (*path, i), depth + 1) for i, item in enumerate(node.value)]
        if node.tag != STR_TAG:
            self.scalar_texts[path] = node.value
        elif node.style in ("|", ">") and not node.value.strip():
            self._unindented(node)
        return self._scalar(node)

    def _unindented(self, node: yaml.Node) -> None:
        """An empty `|` block followed by text that is not indented: the author's text, which
        YAML reads as the keys that follow (or as nothing)."""
        lines = self.text.splitlines()
        after = node.start_mark.line + 2
        while after <= len(lines) and not lines[after - 1].strip():
            after += 1
        if after > len(lines) or looks_like_a_key(lines[after - 1]):
            return  # an empty text, then the next key: the model says it is empty
        mistake = unindented_block(lines, after)
        if mistake is not None:
            raise InputError(mistake.message, hint=mistake.hint,
                             location=SourceLocation(self.display, mistake.line, 1))

    def _mapping(self, node: yaml.MappingNode, path: KeyPath, depth: int) -> dict[str, Any]:
        import yaml

        result: dict[str, Any] = {}
        written: dict[str, str] = {}  # each key as typed, before NFC
        for key_node, value_node in node.value:
            if not isinstance(key_node, yaml.ScalarNode):
                raise InputError(
                    _("a key must be plain text"), location=self._here(key_node),
                    hint=_("write `name: value` with a simple word before the colon"),
                )
            key = unicodedata.normalize("NFC", key_node.value)  # as written: "07" stays "07"
            if key in result:
                first = self.key_marks[(*path, key)][0]
                raise InputError(
                    _("duplicate key {key!r} (first written at line {line})").format(
                        key=key, line=first) if written[key] == key_node.value else
                    _("duplicate key {key!r} (first written at line {line}, with the same"
                      " letters stored another way)").format(key=key, line=first),
                    location=self._here(key_node),
                    hint=_("YAML would silently keep only the last one; merge the two or rename"
                           " one"),
                )
            self.key_marks[(*path, key)] = (
                key_node.start_mark.line + 1, key_node.start_mark.column + 1,
            )
            written[key] = key_node.value
            result[key] = self.value(value_node, (*path, key), depth + 1)
        return result

    def _scalar(self, node: yaml.Node) -> Any:
        if node.tag == FLOAT_TAG:
            try:  # exact; .inf, .nan and 1:30.5 (base 60) stay PyYAML's floats
                number = Decimal(node.value.replace("_", ""))
            except InvalidOperation:
                number = None
            if number is not None and number.is_finite():
                return number
        try:
            return self.loader.construct_object(node)
        except (ValueError, KeyError, AttributeError, TypeError) as exc:  # `!!int abc`
            if node.tag == TIMESTAMP_TAG:
                message = _not_a_date(node.value, exc)
                if message is not None:
                    raise InputError(
                        message, location=self._here(node),
                        hint=_("write dates as YYYY-MM-DD, such as 2017-05-23; if it is meant as"
                               " text, put it in quotes"),
                    ) from exc
            kind = node.tag.rsplit(":", 1)[-1]
            raise InputError(
                _("invalid YAML: {value!r} is not a valid !!{kind}").format(
                    value=node.value, kind=kind),
                location=self._here(node), hint=tag_hint(),
            ) from exc


def _not_a_date(text: str, exc: Exception) -> str | None:
    """Why a text YAML reads as a date is not one: "2017-02-30 is not a date: February 2017
    has 28 days"; None if it does not look like a date at all."""
    import yaml

    match = yaml.SafeLoader.timestamp_regexp.match(text)
    if match is None:
        return None
    year, month, day = (int(match.group(name)) for name in ("year", "month", "day"))
    if year < 1:
        return _("{text} is not a date: there is no year 0").format(text=text)
    if not 1 <= month <= 12:
        return _("{text} is not a date: there is no month {month}").format(text=text, month=month)
    days = calendar.monthrange(year, month)[1]
    if not 1 <= day <= days:
        return _("{text} is not a date: {month} {year} has {days} days").format(
            text=text, month=_month_names()[month - 1], year=year, days=days)
    return _("{text} is not a date and time: {reason}").format(text=text, reason=exc)


def _month_names() -> tuple[str, ...]:
    """The months' names, as messages say them (January is first)."""
    return (_("January"), _("February"), _("March"), _("April"), _("May"), _("June"), _("July"),
            _("August"), _("September"), _("October"), _("November"), _("December"))
