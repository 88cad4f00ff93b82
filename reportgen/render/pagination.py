"""Where the PDF's pages break: read from WeasyPrint's layout, for the PDF renderer.

A Del (a chapter of the whole report: `.new-page` in the HTML, print.css breaks before it)
starts a new page. Where that leaves the page before it mostly empty (the last lines of an
area, say), the Del follows on that page instead: this module finds those pages in a laid-out
document and writes the stylesheet that lets those Dels flow.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from typing import Any

NEW_PAGE = "new-page"  # the class of a heading that starts a page (document.html.j2)
OWN_PAGE = ("cover", "contents")  # classes of blocks that stand on a page of their own


def flowing_css(anchors: Iterable[str]) -> str:
    """The stylesheet that keeps these Del headings (by id) on the page before them."""
    rules = []
    for anchor in anchors:
        quoted = anchor.replace("\\", "\\\\").replace('"', '\\"')
        rules.append(f'[id="{quoted}"] {{ break-before: auto; margin-top: 1.8em; }}')
    return "\n".join(rules)


def underfull_breaks(document: Any, threshold: float, flowing: list[str]) -> list[str]:
    """The ids of the Del headings that start a page after a page filled less than
    `threshold` (a fraction of its text area's height) which holds no Del heading itself,
    and is neither the cover nor the contents."""
    pages = [_page_facts(page) for page in document.pages]
    found = []
    for before, after in zip(pages, pages[1:]):
        fill, dels, own_page = before
        starting = [anchor for anchor in after[1] if anchor not in flowing]
        if starting and not dels and not own_page and fill < threshold:
            found.append(starting[0])
    return found


def _page_facts(page: Any) -> tuple[float, list[str], bool]:
    """(how full the page's text area is, the ids of its Del headings, whether it holds a
    block that stands on a page of its own)."""
    from weasyprint.formatting_structure import boxes

    page_box = page._page_box
    top, height = page_box.content_box_y(), page_box.height
    lowest, dels, own_page = top, [], False
    for box in _body_boxes(page_box):
        if isinstance(box, (boxes.LineBox, boxes.ReplacedBox)):
            lowest = max(lowest, box.position_y + box.margin_height())
        element = box.element if box.element_tag and not box.element_tag.startswith(
            ("html", "body")) else None
        classes = (element.get("class") or "").split() if element is not None else []
        if NEW_PAGE in classes and element.get("id") and element.get("id") not in dels:
            dels.append(element.get("id"))
        own_page = own_page or any(c in OWN_PAGE for c in classes)
    return (lowest - top) / height if height else 1.0, dels, own_page


def _body_boxes(box: Any) -> Iterator[Any]:
    """The page's boxes in tree order, without the margin boxes (header, page number)."""
    from weasyprint.formatting_structure import boxes

    for child in getattr(box, "children", ()):
        if isinstance(child, boxes.MarginBox):
            continue
        yield child
        yield from _body_boxes(child)
