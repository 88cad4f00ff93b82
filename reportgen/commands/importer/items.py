"""Andre forhold merged into the YAML: the items the document repeats keep their YAML as
written; in the changed stretch, items matched by heading keep theirs (text updated), new
ones are added in order. Pure functions over ruamel.yaml's round-trip values.
"""

from __future__ import annotations

from collections import deque
from typing import Any

from reportgen.commands.importer.common import OtherItem, Unplaced, other_base
from reportgen.commands.importer.yamltext import merged_text, scalar, set_text
from reportgen.markup import parse_blocks
from reportgen.messages import _
from reportgen.outline import (
    ITEM_HEADING_KEY,
    ITEM_TEXT_KEY,
    OTHER_MATTERS,
    TOP_LEVEL,
    item_heading_level,
)


def merge_other(data: Any, old: tuple[Any, ...], new: list[OtherItem] | None,
                 notes: list[str]) -> bool:
    """Andre forhold: the items before and after the changed stretch keep their YAML as
    written; in between, items matched by heading keep theirs, new ones are added in order."""
    for item in new or []:
        if not item.chunks:
            notes.append(Unplaced(_("the heading {heading!r} under 'Andre forhold' has no"
                                    " text; it was not imported").format(heading=item.heading)))
    tokens = [t for item in (new or []) if item.chunks for t in tokens_of(item)]
    olds = [old_keys(o) for o in old]
    if [k for keys in olds for k in keys] == [key for key, _ in tokens]:
        return False
    if not tokens:
        del data[OTHER_MATTERS.name]
        return True
    start, pos = _kept(olds, tokens)
    end, back = _kept([keys[::-1] for keys in olds[start:][::-1]], tokens[pos:][::-1])
    maps = list(data.get(OTHER_MATTERS.name) or [])
    middle = _middle(maps[start:len(old) - end], old[start:len(old) - end],
                     _items(tokens[pos:len(tokens) - back]))
    items = maps[:start] + middle + maps[len(old) - end:]
    if OTHER_MATTERS.name in data:
        data[OTHER_MATTERS.name][:] = items
    else:
        from ruamel.yaml.comments import CommentedSeq

        data[OTHER_MATTERS.name] = CommentedSeq(items)
    return True


def tokens_of(item: OtherItem) -> list[tuple[Any, str | None]]:
    """(block, markup) for the item's heading (markup None) and each of its chunks."""
    from reportgen.view import Heading

    base = other_base(item.heading)
    head = [((Heading(item_heading_level(TOP_LEVEL), item.heading),), None)] if item.heading else []
    return head + [(tuple(parse_blocks(c, base)), c) for c in item.chunks]


def old_keys(item: Any) -> list[Any]:
    """The blocks of an Andre forhold item of the YAML, as tokens_of gives a document's."""
    from reportgen.view import Heading

    head = [(Heading(item_heading_level(TOP_LEVEL), item.heading),)] if item.heading else []
    return head + [(b,) for b in parse_blocks(item.text, other_base(item.heading))]


def _kept(olds: list[list[Any]], tokens: list[tuple[Any, str | None]]) -> tuple[int, int]:
    """How many old items the document repeats unchanged at its start, and their tokens."""
    count = pos = 0
    for keys in olds:
        if [key for key, _ in tokens[pos:pos + len(keys)]] != keys:
            break
        count, pos = count + 1, pos + len(keys)
    return count, pos


def _items(tokens: list[tuple[Any, str | None]]) -> list[OtherItem]:
    """Tokens back into items: a heading starts one; text before any heading is untitled."""
    items: list[OtherItem] = []
    for key, chunk in tokens:
        if chunk is None:
            items.append(OtherItem(key[0].text))
        else:
            if not items:
                items.append(OtherItem(None))
            items[-1].chunks.append(chunk)
    return items


def _middle(maps: list[Any], old: tuple[Any, ...], new: list[OtherItem]) -> list[Any]:
    """The changed stretch: old entries reused by heading (text updated), others new."""
    from ruamel.yaml.comments import CommentedMap

    unused: dict[str | None, deque[int]] = {}  # by heading, in order: each old entry once
    for index, kept in enumerate(old):
        unused.setdefault(kept.heading, deque()).append(index)
    out = []
    for item in (i for i in new if i.chunks):
        same = unused.get(item.heading)
        if not same:
            entry = CommentedMap({ITEM_HEADING_KEY: item.heading} if item.heading else {})
            entry[ITEM_TEXT_KEY] = scalar(item.text)
        else:
            index = same.popleft()
            entry = maps[index]
            text = merged_text(old[index].text, item.text, other_base(item.heading))
            if text is not None:
                set_text(entry, ITEM_TEXT_KEY, text)
        out.append(entry)
    return out
