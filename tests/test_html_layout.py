"""The HTML pages as a browser lays them out, at 1280 and at 390 CSS px, and the Nu Html Checker.

tests/axe/run_layout.mjs measures the pages in headless Chromium (playwright-core driving the
system's Chromium, as for axe-core): the page never scrolls sideways; it uses its own font
(Carlito's subset, shipped in the page), so nothing depends on the fonts installed; every
column of every figures table is on screen (on a phone, a row per block with each amount after
its column's name); the text of every chart is at least 12 CSS px.

The Nu Html Checker (vnu.jar from npm `vnu-jar`, run by Java) finds no error and no warning.
Where Node.js, Chromium, the npm packages or Java are missing the tests are skipped, except
under CI (the environment variable CI set), where they fail instead.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
from pathlib import Path

import pytest
from helpers import INPUTS, ROOT, TEMPLATES, run_cli

AXE_DIR = ROOT / "tests" / "axe"
RUN_LAYOUT = AXE_DIR / "run_layout.mjs"
VNU_JAR = AXE_DIR / "node_modules" / "vnu-jar" / "build" / "dist" / "vnu.jar"
CHROMIUM = Path(os.environ.get("CHROMIUM", "/usr/bin/chromium"))
PERIOD = "2017-T1"
PAGES = {"01": "01.html", "08": "08.html", "all": "tertialrapport.html"}
WIDTHS = {"desktop": 1280, "phone": 390}
SMALLEST_TEXT_PX = 12

pytestmark = pytest.mark.slow


def _missing_or_skip(reason: str | None) -> None:
    if reason is None:
        return
    reason += "; `scripts/setup --dev` installs it"
    if os.environ.get("CI"):
        pytest.fail(f"cannot run under CI: {reason}", pytrace=False)
    pytest.skip(reason)


def _browser_missing() -> str | None:
    if shutil.which("node") is None:
        return "Node.js (`node`) is not installed"
    if not (CHROMIUM.is_file() and os.access(CHROMIUM, os.X_OK)):
        return f"Chromium is not installed at {CHROMIUM}"
    if not (AXE_DIR / "node_modules" / "playwright-core" / "package.json").is_file():
        return "tests/axe/node_modules/playwright-core is missing (run `npm ci --prefix tests/axe`)"
    return None


@pytest.fixture(scope="module")
def pages(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    """01 (a figures table), 08 (text only) and the whole report (tables, two charts)."""
    out = tmp_path_factory.mktemp("layout")
    found = {}
    for area, name in PAGES.items():
        code, _, err = run_cli("render", area, PERIOD, "--inputs", INPUTS, "--templates",
                               TEMPLATES, "--out", out / area, "--format", "html", "--quiet")
        assert code == 0, err
        found[area] = out / area / PERIOD / name
    return found


@pytest.fixture(scope="module")
def layout(pages: dict[str, Path]) -> dict[str, dict[str, dict]]:
    """What run_layout.mjs measured: {area: {"desktop"|"phone": measures}}."""
    _missing_or_skip(_browser_missing())
    done = subprocess.run(["node", str(RUN_LAYOUT), *map(str, pages.values())], cwd=ROOT,
                          capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, f"run_layout.mjs failed ({done.returncode}):\n{done.stderr}"
    by_file = json.loads(done.stdout)
    return {area: by_file[str(path)] for area, path in pages.items()}


def measures(layout: dict, area: str, width: str) -> dict:
    found = layout[area][width]
    assert found["viewport"]["width"] == WIDTHS[width]
    return found


@pytest.mark.parametrize("width", list(WIDTHS))
@pytest.mark.parametrize("area", list(PAGES))
def test_the_page_never_scrolls_sideways(layout: dict, area: str, width: str) -> None:
    found = measures(layout, area, width)
    assert found["scrollWidth"] <= WIDTHS[width], found["scrollWidth"]


@pytest.mark.parametrize("width", list(WIDTHS))
@pytest.mark.parametrize("area", list(PAGES))
def test_the_page_lays_out_in_its_own_font(layout: dict, area: str, width: str) -> None:
    found = measures(layout, area, width)
    assert found["bodyFont"].startswith('"Reportgen Sans"'), found["bodyFont"]
    assert {"Reportgen Sans normal normal", "Reportgen Sans bold normal"} <= set(found["fonts"])


@pytest.mark.parametrize("width", list(WIDTHS))
@pytest.mark.parametrize("area", ["01", "all"])
def test_every_column_of_every_figures_table_is_on_screen(
    layout: dict, area: str, width: str
) -> None:
    found = measures(layout, area, width)
    assert found["tables"], "no figures table"
    screen = WIDTHS[width]
    for table in found["tables"]:
        name = table["caption"]
        assert not table["scrolls"], f"{name}: the table scrolls sideways at {screen} px"
        columns = [h["text"] for h in table["header"]]
        for cell in table["cells"]:
            box = cell["box"]
            assert box["width"] > 0 and box["height"] > 0, (name, cell["text"])
            assert -0.5 <= box["left"] and box["right"] <= screen + 0.5, (name, cell["text"], box)
            assert box["right"] <= table["wrap"]["right"] + 0.5, (name, cell["text"], box)
            assert not cell["clipped"], f"{name}: {cell['text']!r} is cut off at {screen} px"
        if width == "desktop":
            assert all(h["shown"] and not h["clipped"] for h in table["header"]), (
                name, [h["text"] for h in table["header"] if h["clipped"]])
        else:  # stacked: every amount after its column's name
            labels = [c["label"] for c in table["cells"] if c["label"]]
            assert set(labels) == set(columns[1:]), (name, sorted(set(labels)))
            assert len(labels) == len(table["cells"]) - len(table["cells"]) // len(columns)


@pytest.mark.parametrize("width", list(WIDTHS))
def test_chart_text_is_at_least_12_px(layout: dict, width: str) -> None:
    found = measures(layout, "all", width)
    assert len(found["charts"]) == 2  # the overview and the sick-leave table's chart
    for shown in found["charts"]:
        assert len(shown) == 1, [s["className"] for s in shown]  # one drawing on show
        assert shown[0]["className"] == ("chart-wide" if width == "desktop" else "chart-narrow")
        assert shown[0]["smallestTextPx"] >= SMALLEST_TEXT_PX, shown[0]


# --- the Nu Html Checker --------------------------------------------------------------------------

def test_nu_html_checker_finds_no_error_and_no_warning(pages: dict[str, Path]) -> None:
    java = shutil.which("java")
    _missing_or_skip("Java (`java`) is not installed" if java is None else None)
    _missing_or_skip(None if VNU_JAR.is_file() else
                     "tests/axe/node_modules/vnu-jar is missing (run `npm ci --prefix tests/axe`)")
    done = subprocess.run([java, "-jar", str(VNU_JAR), "--format", "json", "--exit-zero-always",
                           *map(str, pages.values())], capture_output=True, text=True,
                          timeout=300)
    assert done.returncode == 0, done.stderr
    messages = json.loads(done.stderr or done.stdout)["messages"]
    described = [f"{m.get('type')}/{m.get('subType', '')} {Path(m.get('url', '')).name}:"
                 f"{m.get('lastLine')}: {m.get('message')}" for m in messages]
    assert described == []


def test_a_missing_web_font_is_a_template_error(tmp_path: Path) -> None:
    templates = tmp_path / "templates"
    shutil.copytree(TEMPLATES, templates)
    (templates / "fonts" / "ReportgenSans-Bold.woff2").unlink()
    code, _, err = run_cli("render", "08", PERIOD, "--inputs", INPUTS, "--templates", templates,
                           "--out", tmp_path / "out", "--format", "html")
    assert code == 1
    assert err.splitlines() == [
        f"{templates / 'fonts' / 'ReportgenSans-Bold.woff2'}: error: there is no such file",
        "  hint: the page's font is templates/fonts/ReportgenSans-*.woff2 (scripts/make_fonts.py"
        " makes them): copy them into the templates folder's fonts/"]
    assert not (tmp_path / "out" / PERIOD / "08.html").exists()
