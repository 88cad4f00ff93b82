"""The report as a web site (`render all PERIOD --format site`): build/<period>/nettsted/.

The sample report is rendered once, with the command, as the site and the areas' HTML pages;
the tests read the folder as a web server would serve it. The browser tests (search, axe-core)
need Node.js, Chromium and tests/axe's packages, the Nu Html Checker needs Java: where one is
missing they are skipped, except under CI, where they fail.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import threading
import urllib.parse
from pathlib import Path
from typing import Any

import pytest
import yaml
from helpers import INPUTS, MINIMAL_AREA, ROOT, TEMPLATES, Project, run_cli, seed_blocks, snapshot
from readers import Element, collapse, html_document
from test_accessibility_html import AXE_DIR, RUN_AXE, _describe, _require_axe

PERIOD = "2017-T1"
SITE = "nettsted"
VNU = AXE_DIR / "node_modules" / "vnu-jar" / "build" / "dist" / "vnu.jar"
SEARCH = AXE_DIR / "site_search.mjs"
LABELS = yaml.safe_load((TEMPLATES / "labels.yaml").read_text(encoding="utf-8"))
TITLE_08 = "Programområde 08 Kompetanse, markedsføring og næring"
SKIP_LINKS = [("#innhold", "Hopp til innhold"), ("#hovedmeny", "Hopp til hovedmeny"),
              ("#sok", "Hopp til søk")]

pytestmark = pytest.mark.slow


def _render(out: Path, *options: str) -> Path:
    result = run_cli("render", "all", PERIOD, "--inputs", INPUTS, "--templates", TEMPLATES,
                     "--out", out, "--quiet", *options)
    assert result.code == 0, result.err
    return out / PERIOD


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The sample report's period folder: the areas' HTML pages and the site."""
    return _render(tmp_path_factory.mktemp("site") / "out", "--format", "html,site")


@pytest.fixture(scope="module")
def site(built: Path) -> Path:
    return built / SITE


def _pages(site: Path) -> list[Path]:
    return sorted(site.glob("*.html"))


def _doc(path: Path) -> Element:
    return html_document(path)


def _by_id(document: Element) -> dict[str, Element]:
    return {e.attrs["id"]: e for e in document.iter() if e.attrs.get("id")}


def _nav(document: Element, ident: str) -> Element:
    return next(e for e in document.iter("nav") if e.attrs.get("id") == ident)


# --- the pages -------------------------------------------------------------------------------

def test_the_site_has_a_page_per_part_and_the_documents(site: Path) -> None:
    names = {p.name for p in _pages(site)}
    areas = {f"{code:02d}.html" for code in range(1, 15)}
    assert names == areas | {"index.html", "sok.html", "del-1-hovedtrekk.html",
                             "del-2-okonomi-og-budsjett.html", "del-3-programomradene.html",
                             "del-4-eierstyring.html", "del-5-menneskelige-ressurser.html"}
    documents = {p.name for p in (site / "dokumenter").iterdir()}
    stems = [n.removesuffix(".html") for n in areas] + ["tertialrapport"]
    assert documents == {f"{s}.{ext}" for s in stems for ext in ("pdf", "docx")}
    assert (site / "dokumenter" / "08.pdf").read_bytes().startswith(b"%PDF-")
    assert (site / "pagefind" / "pagefind-ui.js").is_file()
    assert not list(site.rglob("*.tmp")), "a temporary file was left"


def _targets(document: Element) -> list[str]:
    found = []
    for element in document.iter():
        for attribute in ("href", "src", "action"):
            value = element.attrs.get(attribute)
            if value and not re.match(r"(https?|mailto|data):", value):
                found.append(value)
    return found


def test_every_internal_link_resolves(site: Path) -> None:
    ids = {p.name: set(_by_id(_doc(p))) for p in _pages(site)}
    css = (site / "ressurser" / "nettsted.css").read_text(encoding="utf-8")
    links = [("ressurser/nettsted.css", u) for u in re.findall(r'url\("([^"]+)"\)', css)]
    for page in _pages(site):
        links += [(page.name, target) for target in _targets(_doc(page))]
    assert len(links) > 500
    for source, target in links:
        assert not target.startswith("/") and "://" not in target, (source, target)
        path, _, fragment = target.partition("#")
        where = (site / source).parent / urllib.parse.unquote(path) if path else site / source
        assert where.resolve().is_relative_to(site.resolve()), (source, target)
        assert where.is_file(), f"{source} links to {target}, which is not in the site"
        if fragment:
            assert fragment in ids[where.name], f"{source} links to {target}: no such id"


@pytest.mark.parametrize("name", ["index.html", "08.html", "del-3-programomradene.html",
                                  "del-1-hovedtrekk.html", "sok.html"])
def test_skip_links_menu_and_current_page(site: Path, name: str) -> None:
    document = _doc(site / name)
    links = document.find("body").find_all("a")
    assert [(a.attrs.get("href"), collapse(a.text())) for a in links[:3]] == SKIP_LINKS
    ids = _by_id(document)
    assert ids["innhold"].tag == "main" and ids["hovedmeny"].tag == "nav"
    assert ids["sok"].tag == "input" and ids["sok"].attrs.get("name") == "q"
    menu = _nav(document, "hovedmeny").find_all("a")
    assert {a.attrs["href"] for a in menu} == {p.name for p in _pages(site)}
    current = [a.attrs["href"] for a in menu if a.attrs.get("aria-current") == "page"]
    assert current == [name]


def test_every_page_has_the_frame(site: Path) -> None:
    for page in _pages(site):
        document = _doc(page)
        menu = _nav(document, "hovedmeny").find_all("a")
        assert [a.attrs["href"] for a in menu if a.attrs.get("aria-current")] == [page.name]
        assert [a.attrs.get("href") for a in document.find("body").find_all("a")[:3]] == [
            href for href, _ in SKIP_LINKS]
        footer = document.find("footer")
        assert collapse(footer.find_all("a")[-1].text()) == "Til toppen"
        assert footer.find_all("a")[-1].attrs["href"] == "#toppen"
        assert '<html lang="nb">' in page.read_text(encoding="utf-8")


def _main_text(path: Path) -> str:
    return collapse(_doc(path).find("main").text())


def test_an_area_page_shows_the_areas_html(built: Path, site: Path) -> None:
    for code in range(1, 15):
        name = f"{code:02d}.html"
        assert _main_text(site / name) == _main_text(built / name), name
        # The same elements, attributes and text: the site's <main> only adds what the search
        # index reads (data-pagefind-body).
        assert _doc(site / name).find("main").children == _doc(built / name).find("main").children


def test_area_08_reads_like_the_published_page(site: Path) -> None:
    """The seed: skip links, Forsiden, the area's text, the area's name again, and Topp."""
    text = collapse(_doc(site / "08.html").find("body").text())
    assert text.startswith("Hopp til innhold Hopp til hovedmeny Hopp til søk Drammen kommune"
                           " 1. tertialrapport 2017 Søk i rapporten")
    crumbs = f"Forsiden › Del 3 Programområdene › {TITLE_08}".replace(" › ", " ")
    assert crumbs in text
    at = text.index(crumbs) + len(crumbs)
    for _, block in seed_blocks():
        found = text.find(collapse(block), at)
        assert found >= 0, f"not in order: {block[:60]}"
        at = found + len(collapse(block))
    tail = text[at:]
    assert "Forrige side Programområde 07" in tail and "Neste side Programområde 09" in tail
    assert f"Last ned {TITLE_08} PDF Word-dokument (DOCX)" in tail
    assert TITLE_08 in tail.split("Hovedmeny", 1)[1]  # its name again, in the menu
    assert text.endswith("Til toppen")
    downloads = [a.attrs["href"] for a in _doc(site / "08.html").iter("aside")
                 for a in a.find_all("a")]
    assert downloads == ["dokumenter/08.pdf", "dokumenter/08.docx"]


def test_the_front_page_has_contents_resolution_and_the_report(site: Path) -> None:
    document = _doc(site / "index.html")
    main = document.find("main")
    assert collapse(main.find("h1").text()) == "1. tertialrapport 2017"
    contents = [a.attrs["href"] for a in main.iter("nav") for a in a.find_all("a")]
    assert contents == [p.name for p in _site_order(site)
                        if p.name not in ("index.html", "sok.html")]
    headings = [collapse(h.text()) for h in main.find_all("h2")]
    assert headings == ["Last ned hele rapporten", "Innhold", "Rådmannens forslag til vedtak"]
    links = [a.attrs["href"] for a in main.find_all("a")]
    assert links[:2] == ["dokumenter/tertialrapport.pdf", "dokumenter/tertialrapport.docx"]
    assert "Bystyret tar 1. tertialrapport 2017 til orientering." in collapse(main.text())


def _site_order(site: Path) -> list[Path]:
    """The pages in the menu's order."""
    menu = _nav(_doc(site / "index.html"), "hovedmeny").find_all("a")
    return [site / a.attrs["href"] for a in menu]


def test_previous_and_next_follow_the_reading_order(site: Path) -> None:
    order = [p.name for p in _site_order(site) if p.name != "sok.html"]
    for i, name in enumerate(order):
        pager = next(n for n in _doc(site / name).iter("nav")
                     if n.attrs.get("class") == "pager")
        rel = {a.attrs["rel"]: a.attrs["href"] for a in pager.find_all("a")}
        assert rel == {**({"prev": order[i - 1]} if i else {}),
                       **({"next": order[i + 1]} if i + 1 < len(order) else {})}, name


def test_nothing_is_fetched_from_elsewhere(site: Path) -> None:
    """Scripts, stylesheets, fonts and images come from the folder (the links test checks
    that they are there); only the authors' own links in the text lead elsewhere."""
    for page in _pages(site):
        for element in _doc(page).iter("script", "link", "img"):
            source = element.attrs.get("src") or element.attrs.get("href") or ""
            assert not re.match(r"(https?:)?//", source), (page.name, source)
    css = (site / "ressurser" / "nettsted.css").read_text(encoding="utf-8")
    assert "@import" not in css and not re.search(r"url\(\s*[\"']?(https?:)?//", css)


# --- search ----------------------------------------------------------------------------------

def test_search_finds_area_08_in_a_browser(site: Path) -> None:
    """Pagefind's own search box, in Chromium, finds a word of area 08 and its inflected
    form (the Norwegian stemmer); from the disk and without JavaScript the page says why it
    cannot search."""
    _require_axe()
    done = subprocess.run(["node", str(SEARCH), str(site), "kontaktutvalget", "næringsplanen",
                           "styringsgruppene"], cwd=ROOT, capture_output=True, text=True,
                          timeout=300)
    assert done.returncode == 0, done.stderr
    found = json.loads(done.stdout)
    for word in ("kontaktutvalget", "næringsplanen", "styringsgruppene"):
        pages = [r["url"] for r in found["results"][word] if "#" not in r["url"]]
        assert pages and pages[0] == "/08.html", (word, found["results"][word])
        # The title is the page's h1, which keeps its last two words together (no-break space).
        assert found["results"][word][0]["title"].replace("\xa0", " ") == TITLE_08
    assert not found["axe"], _describe(found["axe"])
    assert found["from_disk"] == collapse(LABELS["nb"]["search_needs_server"])
    assert found["without_script"] == collapse(LABELS["nb"]["search_needs_script"])


def test_search_index_is_norwegian(site: Path) -> None:
    entry = json.loads((site / "pagefind" / "pagefind-entry.json").read_text())
    assert list(entry["languages"]) == ["nb"]
    assert entry["languages"]["nb"]["page_count"] == 20  # every page but the search page
    assert (site / "pagefind" / "wasm.nb.pagefind").is_file()


# --- accessibility and validity ----------------------------------------------------------------

def test_axe_on_every_page_at_1280_and_390(site: Path) -> None:
    _require_axe()
    files = [str(p) for p in _pages(site)]
    done = subprocess.run(["node", str(RUN_AXE), "--widths=1280,390", *files], cwd=ROOT,
                          capture_output=True, text=True, timeout=600)
    assert done.returncode == 0, done.stderr
    found = {Path(f).name: v for f, v in json.loads(done.stdout).items() if v}
    assert not found, "\n".join(f"{name}:\n{_describe(v)}" for name, v in found.items())


def _require_vnu() -> None:
    reason = None
    if shutil.which("java") is None:
        reason = "Java (`java`) is not installed (Debian: default-jre-headless)"
    elif not VNU.is_file():
        reason = "tests/axe/node_modules/vnu-jar is missing (run `npm ci --prefix tests/axe`)"
    if reason is None:
        return
    if os.environ.get("CI"):
        pytest.fail(f"the Nu Html Checker cannot run under CI: {reason}", pytrace=False)
    pytest.skip(f"the Nu Html Checker cannot run: {reason}")


def test_nu_html_checker_finds_nothing(site: Path) -> None:
    """No error and no warning on any page or in the stylesheet."""
    _require_vnu()
    files = [str(p) for p in _pages(site)] + [str(site / "ressurser" / "nettsted.css")]
    done = subprocess.run(["java", "-jar", str(VNU), "--format", "json", "--also-check-css",
                           *files], capture_output=True, text=True, timeout=600)
    messages = json.loads(done.stderr or '{"messages": []}')["messages"]
    assert done.returncode == 0 and not messages, json.dumps(messages, ensure_ascii=False,
                                                              indent=1)


# --- reproducible ------------------------------------------------------------------------------

def test_serial_equals_parallel_and_twice_is_byte_identical(site: Path,
                                                            tmp_path: Path) -> None:
    serial = _render(tmp_path / "serial", "--format", "site", "-j", "1") / SITE
    assert snapshot(serial) == snapshot(site)
    again = _render(tmp_path / "serial", "--format", "site", "--force") / SITE
    assert snapshot(again) == snapshot(site)


# --- small projects: the command's rules -------------------------------------------------------

def _small(project: Project) -> None:
    project.write_area("07", MINIMAL_AREA)
    project.write_area("08", {**MINIMAL_AREA, "ingress": "Næringsvekst 2020 er i gang."})


def _site_of(cli: Any, *options: str) -> Any:
    return cli("render", "all", PERIOD, "--inputs", "inputs", "--templates", "templates",
               "--out", "out", "--format", "site", *options)


def test_the_site_needs_all(project: Project, cli: Any) -> None:
    _small(project)
    result = cli("render", "08", PERIOD, "--inputs", "inputs", "--templates", "templates",
                 "--out", "out", "--format", "html,site")
    assert result.code == 2, result.err
    assert result.err == (
        "error: --format site makes the whole report's web site, of every area: it needs `all`\n"
        f"  hint: reportgen render all {PERIOD} --format site\n")
    assert not project.out.exists()


def test_the_site_is_up_to_date_then_follows_the_inputs(project: Project, cli: Any) -> None:
    _small(project)
    first = _site_of(cli)
    assert first.code == 0, first.err
    assert first.out == f"wrote out/{PERIOD}/nettsted/index.html\n"
    again = _site_of(cli)
    assert again.out == (f"up to date in out/{PERIOD} (sources unchanged): nettsted\n"
                         "nothing rendered; add --force to render anyway\n")
    site = project.output(SITE)
    assert (site / "07.html").is_file() and (site / "dokumenter" / "07.pdf").is_file()
    old_fragments = {p.name for p in (site / "pagefind" / "fragment").iterdir()}

    (project.inputs / PERIOD / "07.yaml").unlink()  # area 07 leaves the report
    assert _site_of(cli).code == 0
    assert not (site / "07.html").exists() and not (site / "dokumenter" / "07.pdf").exists()
    fragments = {p.name for p in (site / "pagefind" / "fragment").iterdir()}
    assert 0 < len(fragments) < len(old_fragments)  # the old index is gone, not left beside
    menu = _nav(_doc(site / "index.html"), "hovedmeny").find_all("a")
    assert "07.html" not in {a.attrs["href"] for a in menu}
    manifest = json.loads(project.output(".reportgen.json").read_text())["outputs"]
    assert set(manifest) == {f"nettsted/{p.relative_to(site)}" for p in site.rglob("*")
                             if p.is_file()}


def test_an_edited_page_is_not_overwritten(project: Project, cli: Any) -> None:
    _small(project)
    assert _site_of(cli).code == 0
    page = project.output(f"{SITE}/08.html")
    page.write_text(page.read_text(encoding="utf-8").replace("Næringsvekst", "Vekst"),
                    encoding="utf-8")
    before = snapshot(project.out)
    project.write_area("08", {**MINIMAL_AREA, "ingress": "Ny ingress."})
    refused = _site_of(cli)
    assert refused.code == 1
    assert refused.err == (
        f"out/{PERIOD}/nettsted/08.html: error: this file was changed after reportgen wrote"
        " it; rendering would overwrite the edits\n"
        "  hint: save the edits elsewhere, then render again; or add --force to render"
        " anyway, keeping the whole nettsted/ folder as a backup beside it\n")
    assert snapshot(project.out) == before
    forced = _site_of(cli, "--force")
    assert forced.code == 0, forced.err
    kept = [p for p in project.output("").iterdir() if p.name.startswith("nettsted.edited-")]
    assert len(kept) == 1 and "Vekst 2020" in (kept[0] / "08.html").read_text(encoding="utf-8")
    assert f"kept your edited copy as out/{PERIOD}/{kept[0].name}" in forced.err
    assert "Ny ingress." in _main_text(project.output(f"{SITE}/08.html"))


def test_a_file_where_the_site_goes_is_refused(project: Project, cli: Any) -> None:
    _small(project)
    project.write({f"out/{PERIOD}/nettsted": "not a folder"})
    result = _site_of(cli)
    assert result.code == 1
    assert result.err == (f"out/{PERIOD}/nettsted: error: this is a file, not a folder;"
                          " reportgen will not replace it\n"
                          "  hint: move it away (or remove it), then render again\n")


def test_without_pagefind_nothing_is_written(project: Project, cli: Any,
                                             monkeypatch: pytest.MonkeyPatch) -> None:
    _small(project)
    monkeypatch.setenv("PAGEFIND_BINARY_PATH", str(project.root / "no-pagefind"))
    result = _site_of(cli)
    assert result.code == 1
    assert result.err.endswith(
        "error: cannot make the search index: Pagefind cannot run: No such file or directory\n"
        "  hint: the search index is made by Pagefind, installed with reportgen (pip install -e"
        " ., which brings pagefind[bin]); install it again, or render without --format site\n")
    assert not project.output(SITE).exists()


def test_a_nynorsk_site(project: Project, cli: Any) -> None:
    _small(project)
    kommune = project.inputs / "kommune.yaml"
    kommune.write_text(kommune.read_text(encoding="utf-8").replace("språk: nb", "språk: nn"),
                       encoding="utf-8")
    assert _site_of(cli).code == 0
    site = project.output(SITE)
    page = (site / "08.html").read_text(encoding="utf-8")
    assert '<html lang="nn">' in page
    document = _doc(site / "08.html")
    assert [collapse(a.text()) for a in document.find("body").find_all("a")[:3]] == [
        "Hopp til innhaldet", "Hopp til hovudmenyen", "Hopp til søk"]
    assert "Framsida" in collapse(document.find("nav").text())
    entry = json.loads((site / "pagefind" / "pagefind-entry.json").read_text())
    assert list(entry["languages"]) == ["nn"]


# --- the preview -------------------------------------------------------------------------------

def test_serve_shows_the_site_as_published(project: Project, cli: Any) -> None:
    from test_serve import WAIT, Client, save, seed_project

    from reportgen.commands.serve import start
    from reportgen.period import Period

    text = seed_project(project)
    assert _site_of(cli).code == 0
    published = project.output(SITE)
    server = start(Period.parse(PERIOD), Path("inputs"), Path("templates"), port=0,
                   log=lambda line: None)
    thread = threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.05},
                              daemon=True)
    thread.start()
    client = Client(server.port)
    try:
        assert client.request("/nettsted")[0] == 301
        for name in ("index.html", "08.html", "sok.html"):
            page, version = client.page(f"/nettsted/{name}")
            served = re.sub(r'<script nonce="[^"]+">.*?</script>\n', "", page, flags=re.S)
            assert served == (published / name).read_text(encoding="utf-8"), name
        status, response, css = client.request("/nettsted/ressurser/nettsted.css")
        assert status == 200 and response.getheader("Content-Type").startswith("text/css")
        status, response, entry = client.request("/nettsted/pagefind/pagefind-entry.json")
        assert status == 200 and '"nb"' in entry
        status, _, body = client.request("/nettsted/dokumenter/08.pdf")
        assert status == 404 and f"reportgen render all {PERIOD} --format site" in body
        assert client.request("/nettsted/../inputs/kommune.yaml")[0] == 404

        stream = client.events(version)
        try:
            save(project.inputs / PERIOD / "08.yaml",
                 text.replace("Kontaktutvalget for næringslivet", "Kontaktutvalget i 2017"))
            assert stream.next_version() > version
            page, _ = client.page("/nettsted/08.html")
            assert "Kontaktutvalget i 2017" in page
        finally:
            stream.close()
    finally:
        server.stop()
        thread.join(WAIT)
    assert not thread.is_alive()
