"""The PDF's stylesheets parsed once per process (reportgen.render.pdfstyles): which pages may
have their styles taken apart, and what is taken."""

from __future__ import annotations

import pytest

from reportgen.render import pdfstyles

HEAD = ('<!DOCTYPE html><html><head><style media="screen">@font-face {{ }}</style>\n'
        "<style>body {{ color: red; }}</style>\n{extra}</head><body><p>x</p></body></html>")


def test_the_page_styles_are_taken_out_in_order_and_the_screen_fonts_dropped() -> None:
    page, texts = pdfstyles.page_without_styles(HEAD.format(extra=""))  # type: ignore[misc]
    assert texts == ["body { color: red; }"]
    assert "<style" not in page
    assert page.endswith("</head><body><p>x</p></body></html>")


@pytest.mark.parametrize("extra", [
    '<link rel="stylesheet" href="extra.css">',
    '<style media="print">p { color: blue; }</style>',
    "<style>@counter-style thumbs { system: cyclic; symbols: x; }</style>",
    '<style>@import "more.css";</style>',
])
def test_a_page_with_other_stylesheets_keeps_them(extra: str) -> None:
    assert pdfstyles.page_without_styles(HEAD.format(extra=extra)) is None


def test_a_style_in_the_body_keeps_the_page_as_it_is() -> None:
    page = HEAD.format(extra="").replace("<p>x</p>", "<style>p { margin: 0; }</style><p>x</p>")
    assert pdfstyles.page_without_styles(page) is None


def test_print_css_with_rules_kept_per_document_is_not_parsed_once() -> None:
    assert pdfstyles.kept_apart(b"@page { size: A4; }")
    assert not pdfstyles.kept_apart(b'@import url("more.css");')
    assert not pdfstyles.kept_apart("@layer base { p { margin: 0; } }")
