"""`reportgen serve`, pages: the documents held in memory and the pages the server makes itself.

Part of the serve command. The server's own pages (index, problems,
not found, refusals) are small, in bokmål, and escape everything they show with html.escape;
the documents themselves are rendered by the render stage, never here.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from html import escape

from reportgen.errors import ReportgenError, ReportgenWarning, format_problem
from reportgen.period import Period
from reportgen.project import REPORT_NAME, SITE_FOLDER

EVENTS_PATH = "/_events"  # where a served page's reload script listens
SITE_PATH = f"/{SITE_FOLDER}/"  # the web site, as `render all --format site` writes it
BACK = '<p><a href="/">Til oversikten</a></p>\n'


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
    index, made when the search page asks for it), or why it cannot be shown."""

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
    site: Site = field(default_factory=Site)



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


def _page(title: str, body: str) -> str:
    """One of the server's own pages: bokmål; `body` is HTML already escaped by the caller."""
    return (
        '<!DOCTYPE html>\n<html lang="nb">\n<head>\n<meta charset="utf-8">\n'
        '<meta name="viewport" content="width=device-width, initial-scale=1">\n'
        f"<title>{escape(title)}</title>\n<style>{STYLE}</style>\n</head>\n"
        f"<body>\n<main>\n{body}</main>\n</body>\n</html>\n"
    )


def problems_html(problems: tuple[ReportgenError, ...]) -> str:
    """The problems as a list; the messages are in English, as on the command line."""
    items = []
    for problem in problems:
        error, *hint = format_problem(problem)
        item = f'<li><p class="error">{escape(error)}</p>'
        if hint:  # its further lines are the text to type: kept as they are
            text = "\n".join(h.removeprefix("  ") for h in hint)
            item += f'<p class="hint">{escape(text)}</p>'
        items.append(item + "</li>\n")
    return f'<ol class="problems" lang="en">\n{"".join(items)}</ol>\n'


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
    body = (
        f"<h1>{escape(document.title)} kan ikke vises</h1>\n"
        f"<p>{count} feil må rettes før siden kan vises. Lagre filen når feilen er rettet, "
        "så lastes siden inn på nytt av seg selv.</p>\n"
        f"{problems_html(document.problems)}{BACK}"
    )
    return _page(f"Feil – {document.title} – {period.label}", body)


def failure_page(document: Document, period: Period) -> str:
    """An internal error (a bug in reportgen, not in the inputs) while rendering `document`."""
    body = (
        "<h1>Intern feil i reportgen</h1>\n"
        f"<p>{escape(document.title)} kunne ikke vises på grunn av en feil i reportgen, ikke i "
        "filene dine. Meld gjerne fra om feilen, med meldingen som står i terminalen.</p>\n"
        f'<pre lang="en">{escape(str(document.failure))}</pre>\n{BACK}'
    )
    return _page(f"Intern feil – {document.title} – {period.label}", body)


# An area's state on the index page (assess.STATES, which the pages do not import), bokmål.
STATE_WORDS = {
    "missing": "mangler", "edited": "redigert DOCX venter på import",
    "unfinished": "plassholdere eller ulest tekst igjen",
    "rendered": "ferdig og oppdatert i build/",
    "warnings": "advarsler", "ready": "klar",
}


def index_page(state: State, period: Period) -> str:
    """The overview: the whole report, then each area of the register with its state, as
    `reportgen status` gives it (an area without input is listed, unlinked)."""
    def entry(document: Document) -> str:
        link = f'<a href="/{escape(document.name)}">{escape(document.title)}</a>'
        count = len(document.problems) + (1 if document.failure else 0)
        if count:
            return f'<li>{link} – <span class="bad">{count} feil</span></li>\n'
        if document.state == "missing":
            return f"<li>{escape(document.title)} – {STATE_WORDS['missing']}</li>\n"
        words = STATE_WORDS.get(document.state, "")
        if document.state in ("warnings", "unfinished"):
            words += f" ({len(document.warnings)})"
        return f"<li>{link}{f' – {escape(words)}' if words else ''}</li>\n"

    documents = state.documents
    areas = [d for name, d in sorted(documents.items()) if name != REPORT_NAME]
    kommune = f"{escape(state.kommune)}. " if state.kommune else ""
    body = (
        f"<h1>Forhåndsvisning av {escape(period.label)}</h1>\n"
        f"<p>{kommune}Sidene lastes inn på nytt av seg selv når du lagrer endringer i "
        "inndata eller maler. Ingenting skrives til build/.</p>\n"
    )
    if state.common:
        body += f"<h2>Feil i kommune.yaml eller malene</h2>\n{problems_html(state.common)}"
    if REPORT_NAME in documents:
        site = f'<li><a href="{SITE_PATH}">Nettstedet</a> (hele rapporten slik den publiseres)</li>'
        body += f"<ul>\n{entry(documents[REPORT_NAME])}{site}\n</ul>\n"
    body += "<h2>Programområder</h2>\n"
    if any(d.state != "missing" for d in areas):
        body += f"<ul>\n{''.join(entry(d) for d in areas)}</ul>\n"
    else:
        body += f"<p>Ingen programområder har inndata for {escape(str(period))} ennå.</p>\n"
    return _page(f"Forhåndsvisning – {period.label}", body)


def site_page(site: Site, period: Period) -> str:
    """Why the site cannot be shown: the problems of the whole report, or an internal error."""
    document = Document(SITE_FOLDER, "Nettstedet", problems=site.problems, failure=site.failure)
    return document_page(document, period)


def not_in_preview_page(path: str, period: Period) -> str:
    """404 for the site's copies of the documents: the preview makes only the pages."""
    return _page("Dokumentet finnes ikke i forhåndsvisningen", (
        "<h1>Dokumentet finnes ikke i forhåndsvisningen</h1>\n"
        f"<p>Forhåndsvisningen lager bare sidene. <code>{escape(path)}</code> lages av "
        f"<code>reportgen render all {escape(str(period))} --format site</code>.</p>\n{BACK}"
    ))


def not_found_page(path: str) -> str:
    """404: any path that is not the index, a document or the event stream."""
    return _page("Fant ikke siden", (
        "<h1>Fant ikke siden</h1>\n"
        f"<p>Adressen <code>{escape(path)}</code> finnes ikke i forhåndsvisningen.</p>\n{BACK}"
    ))


def refused_page(url: str) -> str:
    """403: a request addressed to another host than the preview's own."""
    return _page("Ikke tillatt", (
        "<h1>Ikke tillatt</h1>\n<p>Forhåndsvisningen svarer bare på adressen "
        f"<code>{escape(url)}</code>.</p>\n"
    ))


def method_page() -> str:
    """405: a method other than GET or HEAD."""
    return _page("Metoden er ikke tillatt", "<h1>Bare GET og HEAD er tillatt</h1>\n")


def bad_version_page() -> str:
    """400: an event stream asked for with a version that is not a whole number."""
    return _page("Ugyldig forespørsel", "<h1>version må være et heltall</h1>\n")


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
