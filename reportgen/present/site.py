"""The whole report as a web site: its pages, split from the report's view at its parts.

Part of stage 3 (present). The whole report's view says where each part starts (its
`sections`: the resolution, each chapter, Del 3 with the overview, each area); each part
becomes a page, in reading order. The resolution goes on the front page under the contents.
An area's page shows the area's own document, the same blocks as its HTML page.
"""

from __future__ import annotations

from dataclasses import replace

from reportgen import project
from reportgen.model import Report
from reportgen.outline import shown_level
from reportgen.present.document import build_area_document, build_report_document
from reportgen.view import Block, DocumentView, Heading, Section, SitePage, SiteView


def build_site(report: Report, labels: dict[str, str], epoch: int | None = None,
               draft: bool = False, missing: dict[str, str] | None = None) -> SiteView:
    """The site of the whole report (dated by `epoch` when given: see document_date); a
    `draft`'s pages are marked so, and an area `missing` from it has a page that says so."""
    whole = build_report_document(report, labels, epoch, draft=draft, missing=missing)
    areas = {a.code: build_area_document(a, report.kommune, labels, epoch, draft)
             for a in report.areas}
    files = _Files()
    front: list[Block] = []
    pages: list[SitePage] = []
    areas_file = ""
    for section, blocks in split_sections(whole):
        if section.kind == "resolution":
            front += lower(blocks)  # under the front page's title
        elif section.kind == "area" and section.code in areas:
            view = areas[section.code]
            pages.append(SitePage(files.take(section.code), view.title, "area", view,
                                  parent=areas_file, downloads=section.code))
        elif section.kind == "area":  # left out of a draft: a page that says so
            title = blocks[0].text  # type: ignore[union-attr]
            pages.append(SitePage(files.take(section.code), title, "area",
                                  replace(whole, blocks=tuple(lower(blocks, -1))),
                                  parent=areas_file))
        else:
            title = blocks[0].text  # type: ignore[union-attr]
            file = files.take(section.anchor)
            areas_file = file if section.kind == "areas" else areas_file
            pages.append(SitePage(file, title, section.kind, replace(whole, blocks=blocks)))
    index = SitePage(project.SITE_INDEX, whole.title, "index",
                     replace(whole, blocks=tuple(front)), downloads=project.REPORT_NAME)
    search = SitePage(project.SITE_SEARCH, labels["search_title"], "search",
                      replace(whole, blocks=()))
    return SiteView(whole, (index, *pages, search),
                    documents=(project.REPORT_NAME, *areas))


def split_sections(view: DocumentView) -> list[tuple[Section, tuple[Block, ...]]]:
    """The blocks of each part of the whole report: from its heading to the next part's."""
    starts = {section.anchor: section for section in view.sections}
    parts: list[tuple[Section, list[Block]]] = []
    for block in view.blocks:
        if isinstance(block, Heading) and block.anchor in starts:
            parts.append((starts[block.anchor], []))
        if parts:
            parts[-1][1].append(block)
    return [(section, tuple(blocks)) for section, blocks in parts]


def lower(blocks: tuple[Block, ...], by: int = 1) -> list[Block]:
    """The blocks with every heading `by` levels lower (h1 -> h2)."""
    return [replace(b, level=shown_level(b.level + by)) if isinstance(b, Heading) else b
            for b in blocks]


class _Files:
    """Unique page files: a part's slug, numbered if a page (or the site's own) has it."""

    def __init__(self) -> None:
        self.used = {project.SITE_INDEX, project.SITE_SEARCH}

    def take(self, slug: str) -> str:
        """The file for `slug`: 'del-1-hovedtrekk.html', or 'del-1-hovedtrekk-2.html'."""
        name, n = project.site_page(slug), 1
        while name in self.used:
            n += 1
            name = project.site_page(f"{slug}-{n}")
        self.used.add(name)
        return name
