"""reportgen's messages in bokmål, nynorsk and English: every message in the code is marked for
translation and translated in both catalogs; the language follows --lang and the locale."""

from __future__ import annotations

import ast
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "scripts"))

import catalogs  # noqa: E402  (scripts/catalogs.py)
from helpers import KOMMUNE, make_project  # noqa: E402

from reportgen import messages  # noqa: E402
from reportgen.messages import language_from_environment, language_of  # noqa: E402

FIELD = re.compile(r"(?<!\{)\{([^{}]*)\}(?!\})")


def fields(text: str) -> set[str]:
    """The {fields} a text fills in (with their conversions: {name!r})."""
    return set(FIELD.findall(text))


@pytest.fixture(scope="module")
def extracted() -> list[str]:
    return [m.id for m in catalogs.extract() if m.id]


@pytest.mark.parametrize("language", messages.CATALOG_LANGUAGES)
def test_every_message_is_translated_with_the_same_fields(language: str,
                                                          extracted: list[str]) -> None:
    catalog = catalogs.read(language)
    problems = []
    for msgid in extracted:
        message = catalog.get(msgid)
        ids = msgid if isinstance(msgid, tuple) else (msgid,)
        if message is None or not message.string or message.fuzzy:
            problems.append(f"not translated: {msgid!r}")
            continue
        strings = message.string if isinstance(message.string, tuple) else (message.string,)
        for translated in strings:
            if fields(translated) != fields(ids[-1]) and fields(translated) != fields(ids[0]):
                problems.append(f"fields differ: {msgid!r} -> {translated!r}")
    assert problems == []


@pytest.mark.parametrize("language", messages.CATALOG_LANGUAGES)
def test_the_compiled_catalogs_are_the_catalogs(language: str) -> None:
    """The committed .mo is the .po compiled (scripts/catalogs.py compile was run)."""
    compiled = catalogs.po_path(language).with_suffix(".mo")
    assert compiled.read_bytes() == catalogs.mo_bytes(catalogs.read(language))


def test_the_catalogs_hold_no_message_the_code_no_longer_has(extracted: list[str]) -> None:
    for language in messages.CATALOG_LANGUAGES:
        ids = {m.id for m in catalogs.read(language) if m.id}
        assert ids - set(extracted) == set(), language


# --- which language ---------------------------------------------------------------------------

@pytest.mark.parametrize(("environ", "expected"), [
    ({}, "en"),
    ({"LANG": "nb_NO.UTF-8"}, "nb"),
    ({"LANG": "nn_NO.UTF-8"}, "nn"),
    ({"LANG": "no_NO.UTF-8"}, "nb"),
    ({"LANG": "en_GB.UTF-8"}, "en"),
    ({"LANG": "de_DE.UTF-8"}, "en"),
    ({"LANG": "C"}, "en"),
    ({"LANG": "C.UTF-8"}, "en"),
    ({"LANG": "nb_NO.UTF-8", "LC_MESSAGES": "nn_NO.UTF-8"}, "nn"),
    ({"LANG": "nb_NO.UTF-8", "LC_ALL": "en_US.UTF-8"}, "en"),
    ({"LANG": "en_US.UTF-8", "LANGUAGE": "nn:nb"}, "nn"),
    ({"LANG": "nb_NO.UTF-8", "LANGUAGE": "de:sv"}, "nb"),  # no catalog: the locale's own
    ({"LC_ALL": "C", "LANGUAGE": "nb"}, "en"),  # LANGUAGE is ignored in the C locale
])
def test_the_language_comes_from_the_locale_variables(environ: dict[str, str],
                                                      expected: str) -> None:
    assert language_from_environment(environ) == expected


def test_locale_names() -> None:
    assert [language_of(n) for n in ("nb", "nb_NO", "nb-NO", "nn_NO.utf8", "no", "sv_SE",
                                     "nb_NO@euro")] == ["nb", "nb", "nb", "nn", "nb", None, "nb"]


def _reportgen(tmp_path: Path, *args: str, **env: str) -> subprocess.CompletedProcess[str]:
    environ = {k: v for k, v in os.environ.items()
               if k not in ("LANGUAGE", "LC_ALL", "LC_MESSAGES", "LANG")}
    return subprocess.run([sys.executable, "-m", "reportgen", *args], cwd=tmp_path,
                          capture_output=True, text=True, env={**environ, **env}, timeout=120)


def test_messages_follow_lang_and_the_option(tmp_path: Path) -> None:
    """Outside a report folder: the same error in English, bokmål and nynorsk."""
    english = _reportgen(tmp_path, "check", "2017-T1", LANG="C.UTF-8")
    bokmal = _reportgen(tmp_path, "check", "2017-T1", LANG="nb_NO.UTF-8")
    nynorsk = _reportgen(tmp_path, "check", "2017-T1", "--lang", "nn", LANG="nb_NO.UTF-8")
    assert (english.returncode, bokmal.returncode, nynorsk.returncode) == (1, 1, 1)
    assert english.stderr.startswith("error: ") and "\n  hint: " in english.stderr
    assert bokmal.stderr.startswith("feil: ") and "\n  tips: " in bokmal.stderr
    assert nynorsk.stderr.startswith("feil: ") and "\n  tips: " in nynorsk.stderr
    assert len({english.stderr, bokmal.stderr, nynorsk.stderr}) == 3


# --- the common YAML mistakes, in words, in bokmål and nynorsk ---------------------------------

MISTAKES_AREA = ("ingress: Tekst\nøkonomisk_status:\n  fakta: Forbruk i tråd med budsjett.\n"
                 "  vurdering: Ingen avvik.\n  konklusjon: Årsresultat i balanse.\n")
MISTAKES = {  # a colon in a text, a quote that does not close, a tab
    "07": MISTAKES_AREA.replace("fakta: Forbruk", "fakta: Merk: forbruk"),
    "08": MISTAKES_AREA.replace("fakta: Forbruk i tråd med budsjett.",
                                'fakta: "Forbruk i tråd med budsjett.'),
    "09": "ingress: Tekst\nøkonomisk_status:\n\tfakta: a\n",
}
FOLDER = "inputs/2017-T1"
MISTAKES_IN = {
    "nb_NO.UTF-8": (
        "== 07 Ledelse, organisering og styring: 1 feil\n"
        f"{FOLDER}/07.yaml:3:14: feil: teksten i `fakta` har et kolon med mellomrom etter"
        " (`: `), som YAML leser som starten på en ny nøkkel\n"
        "  tips: skriv teksten som en blokk: sett `|` etter nøkkelen og teksten på linjene under,"
        " med innrykk:\n"
        "      fakta: |\n"
        "        Merk: forbruk i tråd med budsjett.\n"
        "== 08 Kompetanse, markedsføring og næring: 1 feil\n"
        f'{FOLDER}/08.yaml:3:10: feil: anførselstegnet " som innleder teksten i `fakta`, blir'
        " aldri avsluttet\n"
        '  tips: avslutt teksten med " på samme linje; eller, hvis anførselstegnet hører til'
        " teksten, skriv teksten som en blokk: sett `|` etter nøkkelen og teksten på linjene"
        " under, med innrykk:\n"
        "      fakta: |\n"
        '        "Forbruk i tråd med budsjett.\n'
        "== 09 Idrett, park og natur: 1 feil\n"
        f"{FOLDER}/09.yaml:3:1: feil: et tabulatortegn: YAML tillater bare mellomrom her\n"
        "  tips: bytt ut tabulatortegnet med mellomrom (2 for hvert nivå, i samme kolonne som"
        " linjene rundt), slik:\n"
        "        fakta: a\n",
        "2017-T1: 0 programområder klare, 0 med advarsler, 3 med feil (3 feil, 0 advarsler);"
        " ingen rapport.yaml (hele rapporten bruker standardverdiene)\n"),
    "nn_NO.UTF-8": (
        "== 07 Ledelse, organisering og styring: 1 feil\n"
        f"{FOLDER}/07.yaml:3:14: feil: teksten i `fakta` har eit kolon med mellomrom etter"
        " (`: `), som YAML les som starten på ein ny nøkkel\n"
        "  tips: skriv teksten som ein blokk: set `|` etter nøkkelen og teksten på linjene under,"
        " med innrykk:\n"
        "      fakta: |\n"
        "        Merk: forbruk i tråd med budsjett.\n"
        "== 08 Kompetanse, markedsføring og næring: 1 feil\n"
        f'{FOLDER}/08.yaml:3:10: feil: hermeteiknet " som byrjar teksten i `fakta`, blir aldri'
        " avslutta\n"
        '  tips: avslutt teksten med " på same linje; eller, om hermeteiknet høyrer til teksten,'
        " skriv teksten som ein blokk: set `|` etter nøkkelen og teksten på linjene under, med"
        " innrykk:\n"
        "      fakta: |\n"
        '        "Forbruk i tråd med budsjett.\n'
        "== 09 Idrett, park og natur: 1 feil\n"
        f"{FOLDER}/09.yaml:3:1: feil: eit tabulatorteikn: YAML tillèt berre mellomrom her\n"
        "  tips: byt ut tabulatorteiknet med mellomrom (2 for kvart nivå, i same kolonne som"
        " linjene rundt), slik:\n"
        "        fakta: a\n",
        "2017-T1: 0 programområde klare, 0 med åtvaringar, 3 med feil (3 feil, 0 åtvaringar);"
        " ingen rapport.yaml (heile rapporten brukar standardverdiane)\n"),
}


@pytest.mark.parametrize("lang", list(MISTAKES_IN))
def test_yaml_mistakes_are_told_in_bokmal_and_nynorsk(tmp_path: Path, lang: str) -> None:
    """check on a period with a colon in a text, a quote that does not close and a tab: each
    mistake in the author's language, the fix (the text to type) exactly as in English."""
    kommune = {**KOMMUNE, "programområder": {**KOMMUNE["programområder"],
                                             "09": "Idrett, park og natur"}}
    project = make_project(tmp_path, kommune)
    for code, text in MISTAKES.items():
        project.write_area(code, text)
    done = _reportgen(tmp_path, "check", "2017-T1", LANG=lang)
    assert (done.returncode, done.stderr, done.stdout) == (1, *MISTAKES_IN[lang])


def test_serve_s_own_pages_follow_the_messages_language() -> None:
    """The index, problem and not-found pages of `serve`: their own words and their lang."""
    from reportgen.commands.serve import (
        Document,
        State,
        index_page,
        not_found_page,
        problem_page,
    )
    from reportgen.errors import InputError
    from reportgen.period import Period

    period = Period(2017, 1)
    problem = InputError("x", hint="y")
    state = State(documents={"07": Document("07", "07 Ledelse", problems=(problem,)),
                             "08": Document("08", "08 Kompetanse", state="missing")})
    shown = {}
    try:
        for code in messages.LANGUAGES:
            messages.use_language(code)
            shown[code] = (index_page(state, period), problem_page(state.documents["07"], period),
                           not_found_page("/x"))
    finally:
        messages.use_language(messages.ENGLISH)
    for code, words in (("en", ("Preview of 1. tertial 2017", "07 Ledelse</a> – <span"
                                ' class="bad">1 error</span>', "08 Kompetanse – missing",
                                "07 Ledelse cannot be shown", "error: x", "hint: y",
                                "Page not found")),
                        ("nb", ("Forhåndsvisning av 1. tertial 2017", "07 Ledelse</a> – <span"
                                ' class="bad">1 feil</span>', "08 Kompetanse – mangler",
                                "07 Ledelse kan ikke vises", "feil: x", "tips: y",
                                "Fant ikke siden")),
                        ("nn", ("Førehandsvising av 1. tertial 2017", "07 Ledelse</a> – <span"
                                ' class="bad">1 feil</span>', "08 Kompetanse – manglar",
                                "07 Ledelse kan ikkje visast", "feil: x", "tips: y",
                                "Fann ikkje sida"))):
        page = "".join(shown[code])
        assert page.count(f'<html lang="{code}">') == 3
        for word in words:
            assert word in page, (code, word)


def test_the_help_follows_the_language(tmp_path: Path) -> None:
    """A command's help and its options' in the messages' language; the examples' commands
    as they are typed."""
    english = _reportgen(tmp_path, "render", "--help", LANG="C.UTF-8")
    nynorsk = _reportgen(tmp_path, "--lang", "nn", "render", "--help", LANG="C.UTF-8")
    bokmal = _reportgen(tmp_path, "--help", LANG="nb_NO.UTF-8")
    assert (english.returncode, nynorsk.returncode, bokmal.returncode) == (0, 0, 0)
    assert "  Examples:\n    reportgen render 08 2017-T1\n" in english.stdout
    assert "Print only errors." in english.stdout
    assert "  Døme:\n    reportgen render 08 2017-T1\n" in nynorsk.stdout
    assert "reportgen render all 2017-T1 --format site   (nettstaden)\n" in nynorsk.stdout
    assert "Skriv berre ut feil." in nynorsk.stdout and "Lag dokumenta for AREA..." in nynorsk.stdout
    assert "Lag en kommunes tertialrapport fra YAML som DOCX, PDF og HTML." in bokmal.stdout


def test_an_unknown_language_is_a_usage_error(tmp_path: Path) -> None:
    done = _reportgen(tmp_path, "--lang", "de", "check", "2017-T1", LANG="C.UTF-8")
    assert (done.returncode, done.stdout) == (2, "")
    assert done.stderr == ("error: --lang 'de': reportgen's messages are in en, nb, nn\n"
                           "  hint: write --lang nb (bokmål), --lang nn (nynorsk) or --lang en"
                           " (English)\n")


def test_click_s_own_messages_are_translated(tmp_path: Path) -> None:
    """A usage error of click's own (render needs its areas and period; check's period is
    optional, so `check` alone is no usage error)."""
    done = _reportgen(tmp_path, "render", LANG="nb_NO.UTF-8")
    assert done.returncode == 2
    assert "Usage:" not in done.stderr and "Missing argument" not in done.stderr, done.stderr
    assert "Bruk: reportgen render" in done.stderr and "Mangler argument" in done.stderr


# --- every message is marked ------------------------------------------------------------------

MARKERS = ("_", "ngettext")


def _marked(node: ast.AST) -> bool:
    """A message expression that is translated: _(…), ngettext(…), _(…).format(…)."""
    if isinstance(node, ast.Call):
        func = node.func
        if isinstance(func, ast.Name) and func.id in MARKERS:
            return True
        if isinstance(func, ast.Attribute) and func.attr == "format":
            return _marked(func.value)
    return False


def _literal(node: ast.AST) -> bool:
    """English text written in place: a string, an f-string, or a sum that holds one."""
    if isinstance(node, ast.Constant):
        return isinstance(node.value, str) and bool(re.search(r"[A-Za-z]{2}", node.value))
    if isinstance(node, ast.JoinedStr):
        return any(_literal(v) for v in node.values)
    if isinstance(node, ast.BinOp):
        return _literal(node.left) or _literal(node.right)
    if isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute) \
            and node.func.attr == "format":
        return _literal(node.func.value)
    return False


def _sink(call: ast.Call) -> bool:
    """A call that shows its first argument to the user: an error or warning of reportgen,
    or printing (echo)."""
    func = call.func
    name = func.id if isinstance(func, ast.Name) else func.attr \
        if isinstance(func, ast.Attribute) else ""
    return name.endswith(("Error", "Warning")) and name not in BUILTIN or name in ("echo",
                                                                                   "secho")


BUILTIN = {name for name in dir(__builtins__ if isinstance(__builtins__, dict) else
                                 vars(__builtins__)) if name.endswith(("Error", "Warning"))}
BUILTIN |= {"ValueError", "TypeError", "OSError", "RuntimeError", "UserWarning"}


def unmarked_messages() -> list[str]:
    found = []
    for path in sorted((ROOT / "reportgen").rglob("*.py")):
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for node in ast.walk(tree):
            if not isinstance(node, ast.Call) or not _sink(node):
                continue
            shown = [*node.args[:1], *(k.value for k in node.keywords if k.arg == "hint")]
            for value in shown:
                if _literal(value) and not _marked(value):
                    found.append(f"{path.relative_to(ROOT)}:{value.lineno}")
    return found


def test_every_message_in_the_code_is_marked_for_translation() -> None:
    assert unmarked_messages() == []
