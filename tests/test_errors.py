"""Errors are UI: the whole message, its place, its hint and the exit status (DESIGN.md section 6).

Every failing run must leave the output folder exactly as it was: no new file, no temporary
file, no folder, and an earlier output byte for byte unchanged.
"""

from __future__ import annotations

import re
import shutil
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

import pytest
from helpers import (
    INPUTS,
    MINIMAL_AREA,
    Project,
    Result,
    dump_yaml,
    run_process,
    snapshot,
)

import reportgen

AREA = "inputs/2017-T1/08.yaml"
RENDER = ("render", "08", "2017-T1", "--out", "out")
USAGE = (
    "Usage: reportgen render [OPTIONS] AREAS... PERIOD\n"
    "Try 'reportgen render --help' for help.\n\n"
)
LIST_HINT = "  hint: write each item on a line starting with `- `\n"
BLOCK_HINT = ("  hint: write the text as a block: put `|` after the key and the text on the next"
              " lines, indented:\n")

STATUS = """\
økonomisk_status:
  fakta: Forbruk i tråd med budsjett.
  vurdering: Ingen avvik.
  konklusjon: Årsresultat i balanse.
"""
BILLION_LAUGHS = """\
a: &a ["ha", "ha", "ha", "ha", "ha", "ha", "ha", "ha", "ha"]
b: &b [*a, *a, *a, *a, *a, *a, *a, *a, *a]
c: &c [*b, *b, *b, *b, *b, *b, *b, *b, *b]
d: &d [*c, *c, *c, *c, *c, *c, *c, *c, *c]
e: &e [*d, *d, *d, *d, *d, *d, *d, *d, *d]
f: &f [*e, *e, *e, *e, *e, *e, *e, *e, *e]
g: &g [*f, *f, *f, *f, *f, *f, *f, *f, *f]
h: &h [*g, *g, *g, *g, *g, *g, *g, *g, *g]
i: &i [*h, *h, *h, *h, *h, *h, *h, *h, *h]
"""


@dataclass
class Case:
    files: dict[str, Any]
    argv: tuple[str, ...]
    status: int
    stderr: str
    extra: dict[str, Any] = field(default_factory=dict)


CASES = {
    # The common YAML mistakes, in words, with the fix as text to type.
    "broken YAML": Case(
        {AREA: "ingress: [ikke lukket\n" + STATUS}, RENDER, 1,
        f"{AREA}:1:10: error: the text of `ingress` begins with `[`, which YAML reads as the"
        " start of a list\n"
        + BLOCK_HINT + "      ingress: |\n        [ikke lukket\n",
    ),
    "bad indentation": Case(
        {AREA: "ingress: Tekst\nøkonomisk_status:\n  fakta: a\n   vurdering: b\n"
               "  konklusjon: c\n"},
        RENDER, 1,
        f"{AREA}:4:4: error: this line is indented further than `fakta:` above it, so YAML"
        " reads it as more of that text, where a colon followed by a space cannot stand\n"
        "  hint: if `vurdering:` is a key of its own, start it in the same column as `fakta:`"
        " (2 spaces before it); if the line is part of the text of `fakta`, write the text as"
        " a block: put `|` after the key and the text on the next lines, indented:\n"
        "      fakta: |\n        a\n        vurdering: b\n",
    ),
    "tab indentation": Case(
        {AREA: "ingress: Tekst\nøkonomisk_status:\n\tfakta: a\n"}, RENDER, 1,
        f"{AREA}:3:1: error: a tab character: YAML allows only spaces here\n"
        "  hint: replace the tab with spaces (2 for each level, in the same column as the lines"
        " around it), like this:\n"
        "        fakta: a\n",
    ),
    "colon in a text": Case(
        {AREA: "ingress: Tekst\n" + STATUS.replace("fakta: Forbruk", "fakta: Merk: forbruk")},
        RENDER, 1,
        f"{AREA}:3:14: error: the text of `fakta` holds a colon followed by a space (`: `),"
        " which YAML reads as the start of a new key\n"
        + BLOCK_HINT + "      fakta: |\n        Merk: forbruk i tråd med budsjett.\n",
    ),
    "a quote that does not close": Case(
        {AREA: "ingress: Tekst\n" + STATUS.replace(
            "fakta: Forbruk i tråd med budsjett.", 'fakta: "Forbruk i tråd med budsjett.')},
        RENDER, 1,
        f'{AREA}:3:10: error: the quote " that begins the text of `fakta` is never closed\n'
        '  hint: end the text with " on the same line; or, if the quote is part of the text,'
        " write the text as a block: put `|` after the key and the text on the next lines,"
        " indented:\n"
        '      fakta: |\n        "Forbruk i tråd med budsjett.\n',
    ),
    "a quoted phrase followed by more text": Case(
        {AREA: "ingress: Tekst\n" + STATUS.replace(
            "fakta: Forbruk", 'fakta: "Næringsvekst 2020" gir forbruk')},
        RENDER, 1,
        f"{AREA}:3:10: error: the text of `fakta` begins with a phrase in quotes and goes on"
        " after it; YAML takes only the quoted part for the text\n"
        + BLOCK_HINT + '      fakta: |\n        "Næringsvekst 2020" gir forbruk i tråd med'
        " budsjett.\n",
    ),
    "a | block that is not indented": Case(
        {AREA: "ingress: |\nNy plan for næringslivet.\n" + STATUS}, RENDER, 1,
        f"{AREA}:2:1: error: the text under `ingress: |` is not indented, so YAML does not take"
        " it for the text\n"
        "  hint: indent every line of the text 2 spaces more than `ingress:`, like this:\n"
        "      ingress: |\n        Ny plan for næringslivet.\n",
    ),
    "unknown key with a close match": Case(
        {AREA: "ingress: Tekst\n" + STATUS
         + "andre_forhold:\n  - oveskrift: Plan\n    tekst: Ny plan.\n"},
        RENDER, 1,
        f"{AREA}:7:5: error: unknown key 'oveskrift' under andre_forhold[0]; did you mean"
        " 'overskrift'?\n"
        "  hint: the keys allowed here are overskrift, tekst\n",
    ),
    # One problem, at the misspelt key: not also "missing required key" at another line.
    "misspelt required key": Case(
        {AREA: "ingress: Tekst\nøkonomisk_status:\n  fakta: a\n  vurderring: b\n"
               "  konklusjon: c\n"},
        RENDER, 1,
        f"{AREA}:4:3: error: unknown key 'vurderring' under økonomisk_status; did you mean"
        " 'vurdering'?\n"
        "  hint: the keys allowed here are fakta, vurdering, konklusjon, tall\n",
    ),
    "unknown top-level key": Case(
        {AREA: "ingres: Tekst\n" + STATUS}, RENDER, 1,
        f"{AREA}:1:1: error: unknown key 'ingres'; did you mean 'ingress'?\n"
        "  hint: the keys allowed here are programområde, ingress,"
        " økonomisk_status, investeringer, andre_forhold, tabeller\n",
    ),
    "number where text is expected": Case(
        {AREA: "ingress: 12\n"
         + STATUS.replace("fakta: Forbruk i tråd med budsjett.", "fakta: 1.5")},
        RENDER, 1,
        f"{AREA}:1:10: error: ingress: expected text, found the number 12\n"
        "  hint: put the value in quotes\n"
        f"{AREA}:3:10: error: økonomisk_status.fakta: expected text, found the number 1.5\n"
        "  hint: put the value in quotes\n",
    ),
    "yes read as a boolean": Case(
        {AREA: "ingress: Tekst\n" + STATUS.replace("vurdering: Ingen avvik.", "vurdering: yes")},
        RENDER, 1,
        f"{AREA}:4:14: error: økonomisk_status.vurdering: YAML read this as true"
        " (yes/no/on/off are booleans)\n"
        "  hint: put the text in quotes\n",
    ),
    "missing required key": Case(
        {AREA: "ingress: Tekst\nøkonomisk_status:\n  fakta: a\n  vurdering: b\n"}, RENDER, 1,
        f"{AREA}:3:3: error: missing required key 'konklusjon' under økonomisk_status\n"
        "  hint: add `konklusjon:` with its text\n",
    ),
    "missing key in a list item": Case(
        {AREA: "ingress: Tekst\n" + STATUS + "andre_forhold:\n  - tekst: a\n  - overskrift: b\n"},
        RENDER, 1,
        f"{AREA}:8:5: error: missing required key 'tekst' under andre_forhold[1]\n"
        "  hint: add `tekst:` with its text\n",
    ),
    "mapping expected": Case(
        {AREA: "ingress: Tekst\nøkonomisk_status: Alt i orden.\n"}, RENDER, 1,
        f"{AREA}:2:19: error: økonomisk_status: expected keys and values, found the text"
        " 'Alt i orden.'\n"
        "  hint: indent `key: value` lines under it\n",
    ),
    "list expected": Case(
        {AREA: "ingress: Tekst\n" + STATUS + "andre_forhold: Ingenting.\n"}, RENDER, 1,
        f"{AREA}:6:16: error: andre_forhold: expected a list, found the text 'Ingenting.'\n"
        + LIST_HINT,
    ),
    "bad amount and unit": Case(
        {AREA: "ingress: Tekst\n" + STATUS + "  tall:\n    enhet: NOK\n    rader:\n"
         "      - navn: Skoler\n        regnskap: '1,5'\n        budsjett: 2\n"
         "        årsbudsjett: 6\n        prognose: 6\n"},
        RENDER, 1,
        f"{AREA}:7:12: error: økonomisk_status.tall.enhet: 'NOK' is not allowed\n"
        "  hint: use 'mill. kr' or '1000 kr'\n"
        f"{AREA}:10:19: error: økonomisk_status.tall.rader[0].regnskap: '1,5' is not a number\n"
        "  hint: write amounts with a dot decimal separator and no spaces (1250.5);"
        " formatting happens in the documents\n",
    ),
    "duplicate key": Case(
        {AREA: "ingress: Tekst\n" + STATUS + "ingress: Igjen\n"}, RENDER, 1,
        f"{AREA}:6:1: error: duplicate key 'ingress' (first written at line 1)\n"
        "  hint: YAML would silently keep only the last one; merge the two or rename one\n",
    ),
    "python tag refused": Case(
        {AREA: "ingress: !!python/object/apply:os.system ['touch hacked']\n" + STATUS},
        RENDER, 1,
        f"{AREA}:1:10: error: invalid YAML: the tag"
        " 'tag:yaml.org,2002:python/object/apply:os.system' is not allowed\n"
        "  hint: remove the `!` tag: inputs are plain text, numbers, lists and mappings\n",
    ),
    "python tag on a text refused": Case(
        {AREA: "ingress: !!python/name:os.system Tekst\n" + STATUS}, RENDER, 1,
        f"{AREA}:1:10: error: invalid YAML: the tag 'tag:yaml.org,2002:python/name:os.system'"
        " is not allowed\n"
        "  hint: remove the `!` tag: inputs are plain text, numbers, lists and mappings\n",
    ),
    "control character as an escape": Case(
        {AREA: 'ingress: "Tekst limt inn\\x01 fra Word"\n' + STATUS}, RENDER, 1,
        f"{AREA}:1:10: error: ingress: character U+0001 cannot be stored in a document"
        " (line 1 of the text, character 15)\n"
        "  hint: remove the control character; it often comes along when text is pasted from"
        " Word, PDF or e-mail\n",
    ),
    "control character as itself": Case(
        {AREA: "ingress: Tekst limt inn\x01 fra Word\n" + STATUS}, RENDER, 1,
        f"{AREA}:1:24: error: character U+0001 is not allowed in YAML\n"
        "  hint: remove the control character (often pasted from Word or e-mail)\n",
    ),
    "not UTF-8": Case(
        {AREA: b"ingress: Tekst\n" + "økonomisk_status: x\n".encode("latin-1")},
        RENDER, 1,
        f"{AREA}:2:1: error: the file is not valid UTF-8 (byte 0xf8)\n"
        "  hint: save the file as UTF-8 (in most editors: Save As, encoding UTF-8)\n",
    ),
    "empty file": Case(
        {AREA: "# bare en kommentar\n"}, RENDER, 1,
        f"{AREA}:1:1: error: the file is empty\n"
        "  hint: write the keys ingress, økonomisk_status (and, if needed, programområde,"
        " investeringer, andre_forhold, tabeller)\n",
    ),
    "billion laughs": Case(
        {AREA: BILLION_LAUGHS}, RENDER, 1,
        f"{AREA}:1:8: error: more than 50000 values after expanding aliases\n"
        "  hint: anchors and aliases (&, *) are not needed in report inputs; write the text out\n",
    ),
    "area code in the file disagrees": Case(
        {AREA: "programområde: '07'\ningress: Tekst\n" + STATUS}, RENDER, 1,
        f"{AREA}:1:16: error: programområde: '07' does not match the file name 08.yaml\n"
        "  hint: the file name decides the area; remove this key or rename the file\n",
    ),
    "missing input file": Case(
        {AREA: dump_yaml(MINIMAL_AREA)}, ("render", "07", "2017-T1", "--out", "out"), 1,
        "inputs/2017-T1/07.yaml: error: no input for area 07 in 2017-T1\n"
        "  hint: write inputs/2017-T1/07.yaml (see README.md, 'Writing an input file'),"
        " or render only the areas that have one\n",
    ),
    "missing kommune.yaml": Case(
        {AREA: dump_yaml(MINIMAL_AREA)}, RENDER, 1,
        "inputs/kommune.yaml: error: kommune.yaml not found\n"
        "  hint: create it with `kommune:`, `språk:` and `programområder:`, or pass --inputs\n",
        extra={"remove": "inputs/kommune.yaml"},
    ),
    "several problems in several files": Case(
        {
            AREA: "ingress: 12\n" + STATUS + "ingress_2: x\n",
            "inputs/2017-T1/07.yaml": "ingress: Tekst\n" + STATUS.replace(
                "konklusjon: Årsresultat i balanse.", "konklusjon: no"
            ) + "andre_forhold: Ingenting.\n",
        },
        ("render", "08", "07", "2017-T1", "--out", "out"), 1,
        "inputs/2017-T1/07.yaml:5:15: error: økonomisk_status.konklusjon: YAML read this as false"
        " (yes/no/on/off are booleans)\n"
        "  hint: put the text in quotes\n"
        "inputs/2017-T1/07.yaml:6:16: error: andre_forhold: expected a list, found the text"
        " 'Ingenting.'\n"
        + LIST_HINT +
        f"{AREA}:1:10: error: ingress: expected text, found the number 12\n"
        "  hint: put the value in quotes\n"
        f"{AREA}:6:1: error: unknown key 'ingress_2'; did you mean 'ingress'?\n"
        "  hint: the keys allowed here are programområde, ingress,"
        " økonomisk_status, investeringer, andre_forhold, tabeller\n",
    ),
    # Usage errors: exit status 2, click's usage line first.
    "malformed period": Case(
        {AREA: dump_yaml(MINIMAL_AREA)}, ("render", "08", "2017-X9", "--out", "out"), 2,
        USAGE + "Error: Invalid value for 'PERIOD': '2017-X9' is not a period;"
        " write YEAR-T1, YEAR-T2 or YEAR-T3, such as 2017-T1\n",
    ),
    "area not in the register": Case(
        {AREA: dump_yaml(MINIMAL_AREA), "inputs/2017-T1/99.yaml": dump_yaml(MINIMAL_AREA)},
        ("render", "99", "2017-T1", "--out", "out"), 2,
        "error: area 99 is not in the register of programme areas\n"
        "  hint: use a two-digit code from kommune.yaml (07, 08) or `all`\n",
    ),
    "one-digit area code": Case(
        {AREA: dump_yaml(MINIMAL_AREA)}, ("render", "8", "2017-T1", "--out", "out"), 2,
        USAGE + "Error: Invalid value for AREA: '8' is not an area code: use two digits such"
        " as 08, or `all` (write 08)\n",
    ),
    "unknown option": Case(
        {AREA: dump_yaml(MINIMAL_AREA)}, (*RENDER, "--colour"), 2,
        USAGE + "Error: No such option '--colour'. Did you mean '--out'?\n",
    ),
    "unknown format": Case(
        {AREA: dump_yaml(MINIMAL_AREA)}, (*RENDER, "--format", "docx,odt"), 2,
        USAGE + "Error: Invalid value for '--format': odt is not a format;"
        " choose from docx,pdf,html,site\n",
    ),
}

PREVIOUS = b"<!DOCTYPE html><p>Forrige versjon</p>\n"


@pytest.fixture(params=["no output folder", "earlier outputs"])
def out_before(request: pytest.FixtureRequest, project: Project) -> dict[str, bytes | None]:
    """The output folder before the run: absent, or holding earlier outputs to keep."""
    if request.param == "earlier outputs":
        project.write({"out/2017-T1/08.html": PREVIOUS, "out/2017-T1/08.docx": b"PK\x03\x04old"})
    return snapshot(project.out)


@pytest.mark.parametrize("name", CASES)
def test_error_message_status_and_nothing_written(
    name: str, project: Project, out_before: dict[str, bytes | None], cli: Callable[..., Result]
) -> None:
    case = CASES[name]
    project.write(case.files)
    if "remove" in case.extra:
        (project.root / case.extra["remove"]).unlink()
    result = cli(*case.argv)
    assert result.err == case.stderr
    assert result.code == case.status
    assert "Traceback" not in result.err
    assert snapshot(project.out) == out_before
    assert not (project.root / "build").exists()
    assert not (project.root / "hacked").exists()


def test_every_input_error_names_a_place_and_a_hint() -> None:
    # The shape DESIGN.md promises for problems in the inputs: `path[:line:col]: error:` + hint.
    # A hint may go on over further lines, indented under it: the fix as text to type.
    for name, case in CASES.items():
        if case.status != 1:
            continue
        problems = re.split(r"\n(?! )", case.stderr.rstrip("\n"))
        for problem in problems:
            what, hint, *more = problem.split("\n")
            assert what.startswith("inputs/") and ": error: " in what, (name, what)
            assert hint.startswith("  hint: "), (name, hint)
            assert all(line.startswith("      ") for line in more), (name, more)


# --- check ---------------------------------------------------------------------------------------

def copy_real_inputs(project: Project) -> None:
    shutil.rmtree(project.inputs)
    shutil.copytree(INPUTS, project.inputs)


REGISTER = {"01": "Barnehage", "02": "Oppvekst", "03": "Samfunnssikkerhet",
            "04": "Byutvikling", "05": "Helse-, sosial og omsorg", "06": "Kultur",
            "07": "Ledelse, organisering og styring", "08": "Kompetanse, markedsføring og næring",
            "09": "Idrett, park og natur", "10": "Politisk styring", "11": "Vei",
            "12": "Grunnskole", "13": "Introduksjonstjenester", "14": "Vann og avløp"}


def headings(stderr: str) -> dict[str, str]:
    """check's heading line per area: {"08": "3 warnings", ...}."""
    found = {}
    for line in stderr.splitlines():
        if line.startswith("== ") and ": " in line:
            name, _, what = line[3:].partition(": ")
            found[name.split(" ", 1)[0]] = what
    return found


def test_check_accepts_the_real_inputs_and_writes_nothing(
    project: Project, cli: Callable[..., Result]
) -> None:
    copy_real_inputs(project)
    before = snapshot(project.root)
    result = cli("check", "2017-T1")
    assert result.code == 0
    assert result.out == (
        "2017-T1: 13 areas ready, 1 with warnings, 0 with errors (0 errors, 3 warnings);"
        " rapport.yaml ok\n"
    )
    # A heading line per area, in the register's order, then rapport.yaml.
    lines = [line for line in result.err.splitlines() if line.startswith("== ")]
    assert lines == [f"== {code} {name}: {'3 warnings' if code == '08' else 'ready'}"
                     for code, name in REGISTER.items()] + ["== rapport.yaml ok"]
    # The seed's three long sentences are warnings (klarspråk), never errors.
    warnings = [line for line in result.err.splitlines()
                if not line.startswith(("  hint: ", "== "))]
    assert warnings == [
        "inputs/2017-T1/08.yaml:4:10: warning: ingress: a sentence of 35 words:"
        " «For å øke antall nye arbeidsplasser i Drammen …»",
        "inputs/2017-T1/08.yaml:9:14: warning: økonomisk_status.vurdering: a sentence of 32"
        " words: «Det vurderes som viktig at programområdet har økonomisk …»",
        "inputs/2017-T1/08.yaml:19:12: warning: andre_forhold.1.tekst: a sentence of 46 words:"
        " «Omdømmeprosjektet har vart i ti år, og forlenges …»",
    ]
    assert snapshot(project.root) == before
    strict = cli("check", "2017-T1", "--strict")
    assert strict.code == 1
    assert strict.err.endswith("error: 3 warning(s), and --strict treats them as errors\n")
    quiet = cli("check", "2017-T1", "--quiet")
    assert (quiet.code, quiet.out, quiet.err) == (0, result.out, "")


def test_check_lists_every_problem_and_writes_nothing(
    project: Project, cli: Callable[..., Result]
) -> None:
    copy_real_inputs(project)
    path = project.inputs / "2017-T1" / "05.yaml"
    path.write_text(path.read_text(encoding="utf-8") + "investeringr: Ny sykehjemsfløy.\n",
                    encoding="utf-8")
    line = path.read_text(encoding="utf-8").count("\n")
    (project.inputs / "2017-T1" / "15.yaml").write_text(dump_yaml(MINIMAL_AREA), encoding="utf-8")
    before = snapshot(project.root)
    result = cli("check", "2017-T1")
    assert result.code == 1
    assert result.out == (
        "2017-T1: 12 areas ready, 1 with warnings, 2 with errors (2 errors, 3 warnings);"
        " rapport.yaml ok\n"
    )
    # Area 08's warnings are shown beside the other areas' errors.
    assert headings(result.err)["08"] == "3 warnings"
    errors = result.err.split("== 05 Helse-, sosial og omsorg: 1 error\n", 1)[1]
    assert errors.startswith(
        f"inputs/2017-T1/05.yaml:{line}:1: error: unknown key 'investeringr'; did you mean"
        " 'investeringer'?\n"
        "  hint: the keys allowed here are programområde,"
        " ingress, økonomisk_status, investeringer, andre_forhold, tabeller\n"
        "== 06 Kultur: ready\n"
    )
    assert result.err.split("== 14 Vann og avløp: ready\n", 1)[1] == (
        "== 15 (not in the register): 1 error\n"
        "inputs/2017-T1/15.yaml: error: area 15 has an input file but is not in the register\n"
        "  hint: add it under `programområder:` in kommune.yaml, or remove the file\n"
        "== rapport.yaml ok\n"
    )
    assert snapshot(project.root) == before


def test_check_with_a_malformed_period_is_a_usage_error(
    project: Project, cli: Callable[..., Result]
) -> None:
    result = cli("check", "2017")
    assert result.code == 2
    assert result.err == (
        "Usage: reportgen check [OPTIONS] [PERIOD] [AREAS]...\n"
        "Try 'reportgen check --help' for help.\n\n"
        "Error: Invalid value for '[PERIOD]': '2017' is not a period; write YEAR-T1, YEAR-T2 or"
        " YEAR-T3, such as 2017-T1\n"
    )


# --- version, help --------------------------------------------------------------------------------

def test_version(cli: Callable[..., Result]) -> None:
    result = cli("--version")
    assert (result.code, result.out, result.err) == (
        0, f"reportgen, version {reportgen.__version__}\n", ""
    )


@pytest.mark.parametrize("argv", [("--help",), ("-h",)])
def test_help(argv: tuple[str, ...], cli: Callable[..., Result]) -> None:
    result = cli(*argv)
    assert (result.code, result.err) == (0, "")
    assert result.out.startswith("Usage: reportgen [OPTIONS] COMMAND [ARGS]...\n")
    commands = result.out.split("Commands:\n", 1)[1].split()
    assert "render" in commands and "check" in commands


def test_render_help_lists_the_options(cli: Callable[..., Result]) -> None:
    result = cli("render", "--help")
    assert (result.code, result.err) == (0, "")
    for option in ("--format", "--inputs", "--templates", "--out", "--force", "--quiet"):
        assert option in result.out


def test_no_command_shows_usage(cli: Callable[..., Result]) -> None:
    result = cli()
    assert result.code == 2  # a usage error, with the help to fix it
    assert "Usage: reportgen [OPTIONS] COMMAND [ARGS]..." in result.out + result.err


# --- as a separate process ---------------------------------------------------------------------

def test_process_broken_yaml_exits_1_and_writes_nothing(project: Project) -> None:
    project.write({AREA: "ingress: [ikke lukket\n" + STATUS})
    result = run_process(*RENDER, cwd=project.root)
    assert (result.code, result.out) == (1, "")
    assert result.err == CASES["broken YAML"].stderr
    assert not project.out.exists()


def test_process_version_and_unknown_option(project: Project) -> None:
    version = run_process("--version", cwd=project.root)
    assert (version.code, version.out) == (0, f"reportgen, version {reportgen.__version__}\n")
    wrong = run_process("--bogus", cwd=project.root)
    assert wrong.code == 2
    assert wrong.err == (
        "Usage: reportgen [OPTIONS] COMMAND [ARGS]...\nTry 'reportgen --help' for help.\n\n"
        "Error: No such option '--bogus'.\n"
    )
