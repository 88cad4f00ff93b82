"""A picture from the inputs (kommune.yaml's `logo:`), checked from its bytes: a real PNG that
decodes, or an SVG that parses as plain SVG, reading no other file and no address.

Pure: no I/O (inputs.py reads the file); imports messages only, and Pillow and lxml when asked.
What is wrong is a PictureProblem: what the file is, and what to do; inputs.py puts it at the
line of kommune.yaml that names the file.
"""

from __future__ import annotations

import io
import re

from reportgen.messages import _

MAX_PICTURE_BYTES = 2_000_000  # a coat of arms as SVG is ~10 kB, a logo as PNG ~100 kB
MAX_SIDE = 4000  # pixels of a PNG: 4000 × 4000 is more than any print of a cover needs
PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"
SVG_NS = "http://www.w3.org/2000/svg"
XLINK_HREF = "{http://www.w3.org/1999/xlink}href"


def plain_svg() -> str:
    """The hint to save an SVG file again as plain SVG."""
    return _("save it again as plain SVG (Inkscape: Save As, Plain SVG; Illustrator: Export"
             " As, SVG)")


def kinds() -> tuple[tuple[bytes, str], ...]:
    """What a file is, told by its first bytes, for the message about a file that is not a
    picture."""
    tiff = _("a TIFF picture")
    return ((b"\xff\xd8\xff", _("a JPEG picture")), (b"GIF8", _("a GIF picture")),
            (b"%PDF", _("a PDF document")),
            (b"PK\x03\x04", _("a zip file (such as a Word document)")),
            (b"BM", _("a BMP picture")), (b"II*\x00", tiff), (b"MM\x00*", tiff),
            (PNG_SIGNATURE, _("a PNG picture")))


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
        _("is {size} bytes, more than the {limit} a logo may have").format(
            size=size, limit=MAX_PICTURE_BYTES),
        _("save it smaller: a logo needs about 1000 pixels across; or use it as SVG"))


def _what_it_is(data: bytes) -> str:
    if not data:
        return _("the file is empty")
    found = next((words for start, words in kinds() if data.startswith(start)), None)
    if found is None and b"<svg" in data[:4096]:
        found = _("an SVG picture")
    return (_("it is {kind}").format(kind=found) if found else
            _("it is not a picture reportgen knows"))


def _png_size(data: bytes) -> tuple[float, float]:
    from PIL import Image

    if not data.startswith(PNG_SIGNATURE):
        raise PictureProblem(
            _("is not a PNG picture: {what}").format(what=_what_it_is(data)),
            _("export it from the drawing program as PNG (File, Export), or name the file by"
              " what it is"))
    width, height = int.from_bytes(data[16:20], "big"), int.from_bytes(data[20:24], "big")
    if max(width, height) > MAX_SIDE:
        raise PictureProblem(
            _("is {width} × {height} pixels, more than {limit} on a side").format(
                width=width, height=height, limit=MAX_SIDE),
            _("save it smaller: a logo needs about 1000 pixels across"))
    try:
        with Image.open(io.BytesIO(data), formats=["PNG"]) as image:
            image.load()  # every pixel: a file cut short or damaged says so here
            width, height = image.size
    except (OSError, SyntaxError, ValueError, Image.DecompressionBombError) as exc:
        raise PictureProblem(_("is a damaged PNG file ({error})").format(error=exc),
                             _export_png_again()) from exc
    if not width or not height:
        raise PictureProblem(_("is a PNG picture of no pixels"), _export_png_again())
    return float(width), float(height)


def _export_png_again() -> str:
    return _("export it from the drawing program as PNG (File, Export) again")


def _svg_size(data: bytes) -> tuple[float, float]:
    from lxml import etree

    if b"<!ENTITY" in data:
        raise PictureProblem(_("is an SVG file that defines entities (<!ENTITY …>), which"
                               " reportgen does not read"), plain_svg())
    parser = etree.XMLParser(resolve_entities=False, no_network=True, load_dtd=False,
                             huge_tree=False)
    try:
        root = etree.fromstring(data, parser)
    except etree.XMLSyntaxError as exc:
        raise PictureProblem(
            _("is not an SVG picture: {what}").format(what=_what_it_is(data))
            if not data.lstrip().startswith(b"<") else
            _("is not a valid SVG file: {error}").format(error=exc.msg), plain_svg()) from exc
    if root.tag != f"{{{SVG_NS}}}svg":
        name = etree.QName(root).localname
        if name == "svg":
            raise PictureProblem(
                _("is not an SVG picture: its first element is <svg>, not in SVG's namespace"
                  " {namespace}").format(namespace=SVG_NS),
                _('add xmlns="{namespace}" to its <svg> element, or save it again as plain SVG'
                  " (Inkscape: Save As, Plain SVG; Illustrator: Export As, SVG)").format(
                    namespace=SVG_NS))
        raise PictureProblem(
            _("is not an SVG picture: its first element is <{name}>").format(name=name),
            plain_svg())
    _plain(root)
    return _intrinsic_size(root)


def _plain(root: object) -> None:
    """No program in the picture and nothing it would fetch: every reference is inside the
    file (`#id`) or a picture inside it (`data:image/…`)."""
    from lxml import etree

    for element in root.iter():  # type: ignore[attr-defined]
        if not isinstance(element.tag, str):
            if isinstance(element, etree._Entity):
                raise PictureProblem(_("is an SVG file that uses entities, which reportgen"
                                       " does not read"), plain_svg())
            continue
        name = etree.QName(element).localname
        where = _("<{name}>, line {line} of the file").format(name=name,
                                                              line=element.sourceline)
        if name in ("script", "foreignObject"):
            raise PictureProblem(
                _("is an SVG file with <{name}> (line {line} of the file): a logo is a drawing,"
                  " without programs or pages").format(name=name, line=element.sourceline),
                plain_svg())
        for attr in ("href", XLINK_HREF):
            target = (element.get(attr) or "").strip()
            if target and not target.startswith(("#", "data:image/")):
                raise PictureProblem(
                    _("is an SVG file that refers to {target!r} ({where}): the picture must"
                      " hold everything it shows").format(target=target, where=where),
                    _("save it again as plain SVG (Inkscape: Save As, Plain SVG; Illustrator:"
                      " Export As, SVG), with every picture it shows embedded"))
        styles = [element.get("style") or ""] + ([element.text or ""] if name == "style" else [])
        if any(EXTERNAL_URL.search(style) for style in styles):
            raise PictureProblem(
                _("is an SVG file whose styles fetch another file ({where})").format(where=where),
                plain_svg())


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
            _("is an SVG picture that gives no size: its <svg> element has neither a width and"
              " a height nor a viewBox"), _("open it in a drawing program and save it again"
                                            " (Inkscape: Document Properties, Resize to drawing)"))
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
