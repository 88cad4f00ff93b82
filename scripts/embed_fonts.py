"""Embed the document font in the DOCX template (used by scripts/make_docx_template.py).

Word and LibreOffice both read TrueType fonts embedded in a WordprocessingML package
(ECMA-376 Part 1, 17.8.1 "Font Embedding"): each face is a Font part (word/fonts/fontN.odttf,
content type application/vnd.openxmlformats-officedocument.obfuscatedFont) related from the
font table, where w:embedRegular/w:embedBold/... name it and give the key that obfuscates it:
the first 32 bytes of the font XORed with the 16 bytes of the key GUID in reverse order.
The keys are fixed (derived from the face's name), so the template is the same on every run.
"""

from __future__ import annotations

import uuid
from typing import Any

from docx.opc.packuri import PackURI
from docx.opc.part import Part
from docx.oxml.ns import qn
from fontTools.ttLib import TTFont
from lxml import etree
from make_fonts import FACES, FAMILY, subset_font

FONT_CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.obfuscatedFont"
FONT_RELATIONSHIP = "http://schemas.openxmlformats.org/officeDocument/2006/relationships/font"
W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
R = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
EMBED = {"Regular": "embedRegular", "Bold": "embedBold", "Italic": "embedItalic",
         "BoldItalic": "embedBoldItalic"}
KEY_NAMESPACE = uuid.UUID("6ba7b811-9dad-11d1-80b4-00c04fd430c8")  # RFC 4122's URL namespace
# CT_Settings is a sequence: embedTrueTypeFonts comes after these, before everything else.
SETTINGS_BEFORE = ("writeProtection", "view", "zoom", "removePersonalInformation",
                   "removeDateAndTime", "doNotDisplayPageBoundaries", "displayBackgroundShape",
                   "printPostScriptOverText", "printFractionalCharacterWidth", "printFormsData")


def obfuscate(font: bytes, key: uuid.UUID) -> bytes:
    """The font as a Font part holds it: its first 32 bytes XORed with the key's bytes,
    last to first, twice over (ECMA-376 Part 1, 17.8.1)."""
    reversed_key = key.bytes[::-1]
    head = bytes(b ^ reversed_key[i % 16] for i, b in enumerate(font[:32]))
    return head + font[32:]


def embed_fonts(doc: Any) -> None:
    """Every face of FAMILY as an embedded, obfuscated font, and the setting that keeps the
    fonts embedded when Word saves the document again."""
    font_table = next(rel.target_part for rel in doc.part.rels.values()
                      if rel.reltype.endswith("/fontTable"))
    root = etree.fromstring(font_table.blob)
    for old in root.findall(f"{{{W}}}font"):
        if old.get(f"{{{W}}}name") in (FAMILY, "Calibri", "Cambria"):  # the theme's, unused now
            root.remove(old)
    regular = subset_font("Regular")
    entry = _font_entry(TTFont(_bytes_io(regular)))
    for number, face in enumerate(FACES, start=1):
        key = uuid.uuid5(KEY_NAMESPACE, f"reportgen:{FAMILY}:{face}")
        data = regular if face == "Regular" else subset_font(face)
        part = Part(PackURI(f"/word/fonts/font{number}.odttf"), FONT_CONTENT_TYPE,
                    obfuscate(data, key), doc.part.package)
        rel_id = font_table.relate_to(part, FONT_RELATIONSHIP)
        embed = etree.SubElement(entry, f"{{{W}}}{EMBED[face]}")
        embed.set(f"{{{R}}}id", rel_id)
        embed.set(f"{{{W}}}fontKey", "{" + str(key).upper() + "}")
    root.insert(0, entry)
    font_table._blob = etree.tostring(root, xml_declaration=True, encoding="UTF-8",
                                      standalone=True)
    _keep_embedded_on_save(doc.settings.element)


def _bytes_io(data: bytes) -> Any:
    import io

    return io.BytesIO(data)


def _font_entry(font: TTFont) -> Any:
    """The font table's w:font for FAMILY, from the font's own OS/2 table: panose, the
    Unicode and code-page ranges (w:sig), and Carlito as the name to look for without it."""
    os2 = font["OS/2"]
    panose = os2.panose
    digits = [panose.bFamilyType, panose.bSerifStyle, panose.bWeight, panose.bProportion,
              panose.bContrast, panose.bStrokeVariation, panose.bArmStyle, panose.bLetterForm,
              panose.bMidline, panose.bXHeight]
    entry = etree.Element(f"{{{W}}}font", {f"{{{W}}}name": FAMILY})
    etree.SubElement(entry, f"{{{W}}}altName", {f"{{{W}}}val": "Carlito"})
    etree.SubElement(entry, f"{{{W}}}panose1",
                     {f"{{{W}}}val": "".join(f"{d:02X}" for d in digits)})
    etree.SubElement(entry, f"{{{W}}}charset", {f"{{{W}}}val": "00"})
    etree.SubElement(entry, f"{{{W}}}family", {f"{{{W}}}val": "swiss"})
    etree.SubElement(entry, f"{{{W}}}pitch", {f"{{{W}}}val": "variable"})
    sig = {"usb0": os2.ulUnicodeRange1, "usb1": os2.ulUnicodeRange2,
           "usb2": os2.ulUnicodeRange3, "usb3": os2.ulUnicodeRange4,
           "csb0": os2.ulCodePageRange1, "csb1": os2.ulCodePageRange2}
    etree.SubElement(entry, f"{{{W}}}sig", {f"{{{W}}}{k}": f"{v:08X}" for k, v in sig.items()})
    return entry


def _keep_embedded_on_save(settings: Any) -> None:
    if settings.find(qn("w:embedTrueTypeFonts")) is not None:
        return
    element = etree.SubElement(settings, qn("w:embedTrueTypeFonts"))
    settings.remove(element)
    before = [child for child in settings
              if etree.QName(child).localname in SETTINGS_BEFORE
              and etree.QName(child).namespace == W]
    settings.insert(settings.index(before[-1]) + 1 if before else 0, element)
