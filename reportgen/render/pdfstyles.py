"""The PDF's stylesheets, each parsed once per process rather than once per document.

The page the PDF prints (the HTML format's) carries its styles in <style> elements in its head:
the web page's fonts (media="screen", which WeasyPrint skips) and screen.css; print.css comes
after them (pdf._with_print_css). WeasyPrint parses every stylesheet of every document anew,
about a fifth of an area's PDF. Here the page's <style> elements are taken out, and their
texts, print.css and the pagination step's rules are given to WeasyPrint in the same order as
stylesheets parsed once (WeasyPrint's CSS objects, kept per font configuration). They are then
user stylesheets; with no author stylesheet left in the page they cascade as the page's own
did: over WeasyPrint's defaults, in their order, under the page's style attributes (which
reportgen's pages have none of with !important). The PDF is the same, byte for byte.

A page with any other stylesheet (a <link>, a <style> for other media or in the body), or whose
stylesheets or print.css hold CSS that WeasyPrint keeps per document (@counter-style, @layer,
@color-profile) or an @import, is printed as it is: a changed template may have them.
"""

from __future__ import annotations

import atexit
import io
import re
from collections import OrderedDict
from typing import Any

STYLE = re.compile(r"<style(?P<attributes>[^>]*)>(?P<css>.*?)</style>\n?", re.S)
SCREEN_ONLY = ' media="screen"'
ANY_SHEET = re.compile(r"<(?:style|link)\b", re.I)
# Rules WeasyPrint keeps per document, and @import (the imported file is not in the key).
PER_DOCUMENT = ("@counter-style", "@layer", "@color-profile", "@import")
KEPT = 16  # parsed stylesheets kept per process (the page's two, print.css, a few changes)

_parsed: OrderedDict[tuple[Any, ...], tuple[Any, list[str], list[str]]] = OrderedDict()
atexit.register(_parsed.clear)  # before the interpreter tears WeasyPrint's modules down


def page_without_styles(html: str) -> tuple[str, list[str]] | None:
    """The page without the <style> elements of its head, and the texts of those WeasyPrint
    applies, in order; None for a page whose stylesheets must stay in it."""
    head_end = html.find("</head>")  # the first one: text in the page is escaped
    if head_end < 0:
        return None
    pieces, texts, at = [], [], 0
    for match in STYLE.finditer(html, 0, head_end):
        if match["attributes"] not in ("", SCREEN_ONLY):
            return None
        pieces.append(html[at:match.start()])
        at = match.end()
        if not match["attributes"]:
            texts.append(match["css"])
    pieces.append(html[at:head_end])
    head = "".join(pieces)
    if ANY_SHEET.search(head) or ANY_SHEET.search(html, head_end):
        return None
    if not all(map(kept_apart, texts)):
        return None
    return head + html[head_end:], texts


def kept_apart(css: str | bytes) -> bool:
    """Whether a stylesheet may be parsed once for every document: none of PER_DOCUMENT."""
    text = css.decode("utf-8", "replace") if isinstance(css, bytes) else css
    return not any(rule in text for rule in PER_DOCUMENT)


def parsed_sheet(data: str | bytes, base_url: str, fetcher: Any, font_config: Any,
                 problems: Any) -> Any:
    """WeasyPrint's CSS object of a stylesheet's text (or bytes, decoded as WeasyPrint decodes
    a fetched file), parsed once for this font configuration. What WeasyPrint logged while
    parsing it (a property it ignores, a font it cannot fetch) is given to `problems` again at
    every use, as it was when each document parsed it."""
    from weasyprint import CSS

    key = (id(font_config), base_url, data)
    if key not in _parsed:
        warnings, errors = len(problems.warnings), len(problems.errors)
        if isinstance(data, bytes):
            sheet = CSS(file_obj=io.BytesIO(data), base_url=base_url, url_fetcher=fetcher,
                        font_config=font_config)
        else:
            sheet = CSS(string=data, base_url=base_url, url_fetcher=fetcher,
                        font_config=font_config)
        _parsed[key] = (sheet, problems.warnings[warnings:], problems.errors[errors:])
        while len(_parsed) > KEPT:
            _parsed.popitem(last=False)
        return sheet
    _parsed.move_to_end(key)
    sheet, warned, failed = _parsed[key]
    problems.warnings += warned
    problems.errors += failed
    return sheet


def forget(font_config: Any) -> None:
    """Drop the stylesheets parsed for a font configuration that is no longer used."""
    for key in [k for k in _parsed if k[0] == id(font_config)]:
        del _parsed[key]
