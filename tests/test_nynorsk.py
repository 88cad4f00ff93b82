"""A municipality that writes nynorsk (`språk: nn`) gets nynorsk labels and language tags in
every format, and none of the bokmål labels.
"""

from __future__ import annotations

import re

import pikepdf
import pytest

pytest.register_assert_rewrite("readback")

from helpers import make_project, run_cli  # noqa: E402
from readback import Rendered  # noqa: E402
from readers import (  # noqa: E402
    collapse,
    docx_part,
    docx_part_names,
    docx_tables,
    html_document,
    open_docx,
    pdf_pages,
    squash,
    w,
)

pytestmark = pytest.mark.render

AREA = {
    "ingress": "Programområdet melder om eit venta meirforbruk i år.",
    "økonomisk_status": {
        "fakta": "Tala per april syner eit lite avvik.",
        "tall": {"enhet": "mill. kr", "rader": [
            {"navn": "Skular", "regnskap": "10.4", "budsjett": "10.0", "årsbudsjett": "30.0",
             "prognose": "30.6"},
            {"navn": "Barnehagar", "regnskap": "5.1", "budsjett": "5.3", "årsbudsjett": "16.0",
             "prognose": "15.8"},
        ]},
        "vurdering": "Avviket kjem av fleire elevar enn venta.",
        "konklusjon": "Rådmannen følgjer utviklinga vidare.",
    },
    "andre_forhold": [{"overskrift": "Nytt skulebygg", "tekst": "Arbeidet er i rute."}],
}
NYNORSK = ["Rekneskap per april", "meirforbruk", "Del 3 Programområda", "Innhald",
           "Driftsrekneskap per april 2017 (mill. kr)"]
BOKMÅL = ["Regnskap", "merforbruk", "Innhold", "Programområdene", "tall er", "hvert"]
DOCUMENTS = ["07", "tertialrapport"]


@pytest.fixture(scope="module")
def nynorsk(tmp_path_factory: pytest.TempPathFactory) -> Rendered:
    kommune = {"kommune": "Vestfjord kommune", "språk": "nn", "programområder": {
        "07": "Skule og barnehage", "08": "Næring og kultur"}}
    project = make_project(tmp_path_factory.mktemp("nynorsk") / "prosjekt", kommune)
    project.write_area("07", AREA)
    project.write_area("08", {"ingress": "Ingen avvik i år.",
                              "økonomisk_status": AREA["økonomisk_status"]})
    code, out, err = run_cli(
        "render", "all", "2017-T1", "--inputs", project.inputs, "--templates",
        project.root / "templates", "--out", project.out, "--quiet")
    assert (code, err) == (0, "")
    return Rendered(project.out / "2017-T1", out, err)


def words_missing_and_found(text: str, document: str) -> tuple[list[str], list[str]]:
    flat = squash(text).lower()
    expected = [l for l in NYNORSK if not (document != "tertialrapport" and l in (
        "Del 3 Programområda", "Innhald"))]
    return ([l for l in expected if squash(l).lower() not in flat],
            [l for l in BOKMÅL if squash(l).lower() in flat])


@pytest.mark.parametrize("document", DOCUMENTS)
def test_html_is_nynorsk(nynorsk: Rendered, document: str) -> None:
    page = html_document(nynorsk[f"{document}.html"])
    assert page.find("html").attrs.get("lang") == "nn"
    assert words_missing_and_found(page.find("body").text(), document) == ([], [])
    header = [collapse(th.text()) for th in page.find("thead").find_all("th")]
    assert header[1] == "Rekneskap per april"


@pytest.mark.parametrize("document", DOCUMENTS)
def test_pdf_is_nynorsk(nynorsk: Rendered, document: str) -> None:
    path = nynorsk[f"{document}.pdf"]
    with pikepdf.open(path) as pdf:
        assert str(pdf.Root.Lang) == "nn"
    assert words_missing_and_found("".join(pdf_pages(path)), document) == ([], [])


@pytest.mark.parametrize("document", DOCUMENTS)
def test_docx_is_nynorsk(nynorsk: Rendered, document: str) -> None:
    path = nynorsk[f"{document}.docx"]
    doc = open_docx(path)
    assert doc.core_properties.language == "nn-NO"
    text = "\n".join([p.text for p in doc.paragraphs]
                     + [c for t in docx_tables(path) for row in t for c in row]
                     + [p.text for s in doc.sections for p in s.footer.paragraphs])
    assert words_missing_and_found(text, document) == ([], [])
    assert docx_tables(path)[0][0][1] == "Rekneskap per april"
    # The language tag everywhere Word and screen readers look for it.
    styles = docx_part(path, "word/styles.xml")
    langs = {l.get(w("val")) for l in styles.iter(w("lang"))}
    assert langs == {"nn-NO"}
    defaults = styles.find(f"{w('docDefaults')}/{w('rPrDefault')}/{w('rPr')}/{w('lang')}")
    assert defaults is not None and defaults.get(w("val")) == "nn-NO"
    for part in docx_part_names(path):
        if re.fullmatch(r"word/(document|header\d*|footer\d*|stylesWithEffects)\.xml", part):
            root = docx_part(path, part)
            assert {l.get(w("val")) for l in root.iter(w("lang"))} <= {"nn-NO"}, part
            if "styles" not in part:
                runs = list(root.iter(w("r")))
                tagged = [r for r in runs if r.find(f"{w('rPr')}/{w('lang')}") is not None]
                assert len(tagged) == len(runs), part
