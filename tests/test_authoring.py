"""The authoring loop: `reportgen new` for the next period and `check`'s warnings."""

from __future__ import annotations

from collections.abc import Callable

import yaml
from helpers import INPUTS, Project, Result, snapshot

MARK = "# UTKAST: uendret fra 2017-T1 (slett linjen når teksten stemmer for 2017-T2)"
HEADER = (
    "# Laget med `reportgen new` fra 2017-T1 for 2017-T2.\n"
    "#   FYLL UT: skriv teksten og beløpene for 2017-T2 der det står FYLL UT.\n"
    "#   UTKAST: teksten under en linje «# UTKAST: uendret fra 2017-T1» er kopiert fra forrige"
    " periode.\n"
    "#   Les den og rett det som ikke lenger stemmer; slett så den linjen.\n"
)
NEXT = (
    "next: fill in what is marked FYLL UT; read each text under a line «# UTKAST: uendret fra"
    " 2017-T1», change what no longer holds for 2017-T2, then delete that line; `reportgen"
    " check 2017-T2` lists what is left\n"
)

AREA_T1 = """\
# Programområde 08: kommentaren skal bli med.
ingress: |
  Programområdet rapporterer per 1. tertial et resultat i balanse, som per april i fjor.
økonomisk_status:
  fakta: Forbruket per april er i tråd med budsjett.
  vurdering: |
    # Økte husleieutgifter fra 2017

    Husleien økte med 2 mill. kr.

    # Nye tiltak

    Tiltakene gir effekt fra 1.tertial.
  konklusjon: "Årsresultat i balanse."
  tall:
    enhet: mill. kr
    rader:
      - navn: Næringsarbeid
        regnskap: 10.0
        budsjett: 10.5
        årsbudsjett: 31.0
        prognose: 31.0
andre_forhold:
  - overskrift: Kontaktutvalget
    tekst: Det er i 1. tertial 2017 gjennomført to møter.
"""


def test_new_carries_structure_over_and_marks_what_to_fill_in(
    project: Project, cli: Callable[..., Result]
) -> None:
    project.write_area("08", AREA_T1)
    result = cli("new", "08", "2017-T2")
    assert result.code == 0, result.err
    assert result.out == "wrote inputs/2017-T2/08.yaml (from 2017-T1)\n" + NEXT
    text = (project.inputs / "2017-T2" / "08.yaml").read_text(encoding="utf-8")
    assert text.startswith(HEADER + "# Programområde 08: kommentaren skal bli med.\n")
    # The texts carried over are kept, each under a line that marks it unreviewed.
    assert f"{MARK}\ningress: |\n" in text
    assert f"andre_forhold:\n  {MARK}\n  - overskrift: Kontaktutvalget\n" in text
    assert text.count("UTKAST: uendret") == 2 + 1  # the two marks, and the header's mention
    data = yaml.safe_load(text)
    assert list(data) == ["ingress", "økonomisk_status", "andre_forhold"]
    # Period words follow the new period; the rest of the text is the author's.
    assert data["ingress"] == (
        "Programområdet rapporterer per 2. tertial et resultat i balanse, som per august i fjor.\n"
    )
    assert data["andre_forhold"] == [
        {"overskrift": "Kontaktutvalget", "tekst": "Det er i 2. tertial 2017 gjennomført to møter."}
    ]
    status = data["økonomisk_status"]
    assert status["fakta"] == "FYLL UT: fakta per august 2017."
    assert status["konklusjon"] == "FYLL UT: konklusjon per august 2017."
    assert status["vurdering"] == (
        "# Økte husleieutgifter fra 2017\n\nFYLL UT: vurdering per august 2017.\n\n"
        "# Nye tiltak\n\nFYLL UT: vurdering per august 2017.\n"
    )
    assert status["tall"]["rader"] == [{
        "navn": "Næringsarbeid", "regnskap": None, "budsjett": None, "årsbudsjett": None,
        "prognose": None,
    }]
    assert "regnskap:  # FYLL UT (per august 2017)" in text


def test_check_reports_the_new_file_until_it_is_filled_in(
    project: Project, cli: Callable[..., Result]
) -> None:
    project.write_area("08", AREA_T1)
    assert cli("new", "08", "2017-T2").code == 0
    result = cli("check", "2017-T2")
    assert result.code == 1
    errors = [line for line in result.err.splitlines() if ": error: " in line]
    assert errors == [
        f"inputs/2017-T2/08.yaml:{line}: error: økonomisk_status.tall.rader[0].{key}: the amount"
        " is not filled in"
        for line, key in (("24:18", "regnskap"), ("25:18", "budsjett"), ("26:21", "årsbudsjett"),
                          ("27:18", "prognose"))
    ]
    # Filled amounts: the text placeholders remain, as warnings.
    path = project.inputs / "2017-T2" / "08.yaml"
    text = path.read_text(encoding="utf-8")
    for key, amount in (("regnskap", "20.1"), ("budsjett", "20.0"), ("årsbudsjett", "31.0"),
                        ("prognose", "31.2")):
        text = text.replace(f"{key}:  #", f"{key}: {amount}  #").replace(
            f"{key}: #", f"{key}: {amount} #")
    path.write_text(text, encoding="utf-8")
    result = cli("check", "2017-T2")
    assert result.code == 0, result.err
    warnings = [line for line in result.err.splitlines() if ": warning: " in line]
    assert warnings == [
        "inputs/2017-T2/07.yaml: warning: area 07 Ledelse, organisering og styring has no input"
        " for 2017-T2",
        "inputs/2017-T2/08.yaml:7:1: warning: ingress: unchanged since 2017-T1, not yet reviewed",
        "inputs/2017-T2/08.yaml:10:10: warning: økonomisk_status.fakta: still holds the"
        " placeholder «FYLL UT»",
        "inputs/2017-T2/08.yaml:11:14: warning: økonomisk_status.vurdering: still holds the"
        " placeholder «FYLL UT»",
        "inputs/2017-T2/08.yaml:19:15: warning: økonomisk_status.konklusjon: still holds the"
        " placeholder «FYLL UT»",
        "inputs/2017-T2/08.yaml:30:5: warning: andre_forhold[0] 'Kontaktutvalget': unchanged"
        " since 2017-T1, not yet reviewed",
    ]
    assert cli("check", "2017-T2", "--strict").code == 1


def test_new_never_overwrites(project: Project, cli: Callable[..., Result]) -> None:
    project.write_area("08", AREA_T1)
    project.write_area("08", "ingress: mitt arbeid\n", period="2017-T2")
    before = snapshot(project.root)
    result = cli("new", "08", "2017-T2")
    assert (result.code, result.err) == (1, (
        "inputs/2017-T2/08.yaml: error: the file exists already; `reportgen new` never overwrites\n"
        "  hint: edit that file, or move it away first if you want to start over\n"))
    assert snapshot(project.root) == before
    # `new all` makes what is missing and keeps what is there.
    project.write_area("07", AREA_T1)
    result = cli("new", "all", "2017-T2")
    assert result.code == 0
    assert result.out == (
        "wrote inputs/2017-T2/07.yaml (from 2017-T1)\n"
        "kept, already there: 08\n"
        "note: no rapport.yaml in 2017-T1 to start from: the whole report uses its defaults"
        " (title, date) until you write inputs/2017-T2/rapport.yaml\n" + NEXT
    )
    assert (project.inputs / "2017-T2" / "08.yaml").read_text() == "ingress: mitt arbeid\n"


def test_new_from_another_period_and_a_missing_source(
    project: Project, cli: Callable[..., Result]
) -> None:
    project.write_area("08", AREA_T1)
    result = cli("new", "08", "2018-T1", "--from", "2017-T1")
    assert result.code == 0, result.err
    text = (project.inputs / "2018-T1" / "08.yaml").read_text(encoding="utf-8")
    assert "per desember" not in text and "FYLL UT: fakta per april 2018." in text
    result = cli("new", "07", "2017-T2")
    assert result.code == 1
    assert result.err.startswith("inputs/2017-T1/07.yaml: error: no input for area 07 in 2017-T1")


def test_check_warns_about_long_sentences_empty_headings_and_odd_figures(
    project: Project, cli: Callable[..., Result]
) -> None:
    long_sentence = " ".join(["ord"] * 31) + "."
    project.write_area("07", AREA_T1)
    project.write_area("08", {
        "ingress": long_sentence,
        "økonomisk_status": {
            "fakta": "Kort.",
            "vurdering": "# Overskrift uten tekst\n\n# Neste\n\nTekst.\n",
            "konklusjon": "Kort.",
            "tall": {"rader": [{"navn": "Drift", "regnskap": 5, "budsjett": 50,
                                "årsbudsjett": 40, "prognose": 4}]},
        },
    })
    result = cli("check", "2017-T1")
    assert result.code == 0, result.err
    warnings = [line for line in result.err.splitlines() if ": warning: " in line]
    assert [w.split(": warning: ")[1] for w in warnings] == [
        "ingress: a sentence of 31 words: «ord ord ord ord ord ord ord ord …»",
        "økonomisk_status.vurdering: the sub-heading 'Overskrift uten tekst' has no text under it",
        "tall.rader[0] 'Drift': the budget per april (50) is larger than the budget for the"
        " year (40)",
        "tall.rader[0] 'Drift': the forecast for the year (4) is lower than the accounts so far"
        " (5)",
    ]


def test_the_real_inputs_have_no_placeholders() -> None:
    for path in sorted((INPUTS / "2017-T1").glob("*.yaml")):
        assert "FYLL UT" not in path.read_text(encoding="utf-8"), path
