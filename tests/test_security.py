"""Nothing let in: input is data, never a template, markup or a way out of its folders.

Text is never compiled as a Jinja template or passed as HTML; links go only to http(s) and
mailto and are never fetched; WeasyPrint may read only data: URLs and files inside the
templates folder; area codes, periods and symbolic links cannot lead reportgen outside
inputs/ or --out; YAML is the safe subset, bounded in size, depth and aliases.
"""

from __future__ import annotations

import contextlib
import os
import shutil
import socket
import threading
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from helpers import (
    MINIMAL_AREA,
    TEMPLATES,
    Project,
    Result,
    dump_yaml,
    errors_in_check,
    snapshot,
)
from readers import docx_blocks, html_document, open_docx, pdf_pages, squash

AREA = "inputs/2017-T1/08.yaml"
R_ID = "{http://schemas.openxmlformats.org/officeDocument/2006/relationships}id"
W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
TEMPLATE_TEXT = "Regnestykket {{ 7*7 }} og {% include '/etc/passwd' %} og {{ config }} og {_{ x }_}"
SCRIPT = "<script>alert('x')</script> & <img src=x onerror=alert(1)>"


@contextlib.contextmanager
def listener() -> Iterator[tuple[int, list[tuple[str, int]]]]:
    """A TCP listener on 127.0.0.1 that records every connection made to it while open."""
    server = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    server.bind(("127.0.0.1", 0))
    server.listen(64)
    server.settimeout(0.05)
    seen: list[tuple[str, int]] = []
    stop = threading.Event()

    def accept() -> None:
        while not stop.is_set():
            with contextlib.suppress(socket.timeout, OSError):
                connection, address = server.accept()
                seen.append(address)
                connection.close()

    thread = threading.Thread(target=accept, daemon=True)
    thread.start()
    try:
        yield server.getsockname()[1], seen
    finally:
        stop.set()
        thread.join(timeout=5)
        server.setblocking(False)  # a connection completed but not yet accepted counts too
        with contextlib.suppress(BlockingIOError, OSError):
            while True:
                connection, address = server.accept()
                seen.append(address)
                connection.close()
        server.close()


def test_the_listener_sees_a_connection() -> None:
    # The control for the tests below: "no connection" means something only if one would show.
    with listener() as (port, seen):
        socket.create_connection(("127.0.0.1", port), timeout=5).close()
    assert len(seen) == 1


# --- input is never a template, never HTML --------------------------------------------------------

def test_template_syntax_in_every_kind_of_field_stays_literal_in_all_three_formats(
    project: Project, cli: Callable[..., Result]
) -> None:
    project.write({
        "inputs/kommune.yaml": {"kommune": "Kommune {{ 7*7 }}", "programområder": {
            "08": "Område {% include '/etc/passwd' %}"}},
        AREA: dict(MINIMAL_AREA, ingress=TEMPLATE_TEXT, andre_forhold=[
            {"overskrift": "Overskrift {{ 7*7 }}", "tekst": "{%p if True %}{{p body }}"}]),
        "inputs/2017-T1/rapport.yaml": {"tittel": "Tittel {{ 7*7 }}",
                                        "undertittel": "{{ cover.title }}"},
    })
    result = cli("render", "all", "2017-T1", "--out", "out", "--quiet")
    assert (result.code, result.err) == (0, "")
    folder = project.out / "2017-T1"
    for name in ("08", "tertialrapport"):
        # Headings bind their last two words with a no-break space (present.typography).
        docx_texts = [t.replace("\xa0", " ") for _, t in docx_blocks(folder / f"{name}.docx")]
        html_texts = [e.text().replace("\xa0", " ") for e in html_document(
            folder / f"{name}.html").iter("p", "h1", "h2", "h3", "h4")]
        for texts in (docx_texts, html_texts):
            assert TEMPLATE_TEXT in texts
            assert "Overskrift {{ 7*7 }}" in texts
            assert "{%p if True %}{{p body }}" in texts
        pdf = squash("".join(pdf_pages(folder / f"{name}.pdf")))
        assert squash(TEMPLATE_TEXT) in pdf
        assert squash("Område {% include '/etc/passwd' %}") in pdf
        header = open_docx(folder / f"{name}.docx").sections[0].header.paragraphs[0].text
        assert header.startswith("Kommune {{ 7*7 }} · ")
        for path in folder.glob(f"{name}.*"):
            assert b"root:x:0:0" not in path.read_bytes()
    report = [t for _, t in docx_blocks(folder / "tertialrapport.docx")]
    assert report[:3] == ["Kommune {{ 7*7 }}", "Tittel {{ 7*7 }}", "{{ cover.title }}"]


def test_html_in_the_input_is_escaped_everywhere(project: Project,
                                                cli: Callable[..., Result]) -> None:
    project.write({
        "inputs/kommune.yaml": {"kommune": '"><script>alert(1)</script>',
                                "programområder": {"08": "<b>Område</b>"}},
        AREA: dict(MINIMAL_AREA, ingress=SCRIPT, andre_forhold=[
            {"overskrift": "</h3><script>x()</script>", "tekst": "<!-- kommentar --> &amp;"}]),
    })
    assert cli("render", "08", "2017-T1", "--out", "out", "--format", "html").code == 0
    page = project.output("08.html")
    raw = page.read_text(encoding="utf-8")
    assert "<script" not in raw.lower()
    assert "<b>" not in raw and "<img" not in raw and "<!-- kommentar" not in raw
    document = html_document(page)
    texts = [e.text().replace("\xa0", " ") for e in document.iter("p", "h1", "h3")]
    assert SCRIPT in texts
    assert "</h3><script>x()</script>" in texts
    assert "<!-- kommentar --> &amp;" in texts
    assert "Programområde 08 <b>Område</b>" in texts
    authors = [e.attrs["content"] for e in document.iter("meta") if e.attrs.get("name") == "author"]
    assert authors == ['"><script>alert(1)</script>']


# --- links ---------------------------------------------------------------------------------------

def test_links_stay_links_and_nothing_is_fetched_while_printing(
    project: Project, cli: Callable[..., Result]
) -> None:
    with listener() as (port, seen):
        url = f"http://127.0.0.1:{port}/x"
        project.write_area("08", dict(
            MINIMAL_AREA,
            ingress=f"Se [x]({url}) og <img src=\"{url}.png\"> og ![bilde]({url}.png).",
        ))
        result = cli("render", "08", "2017-T1", "--out", "out", "--quiet")
        assert (result.code, result.err) == (0, "")
    assert seen == []  # not the link, not the image written as HTML, not the Markdown image
    links = [(a.attrs.get("href"), a.text())
             for a in html_document(project.output("08.html")).find("main").find_all("a")]
    assert links == [(url, "x"), (f"{url}.png", "bilde")]
    document = open_docx(project.output("08.docx"))
    targets = [document.part.rels[link.get(R_ID)].target_ref
               for link in document.element.body.iter(f"{W}hyperlink") if link.get(R_ID)]
    assert targets == [url, f"{url}.png"]
    assert any(squash(f"<img src=\"{url}.png\">") in squash(page)
               for page in pdf_pages(project.output("08.pdf")))


@pytest.mark.parametrize("target", [
    "javascript:alert(1)", "JavaScript:alert(1)", "data:text/html,<script>x</script>",
    "vbscript:msgbox", "file:///etc/passwd", "//evil.example/x",
])
def test_links_to_anything_but_http_https_and_mailto_stay_text(
    target: str, project: Project, cli: Callable[..., Result]
) -> None:
    text = f"Klikk [her]({target}) nå."
    project.write_area("08", dict(MINIMAL_AREA, ingress=text))
    assert cli("render", "08", "2017-T1", "--out", "out", "--format", "docx,html").code == 0
    main = html_document(project.output("08.html")).find("main")
    assert main.find_all("a") == []
    assert text in [p.text() for p in main.find_all("p")]
    document = open_docx(project.output("08.docx"))
    assert list(document.element.body.iter(f"{W}hyperlink")) == []
    assert [r for r in document.part.rels.values() if r.is_external] == []


def test_a_quote_in_a_link_cannot_open_an_attribute(project: Project,
                                                    cli: Callable[..., Result]) -> None:
    url = 'https://a.no/"onmouseover="alert`1`'
    project.write_area("08", dict(MINIMAL_AREA, ingress=f"[lenke]({url})"))
    assert cli("render", "08", "2017-T1", "--out", "out", "--format", "html").code == 0
    links = html_document(project.output("08.html")).find("main").find_all("a")
    assert [a.attrs for a in links] == [{"href": url}]


# --- what WeasyPrint may read -------------------------------------------------------------------

@pytest.fixture
def templates_copy(tmp_path: Path) -> Path:
    """A templates folder of one's own, with a link inside it that points outside."""
    copy = tmp_path / "malen"
    shutil.copytree(TEMPLATES, copy)
    (copy / "fonts" / "passwd.ttf").symlink_to("/etc/passwd")
    (copy / "html" / "ute").symlink_to("/etc", target_is_directory=True)
    return copy


def refusal(fetcher: object, url: str) -> str:
    with pytest.raises(ValueError) as caught:
        fetcher.fetch(url)  # type: ignore[attr-defined]
    return str(caught.value)


def test_the_pdf_fetcher_reads_only_inside_the_templates_folder(templates_copy: Path) -> None:
    from reportgen.render.pdf import _fetcher_inside

    fetcher = _fetcher_inside(templates_copy)
    font = templates_copy / "fonts" / "Carlito-Regular.ttf"
    response = fetcher.fetch(font.as_uri())
    try:
        assert response.read() == font.read_bytes()
    finally:
        response.close()
    with listener() as (port, seen):
        for url in (f"http://127.0.0.1:{port}/x.woff", f"https://127.0.0.1:{port}/x.woff",
                    f"ftp://127.0.0.1:{port}/x.woff"):
            assert refusal(fetcher, url) == (
                f"refused: {url} (reportgen never fetches from the network)")
    assert seen == []
    root = templates_copy
    for url in ("file:///etc/passwd", "file://localhost/etc/passwd",
                (root / "fonts" / "passwd.ttf").as_uri(),
                (root / "html" / "ute" / "passwd").as_uri(),
                f"file://{root}/html/..%2f..%2f..%2f..%2f..%2f..%2fetc/passwd"):
        assert refusal(fetcher, url) == f"refused: {url} is outside the templates folder"


def test_a_stylesheet_that_reaches_out_fetches_nothing_and_says_why(
    templates_copy: Path, project: Project, cli: Callable[..., Result]
) -> None:
    project.write_area("08", MINIMAL_AREA)
    print_css = templates_copy / "html" / "css" / "print.css"
    with listener() as (port, seen):
        original = print_css.read_text(encoding="utf-8")
        print_css.write_text(original + (
            f"@font-face {{ font-family: Fjern; src: url(http://127.0.0.1:{port}/x.woff); }}\n"
            "h1 { font-family: Fjern, Carlito; }\n"), encoding="utf-8")
        fonts = cli("render", "08", "2017-T1", "--out", "out", "--format", "pdf",
                    "--templates", templates_copy)
        print_css.write_text(original + "body { background: url(file:///etc/passwd); }\n",
                             encoding="utf-8")
        files = cli("render", "08", "2017-T1", "--out", "out2", "--format", "pdf",
                    "--templates", templates_copy)
    assert seen == []
    # A font it may not load: the PDF is made with the next font, and the user is told.
    assert fonts.code == 0
    assert "warning: 08.pdf: WeasyPrint: Font-face 'Fjern' cannot be loaded\n" in fonts.err
    assert project.output("08.pdf").read_bytes().startswith(b"%PDF-")
    # A file outside the templates: the render fails and names it; nothing is written.
    assert files.code == 1
    assert files.err.endswith(
        "error: WeasyPrint: Failed to load image at 'file:///etc/passwd': ValueError: refused:"
        " file:///etc/passwd is outside the templates folder\n"
        "  hint: a stylesheet, font or image in the templates folder is missing or broken\n"
    )
    assert not (project.root / "out2" / "2017-T1" / "08.pdf").exists()


# --- paths: area codes, periods, symbolic links ------------------------------------------------

USAGE = "Usage: reportgen render [OPTIONS] AREAS... PERIOD\nTry 'reportgen render --help' for help.\n\n"


@pytest.mark.parametrize("area", ["../08", "/etc/passwd", "08/../08", "08.yaml", "..", "8/"])
def test_an_area_that_is_not_a_two_digit_code_is_a_usage_error(
    area: str, project: Project, cli: Callable[..., Result]
) -> None:
    project.write_area("08", MINIMAL_AREA)
    result = cli("render", area, "2017-T1", "--out", "out")
    assert result.code == 2
    assert result.err == USAGE + (
        f"Error: Invalid value for AREA: {area!r} is not an area code: use two digits such as 08,"
        " or `all`\n")
    assert not project.out.exists()


@pytest.mark.parametrize("period", ["../2017-T1", "2017-T1/..", "/tmp", "2017-T1/../2017-T1"])
def test_a_period_with_a_path_in_it_is_a_usage_error(
    period: str, project: Project, cli: Callable[..., Result]
) -> None:
    project.write_area("08", MINIMAL_AREA)
    result = cli("render", "08", period, "--out", "out")
    assert result.code == 2
    assert result.err == USAGE + (
        f"Error: Invalid value for 'PERIOD': {period!r} is not a period; write YEAR-T1, YEAR-T2"
        " or YEAR-T3, such as 2017-T1\n")
    assert not project.out.exists()


@pytest.fixture
def outside(tmp_path: Path) -> Path:
    """A folder beside the project, with a secret reportgen must never read or write."""
    folder = tmp_path / "utenfor"
    folder.mkdir()
    (folder / "08.yaml").write_text(dump_yaml(dict(MINIMAL_AREA, ingress="HEMMELIG")),
                                    encoding="utf-8")
    (folder / "hemmelig.yaml").write_text("kommune: HEMMELIG\npassord: hunter2\n",
                                          encoding="utf-8")
    return folder


LINK_HINT = "  hint: keep input files inside inputs; symbolic links may not leave it\n"


def test_an_area_file_that_links_outside_inputs_is_refused(
    project: Project, outside: Path, cli: Callable[..., Result]
) -> None:
    (project.inputs / "2017-T1").mkdir(parents=True)
    (project.inputs / "2017-T1" / "08.yaml").symlink_to(outside / "08.yaml")
    for argv in (("render", "08"), ("render", "all"), ("check",)):
        result = cli(*argv, "2017-T1", *(("--out", "out") if argv[0] == "render" else ()))
        assert result.code == 1
        errors = errors_in_check(result.err) if argv[0] == "check" else result.err
        assert errors == (
            f"{AREA}: error: area file '2017-T1/08.yaml' points outside inputs\n" + LINK_HINT)
        assert "HEMMELIG" not in result.out + result.err
    assert not project.out.exists()


def test_a_period_folder_that_links_outside_inputs_is_refused(
    project: Project, outside: Path, cli: Callable[..., Result]
) -> None:
    (project.inputs / "2017-T1").symlink_to(outside, target_is_directory=True)
    result = cli("render", "08", "2017-T1", "--out", "out")
    assert result.code == 1
    assert result.err == (
        f"{AREA}: error: area file '2017-T1/08.yaml' points outside inputs\n" + LINK_HINT
        + "inputs/2017-T1/rapport.yaml: error: report file '2017-T1/rapport.yaml' points"
        " outside inputs\n" + LINK_HINT)
    assert not project.out.exists()


def test_kommune_yaml_that_links_outside_inputs_is_refused_and_not_shown(
    project: Project, outside: Path, cli: Callable[..., Result]
) -> None:
    # Before: its content came back in the error messages (an unknown key 'passord', or
    # a whole /etc/passwd quoted as "expected keys and values, found the text '…'").
    project.write_area("08", MINIMAL_AREA)
    (project.inputs / "kommune.yaml").unlink()
    (project.inputs / "kommune.yaml").symlink_to(outside / "hemmelig.yaml")
    for argv in (("render", "08", "2017-T1", "--out", "out"), ("check", "2017-T1")):
        result = cli(*argv)
        assert result.code == 1
        assert result.err == (
            "inputs/kommune.yaml: error: kommune file 'kommune.yaml' points outside inputs\n"
            + LINK_HINT)
        assert "hunter2" not in result.err and "HEMMELIG" not in result.err
    assert not project.out.exists()


def test_an_output_period_folder_that_links_outside_out_is_refused(
    project: Project, outside: Path, cli: Callable[..., Result]
) -> None:
    project.write_area("08", MINIMAL_AREA)
    project.out.mkdir()
    (project.out / "2017-T1").symlink_to(outside, target_is_directory=True)
    before = snapshot(outside)
    result = cli("render", "08", "2017-T1", "--out", "out")
    assert result.code == 1
    assert result.err == (
        f"out/2017-T1: error: out/2017-T1 is a link to {outside}, outside the output folder\n"
        "  hint: remove the link; reportgen writes only inside --out\n")
    assert snapshot(outside) == before


def test_an_output_that_is_a_link_outside_is_replaced_never_written_through(
    project: Project, outside: Path, cli: Callable[..., Result]
) -> None:
    project.write_area("08", MINIMAL_AREA)
    (project.out / "2017-T1").mkdir(parents=True)
    (project.out / "2017-T1" / "08.html").symlink_to(outside / "hemmelig.yaml")
    before = snapshot(outside)
    refused = cli("render", "08", "2017-T1", "--out", "out", "--format", "html")
    assert refused.code == 1
    assert refused.err.startswith("out/2017-T1/08.html: error: this file was changed after"
                                  " reportgen wrote it")
    forced = cli("render", "08", "2017-T1", "--out", "out", "--format", "html", "--force")
    assert forced.code == 0, forced.err
    assert snapshot(outside) == before  # the file the link pointed to is untouched
    written = project.output("08.html")
    assert not written.is_symlink() and b"<!DOCTYPE html>" in written.read_bytes()
    kept = [p for p in (project.out / "2017-T1").iterdir() if p.name.startswith("08.edited-")]
    assert len(kept) == 1 and kept[0].is_symlink()  # the link itself, moved aside


# --- YAML ------------------------------------------------------------------------------------------

STATUS = ("økonomisk_status:\n  fakta: Forbruk.\n  vurdering: Ingen avvik.\n"
          "  konklusjon: Balanse.\n")
TAG_HINT = "  hint: remove the `!` tag: inputs are plain text, numbers, lists and mappings\n"


def test_python_tags_are_refused_and_nothing_runs(
    project: Project, tmp_path: Path, cli: Callable[..., Result]
) -> None:
    pwned = tmp_path / "pwned"
    project.write_area("08", f'ingress: !!python/object/apply:os.system ["touch {pwned}"]\n'
                       + STATUS)
    result = cli("render", "08", "2017-T1", "--out", "out")
    assert result.code == 1
    assert result.err == (
        f"{AREA}:1:10: error: invalid YAML: the tag"
        " 'tag:yaml.org,2002:python/object/apply:os.system' is not allowed\n" + TAG_HINT)
    assert not pwned.exists()
    assert not project.out.exists()


@pytest.mark.parametrize(("text", "message"), [
    # Before: !!binary was read, its bytes passed the control-character check as text, and
    # AQ== (U+0001) made the DOCX render fail with an internal error.
    ("ingress: !!binary AQ==\n",
     "1:10: error: invalid YAML: the tag 'tag:yaml.org,2002:binary' is not allowed\n"),
    ("ingress: !!binary aGVtbWVsaWc=\n",
     "1:10: error: invalid YAML: the tag 'tag:yaml.org,2002:binary' is not allowed\n"),
    ("ingress: !!set {a, b}\n",
     "1:10: error: invalid YAML: the tag 'tag:yaml.org,2002:set' is not allowed\n"),
    ("ingress: !lokal Tekst\n",
     "1:10: error: invalid YAML: the tag '!lokal' is not allowed\n"),
], ids=["binary control character", "binary text", "set", "local tag"])
def test_other_tags_are_refused(text: str, message: str, project: Project,
                                cli: Callable[..., Result]) -> None:
    project.write_area("08", text + STATUS)
    result = cli("render", "08", "2017-T1", "--out", "out")
    assert (result.code, result.err) == (1, f"{AREA}:{message}" + TAG_HINT)
    assert not project.out.exists()


def test_duplicate_keys_are_an_error(project: Project, cli: Callable[..., Result]) -> None:
    project.write_area("08", "ingress: Første\n" + STATUS.replace(
        "  konklusjon: Balanse.\n", "  konklusjon: Balanse.\n  fakta: Andre gang.\n"))
    result = cli("render", "08", "2017-T1", "--out", "out")
    assert (result.code, result.err) == (1, (
        f"{AREA}:6:3: error: duplicate key 'fakta' (first written at line 3)\n"
        "  hint: YAML would silently keep only the last one; merge the two or rename one\n"))


def test_billion_laughs_fails_at_once_with_a_clear_message(
    project: Project, cli: Callable[..., Result]
) -> None:
    lines = ['a: &a ["lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol"]']
    for prev, name in zip("abcdefghi", "bcdefghij"):
        lines.append(f"{name}: &{name} [" + ", ".join([f"*{prev}"] * 10) + "]")
    project.write_area("08", "\n".join(lines) + "\n")  # 10^10 strings if expanded
    result = cli("render", "08", "2017-T1", "--out", "out")
    assert (result.code, result.err) == (1, (
        f"{AREA}:1:64: error: more than 50000 values after expanding aliases\n"
        "  hint: anchors and aliases (&, *) are not needed in report inputs; write the text"
        " out\n"))


def test_a_file_over_the_size_limit_is_refused_unread(
    project: Project, cli: Callable[..., Result]
) -> None:
    project.write_area("08", "ingress: |\n" + "  Lang tekst.\n" * 170_000)  # 2.2 MB
    size = (project.inputs / "2017-T1" / "08.yaml").stat().st_size
    result = cli("render", "08", "2017-T1", "--out", "out")
    assert (result.code, result.err) == (1, (
        f"{AREA}: error: file is {size} bytes, more than the limit of 1000000\n"
        "  hint: split the text or remove pasted binary content\n"))


@pytest.mark.parametrize(("depth", "message"), [
    (100, "1:30: error: nested more than 20 levels deep\n"
          "  hint: check the indentation: the input schema is only a few levels deep\n"),
    (5000, "1:1: error: the file is nested too deeply\n"
           "  hint: the input schema needs at most 20 levels\n"),
])
def test_deep_nesting_is_refused(depth: int, message: str, project: Project,
                                 cli: Callable[..., Result]) -> None:
    project.write_area("08", "ingress: " + "[" * depth + "]" * depth + "\n")
    result = cli("render", "08", "2017-T1", "--out", "out")
    assert (result.code, result.err) == (1, f"{AREA}:{message}")


def test_block_nesting_100_levels_deep_is_refused(project: Project,
                                                  cli: Callable[..., Result]) -> None:
    text = "ingress:\n" + "".join("  " * (i + 1) + f"k{i}:\n" for i in range(100))
    project.write_area("08", text + "  " * 101 + "v\n")
    result = cli("render", "08", "2017-T1", "--out", "out")
    assert result.code == 1
    assert result.err.endswith(": error: nested more than 20 levels deep\n"
                               "  hint: check the indentation: the input schema is only a few"
                               " levels deep\n")


def test_no_environment_variable_or_file_reaches_the_output(
    project: Project, cli: Callable[..., Result], monkeypatch: pytest.MonkeyPatch
) -> None:
    # YAML has no include and no variable expansion: `${HOME}` and `<<: *x` stay text/refused.
    monkeypatch.setenv("REPORTGEN_HEMMELIG", "hunter2")
    project.write_area("08", dict(MINIMAL_AREA, ingress="${REPORTGEN_HEMMELIG} $HOME ~/fil"))
    assert cli("render", "08", "2017-T1", "--out", "out", "--format", "html").code == 0
    texts = [p.text() for p in html_document(project.output("08.html")).iter("p")]
    assert "${REPORTGEN_HEMMELIG} $HOME ~/fil" in texts
    assert b"hunter2" not in project.output("08.html").read_bytes()
    assert os.environ["REPORTGEN_HEMMELIG"] == "hunter2"
