"""Accessibility of the HTML pages: axe-core in headless Chromium, and the page structure.

The pages are rendered with the command itself (`--format html`): area 08 (text only), area 01
(with a figures table) and the whole report (cover, contents, overview table, chart).

axe-core runs through tests/axe/run_axe.mjs (Node.js, playwright-core driving the system's
Chromium), at a desktop and at a phone width, with the WCAG 2.1 A/AA and best-practice rules. `scripts/setup --dev` installs all three; where one is missing the axe test is
skipped, except under CI (the environment variable CI set), where it fails instead.
"""

from __future__ import annotations

import html.parser
import json
import os
import shutil
import subprocess
from dataclasses import dataclass, field
from pathlib import Path

import pytest
from helpers import ROOT, reportgen_command
from readers import VOID

AXE_DIR = ROOT / "tests" / "axe"
RUN_AXE = AXE_DIR / "run_axe.mjs"
CHROMIUM = Path(os.environ.get("CHROMIUM", "/usr/bin/chromium"))
PERIOD = "2017-T1"
PAGES = {"08": "08.html", "01": "01.html", "all": "tertialrapport.html"}
# The landmarks every page has, and those the whole report has on top.
LANDMARKS = {"header", "main", "footer"}
REPORT_LANDMARKS = LANDMARKS | {"nav"}

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def pages(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    """08, 01 and `all` rendered as HTML, each by its own command into its own folder."""
    base = tmp_path_factory.mktemp("a11y")
    found = {}
    for area, name in PAGES.items():
        out = base / area
        done = subprocess.run(
            [*reportgen_command(), "render", area, PERIOD, "--inputs", ROOT / "inputs",
             "--templates", ROOT / "templates", "--out", out, "--format", "html", "--quiet"],
            cwd=ROOT, capture_output=True, text=True, timeout=300,
        )
        assert done.returncode == 0, f"render {area} failed ({done.returncode}):\n{done.stderr}"
        found[area] = out / PERIOD / name
        assert found[area].is_file(), f"render {area} wrote no {name}"
    return found


# --- axe-core ----------------------------------------------------------------------------------

def _axe_missing() -> str | None:
    """Why axe cannot run here, or None."""
    if shutil.which("node") is None:
        return "Node.js (`node`) is not installed"
    if not (CHROMIUM.is_file() and os.access(CHROMIUM, os.X_OK)):
        return f"Chromium is not installed at {CHROMIUM}"
    for package in ("axe-core", "playwright-core"):
        if not (AXE_DIR / "node_modules" / package / "package.json").is_file():
            return f"tests/axe/node_modules/{package} is missing (run `npm ci --prefix tests/axe`)"
    return None


def _require_axe() -> None:
    reason = _axe_missing()
    if reason is None:
        return
    reason += "; `scripts/setup --dev` installs it"
    if os.environ.get("CI"):
        pytest.fail(f"axe-core cannot run under CI: {reason}", pytrace=False)
    pytest.skip(f"axe-core cannot run: {reason}")


def _describe(violations: list[dict]) -> str:
    """axe's violations as lines a person can read in the test report."""
    lines = []
    for v in violations:
        lines.append(f"  [{v['impact']}] {v['id']} ({v.get('viewport', '?')} width): {v['help']}")
        lines.append(f"      {v['helpUrl']}")
        for node in v["nodes"][:10]:
            lines.append(f"      at {' > '.join(map(str, node['target']))}")
            for detail in (node.get("summary") or "").splitlines()[1:3]:
                lines.append(f"         {detail.strip()}")
        if len(v["nodes"]) > 10:
            lines.append(f"      … and {len(v['nodes']) - 10} more")
    return "\n".join(lines)


@pytest.fixture(scope="module")
def axe_results(pages: dict[str, Path]) -> dict[str, list[dict]]:
    """axe-core's violations per page (area code or `all`), from one browser run."""
    _require_axe()
    files = [str(path) for path in pages.values()]
    done = subprocess.run(["node", str(RUN_AXE), *files], cwd=ROOT, capture_output=True,
                          text=True, timeout=300)
    assert done.returncode == 0, f"run_axe.mjs failed ({done.returncode}):\n{done.stderr}"
    by_file = json.loads(done.stdout)
    return {area: by_file[str(path)] for area, path in pages.items()}


@pytest.mark.parametrize("area", list(PAGES))
def test_axe_finds_no_violations(area: str, axe_results: dict[str, list[dict]]) -> None:
    violations = axe_results[area]
    if violations:
        pytest.fail(f"axe-core found {len(violations)} violation(s) in {PAGES[area]}:\n"
                    + _describe(violations), pytrace=False)


# --- structure, read with the standard library's HTML parser ------------------------------------

@dataclass
class Table:
    caption: str = ""
    scopes: list[str | None] = field(default_factory=list)  # each <th>'s scope


class Page(html.parser.HTMLParser):
    """What the structure tests look at: links, landmarks, headings, tables, images."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.first_link: str | None = None
        self.ids: dict[str, str] = {}  # id -> tag
        self.landmarks: list[str] = []
        self.body_children: list[tuple[str, dict[str, str]]] = []  # direct children of <body>
        self.headings: list[tuple[int, str]] = []
        self.tables: list[Table] = []
        self.images: list[dict[str, str]] = []
        self._depth: int | None = None  # elements open below <body>; None outside it
        self._heading: int | None = None
        self._caption = False
        self._text: list[str] = []

    def handle_starttag(self, tag: str, attrs_list: list[tuple[str, str | None]]) -> None:
        attrs = {k: v or "" for k, v in attrs_list}
        if tag == "body":
            self._depth = 0
        elif self._depth is not None:
            if self._depth == 0:
                self.body_children.append((tag, attrs))
            if tag not in VOID:
                self._depth += 1
        if "id" in attrs:
            self.ids[attrs["id"]] = tag
        if tag == "a" and self.first_link is None:
            self.first_link = attrs.get("href")
        if tag in {"header", "main", "nav", "footer", "aside"}:
            self.landmarks.append(tag)
        if len(tag) == 2 and tag[0] == "h" and tag[1] in "123456":
            self._heading, self._text = int(tag[1]), []
        elif tag == "table":
            self.tables.append(Table())
        elif tag == "caption":
            self._caption, self._text = True, []
        elif tag == "th":
            self.tables[-1].scopes.append(attrs.get("scope"))
        elif tag == "img":
            self.images.append(attrs)

    def handle_endtag(self, tag: str) -> None:
        if tag == "body":
            self._depth = None
        elif self._depth is not None and tag not in VOID:
            self._depth -= 1
        if self._heading and tag == f"h{self._heading}":
            self.headings.append((self._heading, " ".join("".join(self._text).split())))
            self._heading = None
        elif tag == "caption" and self._caption:
            self.tables[-1].caption = " ".join("".join(self._text).split())
            self._caption = False

    def handle_data(self, data: str) -> None:
        if self._heading or self._caption:
            self._text.append(data)


def read_page(path: Path) -> Page:
    page = Page()
    page.feed(path.read_text(encoding="utf-8"))
    page.close()
    return page


@pytest.mark.parametrize("area", list(PAGES))
def test_skip_link_is_first_and_leads_to_main(area: str, pages: dict[str, Path]) -> None:
    page = read_page(pages[area])
    assert page.first_link == "#innhold", f"the first link goes to {page.first_link!r}"
    assert page.ids.get("innhold") == "main", "#innhold is not the <main> element"


@pytest.mark.parametrize("area", list(PAGES))
def test_landmarks_hold_all_content(area: str, pages: dict[str, Path]) -> None:
    page = read_page(pages[area])
    want = REPORT_LANDMARKS if area == "all" else LANDMARKS
    assert want <= set(page.landmarks), f"landmarks {page.landmarks}, want {sorted(want)}"
    assert page.landmarks.count("main") == 1
    # Everything in <body> sits in a landmark, save the skip link before them; a <section>
    # is a landmark (region) only with a name.
    for tag, attrs in page.body_children:
        named = bool(attrs.get("aria-label") or attrs.get("aria-labelledby"))
        named_region = tag == "section" and named
        skip_link = tag == "a" and attrs.get("href") == "#innhold"
        assert tag in LANDMARKS | {"nav"} or named_region or skip_link, (
            f"<{tag} {attrs}> is outside every landmark"
        )


@pytest.mark.parametrize("area", list(PAGES))
def test_headings_start_at_h1_and_never_skip_a_level(area: str, pages: dict[str, Path]) -> None:
    headings = read_page(pages[area]).headings
    assert headings and headings[0][0] == 1, f"the first heading is {headings[:1]}"
    for (before, _), (level, text) in zip(headings, headings[1:]):
        assert level <= before + 1, f"h{before} is followed by h{level} ({text!r})"
    assert all(text for _, text in headings), "an empty heading"


def test_heading_levels_of_area_and_report(pages: dict[str, Path]) -> None:
    """The area's title is the one h1; in the report the parts are h1 and the areas h2."""
    area = read_page(pages["08"]).headings
    assert [text for level, text in area if level == 1] == [area[0][1]], area[:3]
    assert area[0][1].startswith("Programområde 08"), area[:3]
    report = read_page(pages["all"]).headings
    parts = [text for level, text in report if level == 1]
    # The proposed resolution stands before Del 1 as a part of its own (DESIGN.md 4b).
    assert parts[0] == "Rådmannens forslag til vedtak", parts
    assert all(text.startswith("Del ") for text in parts[1:]), parts
    assert (2, area[0][1]) in report, "area 08's title is not an h2 in the report"


@pytest.mark.parametrize("area", ["01", "all"])
def test_tables_have_captions_and_scoped_header_cells(area: str, pages: dict[str, Path]) -> None:
    tables = read_page(pages[area]).tables
    assert tables, f"{PAGES[area]} has no table"
    for table in tables:
        assert table.caption, "a table without a caption"
        assert table.scopes, f"table {table.caption!r} has no <th>"
        assert all(scope in {"col", "row", "colgroup", "rowgroup"} for scope in table.scopes), (
            f"table {table.caption!r}: <th> scopes {table.scopes}"
        )


@pytest.mark.parametrize("area", list(PAGES))
def test_images_have_alt_text(area: str, pages: dict[str, Path]) -> None:
    images = read_page(pages[area]).images
    if area == "all":
        assert any(img.get("src", "").startswith("data:image/svg+xml") for img in images), (
            "the report has no chart"
        )
    for img in images:
        src = img.get("src", "")[:40]
        assert (img.get("alt") or "").strip(), f"an image without alt text: {src}"
