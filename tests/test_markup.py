"""The Markdown subset of the text fields (DESIGN.md section 3): reportgen.markup."""

from __future__ import annotations

from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from reportgen.markup import escape, parse_blocks, parse_spans


def spans(items: Any) -> list[tuple[str, ...]]:
    """Spans as short tuples: (text,) plain, then the flags that are set: 'b', 'i', href."""
    out = []
    for s in items:
        flags = (("b",) if s.bold else ()) + (("i",) if s.italic else ()) + (
            (s.href,) if s.href else ()
        )
        out.append((s.text, *flags))
    return out


def shape(blocks: Any) -> list[tuple[Any, ...]]:
    """Blocks as plain tuples, independent of the view classes' other fields."""
    out: list[tuple[Any, ...]] = []
    for b in blocks:
        if b.kind == "paragraph":
            out.append(("p", spans(b.spans)))
        elif b.kind == "list":
            out.append(("ol" if b.ordered else "ul", b.start, [spans(i) for i in b.items]))
        elif b.kind == "heading":
            out.append(("h", b.level, b.text))
        else:
            raise AssertionError(f"unexpected block {b!r}")
    return out


def text_of(blocks: Any) -> list[str]:
    """The literal text of each block (span texts joined; a list's items joined)."""
    out = []
    for b in blocks:
        if b.kind == "heading":
            out.append(b.text)
        elif b.kind == "paragraph":
            out.append("".join(s.text for s in b.spans))
        else:
            out.append("".join(s.text for item in b.items for s in item))
    return out


# --- blocks --------------------------------------------------------------------------------------

def test_lines_of_a_paragraph_fold_into_one_and_blank_lines_separate() -> None:
    text = "Første linje\nandre linje  \n\n\n\nNytt avsnitt\n"
    assert shape(parse_blocks(text, 3)) == [
        ("p", [("Første linje andre linje",)]),
        ("p", [("Nytt avsnitt",)]),
    ]


def test_only_spaces_and_tabs_are_trimmed_not_no_break_spaces() -> None:
    assert shape(parse_blocks("\t a  b\u00a0 \t", 3)) == [("p", [("a  b\u00a0",)])]


def test_empty_text_has_no_blocks() -> None:
    assert parse_blocks("", 3) == [] and parse_blocks("  \n\t\n", 3) == []


def test_bullet_list_with_continuation_line() -> None:
    text = "Innledning:\n- første\n- andre\n  fortsetter\n\nEtterpå."
    assert shape(parse_blocks(text, 3)) == [
        ("p", [("Innledning:",)]),
        ("ul", 1, [[("første",)], [("andre fortsetter",)]]),
        ("p", [("Etterpå.",)]),
    ]


def test_blank_line_between_items_keeps_one_list() -> None:
    assert shape(parse_blocks("- a\n\n- b", 3)) == [("ul", 1, [[("a",)], [("b",)]])]


def test_numbered_list_keeps_its_start_number() -> None:
    assert shape(parse_blocks("3. tre\n4. fire", 3)) == [
        ("ol", 3, [[("tre",)], [("fire",)]])
    ]
    assert shape(parse_blocks("10. ti\n11. elleve", 3))[0][:2] == ("ol", 10)


def test_numbered_line_inside_a_paragraph_is_text_unless_a_list_follows() -> None:
    # "per\n2. tertial" and "i\n1. tertial" are wrapped sentences, not lists; "1." and "2."
    # after text start a list.
    assert shape(parse_blocks("Tall per\n2. tertial 2017", 3)) == [
        ("p", [("Tall per 2. tertial 2017",)])
    ]
    assert shape(parse_blocks("Det er i\n1. tertial gjennomført\nto møter.", 3)) == [
        ("p", [("Det er i 1. tertial gjennomført to møter.",)])
    ]
    assert shape(parse_blocks("Slik:\n1. først\n2. så", 3)) == [
        ("p", [("Slik:",)]),
        ("ol", 1, [[("først",)], [("så",)]]),
    ]


def test_a_lone_numbered_line_is_text() -> None:
    # A paragraph may begin with "1. tertial"; a list has at least two items.
    assert shape(parse_blocks("1. tertial 2017 viser et merforbruk.\n\n- a", 3)) == [
        ("p", [("1. tertial 2017 viser et merforbruk.",)]),
        ("ul", 1, [[("a",)]]),
    ]


def test_two_numbered_lists_separated_by_text_are_two_lists() -> None:
    text = "1. a\n2. b\n\nMellom.\n\n1. c\n2. d"
    assert shape(parse_blocks(text, 3)) == [
        ("ol", 1, [[("a",)], [("b",)]]),
        ("p", [("Mellom.",)]),
        ("ol", 1, [[("c",)], [("d",)]]),
    ]


def test_switching_between_bullets_and_numbers_starts_a_new_list() -> None:
    assert shape(parse_blocks("- a\n1. b\n2. c", 3)) == [
        ("ul", 1, [[("a",)]]),
        ("ol", 1, [[("b",)], [("c",)]]),
    ]


def test_not_a_list_without_space_or_with_deep_indent() -> None:
    assert shape(parse_blocks("-2,5 mill. kr\n1.5 mill", 3)) == [
        ("p", [("-2,5 mill. kr 1.5 mill",)])
    ]
    assert shape(parse_blocks("    - kode", 3)) == [("p", [("- kode",)])]
    assert shape(parse_blocks("   - innrykk", 3)) == [("ul", 1, [[("innrykk",)]])]


@pytest.mark.parametrize(("level", "text", "expected"), [
    (3, "# Økte husleieutgifter fra 2017", [("h", 3, "Økte husleieutgifter fra 2017")]),
    (3, "## Detalj", [("h", 4, "Detalj")]),
    (4, "# Under\n## Under under", [("h", 4, "Under"), ("h", 5, "Under under")]),
    (3, "# **Fet** tittel  ", [("h", 3, "Fet tittel")]),
    (3, "#hashtag", [("p", [("#hashtag",)])]),
    (3, "#", [("p", [("#",)])]),
    (3, "####### sju", [("p", [("####### sju",)])]),
])
def test_headings_are_relative_to_the_level_given(
    level: int, text: str, expected: list[tuple[Any, ...]]
) -> None:
    assert shape(parse_blocks(text, level)) == expected


def test_heading_ends_the_paragraph_and_list_before_it() -> None:
    text = "Tekst\n# Overskrift\n- punkt\n# Neste"
    assert shape(parse_blocks(text, 4)) == [
        ("p", [("Tekst",)]),
        ("h", 4, "Overskrift"),
        ("ul", 1, [[("punkt",)]]),
        ("h", 4, "Neste"),
    ]


# --- spans ---------------------------------------------------------------------------------------

@pytest.mark.parametrize(("text", "expected"), [
    ("**fet** og *kursiv*", [("fet", "b"), (" og ",), ("kursiv", "i")]),
    ("***begge***", [("begge", "b", "i")]),
    ("**fet *inni* fet**", [("fet ", "b"), ("inni", "b", "i"), (" fet", "b")]),
    ("*kursiv **fet** kursiv*", [("kursiv ", "i"), ("fet", "b", "i"), (" kursiv", "i")]),
    ("**a *b***", [("a ", "b"), ("b", "b", "i")]),
])
def test_bold_italic_and_nesting(text: str, expected: list[tuple[str, ...]]) -> None:
    assert spans(parse_spans(text)) == expected


@pytest.mark.parametrize("text", [
    "2 * 3 * 4",
    "*ikke lukket",
    "**ikke lukket",
    "a * b*",
    "* a*",
    "*a *",
    "**",
    "****",
    "Stjerne* her",
])
def test_unmatched_or_spaced_asterisks_stay_literal(text: str) -> None:
    assert spans(parse_spans(text)) == [(text,)]


@pytest.mark.parametrize(("text", "expected"), [
    ("Se [rapporten](https://www.drammen.kommune.no/rapport).",
     [("Se ",), ("rapporten", "https://www.drammen.kommune.no/rapport"), (".",)]),
    ("[nettside](http://example.no)", [("nettside", "http://example.no")]),
    ("[skriv](mailto:post@drammen.kommune.no)", [("skriv", "mailto:post@drammen.kommune.no")]),
    ("[**fet lenke**](https://a.no)", [("fet lenke", "b", "https://a.no")]),
    ("**[lenke](https://a.no)**", [("lenke", "b", "https://a.no")]),
    ("[a\\]b](https://a.no)", [("a]b", "https://a.no")]),
])
def test_links_for_http_https_and_mailto(text: str, expected: list[tuple[str, ...]]) -> None:
    assert spans(parse_spans(text)) == expected


@pytest.mark.parametrize("text", [
    "[klikk](javascript:alert(1))",
    "[fil](file:///etc/passwd)",
    "[ftp](ftp://example.no)",
    "[relativ](/side)",
    "[mellomrom]( https://a.no)",
    "[data](data:text/html,<b>x</b>)",
])
def test_other_link_targets_stay_literal(text: str) -> None:
    assert spans(parse_spans(text)) == [(text,)]


@pytest.mark.parametrize("text", [
    "{{ 7*7 }} og {% raw %} og {# kommentar #}",
    "<b>fet</b> <script>alert(1)</script>",
    "Tom & Jerry &amp; &lt; &#169;",
    "«sitat» \"dobbel\" 'enkel' – ‘typografisk’",
    "Æ Ø Å æ ø å é ü",
    "100 % av 1.5 mill. [sic] (se over)",
])
def test_everything_else_is_literal(text: str) -> None:
    assert shape(parse_blocks(text, 3)) == [("p", [(text,)])]


@pytest.mark.parametrize(("text", "expected"), [
    ("\\*ikke kursiv\\*", "*ikke kursiv*"),
    ("\\*\\*ikke fet\\*\\*", "**ikke fet**"),
    ("\\[ikke](https://lenke.no)", "[ikke](https://lenke.no)"),
    ("C:\\mappe\\fil", "C:\\mappe\\fil"),  # a backslash before other characters stays
    ("slutt\\", "slutt\\"),
])
def test_backslash_escapes(text: str, expected: str) -> None:
    assert spans(parse_spans(text)) == [(expected,)]


def test_escaped_backslash_before_markup() -> None:
    assert spans(parse_spans("\\\\*kursiv*")) == [("\\",), ("kursiv", "i")]


@pytest.mark.parametrize(("text", "expected"), [
    ("\\# ikke overskrift", [("p", [("# ikke overskrift",)])]),
    ("\\- ikke punkt", [("p", [("- ikke punkt",)])]),
    ("1\\. ikke nummer", [("p", [("1. ikke nummer",)])]),
])
def test_escaped_line_starts_are_paragraphs(text: str, expected: list[Any]) -> None:
    assert shape(parse_blocks(text, 3)) == expected


# --- escape ------------------------------------------------------------------------------------

def test_escape_marks_only_what_would_be_markup() -> None:
    assert escape("Vanlig tekst, 2 + 2 = 4.") == "Vanlig tekst, 2 + 2 = 4."
    assert escape("# a\n- b\n1. c\n*d* [e] \\* \\q") == (
        "\\# a\n\\- b\n1\\. c\n\\*d\\* \\[e] \\\\\\* \\q"
    )


# Characters XML can carry (tab, CR and everything from U+0020 except surrogates and U+FFFE/F),
# without the newline: one line of text.
XML_CHAR = st.characters(blacklist_categories=("Cs",), blacklist_characters="\n").filter(
    lambda c: c in "\t\r" or (c >= " " and c not in "\ufffe\uffff")
)
MARKUP_PIECES = st.sampled_from([
    "*", "**", "***", "\\", "[", "]", "(", ")", "](", "https://a.no", "mailto:x@y.no", "#", "# ",
    "-", "- ", "1.", "1. ", "12. ", " ", "\t", "{{", "}}", "<b>", "&", "\u00a0",
])
LINE = st.lists(st.one_of(MARKUP_PIECES, XML_CHAR), max_size=40).map("".join)


@settings(max_examples=400, deadline=None)
@given(LINE)
def test_escaped_line_parses_back_to_the_same_text(line: str) -> None:
    # escape() promises: the markup parses back to exactly that text (ends trimmed of spaces
    # and tabs, as any line is), with no formatting and no links.
    blocks = parse_blocks(escape(line), 3)
    assert "".join(text_of(blocks)) == line.strip(" \t")
    assert all(b.kind == "paragraph" for b in blocks)
    assert all(not (s.bold or s.italic or s.href) for b in blocks for s in b.spans)


@settings(max_examples=200, deadline=None)
@given(st.lists(LINE, min_size=1, max_size=6))
def test_escaped_lines_fold_into_paragraphs_without_losing_text(lines: list[str]) -> None:
    blocks = parse_blocks(escape("\n".join(lines)), 3)
    assert all(b.kind == "paragraph" for b in blocks)
    words = [line.strip(" \t") for line in lines if line.strip(" \t")]
    assert " ".join(text_of(blocks)) == " ".join(words)
