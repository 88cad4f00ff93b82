"""`reportgen serve`, pages: the documents held in memory and the pages the server makes itself.

Part of the serve command. The server's own pages (index, problems,
not found, refusals) are small, in the language of reportgen's messages (as the problems they
list), and escape everything they show with html.escape; the documents themselves are rendered
by the render stage, in the report's language, never here.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from html import escape

from reportgen.errors import ReportgenError, ReportgenWarning, format_problem
from reportgen.messages import _, language, ngettext
from reportgen.period import Period
from reportgen.project import REPORT_NAME, SITE_FOLDER

EVENTS_PATH = "/_events"  # where a served page's reload script listens
SITE_PATH = f"/{SITE_FOLDER}/"  # the web site, as `render all --format site` writes it


@dataclass(frozen=True)
class Document:
    """One document of the period: its HTML, or the problems that keep it from rendering."""

    name: str  # "08" or "tertialrapport"
    title: str  # as listed on the index page
    html: str | None = None
    problems: tuple[ReportgenError, ...] = ()
    failure: str | None = None  # an internal error (a bug), in one line
    state: str = ""  # an area's state, as `reportgen status` gives it (assess.STATES)
    warnings: tuple[ReportgenWarning, ...] = ()


@dataclass(frozen=True)
class Site:
    """The web site of the whole report: its pages and assets by path (without the search
    index, made when the search page asks for it), or why it cannot be shown. Made when one
    of its pages is first asked for after an update (Preview.site), not on every save."""

    files: dict[str, bytes] | None = None
    language: str = ""  # the search index's language
    problems: tuple[ReportgenError, ...] = ()
    failure: str | None = None  # an internal error (a bug), in one line


@dataclass(frozen=True)
class State:
    """Everything the request handlers read, replaced as a whole after each update."""

    version: int = 0
    documents: dict[str, Document] = field(default_factory=dict)
    kommune: str | None = None
    common: tuple[ReportgenError, ...] = ()  # problems with kommune.yaml or the labels



STYLE = """
body { font: 1rem/1.5 system-ui, sans-serif; margin: 0 auto; max-width: 46rem;
       padding: 1rem; color: #1a1a1a; background: #fff; }
h1 { font-size: 1.6rem; line-height: 1.2; }
a { color: #0b4f8a; }
.problems { padding-left: 1.25rem; }
.problems li { margin: 0 0 1rem; padding: 0.5rem 0.75rem; border-left: 4px solid #b00020;
               background: #fdf2f3; }
.problems p { margin: 0; overflow-wrap: anywhere; }
.problems .error { font-family: ui-monospace, monospace; }
.hint { color: #333; white-space: pre-wrap; }
.bad { color: #b00020; font-weight: bold; }
"""


def _back() -> str:
    """The link back to the index page."""
    back = escape(_("Back to the overview"))
    return f'<p><a href="/">{back}</a></p>\n'


def _words(message: str, **fields: str) -> str:
    """A translated text as HTML: the text escaped, its `fields` (HTML) filled in."""
    return escape(message).format(**fields)


def _element(tag: str, html: str) -> str:
    """`<tag>html</tag>` on a line of its own."""
    return f"<{tag}>{html}</{tag}>\n"


def _page(title: str, body: str) -> str:
    """One of the server's own pages, in the messages' language; `body` is HTML already
    escaped by the caller."""
    return (
        f'<!DOCTYPE html>\n<html lang="{language()}">\n<head>\n<meta charset="utf-8">\n'
        '<meta name="viewport" content="width=device-width, initial-scale=1">\n'
        f"<title>{escape(title)}</title>\n<style>{STYLE}</style>\n</head>\n"
        f"<body>\n<main>\n{body}</main>\n</body>\n</html>\n"
    )


def problems_html(problems: tuple[ReportgenError, ...]) -> str:
    """The problems as a list, in the messages' language, as on the command line."""
    items = []
    for problem in problems:
        error, *hint = format_problem(problem)
        item = f'<li><p class="error">{escape(error)}</p>'
        if hint:  # its further lines are the text to type: kept as they are
            text = "\n".join(h.removeprefix("  ") for h in hint)
            item += f'<p class="hint">{escape(text)}</p>'
        items.append(item + "</li>\n")
    return f'<ol class="problems">\n{"".join(items)}</ol>\n'


def document_page(document: Document, period: Period) -> str:
    """The document's HTML, or the page that says why it cannot be shown."""
    if document.html is not None:
        return document.html
    if document.failure:
        return failure_page(document, period)
    return problem_page(document, period)


def problem_page(document: Document, period: Period) -> str:
    """The problems that keep `document` from rendering, with their places and hints."""
    count = len(document.problems)
    heading = _words(_("{title} cannot be shown"), title=escape(document.title))
    text = _words(ngettext(
        "{count} error must be fixed before the page can be shown. Save the file when it is"
        " fixed, and the page reloads by itself.",
        "{count} errors must be fixed before the page can be shown. Save the file when they"
        " are fixed, and the page reloads by itself.", count), count=str(count))
    body = (_element("h1", heading) + _element("p", text)
            + f"{problems_html(document.problems)}{_back()}")
    return _page(_("Errors – {title} – {period}").format(title=document.title,
                                                         period=period.label), body)


def failure_page(document: Document, period: Period) -> str:
    """An internal error (a bug in reportgen, not in the inputs) while rendering `document`."""
    text = _words(_("{title} could not be shown because of an error in reportgen, not in your"
                    " files. Please report it, with the message shown in the terminal."),
                  title=escape(document.title))
    body = (
        _element("h1", escape(_("Internal error in reportgen"))) + _element("p", text)
        + f'<pre lang="en">{escape(str(document.failure))}</pre>\n{_back()}'
    )
    return _page(_("Internal error – {title} – {period}").format(title=document.title,
                                                                 period=period.label), body)


def state_words() -> dict[str, str]:
    """An area's state on the index page (assess.STATES, which the pages do not import)."""
    return {
        "missing": _("missing"), "edited": _("edited DOCX waiting for import"),
        "unfinished": _("placeholders or unread text left"),
        "rendered": _("done and up to date in build/"),
        "warnings": _("warnings"), "ready": _("ready"),
    }


def index_page(state: State, period: Period) -> str:
    """The overview: the whole report, then each area of the register with its state, as
    `reportgen status` gives it (an area without input is listed, unlinked)."""
    states = state_words()
    documents = state.documents
    areas = [d for name, d in sorted(documents.items()) if name != REPORT_NAME]
    kommune = f"{escape(state.kommune)}. " if state.kommune else ""
    body = (
        _element("h1", _words(_("Preview of {period}"), period=escape(period.label)))
        + _element("p", kommune + escape(_("The pages reload by themselves when you save changes"
                                           " to the inputs or templates. Nothing is written to"
                                           " build/.")))
    )
    if state.common:
        body += (_element("h2", escape(_("Errors in kommune.yaml or the templates")))
                 + problems_html(state.common))
    if REPORT_NAME in documents:
        name, what = escape(_("The web site")), escape(_("(the whole report as it is published)"))
        site = f'<li><a href="{SITE_PATH}">{name}</a> {what}</li>'
        body += f"<ul>\n{_entry(documents[REPORT_NAME], states)}{site}\n</ul>\n"
    body += _element("h2", escape(_("Programme areas")))
    if any(d.state != "missing" for d in areas):
        body += f"<ul>\n{''.join(_entry(d, states) for d in areas)}</ul>\n"
    else:
        body += _element("p", _words(_("No programme area has inputs for {period} yet."),
                                     period=escape(str(period))))
    return _page(_("Preview – {period}").format(period=period.label), body)


def _entry(document: Document, states: dict[str, str]) -> str:
    """A document on the index page: its link and its errors, or its state."""
    link = f'<a href="/{escape(document.name)}">{escape(document.title)}</a>'
    count = len(document.problems) + (1 if document.failure else 0)
    if count:
        errors = ngettext("{count} error", "{count} errors", count).format(count=count)
        return f'<li>{link} – <span class="bad">{escape(errors)}</span></li>\n'
    if document.state == "missing":
        return f"<li>{escape(document.title)} – {escape(states['missing'])}</li>\n"
    words = states.get(document.state, "")
    if document.state in ("warnings", "unfinished"):
        words += f" ({len(document.warnings)})"
    return f"<li>{link}{f' – {escape(words)}' if words else ''}</li>\n"


def site_page(site: Site, period: Period) -> str:
    """Why the site cannot be shown: the problems of the whole report, or an internal error."""
    document = Document(SITE_FOLDER, _("The web site"), problems=site.problems,
                        failure=site.failure)
    return document_page(document, period)


def not_in_preview_page(path: str, period: Period) -> str:
    """404 for the site's copies of the documents: the preview makes only the pages."""
    title = _("The document is not in the preview")
    text = _words(_("The preview makes only the pages. {file} is made by {command}."),
                  file=f"<code>{escape(path)}</code>",
                  command=f"<code>reportgen render all {escape(str(period))} --format site</code>")
    return _page(title, _element("h1", escape(title)) + _element("p", text) + _back())


def not_found_page(path: str) -> str:
    """404: any path that is not the index, a document or the event stream."""
    title = _("Page not found")
    text = _words(_("The address {address} is not in the preview."),
                  address=f"<code>{escape(path)}</code>")
    return _page(title, _element("h1", escape(title)) + _element("p", text) + _back())


def refused_page(url: str) -> str:
    """403: a request addressed to another host than the preview's own."""
    title = _("Not allowed")
    text = _words(_("The preview answers only at the address {address}."),
                  address=f"<code>{escape(url)}</code>")
    return _page(title, _element("h1", escape(title)) + _element("p", text))


def method_page() -> str:
    """405: a method other than GET or HEAD."""
    return _page(_("Method not allowed"),
                 _element("h1", escape(_("Only GET and HEAD are allowed"))))


def bad_version_page() -> str:
    """400: an event stream asked for with a version that is not a whole number."""
    return _page(_("Bad request"), _element("h1", escape(_("version must be a whole number"))))


def reload_script(version: int, nonce: str) -> str:
    """Listens for a new version and reloads the page; added to served pages only."""
    return (
        f'<script nonce="{nonce}">\n'
        "(function () {\n"
        '  if (!("EventSource" in window)) return;\n'
        f'  var events = new EventSource("{EVENTS_PATH}?version={version}");\n'
        "  events.onmessage = function (event) {\n"
        f'    if (event.data !== "{version}") {{ events.close(); location.reload(); }}\n'
        "  };\n"
        "}());\n"
        "</script>\n"
    )


def inject(page: str, script: str) -> str:
    """The page with `script` just before its last </body> (at the end if it has none)."""
    at = page.lower().rfind("</body>")
    return page + script if at < 0 else page[:at] + script + page[at:]
