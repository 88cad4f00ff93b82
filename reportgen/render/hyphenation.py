"""Where the PDF may break words: the page's text prepared for WeasyPrint's hyphenation.

print.css hyphenates Norwegian text (pyphen's nb/nn dictionaries, by the page's `lang`), at
least three letters on each side of a break. Before the page is printed, its text (never its
tags or attributes) is prepared here:
- a word with a capital letter, such as a proper name (Drammen, Glitrevannverket), is wrapped
  in `<span class="hy">`, which print.css sets to `hyphens: manual`: it is never broken;
- a word of templates/hyphenation.yaml is wrapped the same way, and where the list marks
  its breaks, gets soft hyphens there: it breaks only there.
Headings (never hyphenated) and links are left as they are. The soft hyphens are not drawn
unless a line breaks at one, so the PDF's text is unchanged.
The web page is not prepared: only the PDF is hyphenated this way.
"""

from __future__ import annotations

import html as html_escape
import re
from functools import lru_cache

SOFT_HYPHEN = "\u00ad"
KEEP = '<span class="hy">{}</span>'
_LETTERS = r"[^\W\d_]"
_CAPITALISED = rf"[A-ZÆØÅ]{_LETTERS}{{5,}}"  # six letters or more: short words never break
_TAG = re.compile(r"(<[^>]*>)")
# Headings are never hyphenated (screen.css); a link's words stay in one piece, so that the
# link is one annotation described by its whole text.
_SKIPPED = re.compile(r"</?(?:a|h[1-6])[\s>]")


@lru_cache(maxsize=8)
def _pattern(exceptions: tuple[str, ...]) -> tuple[re.Pattern[str], dict[str, str]]:
    """One pattern for capitalised words and the listed ones; each listed word (and its
    capitalised form) with its soft hyphens."""
    marked: dict[str, str] = {}
    for word in exceptions:
        plain = word.replace(SOFT_HYPHEN, "")
        marked[plain] = word
        marked[plain[:1].upper() + plain[1:]] = word[:1].upper() + word[1:]
    listed = "|".join(re.escape(w) for w in sorted(marked, key=len, reverse=True))
    words = f"{listed}|{_CAPITALISED}" if listed else _CAPITALISED
    return re.compile(rf"(?<![\w{SOFT_HYPHEN}])(?:{words})(?![\w{SOFT_HYPHEN}])"), marked


def prepare(page: str, exceptions: tuple[str, ...]) -> str:
    """The page with the words of its body that must not be broken, or broken only at their
    listed places, marked for print."""
    start = page.find("<body")
    if start < 0:
        return page
    pattern, marked = _pattern(exceptions)
    pieces = _TAG.split(page[start:])
    outside = 0  # how deep inside elements whose words are left alone
    for i, piece in enumerate(pieces):
        if i % 2:  # a tag
            name = _SKIPPED.match(piece)
            if name:
                outside += -1 if piece.startswith("</") else 1
        elif not outside and piece.strip():  # text, its content escaped by the template
            pieces[i] = pattern.sub(lambda m: _keep(m.group(), marked), piece)
    return page[:start] + "".join(pieces)


def _keep(word: str, marked: dict[str, str]) -> str:
    return KEEP.format(html_escape.escape(marked.get(word, word), quote=False))
