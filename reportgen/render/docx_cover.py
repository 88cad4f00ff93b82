"""The DOCX cover's logo (kommune.yaml `logo:`): an inline picture above the municipality's
name, as large as the PDF shows it (view.LOGO_BOX_MM), its alternative text in the picture's
description (wp:docPr/@descr), which Word shows as its Alt Text and reads aloud.

A PNG goes in as it is. An SVG goes in as Word 2016 and later take one: the SVG itself in an
asvg:svgBlip extension of the picture's a:blip, and a PNG copy (render.svgraster draws it) in
the blip itself, for LibreOffice and older Word, which show that. The name stays where it is
without a logo: the logo's paragraph takes the space above it.

Part of the DOCX renderer.
"""

from __future__ import annotations

import io
from typing import Any

from reportgen.view import LOGO_BOX_MM, Picture

COVER_STYLE = "Cover Kommune"  # the cover's first line in the template: the municipality
GAP_MM = 6.0  # between the logo and the name, as print.css
SVG_EXTENSION = "{96DAC541-7B7A-43D3-8B79-37D633B846F1}"  # Office's id of the SVG blip
ASVG = "http://schemas.microsoft.com/office/drawing/2016/SVG/main"
IMAGE = "http://schemas.openxmlformats.org/officeDocument/2006/relationships/image"
FALLBACK_DPI = 300  # the PNG copy of an SVG, at the size it is shown


def add_logo(document: Any, logo: Picture) -> None:
    """The logo, in a paragraph of its own before the cover's first line."""
    from docx.shared import Mm

    name = _cover_paragraph(document)
    width, height = logo.fit(*LOGO_BOX_MM)
    paragraph = name.insert_paragraph_before()
    space = name.paragraph_format.space_before
    if space is None and name.style is not None:
        space = name.style.paragraph_format.space_before
    layout = paragraph.paragraph_format
    layout.space_before = Mm(0) if not space else max(Mm(0), space - Mm(height + GAP_MM))
    layout.space_after, layout.line_spacing, layout.keep_with_next = Mm(GAP_MM), 1.0, True
    name.paragraph_format.space_before = Mm(0)
    png = logo.data if logo.kind == "png" else _fallback(logo, width, height)
    shape = paragraph.add_run().add_picture(io.BytesIO(png), width=Mm(width), height=Mm(height))
    shape._inline.docPr.set("descr", logo.alt)
    if logo.kind == "svg":
        _svg_blip(document, shape, logo.data)


def _cover_paragraph(document: Any) -> Any:
    """The paragraph in the template's Cover Kommune style; else the body's first."""
    from docx.text.paragraph import Paragraph

    styles = {s.name: s.style_id for s in document.styles}
    wanted = styles.get(COVER_STYLE)
    body = document.element.body
    first = next(iter(body.iterchildren(_qn("w:p"))))
    found = next((p for p in body.iterchildren(_qn("w:p")) if wanted and p.style == wanted),
                 first)
    return Paragraph(found, document.part)


def _fallback(logo: Picture, width_mm: float, height_mm: float) -> bytes:
    from reportgen.render.svgraster import svg_png

    pixels = (max(1, round(mm / 25.4 * FALLBACK_DPI)) for mm in (width_mm, height_mm))
    return svg_png(logo.data, *pixels)


def _svg_blip(document: Any, shape: Any, svg: bytes) -> None:
    """The SVG as its own part, named in an svgBlip extension of the picture's blip."""
    from docx.opc.packuri import PackURI
    from docx.opc.part import Part
    from lxml import etree

    package = document.part.package
    part = Part(PackURI(package.next_partname("/word/media/image%d.svg")), "image/svg+xml",
                svg, package)
    rel_id = document.part.relate_to(part, IMAGE)
    blip = shape._inline.find(f".//{_qn('a:blip')}")
    extensions = blip.find(_qn("a:extLst"))
    if extensions is None:
        extensions = etree.SubElement(blip, _qn("a:extLst"))
    extension = etree.SubElement(extensions, _qn("a:ext"), uri=SVG_EXTENSION)
    svg_blip = etree.SubElement(extension, f"{{{ASVG}}}svgBlip", nsmap={"asvg": ASVG})
    svg_blip.set(_qn("r:embed"), rel_id)


def _qn(tag: str) -> str:
    from docx.oxml.ns import qn

    return qn(tag)
