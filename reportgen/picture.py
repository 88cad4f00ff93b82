"""A picture from the inputs (kommune.yaml's `logo:`), checked from its bytes: a real PNG that
decodes, or an SVG that parses as plain SVG, reading no other file and no address.

Pure: no I/O (inputs.py reads the file); imports errors only, and Pillow and lxml when asked.
What is wrong is a PictureProblem: what the file is, and what to do; inputs.py puts it at the
line of kommune.yaml that names the file.
"""

from __future__ import annotations

import io
import re

MAX_PICTURE_BYTES = 2_000_000  # a coat of arms as SVG is ~10 kB, a logo as PNG ~100 kB
MAX_SIDE = 4000  # pixels of a PNG: 4000 × 4000 is more than any print of a cover needs
PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"
SVG_NS = "http://www.w3.org/2000/svg"
XLINK_HREF = "{http://www.w3.org/1999/xlink}href"
EXPORT_PNG = "export it from the drawing program as PNG (File, Export)"
PLAIN_SVG = ("save it again as plain SVG (Inkscape: Save As, Plain SVG; Illustrator: Export"
             " As, SVG)")
# What a file is, told by its first bytes, for the message about a file that is not a picture.
KINDS = ((b"\xff\xd8\xff", "a JPEG picture"), (b"GIF8", "a GIF picture"),
         (b"%PDF", "a PDF document"), (b"PK\x03\x04", "a zip file (such as a Word document)"),
         (b"BM", "a BMP picture"), (b"II*\x00", "a TIFF picture"), (b"MM\x00*", "a TIFF picture"),
         (PNG_SIGNATURE, "a PNG picture"))
UNITS = {"": 1.0, "px": 1.0, "pt": 4 / 3, "pc": 16.0, "mm": 96 / 25.4, "cm": 96 / 2.54,
         "in": 96.0}  # CSS pixels per unit
LENGTH = re.compile(r"\s*([0-9]*\.?[0-9]+(?:[eE][-+]?[0-9]+)?)\s*([a-z]*)\s*$")
EXTERNAL_URL = re.compile(r"url\(\s*['\"]?\s*(?!#|data:)|@import", re.IGNORECASE)


class PictureProblem(ValueError):
    """What is wrong with a picture, and what to do."""

    def __init__(self, message: str, hint: str) -> None:
        super().__init__(message)
        self.message, self.hint = message, hint


def picture_size(data: bytes, kind: str) -> tuple[float, float]:
    """The picture's width and height (pixels of a PNG; CSS pixels of an SVG), once it is
    checked to be what `kind` ("png" or "svg") says; PictureProblem where it is not."""
    if len(data) > MAX_PICTURE_BYTES:
        raise too_large(len(data))
    return _png_size(data) if kind == "png" else _svg_size(data)


def too_large(size: int) -> PictureProblem:
    """The problem of a picture file of `size` bytes, more than MAX_PICTURE_BYTES."""
    return PictureProblem(
        f"is {size} bytes, more than the {MAX_PICTURE_BYTES} a logo may have",
        "save it smaller: a logo needs about 1000 pixels across; or use it as SVG")


def _what_it_is(data: bytes) -> str:
    if not data:
        return "the file is empty"
    found = next((words for start, words in KINDS if data.startswith(start)), None)
    if found is None and b"<svg" in data[:4096]:
        found = "an SVG picture"
    return f"it is {found}" if found else "it is not a picture reportgen knows"


def _png_size(data: bytes) -> tuple[float, float]:
    from PIL import Image

    if not data.startswith(PNG_SIGNATURE):
        raise PictureProblem(f"is not a PNG picture: {_what_it_is(data)}",
                             f"{EXPORT_PNG}, or name the file by what it is")
    width, height = int.from_bytes(data[16:20], "big"), int.from_bytes(data[20:24], "big")
    if max(width, height) > MAX_SIDE:
        raise PictureProblem(f"is {width} × {height} pixels, more than {MAX_SIDE} on a side",
                             "save it smaller: a logo needs about 1000 pixels across")
    try:
        with Image.open(io.BytesIO(data), formats=["PNG"]) as image:
            image.load()  # every pixel: a file cut short or damaged says so here
            width, height = image.size
    except (OSError, SyntaxError, ValueError, Image.DecompressionBombError) as exc:
        raise PictureProblem(f"is a damaged PNG file ({exc})",
                             f"{EXPORT_PNG} again") from exc
    if not width or not height:
        raise PictureProblem("is a PNG picture of no pixels", f"{EXPORT_PNG} again")
    return float(width), float(height)


def _svg_size(data: bytes) -> tuple[float, float]:
    from lxml import etree

    if b"<!ENTITY" in data:
        raise PictureProblem("is an SVG file that defines entities (<!ENTITY …>), which"
                             " reportgen does not read", PLAIN_SVG)
    parser = etree.XMLParser(resolve_entities=False, no_network=True, load_dtd=False,
                             huge_tree=False)
    try:
        root = etree.fromstring(data, parser)
    except etree.XMLSyntaxError as exc:
        raise PictureProblem(f"is not an SVG picture: {_what_it_is(data)}"
                             if not data.lstrip().startswith(b"<") else
                             f"is not a valid SVG file: {exc.msg}", PLAIN_SVG) from exc
    if root.tag != f"{{{SVG_NS}}}svg":
        name = etree.QName(root).localname
        raise PictureProblem(
            f"is not an SVG picture: its first element is <{name}>"
            + (f", not in SVG's namespace {SVG_NS}" if name == "svg" else ""),
            f'add xmlns="{SVG_NS}" to its <svg> element, or {PLAIN_SVG}' if name == "svg"
            else PLAIN_SVG)
    _plain(root)
    return _intrinsic_size(root)


def _plain(root: object) -> None:
    """No program in the picture and nothing it would fetch: every reference is inside the
    file (`#id`) or a picture inside it (`data:image/…`)."""
    from lxml import etree

    for element in root.iter():  # type: ignore[attr-defined]
        if not isinstance(element.tag, str):
            if isinstance(element, etree._Entity):
                raise PictureProblem("is an SVG file that uses entities, which reportgen does"
                                     " not read", PLAIN_SVG)
            continue
        name = etree.QName(element).localname
        where = f"<{name}>, line {element.sourceline} of the file"
        if name in ("script", "foreignObject"):
            raise PictureProblem(f"is an SVG file with <{name}> (line {element.sourceline} of"
                                 " the file): a logo is a drawing, without programs or pages",
                                 PLAIN_SVG)
        for attr in ("href", XLINK_HREF):
            target = (element.get(attr) or "").strip()
            if target and not target.startswith(("#", "data:image/")):
                raise PictureProblem(f"is an SVG file that refers to {target!r} ({where}):"
                                     " the picture must hold everything it shows", PLAIN_SVG
                                     + ", with every picture it shows embedded")
        styles = [element.get("style") or ""] + ([element.text or ""] if name == "style" else [])
        if any(EXTERNAL_URL.search(style) for style in styles):
            raise PictureProblem(f"is an SVG file whose styles fetch another file ({where})",
                                 PLAIN_SVG)


def _intrinsic_size(root: object) -> tuple[float, float]:
    """Width and height in CSS pixels: the <svg>'s width and height where both are absolute
    lengths, else its viewBox (scaled to the one of them that is given)."""
    width = _length(root.get("width"))  # type: ignore[attr-defined]
    height = _length(root.get("height"))  # type: ignore[attr-defined]
    if width and height:
        return width, height
    box = re.split(r"[\s,]+", (root.get("viewBox") or "").strip())  # type: ignore[attr-defined]
    try:
        box_width, box_height = (float(box[2]), float(box[3])) if len(box) == 4 else (0.0, 0.0)
    except ValueError:
        box_width = box_height = 0.0
    if box_width <= 0 or box_height <= 0:
        raise PictureProblem(
            "is an SVG picture that gives no size: its <svg> element has neither a width and"
            " a height nor a viewBox", "open it in a drawing program and save it again"
            " (Inkscape: Document Properties, Resize to drawing)")
    if width:
        return width, width * box_height / box_width
    if height:
        return height * box_width / box_height, height
    return box_width, box_height


def _length(text: str | None) -> float | None:
    """An absolute length in CSS pixels ("120", "30mm", "2.5cm"); None for none, a percentage
    or a length relative to a font."""
    found = LENGTH.match(text or "")
    if not found or found.group(2) not in UNITS:
        return None
    value = float(found.group(1)) * UNITS[found.group(2)]
    return value if value > 0 else None
