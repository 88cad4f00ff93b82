"""A PNG copy of an SVG logo, for the DOCX: Word 2016 and later show the SVG itself, while
LibreOffice and older Word show the PNG beside it (render.docx_cover).

Nothing among reportgen's libraries draws SVG as pixels (WeasyPrint draws it into PDF only),
so this draws what a logo or a coat of arms is made of, with Pillow, from fontTools' reading of
SVG paths: paths and the basic shapes (rect, circle, ellipse, line, polyline, polygon), in
groups and <use>, with their transforms; fills (a gradient by its first colour) and strokes in
their colours and opacities. Text, embedded pictures, clipping, masks and filters are left out:
a logo that needs them shows the SVG in Word, and reads best everywhere as a PNG.
The picture is checked before (reportgen.picture): plain SVG, nothing fetched.
"""

from __future__ import annotations

import io
import re
from typing import Any

SUPERSAMPLE = 3  # drawn this many times larger, then scaled down: smooth edges
CURVE_STEPS = 16  # straight pieces per curve
SHAPES = ("path", "rect", "circle", "ellipse", "line", "polyline", "polygon")
GROUPS = ("svg", "g", "a", "switch")
INHERITED = ("fill", "stroke", "stroke-width", "fill-opacity", "stroke-opacity", "color",
             "visibility")
TRANSFORM = re.compile(r"(matrix|translate|scale|rotate|skewX|skewY)\s*\(([^)]*)\)")


def svg_png(svg: bytes, width: int, height: int) -> bytes:
    """The SVG drawn as a PNG of `width` × `height` pixels, on a transparent ground."""
    from fontTools.misc.transform import Transform
    from lxml import etree
    from PIL import Image

    parser = etree.XMLParser(resolve_entities=False, no_network=True, load_dtd=False)
    root = etree.fromstring(svg, parser)
    size = (width * SUPERSAMPLE, height * SUPERSAMPLE)
    canvas = Image.new("RGBA", size, (0, 0, 0, 0))
    ids = {e.get("id"): e for e in root.iter() if isinstance(e.tag, str) and e.get("id")}
    drawing = _Drawing(canvas, ids)
    drawing.group(root, _viewport(root, size, Transform), {"fill": "black"}, 0)
    out = io.BytesIO()
    canvas.resize((width, height), Image.LANCZOS).save(out, "PNG")
    return out.getvalue()


def _viewport(root: Any, size: tuple[int, int], transform: Any) -> Any:
    """User units to pixels: the viewBox fitted into the picture, centred (xMidYMid meet)."""
    box = [float(v) for v in re.split(r"[\s,]+", (root.get("viewBox") or "").strip()) if v]
    if len(box) != 4 or box[2] <= 0 or box[3] <= 0:
        from reportgen.picture import picture_size

        box = [0.0, 0.0, *picture_size(_bare(root), "svg")]
    scale = min(size[0] / box[2], size[1] / box[3])
    left = (size[0] - box[2] * scale) / 2 - box[0] * scale
    top = (size[1] - box[3] * scale) / 2 - box[1] * scale
    return transform(scale, 0, 0, scale, left, top)


def _bare(root: Any) -> bytes:
    from lxml import etree

    copy = etree.Element(root.tag, {k: v for k, v in root.attrib.items()})
    return bytes(etree.tostring(copy))


class _Drawing:
    """Draws elements onto the canvas."""

    def __init__(self, canvas: Any, ids: dict[str, Any]) -> None:
        self.canvas, self.ids = canvas, ids

    def group(self, element: Any, transform: Any, style: dict[str, str], depth: int) -> None:
        """An element and what is inside it, in document order (later over earlier)."""
        from lxml import etree

        if not isinstance(element.tag, str) or depth > 20:
            return
        name = etree.QName(element).localname
        style = _style(element, style)
        if style.get("display") == "none":
            return
        transform = transform.transform(_transform(element.get("transform") or ""))
        if name in GROUPS or (name == "use" and depth):
            if name == "use":
                target = self.ids.get((element.get("href") or element.get(
                    "{http://www.w3.org/1999/xlink}href") or "").lstrip("#"))
                offset = [_number(element.get(k)) for k in ("x", "y")]
                if target is not None:
                    self.group(target, transform.translate(*offset), style, depth + 1)
                return
            for child in element:
                self.group(child, transform, style, depth + 1)
        elif name in SHAPES and style.get("visibility") not in ("hidden", "collapse"):
            self.shape(element, transform, style)

    def shape(self, element: Any, transform: Any, style: dict[str, str]) -> None:
        """One shape: its fill, then its stroke."""
        from fontTools.pens.transformPen import TransformPen
        from fontTools.svgLib.path import PathBuilder, parse_path

        builder = PathBuilder()
        try:
            builder.add_path_from_element(_without_transform(element))
            pen = _FlatPen()
            for path in builder.paths:
                parse_path(path, TransformPen(pen, tuple(transform)))
        except (ValueError, TypeError, KeyError, IndexError, NotImplementedError):
            return  # a shape fontTools cannot read (a length with a unit, say): left out
        opacity = _number(style.get("opacity"), 1.0)
        fill = self.colour(style.get("fill", "black"), style, "fill-opacity", opacity)
        if fill and pen.outlines:
            self.paint(fill, pen.outlines, None)
        stroke = self.colour(style.get("stroke", "none"), style, "stroke-opacity", opacity)
        width = _number(style.get("stroke-width"), 1.0) * (abs(transform[0] * transform[3]
                                                               - transform[1] * transform[2]))**.5
        if stroke and width > 0 and pen.outlines:
            self.paint(stroke, pen.outlines, max(1, round(width)))

    def colour(self, value: str, style: dict[str, str], key: str,
               opacity: float) -> tuple[int, int, int, int] | None:
        """The RGBA of a fill or stroke; a gradient's first stop; None for none."""
        from PIL import ImageColor

        value = value.strip()
        if value.startswith("url("):
            value = self._gradient(value[4:].split(")")[0].strip("'\" #")) or "none"
        if value == "currentColor":
            value = style.get("color", "black")
        if value in ("none", "transparent", ""):
            return None
        try:
            red, green, blue, *alpha = ImageColor.getrgb(value)
        except ValueError:
            return None
        share = opacity * _number(style.get(key), 1.0) * (alpha[0] / 255 if alpha else 1.0)
        return red, green, blue, max(0, min(255, round(share * 255)))

    def _gradient(self, name: str, depth: int = 0) -> str | None:
        gradient = self.ids.get(name)
        if gradient is None or depth > 3:
            return None
        for stop in gradient:
            if isinstance(stop.tag, str) and stop.tag.endswith("stop"):
                return _style(stop, {}).get("stop-color", "black")
        link = gradient.get("href") or gradient.get("{http://www.w3.org/1999/xlink}href") or ""
        return self._gradient(link.lstrip("#"), depth + 1)

    def paint(self, colour: tuple[int, int, int, int], outlines: list[list[tuple[float, float]]],
              stroke: int | None) -> None:
        """Outlines filled (even-odd: each one flips what it covers) or stroked."""
        from PIL import Image, ImageChops, ImageDraw

        size = self.canvas.size
        mask = Image.new("1", size, 0)
        for points in outlines:
            if stroke is not None:
                ImageDraw.Draw(mask).line(points, fill=1, width=stroke, joint="curve")
            elif len(points) > 2:
                one = Image.new("1", size, 0)
                ImageDraw.Draw(one).polygon(points, fill=1)
                mask = ImageChops.logical_xor(mask, one)
        layer = Image.new("RGBA", size, colour[:3] + (0,))
        layer.putalpha(mask.convert("L").point(lambda v: v * colour[3] // 255))
        self.canvas.alpha_composite(layer)


class _FlatPen:
    """A fontTools pen that keeps each contour as straight pieces."""

    def __init__(self) -> None:
        self.outlines: list[list[tuple[float, float]]] = []

    def moveTo(self, point: tuple[float, float]) -> None:  # noqa: N802 (fontTools' names)
        self.outlines.append([point])

    def lineTo(self, point: tuple[float, float]) -> None:  # noqa: N802
        self.outlines[-1].append(point)

    def curveTo(self, *points: tuple[float, float]) -> None:  # noqa: N802
        from fontTools.pens.basePen import decomposeSuperBezierSegment

        for one, two, end in decomposeSuperBezierSegment(points) if len(points) > 3 else [
                points]:
            self._cubic(one, two, end)

    def qCurveTo(self, *points: tuple[float, float]) -> None:  # noqa: N802
        from fontTools.pens.basePen import decomposeQuadraticSegment

        for control, end in decomposeQuadraticSegment(points):
            start = self.outlines[-1][-1]
            self._cubic(tuple(s + 2 / 3 * (c - s) for s, c in zip(start, control)),
                        tuple(e + 2 / 3 * (c - e) for e, c in zip(end, control)), end)

    def _cubic(self, one: Any, two: Any, end: Any) -> None:
        start = self.outlines[-1][-1]
        for step in range(1, CURVE_STEPS + 1):
            t = step / CURVE_STEPS
            self.outlines[-1].append(tuple(
                (1 - t) ** 3 * a + 3 * (1 - t) ** 2 * t * b + 3 * (1 - t) * t * t * c + t ** 3 * d
                for a, b, c, d in zip(start, one, two, end)))

    def closePath(self) -> None:  # noqa: N802
        if self.outlines and self.outlines[-1]:
            self.outlines[-1].append(self.outlines[-1][0])

    def endPath(self) -> None:  # noqa: N802
        """An open contour: nothing to close."""


def _style(element: Any, inherited: dict[str, str]) -> dict[str, str]:
    """The element's style: what it inherits, its attributes, then its style="…"."""
    style = {k: v for k, v in inherited.items() if k in INHERITED}
    style.update({k: v for k, v in element.attrib.items() if isinstance(k, str) and "{" not in k})
    for declaration in (element.get("style") or "").split(";"):
        key, _, value = declaration.partition(":")
        if value.strip():
            style[key.strip()] = value.strip()
    return style


def _without_transform(element: Any) -> Any:
    """A copy of a shape without its transform (applied here, all kinds of it)."""
    from copy import copy

    bare = copy(element)
    bare.attrib.pop("transform", None)
    return bare


def _transform(text: str) -> Any:
    """An SVG transform list as one fontTools Transform."""
    from fontTools.misc.transform import Transform

    total = Transform()
    for kind, arguments in TRANSFORM.findall(text):
        values = [float(v) for v in re.split(r"[\s,]+", arguments.strip()) if v]
        if kind == "matrix" and len(values) == 6:
            total = total.transform(values)
        elif kind == "translate" and values:
            total = total.translate(values[0], values[1] if len(values) > 1 else 0)
        elif kind == "scale" and values:
            total = total.scale(values[0], values[1] if len(values) > 1 else values[0])
        elif kind == "rotate" and values:
            centre = values[1:3] if len(values) == 3 else [0.0, 0.0]
            total = total.translate(*centre).rotate(values[0] * 3.141592653589793 / 180) \
                .translate(-centre[0], -centre[1])
        elif kind in ("skewX", "skewY") and values:
            angle = values[0] * 3.141592653589793 / 180
            total = total.skew(angle, 0) if kind == "skewX" else total.skew(0, angle)
    return total


def _number(text: str | None, default: float = 0.0) -> float:
    found = re.match(r"\s*([-+]?[0-9]*\.?[0-9]+(?:[eE][-+]?[0-9]+)?)", text or "")
    return float(found.group(1)) if found else default
