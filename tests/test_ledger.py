"""`reportgen import FILE.xlsx|.csv|.ods --period`: a ledger export's amounts into every area's
figures (DESIGN.md section 4c). The exports are made here with openpyxl, as text, or by
LibreOffice; the YAML is read back as text, and the next render shows the amounts."""

from __future__ import annotations

import zipfile
from pathlib import Path

import openpyxl
import pytest
from helpers import KOMMUNE, MINIMAL_AREA, Project, dump_yaml, snapshot
from readers import docx_tables

AREA_07 = """\
# Ledelse: skrevet av forfatteren.
ingress: Kort ingress.
økonomisk_status:
  fakta: Forbruk i tråd med budsjett.   # kommentaren blir stående
  tall:
    enhet: mill. kr
    rader:
      - navn: Sentraladministrasjon
        regnskap: 1.0
        budsjett: 2.0
        årsbudsjett: 6.0
        prognose: 6.5    # forfatterens prognose
      - navn: Fellesutgifter
        regnskap: 0.5
        budsjett: 0.5
        årsbudsjett: 1.5
        prognose: 1.5
  vurdering: Ingen avvik.
  konklusjon: Årsresultat i balanse.
"""
AREA_08 = dump_yaml({**MINIMAL_AREA, "økonomisk_status": {
    **MINIMAL_AREA["økonomisk_status"],
    "tall": {"enhet": "1000 kr", "rader": [
        {"navn": "Næringsutvikling", "regnskap": 4100, "budsjett": 4300, "årsbudsjett": 12900,
         "prognose": 12900}]}}})
HEADINGS = ["Område", "Rad", "Regnskap", "Budsjett", "Årsbudsjett"]
ROWS = [
    ["07 Ledelse, organisering og styring", "Sentraladministrasjon", 1234567.5, 2000000, 6000000],
    ["07", "Fellesutgifter", 500000, 500000, 1500000],
    [8, "Næringsutvikling", 4150500, 4300000, 12900000],
]


@pytest.fixture
def areas(project: Project) -> Project:
    project.write_area("07", AREA_07)
    project.write_area("08", AREA_08)
    return project


def workbook(path: Path, rows: list[list[object]], headings: list[str] = HEADINGS,
             title: str = "Drift", preamble: int = 2) -> Path:
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.title = title
    for _ in range(preamble):
        sheet.append(["Regnskapsrapport per april 2017"])
    sheet.append(headings)
    for row in rows:
        sheet.append(row)
    book.save(path)
    return path


def area_text(project: Project, code: str) -> str:
    return (project.inputs / "2017-T1" / f"{code}.yaml").read_text(encoding="utf-8")


def test_amounts_land_in_their_rows_and_nothing_else_changes(areas: Project, cli) -> None:
    export = workbook(areas.root / "regnskap.xlsx", ROWS)
    result = cli("import", export, "--period", "2017-T1", "--yes")
    assert result.code == 0, result.err
    text = area_text(areas, "07")
    assert text == AREA_07.replace("regnskap: 1.0", "regnskap: 1.2345675")
    assert "prognose: 12900\n" in area_text(areas, "08")  # 1000 kr: 4150500 kr = 4150.5
    assert "regnskap: 4150.5\n" in area_text(areas, "08")
    assert "07 Ledelse, organisering og styring: 1 row(s) changed, 0 added, 1 unchanged" in result.out
    assert "08 Kompetanse, markedsføring og næring: 1 row(s) changed, 0 added, 0 unchanged" in result.out
    assert "total regnskap: 5\xa0885\xa0067,5 kr in the file = 5\xa0885\xa0067,5 kr written" in result.out
    render = cli("render", "07", "08", "2017-T1", "--format", "docx", "--out", areas.out)
    assert render.code == 0, render.err
    table = docx_tables(areas.output("07.docx"))[0]
    assert table[1][:3] == ["Sentraladministrasjon", "1,2", "2,0"]
    assert cli("import", export, "--period", "2017-T1", "--yes").out.startswith("07 ")


def test_a_new_row_is_added_with_its_forecast_left_for_the_author(areas: Project, cli) -> None:
    export = workbook(areas.root / "regnskap.xlsx",
                      [*ROWS, ["07", "Politisk sekretariat", 100000, 120000, 360000]])
    result = cli("import", export, "--period", "2017-T1", "--yes")
    assert result.code == 0, result.err
    assert ("      - navn: Politisk sekretariat\n        regnskap: 0.1\n        budsjett: 0.12\n"
            "        årsbudsjett: 0.36\n        prognose:  # FYLL UT\n") in area_text(areas, "07")
    assert "fill in their `prognose`" in result.err
    check = cli("check", "2017-T1")
    assert check.code == 1 and "prognose: the amount is not filled in" in check.err


def test_a_csv_export_in_1000_kr_with_the_municipalitys_own_headings(project: Project,
                                                                     cli) -> None:
    kommune = {**KOMMUNE, "regnskapsimport": {
        "område": "Ansvar", "rad": "Tjeneste", "regnskap": "Regnskap hittil",
        "budsjett": "Periodisert budsjett", "årsbudsjett": "Revidert budsjett",
        "enhet": "1000 kr"}}
    project.write({"inputs/kommune.yaml": dump_yaml(kommune)})
    project.write_area("07", AREA_07)
    export = project.root / "eksport.csv"
    export.write_bytes(("Ansvar;Tjeneste;Regnskap hittil;Periodisert budsjett;Revidert budsjett\n"
                        "07;Sentraladministrasjon;1 250,5;2 000;6 000\n"
                        "07;Fellesutgifter;500;500;1 500\n").encode("cp1252"))
    result = cli("import", export, "--period", "2017-T1", "--yes")
    assert result.code == 0, result.err
    assert "regnskap: 1.2505\n" in area_text(project, "07")
    assert "    fakta: Forbruk i tråd med budsjett.   # kommentaren blir stående\n".strip() in \
        area_text(project, "07")


@pytest.mark.parametrize(("rows", "message"), [
    ([["09", "Idrett", 1, 2, 3]],
     "regnskap.xlsx, sheet Drift, row 4, column A: error: area 09 is not in the register"),
    ([ROWS[0], ["07", "Sentraladministrasjon", 1, 2, 3]],
     "regnskap.xlsx, sheet Drift, row 5, column B: error: area 07, row 'Sentraladministrasjon'"
     " is given twice (first at regnskap.xlsx, sheet Drift, row 4, column B)"),
    ([["07", "Fellesutgifter", "mye", 2, 3]],
     "regnskap.xlsx, sheet Drift, row 4, column C: error: 'mye' is not an amount"),
    ([["x7", "Fellesutgifter", 1, 2, 3]],
     "regnskap.xlsx, sheet Drift, row 4, column A: error: 'x7' is not an area code"),
    ([*ROWS, [None, "Sum", 1, 1, 1]],
     "regnskap.xlsx: error: the export's total for regnskap is 1 kr, but its rows add up to"),
])
def test_every_problem_is_named_by_sheet_row_and_column_and_nothing_is_written(
        areas: Project, cli, rows: list[list[object]], message: str) -> None:
    export = workbook(areas.root / "regnskap.xlsx", rows)
    before = snapshot(areas.inputs)
    result = cli("import", export, "--period", "2017-T1", "--yes")
    assert result.code == 1
    assert message in result.err
    assert "  hint: " in result.err
    assert snapshot(areas.inputs) == before


def test_a_missing_column_names_the_headings_to_use(areas: Project, cli) -> None:
    export = workbook(areas.root / "regnskap.xlsx", ROWS, headings=HEADINGS[:4])
    before = snapshot(areas.inputs)
    result = cli("import", export, "--period", "2017-T1", "--yes")
    assert result.code == 1
    assert result.err.startswith("regnskap.xlsx: error: no sheet has the columns Område, Rad,"
                                 " Regnskap, Budsjett, Årsbudsjett\n  hint: ")
    assert "regnskapsimport:" in result.err
    assert snapshot(areas.inputs) == before


def test_all_problems_of_the_file_are_listed_at_once(areas: Project, cli) -> None:
    export = workbook(areas.root / "regnskap.xlsx", [["09", "A", 1, 2, 3], ["07", "B", "?", 2, 3]])
    result = cli("import", export, "--period", "2017-T1", "--yes")
    assert result.code == 1
    assert result.err.count(": error: ") == 2


def test_rows_for_an_area_without_a_file_point_at_new(project: Project, cli) -> None:
    project.write_area("07", AREA_07)
    export = workbook(project.root / "regnskap.xlsx", ROWS)
    result = cli("import", export, "--period", "2017-T1", "--yes")
    assert result.code == 1
    assert "inputs/2017-T1/08.yaml does not exist" in result.err
    assert "reportgen new 08 2017-T1" in result.err
    assert area_text(project, "07") == AREA_07


def test_without_period_the_command_line_says_what_is_missing(areas: Project, cli) -> None:
    export = workbook(areas.root / "regnskap.xlsx", ROWS)
    result = cli("import", export, "--yes")
    assert result.code == 2
    assert "needs --period" in result.err


def test_crlf_files_stay_crlf(areas: Project, cli) -> None:
    path = areas.inputs / "2017-T1" / "07.yaml"
    path.write_bytes(AREA_07.replace("\n", "\r\n").encode())
    export = workbook(areas.root / "regnskap.xlsx", ROWS)
    assert cli("import", export, "--period", "2017-T1", "--yes").code == 0
    data = path.read_bytes()
    assert data.count(b"\r\n") == data.count(b"\n") and b"regnskap: 1.2345675\r\n" in data


def ods(path: Path, rows: list[list[object]]) -> Path:
    """A minimal OpenDocument spreadsheet, as LibreOffice Calc writes one (one sheet)."""
    def cell(value: object) -> str:
        if value is None:
            return "<table:table-cell/>"
        if isinstance(value, (int, float)):
            return (f'<table:table-cell office:value-type="float" office:value="{value}">'
                    f"<text:p>{value}</text:p></table:table-cell>")
        return f'<table:table-cell office:value-type="string"><text:p>{value}</text:p></table:table-cell>'

    body = "".join("<table:table-row>" + "".join(cell(v) for v in row) + "</table:table-row>"
                   for row in rows)
    content = (
        '<?xml version="1.0" encoding="UTF-8"?><office:document-content'
        ' xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0"'
        ' xmlns:table="urn:oasis:names:tc:opendocument:xmlns:table:1.0"'
        ' xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0" office:version="1.2">'
        '<office:body><office:spreadsheet><table:table table:name="Drift">'
        f"{body}</table:table></office:spreadsheet></office:body></office:document-content>")
    manifest = (
        '<?xml version="1.0" encoding="UTF-8"?><manifest:manifest'
        ' xmlns:manifest="urn:oasis:names:tc:opendocument:xmlns:manifest:1.0" manifest:version="1.2">'
        '<manifest:file-entry manifest:full-path="/"'
        ' manifest:media-type="application/vnd.oasis.opendocument.spreadsheet"/>'
        '<manifest:file-entry manifest:full-path="content.xml" manifest:media-type="text/xml"/>'
        "</manifest:manifest>")
    with zipfile.ZipFile(path, "w") as archive:
        archive.writestr("mimetype", "application/vnd.oasis.opendocument.spreadsheet",
                         compress_type=zipfile.ZIP_STORED)
        archive.writestr("content.xml", content)
        archive.writestr("META-INF/manifest.xml", manifest)
    return path


def test_an_ods_export(areas: Project, cli) -> None:
    export = ods(areas.root / "regnskap.ods", [HEADINGS, *ROWS])
    result = cli("import", export, "--period", "2017-T1", "--yes")
    assert result.code == 0, result.err
    assert "regnskap: 1.2345675\n" in area_text(areas, "07")
