"""Which document FILE is, and where it goes.

A document reportgen rendered names its period and area (or the whole report) in its core
properties (`reportgen:2017-T1/08`); it is read as reportgen wrote it (read.py), or, for the
whole report, split into its parts (report.py). Any other document is read as people write
one (foreign.py): its area and period are the options --area and --period, or what its title
("Programområde 06 …") and text ("1. tertial 2017", "per april 2017") say, and the reading
says how it decided. A document with titles of several areas is a whole report.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from reportgen.commands.importer.common import (
    ImportedArea,
    ImportedReport,
    W,
    where,
)
from reportgen.commands.importer.detect import Vocabulary, is_short, periods_in, vocabulary
from reportgen.commands.importer.foreign import ForeignReader, heading_level
from reportgen.commands.importer.grid import blocks
from reportgen.commands.importer.kinds import CORE
from reportgen.commands.importer.package import open_document
from reportgen.commands.importer.read import document_notes, read_area
from reportgen.commands.importer.report import TOC_LINE, read_report
from reportgen.commands.importer.text import Styles
from reportgen.errors import InputError, UsageError
from reportgen.languages import DEFAULT_LANGUAGE, LANGUAGES
from reportgen.messages import _
from reportgen.period import AREA_CODE, Period
from reportgen.project import REPORT_NAME, default_templates

IDENTIFIER = re.compile(r"reportgen:(\d{4}-T[123])/(\S+)")


def _options() -> str:
    """The hint for a document whose area or period cannot be told."""
    return _("add --area and --period, such as --area 06 --period 2017-T1")


@dataclass
class Reading:
    """What a document was read as: one area, or the whole report; and how it was placed."""

    period: Period
    vocab: Vocabulary
    area: ImportedArea | None = None
    report: ImportedReport | None = None
    how: str = ""  # how its area and period were decided ("" for reportgen's own documents)
    own: bool = False  # rendered by reportgen
    document: Any = None

    @property
    def areas(self) -> list[ImportedArea]:
        """The areas read: the one area, or every area of the report."""
        return [self.area] if self.area is not None else list(self.report.areas)  # type: ignore[union-attr]


def read_docx(path: Path, templates: Path | None = None, area: str | None = None,
              period: Period | None = None) -> ImportedArea:
    """One area's document as input values (--area picks one area of a whole report)."""
    reading = read_document(path, templates, area, period)
    assert reading.area is not None
    return reading.area


def read_document(path: Path, templates: Path | None = None, area: str | None = None,
                  period: Period | None = None, language: str | None = None) -> Reading:
    """Read the document at `path`: reportgen's own as it wrote it, any other as people
    write one. `area` and `period` are the command's options; `language`, kommune.yaml's."""
    templates = templates or default_templates()
    document = open_document(path)
    props = document.core_properties
    vocab = vocabulary(templates)
    found = IDENTIFIER.fullmatch((props.identifier or "").strip())
    if found is not None:
        return _own(document, path, templates, vocab, found.group(1), found.group(2), area,
                    period)
    lang = language or _language(document, props, vocab)
    from reportgen.inputs import load_labels

    labels = load_labels(templates, lang)
    styles = Styles(document)
    titles = _titles(document, styles, vocab)
    codes = list(dict.fromkeys(code for code, _title in titles))
    if len(codes) <= 1:
        code, because = _area(area, titles, path)
    chosen, why = _period(document, vocab, period, titles, path, area, codes)
    if len(codes) > 1:
        report = read_report(document, path, vocab, labels, chosen, lang)
        reading = Reading(chosen, vocab, report=report, document=document,
                          how=_("read {file} as the whole report for {period}: {why}").format(
                              file=path.name, period=chosen, why=why))
        return _pick(reading, area, path)
    imported = ImportedArea(path, str(chosen), code, lang, labels=labels, own=False)
    ForeignReader(document, labels, chosen, imported, vocab, styles).read("")
    imported.notes += document_notes(document)
    return Reading(chosen, vocab, area=imported, document=document,
                   how=_("read {file} as area {code} of {period}: {because}, and {why}").format(
                       file=path.name, code=code, period=chosen, because=because, why=why))


def _own(document: Any, path: Path, templates: Path, vocab: Vocabulary, period: str,
         code: str, area: str | None, given: Period | None) -> Reading:
    """A document reportgen rendered: its properties say what it is."""
    from reportgen.inputs import load_labels

    props = document.core_properties
    lang = (props.language or DEFAULT_LANGUAGE)[:2].lower()
    lang = lang if lang in LANGUAGES else DEFAULT_LANGUAGE
    if (given is not None and str(given) != period) or (
            area is not None and code != REPORT_NAME and area != code):
        what = _("this document is the whole report of {period} (reportgen wrote it, and its"
                 " properties say so), not what --area and --period say") if code == REPORT_NAME \
            else _("this document is area {code} of {period} (reportgen wrote it, and its"
                   " properties say so), not what --area and --period say")
        raise UsageError(what.format(code=code, period=period),
                         hint=_("leave out --area and --period: reportgen's own documents name"
                                " their area and period"))
    labels = load_labels(templates, lang)
    chosen = Period.parse(period)
    if code == REPORT_NAME:
        report = read_report(document, path, vocab, labels, chosen, lang, own=True)
        return _pick(Reading(chosen, vocab, report=report, own=True, document=document), area,
                     path)
    if not AREA_CODE.fullmatch(code):
        raise InputError(_("the document's properties name {code!r}, which is not an"
                           " area").format(code=code), location=where(path), hint=_options())
    imported = read_area(document, path, labels, period, code, lang, _fingerprint(document),
                         props.title or "")
    return Reading(chosen, vocab, area=imported, own=True, document=document)


def _pick(reading: Reading, area: str | None, path: Path) -> Reading:
    """With --area, one area of the whole report."""
    if area is None:
        return reading
    assert reading.report is not None
    found = next((a for a in reading.report.areas if a.code == area), None)
    if found is None:
        codes = ", ".join(a.code for a in reading.report.areas) or _("none")
        raise InputError(_("the report has no section for area {code} (it has {codes})").format(
            code=area, codes=codes), location=where(path),
            hint=_("check the area code, or leave out --area"))
    how = _("{how}; only area {code} is imported").format(how=reading.how, code=area) \
        if reading.how else ""
    return Reading(reading.period, reading.vocab, area=found, own=reading.own,
                   document=reading.document, how=how)


def _fingerprint(document: Any) -> str:
    """The core property `version`: the fingerprint of the input the document was rendered
    from. Read by its namespace, as docxcompose (imported with docxtpl) rebinds python-docx's
    `cp` prefix, which `core_properties.version` relies on."""
    from docx.opc.constants import RELATIONSHIP_TYPE as RT

    try:
        core = document.part.package.part_related_by(RT.CORE_PROPERTIES).element
    except KeyError:
        return ""
    return (core.findtext(f"{CORE}version") or "").strip()


def paragraph_texts(document: Any) -> list[str]:
    """The text of every paragraph of the body (tables' cells included), in order."""
    return [" ".join("".join(t.text or "" for t in p.iter(f"{W}t")).split())
            for p in document.element.body.iter(f"{W}p")]


def _titles(document: Any, styles: Styles, vocab: Vocabulary) -> list[tuple[str, str]]:
    """(code, the title) of every area title in the body: a short paragraph such as
    "Programområde 06 Kultur" that is not a line of a contents list."""
    found = []
    for p in blocks(document.element.body):
        if p.tag != f"{W}p" or heading_level(p, styles)[0] == "toc":
            continue
        raw = "".join(t.text or "" for t in p.iter(f"{W}t"))
        text = " ".join(raw.replace("\t", " \t ").split()) if not TOC_LINE.search(raw) else ""
        titled = vocab.area_title(text) if text and is_short(text) else None
        if titled:
            found.append((titled[0], text))
    return found


def _area(area: str | None, titles: list[tuple[str, str]], path: Path) -> tuple[str, str]:
    """The area a document is, and why."""
    if area is not None:
        return area, _("--area says the area")
    if titles:
        return titles[0][0], _("its title {title!r} names the area").format(title=titles[0][1])
    raise InputError(_("cannot tell which area this document is: it has no title such as"
                       " 'Programområde 06 Kultur'"), location=where(path), hint=_options())


def _period(document: Any, vocab: Vocabulary, given: Period | None,
            titles: list[tuple[str, str]], path: Path, area: str | None,
            codes: list[str]) -> tuple[Period, str]:
    """The period a document is for, and why: --period, else the period its text names
    most often."""
    if given is not None:
        return given, _("--period says the period")
    texts = "\n".join(paragraph_texts(document))
    found = periods_in(texts, vocab)
    ranked = Counter(p for p, _words in found).most_common()
    hint = _("add --period, such as --period 2017-T1") if area or len(codes) > 1 else _options()
    if not ranked:
        raise InputError(_("cannot tell which period this document is for: its text names no"
                           " tertial (such as '1. tertial 2017' or 'per april 2017')"),
                         location=where(path), hint=hint)
    if len(ranked) > 1 and ranked[0][1] == ranked[1][1]:
        first, second = (f"{p} ({next(w for q, w in found if q == p)!r})" for p, _n in ranked[:2])
        raise InputError(_("cannot tell which period this document is for: its text names"
                           " {first} and {second} as often").format(first=first, second=second),
                         location=where(path), hint=hint)
    best, times = ranked[0]
    return best, _named_period(next(w for p, w in found if p == best), times,
                               [str(p) for p, _n in ranked[1:]])


def _named_period(words: str, times: int, others: list[str]) -> str:
    """Why the period is the one the text names most often, in words."""
    if others:
        why = _("its text names the period ({words!r}, {times} times; also {others}, less"
                " often)") if times > 1 else _(
            "its text names the period ({words!r}; also {others}, less often)")
    else:
        why = _("its text names the period ({words!r}, {times} times)") if times > 1 else _(
            "its text names the period ({words!r})")
    return why.format(words=words, times=times, others=", ".join(others))


def _language(document: Any, props: Any, vocab: Vocabulary) -> str:
    """The document's language: its properties, else the labels only one language has."""
    lang = (props.language or "")[:2].lower()
    if lang in LANGUAGES:
        return lang
    from reportgen.commands.importer.detect import key

    votes = Counter(vocab.only[key(t)] for t in paragraph_texts(document)
                    if key(t) in vocab.only)
    return votes.most_common(1)[0][0] if votes else DEFAULT_LANGUAGE
