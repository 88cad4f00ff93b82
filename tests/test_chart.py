"""The deviation chart on its own: one layout, drawn as SVG (templates/html/chart.svg.j2) and as
PNG (Pillow) for DOCX. Read back with the standard library's XML parser, zlib-free PNG chunk
reading and Pillow."""

from __future__ import annotations

import struct
import subprocess
import sys
import xml.etree.ElementTree as ET
from decimal import Decimal
from pathlib import Path

import pytest
from helpers import ROOT, TEMPLATES

from reportgen.present.numbers import format_amount
from reportgen.present.numbers import format_plain as format_tick
from reportgen.render.chart import NEGATIVE, POSITIVE, chart_layout, chart_png
from reportgen.render.html import render_chart_svg
from reportgen.view import Bar, Chart

SVG = "{http://www.w3.org/2000/svg}"
FONTS = TEMPLATES / "fonts"
MINUS = "\u2212"

AREAS = [("01 Barnehage", "-1.5"), ("04 Byutvikling", "1.4"), ("05 Helse-, sosial og omsorg", "-6.8"),
         ("10 Politisk styring", "0.1"), ("14 Vann og avløp", "0"),
         ("Vann $\\frac og $ <avløp> & \"co\" 'x'", "12.25")]


def make_chart(areas: list[tuple[str, str]] = AREAS) -> Chart:
    return Chart(
        caption="Avvik per april 2017 for hvert programområde (mill. kr)",
        alt="Liggende søylediagram over avviket per april <for> hvert programområde & mer.",
        unit="mill. kr",
        bars=tuple(Bar(name, Decimal(v), format_amount(Decimal(v), "mill. kr"))
                   for name, v in areas),
    )


def svg_root(chart: Chart) -> ET.Element:
    return ET.fromstring(render_chart_svg(chart, TEMPLATES).encode("utf-8"))


def png_chunks(data: bytes) -> list[tuple[bytes, bytes]]:
    assert data[:8] == b"\x89PNG\r\n\x1a\n"
    chunks, at = [], 8
    while at < len(data):
        (length,) = struct.unpack(">I", data[at:at + 4])
        chunks.append((data[at + 4:at + 8], data[at + 8:at + 8 + length]))
        at += 12 + length
    return chunks


# --- SVG -----------------------------------------------------------------------------------------

def test_svg_texts_hold_every_label_and_value_in_order() -> None:
    chart = make_chart()
    texts = [t.text for t in svg_root(chart).iter(f"{SVG}text")]
    expected = [s for bar in chart.bars for s in (bar.label, bar.shown)]
    assert texts[:len(expected)] == expected  # literally: `$`, `<`, `&`, quotes as written
    assert texts[-1] == "mill. kr"
    assert [bar.shown for bar in chart.bars] == ["−1,5", "1,4", "−6,8", "0,1", "0,0", "12,3"]


def test_svg_bars_are_coloured_by_sign() -> None:
    chart = make_chart()
    groups = [g for g in svg_root(chart).iter(f"{SVG}g") if g.get("class") == "bar"]
    assert len(groups) == len(chart.bars)
    for group, bar in zip(groups, chart.bars):
        (rect,) = group.iter(f"{SVG}rect")
        assert rect.get("fill") == (POSITIVE if bar.value >= 0 else NEGATIVE), bar.label
        zero = chart_layout(chart).zero.x1
        x, width = float(rect.get("x")), float(rect.get("width"))
        if bar.value > 0:
            assert x == pytest.approx(zero, abs=0.02) and width > 0
        elif bar.value < 0:
            assert x + width == pytest.approx(zero, abs=0.02) and width > 0


def test_svg_is_an_accessible_image_in_carlito_with_real_text() -> None:
    chart = make_chart()
    root = svg_root(chart)
    assert root.tag == f"{SVG}svg" and root.get("role") == "img"
    assert root.get("font-family") == "Carlito, Calibri, sans-serif"
    assert root.find(f"{SVG}title").text == chart.caption
    assert root.find(f"{SVG}desc").text == chart.alt
    assert root.get("width") == "453.5pt"  # 16 cm
    assert not list(root.iter(f"{SVG}path"))  # text is text, not outlines


def test_ticks_are_nice_symmetric_and_norwegian() -> None:
    layout = chart_layout(make_chart([("a", "-6.8"), ("b", "1.4")]))
    assert [t.text for t in layout.tick_labels] == [
        "−10", "−8", "−6", "−4", "−2", "0", "2", "4", "6", "8", "10"]
    xs = [t.x for t in layout.tick_labels]
    assert xs[5] == pytest.approx(layout.zero.x1)
    assert xs[5] - xs[0] == pytest.approx(xs[-1] - xs[5], abs=0.02)  # symmetric around zero
    small = chart_layout(make_chart([("a", "0.3"), ("b", "-0.2")]))
    assert [t.text for t in small.tick_labels] == [
        "−0,4", "−0,3", "−0,2", "−0,1", "0", "0,1", "0,2", "0,3", "0,4"]
    assert format_tick(Decimal("-12500")) == f"{MINUS}12\u00a0500"
    assert format_tick(Decimal("2.50")) == "2,5"


def test_values_fit_inside_the_plot_and_labels_inside_their_column() -> None:
    for areas in (AREAS, [("x" * 40, "-12345.6"), ("y", "800"), ("z", "0.04")],
                  [("x", "0")], [("x", "-0.1")], [("x", "99.9"), ("y", "-99.9")]):
        layout = chart_layout(make_chart(areas))
        left, right = layout.axis.x1, layout.axis.x2
        for bar in layout.bars:
            assert left <= bar.rect.x and bar.rect.x + bar.rect.width <= right
            width = len(bar.value.text) * 0.51 * bar.value.size  # Carlito's digits: 0.507 em
            if bar.value.anchor == "start":
                assert bar.value.x + width <= right, bar.value.text
            else:
                assert bar.value.x - width >= left, bar.value.text
            assert bar.label.anchor == "end" and bar.label.x < left
        assert layout.tick_labels[0].text.startswith(MINUS)
        assert all(t.text.count(MINUS) <= 1 and "-" not in t.text for t in layout.tick_labels)


def test_forty_characters_of_name_fit_the_label_column() -> None:
    from PIL import ImageFont

    name = "05 Helse- og omsorgstjenester, barnevern"  # 40 characters
    layout = chart_layout(make_chart([(name, "1")]))
    label = layout.bars[0].label
    font = ImageFont.truetype(str(FONTS / "Carlito-Regular.ttf"), 100)
    assert font.getlength(name) / 100 * label.size <= label.x


def test_names_are_one_line() -> None:
    layout = chart_layout(make_chart([("Vann\nog\tavløp  (VA)", "1")]))
    assert layout.bars[0].label.text == "Vann og avløp  (VA)"


# --- PNG -----------------------------------------------------------------------------------------

def test_png_is_300_dpi_16_cm_wide_and_without_metadata() -> None:
    data = chart_png(make_chart(), FONTS)
    chunks = png_chunks(data)
    kinds = [kind for kind, _ in chunks]
    assert kinds[0] == b"IHDR" and kinds[-1] == b"IEND"
    assert set(kinds) <= {b"IHDR", b"pHYs", b"IDAT", b"IEND"}  # no tEXt, iTXt, tIME
    width, height = struct.unpack(">II", dict(chunks)[b"IHDR"][:8])
    x, y, unit = struct.unpack(">IIB", dict(chunks)[b"pHYs"])
    assert (x, y, unit) == (11811, 11811, 1)  # pixels per metre: 300 dpi
    assert width == 1890 and width / x * 100 == pytest.approx(16.0, abs=0.01)  # cm
    assert height == round(chart_layout(make_chart()).height * 300 / 72)


def test_png_bars_have_the_layouts_colours() -> None:
    from io import BytesIO

    from PIL import Image

    chart = make_chart()
    image = Image.open(BytesIO(chart_png(chart, FONTS))).convert("RGB")
    scale = 300 / 72
    for bar in chart_layout(chart).bars:
        r = bar.rect
        if r.width * scale < 4:
            continue
        pixel = image.getpixel((round((r.x + r.width / 2) * scale),
                                round((r.y + r.height / 2) * scale)))
        assert "#%02x%02x%02x" % pixel == r.fill, bar.label.text


def test_png_is_the_same_bytes_every_time() -> None:
    chart = make_chart()
    first = chart_png(chart, FONTS)
    chart_layout.cache_clear()
    assert chart_png(chart, FONTS) == first
    # and in another process (another hash seed, nothing cached)
    script = (
        "import sys; sys.path.insert(0, 'tests'); from test_chart import make_chart, FONTS;"
        "from reportgen.render.chart import chart_png;"
        "sys.stdout.buffer.write(chart_png(make_chart(), FONTS))"
    )
    other = subprocess.run([sys.executable, "-c", script], cwd=ROOT, capture_output=True,
                           check=True, env={"PYTHONHASHSEED": "12345", "PATH": ""}).stdout
    assert other == first


def test_a_name_with_markup_and_dollars_draws_without_error(tmp_path: Path) -> None:
    chart = make_chart([("Vann $\\frac og $ <avløp> & co", "-1"), ("$x$", "2")])
    assert chart_png(chart, FONTS)[:4] == b"\x89PNG"
    svg = render_chart_svg(chart, TEMPLATES)
    assert "Vann $\\frac og $ &lt;avløp&gt; &amp; co" in svg
