"""Generate templates/docx/document.docx, the Word template reportgen fills.

Run `python scripts/make_docx_template.py` after changing it; the .docx is committed so that
communications staff can also restyle it in Word directly (keep the {{ }} / {%p %} paragraphs).
Builds on python-docx's default template, which has Word's built-in styles (Title, Heading 1–9,
List Bullet/Number, Caption, TOC Heading), so Word's navigation pane, TOC and restyling work.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import docx
from docx.enum.style import WD_STYLE_TYPE
from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_TAB_ALIGNMENT
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Cm, Pt, RGBColor
from embed_fonts import embed_fonts
from make_fonts import FAMILY

OUT = Path(__file__).resolve().parent.parent / "templates" / "docx" / "document.docx"
# Carlito's outlines and metrics (those of Calibri), embedded in the document as the subset
# scripts/make_fonts.py makes, under the name the OFL leaves it: the layout is the same where
# neither Carlito nor Calibri is installed.
FONT = FAMILY
BLUE = RGBColor(0x00, 0x3B, 0x5C)
INK, MUTED = RGBColor(0x1D, 0x1D, 0x1B), RGBColor(0x4A, 0x4A, 0x4A)  # as screen.css
TOP_MARGIN = Cm(2.5)


def main() -> None:
    doc = docx.Document()
    _drop_styles_with_effects(doc)
    _drop_leftovers(doc)
    _defaults(doc)
    _styles(doc)
    _theme_fonts(doc)
    _settings(doc)
    embed_fonts(doc)
    _page(doc)
    body = doc.element.body
    for p in list(body.iterchildren(qn("w:p"))):
        body.remove(p)
    for text, style in [
        # The cover as the PDF's: the municipality, the title, the subtitle, the date.
        ("{%p if cover %}", None),
        ("{{ kommune }}", "Cover Kommune"),
        ("{{ cover.title }}", "Title"),
        ("{%p if cover.subtitle %}", None),
        ("{{ cover.subtitle }}", "Subtitle"),
        ("{%p endif %}", None),
        ("{{ cover.date_label }}", "Cover Date"),
        ("{{ contents }}", None),
        ("{%p endif %}", None),
        ("{{ body }}", None),
    ]:
        doc.add_paragraph(text, style=style)
    doc.core_properties.title = ""
    doc.core_properties.author = ""
    doc.core_properties.comments = ""
    doc.core_properties.language = "nb-NO"
    OUT.parent.mkdir(parents=True, exist_ok=True)
    doc.save(OUT)
    print(f"wrote {OUT}")


def _drop_styles_with_effects(doc: docx.document.Document) -> None:
    """python-docx's default template carries Word 2010's stylesWithEffects part: a stale copy
    of the default styles (language en-US, none of the styles below). Word reads styles.xml."""
    for rel_id, rel in list(doc.part.rels.items()):
        if rel.reltype.endswith("/stylesWithEffects"):
            del doc.part.rels[rel_id]


def _drop_leftovers(doc: docx.document.Document) -> None:
    """python-docx's default template also carries a blank thumbnail (docProps/thumbnail.jpeg),
    a bibliography stub (customXml/item1.xml) and the extended properties of the Word for Mac
    that made it (one page, no words): none describes this document."""
    package_rels = doc.part.package.rels
    for rel_id, rel in list(package_rels.items()):
        if rel.reltype.endswith("/metadata/thumbnail"):
            del package_rels[rel_id]
    for rel_id, rel in list(doc.part.rels.items()):
        if rel.reltype.endswith("/customXml"):
            del doc.part.rels[rel_id]
    app = next(rel.target_part for rel in package_rels.values()
               if rel.reltype.endswith("/extended-properties"))
    app._blob = APP_XML.encode("utf-8")


APP_XML = """<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<Properties xmlns="http://schemas.openxmlformats.org/officeDocument/2006/extended-properties">\
<Application>reportgen</Application><DocSecurity>0</DocSecurity><ScaleCrop>false</ScaleCrop>\
<LinksUpToDate>false</LinksUpToDate><SharedDoc>false</SharedDoc>\
<HyperlinksChanged>false</HyperlinksChanged></Properties>"""


def _settings(doc: docx.document.Document) -> None:
    """No preview picture saved by Word; Norwegian decimal and list separators for fields."""
    settings = doc.settings.element
    for name in ("w:savePreviewPicture",):
        for element in settings.findall(qn(name)):
            settings.remove(element)
    settings.find(qn("w:decimalSymbol")).set(qn("w:val"), ",")
    settings.find(qn("w:listSeparator")).set(qn("w:val"), ";")
    settings.find(qn("w:themeFontLang")).attrib.clear()
    settings.find(qn("w:themeFontLang")).set(qn("w:val"), "nb-NO")


def _theme_fonts(doc: docx.document.Document) -> None:
    """Every style in FONT itself: a theme font (asciiTheme=...) would win over it, and the
    theme's fonts are Calibri and Cambria. The theme names FONT too, for Word's font menu."""
    from lxml import etree

    for fonts in doc.styles.element.iter(qn("w:rFonts")):
        themed = [a for a in fonts.attrib if a.endswith(("Theme", "theme"))]
        for attr in themed:
            del fonts.attrib[attr]
        if themed:
            for attr in ("w:ascii", "w:hAnsi", "w:cs", "w:eastAsia"):
                fonts.set(qn(attr), FONT)
    theme = next(rel.target_part for rel in doc.part.rels.values()
                 if rel.reltype.endswith("/theme"))
    root = etree.fromstring(theme.blob)
    drawing = "{http://schemas.openxmlformats.org/drawingml/2006/main}"
    for kind in ("majorFont", "minorFont"):
        root.find(f".//{drawing}{kind}/{drawing}latin").set("typeface", FONT)
    theme._blob = etree.tostring(root, xml_declaration=True, encoding="UTF-8", standalone=True)


def _defaults(doc: docx.document.Document) -> None:
    """Font and language nb-NO for every run that does not say otherwise (docDefaults)."""
    rpr = doc.styles.element.find(qn("w:docDefaults")).find(qn("w:rPrDefault")).find(qn("w:rPr"))
    fonts = rpr.find(qn("w:rFonts"))
    for attr in ("w:ascii", "w:hAnsi", "w:cs", "w:eastAsia"):
        fonts.set(qn(attr), FONT)
    for attr in ("w:asciiTheme", "w:hAnsiTheme", "w:cstheme", "w:eastAsiaTheme"):
        fonts.attrib.pop(qn(attr), None)
    _set_language(rpr)


def _styles(doc: docx.document.Document) -> None:
    styles = doc.styles
    # python-docx's default template carries a hundred table styles nobody here uses; Word has
    # its own. Fewer styles make the file smaller and every style lookup faster.
    keep = {"Normal Table", "Table Grid"}
    for style in list(styles):
        if style.type == WD_STYLE_TYPE.TABLE and style.name not in keep:
            style.element.getparent().remove(style.element)
    normal = styles["Normal"]
    normal.font.name = FONT
    normal.font.size = Pt(11)
    normal.paragraph_format.space_after = Pt(6)
    normal.paragraph_format.line_spacing = 1.15
    normal.paragraph_format.widow_control = True
    sizes = {1: 20, 2: 16, 3: 13, 4: 12, 5: 11, 6: 11}
    for level, size in sizes.items():
        style = styles[f"Heading {level}"]
        style.font.name = FONT
        style.font.size = Pt(size)
        style.font.bold = True
        style.font.italic = level == 6
        style.font.color.rgb = BLUE
        style.paragraph_format.space_before = Pt(18 if level <= 2 else 12)
        style.paragraph_format.space_after = Pt(6)
        style.paragraph_format.keep_with_next = True
        _outline_level(style, level - 1)
    _outline_level(styles["TOC Heading"], 9)  # body text: "Innhold" is not itself a TOC entry
    _cover_styles(styles)
    caption = styles["Caption"]
    caption.font.size = Pt(10)
    caption.font.italic = False
    caption.font.bold = True
    caption.font.color.rgb = BLUE
    caption.paragraph_format.keep_with_next = True
    cells = styles.add_style("Table Text", WD_STYLE_TYPE.PARAGRAPH)  # in the figures' cells
    cells.base_style = normal
    cells.font.size = Pt(9)
    cells.paragraph_format.space_before = Pt(2)
    cells.paragraph_format.space_after = Pt(2)
    cells.paragraph_format.line_spacing = 1.0
    note = styles.add_style("Table Note", WD_STYLE_TYPE.PARAGRAPH)
    note.base_style = normal
    note.paragraph_format.space_before = Pt(4)
    note.font.size = Pt(9)
    link = styles.add_style("Hyperlink", WD_STYLE_TYPE.CHARACTER)
    link.font.color.rgb = RGBColor(0x00, 0x56, 0xA3)
    link.font.underline = True
    toc = styles.add_style("TOC 1", WD_STYLE_TYPE.PARAGRAPH)
    toc.base_style = normal
    toc.paragraph_format.space_after = Pt(3)
    toc2 = styles.add_style("TOC 2", WD_STYLE_TYPE.PARAGRAPH)
    toc2.base_style = normal
    toc2.paragraph_format.left_indent = Cm(0.6)
    toc2.paragraph_format.space_after = Pt(2)
    for name in ("TOC 1", "TOC 2"):
        _right_tab_with_dots(styles[name])
    table = styles.add_style("Figures Table", WD_STYLE_TYPE.TABLE)
    table.base_style = styles["Table Grid"]
    table.font.size = Pt(9)
    for style in styles:
        if style.type in (WD_STYLE_TYPE.PARAGRAPH, WD_STYLE_TYPE.CHARACTER) and not style.hidden:
            _language(style)
    styles["Header"].font.size = Pt(9)
    tabs = styles["Header"].paragraph_format.tab_stops  # Letter's, 16.5 cm: past the margin
    tabs.clear_all()
    tabs.add_tab_stop(Cm(16), WD_TAB_ALIGNMENT.RIGHT)
    styles["Footer"].font.size = Pt(9)
    styles["Header"].font.color.rgb = RGBColor(0x44, 0x44, 0x44)


def _cover_styles(styles: Any) -> None:
    """The cover as print.css sets it: the text starts 82 mm below the page's top edge (the
    PDF's 22 mm margin and 60 mm padding), the municipality in bold blue, the title 34 pt blue
    without a rule, the subtitle upright in ink, the date in grey."""
    kommune = styles.add_style("Cover Kommune", WD_STYLE_TYPE.PARAGRAPH)
    kommune.base_style = styles["Normal"]
    kommune.font.bold = True
    kommune.font.size = Pt(14.5)
    kommune.font.color.rgb = BLUE
    kommune.paragraph_format.space_before = Cm(8.2) - TOP_MARGIN
    kommune.paragraph_format.keep_with_next = True
    title = styles["Title"]
    ppr = title.element.get_or_add_pPr()
    for border in ppr.findall(qn("w:pBdr")):
        ppr.remove(border)
    title.font.size = Pt(34)
    title.font.color.rgb = BLUE
    title.paragraph_format.space_before = Pt(6)
    title.paragraph_format.space_after = Pt(12)
    title.paragraph_format.keep_with_next = True
    subtitle = styles["Subtitle"]
    subtitle.font.italic = False
    subtitle.font.size = Pt(17)
    subtitle.font.color.rgb = INK
    subtitle.paragraph_format.space_after = Pt(12)
    for style in (title, subtitle):
        style.font.name = FONT
        rpr = style.element.get_or_add_rPr()
        for spacing in rpr.findall(qn("w:spacing")):  # the default template's letter spacing
            rpr.remove(spacing)
    date = styles.add_style("Cover Date", WD_STYLE_TYPE.PARAGRAPH)
    date.base_style = styles["Normal"]
    date.font.color.rgb = MUTED


def _language(style: docx.styles.style.BaseStyle) -> None:
    """w:lang on the style itself, so Word's proofing and screen readers know the language."""
    _set_language(style.element.get_or_add_rPr())


def _set_language(rpr: Any) -> None:
    """nb-NO on a run-properties element (reportgen sets nn-NO at render time for nynorsk)."""
    lang = rpr.find(qn("w:lang"))
    if lang is None:
        lang = OxmlElement("w:lang")
        rpr.append(lang)
    for attr in ("w:val", "w:eastAsia", "w:bidi"):
        lang.set(qn(attr), "nb-NO")


def _outline_level(style: docx.styles.style.BaseStyle, level: int) -> None:
    ppr = style.element.get_or_add_pPr()
    for old in ppr.findall(qn("w:outlineLvl")):
        ppr.remove(old)
    outline = OxmlElement("w:outlineLvl")
    outline.set(qn("w:val"), str(level))
    ppr.append(outline)


def _right_tab_with_dots(style: docx.styles.style.BaseStyle) -> None:
    ppr = style.element.get_or_add_pPr()
    tabs = OxmlElement("w:tabs")
    tab = OxmlElement("w:tab")
    tab.set(qn("w:val"), "right")
    tab.set(qn("w:leader"), "dot")
    tab.set(qn("w:pos"), str(int(Cm(16).twips)))
    tabs.append(tab)
    ppr.insert(0, tabs)


def _page(doc: docx.document.Document) -> None:
    """A4 with a running header and `Side N av M` in the footer."""
    section = doc.sections[0]
    section.page_width, section.page_height = Cm(21.0), Cm(29.7)
    section.left_margin = section.right_margin = Cm(2.5)
    section.top_margin, section.bottom_margin = TOP_MARGIN, Cm(2.2)
    # As the PDF's running header: the report on the left, the Del or area on the right
    # (each Del a section of its own, render/docx_sections.py: {{ part }} marks the place).
    header = section.header.paragraphs[0]
    header.text = "{{ kommune }} · {{ running_title }}\t{{ part }}"
    header.style = doc.styles["Header"]
    footer = section.footer.paragraphs[0]
    footer.style = doc.styles["Footer"]
    footer.alignment = WD_ALIGN_PARAGRAPH.RIGHT
    footer.add_run("{{ labels.page }} ")
    _field(footer, "PAGE", "1")
    footer.add_run(" {{ labels.page_of }} ")
    _field(footer, "NUMPAGES", "1")


def _field(paragraph: docx.text.paragraph.Paragraph, instruction: str, shown: str) -> None:
    field = OxmlElement("w:fldSimple")
    field.set(qn("w:instr"), f" {instruction} \\* MERGEFORMAT ")
    run = OxmlElement("w:r")
    text = OxmlElement("w:t")
    text.text = shown
    run.append(text)
    field.append(run)
    paragraph._p.append(field)


if __name__ == "__main__":
    main()
