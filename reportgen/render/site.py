"""Web site renderer: the site's view (present.build_site) through
templates/html/site/page.html.j2 (Jinja2, autoescape on), with its stylesheet, fonts and script,
and the search index (render.search): {path inside the site's folder: bytes}.

Every link is relative, so the folder works at any path of any web server (and from the disk).
The copies of the documents the pages offer (dokumenter/08.pdf, …) are other formats' bytes:
the render command adds them, at project.site_document. Nothing is fetched from elsewhere.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from reportgen import project
from reportgen.errors import TemplateError
from reportgen.languages import language
from reportgen.render.html import render_template
from reportgen.view import SitePage, SiteView

if TYPE_CHECKING:
    from reportgen.render import RenderOptions

PAGE_TEMPLATE = "site/page.html.j2"
SITE_TEMPLATES = Path("html", "site")  # inside the templates folder
STYLESHEETS = (Path("html", "css", "screen.css"), SITE_TEMPLATES / "site.css")
SCRIPT = SITE_TEMPLATES / "sok.js"
FONTS = SITE_TEMPLATES / "fonts"
ASSETS = {  # what the pages link to, by name, inside the site's folder
    "css": f"{project.SITE_ASSETS}/nettsted.css",
    "script": f"{project.SITE_ASSETS}/sok.js",
    "search_bundle": f"{project.SITE_SEARCH_INDEX}/",
    "search_ui": f"{project.SITE_SEARCH_INDEX}/pagefind-ui.js",
    "search_css": f"{project.SITE_SEARCH_INDEX}/pagefind-ui.css",
}


@dataclass(frozen=True)
class Link:
    """A link of the menus, the breadcrumbs, the pager or the downloads."""

    file: str
    title: str
    children: tuple[Link, ...] = ()
    type: str = ""  # the MIME type of a document


def render(site: SiteView, templates: Path, options: RenderOptions) -> dict[str, bytes]:
    """The format's entry (see reportgen.render): every file of the site but the documents."""
    from reportgen.render.search import search_bundle

    pages = render_pages(site, templates)
    files = {name: html.encode("utf-8") for name, html in pages.items()}
    files.update(assets(templates))
    searched = {name: html for name, html in pages.items() if name != project.SITE_SEARCH}
    bundle = search_bundle(searched, language(site.report.lang).search or site.report.lang)
    files.update({f"{project.SITE_SEARCH_INDEX}/{name}": data for name, data in bundle.items()})
    return dict(sorted(files.items()))


def render_pages(site: SiteView, templates: Path) -> dict[str, str]:
    """Every page of the site as HTML, by file."""
    menu = _menu(site)
    reading = [p for p in site.pages if p.kind != "search"]
    pages = {}
    for page in site.pages:
        at = reading.index(page) if page in reading else None
        pages[page.file] = render_template(
            PAGE_TEMPLATE, templates, site=site, page=page, doc=page.document,
            labels=page.document.labels, menu=menu, crumbs=_crumbs(site, page),
            contents=[item for item in menu if item.file not in _OWN],
            area_pages=[_link(p) for p in site.pages if p.kind == "area"],
            previous=_link(reading[at - 1]) if at else None,
            next=_link(reading[at + 1]) if at is not None and at + 1 < len(reading) else None,
            downloads=_downloads(page), downloads_title=_downloads_title(page),
            assets=ASSETS, home=project.SITE_INDEX, search_page=project.SITE_SEARCH)
    return pages


_OWN = (project.SITE_INDEX, project.SITE_SEARCH)  # the site's own pages, not the report's


def _link(page: SitePage) -> Link:
    return Link(page.file, page.title)


def _menu(site: SiteView) -> list[Link]:
    """Every page, those under another (the areas under Del 3) nested in it."""
    home = site.report.labels["site_home"]
    return [Link(p.file, home if p.kind == "index" else p.title,
                 tuple(_link(c) for c in site.pages if c.parent == p.file))
            for p in site.pages if not p.parent]


def _crumbs(site: SiteView, page: SitePage) -> list[Link]:
    """The front page, the page this one stands under, and this page."""
    by_file = {p.file: p for p in site.pages}
    trail = [page]
    while trail[0].parent:
        trail.insert(0, by_file[trail[0].parent])
    if page.kind != "index":
        trail.insert(0, by_file[project.SITE_INDEX])
    labels = page.document.labels
    return [Link(p.file, labels["site_home"] if p.kind == "index" else p.title) for p in trail]


def _downloads(page: SitePage) -> list[Link]:
    """The page's document as PDF and DOCX (the formats the site carries)."""
    from reportgen.render import RENDERERS

    if not page.downloads:
        return []
    labels = page.document.labels
    return [Link(project.site_document(page.downloads, fmt), labels[f"download_{fmt}"],
                 type=RENDERERS[fmt].media_type) for fmt in RENDERERS["site"].uses]


def _downloads_title(page: SitePage) -> str:
    labels = page.document.labels
    key = "download_report" if page.downloads == project.REPORT_NAME else "download_page"
    return labels[key].format(title=page.title)


def assets(templates: Path) -> dict[str, bytes]:
    """The stylesheet (the page's, with the site's), the search page's script, the fonts."""
    css = b"\n".join(_read(templates / sheet) for sheet in STYLESHEETS)
    files = {ASSETS["css"]: css, ASSETS["script"]: _read(templates / SCRIPT)}
    folder = templates / FONTS
    names = sorted(p.name for p in folder.iterdir()) if folder.is_dir() else []
    for name in names:
        files[f"{project.SITE_ASSETS}/fonts/{name}"] = _read(folder / name)
    return files


def _read(path: Path) -> bytes:
    return project.read_file(path, limit=None, error=TemplateError)
