"""Helpers for the test suite: project trees, running the command, reading the outputs back.

The readers use the same libraries a user's tools would (python-docx, the standard library's
HTML parser, pypdf, pikepdf) and know nothing of reportgen's internals.
"""

from __future__ import annotations

import html.parser
import re
import subprocess
import sys
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml

ROOT = Path(__file__).resolve().parents[1]
TEMPLATES = ROOT / "templates"
INPUTS = ROOT / "inputs"
DATA = Path(__file__).resolve().parent / "data"
SEED = DATA / "programomrade-08-2017-T1.txt"

KOMMUNE = {
    "kommune": "Drammen kommune",
    "språk": "nb",
    "programområder": {
        "07": "Ledelse, organisering og styring",
        "08": "Kompetanse, markedsføring og næring",
    },
}
# The smallest valid area file.
MINIMAL_AREA = {
    "ingress": "Kort ingress.",
    "økonomisk_status": {
        "fakta": "Forbruk i tråd med budsjett.",
        "vurdering": "Ingen avvik.",
        "konklusjon": "Årsresultat i balanse.",
    },
}

# Headings of the seed section and their levels (DESIGN.md section 1).
SEED_LEVELS = {
    "Økonomisk status": 2,
    "Fakta": 3,
    "Vurdering": 3,
    "Konklusjon": 3,
    "Andre forhold": 2,
    "Strategisk næringsplan": 3,
    "Næringsvekst 2020": 3,
    "Kontaktutvalget for næringslivet": 3,
}
HYPHENS = "-\u00ad\u2010\u2011"  # what a PDF may put at a line end where it broke a word


# --- project trees ---------------------------------------------------------------------------

def dump_yaml(data: Any) -> str:
    """YAML as an author would write it: keys in order, æøå as themselves, long lines kept."""
    return yaml.safe_dump(data, allow_unicode=True, sort_keys=False, width=10_000)


def build_file_tree(root: Path, spec: dict[str, Any]) -> None:
    """Write {relative path: text | bytes | dict (as YAML)} below root."""
    for relative, content in spec.items():
        path = root / relative
        path.parent.mkdir(parents=True, exist_ok=True)
        if isinstance(content, bytes):
            path.write_bytes(content)
        elif isinstance(content, str):
            path.write_text(content, encoding="utf-8")
        else:
            path.write_text(dump_yaml(content), encoding="utf-8")


def snapshot(root: Path) -> dict[str, bytes | None]:
    """Every file (bytes) and folder (None) below root, by relative path; {} if root is absent."""
    if not root.exists():
        return {}
    return {
        str(p.relative_to(root)): (p.read_bytes() if p.is_file() else None)
        for p in sorted(root.rglob("*"))
    }


@dataclass
class Project:
    """A project folder in tmp_path: inputs/, templates/ (a link to the real one), out/."""

    root: Path

    @property
    def inputs(self) -> Path:
        return self.root / "inputs"

    @property
    def out(self) -> Path:
        return self.root / "out"

    def write(self, spec: dict[str, Any]) -> None:
        build_file_tree(self.root, spec)

    def write_area(self, code: str, content: Any, period: str = "2017-T1") -> Path:
        """inputs/<period>/<code>.yaml from a dict (dumped as YAML) or from text as written."""
        self.write({f"inputs/{period}/{code}.yaml": content})
        return self.inputs / period / f"{code}.yaml"

    def output(self, name: str, period: str = "2017-T1") -> Path:
        return self.out / period / name


def make_project(root: Path, kommune: Any = None) -> Project:
    root.mkdir(parents=True, exist_ok=True)
    build_file_tree(root, {"inputs/kommune.yaml": KOMMUNE if kommune is None else kommune})
    try:
        (root / "templates").symlink_to(TEMPLATES, target_is_directory=True)
    except OSError:  # no symbolic links here: a copy does the same
        import shutil

        shutil.copytree(TEMPLATES, root / "templates")
    return Project(root)


# --- running the command -----------------------------------------------------------------------

@dataclass
class Result:
    code: int
    out: str
    err: str


def run_main(argv: list[str]) -> int:
    """reportgen.cli.main in this process; its exit status (it always exits)."""
    from reportgen.cli import main

    try:
        main([str(a) for a in argv])
    except SystemExit as exc:
        code = exc.code
        return code if isinstance(code, int) else (0 if code is None else 1)
    raise AssertionError("reportgen.cli.main returned instead of exiting")


def run_cli(capsys: Any, *argv: Any) -> Result:
    """Run the command in-process; stdout and stderr as captured by pytest's capsys."""
    capsys.readouterr()  # drop anything printed before
    code = run_main([str(a) for a in argv])
    captured = capsys.readouterr()
    return Result(code, captured.out, captured.err)


@dataclass(frozen=True)
class SeedRun:
    """The seed area rendered once: its files and what the command printed."""

    files: dict[str, Path]  # "docx", "html", "pdf" -> the written file
    out: str
    err: str


def reportgen_command() -> list[str]:
    """The installed console script next to this Python, else `python -m reportgen`."""
    script = Path(sys.executable).parent / "reportgen"
    return [str(script)] if script.is_file() else [sys.executable, "-m", "reportgen"]


def run_process(*argv: Any, cwd: Path) -> Result:
    """Run the command as a separate process, as a user would."""
    done = subprocess.run(
        [*reportgen_command(), *map(str, argv)], cwd=cwd, capture_output=True, text=True,
        timeout=300,
    )
    return Result(done.returncode, done.stdout, done.stderr)


def render_area(root: Path, area: Any, formats: str = "docx,html", code: str = "08") -> Path:
    """Render one area file (dict or text) in a fresh project under root; the output folder."""
    made = make_project(root)
    made.write_area(code, area)
    status = run_main(["render", code, "2017-T1", "--inputs", made.inputs, "--templates",
                       TEMPLATES, "--out", made.out, "--format", formats, "--quiet"])
    assert status == 0, f"render failed with status {status}"
    return made.out / "2017-T1"


# --- the seed ----------------------------------------------------------------------------------

def seed_blocks(path: Path = SEED) -> list[tuple[int, str]]:
    """(level, text): 1-3 for headings, 0 for paragraphs, in reading order.

    The web page's navigation is dropped: the skip links on the first line, and the footer
    (a repeat of the title, then "Topp"). Lines are stripped; nothing inside them changes.
    """
    lines = [line.strip() for line in path.read_text(encoding="utf-8").splitlines()]
    lines = [line for line in lines if line][1:]
    while lines and (lines[-1] == "Topp" or lines[-1] == lines[0]):
        lines.pop()
    return [(1, lines[0])] + [(SEED_LEVELS.get(line, 0), line) for line in lines[1:]]


def collapse(text: str) -> str:
    """Whitespace runs as one space, ends trimmed (how HTML shows text)."""
    return " ".join(text.split())


def squash(text: str) -> str:
    """Text without any whitespace: for PDF text, where line breaks replace spaces."""
    return re.sub(r"\s+", "", text)


# --- DOCX ----------------------------------------------------------------------------------------

def open_docx(path: Path) -> Any:
    import docx

    return docx.Document(str(path))


def docx_level(paragraph: Any) -> int:
    """1-9 for Title / Heading N (or styles based on them, or an outline level), else 0."""
    from docx.oxml.ns import qn

    ppr = paragraph._p.pPr
    if ppr is not None and ppr.find(qn("w:outlineLvl")) is not None:
        return int(ppr.find(qn("w:outlineLvl")).get(qn("w:val"))) + 1
    style = paragraph.style
    while style is not None:
        name = style.name or ""
        if name == "Title":
            return 1
        if match := re.fullmatch(r"Heading ([1-9])", name):
            return int(match.group(1))
        style = style.base_style
    return 0


def docx_blocks(path: Path) -> list[tuple[int, str]]:
    """(level, text) of the body's non-empty paragraphs in order; tables are not included."""
    return [
        (docx_level(p), p.text.strip()) for p in open_docx(path).paragraphs if p.text.strip()
    ]


def docx_tables(path: Path) -> list[list[list[str]]]:
    """Every body table as rows of cell texts."""
    return [[[cell.text for cell in row.cells] for row in table.rows]
            for table in open_docx(path).tables]


# --- HTML ----------------------------------------------------------------------------------------

VOID = {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source",
        "track", "wbr"}
HTML_BLOCKS = {"p", "li", "caption", "h1", "h2", "h3", "h4", "h5", "h6"}


@dataclass
class Element:
    tag: str
    attrs: dict[str, str | None]
    children: list[Any]

    def text(self) -> str:
        return "".join(c if isinstance(c, str) else c.text() for c in self.children)

    def iter(self, *tags: str) -> Iterator[Element]:
        """This element and its descendants (those with one of tags, if given), in order."""
        if not tags or self.tag in tags:
            yield self
        for child in self.children:
            if isinstance(child, Element):
                yield from child.iter(*tags)

    def find_all(self, *tags: str) -> list[Element]:
        return [e for e in self.iter(*tags) if e is not self]

    def find(self, tag: str) -> Element:
        found = self.find_all(tag)
        assert found, f"no <{tag}> in <{self.tag}>"
        return found[0]


class _TreeBuilder(html.parser.HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.root = Element("#document", {}, [])
        self.stack = [self.root]

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        element = Element(tag, dict(attrs), [])
        self.stack[-1].children.append(element)
        if tag not in VOID:
            self.stack.append(element)

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.stack[-1].children.append(Element(tag, dict(attrs), []))

    def handle_endtag(self, tag: str) -> None:
        for i in range(len(self.stack) - 1, 0, -1):
            if self.stack[i].tag == tag:
                del self.stack[i:]
                return

    def handle_data(self, data: str) -> None:
        self.stack[-1].children.append(data)


def html_document(path: Path) -> Element:
    builder = _TreeBuilder()
    builder.feed(path.read_text(encoding="utf-8"))
    builder.close()
    return builder.root


def html_blocks(path: Path, within: str = "main") -> list[tuple[int, str]]:
    """(level, text) of headings (h1-h6) and text blocks (p, li, caption) inside <within>."""
    out: list[tuple[int, str]] = []

    def walk(element: Element) -> None:
        if element.tag in HTML_BLOCKS:
            level = int(element.tag[1]) if re.fullmatch(r"h[1-6]", element.tag) else 0
            if text := collapse(element.text()):
                out.append((level, text))
            return
        if element.tag in ("script", "style"):
            return
        for child in element.children:
            if isinstance(child, Element):
                walk(child)

    walk(html_document(path).find(within))
    return out


# --- PDF ------------------------------------------------------------------------------------------

def pdf_pages(path: Path) -> list[str]:
    """The text of each page, as pypdf extracts it."""
    import pypdf

    return [page.extract_text() or "" for page in pypdf.PdfReader(str(path)).pages]


def pdf_outline(path: Path) -> list[tuple[int, str]]:
    """The bookmarks as (level, title), level 1 at the top, in order."""
    import pypdf

    out: list[tuple[int, str]] = []

    def walk(items: list[Any], level: int) -> None:
        for item in items:
            if isinstance(item, list):
                walk(item, level + 1)
            else:
                out.append((level, item.title))

    walk(pypdf.PdfReader(str(path)).outline, 1)
    return out


PAGE_NUMBER = re.compile(r"Side \d+ av \d+")


def pdf_body_lines(path: Path, furniture: set[str]) -> list[str]:
    """The pages' lines without page numbers and without the lines given as furniture."""
    return [
        line.strip()
        for page in pdf_pages(path)
        for line in page.splitlines()
        if line.strip()
        and line.strip() not in furniture
        and not PAGE_NUMBER.fullmatch(line.strip())
    ]


def segment_lines(lines: list[str], texts: list[str]) -> tuple[list[str], list[str]]:
    """Cut PDF lines into consecutive blocks, one per expected text, whitespace removed.

    Each block takes whole lines until it is as long as its expected text, so a block
    boundary that falls inside a line shows as a mismatch. A hyphen at a line end is dropped
    when the expected text has none there (the layout broke the word). Returns the blocks
    and the lines left over.
    """
    blocks: list[str] = []
    i = 0
    for text in texts:
        target, got = squash(text), ""
        while i < len(lines) and len(got) < len(target):
            piece = squash(lines[i])
            i += 1
            if piece and piece[-1] in HYPHENS and not target.startswith(got + piece):
                piece = piece[:-1]
            got += piece
        blocks.append(got)
    return blocks, lines[i:]


def pdf_fonts(path: Path) -> list[tuple[str, bool]]:
    """(BaseFont, embedded) for every font used on any page or in its form XObjects."""
    import pikepdf

    fonts: dict[tuple[int, int], tuple[str, bool]] = {}

    def visit(resources: Any) -> None:
        if resources is None:
            return
        for font in (resources.get("/Font") or {}).values():
            key = font.objgen
            if key in fonts:
                continue
            descriptor = font.get("/FontDescriptor")
            if descriptor is None and "/DescendantFonts" in font:
                descriptor = font.DescendantFonts[0].get("/FontDescriptor")
            embedded = font.get("/Subtype") == "/Type3" or (
                descriptor is not None
                and any(k in descriptor for k in ("/FontFile", "/FontFile2", "/FontFile3"))
            )
            fonts[key] = (str(font.get("/BaseFont", "")), embedded)
        for xobject in (resources.get("/XObject") or {}).values():
            if xobject.get("/Subtype") == "/Form":
                visit(xobject.get("/Resources"))

    with pikepdf.open(path) as pdf:
        for page in pdf.pages:
            visit(page.obj.get("/Resources"))
    return list(fonts.values())
