"""Generate templates/html/site/fonts/*.woff2, the web site's fonts, from templates/fonts.

Run `python scripts/make_web_fonts.py` after changing the fonts or the ranges below; the WOFF2
files are committed (subsetting takes seconds, so `render` only copies them). Each is Carlito
cut to the Latin letters, punctuation and signs Norwegian reports use (about 45 kB instead of
650 kB); the stylesheet's @font-face rules name the same ranges (UNICODE_RANGE), so a browser
shows any other character in the next font of the stack. The timestamps of the fonts are kept,
so the output is the same every time.
"""

from __future__ import annotations

from pathlib import Path

from fontTools import subset
from fontTools.ttLib import TTFont

ROOT = Path(__file__).resolve().parent.parent
SOURCE = ROOT / "templates" / "fonts"
OUT = ROOT / "templates" / "html" / "site" / "fonts"
FACES = ("Regular", "Bold", "Italic", "BoldItalic")
# Basic Latin, Latin-1, Latin Extended-A and -B (Sámi letters among them), combining accents,
# general punctuation, currency signs, arrows, the minus sign.
RANGES = ((0x20, 0x7E), (0xA0, 0x24F), (0x300, 0x36F), (0x2000, 0x206F), (0x20A0, 0x20CF),
          (0x2190, 0x2193), (0x2212, 0x2212))
UNICODE_RANGE = ", ".join(f"U+{a:04X}-{b:04X}" if a != b else f"U+{a:04X}" for a, b in RANGES)


def main() -> None:
    OUT.mkdir(parents=True, exist_ok=True)
    for face in FACES:
        font = TTFont(SOURCE / f"Carlito-{face}.ttf", recalcTimestamp=False)
        options = subset.Options()
        options.flavor = "woff2"
        options.layout_features = ["*"]
        options.name_IDs = ["*"]
        options.hinting = False
        subsetter = subset.Subsetter(options)
        subsetter.populate(unicodes=[c for a, b in RANGES for c in range(a, b + 1)])
        subsetter.subset(font)
        font.flavor = "woff2"
        target = OUT / f"Carlito-{face}.woff2"
        font.save(target)
        print(f"wrote {target.relative_to(ROOT)} ({target.stat().st_size} bytes)")
    print(f"unicode-range: {UNICODE_RANGE}")


if __name__ == "__main__":
    main()
