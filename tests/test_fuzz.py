"""Fuzzers: arbitrary YAML for `check` and `render`, arbitrary DOCX packages for `import`.

They assert only what must hold for any input (hostile.problems and the files on disk):
the exit status is 0, 1 or 2; an exit status of 1 comes with an `error:` line; the command
ends within its bound; nothing is written outside the output folder (and for `import`, the
YAML changes only when it exits 0). Hypothesis runs derandomized, so CI sees the same
examples each time; the examples are few enough that both fuzzers take well under a minute.
Run with HYPOTHESIS_PROFILE=long for many more (the bounds stay).

Mutations that find a fault whose fix is still pending (listed in docs/reliability.md and
kept as xfail cases in test_hostile_corpus.py) are listed in PENDING and left out of the
strategies; when a fix lands, remove its entry and the fuzzer covers that class too.
"""

from __future__ import annotations

import os
import re
import tempfile
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
import yaml
from helpers import INPUTS, KOMMUNE, dump_yaml, make_project, paths
from hostile import changes, docx_package, docx_parts, problems, run_in_process, tree
from hypothesis import HealthCheck, given, note, settings
from hypothesis import strategies as st

FUZZ_SECONDS = 20  # the bound of one command in the fuzzers
AREA = Path("inputs/2017-T1/08.yaml")
W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"

# Faults the fuzzers find today, left out until their fix lands (see the module docstring).
PENDING = {
    # numbers: an amount 1.0e+999999999 or of 400 digits crashes the render (exit 70); an
    # impossible date (2017-02-30) crashes the YAML reader (exit 70).
    "huge numbers", "impossible dates",
    # speed: long runs of unclosed `*` or `[` are quadratic in the Markdown parser.
    "long markup",
}

if os.environ.get("FUZZ_PENDING") == "include":  # to see what the pending fixes must cover
    PENDING.clear()

settings.register_profile(
    "ci", max_examples=60, deadline=None, derandomize=True, database=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large,
                           HealthCheck.function_scoped_fixture],
)
if os.environ.get("FUZZ_PENDING") == "include":  # to see what the pending fixes must cover
    PENDING.clear()

settings.register_profile("long", parent=settings.get_profile("ci"), max_examples=2000)
PROFILE = os.environ.get("HYPOTHESIS_PROFILE", "ci")
EXAMPLES = settings.get_profile(PROFILE).max_examples


# --- YAML documents ----------------------------------------------------------------------------

BASES = [p.read_text(encoding="utf-8") for p in sorted((INPUTS / "2017-T1").glob("*.yaml"))]
KEYS = ["ingress", "økonomisk_status", "fakta", "vurdering", "konklusjon", "tall", "enhet",
        "rader", "navn", "regnskap", "budsjett", "årsbudsjett", "prognose", "investeringer",
        "andre_forhold", "overskrift", "tekst", "programområde", "tittel", "dato", "x", "",
        "Ingress", "økonomisk status", "07", "<<", "?", "-", "{a}", "ingress\u200b"]
# Numbers of every YAML form, and words YAML 1.1 reads as something other than text.
NUMBERS = ["0", "-0", "+12", "1_000", "1.5", "-0.0", "12e3", "1.0e+3", ".5", "1.", ".inf",
           "-.Inf", ".NaN", "0b101", "0o17", "017", "0x1F", "1:30", "1:30.5", "1e400",
           "4.1", "1250.5", "1 250,5", "1250,5", "12 %", "~", "null", "yes", "No", "on", "OFF",
           "true", "2017-05-23", "2017-05-23T10:00:00Z", "2001-12-14t21:59:43.10-05:00",
           "99999999999", "-12345678.123456789"]
if "huge numbers" not in PENDING:
    NUMBERS += ["1.0e+999999999", "9" * 400, "-1.0e-999999999"]
if "impossible dates" not in PENDING:
    NUMBERS += ["2017-02-30", "2017-13-01", "0000-01-01"]
CONTROLS = ["\x00", "\x01", "\x08", "\x0b", "\x0c", "\x1b", "\x7f", "\x85", "\u2028",
            "\u2029", "\ufeff", "\ufffe", "\t", "\r", "\r\n"]
FRAGMENTS = ["&a ", "*a", "<<: *a", "!!str ", "!!int ", "!!float ", "!!binary ", "!lokal ",
             '!!python/object/apply:os.system ["true"] ', "!!set ", "!!timestamp ", "!!null ",
             "? ", "--- ", "...", "%YAML 1.2\n---\n", "{", "}", "[", "]", '"', "'", "|", ">-",
             "|+", "# ", ": ", "- ", "\\", "%", "@", "`", "&", "*", "!"]
MARKUP = ["**", "*", "[", "](", ")", "# ", "- ", "1. ", "\\", "[x](https://a.no/)",
          "[x](javascript:alert(1))", "{{ 7*7 }}", "{% if %}", "<script>", "&amp;"]
LONG = 3000 if "long markup" in PENDING else 30_000  # quadratic markup: see PENDING


def texts(max_size: int = 40) -> st.SearchStrategy[str]:
    """Short text: any character but surrogates, with markup pieces now and then."""
    piece = st.one_of(st.text(st.characters(exclude_categories=("Cs",)), max_size=max_size),
                      st.sampled_from(MARKUP), st.sampled_from(CONTROLS))
    return st.lists(piece, max_size=4).map("".join)


def long_texts() -> st.SearchStrategy[str]:
    """A long text: one piece repeated (with markup pieces that stay unclosed)."""
    return st.builds(lambda piece, n: (piece * n)[:LONG],
                     st.one_of(st.sampled_from(["a", "Tekst ", "æøå ", "** ", "[a](b "]
                                               + ([] if "long markup" in PENDING
                                                  else ["*a ", "[a "])),
                               texts(8).filter(bool)),
                     st.integers(100, LONG))


def _as_yaml_reads_it(number: str) -> Any:
    """The value YAML makes of a number as written (an impossible date stays text here; the
    text mutations write it unquoted)."""
    try:
        return yaml.safe_load(f"v: {number}")["v"]
    except ValueError:
        return number


def scalars() -> st.SearchStrategy[Any]:
    return st.one_of(
        texts(), st.sampled_from(NUMBERS).map(_as_yaml_reads_it),
        st.integers(-10**12, 10**12), st.booleans(), st.none(), long_texts(),
        st.decimals(allow_nan=False, allow_infinity=False, places=3).map(float),
    )


def values(depth: int = 3) -> st.SearchStrategy[Any]:
    if depth == 0:
        return scalars()
    return st.one_of(
        scalars(), st.lists(values(depth - 1), max_size=3),
        st.dictionaries(st.sampled_from(KEYS), values(depth - 1), max_size=3),
    )


def _at(data: Any, path: tuple[Any, ...]) -> Any:
    for step in path:
        data = data[step]
    return data


def mutate_data(draw: Callable[..., Any], data: Any) -> Any:
    """One change to the loaded document: a value replaced, a key added, renamed or removed,
    a value nested deep."""
    if not isinstance(data, dict):
        return draw(values())
    place = draw(st.sampled_from(paths(data)[1:] or [()]))
    if not place:
        data[draw(st.sampled_from(KEYS))] = draw(values())
        return data
    parent, last = _at(data, place[:-1]), place[-1]
    how = draw(st.sampled_from(["value", "add", "rename", "remove", "deep"]))
    if how == "value":
        parent[last] = draw(values())
    elif how == "add" and isinstance(parent, dict):
        parent[draw(st.sampled_from(KEYS))] = draw(values())
    elif how == "rename" and isinstance(parent, dict):
        parent[draw(st.sampled_from(KEYS))] = parent.pop(last)
    elif how == "remove":
        del parent[last]
    elif how == "deep":
        for _ in range(draw(st.integers(1, 30))):
            parent[last] = [parent[last]] if draw(st.booleans()) else {"x": parent[last]}
    return data


def mutate_text(draw: Callable[..., Any], text: str) -> str:
    """One change to the text: a fragment, a control character, a number or a long string
    inserted; a line removed, doubled or indented; anchors and aliases."""
    lines = text.split("\n")
    at = draw(st.integers(0, max(len(lines) - 1, 0)))
    line = lines[at] if lines else ""
    col = draw(st.integers(0, len(line)))
    how = draw(st.sampled_from(["fragment", "control", "number", "long", "drop", "double",
                                "indent", "alias", "tab"]))
    if how == "fragment":
        lines[at] = line[:col] + draw(st.sampled_from(FRAGMENTS)) + line[col:]
    elif how == "control":
        lines[at] = line[:col] + draw(st.sampled_from(CONTROLS)) + line[col:]
    elif how == "number" and ":" in line:
        lines[at] = line.split(":", 1)[0] + ": " + draw(st.sampled_from(NUMBERS))
    elif how == "long":
        lines[at] = line[:col] + draw(long_texts()) + line[col:]
    elif how == "drop" and lines:
        del lines[at]
    elif how == "double":
        lines.insert(at, line)
    elif how == "indent":
        lines[at] = " " * draw(st.integers(1, 7)) + line
    elif how == "alias" and ":" in line:
        key, value = line.split(":", 1)
        lines[at] = f"{key}: &a {value.strip() or 'x'}"
        lines.insert(draw(st.integers(at + 1, len(lines))), f"{key.strip() or 'k'}_2: *a")
    elif how == "tab":
        lines[at] = "\t" + line
    return "\n".join(lines)


@st.composite
def yaml_documents(draw: Callable[..., Any]) -> str:
    """An area file: a real one, changed in its data, its text, or both."""
    text = draw(st.sampled_from(BASES))
    if draw(st.booleans()):
        data = yaml.safe_load(text)
        for _ in range(draw(st.integers(1, 4))):
            data = mutate_data(draw, data)
        text = dump_yaml(data)
    if draw(st.booleans()):
        for _ in range(draw(st.integers(1, 4))):
            text = mutate_text(draw, text)
    return text


# --- running and watching ----------------------------------------------------------------------

@pytest.fixture(scope="module")
def scratch(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A folder for the fuzzers' projects, one fresh project per example."""
    return tmp_path_factory.mktemp("fuzz")


def new_project(scratch: Path) -> Path:
    root = Path(tempfile.mkdtemp(dir=scratch))
    make_project(root)
    return root


def run_checked(argv: list[str], root: Path, may_write: tuple[str, ...] = ()) -> Any:
    """Run in-process at root; assert the invariants; the result."""
    before = tree(root)
    result = run_in_process(argv, root, FUZZ_SECONDS)
    shown = f"{' '.join(argv)} -> {result.code}\n{result.out[-1500:]}{result.err[-2500:]}"
    assert problems(result) == [], shown
    after = tree(root)
    wrong = [p for p in changes(before, after) if p not in may_write and not (
        (p == "out" or p.startswith("out/"))
        and (result.code == 0 or (p not in before and after.get(p) == ("dir",))))]
    assert wrong == [], shown
    return result


def write_area(root: Path, text: str) -> None:
    (root / AREA).parent.mkdir(parents=True, exist_ok=True)
    (root / AREA).write_bytes(text.encode("utf-8", "surrogatepass"))


@settings(settings.get_profile(PROFILE))
@given(text=yaml_documents())
def test_any_yaml_gives_a_clean_check_and_render(text: str, scratch: Path) -> None:
    root = new_project(scratch)
    write_area(root, text)
    run_checked(["check", "2017-T1"], root)
    run_checked(["render", "08", "2017-T1", "--out", "out", "--format", "docx,html"], root)


@pytest.mark.render
@settings(settings.get_profile(PROFILE), max_examples=max(3, EXAMPLES // 20))
@given(text=yaml_documents())
def test_any_yaml_gives_a_clean_pdf_render(text: str, scratch: Path) -> None:
    root = new_project(scratch)
    write_area(root, text)
    run_checked(["render", "08", "2017-T1", "--out", "out", "--format", "pdf", "-j", "1"], root)


# --- DOCX packages -----------------------------------------------------------------------------

ODD_VALUES = ["", "x", "-1", "0", "99999999999", "1.5", "Normal", "Heading1", "true", "æ"]
if "non-numeric values" in PENDING:  # only numbers for the values read as numbers
    ODD_VALUES = ["-1", "0", "99999999999", "7"]


def mutate_xml(draw: Callable[..., Any], data: bytes) -> bytes:
    """One change to an XML part that keeps it well-formed: an element removed, doubled or
    moved, an attribute given an odd value, a text replaced; or (when not pending) one that
    breaks it: a closing tag removed, an entity."""
    from lxml import etree

    ways = ["remove", "double", "move", "attribute", "text"]
    ways += [] if "malformed xml" in PENDING else ["unclose", "cut"]
    ways += [] if "entities" in PENDING else ["entity", "dtd"]
    how = draw(st.sampled_from(ways))
    note(f"  xml: {how}")
    if how == "unclose":
        closing = [m.start() for m in re.finditer(rb"</", data)]
        at = draw(st.sampled_from(closing)) if closing else 0
        return data[:at] + data[data.find(b">", at) + 1:]
    if how == "cut":
        return data[: draw(st.integers(0, len(data)))]
    if how == "entity":
        return data.replace(b"<w:t>", b"<w:t>&e;", 1)
    if how == "dtd":
        return data.replace(b"?>", b'?><!DOCTYPE d [<!ENTITY e "ee">]>', 1).replace(
            b"<w:t>", b"<w:t>&e;", 1)
    try:
        root = etree.fromstring(data)
    except etree.XMLSyntaxError:  # not XML (any more): another mutation got there first
        return data
    elements = list(root.iter())
    element = draw(st.sampled_from(elements))
    parent = element.getparent()
    if how == "remove" and parent is not None and (
            "missing body" not in PENDING or element.tag != f"{W}body"):
        parent.remove(element)
    elif how == "double" and parent is not None:
        from copy import deepcopy

        parent.insert(parent.index(element), deepcopy(element))
    elif how == "move" and parent is not None:
        target = draw(st.sampled_from(elements))
        if element not in target.iterancestors() and target is not element:
            target.append(element)
    elif how == "attribute" and element.attrib:
        name = draw(st.sampled_from(sorted(element.attrib)))
        element.set(name, draw(st.sampled_from(ODD_VALUES)))
        note(f"  {element.tag} {name}={element.get(name)!r}")
    elif how == "text":
        allowed = st.characters(exclude_categories=("Cs", "Cc"),
                                exclude_characters="\ufffe\uffff\x85" if "nel" in PENDING
                                else "\ufffe\uffff")
        element.text = draw(st.text(allowed, max_size=30))
        note(f"  {element.tag} text={element.text!r}")
    if how in ("remove", "double", "move"):
        note(f"  {element.tag}")
    return etree.tostring(root, xml_declaration=True, encoding="UTF-8", standalone=True)


@st.composite
def docx_mutations(draw: Callable[..., Any], parts: dict[str, bytes]) -> bytes:
    """A package from the parts of a real DOCX: parts dropped, truncated, bit-flipped,
    doubled, their XML changed; or (when not pending) the zip's own bytes damaged."""
    items = list(parts.items())
    ways = ["drop", "truncate", "double", "xml", "xml", "xml"]
    ways += [] if "wrong parts" in PENDING else ["swap"]
    ways += [] if "malformed xml" in PENDING else ["flip"]
    ways += [] if "corrupt deflate" in PENDING else ["zip cut", "zip flip"]
    for _ in range(draw(st.integers(1, 4))):
        how = draw(st.sampled_from(ways))
        index = draw(st.integers(0, len(items) - 1))
        name, data = items[index]
        note(f"{how} {name}")
        if how == "drop" and len(items) > 1:
            del items[index]
        elif how == "truncate" and (not _is_xml(name) or "malformed xml" not in PENDING):
            items[index] = (name, data[: draw(st.integers(0, len(data)))])
        elif how == "flip" and data:
            flipped = bytearray(data)
            for _ in range(draw(st.integers(1, 8))):
                flipped[draw(st.integers(0, len(data) - 1))] ^= 1 << draw(st.integers(0, 7))
            items[index] = (name, bytes(flipped))
        elif how == "double":
            items.append((name, data))
        elif how == "swap":
            other = draw(st.integers(0, len(items) - 1))
            items[index], items[other] = (name, items[other][1]), (items[other][0], data)
        elif how == "xml" and _is_xml(name) and (
                name != "[Content_Types].xml" or "wrong parts" not in PENDING):
            items[index] = (name, mutate_xml(draw, data))
    package = docx_package(items)
    if "zip cut" in ways and draw(st.booleans()):
        package = package[: draw(st.integers(0, len(package)))]
    return package


def _is_xml(name: str) -> bool:
    return name.endswith((".xml", ".rels"))


def _well_formed(parts: dict[str, bytes]) -> bool:
    """Every XML part of the unchanged document is XML (the others: pictures, embedded fonts)."""
    return all(data.lstrip().startswith(b"<") for name, data in parts.items() if _is_xml(name))


@settings(settings.get_profile(PROFILE), max_examples=EXAMPLES * 2)
@given(data=st.data())
def test_any_docx_gives_a_clean_import(data: st.DataObject, rich_docx: bytes,
                                       scratch: Path) -> None:
    from hostile import RICH_AREA

    parts = docx_parts(rich_docx)
    assert _well_formed(parts)
    package = data.draw(docx_mutations(parts), label="package")
    root = new_project(scratch)
    write_area(root, RICH_AREA)
    (root / "inputs" / "kommune.yaml").write_text(dump_yaml(KOMMUNE), encoding="utf-8")
    (root / "x.docx").write_bytes(package)
    yaml_before = (root / AREA).read_bytes()
    result = run_checked(["import", "x.docx", "--yes", "--inputs", "inputs", "--templates",
                          "templates"], root, may_write=(str(AREA),))
    if result.code != 0:
        assert (root / AREA).read_bytes() == yaml_before

