"""One validation for all: what `render` needs, `check` checks first, with the same message.

For every case: `check` exits 1 with the message (file:line:column where there is one, and a
hint), `render` exits 1 with the same message, and nothing is written. Then, over generated
names, titles and labels: whenever `check` passes, `render` does too, and neither ever fails
with an internal error (exit 70).
"""

from __future__ import annotations

import io
import shutil
import zipfile
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest
from helpers import KOMMUNE, MINIMAL_AREA, TEMPLATES, Project, Result, dump_yaml, snapshot
from hypothesis import HealthCheck, event, given, settings
from hypothesis import strategies as st
from readers import NS, docx_part

LABELS = (TEMPLATES / "labels.yaml").read_text(encoding="utf-8")
FIGURES = {"enhet": "mill. kr", "rader": [
    {"navn": name, "regnskap": 1.5, "budsjett": 2, "årsbudsjett": 6, "prognose": 6.5}
    for name in ("Skoler", "Barnehager")]}
AREA = {**MINIMAL_AREA, "økonomisk_status": {**MINIMAL_AREA["økonomisk_status"],
                                              "tall": FIGURES}}
CHECK = ("check", "2017-T1", "--templates", "malen")
RENDER = ("render", "all", "2017-T1", "--templates", "malen", "--out", "out",
          "--format", "docx,html", "--quiet")


def labels_with(old: str, new: str) -> Callable[[Path], None]:
    """Change the first `old` in the bokmål labels to `new`."""
    def change(templates: Path) -> None:
        assert old in LABELS
        (templates / "labels.yaml").write_text(LABELS.replace(old, new, 1), encoding="utf-8")
    return change


def html_with(old: str, new: str, name: str = "document.html.j2") -> Callable[[Path], None]:
    """Change the first `old` in one HTML template to `new`."""
    def change(templates: Path) -> None:
        path = templates / "html" / name
        text = path.read_text(encoding="utf-8")
        assert old in text
        path.write_text(text.replace(old, new, 1), encoding="utf-8")
    return change


def docx_with(part: str, old: str, new: str) -> Callable[[Path], None]:
    """Change the first `old` in one XML part of the Word template."""
    def change(templates: Path) -> None:
        path = templates / "docx" / "document.docx"
        source, out = zipfile.ZipFile(path), io.BytesIO()
        with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
            for name in source.namelist():
                data = source.read(name)
                if name == part:
                    assert old.encode() in data
                    data = data.replace(old.encode(), new.encode(), 1)
                target.writestr(name, data)
        source.close()
        path.write_bytes(out.getvalue())
    return change


def remove(relative: str) -> Callable[[Path], None]:
    def change(templates: Path) -> None:
        path = templates / relative
        shutil.rmtree(path) if path.is_dir() else path.unlink()
    return change


def unchanged(templates: Path) -> None:
    """The templates as they come."""


BIG_AMOUNT = """\
ingress: Kort ingress.
økonomisk_status:
  fakta: Forbruk i tråd med budsjett.
  vurdering: Ingen avvik.
  konklusjon: Årsresultat i balanse.
  tall:
    rader:
      - navn: Skoler
        regnskap: 4.1e30
        budsjett: 2
        årsbudsjett: 6
        prognose: 6.5
"""


@dataclass
class Case:
    change: Callable[[Path], None]  # applied to the copy of the templates, malen/
    stderr: str
    kommune: dict[str, Any] = field(default_factory=lambda: KOMMUNE)
    render: tuple[str, ...] = RENDER
    files: dict[str, Any] = field(default_factory=dict)  # inputs written over the usual ones
    # A problem of one area: check prints it under that area's heading, and its summary.
    headings: str = ""  # check's lines before the problem
    summary: str = ""  # check's last line, on stdout


LABEL_HINT = "write {{ and }} for braces as text"
DOCX = "malen/docx/document.docx"
CASES = {
    "unknown placeholder": Case(
        labels_with("area_title: Programområde {code} {name}",
                    "area_title: Programområde {kode} {name}"),
        "malen/labels.yaml:5:15: error: nb.area_title: unknown placeholder {kode}\n"
        f"  hint: did you mean {{code}}? this label may use {{code}} and {{name}}; {LABEL_HINT}\n",
    ),
    "placeholder in a label that takes none": Case(
        labels_with("  facts: Fakta\n", "  facts: Fakta {year}\n"),
        "malen/labels.yaml:7:10: error: nb.facts: unknown placeholder {year}\n"
        f"  hint: this label takes no placeholders; {LABEL_HINT}\n",
    ),
    "placeholder without a name": Case(
        labels_with("  sum: Sum\n", "  sum: Sum {}\n"),
        "malen/labels.yaml:26:8: error: nb.sum: unknown placeholder {}\n"
        f"  hint: this label takes no placeholders; {LABEL_HINT}\n",
    ),
    "a { that does not close": Case(
        labels_with("col_budget: Budsjett per {month}", "col_budget: Budsjett per {month"),
        "malen/labels.yaml:21:15: error: nb.col_budget: a `{` that is not closed\n"
        f"  hint: {LABEL_HINT}; placeholders are {{month}}, {{year}} and {{unit}}\n",
    ),
    "a lone }": Case(
        labels_with("col_forecast: Prognose {year}", "col_forecast: Prognose year}"),
        "malen/labels.yaml:24:17: error: nb.col_forecast: a `}` without its `{`\n"
        f"  hint: {LABEL_HINT}; placeholders are {{month}}, {{year}} and {{unit}}\n",
    ),
    "a placeholder with a format": Case(
        labels_with("col_annual_budget: Årsbudsjett {year}",
                    "col_annual_budget: Årsbudsjett {year:>8}"),
        "malen/labels.yaml:23:22: error: nb.col_annual_budget: the placeholder {year:>8} has a"
        " format\n"
        "  hint: write {year}: reportgen fills it in as it is\n",
    ),
    "a missing label": Case(
        labels_with("  sum: Sum\n", "  summ: Sum\n"),
        "malen/labels.yaml:4:1: error: nb: missing label 'sum'\n"
        "  hint: is 'summ' a misspelling of it? add `sum:` with its wording under `nb:`\n",
    ),
    "a label that is a number": Case(
        labels_with("  page: Side\n", "  page: 3\n"),
        "malen/labels.yaml:17:9: error: nb.page: expected text, found the number 3\n"
        "  hint: put the text in quotes\n",
    ),
    "a label that is empty": Case(
        labels_with("  page: Side\n", "  page:\n"),
        "malen/labels.yaml:17:8: error: nb.page: has no value\n"
        "  hint: write the wording after the colon\n",
    ),
    "a control character in a label": Case(
        labels_with("  sum: Sum\n", '  sum: "Sum\\x01"\n'),
        "malen/labels.yaml:26:8: error: nb.sum: character U+0001 cannot be stored in a document"
        " (line 1 of the text, character 4)\n"
        "  hint: remove the control character; it often comes along when text is pasted from"
        " Word, PDF or e-mail\n",
    ),
    "no labels for the language": Case(
        labels_with("\nnn:\n", "\nnynorsk:\n"),
        "malen/labels.yaml: error: no labels for the language 'nn' (kommune.yaml's"
        " `språk:`)\n"
        "  hint: add `nn:` with every label, as in the labels.yaml that comes with reportgen\n",
        kommune={**KOMMUNE, "språk": "nn"},
    ),
    "no labels.yaml": Case(
        remove("labels.yaml"),
        "malen/labels.yaml: error: labels.yaml not found\n"
        "  hint: the templates folder needs labels.yaml with the wording for each language"
        " (nb, nn); start from the one that comes with reportgen\n",
    ),
    "HTML template syntax": Case(
        html_with("{{ labels.skip_link }}", "{{ labels.skip_link }"),
        "malen/html/document.html.j2:26: error: template syntax: unexpected '}'\n"
        "  hint: fix the template, or point --templates at a working folder\n",
    ),
    "HTML template uses an unknown value": Case(
        html_with("{{ labels.skip_link }}", "{{ labels.hopp }}"),
        "malen/html/document.html.j2:26: error: template uses an unknown value: 'dict object'"
        " has no attribute 'hopp'\n"
        "  hint: templates may use only the fields of the view (reportgen/view.py)\n",
    ),
    "HTML template fails in a table": Case(
        html_with("{{ block.caption }}", "{{ block.caption // 2 }}", "blocks.html.j2"),
        "malen/html/blocks.html.j2:25: error: template error: TypeError: unsupported operand"
        " type(s) for //: 'str' and 'int'\n"
        "  hint: fix the template, or point --templates at a working folder\n",
    ),
    "DOCX template that is not a Word document": Case(
        lambda templates: (templates / "docx" / "document.docx").write_bytes(b"not a zip"),
        f"{DOCX}: error: the Word template is not a Word document (.docx)\n"
        "  hint: the templates folder needs docx/document.docx, saved by Word or LibreOffice"
        " as .docx\n",
    ),
    "DOCX template with an unknown value in the footer": Case(
        docx_with("word/footer1.xml", "{{ labels.page }}", "{{ labels.side }}"),
        f"{DOCX}: error: template uses an unknown value: 'dict object' has no attribute 'side'"
        " (in the template's footer, word/footer1.xml)\n"
        "  hint: the Word template may use only cover, kommune, report_title, running_title,"
        " period_label, part, labels, contents and body\n",
    ),
    "DOCX template syntax in the header": Case(
        docx_with("word/header1.xml", "{{ kommune }}", "{{ kommune }"),
        f"{DOCX}: error: template syntax: unexpected '}}' (in the template's header,"
        " word/header1.xml)\n"
        "  hint: fix the Word template, or point --templates at a working folder\n",
    ),
    "DOCX template without {{ body }}": Case(
        docx_with("word/document.xml", "{{ body }}", "Tekst"),
        f"{DOCX}: error: the Word template has no paragraph {{{{ body }}}}, where the text goes\n"
        "  hint: write {{ body }} alone in a paragraph of the template's body\n",
    ),
    "DOCX template without a style": Case(
        docx_with("word/styles.xml", '<w:name w:val="Table Note"/>',
                  '<w:name w:val="Tabellnote"/>'),
        f"{DOCX}: error: the Word template has no style 'Table Note'\n"
        "  hint: add the style in Word (Styles pane, New Style, with exactly that name), or"
        " start from the template that comes with reportgen\n",
    ),
    "no fonts for the chart": Case(
        remove("fonts"),
        "malen/fonts/Carlito-Regular.ttf: error: cannot read the font for the chart\n"
        "  hint: the templates folder needs fonts/Carlito-Regular.ttf and fonts/Carlito-Bold.ttf"
        " (Carlito, which comes with reportgen)\n",
    ),
    "no print.css": Case(
        remove("html/css/print.css"),
        "malen/html/css/print.css: error: print.css not found\n"
        "  hint: the templates folder needs html/css/print.css, the stylesheet of the PDF\n",
        render=(*RENDER[:-3], "--format", "pdf", "--jobs", "1", "--quiet"),
    ),
    "a control character in an area's name in kommune.yaml": Case(
        unchanged,
        "inputs/kommune.yaml:5:7: error: programområder.08: character U+0007 cannot be stored in"
        " a document (line 1 of the text, character 11)\n"
        "  hint: remove the control character; it often comes along when text is pasted from"
        " Word, PDF or e-mail\n",
        kommune={**KOMMUNE, "programområder": {"07": "Ledelse", "08": "Kompetanse\x07"}},
    ),
    "an amount too large to round": Case(
        unchanged,
        "inputs/2017-T1/08.yaml:9:19: error: økonomisk_status.tall.rader[0].regnskap: 4.1e30 has"
        " an exponent\n"
        "  hint: write the amount in full with a dot for decimals, such as 1250.5\n",
        files={"inputs/2017-T1/08.yaml": BIG_AMOUNT},
        headings="== 07 Ledelse, organisering og styring: ready\n"
                 "== 08 Kompetanse, markedsføring og næring: 1 error\n",
        summary="2017-T1: 1 area ready, 0 with warnings, 1 with errors (1 error, 0 warnings);"
                " no rapport.yaml (the whole report uses its defaults)\n",
    ),
}


def _project(project: Project, kommune: dict[str, Any] = KOMMUNE) -> Path:
    """The project with both areas (with figures, for the overview and its chart) and a copy
    of the templates as malen/, to be broken."""
    project.write({"inputs/kommune.yaml": kommune, "inputs/2017-T1/07.yaml": AREA,
                   "inputs/2017-T1/08.yaml": AREA})
    templates = project.root / "malen"
    shutil.copytree(TEMPLATES, templates)
    return templates


@pytest.mark.parametrize("name", CASES)
def test_check_and_render_give_the_same_message_and_write_nothing(
    name: str, project: Project, cli: Callable[..., Result]
) -> None:
    case = CASES[name]
    case.change(_project(project, case.kommune))
    project.write(case.files)
    before = snapshot(project.root)
    checked = cli(*CHECK)
    assert (checked.code, checked.err, checked.out) == (1, case.headings + case.stderr,
                                                        case.summary)
    rendered = cli(*case.render)
    assert (rendered.code, rendered.err) == (1, case.stderr)
    assert snapshot(project.root) == before


def test_the_real_templates_pass_check(project: Project, cli: Callable[..., Result]) -> None:
    _project(project)
    assert cli(*CHECK) == Result(
        0, "2017-T1: 2 areas ready, 0 with warnings, 0 with errors (0 errors, 0 warnings); no"
        " rapport.yaml (the whole report uses its defaults)\n",
        "== 07 Ledelse, organisering og styring: ready\n"
        "== 08 Kompetanse, markedsføring og næring: ready\n")


@pytest.mark.parametrize("lang", ["nb", "nn"])
def test_the_shipped_templates_pass_the_trial_that_check_skips_for_them(lang: str) -> None:
    # check does not try templates that are byte for byte the shipped ones; this is why.
    from reportgen.inputs import load_labels
    from reportgen.model import Kommune
    from reportgen.modelread import read_model
    from reportgen.period import Period
    from reportgen.present import sample_views
    from reportgen.render import check_templates

    kommune = read_model(Kommune, {**KOMMUNE, "språk": lang})
    assert kommune is not None
    labels = load_labels(TEMPLATES, lang)
    views = sample_views(kommune, Period.parse("2017-T1"), labels)
    assert check_templates(TEMPLATES, lambda: views, always=True) == []


def test_templates_as_they_come_with_reportgen_are_not_tried_again(project: Project) -> None:
    from reportgen.render import FORMATS, shipped_templates, template_digest

    copy = _project(project)  # a copy of the shipped templates, unchanged
    for fmt in FORMATS:
        if fmt.template_files:
            assert template_digest(copy, fmt.template_files) == template_digest(
                shipped_templates(), fmt.template_files)


def test_a_changed_template_is_tried(project: Project, cli: Callable[..., Result]) -> None:
    # The same template with a comment more is no longer the shipped one: check tries it, and
    # it passes; the same with an error in it fails (the cases above).
    html_with("<html", "{# ours #}\n<html")(_project(project))
    assert cli(*CHECK).code == 0
    html_with("{# ours #}", "{# ours #}{{ nope }}")(project.root / "malen")
    assert "'nope' is undefined" in cli(*CHECK).err


def test_a_label_without_placeholders_shows_double_braces_as_one(
    project: Project, cli: Callable[..., Result]
) -> None:
    labels_with("  facts: Fakta\n", "  facts: Fakta {{ny}}\n")(_project(project))
    assert cli(*CHECK).code == 0
    assert cli(*RENDER).code == 0
    page = (project.out / "2017-T1" / "08.html").read_text(encoding="utf-8")
    assert ">Fakta {ny}</h3>" in page


def test_a_period_of_the_year_0_is_a_usage_error(project: Project,
                                                 cli: Callable[..., Result]) -> None:
    # Before, `check 0000-T1` looked for inputs/0-T1, and `new` for the year -1.
    result = cli("check", "0000-T1")
    assert result.code == 2
    assert result.err.endswith("Error: Invalid value for '[PERIOD]': '0000-T1' is not a period;"
                               " write YEAR-T1, YEAR-T2 or YEAR-T3, such as 2017-T1\n")


def test_source_date_epoch_past_the_year_9999_is_a_usage_error(
    project: Project, cli: Callable[..., Result], monkeypatch: pytest.MonkeyPatch
) -> None:
    # Before, an internal error (exit 70, OverflowError); the variable is checked at the edge
    # (tests/test_file_system.py has the other values).
    _project(project)
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "9" * 20)
    result = cli(*RENDER)
    assert result.code == 2
    assert "SOURCE_DATE_EPOCH: 99999999999999999999 seconds is after the year 9999" in result.err


# --- names too long for a Word document's properties ---------------------------------------------

LONG = "Kompetanse, markedsføring og næring " * 8  # 288 characters
TITLE_WARNING = (
    "warning: 08.docx: the title (304 characters) is shortened in the document properties,"
    " which hold at most 255; the document itself shows it in full")


def test_a_long_area_name_renders_whole_and_only_the_property_is_shortened(
    project: Project, cli: Callable[..., Result]
) -> None:
    from docx import Document

    _project(project, {**KOMMUNE, "programområder": {"07": "Ledelse", "08": LONG.strip()}})
    checked = cli(*CHECK)
    assert checked.code == 0
    assert checked.err == (
        f"== 07 Ledelse: ready\n== 08 {LONG.strip()}: 1 warning\n{TITLE_WARNING}\n"
        "  hint: nothing to do, unless the file's properties (in Word: File, Info) should show"
        " it whole: then shorten it\n")
    rendered = cli(*RENDER[:-1])  # not --quiet: the warning is a note of the render
    assert rendered.code == 0
    assert TITLE_WARNING in rendered.out.splitlines() + rendered.err.splitlines()
    title = f"Programområde 08 {LONG.strip()}"
    document = Document(str(project.out / "2017-T1" / "08.docx"))
    assert document.core_properties.title == title[:254] + "…"
    assert document.paragraphs[0].text == title
    page = (project.out / "2017-T1" / "08.html").read_text(encoding="utf-8")
    assert f"<title>{title} – 1. tertial 2017</title>" in page


def test_a_report_title_of_10000_characters_and_a_long_municipality_name_render(
    project: Project, cli: Callable[..., Result]
) -> None:
    from docx import Document

    _project(project, {**KOMMUNE, "kommune": "Drammen " * 40})
    title = "Tertialrapport " * 667  # 10 005 characters
    project.write({"inputs/2017-T1/rapport.yaml": {"tittel": title, "undertittel": "u " * 3000}})
    checked = cli(*CHECK)
    assert checked.code == 0
    shown = [line for line in checked.err.splitlines() if not line.startswith("  hint:")]
    municipality = ("the municipality's name (320 characters) is shortened in the document"
                    " properties, which hold at most 255; the document itself shows it in full")
    assert shown == [  # each area's under the area, the whole report's under rapport.yaml
        "== 07 Ledelse, organisering og styring: 1 warning",
        f"warning: 07.docx: {municipality}",
        "== 08 Kompetanse, markedsføring og næring: 1 warning",
        f"warning: 08.docx: {municipality}",
        "== rapport.yaml: 2 warnings",
        "warning: tertialrapport.docx: the title (10005 characters) is shortened in the document"
        " properties, which hold at most 255; the document itself shows it in full",
        f"warning: tertialrapport.docx: {municipality}",
    ]
    assert cli(*RENDER).code == 0
    path = project.out / "2017-T1" / "tertialrapport.docx"
    props = Document(str(path)).core_properties
    assert (props.title, props.author) == (title[:254] + "…", ("Drammen " * 40)[:254] + "…")
    keywords = docx_part(path, "docProps/core.xml").findtext("cp:keywords", namespaces=NS)
    assert keywords == f"{title}; 2017-T1"[:254] + "…"
    cover = [p.text for p in Document(str(path)).paragraphs if p.text][:3]
    assert cover == ["Drammen " * 40, title, "u " * 3000]  # whole, on the cover as in the PDF


def test_import_of_a_document_with_a_long_title_sees_no_edited_title(
    project: Project, cli: Callable[..., Result]
) -> None:
    _project(project, {**KOMMUNE, "programområder": {"07": "Ledelse", "08": LONG.strip()}})
    assert cli(*RENDER).code == 0
    imported = cli("import", "out/2017-T1/08.docx", "--inputs", "inputs", "--templates", "malen")
    assert imported.code == 0, imported.err
    assert "title" not in imported.out + imported.err


# --- whenever check passes, render passes ----------------------------------------------------------

# Names and titles: mostly printable text, long enough to pass the 255 of a DOCX property;
# sometimes any character at all (control characters are refused by both commands).
def mostly(valid: st.SearchStrategy[Any], other: st.SearchStrategy[Any]) -> st.SearchStrategy[Any]:
    """`valid` four times in five: most examples then pass check, and render must pass too."""
    return st.integers(0, 4).flatmap(lambda i: other if i == 4 else valid)


# Names and titles: printable text, long enough to pass the 255 of a DOCX property; or any
# characters at all, the empty text too (control characters are refused by both commands).
NAME_TEXT = mostly(st.text(st.characters(blacklist_categories=("Cs", "Cc")), min_size=1,
                           max_size=400),
                   st.text(st.characters(blacklist_categories=("Cs",)), max_size=20))
# Labels: valid ones, or ones put together from placeholders reportgen knows and does not,
# braces, formats and a control character; or values that are not text.
LABEL_TEXT = st.lists(st.sampled_from(
    ["Programområde ", "{code}", "{name}", "{kode}", "{", "}", "{{", "}}", "{name:>3}", "{}",
     "{0}", "{name.upper}", "{code!r}", " ", "x", "\x01"]), max_size=6).map("".join)
NOT_TEXT = st.one_of(st.integers(), st.none(), st.booleans(), st.lists(st.text(max_size=3)))
AREA_TITLE = mostly(st.sampled_from(["Programområde {code} {name}", "{{{name}}} ({code})",
                                     "{name}", ""]), LABEL_TEXT | NOT_TEXT)
FACTS = mostly(st.sampled_from(["Fakta", "{{Fakta}}", "}}{{", "Fakta " * 60]),
               LABEL_TEXT | NOT_TEXT)


@settings(max_examples=30, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(area_name=NAME_TEXT, kommune_name=NAME_TEXT, title=st.none() | NAME_TEXT,
       area_title=AREA_TITLE, facts=FACTS)
def test_whenever_check_passes_render_passes(
    area_name: str, kommune_name: str, title: str | None, area_title: Any, facts: Any,
    project: Project, cli: Callable[..., Result]
) -> None:
    import yaml

    shutil.rmtree(project.root / "malen", ignore_errors=True)
    shutil.rmtree(project.out, ignore_errors=True)
    templates = _project(project, {**KOMMUNE, "kommune": kommune_name,
                                   "programområder": {"07": "Ledelse", "08": area_name}})
    labels = yaml.safe_load(LABELS)
    labels["nb"].update(area_title=area_title, facts=facts)
    (templates / "labels.yaml").write_text(dump_yaml(labels), encoding="utf-8")
    report = project.inputs / "2017-T1" / "rapport.yaml"
    report.unlink(missing_ok=True)
    if title is not None:
        project.write({"inputs/2017-T1/rapport.yaml": {"tittel": title}})
    checked = cli(*CHECK)
    rendered = cli(*RENDER)
    event(f"check exits {checked.code}")
    assert checked.code in (0, 1), checked.err
    assert rendered.code in (0, 1), rendered.err
    if checked.code == 0:
        assert rendered.code == 0, rendered.err
    else:
        assert not project.out.exists()
