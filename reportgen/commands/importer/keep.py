"""Never destructive by accident: the parts of the YAML a document does not have are kept.

An import that would remove a whole part the YAML has — the figures (`tall`), Investeringer,
an Andre forhold item (or all of them), a sub-heading of a text with what stands under it,
the place of a table (`[[tabell ID]]`) — keeps it unless `--remove-missing` is given: the
part is put back into what the document gave, where it stood relative to its neighbours, and
a warning names it (with its hint). A document whose headings lost their styles then proposes
no deletion. Works on the imported values before the merge; imports markup, yamltext and common.
"""

from __future__ import annotations

from typing import Any

from reportgen.commands.importer.common import TEXT_PARTS, ImportedArea, OtherItem, other_base
from reportgen.commands.importer.common import text_level as level_of
from reportgen.commands.importer.yamltext import segments
from reportgen.markup import parse_blocks
from reportgen.messages import _, ngettext
from reportgen.outline import FIGURES, OTHER_MATTERS
from reportgen.view import Heading, Paragraph, Placement

Warned = tuple[str, str | None]  # a warning about the import, and its hint


def how() -> str:
    """The hint of a warning about a part that was kept."""
    return _("import with --remove-missing to remove it")


def _how_as_text() -> str:
    return _("import with --remove-missing to take it as the text the document has")


def keep_missing(imported: ImportedArea, content: Any, labels: dict[str, str]) -> tuple[
        list[Warned], bool]:
    """Put back into `imported` what the YAML (its validated `content`) has and the document
    lacks; the warnings with their hints, and whether the figures are to be kept."""
    warnings: list[Warned] = []
    keep_figures = imported.figures is None and FIGURES.value(content) is not None
    if keep_figures:
        warnings.append((_("the document has no figures table; `{key}` was kept").format(
            key=FIGURES.name), how()))
    for key, part in TEXT_PARTS.items():
        old, new = part.value(content), imported.texts.get(key)
        name = labels.get(part.label or "", key) if part.label else _("the lead text")
        if old and not new and part.optional:
            imported.texts[key] = old
            warnings.append((_("the document has no text under {heading!r}; `{key}` was"
                               " kept").format(heading=name, key=key), how()))
        elif old and new:
            imported.texts[key] = _keep_in_text(old, new, level_of(key), name, warnings)
    _keep_items(imported, content.other_matters, labels, warnings)
    return warnings, keep_figures


def _keep_items(imported: ImportedArea, old: tuple[Any, ...], labels: dict[str, str],
                warnings: list[Warned]) -> None:
    """Andre forhold items the document does not have, by heading, put back after the item
    that stood before them. (An item without a heading cannot be told from the text of the
    item before it in a document, so it is never missing.)"""
    if not any(item.heading for item in old):
        return
    label = labels.get(OTHER_MATTERS.label or "", OTHER_MATTERS.name)
    result = [item for item in imported.other_matters or [] if item.chunks]
    keys = _old_places(result, old)  # for each item of the document, the YAML's item it is
    for index, item in enumerate(old):
        if item.heading is None or index in keys:
            continue
        kept = OtherItem(item.heading, _chunks(item.text, other_base(item.heading)))
        at = place_between(keys, list(range(index)), list(range(index + 1, len(old))))
        result.insert(at, kept)
        keys.insert(at, index)
        warnings.append((_("the item {item!r} under {heading!r} is not in the document; it"
                           " was kept").format(item=item.heading, heading=label), how()))
    imported.other_matters = result if result or imported.other_matters is not None else None


def _old_places(new: list[OtherItem], old: tuple[Any, ...]) -> list[int | None]:
    """The index of the YAML's item each of the document's items stands for: by heading, and
    an untitled one by the order of the untitled ones (None: a new item)."""
    untitled = [i for i, o in enumerate(old) if o.heading is None]
    places: list[int | None] = []
    for item in new:
        if item.heading is None:
            places.append(untitled.pop(0) if untitled else None)
        else:
            places.append(next((i for i, o in enumerate(old) if o.heading == item.heading
                                and i not in places), None))
    return places


def place_between(keys: list[Any], before: list[Any], after: list[Any]) -> int:
    """Where a kept part goes among `keys`: after the nearest of the parts before it (in
    the YAML) that `keys` has; else before the nearest of those after it; else at the end."""
    for earlier in reversed(before):
        if earlier is not None and earlier in keys:
            return len(keys) - keys[::-1].index(earlier)
    for later in after:
        if later is not None and later in keys:
            return keys.index(later)
    return len(keys)


def _chunks(text: str, base: int) -> list[str]:
    """A text's blocks, each as the lines the YAML has it in."""
    split = segments(text, base)
    if split is None:
        return [text.strip("\n")]
    return ["\n".join(lines).strip("\n") for lines in split]


def _keep_in_text(old: str, new: str, base: int, field: str, warnings: list[Warned]) -> str:
    """`new` with the sub-headings (and what stands under them) and table places of `old`
    that it lacks put back where they stood."""
    olds = list(zip(parse_blocks(old, base), _chunks(old, base)))
    chunks = new.split("\n\n")
    news = [parse_blocks(c, base) for c in chunks]
    if any(len(b) != 1 for b in news) or len(olds) != len(parse_blocks(old, base)):
        return new
    blocks = [b[0] for b in news]
    heads = {b.text for b in blocks if isinstance(b, Heading)}
    places = {(b.what, b.ref) for b in blocks if isinstance(b, Placement)}
    i = 0
    while i < len(olds):
        block = olds[i][0]
        if isinstance(block, Heading) and block.text not in heads:
            written = next((j for j, b in enumerate(blocks) if isinstance(b, Paragraph)
                            and "".join(s.text for s in b.spans).strip() == block.text), None)
            if written is not None:  # the heading's style was lost: it stays a heading
                blocks[written], chunks[written] = block, olds[i][1]
                warnings.append(_kept("style", block.text, field))
                i += 1
                continue
            end = next((j for j in range(i + 1, len(olds)) if isinstance(olds[j][0], Heading)
                        and olds[j][0].level <= block.level), len(olds))
            at = _section_place(blocks, olds[:i], block.level)
            blocks[at:at] = [b for b, _ in olds[i:end]]
            chunks[at:at] = [c for _, c in olds[i:end]]
            warnings.append(_kept("section", block.text, field, end - i - 1))
            i = end
            continue
        if isinstance(block, Placement) and (block.what, block.ref) not in places:
            at = _block_place(blocks, olds[:i])
            blocks.insert(at, block)
            chunks.insert(at, olds[i][1])
            warnings.append(_kept("place", f"[[{block.what} {block.ref}]]", field))
        i += 1
    return "\n\n".join(chunks)


def _kept(what: str, kept: str, field: str, under: int = 0) -> Warned:
    """The warning about a part of a text kept from the YAML: a sub-heading whose "style" was
    lost, a sub-heading's "section" (with the `under` blocks under it), a table's "place"."""
    if what == "style":
        return (_("the sub-heading {heading!r} under {field!r} is ordinary text in the"
                  " document; it was kept as a sub-heading").format(heading=kept, field=field),
                _how_as_text())
    if what == "section":  # "block(s)" in English either way; other languages have two forms
        return (ngettext("the sub-heading {heading!r} under {field!r} is not in the document;"
                         " it was kept with the {count} block(s) under it",
                         "the sub-heading {heading!r} under {field!r} is not in the document;"
                         " it was kept with the {count} block(s) under it", under).format(
            heading=kept, field=field, count=under), how())
    return (_("{placement} under {field!r} is not in the document; the table's place was"
              " kept").format(placement=kept, field=field), how())


def _section_place(blocks: list[Any], before: list[tuple[Any, str]], level: int) -> int:
    """Where a kept section goes: at the end of the section of the nearest sub-heading
    before it that the document has; else before the document's first sub-heading."""
    for block, _chunk in reversed(before):
        if isinstance(block, Heading) and block in blocks:
            start = blocks.index(block)
            return next((j for j in range(start + 1, len(blocks)) if isinstance(
                blocks[j], Heading) and blocks[j].level <= max(block.level, level)),
                len(blocks))
    return next((j for j, b in enumerate(blocks) if isinstance(b, Heading)), len(blocks))


def _block_place(blocks: list[Any], before: list[tuple[Any, str]]) -> int:
    """Where a kept block goes: after the nearest block before it that the document has."""
    for block, _chunk in reversed(before):
        if block in blocks:
            return blocks.index(block) + 1
    return 0
