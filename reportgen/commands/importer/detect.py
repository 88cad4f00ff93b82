"""Recognise the parts of a document as people write them, not only as reportgen renders them.

The wording comes from templates/labels.yaml in every language of the languages table (nb
and nn), compared without regard to case, spaces or a colon after a heading: the part
headings ("Økonomisk status", "Fakta" …), an area's title ("Programområde 06 Kultur"), a
chapter of the whole report ("Del 1 …", made from the label of "Del 3 Programområdene"), the
figures table's column headings, the period ("1. tertial 2017", "per april 2017"). Style
names are recognised in English and Norwegian ("Heading 2", "Overskrift 2", "Title",
"Tittel"). Imports outline, period, languages and present.numbers; no python-docx.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path

from reportgen.languages import LANGUAGES
from reportgen.model import AMOUNT_UNITS, DEFAULT_UNIT
from reportgen.outline import AREA_OUTLINE, FIGURE_COLUMNS, NAME_LABEL, FigureColumn, Part
from reportgen.period import PERIOD_ENDS, Period

HEADING_STYLE = re.compile(r"(?:heading|overskrift)\s*([1-9])", re.IGNORECASE)
TITLE_STYLES = ("title", "tittel")
SUBTITLE_STYLES = ("subtitle", "undertittel")
CAPTION_STYLES = ("caption", "bildetekst", "beskrivelse", "bilettekst", "table note")
TOC_STYLE = re.compile(r"(?:toc|contents|innholdsfortegnelse|innhaldsliste)\b.*", re.IGNORECASE)
SECTION_NUMBER = re.compile(r"^\d+(?:\.\d+)*\.?\s+(?=\D)")  # "1.2 Fakta", typed by hand
HEADING_WORDS = 12  # a bold paragraph of at most this many words may be a heading
SUM_NAMES = ("sum", "sum totalt", "totalt", "total", "samlet", "i alt")
UNIT_WORDS = {"mill. kr": re.compile(r"mill(?:\.|ioner)?\s*(?:kr|kroner)", re.IGNORECASE),
              "1000 kr": re.compile(r"(?:1[ \u00a0.]?000|tusen|hele tusen)\s*(?:kr|kroner)",
                                    re.IGNORECASE)}
assert set(UNIT_WORDS) == set(AMOUNT_UNITS)


def key(text: str) -> str:
    """Text as headings are compared: case, spaces, a typed section number and a colon or
    full stop at the end do not count."""
    text = " ".join(text.split()).strip()
    text = SECTION_NUMBER.sub("", text).rstrip(":.").strip()
    return text.casefold()


def style_kind(name: str) -> str | int | None:
    """What a paragraph style's name says: a heading level (1-9), "title", "subtitle",
    "caption", "toc", or None for body text."""
    lowered = name.strip().casefold()
    if found := HEADING_STYLE.fullmatch(lowered):
        return int(found.group(1))
    for kind, names in (("title", TITLE_STYLES), ("subtitle", SUBTITLE_STYLES),
                        ("caption", CAPTION_STYLES)):
        if lowered in names:
            return kind
    return "toc" if TOC_STYLE.fullmatch(lowered) else None


def is_short(text: str) -> bool:
    """Short enough to be a heading, and not a sentence (no full stop, question or colon)."""
    text = text.strip()
    return 0 < len(text.split()) <= HEADING_WORDS and not re.search(r"[.!?;,]$", text)


def _pattern(template: str, fields: dict[str, str]) -> re.Pattern[str]:
    """A label with {placeholders} as a case-insensitive regular expression."""
    parts = re.split(r"(\{\w+\})", template)
    body = "".join(fields.get(p[1:-1], r".+?") if p.startswith("{") else
                   r"\s*".join(map(re.escape, p.split(" "))) for p in parts)
    return re.compile(body, re.IGNORECASE)


@dataclass
class Vocabulary:
    """The fixed wording of every language, for recognising a document's parts."""

    parts: dict[str, Part] = field(default_factory=dict)  # key(label) -> the part it heads
    words: dict[str, str] = field(default_factory=dict)  # key(label) -> labels.yaml key
    area_titles: list[re.Pattern[str]] = field(default_factory=list)
    chapters: list[re.Pattern[str]] = field(default_factory=list)
    report_titles: list[re.Pattern[str]] = field(default_factory=list)
    periods: list[re.Pattern[str]] = field(default_factory=list)  # "1. tertial 2017" …
    columns: list[tuple[FigureColumn | None, frozenset[str]]] = field(default_factory=list)
    only: dict[str, str] = field(default_factory=dict)  # key(label) -> the one language using it

    def part(self, text: str) -> Part | None:
        """The outline part a heading's text names, in any language and case."""
        return self.parts.get(key(text))

    def label_of(self, text: str) -> str | None:
        """The labels.yaml key of a fixed text ("resolution", "contents" …), if it is one."""
        return self.words.get(key(text))

    def area_title(self, text: str) -> tuple[str, str] | None:
        """(code, name) when the text is an area's title: "Programområde 06 Kultur"."""
        text = " ".join(text.split())
        for pattern in self.area_titles:
            if found := pattern.fullmatch(text):
                code, name = found.group("code"), found.group("name").strip(" :.–—-")
                return f"{int(code):02d}", name
        return None

    def chapter(self, text: str) -> bool:
        """Whether the text is a chapter's heading of the whole report ("Del 4 Eierstyring")."""
        return any(p.fullmatch(" ".join(text.split())) for p in self.chapters)

    def report_title(self, text: str) -> Period | None:
        """The period a report's title names: "1. tertialrapport 2017"."""
        for pattern in self.report_titles:
            if found := pattern.fullmatch(" ".join(text.split())):
                return Period(int(found.group("year")), int(found.group("tertial")))
        return None


def vocabulary(templates: Path) -> Vocabulary:
    """The wording of every language's labels, read from the templates."""
    from reportgen.inputs import load_labels

    vocab = Vocabulary()
    seen: dict[str, set[str]] = {}
    for code in LANGUAGES:
        labels = load_labels(templates, code)
        for part in AREA_OUTLINE:
            if part.label:
                vocab.parts[key(labels[part.label])] = part
        for name in ("resolution", "contents", "areas_part", "overview", "sum"):
            vocab.words[key(labels[name])] = name
        for text in labels.values():
            seen.setdefault(key(text), set()).add(code)
        vocab.area_titles.append(_pattern(labels["area_title"], {
            "code": r"(?P<code>\d{1,2})\b", "name": r"[\s:.–—-]*(?P<name>\S.*)"}))
        first = labels["areas_part"].split(" ")
        vocab.chapters.append(re.compile(re.escape(first[0]) + r"\s+\d+\b.*", re.IGNORECASE))
        numbers = {"tertial": r"(?P<tertial>[123])", "year": r"(?P<year>\d{4})"}
        vocab.report_titles.append(_pattern(labels["report_title"], numbers))
        vocab.periods += [_pattern(labels["report_title"], numbers),
                          _pattern(LANGUAGES[code].period_label, numbers)]
        for column in (None, *FIGURE_COLUMNS):
            label = labels[NAME_LABEL if column is None else column.label]
            vocab.columns.append((column, _key_words(label)))
    vocab.only = {text: next(iter(codes)) for text, codes in seen.items() if len(codes) == 1}
    return vocab


def _key_words(label: str) -> frozenset[str]:
    """The words that identify a column heading: not placeholders nor short words ("per")."""
    return frozenset(w.casefold() for w in re.findall(r"\{?\w+\}?", label)
                     if not w.startswith("{") and len(w) > 3)


def _words(text: str) -> list[str]:
    return [w.casefold() for w in re.findall(r"\w+", text)]


def figure_column(heading: str, vocab: Vocabulary) -> FigureColumn | None | bool:
    """The column a figures table's heading names (any order, any language): a FigureColumn,
    None for the column of names, or False for a heading that is none of them."""
    words = _words(heading)
    best: tuple[int, FigureColumn | None] | None = None
    for column, wanted in vocab.columns:
        if wanted and all(any(w.startswith(k) for w in words) for k in wanted):
            if best is None or len(wanted) > best[0]:
                best = (len(wanted), column)
    return False if best is None else best[1]


def figures_layout(header: list[str], vocab: Vocabulary) -> list[int | None] | None:
    """For the names and each of outline.FIGURE_COLUMNS, the index of its cell in a header
    row (None: the column is not there); None when the row is not a figures table's: every
    typed column must be there once, and every other heading but the names' be a computed
    column."""
    found: dict[FigureColumn | None, int] = {}
    names: int | None = None
    for index, heading in enumerate(header):
        column = figure_column(heading, vocab)
        if column is False or column is None:
            if names is not None:
                return None
            names = index
        elif column in found:
            return None
        else:
            found[column] = index
    if names is None or any(c.typed and c not in found for c in FIGURE_COLUMNS):
        return None
    return [names, *(found.get(c) for c in FIGURE_COLUMNS)]


def unit_in(texts: list[str]) -> str | None:
    """The amount unit the texts name ("mill. kr", "1000 kr"), if exactly one."""
    units = {u for u, pattern in UNIT_WORDS.items() for t in texts if pattern.search(t)}
    return units.pop() if len(units) == 1 else None


def default_unit() -> str:
    """The unit a figures table is read in when nothing near it names one."""
    return DEFAULT_UNIT


def is_sum(name: str, vocab: Vocabulary) -> bool:
    """Whether a row's name makes it a sum row ("Sum", "Totalt" …)."""
    return key(name) in SUM_NAMES or vocab.label_of(name) == "sum"


# --- the period a text names ----------------------------------------------------------------

def periods_in(text: str, vocab: Vocabulary) -> list[tuple[Period, str]]:
    """Every period the text names, in order, with the words that name it: "1. tertial
    2017", "2. tertialrapport 2017", or the end of a tertial: "per april 2017", "per 31.
    august 2017"."""
    found: dict[int, tuple[Period, str]] = {}
    for pattern in vocab.periods:
        for match in pattern.finditer(text):
            period = Period(int(match.group("year")), int(match.group("tertial")))
            found.setdefault(match.start(), (period, match.group()))
    months = {language.months[month - 1]: tertial for language in LANGUAGES.values()
              for tertial, (month, _) in PERIOD_ENDS.items()}
    ends = r"\bper\s+(?:\d{1,2}\.\s*)?(" + "|".join(months) + r")\s+(\d{4})\b"
    for match in re.finditer(ends, text, re.IGNORECASE):
        period = Period(int(match.group(2)), months[match.group(1).lower()])
        found.setdefault(match.start(), (period, match.group()))
    return [found[start] for start in sorted(found)]


def date_in(text: str) -> str | None:
    """A date written the Norwegian way, as YYYY-MM-DD: "23. mai 2017" -> "2017-05-23"."""
    months = {name: number for language in LANGUAGES.values()
              for number, name in enumerate(language.months, 1)}
    found = re.fullmatch(r"(\d{1,2})\.\s*(" + "|".join(months) + r")\s+(\d{4})",
                         " ".join(text.split()), re.IGNORECASE)
    if not found:
        return None
    day, month, year = int(found.group(1)), months[found.group(2).lower()], int(found.group(3))
    import datetime as dt

    try:
        return dt.date(year, month, day).isoformat()
    except ValueError:
        return None


KOMMUNE_NAME = re.compile(r"\b((?:[A-ZÆØÅ][\wæøåÆØÅ-]*\s+){1,3}kommune)\b")


def kommune_names(texts: list[str]) -> list[str]:
    """Names such as "Drammen kommune" in the texts, most often named first."""
    counts: dict[str, int] = {}
    for text in texts:
        for found in KOMMUNE_NAME.findall(text):
            name = " ".join(found.split())
            counts[name] = counts.get(name, 0) + 1
    return sorted(counts, key=lambda n: -counts[n])
