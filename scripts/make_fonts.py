"""Generate templates/fonts/ReportgenSans-*.woff2, the web font of the HTML pages, from Carlito.

Run `python scripts/make_fonts.py` after changing it; the .woff2 files are committed. The DOCX
template embeds the same subset (scripts/make_docx_template.py imports `subset_font`).

The subset keeps the letters of Norwegian (bokmål and nynorsk) and of the Sámi languages used
in Norway, the rest of Latin-1 and Latin Extended-A, the punctuation, dashes, quotation marks
and signs a report uses (§ % € − ≤ ≥), every OpenType layout feature (kerning, ligatures) and
no hinting (browsers and Word draw Carlito's outlines well unhinted; hinting doubles the size).
It maps the no-break space and the no-break hyphen, which Carlito lacks, to its space and
hyphen, so that a number and its unit ("4,5 mill. kr") keep Carlito's spacing.

Carlito is under the SIL Open Font License 1.1 with the Reserved Font Name "Carlito": a subset
is a Modified Version, which may not carry that name. The subset is therefore renamed
"Reportgen Sans" (family, full and PostScript names); its copyright and licence are kept.
"""

from __future__ import annotations

import io
from pathlib import Path

from fontTools import subset
from fontTools.ttLib import TTFont

FONTS = Path(__file__).resolve().parent.parent / "templates" / "fonts"
FAMILY = "Reportgen Sans"
FACES = {  # the subset's style name -> Carlito's file
    "Regular": "Carlito-Regular.ttf",
    "Bold": "Carlito-Bold.ttf",
    "Italic": "Carlito-Italic.ttf",
    "BoldItalic": "Carlito-BoldItalic.ttf",
}
STYLE_NAMES = {"Regular": "Regular", "Bold": "Bold", "Italic": "Italic",
               "BoldItalic": "Bold Italic"}
UNICODES = [
    *range(0x20, 0x7F),  # Basic Latin
    *range(0xA0, 0x180),  # Latin-1 Supplement and Latin Extended-A (æ ø å, á č đ ŋ š ŧ ž)
    0x1B7, 0x1E4, 0x1E5, 0x1E6, 0x1E7, 0x1E8, 0x1E9, 0x1EE, 0x1EF, 0x292,  # Skolt Sámi: ʒ ǥ ǧ ǩ ǯ
    0x2C6, 0x2C7, 0x2D8, 0x2D9, 0x2DA, 0x2DB, 0x2DC, 0x2DD,  # spacing accents
    *range(0x2000, 0x200B), 0x2010, 0x2011, 0x2012, 0x2013, 0x2014, 0x2015,  # spaces, dashes
    0x2018, 0x2019, 0x201A, 0x201C, 0x201D, 0x201E, 0x2020, 0x2021, 0x2022, 0x2026,
    0x202F, 0x2030, 0x2032, 0x2033, 0x2039, 0x203A, 0x2044, 0x20AC, 0x2122,
    0x2190, 0x2192, 0x2212, 0x2248, 0x2260, 0x2264, 0x2265,
]
ALIASES = {0x00A0: 0x0020, 0x2011: 0x002D}  # no-break space and hyphen: Carlito lacks them
DESCRIPTION = (
    "A subset of Carlito (tyPoland Lukasz Dziedzic) for reportgen's documents: Latin letters "
    "for Norwegian and the Sámi languages, renamed as the Reserved Font Name requires. "
    "SIL Open Font License 1.1."
)


def subset_font(face: str, flavor: str | None = None) -> bytes:
    """The subset of one face (a key of FACES), as TrueType or as `flavor` ("woff2")."""
    font = TTFont(FONTS / FACES[face], recalcTimestamp=False)
    options = subset.Options()
    options.layout_features = ["*"]
    options.hinting = False
    options.name_IDs = ["*"]
    options.name_languages = ["*"]
    options.notdef_outline = True
    options.flavor = flavor
    subsetter = subset.Subsetter(options)
    subsetter.populate(unicodes=UNICODES)
    subsetter.subset(font)
    _alias(font)
    _rename(font, face)
    out = io.BytesIO()
    font.flavor = flavor
    font.save(out)
    return out.getvalue()


def _alias(font: TTFont) -> None:
    for table in font["cmap"].tables:
        if table.isUnicode():
            for char, same in ALIASES.items():
                if same in table.cmap:
                    table.cmap.setdefault(char, table.cmap[same])


def _rename(font: TTFont, face: str) -> None:
    style = STYLE_NAMES[face]
    full = FAMILY if face == "Regular" else f"{FAMILY} {style}"
    postscript = f"{FAMILY.replace(' ', '')}-{face}"
    version = font["name"].getDebugName(5).split(";")[0]
    names = {1: FAMILY, 2: style, 3: f"{version};{postscript};subset of Carlito", 4: full,
             6: postscript, 10: DESCRIPTION}
    table = font["name"]
    for record in list(table.names):
        if record.nameID in (7, 16, 17):  # the trademark names Carlito; no typographic names
            table.removeNames(nameID=record.nameID)
    for name_id, text in names.items():
        table.setName(text, name_id, 3, 1, 0x409)
        table.setName(text, name_id, 1, 0, 0)


def main() -> None:
    for face in FACES:
        out = FONTS / f"{FAMILY.replace(' ', '')}-{face}.woff2"
        out.write_bytes(subset_font(face, "woff2"))
        print(f"wrote {out} ({out.stat().st_size} bytes)")


if __name__ == "__main__":
    main()
