"""The hostile-input corpus: one small named case per kind of fault, run against the commands.

Each case is an entry of CASES: the files of a project tree (beside inputs/kommune.yaml and
templates/, as make_project lays them), what else to make there (FIFOs, links, devices, a
DOCX mutated from a real render), and the steps to run: `check`, `render`, `new`, `import`,
or serve's Preview in this process. Each step states its exit status (0, 1 or 2) and what its
output must contain (the file:line:column of the message where there is one). For every step:

- it ends within its time bound (a case that may hang runs as a process, killed after
  hostile.PROCESS_SECONDS, and in at most hostile.MEMORY_LIMIT of memory);
- nothing is written outside the output folder (out/), and nothing at all unless it exits 0;
  `new` and `import` may write the one input file they name;
- exit status 70 (internal error) is never right, and exit 1 comes with an `error:` line.

A case whose fix is being made elsewhere is marked `pending` with its class: it runs as
xfail(strict=True), so it turns into a failure (XPASS) once the fix lands and the mark must go.
"""

from __future__ import annotations

import http.client
import os
import re
import shutil
import signal
import stat
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest
from helpers import (
    INPUTS,
    KOMMUNE,
    MINIMAL_AREA,
    TEMPLATES,
    Result,
    dump_yaml,
    make_project,
    pdf_workers,
)
from hostile import (
    PROCESS_SECONDS,
    RICH_AREA,
    changes,
    docx_package,
    docx_parts,
    finish,
    problems,
    run_as_process,
    run_in_process,
    start_process,
    tree,
    zip_bomb,
)

AREA = "inputs/2017-T1/08.yaml"
RAPPORT = "inputs/2017-T1/rapport.yaml"
DOC = "word/document.xml"
STYLES = "word/styles.xml"
NUMBERING = "word/numbering.xml"
RENDER = ("render", "08", "2017-T1", "--out", "out", "--format", "docx,html")
RENDER_ALL = ("render", "all", "2017-T1", "--out", "out", "--format", "docx,html")
CHECK = ("check", "2017-T1")
IMPORT = ("import", "x.docx", "--yes")
PREVIEW = ("preview",)  # serve's Preview in this process: every document of the period



# --- the table's vocabulary ----------------------------------------------------------------------

@dataclass(frozen=True)
class Step:
    """One command and what it must do."""

    argv: tuple[str, ...]
    code: int | tuple[int, ...]  # the exit status, or the ones that are right (fix pending)
    says: tuple[str, ...] = ()  # each in stdout or stderr
    writes: tuple[str, ...] = ()  # input files (relative to the project) it may change


@dataclass(frozen=True)
class Case:
    """A named hostile input, the steps to run on it, and the class of its fault."""

    name: str
    kind: str  # the class of fault, as in docs/reliability.md
    files: dict[str, Any]
    steps: tuple[Step, ...]
    make: Callable[[Path, bytes], None] | None = None  # (project root, the rich DOCX)
    process: bool = False  # may hang or eat memory: run each command as a process
    env: dict[str, str] = field(default_factory=dict)
    file_size: int | None = None  # RLIMIT_FSIZE for a process
    pending: str | None = None  # the class whose fix is in another branch
    strict: bool = True  # False: it fails today only sometimes (under load)
    verify: Callable[[Path], None] | None = None  # anything else to check afterwards


def area(**fields: Any) -> str:
    return dump_yaml(dict(MINIMAL_AREA, **fields))


def figures(amount: str) -> str:
    """An area whose first figure row's `regnskap` (line 9, column 19) is written `amount`."""
    return area() + (f"  tall:\n    rader:\n      - navn: A\n        regnskap: {amount}\n"
                     "        budsjett: 1.0\n        årsbudsjett: 1.0\n        prognose: 1.0\n")


AMOUNT = f"{AREA}:9:19: error: "


def fifo(relative: str) -> Callable[[Path, bytes], None]:
    def make(root: Path, docx: bytes) -> None:
        path = root / relative
        path.parent.mkdir(parents=True, exist_ok=True)
        if path.exists():
            path.unlink()
        os.mkfifo(path)
    return make


def link(relative: str, target: str) -> Callable[[Path, bytes], None]:
    def make(root: Path, docx: bytes) -> None:
        path = root / relative
        path.parent.mkdir(parents=True, exist_ok=True)
        if path.is_symlink() or path.exists():
            path.unlink()
        path.symlink_to(target)
    return make


def outside_link(relative: str) -> Callable[[Path, bytes], None]:
    """`relative` a link to a file beside the project (outside its working folder)."""
    def make(root: Path, docx: bytes) -> None:
        (root.parent / "ute.yaml").write_text(area(ingress="HEMMELIG"), encoding="utf-8")
        link(relative, str(root.parent / "ute.yaml"))(root, docx)
    return make


def zero_device(relative: str) -> Callable[[Path, bytes], None]:
    def make(root: Path, docx: bytes) -> None:
        path = root / relative
        path.parent.mkdir(parents=True, exist_ok=True)
        try:
            os.mknod(path, 0o644 | stat.S_IFCHR, os.makedev(1, 5))  # what /dev/zero is
        except PermissionError:
            pytest.skip("making a device node needs root")
    return make


def own_templates(change: Callable[[Path], None]) -> Callable[[Path, bytes], None]:
    """templates/ as a copy of the real one (not the link), changed by `change`."""
    def make(root: Path, docx: bytes) -> None:
        (root / "templates").unlink()
        shutil.copytree(TEMPLATES, root / "templates")
        change(root / "templates")
    return make


def edit_labels(old: str, new: str) -> Callable[[Path], None]:
    def change(templates: Path) -> None:
        path = templates / "labels.yaml"
        text = path.read_text(encoding="utf-8")
        assert old in text
        path.write_text(text.replace(old, new, 1), encoding="utf-8")
    return change


def append_to(relative: str, text: str) -> Callable[[Path], None]:
    def change(templates: Path) -> None:
        path = templates / relative
        path.write_text(path.read_text(encoding="utf-8") + text, encoding="utf-8")
    return change


def docx(mutate: Callable[[dict[str, bytes]], dict[str, bytes] | bytes]
         ) -> Callable[[Path, bytes], None]:
    """x.docx in the project: the rich area's DOCX with its parts changed by `mutate`."""
    def make(root: Path, rich: bytes) -> None:
        made = mutate(docx_parts(rich))
        (root / "x.docx").write_bytes(made if isinstance(made, bytes) else docx_package(made))
    return make


def part(name: str, change: Callable[[bytes], bytes]) -> Callable[[dict[str, bytes]], Any]:
    def mutate(parts: dict[str, bytes]) -> dict[str, bytes]:
        changed = change(parts[name])
        assert changed != parts[name], f"the mutation of {name} changed nothing"
        return {**parts, name: changed}
    return mutate


def replace(old: bytes, new: bytes, count: int = 1) -> Callable[[bytes], bytes]:
    return lambda data: data.replace(old, new, count)


def entity_bomb(data: bytes) -> bytes:
    """Billion laughs in document.xml: an entity that expands to 10^9 characters."""
    entities = '<!ENTITY l0 "ha">' + "".join(
        f'<!ENTITY l{i} "{f"&l{i - 1};" * 10}">' for i in range(1, 10))
    data = data.replace(b"?>", f"?><!DOCTYPE w:document [{entities}]>".encode(), 1)
    return data.replace(b"Andre avsnitt.", b"&l9;", 1)


def corrupt_deflate(parts: dict[str, bytes]) -> bytes:
    """The package with 40 bytes in the middle of document.xml's deflate stream flipped."""
    import io
    import zipfile

    data = bytearray(docx_package(parts))
    with zipfile.ZipFile(io.BytesIO(bytes(data))) as package:
        info = package.getinfo(DOC)
    start = info.header_offset + 30 + len(info.filename.encode()) + len(info.extra)
    for i in range(start + 10, start + 50):
        data[i] ^= 0x55
    return bytes(data)


def bomb(parts: dict[str, bytes]) -> bytes:
    """document.xml that inflates to a gigabyte (a comment of spaces) from a 1 MB package."""
    head, tail = parts[DOC].split(b"</w:body>")
    return zip_bomb(parts, DOC, head + b"<!--", b" " * (1 << 20), 1024, b"--></w:body>" + tail)


def rendered_then(change: Callable[[Path], None], area_text: str,
                  ) -> Callable[[Path, bytes], None]:
    """inputs/2017-T1/08.yaml as given, rendered to DOCX in this process, the DOCX copied to
    x.docx and changed by `change` (given the project root); out/ is removed again."""
    def make(root: Path, rich: bytes) -> None:
        (root / AREA).parent.mkdir(parents=True, exist_ok=True)
        (root / AREA).write_text(area_text, encoding="utf-8")
        result = run_in_process(["render", "08", "2017-T1", "--out", "out", "--format", "docx",
                                 "--quiet"], root)
        assert result.code == 0, result.err
        shutil.move(root / "out" / "2017-T1" / "08.docx", root / "x.docx")
        shutil.rmtree(root / "out")
        change(root)
    return make


def edit_docx(old: bytes, new: bytes) -> Callable[[Path], None]:
    def change(root: Path) -> None:
        parts = docx_parts((root / "x.docx").read_bytes())
        assert old in parts[DOC]
        parts[DOC] = parts[DOC].replace(old, new, 1)
        (root / "x.docx").write_bytes(docx_package(parts))
    return change


def render_then_edit(root: Path, rich: bytes) -> None:
    """08 rendered as DOCX and HTML, the DOCX then edited and the input changed."""
    result = run_in_process(list(RENDER) + ["--quiet"], root)
    assert result.code == 0, result.err
    with (root / "out" / "2017-T1" / "08.docx").open("ab") as handle:
        handle.write(b"\0")  # any change to the bytes makes it an edited file
    (root / AREA).write_text(area(ingress="Endret ingress."), encoding="utf-8")


def crlf_kept(root: Path) -> None:
    data = (root / AREA).read_bytes()
    assert b"Endret avsnitt." in data
    assert data.count(b"\n") == data.count(b"\r\n"), "the YAML's CRLF line ends were not kept"


def many_paragraphs(count: int) -> str:
    return "ingress: |\n" + "".join(f"  Linje {i}.\n\n" for i in range(count)) + (
        "økonomisk_status:\n  fakta: F.\n  vurdering: V.\n  konklusjon: K.\n")


def many_rows(count: int) -> str:
    """An area with `count` figure rows, each with the first row's amounts of RICH_AREA."""
    rows = "".join(f"      - navn: Rad {i}\n        regnskap: 4.1\n        budsjett: 4.3\n"
                   f"        årsbudsjett: 12.9\n        prognose: 12.9\n" for i in range(count))
    return area() + "  tall:\n    rader:\n" + rows


def rows_in_docx(count: int) -> Callable[[dict[str, bytes]], dict[str, bytes]]:
    """The rich DOCX with its figures table holding the rows of many_rows(count)."""
    def mutate(parts: dict[str, bytes]) -> dict[str, bytes]:
        body = parts[DOC]
        rows = re.findall(rb"<w:tr>.*?</w:tr>|<w:tr [^>]*>.*?</w:tr>", body, flags=re.S)
        first = next(r for r in rows if "Næringsutvikling".encode() in r)
        made = b"".join(first.replace("Næringsutvikling".encode(), f"Rad {i}".encode())
                        for i in range(count))
        data_rows = [r for r in rows if r is not rows[0] and b"Sum" not in r]
        body = body.replace(b"".join(data_rows), made, 1)
        assert made in body
        return {**parts, DOC: body}
    return mutate


def anchors(count: int, size: int) -> str:
    """andre_forhold with `count` items, each an alias of one text of `size` characters."""
    text = "Tekst " * (size // 6)
    items = "".join("  - {overskrift: *h, tekst: *t}\n" for _ in range(count))
    return area() + f"andre_forhold:\n  - overskrift: &h Hei\n    tekst: &t {text}\n" + items


TOO_BIG = "ingress: |\n" + "  Lang tekst.\n" * 90_000
LAUGHS = "a: &a [" + ", ".join(['"lol"'] * 10) + "]\n" + "".join(
    f"{n}: &{n} [" + ", ".join([f"*{p}"] * 10) + "]\n" for p, n in zip("abcdefghi", "bcdefghij"))
KOMMUNE_FOUR = dict(KOMMUNE, programområder={
    "05": "Helse", "06": "Kultur", "07": "Ledelse", "08": "Næring"})
LONG_NAME = "Næring og kompetanse " * 13  # 273 characters


# --- the corpus ----------------------------------------------------------------------------------

CASES: list[Case] = [
    # Classes already in docs/reliability.md: they pass today and must keep passing.
    Case("edited DOCX, then the input changed", "edited outputs", {AREA: area()},
         (Step(RENDER, 1, ("out/2017-T1/08.docx: error: this file was changed after reportgen"
                           " wrote it",)),), make=render_then_edit),
    Case("template error", "interrupted and failed runs", {AREA: area()},
         (Step(RENDER, 1, ("templates/html/document.html.j2:", "error: template syntax")),),
         make=own_templates(append_to("html/document.html.j2", "{% if %}"))),
    Case("template syntax in the text", "text comes out as written",
         {AREA: area(ingress="{{ 7*7 }} {% include '/etc/passwd' %}")},
         (Step(RENDER, 0, ("wrote out/2017-T1/08.html",)),)),
    Case("control character escape", "characters a document cannot hold",
         {AREA: 'ingress: "Limt inn\\x01 fra Word"\n' + area().split("\n", 1)[1]},
         (Step(CHECK, 1, (f"{AREA}:1:10: error: ingress: character U+0001 cannot be stored",)),
          Step(RENDER, 1, (f"{AREA}:1:10: error: ingress: character U+0001",)))),
    Case("control character typed", "characters a document cannot hold",
         {AREA: "ingress: Limt inn\x0c fra Word\n" + area().split("\n", 1)[1]},
         (Step(CHECK, 1, (f"{AREA}:1:18: error: character U+000C is not allowed in YAML",)),)),
    Case("javascript link", "input is never a template, HTML or a fetch",
         {AREA: area(ingress="Klikk [her](javascript:alert(1)) nå.")},
         (Step(RENDER, 0, ("wrote out/2017-T1/08.docx",)),)),
    Case("area code with a path", "paths and symbolic links", {AREA: area()},
         (Step(("render", "../08", "2017-T1", "--out", "out"), 2,
               ("'../08' is not an area code",)),
          Step(("new", "../08", "2017-T2"), 2, ("'../08' is not an area code",)))),
    Case("period with a path", "paths and symbolic links", {AREA: area()},
         (Step(("check", "../2017-T1"), 2, ("'../2017-T1' is not a period",)),)),
    Case("area file links outside the project", "paths and symbolic links", {},
         (Step(CHECK, 1, (f"{AREA}: error: area file '2017-T1/08.yaml' points outside",)),
          Step(RENDER, 1, (f"{AREA}: error: area file '2017-T1/08.yaml' points outside",))),
         make=outside_link(AREA)),
    # Found here: the message names the file the link points to when that file is inside the
    # working folder (display_path resolves links), not the link the user has to remove.
    Case("area file links to a file of the project outside inputs", "paths and symbolic links",
         {"ute.yaml": area()},
         (Step(CHECK, 1, (f"{AREA}: error: area file '2017-T1/08.yaml' points outside",)),),
         make=link(AREA, "../../ute.yaml")),
    Case("python tag", "YAML",
         {AREA: 'ingress: !!python/object/apply:os.system ["touch pwned"]\n'
                + area().split("\n", 1)[1]},
         (Step(RENDER, 1, (f"{AREA}:1:10: error: invalid YAML: the tag",)),)),
    Case("duplicate key", "YAML", {AREA: area() + "ingress: Igjen\n"},
         (Step(CHECK, 1, (f"{AREA}:6:1: error: duplicate key 'ingress'",)),)),
    Case("billion laughs", "YAML",
         {AREA: LAUGHS},
         (Step(CHECK, 1, (f"{AREA}:1:64: error: more than 50000 values after expanding",)),
          Step(RENDER, 1, (f"{AREA}:1:64: error: more than 50000 values",)))),
    # Found here: `new` reads the earlier period's file with ruamel.yaml, which has no limit on
    # aliases; it expands the 10^10 strings (minutes, and all the memory it may have).
    Case("billion laughs, new", "speed", {AREA: LAUGHS},
         (Step(("new", "08", "2017-T2"), 1,
               (f"{AREA}:1:64: error: more than 50000 values after expanding",)),),
         process=True),
    Case("file over the size limit", "YAML", {AREA: TOO_BIG},
         (Step(CHECK, 1, (f"{AREA}: error: file is {len(TOO_BIG.encode())} bytes, more than the"
                          " limit of 1000000",)),)),
    Case("nesting 5000 deep", "YAML", {AREA: "ingress: " + "[" * 5000 + "]" * 5000 + "\n"},
         (Step(CHECK, 1, (f"{AREA}:1:1: error: the file is nested too deeply",)),
          Step(PREVIEW, 1, (f"{AREA}:1:1: error: the file is nested too deeply",)))),
    Case("a sound DOCX imports", "docx", {"inputs/2017-T1/08.yaml": RICH_AREA},
         (Step(IMPORT, 0, ("nothing to import",)),), make=docx(lambda parts: parts)),
    Case("not a zip", "docx", {AREA: RICH_AREA, "x.docx": b"PK\x03\x04" + bytes(100)},
         (Step(IMPORT, 1, ("x.docx: error: the file is damaged",)),)),
    Case("no document.xml", "docx", {AREA: RICH_AREA},
         (Step(IMPORT, 1, ("x.docx: error: the file is not a whole Word document",)),),
         make=docx(lambda parts: {k: v for k, v in parts.items() if k != DOC})),
    # Found here: the paragraph holding the entity reference is dropped from the YAML.
    Case("external entity", "docx", {AREA: RICH_AREA},
         (Step(IMPORT, 1, ("x.docx: error: ",)),), pending="docx",
         make=docx(part(DOC, lambda d: d.replace(
             b"?>", b'?><!DOCTYPE w:document [<!ENTITY x SYSTEM "file:///etc/passwd">]>', 1)
             .replace(b"Andre avsnitt.", b"&x;", 1))),
         verify=lambda root: (root / AREA).read_bytes().count(b"root:") == 0 or pytest.fail(
             "/etc/passwd reached the YAML")),

    # numbers: YAML 1.1 reads these as numbers other than what was written (or crashes).
    Case("octal amount", "numbers", {AREA: figures("017")},
         (Step(CHECK, 1, (AMOUNT,)), Step(RENDER, 1, (AMOUNT,))), pending="numbers"),
    Case("hexadecimal amount", "numbers", {AREA: figures("0x1F")},
         (Step(CHECK, 1, (AMOUNT,)),), pending="numbers"),
    Case("sexagesimal amount", "numbers", {AREA: figures("1:30")},
         (Step(CHECK, 1, (AMOUNT,)),), pending="numbers"),
    Case("sexagesimal float amount", "numbers", {AREA: figures("1:30.5")},
         (Step(CHECK, 1, ("1:30.5 is a number in base 60",)),)),
    Case("huge exponent", "numbers", {AREA: figures("1.0e+999999999")},
         (Step(CHECK, 1, (AMOUNT,)), Step(RENDER, 1, (AMOUNT,))), pending="numbers"),
    Case("400-digit amount", "numbers", {AREA: figures("9" * 400)},
         (Step(CHECK, 1, (AMOUNT,)), Step(RENDER, 1, (AMOUNT,))), pending="numbers"),
    Case("impossible date", "numbers", {AREA: area(), RAPPORT: "dato: 2017-02-30\n"},
         (Step(CHECK, 1, (f"{RAPPORT}:1:7: error: ",)),
          Step(RENDER_ALL, 1, (f"{RAPPORT}:1:7: error: ",))), pending="numbers"),
    Case("NFD key", "numbers",
         {AREA: area(), "inputs/kommune.yaml": dump_yaml(KOMMUNE).replace("språk", "spra\u030ak")},
         (Step(CHECK, 0, ("== 08 Kompetanse, markedsføring og næring: ready",)),),
         pending="numbers"),

    # speed: inputs that took minutes or forever (tests/test_linear_time.py has more).
    Case("unclosed asterisks", "speed", {AREA: area(ingress="*a " * 20_000)},
         (Step(RENDER, 0, ("wrote out/2017-T1/08.html",)),), process=True),
    Case("unclosed brackets", "speed", {AREA: area(ingress="[a " * 40_000)},
         (Step(RENDER, 0, ("wrote out/2017-T1/08.html",)),), process=True),
    Case("aliases of a long text", "speed", {AREA: anchors(4000, 360_000)},
         (Step(CHECK, 1, ("error: more than 5000000 characters of text after expanding",)),),
         process=True),
    Case("import diff of a long text", "speed", {},
         (Step(IMPORT, 0, (f"wrote {AREA}",), writes=(AREA,)),), process=True,
         make=rendered_then(edit_docx(b"Linje 1500.", b"Linje endret."),
                            many_paragraphs(3000))),
    # Rows: 1000, 2000, 4000 took 6, 16 and 47 s to render as DOCX and 6, 24 and over 120 s
    # to import again (a quiet machine of 2 cores). The import of 3000 rows now takes about
    # 13 s of processor time (78 s before), most of it ruamel.yaml reading and writing the
    # 350 kB file (linear in its size); 1500 rows here keep it well inside the time bound under
    # load. tests/test_linear_time.py measures the growth itself.
    Case("a long figures table, rendered", "speed", {AREA: many_rows(6000)},
         (Step(RENDER, 0, ("wrote out/2017-T1/08.docx",)),), process=True),
    Case("a long figures table, imported", "speed", {AREA: many_rows(1500)},
         (Step(IMPORT, (0, 1), (), writes=(AREA,)),), process=True,
         make=docx(rows_in_docx(1500))),

    # files: what is not a plain file, or cannot be written.
    Case("FIFO as area file", "files", {},
         (Step(CHECK, 1, (f"{AREA}: error: ",)), Step(RENDER, 1, (f"{AREA}: error: ",))),
         make=fifo(AREA), process=True, pending="files"),
    Case("FIFO in the templates", "files", {AREA: area()},
         (Step(RENDER, (0, 1), ()),), make=own_templates(lambda t: os.mkfifo(t / "html" / "x")),
         process=True, pending="files"),
    Case("FIFO as area file, serve", "files", {},
         (Step(("serve", "2017-T1", "--port", "0"), 0, ("Serving 2017-T1 on",)),),
         make=fifo(AREA), process=True, pending="files"),
    Case("character device as area file", "files", {},
         (Step(RENDER, 1, (f"{AREA}: error: ",)),), make=zero_device(AREA), process=True,
         pending="files"),
    Case("labels.yaml a link to /dev/zero", "files", {AREA: area()},
         (Step(RENDER, 1, ("labels.yaml: error: ",)),),
         make=own_templates(lambda t: ((t / "labels.yaml").unlink(),
                                       (t / "labels.yaml").symlink_to("/dev/zero"))),
         process=True, pending="files"),
    Case("area file a link to /dev/zero", "files", {},
         (Step(CHECK, 1, (f"{AREA}: error: area file '2017-T1/08.yaml' points outside",)),
          Step(RENDER, 1, (f"{AREA}: error: area file '2017-T1/08.yaml' points outside",))),
         make=link(AREA, "/dev/zero"), process=True, pending="files"),
    Case("area file a link to itself", "files", {},
         (Step(CHECK, 1, (f"{AREA}: error: ",)), Step(RENDER, 1, (f"{AREA}: error: ",))),
         make=link(AREA, "08.yaml"), pending="files"),
    Case("period folder a link to itself", "files", {},
         (Step(CHECK, 1, ("inputs/2017-T1",)), Step(RENDER, 1, ("inputs/2017-T1",))),
         make=link("inputs/2017-T1", "2017-T1"), pending="files"),
    Case("--out is a file", "files", {AREA: area(), "out": "en fil\n"},
         (Step(RENDER, 1, ("out: error: ",)),), pending="files"),
    Case("an output path is a folder", "files", {AREA: area(), "out/2017-T1/08.docx/x": "x"},
         (Step(RENDER, 1, ("out/2017-T1/08.docx: error: ",)),), pending="files"),
    Case("damaged manifest", "files",
         {AREA: area(), "out/2017-T1/.reportgen.json": '{"outputs": 5}'},
         (Step(RENDER, (0, 1), ()),), pending="files"),
    Case("manifest not JSON", "files", {AREA: area(), "out/2017-T1/.reportgen.json": "[1, 2"},
         (Step(RENDER, 0, ("wrote out/2017-T1/08.docx",)),)),
    Case("file too large (EFBIG)", "files", {AREA: area()},
         (Step(RENDER, 1, ("out/2017-T1/08.docx: error: cannot write output: File too large",)),),
         process=True, file_size=10_000),
    Case("SOURCE_DATE_EPOCH out of range", "files", {AREA: area()},
         (Step(RENDER, (0, 1, 2), ("SOURCE_DATE_EPOCH",)),),
         env={"SOURCE_DATE_EPOCH": "99999999999999"}, process=True, pending="files"),
    Case("superscript digit as area code", "files", {AREA: area()},
         (Step(("render", "²", "2017-T1", "--out", "out"), 2, ("is not an area code",)),),
         pending="files"),
    Case("two superscript digits as area code", "files", {AREA: area()},
         (Step(("render", "²³", "2017-T1", "--out", "out"), 2, ("is not an area code",)),)),

    # docx: hostile packages given to import.
    Case("zip bomb", "docx", {AREA: RICH_AREA},
         (Step(IMPORT, 1, ("x.docx: error: ",)),), make=docx(bomb), process=True,
         pending="docx"),
    Case("entity expansion", "docx", {AREA: RICH_AREA},
         (Step(IMPORT, 1, ("x.docx: error: ",)),), make=docx(part(DOC, entity_bomb)),
         pending="docx"),
    Case("malformed XML", "docx", {AREA: RICH_AREA},
         (Step(IMPORT, 1, ("x.docx: error: ",)),),
         make=docx(part(DOC, lambda d: d[: len(d) // 2])), pending="docx"),
    Case("corrupt deflate", "docx", {AREA: RICH_AREA},
         (Step(IMPORT, 1, ("x.docx: error: ",)),), make=docx(corrupt_deflate), pending="docx"),
    Case("basedOn cycle", "docx", {AREA: RICH_AREA},
         (Step(IMPORT, (0, 1), ()),), process=True, pending="docx",
         make=docx(part(STYLES, replace(b'w:styleId="Normal">',
                                        b'w:styleId="Normal"><w:basedOn w:val="Normal"/>')))),
    Case("non-numeric list level", "docx", {AREA: RICH_AREA},
         (Step(IMPORT, (0, 1), ()),), pending="docx",
         make=docx(part(DOC, replace(b'<w:ilvl w:val="0"/>', b'<w:ilvl w:val="x"/>')))),
    Case("non-numeric list start", "docx", {AREA: RICH_AREA},
         (Step(IMPORT, (0, 1), ()),), pending="docx",
         make=docx(part(NUMBERING, replace(b'<w:start w:val="1"/>', b'<w:start w:val="en"/>',
                                           -1)))),
    Case("U+0085 in the document", "docx", {AREA: RICH_AREA},
         (Step(IMPORT, (0, 1), (), writes=(AREA,)),), pending="docx",
         make=docx(part(DOC, replace(b"Andre avsnitt.", "Andre\u0085avsnitt.".encode())))),
    # Found by the fuzzer: well-formed XML of the wrong kind in a part python-docx reads first.
    Case("relationships where the content types belong", "docx", {AREA: RICH_AREA},
         (Step(IMPORT, 1, ("x.docx: error: the file is damaged: [Content_Types].xml in it holds"
                           " the links between its parts where Word writes the list of the"
                           " types of its parts", "  hint: the file was changed")),),
         make=docx(lambda parts: {**parts, "[Content_Types].xml": parts["_rels/.rels"]})),
    # Read as the numbering its relationship says it is: the lists keep their numbers.
    Case("numbering.xml without its content type", "docx", {AREA: RICH_AREA},
         (Step(IMPORT, 0, ("nothing to import",)),),
         make=docx(part("[Content_Types].xml", lambda d: re.sub(
             rb'<Override PartName="/word/numbering.xml"[^>]*/>', b"", d)))),
    Case("numbering.xml without its content type, holding styles", "docx", {AREA: RICH_AREA},
         (Step(IMPORT, 1, ("x.docx: error: the file is damaged: word/numbering.xml in it holds"
                           " the styles where Word writes the numbering of lists",)),),
         make=docx(lambda parts: {**parts, NUMBERING: parts[STYLES], "[Content_Types].xml":
                                  re.sub(rb'<Override PartName="/word/numbering.xml"[^>]*/>',
                                         b"", parts["[Content_Types].xml"])})),
    Case("styles where the text belongs", "docx", {AREA: RICH_AREA},
         (Step(IMPORT, 1, ("x.docx: error: the file is damaged: word/document.xml in it holds"
                           " the styles where Word writes the document's text",)),),
         make=docx(lambda parts: {**parts, DOC: parts[STYLES]})),
    Case("document.xml without its body", "docx", {AREA: RICH_AREA},
         (Step(IMPORT, 1, ("x.docx: error: the file is not a whole Word document:"
                           " word/document.xml, which holds its text, has no body (w:body)",)),),
         make=docx(part(DOC, lambda d: re.sub(rb"<w:body>.*</w:body>", b"", d, flags=re.S)))),
    Case("CRLF YAML kept", "docx", {AREA: RICH_AREA.replace("\n", "\r\n")},
         (Step(IMPORT, 0, (f"wrote {AREA}",), writes=(AREA,)),), pending="docx",
         make=docx(part(DOC, replace(b"Andre avsnitt.", b"Endret avsnitt."))),
         verify=crlf_kept),

    # concurrency
    Case("parallel renders share the manifest", "concurrency",
         {"inputs/kommune.yaml": KOMMUNE_FOUR, **{f"inputs/2017-T1/{c}.yaml": area()
                                                  for c in KOMMUNE_FOUR["programområder"]}},
         (Step(("parallel", "05", "06", "07", "08"), 0, ()),
          Step(("render", "05", "06", "07", "08", "2017-T1", "--out", "out", "--format",
                "docx,html"), 0, ("nothing rendered",))), pending="concurrency"),
    # Passes alone; failed once in a full run on a loaded machine (some clients not answered
    # within 30 s), so not strict until the fix for serve under load lands.
    Case("serve under 200 requests", "concurrency", {AREA: area()},
         (Step(("requests", "200"), 0, ()),), pending="concurrency", strict=False),
    Case("a PDF worker exits", "concurrency",
         {"inputs/kommune.yaml": KOMMUNE_FOUR, **{f"inputs/2017-T1/{c}.yaml": area()
                                                  for c in KOMMUNE_FOUR["programområder"]}},
         (Step(("kill-worker",), 1, ("error: a PDF worker process stopped unexpectedly",
                                     "  hint: run the command again")),)),
    Case("the DOCX worker exits", "concurrency",
         {"inputs/kommune.yaml": KOMMUNE_FOUR, **{f"inputs/2017-T1/{c}.yaml": area()
                                                  for c in KOMMUNE_FOUR["programområder"]}},
         (Step(("kill-worker", "docx,html"), 1, (
             "error: the worker process that makes the Word documents stopped unexpectedly",
             "  hint: run the command again")),)),

    # validation
    Case("municipality name over 255 characters", "validation",
         {AREA: area(), "inputs/kommune.yaml": dict(KOMMUNE, kommune=LONG_NAME)},
         # Shortened in the document's properties only, with a warning (the title shows whole).
         (Step(CHECK, 0, ("shortened in the document properties",)), Step(RENDER, 0, ())),
         pending="validation"),
    Case("area name over 255 characters", "validation",
         {AREA: area(), "inputs/kommune.yaml": dict(KOMMUNE, programområder={"08": LONG_NAME})},
         (Step(RENDER, 0, ()),), pending="validation"),
    Case("report title over 255 characters", "validation",
         {AREA: area(), RAPPORT: {"tittel": LONG_NAME}},
         (Step(("render", "all", "2017-T1", "--out", "out", "--format", "docx"), 0, ()),),
         pending="validation"),
    Case("unknown placeholder in labels.yaml", "validation", {AREA: area()},
         (Step(CHECK, 1, ("labels.yaml",)), Step(RENDER, 1, ("labels.yaml",))),
         make=own_templates(edit_labels("Programområde {code} {name}",
                                        "Programområde {code} {navn}")),
         pending="validation"),
    Case("missing key in labels.yaml", "validation", {AREA: area()},
         (Step(CHECK, 1, ("labels.yaml",)), Step(RENDER, 1, ("labels.yaml",))),
         make=own_templates(edit_labels("  facts: Fakta\n", "")), pending="validation"),
    Case("DOCX template not a zip", "validation", {AREA: area()},
         (Step(RENDER, 1, ("templates/docx/document.docx: error: ",)),),
         make=own_templates(lambda t: (t / "docx" / "document.docx").write_bytes(b"ikke zip")),
         pending="validation"),
]


# --- running a case ------------------------------------------------------------------------------

def run_step(case: Case, step: Step, root: Path) -> Result:
    """Run one step in the project at root."""
    name = step.argv[0]
    if name == "preview":
        return preview(root)
    if name == "parallel":
        return parallel(root, step.argv[1:])
    if name == "requests":
        return requests(root, int(step.argv[1]))
    if name == "kill-worker":
        return kill_worker(root, *step.argv[1:])
    if name == "serve":
        return serve_starts(root, list(step.argv))
    argv = list(step.argv)
    if name == "import":
        argv += ["--inputs", "inputs", "--templates", "templates"]
    if case.process or case.env or case.file_size:
        return run_as_process(argv, root, case.env, file_size=case.file_size)
    return run_in_process(argv, root)


def preview(root: Path) -> Result:
    """serve's Preview of 2017-T1, in this process: 0 if every document renders, 1 if any
    shows problems (their messages as stderr), 70 if any shows an internal error."""
    from reportgen.commands.serve import EVERYTHING, Preview
    from reportgen.errors import format_problem
    from reportgen.period import Period

    log: list[str] = []
    old = Path.cwd()
    os.chdir(root)
    try:
        shown = Preview(Period.parse("2017-T1"), Path("inputs"), Path("templates"), log.append)
        shown.update({EVERYTHING})
    finally:
        os.chdir(old)
    documents = shown.state.documents.values()
    lines = [line for d in documents for p in d.problems for line in format_problem(p)]
    if any(d.failure for d in documents):
        return Result(70, "", "\n".join(log))
    return Result(1 if lines else 0, "", "\n".join(lines) + "\n")


def serve_starts(root: Path, argv: list[str]) -> Result:
    """`reportgen serve` as a process: 0 once it says it is serving, then stopped with Ctrl-C."""
    process = start_process(argv, root)
    deadline = time.monotonic() + PROCESS_SECONDS
    while time.monotonic() < deadline and process.poll() is None:
        line = process.stdout.readline() if _readable(process) else ""
        if line.startswith("Serving"):
            process.send_signal(signal.SIGINT)
            result = finish(process)
            return Result(result.code, line + result.out, result.err)
    result = finish(process, 1)
    if result.code == 124:
        return Result(124, result.out, f"[test] not serving after {PROCESS_SECONDS} s\n")
    return result


def _readable(process: Any) -> bool:
    import select

    ready, _, _ = select.select([process.stdout], [], [], 0.2)
    return bool(ready)


def parallel(root: Path, codes: tuple[str, ...]) -> Result:
    """One render process per area, all at once, into one output folder."""
    started = [start_process(["render", code, "2017-T1", "--out", "out", "--format", "docx,html",
                              "--quiet"], root) for code in codes]
    results = [finish(p) for p in started]
    worst = max(results, key=lambda r: (r.code != 0, r.code))
    return Result(worst.code, "".join(r.out for r in results), "".join(r.err for r in results))


def requests(root: Path, count: int) -> Result:
    """serve, in this process, asked for pages by `count` clients at once: 0 when every one
    is answered 200 within the bound."""
    from reportgen.commands.serve import start
    from reportgen.period import Period

    old = Path.cwd()
    os.chdir(root)
    try:
        server = start(Period.parse("2017-T1"), Path("inputs"), Path("templates"), port=0,
                       log=lambda line: None)
    finally:
        os.chdir(old)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    answers: list[Any] = []

    def ask(i: int) -> None:
        try:
            connection = http.client.HTTPConnection("127.0.0.1", server.port, timeout=30)
            connection.request("GET", ("/", "/08", "/tertialrapport")[i % 3])
            response = connection.getresponse()
            response.read()
            answers.append(response.status)
            connection.close()
        except OSError as exc:
            answers.append(repr(exc))

    clients = [threading.Thread(target=ask, args=(i,)) for i in range(count)]
    try:
        for client in clients:
            client.start()
        for client in clients:
            client.join(timeout=60)
    finally:
        server.stop()
        thread.join(timeout=10)
    wrong = [a for a in answers if a != 200]
    if wrong or len(answers) != count:
        return Result(1, "", f"error: {len(answers)} answers of {count}, not 200: {wrong[:5]}\n")
    return Result(0, "", "")


def kill_worker(root: Path, formats: str = "pdf") -> Result:
    """render all --format pdf with two workers; the first worker killed as soon as it is
    there (forked from the fork server, which imported WeasyPrint before: the render's PDFs
    would be done before long). With `formats` docx,html: the one worker that makes the DOCX
    files."""
    process = start_process(["render", "all", "2017-T1", "--out", "out", "--format", formats,
                             "-j", "2"], root)
    deadline = time.monotonic() + 30
    workers: list[int] = []
    while time.monotonic() < deadline and not workers and process.poll() is None:
        workers = pdf_workers(process.pid)
        time.sleep(0.005)
    if workers:
        os.kill(workers[0], signal.SIGKILL)
    return finish(process, 60)


# The classes whose fixes have landed: their cases must pass (no xfail mark any more).
LANDED = ("numbers", "files", "docx", "concurrency", "validation")


def _param(case: Case) -> Any:
    marks = [pytest.mark.xfail(strict=case.strict, reason=f"{case.pending} fix pending")] \
        if case.pending and case.pending not in LANDED else []
    return pytest.param(case, marks=marks, id=re.sub(r"\W+", "-", case.name).strip("-"))


def allowed(path: str, step: Step, code: int, before: dict[str, Any],
            after: dict[str, Any]) -> bool:
    """May a step that exited with `code` have changed `path` (relative to tmp_path)?
    The input files it names; anything in out/ when it succeeded; when it failed, only an
    empty folder made in out/ before it found the problem."""
    relative = path.removeprefix("prosjekt/")
    if relative in step.writes:
        return True
    if relative != "out" and not relative.startswith("out/"):
        return False
    return code == 0 or (path not in before and after.get(path) == ("dir",))


@pytest.mark.parametrize("case", [_param(c) for c in CASES])
def test_hostile_input(case: Case, tmp_path: Path, rich_docx: bytes) -> None:
    root = tmp_path / "prosjekt"
    made = make_project(root)
    made.write(case.files)
    if case.make is not None:
        case.make(root, rich_docx)
    for step in case.steps:
        before = tree(tmp_path, skip=("prosjekt/templates",))
        result = run_step(case, step, root)
        shown = f"{' '.join(step.argv)} -> {result.code}\n{result.out[-2000:]}{result.err[-3000:]}"
        assert problems(result) == [], shown
        expected = step.code if isinstance(step.code, tuple) else (step.code,)
        assert result.code in expected, shown
        for text in step.says:
            assert text in result.out + result.err, shown
        after = tree(tmp_path, skip=("prosjekt/templates",))
        wrong = [p for p in changes(before, after)
                 if not allowed(p, step, result.code, before, after)]
        assert wrong == [], shown
    if case.verify is not None:
        case.verify(root)


def test_every_class_of_fault_has_a_case() -> None:
    kinds = {c.kind for c in CASES}
    assert {"numbers", "speed", "files", "docx", "concurrency", "validation", "edited outputs",
            "interrupted and failed runs", "text comes out as written",
            "characters a document cannot hold", "input is never a template, HTML or a fetch",
            "paths and symbolic links", "YAML"} <= kinds
    assert len({c.name for c in CASES}) == len(CASES)


def test_the_real_inputs_pass_the_corpus_invariants(tmp_path: Path) -> None:
    # The control: the checks above see nothing wrong in a sound project.
    shutil.copytree(INPUTS, tmp_path / "inputs")
    (tmp_path / "templates").symlink_to(TEMPLATES, target_is_directory=True)
    before = tree(tmp_path, skip=("templates",))
    result = run_in_process(list(CHECK), tmp_path)
    assert (result.code, problems(result)) == (0, [])
    assert changes(before, tree(tmp_path, skip=("templates",))) == []
