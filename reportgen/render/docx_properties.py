"""The DOCX's core properties (title, author, keywords, …): what they hold, and the texts
too long for them, which they hold the start of (the document's own text has them whole);
and a draft's marks (its status, and the banner above its first page).

Part of the DOCX renderer; the importer reads the title back by the same rule.
"""

from __future__ import annotations

from typing import Any

from reportgen.messages import _
from reportgen.view import DocumentView

# docxcompose (imported by docxtpl's subdocuments) rebinds python-docx's "cp" prefix to the
# custom-properties namespace; the core properties' own cp: elements need the real one.
CORE_PROPERTIES_NS = "http://schemas.openxmlformats.org/package/2006/metadata/core-properties"
PROPERTY_LIMIT = 255  # characters in a core property: python-docx refuses more


def fit_property(text: str) -> str:
    """A text as a core property holds it: whole when it fits, else its start and "…"."""
    return text if len(text) <= PROPERTY_LIMIT else text[: PROPERTY_LIMIT - 1] + "…"


def view_warnings(view: DocumentView) -> list[str]:
    """What rendering the view will warn about: a text too long for the document's
    properties, which then hold its start (the document's own text has it whole)."""
    title, name, report = (_("the title"), _("the municipality's name"),
                           _("the report title"))
    texts = {title: (view.title, view.title),  # what: (the text, the longest holding it)
             name: (view.kommune, view.kommune)}
    if view.report_title == view.title:  # the whole report: the keywords hold its title
        texts[title] = (view.title, max(view.title, _keywords(view), key=len))
    else:
        texts[report] = (view.report_title, _keywords(view))
    return [_("{what} ({count} characters) is shortened in the document properties, which hold"
              " at most {most}; the document itself shows it in full").format(
                what=what, count=len(text), most=PROPERTY_LIMIT)
            for what, (text, held) in texts.items() if len(held) > PROPERTY_LIMIT]


def _keywords(view: DocumentView) -> str:
    return f"{view.report_title}; {view.period_id}"


def set_properties(doc: Any, view: DocumentView) -> None:
    """The core properties of the document, each within what a property holds."""
    import datetime as dt

    from docx.oxml.ns import nsmap

    rebound, nsmap["cp"] = nsmap["cp"], CORE_PROPERTIES_NS
    try:
        props = doc.core_properties
        props.title = fit_property(view.title)
        props.subject = fit_property(view.period_label)
        props.author = props.last_modified_by = fit_property(view.kommune)
        props.language = view.lang_tag
        props.keywords = fit_property(_keywords(view))
        props.identifier = f"reportgen:{view.document_id}"  # lets `reportgen import` find it
        if view.source_fingerprint:  # lets `reportgen import` see that the YAML changed since
            props.version = view.source_fingerprint
        props.comments = ""
        props.content_status = view.labels["draft_mark"] if view.draft else ""
        props.revision = 1
        moment = dt.datetime.combine(view.date, dt.time(12, 0))
        props.created = props.modified = moment
        props.last_printed = moment
    finally:
        nsmap["cp"] = rebound


def draft_banner(doc: Any, text: str) -> None:
    """A draft says so in its first paragraph, bold and red, above the cover or the title
    (`reportgen import` passes over it)."""
    from docx.shared import Pt, RGBColor

    paragraph = doc.add_paragraph()
    run = paragraph.add_run(text)
    run.bold = True
    run.font.size = Pt(16)
    run.font.color.rgb = RGBColor(0xB0, 0x00, 0x20)
    doc.element.body.insert(0, paragraph._p)
