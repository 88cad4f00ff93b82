"""Every part of a DOCX of the kind python-docx takes it for, checked before it is read.

python-docx takes a part for what its content type ([Content_Types].xml) says it is, and
reaches the styles, the list numbering and the document's properties by relationship. A part
that is well-formed XML of another kind (relationships where the content types belong, styles
where the text belongs), or a part its content type leaves unnamed (numbering.xml without its
Override), would otherwise fail deep in the reading. `check_roots` looks at the unpacked
parts before python-docx opens the package: the content types, every relationships part and
every part of a kind python-docx reads must hold that kind's root element. `check_related`
looks at the opened package: a part a relationship reaches must be of the relationship's
kind; one whose content type left it unnamed but that holds that kind is read as that kind
(what the relationship says it is), anything else is refused. Every refusal is an InputError
at the document, in words, with a hint. Imports errors and importer.common.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Callable
from pathlib import Path
from typing import Any

from reportgen.commands.importer.common import where
from reportgen.errors import InputError
from reportgen.messages import _

CONTENT_TYPES = "[Content_Types].xml"
TYPES = "{http://schemas.openxmlformats.org/package/2006/content-types}"  # its namespace
RELATIONSHIPS = "{http://schemas.openxmlformats.org/package/2006/relationships}"
CORE = "{http://schemas.openxmlformats.org/package/2006/metadata/core-properties}"
RELS_PART = re.compile(r"(?:.*/)?_rels/[^/]+\.rels")  # the relationships of a part (or of all)


def damaged() -> str:
    """The hint for a file that was changed or cut short after Word saved it."""
    return _("the file was changed or cut short after it was saved; open it in Word, which can"
             " often repair it, save it as a new .docx and import that")


@functools.cache
def _kinds() -> dict[str, tuple[str, str]]:
    """By content type: the root element of the parts python-docx reads as more than bytes,
    and the name of what such a part holds (_held gives it in words)."""
    from docx.opc.constants import CONTENT_TYPE as CT
    from docx.oxml.ns import qn

    return {
        CT.WML_DOCUMENT_MAIN: (qn("w:document"), "text"),
        CT.WML_STYLES: (qn("w:styles"), "styles"),
        CT.WML_NUMBERING: (qn("w:numbering"), "numbering"),
        CT.WML_SETTINGS: (qn("w:settings"), "settings"),
        CT.WML_COMMENTS: (qn("w:comments"), "comments"),
        CT.WML_HEADER: (qn("w:hdr"), "header"),
        CT.WML_FOOTER: (qn("w:ftr"), "footer"),
        # by its namespace: docxcompose (imported with docxtpl) rebinds the prefix `cp`
        CT.OPC_CORE_PROPERTIES: (f"{CORE}coreProperties", "properties"),
    }


# The two kinds of part every package has, by the name python-docx reads them by.
PACKAGING = {CONTENT_TYPES: (f"{TYPES}Types", "types"),
             ".rels": (f"{RELATIONSHIPS}Relationships", "links")}


def _held(name: str) -> str:
    """What a part of the kind `name` (of _kinds and PACKAGING) holds, in words."""
    return {
        "text": _("the document's text"), "styles": _("the styles"),
        "numbering": _("the numbering of lists"), "settings": _("the settings"),
        "comments": _("the comments"), "header": _("a page header"),
        "footer": _("a page footer"), "properties": _("the document's properties"),
        "types": _("the list of the types of its parts"),
        "links": _("the links between its parts"),
    }.get(name, _("something else"))


@functools.cache
def _related() -> dict[str, str]:
    """By relationship type: the content type of the part python-docx reaches by it (every
    kind of _kinds but the main document, which python-docx finds by its content type)."""
    from docx.opc.constants import CONTENT_TYPE as CT
    from docx.opc.constants import RELATIONSHIP_TYPE as RT

    return {RT.STYLES: CT.WML_STYLES, RT.NUMBERING: CT.WML_NUMBERING,
            RT.SETTINGS: CT.WML_SETTINGS, RT.COMMENTS: CT.WML_COMMENTS,
            RT.HEADER: CT.WML_HEADER, RT.FOOTER: CT.WML_FOOTER,
            RT.CORE_PROPERTIES: CT.OPC_CORE_PROPERTIES}


def check_roots(roots: dict[str, str], content_type: Callable[[str], str], path: Path) -> None:
    """Each XML part's root element (`roots`: by part name) the one of the kind python-docx
    will read it as; `content_type` gives a part's content type by its name."""
    for name, root in roots.items():
        wanted = _wanted(name, content_type)
        if wanted is not None and root != wanted[0]:
            raise _wrong_kind(name, root, wanted[1], path)


def _wanted(name: str, content_type: Callable[[str], str]) -> tuple[str, str] | None:
    """The root element a part must have, and the name of its kind (None: any)."""
    if name == CONTENT_TYPES:
        return PACKAGING[CONTENT_TYPES]
    if RELS_PART.fullmatch(name):
        return PACKAGING[".rels"]
    return _kinds().get(content_type(name))


def _wrong_kind(name: str, root: str, wanted: str, path: Path) -> InputError:
    held = {tag: kind for tag, kind in [*_kinds().values(), *PACKAGING.values()]}
    return InputError(_("the file is damaged: {part} in it holds {held} where Word writes"
                        " {wanted}").format(part=name, held=_held(held.get(root, "")),
                                            wanted=_held(wanted)),
                      location=where(path), hint=damaged())


def check_related(document: Any, roots: dict[str, str], path: Path) -> None:
    """Every part a relationship of the opened package reaches of the relationship's kind: a
    part its content type left unnamed is read as that kind when its root element (`roots`:
    by part name) is that kind's, else refused."""
    from docx.opc.part import PartFactory

    package = document.part.package
    remade: dict[Any, Any] = {}  # the part as python-docx read it: as the kind it holds
    for source in [package, *package.iter_parts()]:
        for rel in list(source.rels.values()):
            content_type = _related().get(rel.reltype)
            if rel.is_external or content_type is None:
                continue
            part = rel.target_part
            if isinstance(part, PartFactory.part_type_for[content_type]):
                continue
            if part not in remade:
                remade[part] = _as_kind(part, content_type, roots, path)
            source.rels.add_relationship(rel.reltype, remade[part], rel.rId)


def _as_kind(part: Any, content_type: str, roots: dict[str, str], path: Path) -> Any:
    """The part read as the kind of `content_type`, with its own relationships, if it holds
    that kind's root element; else the error."""
    from docx.opc.part import PartFactory

    tag, kind = _kinds()[content_type]
    name = str(part.partname).lstrip("/")
    if roots.get(name) != tag:  # not XML (a picture) is not in roots
        raise _wrong_kind(name, roots.get(name, ""), kind, path)
    made = PartFactory.part_type_for[content_type].load(part.partname, content_type, part.blob,
                                                        part.package)
    for rel in part.rels.values():
        made.load_rel(rel.reltype, rel.target_ref if rel.is_external else rel.target_part,
                      rel.rId, rel.is_external)
    return made


def check_body(document: Any, path: Path) -> None:
    """The main document has its body, the element that holds all of its text."""
    if document.element.body is None:
        name = str(document.part.partname).lstrip("/")
        raise InputError(_("the file is not a whole Word document: {part}, which holds its"
                           " text, has no body (w:body)").format(part=name),
                         location=where(path), hint=damaged())
