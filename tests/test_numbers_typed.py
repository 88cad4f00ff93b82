"""Numbers are what the author typed: amounts by one rule, dates that exist, keys as they look.

YAML 1.1 reads `010` as 8, `0x10` as 16, `1:30` as 90 and `1_000` as 1000; an amount is read
from its text instead, and anything but an optional minus, digits without a leading zero and
optionally a dot and decimals (at most 15 digits before the point and 8 after) is an error at
its place with what to write. Each case goes through `check` and `render`: exit 1, the whole
message, nothing written. An impossible date is an error, not a crash; keys saved with
decomposed letters (macOS) are the keys they look like; the importer refuses an amount the
YAML could not hold. A property test: every amount the rule allows comes out in the tables
as the rounded Norwegian figure.
"""

from __future__ import annotations

import tempfile
import unicodedata
from collections.abc import Callable
from decimal import ROUND_HALF_UP, Decimal
from pathlib import Path

import pytest
from helpers import (
    MINIMAL_AREA,
    Project,
    Result,
    dump_yaml,
    errors_in_check,
    render_area,
    snapshot,
)
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from readers import docx_tables, html_document, open_docx

AREA = "inputs/2017-T1/08.yaml"
REPORT = "inputs/2017-T1/rapport.yaml"
NBSP, MINUS = "\u00a0", "\u2212"
FULL = "write the amount in full with a dot for decimals, such as 1250.5"
WHERE = "økonomisk_status.tall.rader[0].regnskap"
DATE_HINT = "write dates as YYYY-MM-DD, such as 2017-05-23"
YAML_DATE_HINT = DATE_HINT + "; if it is meant as text, put it in quotes"
SIXTY = "123456789012345678901234567890123456789012345678901234567890"
FORTY = "1234567890123456789012345678901234567890"


def area_with(amount: str) -> str:
    """An area file whose first row's accounts (line 9, column 19) are `amount` as typed."""
    return f"""\
ingress: Kort ingress.
økonomisk_status:
  fakta: Forbruk i tråd med budsjett.
  vurdering: Ingen avvik.
  konklusjon: Årsresultat i balanse.
  tall:
    rader:
      - navn: Næringsutvikling
        regnskap: {amount}
        budsjett: 4.3
        årsbudsjett: 12.9
        prognose: 12.9
"""


def refused(project: Project, cli: Callable[..., Result], files: dict[str, str],
            render: tuple[str, ...]) -> list[Result]:
    """`check` and `render` on the files: both fail with exit 1; nothing is written."""
    project.write(files)
    before = snapshot(project.root)
    checked, rendered = cli("check", "2017-T1"), cli(*render, "2017-T1", "--out", "out")
    assert (checked.code, rendered.code, rendered.out) == (1, 1, "")
    assert errors_in_check(checked.err) == rendered.err  # the same errors, in the same words
    assert snapshot(project.root) == before  # no out/ at all
    return [Result(checked.code, checked.out, errors_in_check(checked.err)), rendered]


# --- amounts --------------------------------------------------------------------------------

AMOUNT_CASES = {
    "010": ("010 has a leading zero; YAML reads it as the octal number 8", "write 10, not 010"),
    "09": ("09 has a leading zero", "write 9, not 09"),
    "0x10": ("0x10 is a hexadecimal number; YAML reads it as 16", FULL),
    "0b101": ("0b101 is a binary number; YAML reads it as 5", FULL),
    "0o17": ("0o17 is an octal number", FULL),
    "1:30": ("1:30 is a number in base 60, as minutes and seconds are; YAML reads it as 90",
             FULL),
    "1_000": ("1_000 has an underscore", "write 1000, not 1_000"),
    "1e3": ("1e3 has an exponent", "write 1000, not 1e3"),
    "1.0e+3": ("1.0e+3 has an exponent", "write 1000, not 1.0e+3"),
    "1e400": ("1e400 has an exponent", FULL),
    "1.0e+400": ("1.0e+400 has an exponent", FULL),
    ".inf": (".inf is infinity to YAML, not an amount", FULL),
    "-.inf": ("-.inf is infinity to YAML, not an amount", FULL),
    ".nan": ('.nan is "not a number" to YAML', FULL),
    "+5": ("+5 has a plus sign", "write 5, not +5"),
    ".5": (".5 has no digit before the decimal point", "write 0.5, not .5"),
    "12.": ("12. ends with a decimal point", "write 12, not 12."),
    "1.234.567": ("1.234.567 has more than one dot", FULL),
    SIXTY: (f"{SIXTY} has 60 digits before the decimal point; an amount has at most 15",
            "check the amount: it counts in the table's unit (enhet: mill. kr or 1000 kr)"),
    "1000000000000000": (
        "1000000000000000 has 16 digits before the decimal point; an amount has at most 15",
        "check the amount: it counts in the table's unit (enhet: mill. kr or 1000 kr)"),
    "4.123456789": ("4.123456789 has 9 decimals; an amount has at most 8",
                    "round it to at most 8 decimals: 4.12345679"),
    '"010"': ("010 has a leading zero", "write 10, not 010"),  # quoted: the same rule
    '"1e400"': ("1e400 has an exponent", FULL),
    "1 250,5": ("'1 250,5' is not a number", "write amounts with a dot decimal separator and"
                " no spaces (1250.5); formatting happens in the documents"),
}


@pytest.mark.parametrize("typed", AMOUNT_CASES)
def test_an_amount_yaml_would_misread_is_an_error_at_its_place(
        typed: str, project: Project, cli: Callable[..., Result]) -> None:
    message, hint = AMOUNT_CASES[typed]
    result = refused(project, cli, {AREA: area_with(typed)}, ("render", "08"))[0]
    assert result.err == f"{AREA}:9:19: error: {WHERE}: {message}\n  hint: {hint}\n"


@pytest.mark.parametrize(("typed", "shown"), [
    ("1250.5", "1\u00a0250,5"), ('"12.5"', "12,5"), ("-0", "0,0"), ("0.05", "0,1"),
    ("999999999999999.9999", "1\u00a0000\u00a0000\u00a0000\u00a0000\u00a0000,0"),
])
def test_amounts_by_the_rule_are_read_as_typed(
        typed: str, shown: str, project: Project, cli: Callable[..., Result]) -> None:
    """A quoted amount is read as before; the largest amount the rule allows renders."""
    project.write({AREA: area_with(typed)})
    assert cli("check", "2017-T1").code == 0
    result = cli("render", "08", "2017-T1", "--out", "out", "--format", "docx,html", "--quiet")
    assert (result.code, result.err) == (0, "")
    assert docx_tables(project.output("08.docx"))[0][1][1] == shown
    assert html_rows(project.output("08.html"))[0][1] == shown


def test_a_number_where_text_is_expected_is_shown_as_typed(
        project: Project, cli: Callable[..., Result]) -> None:
    text = area_with("1").replace("ingress: Kort ingress.", "ingress: 010")
    result = refused(project, cli, {AREA: text}, ("render", "08"))[0]
    assert result.err == (f"{AREA}:1:10: error: ingress: expected text, found the number 010\n"
                          "  hint: put the value in quotes\n")


# --- dates --------------------------------------------------------------------------------------

MINIMAL = {AREA: dump_yaml(MINIMAL_AREA)}
DATE_CASES = {
    "2017-02-30": ("2017-02-30 is not a date: February 2017 has 28 days", YAML_DATE_HINT),
    "2016-02-30": ("2016-02-30 is not a date: February 2016 has 29 days", YAML_DATE_HINT),
    "2017-13-01": ("2017-13-01 is not a date: there is no month 13", YAML_DATE_HINT),
    "2017-04-31": ("2017-04-31 is not a date: April 2017 has 30 days", YAML_DATE_HINT),
    "2017-05-23 25:00:00": ("2017-05-23 25:00:00 is not a date and time: hour must be in"
                            " 0..23", YAML_DATE_HINT),
    "2017-05-23 10:00": ("dato: '2017-05-23 10:00' is a date and a time of day; only a date"
                         " is expected here", DATE_HINT),
    "2017-05-23 10:00:00": ("dato: 2017-05-23 10:00:00 is a date and a time of day; only a"
                            " date is expected here", DATE_HINT),
    "2017-05-23T00:00:00Z": ("dato: 2017-05-23T00:00:00Z is a date and a time of day; only a"
                             " date is expected here", DATE_HINT),
    "!!int abc": ("invalid YAML: 'abc' is not a valid !!int",
                  "remove the `!` tag: inputs are plain text, numbers, lists and mappings"),
}


@pytest.mark.parametrize("typed", DATE_CASES)
def test_a_date_that_does_not_exist_is_an_error_not_a_crash(
        typed: str, project: Project, cli: Callable[..., Result]) -> None:
    message, hint = DATE_CASES[typed]
    files = {**MINIMAL, REPORT: f"tittel: Tertialrapport\ndato: {typed}\n"}
    result = refused(project, cli, files, ("render", "all"))[0]
    assert result.err == f"{REPORT}:2:7: error: {message}\n  hint: {hint}\n"


def test_text_that_looks_like_an_impossible_date_is_an_error_too(
        project: Project, cli: Callable[..., Result]) -> None:
    text = dump_yaml(MINIMAL_AREA).replace("Forbruk i tråd med budsjett.", "2017-02-30")
    result = refused(project, cli, {AREA: text}, ("render", "08"))[0]
    assert result.err == (f"{AREA}:3:10: error: 2017-02-30 is not a date: February 2017 has"
                          f" 28 days\n  hint: {YAML_DATE_HINT}\n")


# --- keys and text ------------------------------------------------------------------------------

NFD_SPRAAK = unicodedata.normalize("NFD", "språk")  # "spra" + U+030A, as macOS may save it
KOMMUNE = "kommune: Drammen kommune\n{key}: nn\nprogramområder:\n  \"08\": Næring\n"


def test_a_key_with_decomposed_letters_is_the_key_it_looks_like(
        project: Project, cli: Callable[..., Result]) -> None:
    assert NFD_SPRAAK != "språk" and len(NFD_SPRAAK) == 6
    area = area_with("4.1").replace("årsbudsjett", unicodedata.normalize("NFD", "årsbudsjett"))
    project.write({"inputs/kommune.yaml": KOMMUNE.format(key=NFD_SPRAAK), AREA: area})

    assert cli("check", "2017-T1").code == 0
    result = cli("render", "08", "2017-T1", "--out", "out", "--format", "html", "--quiet")
    assert (result.code, result.err) == (0, "")
    page = html_document(project.output("08.html"))
    assert page.find("html").attrs["lang"] == "nn"  # språk: nn was read
    assert html_rows(project.output("08.html"))[0][4] == "12,9"  # årsbudsjett was read


def test_the_same_key_written_twice_in_two_forms_is_a_duplicate(
        project: Project, cli: Callable[..., Result]) -> None:
    kommune = KOMMUNE.format(key=NFD_SPRAAK) + "språk: nb\n"
    result = refused(project, cli, {"inputs/kommune.yaml": kommune, **MINIMAL},
                     ("render", "08"))[0]
    assert result.err == (
        "inputs/kommune.yaml:5:1: error: duplicate key 'språk' (first written at line 2,"
        " with the same letters stored another way)\n"
        "  hint: YAML would silently keep only the last one; merge the two or rename one\n")


@pytest.mark.parametrize(("key", "character"), [
    ("spr\u0430k", "U+0430 CYRILLIC SMALL LETTER A"),  # a Cyrillic а for the å
    ('"språk\u200b"', "U+200B ZERO WIDTH SPACE"),
])
def test_did_you_mean_never_names_a_key_that_looks_the_same(
        key: str, character: str, project: Project, cli: Callable[..., Result]) -> None:
    result = refused(project, cli, {"inputs/kommune.yaml": KOMMUNE.format(key=key), **MINIMAL},
                     ("render", "08"))[0]
    written = key.strip('"')
    assert result.err == (
        f"inputs/kommune.yaml:2:1: error: unknown key {written!r}; did you mean 'språk'?\n"
        f"  hint: the key has {character}, which no key has; type the"
        " key again; the keys allowed here are kommune, språk, programområder, regnskapsimport, logo\n")


def test_text_values_are_never_normalised(project: Project, cli: Callable[..., Result]) -> None:
    """Keys are matched in composed form; the author's words keep the form they were saved in."""
    words = unicodedata.normalize("NFD", "Årsresultat på én linje")
    project.write({AREA: dump_yaml({**MINIMAL_AREA, "ingress": words})})
    result = cli("render", "08", "2017-T1", "--out", "out", "--format", "docx,html", "--quiet")
    assert result.code == 0
    assert words in project.output("08.html").read_text(encoding="utf-8")
    assert any(p.text == words for p in open_docx(project.output("08.docx")).paragraphs)


# --- import ---------------------------------------------------------------------------------

def import_amount(project: Project, cli: Callable[..., Result], cell: str, column: int = 1,
                  area: str = area_with("4.1")) -> Result:
    """Render the area, type `cell` in the first row's `column` (1: the accounts) in Word,
    import with --yes."""
    project.write({AREA: area})
    assert cli("render", "08", "2017-T1", "--out", "out", "--format", "docx",
               "--quiet").code == 0
    doc = open_docx(project.output("08.docx"))
    doc.tables[0].rows[1].cells[column].paragraphs[0].runs[0].text = cell
    doc.save(str(project.root / "08-redigert.docx"))
    return cli("import", project.root / "08-redigert.docx", "--inputs", "inputs", "--yes")


def test_import_refuses_an_amount_the_input_could_not_hold(
        project: Project, cli: Callable[..., Result]) -> None:
    result = import_amount(project, cli, FORTY)

    assert result.code == 0
    assert result.err == (
        "08-redigert.docx: note: table 7 (after 'Fakta'): row 'Næringsutvikling', column"
        f" 'Regnskap per april': '{FORTY}' has more digits than an amount may have (at most 15"
        " before the decimal comma and 8 after); the YAML value was kept\n")
    assert result.out == "nothing to import: the input file already gives this text\n"
    assert (project.inputs / "2017-T1" / "08.yaml").read_text(encoding="utf-8") == (
        area_with("4.1"))


def test_import_writes_the_largest_amount_exactly(
        project: Project, cli: Callable[..., Result]) -> None:
    """19 digits, more than a float holds: written as typed, and rendered back."""
    result = import_amount(project, cli, f"{MINUS}123{NBSP}456{NBSP}789{NBSP}012{NBSP}345,1234")

    assert (result.code, result.err) == (0, "")
    assert (project.inputs / "2017-T1" / "08.yaml").read_text(encoding="utf-8") == (
        area_with("-123456789012345.1234"))
    assert cli("check", "2017-T1").code == 0


def test_import_keeps_a_decomposed_key_as_it_was_saved(
        project: Project, cli: Callable[..., Result]) -> None:
    """The new annual budget goes under the key the file has, not beside it as a duplicate."""
    nfd = unicodedata.normalize("NFD", "årsbudsjett")
    area = area_with("4.1").replace("årsbudsjett", nfd)

    result = import_amount(project, cli, "13,5", column=4, area=area)

    assert (result.code, result.err) == (0, "")
    assert (project.inputs / "2017-T1" / "08.yaml").read_text(encoding="utf-8") == (
        area.replace(f"{nfd}: 12.9", f"{nfd}: 13.5"))
    assert cli("check", "2017-T1").code == 0


# --- every amount the rule allows, in the tables ----------------------------------------------

DECIMALS = {"mill. kr": 1, "1000 kr": 0}  # README.md, "Figures"
AMOUNT = st.one_of(
    st.builds(
        lambda minus, whole, decimals: f"{minus}{whole}{'.' + decimals if decimals else ''}",
        st.sampled_from(["", "-"]),
        st.one_of(st.just("0"), st.from_regex(r"[1-9][0-9]{0,14}", fullmatch=True)),
        st.from_regex(r"[0-9]{0,8}", fullmatch=True),
    ),
    st.sampled_from(["0.05", "-0.05", "0.04", "-0.0001", "1.25", "-1.25", "0.5", "-0.5",
                     "1.0", "-0", "999999999999999.99999999", "-999999999999999.99999999"]),
)


def norwegian(value: Decimal, unit: str) -> str:
    """The table's figure, worked out here: half up, comma, no-break spaces, a real minus."""
    places = DECIMALS[unit]
    rounded = value.quantize(Decimal(1).scaleb(-places), rounding=ROUND_HALF_UP)
    text = f"{abs(rounded) if rounded == 0 else rounded:,.{places}f}"
    return text.replace(",", NBSP).replace(".", ",").replace("-", MINUS)


def html_rows(path: Path) -> list[list[str]]:
    """The figures table's body rows in the HTML, as cell texts."""
    table = html_document(path).find("table")
    return [[cell.text() for cell in row.find_all("th", "td")]
            for row in table.find("tbody").find_all("tr")]


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(st.lists(AMOUNT, min_size=4, max_size=4), min_size=1, max_size=3),
       st.sampled_from(sorted(DECIMALS)))
def test_every_amount_the_rule_allows_comes_out_as_typed(
        rows: list[list[str]], unit: str) -> None:
    lines = [f"      - navn: Rad {i}\n        regnskap: {a}\n        budsjett: {b}\n"
             f"        årsbudsjett: {c}\n        prognose: {d}\n"
             for i, (a, b, c, d) in enumerate(rows)]
    text = (area_with("0").split("    rader:\n")[0] + f"    enhet: {unit}\n    rader:\n"
            + "".join(lines))
    exact = [[Decimal(t) for t in row] for row in rows]
    want = [[f"Rad {i}"] + [norwegian(v, unit) for v in (a, b, b - a, c, d, c - d)]
            for i, (a, b, c, d) in enumerate(exact)]
    if len(rows) > 1:
        sums = [sum(column, Decimal(0)) for column in zip(*exact)]
        a, b, c, d = sums
        want.append(["Sum"] + [norwegian(v, unit) for v in (a, b, b - a, c, d, c - d)])
    with tempfile.TemporaryDirectory() as folder:
        out = render_area(Path(folder), text)
        assert html_rows(out / "08.html") == want
        assert docx_tables(out / "08.docx")[0][1:] == want
