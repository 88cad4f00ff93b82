"""Files are opened safely, once; exit status 70 only for bugs.

What a file system can put where reportgen expects an ordinary file or folder: a named pipe
(FIFO), a device (/dev/zero), a folder, a link that loops; outputs that cannot be written (a
folder in the way, an unwritable folder, the file-size limit); streams that cannot be printed
to (a full file, a broken pipe, a closed stdout); and values from outside (SOURCE_DATE_EPOCH,
digits of other scripts). Each is exit 1 (2 for the command line) with a message in words,
and nothing outside the output folder changes.

The cases that used to hang (a named pipe) or eat all memory (/dev/zero) run the real command
as a separate process, with a timeout and a memory limit; so do those that need a limit of the
process (RLIMIT_FSIZE) or its standard streams. The others run in this process.
"""

from __future__ import annotations

import errno
import html
import http.client
import os
import re
import resource
import select
import shutil
import signal
import subprocess
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from helpers import (
    MINIMAL_AREA,
    TEMPLATES,
    Project,
    Result,
    dump_yaml,
    errors_in_check,
    reportgen_command,
    snapshot,
)

PERIOD = "2017-T1"
AREA = "inputs/2017-T1/08.yaml"
WAIT = 30  # seconds: the bound that proves "no hang" (a run takes about one)
MEMORY = 2 * 1024 ** 3  # address space of a run that must not read /dev/zero
FIFO = "this is a named pipe (FIFO), not a file"
NOT_A_FILE_HINT = "  hint: reportgen reads only ordinary files: put the file itself here\n"
LOOP = "this is a symbolic link that loops back on itself"
LOOP_HINT = "  hint: point the link at a real file, or put the file itself here\n"
LINK_HINT = "  hint: keep input files inside inputs; symbolic links may not leave it\n"
FILE_SIZE_HINT = ("  hint: the file is larger than this session may write (the file-size limit,"
                  " `ulimit -f`): raise the limit, or write to another place\n")
HTML = ("render", "08", PERIOD, "--out", "out", "--format", "html", "--quiet")


def run(root: Path, *argv: str, fsize: int | None = None, memory: int | None = None,
        close: int | None = None, stdout: Any = subprocess.PIPE) -> Result:
    """The command as a separate process in `root`, within WAIT seconds: at most `fsize`
    bytes per file written (RLIMIT_FSIZE), `memory` bytes of address space, standard
    descriptor `close` closed."""
    def limits() -> None:
        if fsize is not None:
            resource.setrlimit(resource.RLIMIT_FSIZE, (fsize, fsize))
        if memory is not None:
            resource.setrlimit(resource.RLIMIT_AS, (memory, memory))
        if close is not None:
            os.close(close)

    done = subprocess.run([*reportgen_command(), *argv], cwd=root, stdout=stdout,
                          stderr=subprocess.PIPE, timeout=WAIT, preexec_fn=limits)
    out = done.stdout.decode("utf-8") if isinstance(done.stdout, bytes) else ""
    return Result(done.returncode, out, done.stderr.decode("utf-8"))


def pipe_at(path: Path) -> None:
    """A named pipe where a file was (nobody ever writes to it: reading it waits forever)."""
    if os.path.lexists(path):
        path.unlink()
    os.mkfifo(path)


def own_templates(project: Project) -> Path:
    """templates/ as a copy of its own (it is a link to the real one), to put pipes in."""
    templates = project.root / "templates"
    templates.unlink()
    shutil.copytree(TEMPLATES, templates)
    return templates


# --- named pipes and devices among the inputs --------------------------------------------------

@pytest.mark.parametrize(("where", "commands"), [
    (AREA, [("render", "08", PERIOD), ("render", "all", PERIOD), ("check", PERIOD),
            ("new", "08", "2017-T2")]),
    ("inputs/kommune.yaml", [("render", "08", PERIOD), ("check", PERIOD)]),
    ("inputs/2017-T1/rapport.yaml", [("render", "all", PERIOD), ("check", PERIOD)]),
], ids=["area", "kommune", "rapport"])
def test_a_named_pipe_among_the_inputs_is_refused_at_once(
        where: str, commands: list[tuple[str, ...]], project: Project) -> None:
    # Before: `render` read it in planning and waited forever.
    project.write_area("08", MINIMAL_AREA)
    pipe_at(project.root / where)
    before = snapshot(project.root)
    for argv in commands:
        result = run(project.root, *argv, *(("--out", "out") if argv[0] == "render" else ()))
        assert (result.code, errors_of(argv, result)) == (
            1, f"{where}: error: {FIFO}\n" + NOT_A_FILE_HINT)
    assert snapshot(project.root) == before


def errors_of(argv: tuple[str, ...], result: Result) -> str:
    """The errors the command printed: check prints them area by area, beside warnings."""
    return errors_in_check(result.err) if argv[0] == "check" else result.err


@pytest.mark.parametrize(("target", "commands"), [
    (AREA, [("render", "08", PERIOD), ("render", "all", PERIOD), ("check", PERIOD)]),
    ("inputs/kommune.yaml", [("render", "08", PERIOD), ("check", PERIOD)]),
], ids=["area", "kommune"])
def test_a_link_to_dev_zero_outside_the_inputs_is_refused_unread(
        target: str, commands: list[tuple[str, ...]], project: Project) -> None:
    # Before: `render` read /dev/zero (all memory) to plan, and only then refused the link.
    project.write_area("08", MINIMAL_AREA)
    (project.root / target).unlink()
    (project.root / target).symlink_to("/dev/zero")
    what = "area file '2017-T1/08.yaml'" if target == AREA else "kommune file 'kommune.yaml'"
    before = snapshot(project.root)
    for argv in commands:
        result = run(project.root, *argv, *(("--out", "out", "--format", "html")
                                            if argv[0] == "render" else ()), memory=MEMORY)
        assert (result.code, errors_of(argv, result)) == (
            1, f"{target}: error: {what} points outside inputs\n" + LINK_HINT)
    assert snapshot(project.root) == before


@pytest.mark.parametrize(("name", "fmt"), [
    ("html/document.html.j2", "html"),
    ("html/css/print.css", "pdf"),
    ("fonts/Carlito-Regular.ttf", "pdf"),
    ("docx/document.docx", "docx"),
    ("labels.yaml", "html"),
])
def test_a_named_pipe_among_the_templates_is_refused_at_once(
        name: str, fmt: str, project: Project) -> None:
    # Before: `render` read every template file to plan, and waited forever on the pipe.
    project.write_area("08", MINIMAL_AREA)
    pipe_at(own_templates(project) / name)
    before = snapshot(project.root)
    result = run(project.root, "render", "08", PERIOD, "--out", "out", "--format", fmt, "-q")
    assert (result.code, result.err) == (1, f"templates/{name}: error: {FIFO}\n"
                                         + NOT_A_FILE_HINT)
    assert snapshot(project.root) == before


def test_a_named_pipe_the_templates_do_not_use_is_never_opened(project: Project) -> None:
    project.write_area("08", MINIMAL_AREA)
    pipe_at(own_templates(project) / "html" / "notater")
    result = run(project.root, *HTML)
    assert (result.code, result.err) == (0, "")
    assert project.output("08.html").is_file()


# --- serve -----------------------------------------------------------------------------------

def page_text(port: int, path: str) -> str:
    """The visible text of a served page."""
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=WAIT)
    try:
        conn.request("GET", path)
        body = conn.getresponse().read().decode("utf-8")
    finally:
        conn.close()
    body = re.sub(r"<(script|style)\b.*?</\1>", " ", body, flags=re.S)
    return " ".join(html.unescape(re.sub(r"<[^>]+>", " ", body)).split())


def shows(port: int, text: str) -> str:
    """Page /08 once it shows `text` (the preview polls the files): at most WAIT seconds."""
    deadline = time.monotonic() + WAIT
    while time.monotonic() < deadline:
        page = page_text(port, "/08")
        if text in page:
            return page
        time.sleep(0.1)
    raise AssertionError(f"/08 never showed {text!r}; it shows {page[:500]!r}")


def put(path: Path, make: Callable[[Path], None]) -> None:
    """Replace `path` in one rename by what `make` creates beside it, as an editor saves."""
    temporary = path.with_name(f".{path.name}.ny")
    make(temporary)
    os.replace(temporary, path)


def test_serve_shows_pipes_and_links_out_as_problems_and_keeps_serving(
        project: Project) -> None:
    # Before: a named pipe hung the watcher (and the start: no page at all); a link to
    # /dev/zero was read at every poll, gigabytes, while the old page was served.
    templates = own_templates(project)
    (project.inputs / PERIOD).mkdir(parents=True)
    pipe_at(project.root / AREA)
    process = subprocess.Popen([*reportgen_command(), "serve", PERIOD, "--port", "0"],
                               cwd=project.root, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                               text=True, preexec_fn=lambda: resource.setrlimit(
                                   resource.RLIMIT_AS, (MEMORY, MEMORY)))
    try:
        ready, _, _ = select.select([process.stdout], [], [], WAIT)
        assert ready, "the server did not start"
        first = process.stdout.readline()  # type: ignore[union-attr]
        match = re.fullmatch(r"Serving 2017-T1 on http://127\.0\.0\.1:(\d+)/ \(Ctrl-C to stop\)\n",
                             first)
        assert match, first
        port = int(match.group(1))
        shows(port, f"{AREA}: error: {FIFO} hint: reportgen reads only ordinary files")

        put(project.root / AREA, lambda p: p.write_text(dump_yaml(MINIMAL_AREA), "utf-8"))
        shows(port, "Kort ingress.")
        put(project.root / AREA, lambda p: p.symlink_to("/dev/zero"))
        shows(port, f"{AREA}: error: area file '2017-T1/08.yaml' points outside inputs")
        put(project.root / AREA, lambda p: p.write_text(dump_yaml(MINIMAL_AREA), "utf-8"))
        shows(port, "Kort ingress.")
        put(templates / "html" / "document.html.j2", os.mkfifo)
        shows(port, f"templates/html/document.html.j2: error: {FIFO}")
        process.send_signal(signal.SIGINT)
        out, err = process.communicate(timeout=WAIT)
    finally:
        if process.poll() is None:
            process.kill()
            process.communicate()
    assert (process.returncode, out) == (0, "stopped\n"), err
    assert f"{AREA}: error: {FIFO}\n" + NOT_A_FILE_HINT in err
    assert "Traceback" not in err
    assert not (project.root / "build").exists()


# --- outputs ---------------------------------------------------------------------------------

@pytest.mark.parametrize(("make", "where", "message"), [
    ("out", "out", "this is a file, not a folder\n  hint: --out names the folder the documents"
     " go into (made when missing): choose another, or move this away\n"),
    ("out/2017-T1", "out/2017-T1", "this is a file, not a folder\n  hint: reportgen keeps the"
     " period's documents in a folder of this name: move this away, or choose another --out\n"),
    ("loop", "out/2017-T1", f"{LOOP}, not a folder\n  hint: reportgen keeps the period's"
     " documents in a folder of this name: move this away, or choose another --out\n"),
], ids=["out is a file", "period is a file", "period loops"])
def test_an_output_folder_that_is_not_a_folder_is_refused(
        make: str, where: str, message: str, project: Project,
        cli: Callable[..., Result]) -> None:
    # Before: an internal error (exit 70) while looking for edited outputs in it.
    project.write_area("08", MINIMAL_AREA)
    if make == "loop":
        project.out.mkdir()
        (project.out / PERIOD).symlink_to(PERIOD)
    else:
        project.write({make: "ikke en mappe\n"})
    before = snapshot(project.root)
    result = cli(*HTML)
    assert (result.code, result.err) == (1, f"{where}: error: {message}")
    assert snapshot(project.root) == before


@pytest.mark.parametrize(("name", "kind"), [
    ("08.html", "folder"), ("08.pdf", "folder"), ("08.html", "named pipe (FIFO)"),
    (".reportgen.json", "folder"), (".reportgen.json", "named pipe (FIFO)"),
], ids=["html folder", "pdf folder", "html pipe", "manifest folder", "manifest pipe"])
def test_an_output_path_that_is_a_folder_or_a_pipe_is_refused(
        name: str, kind: str, project: Project) -> None:
    # Before: an internal error (exit 70) for a folder; a pipe hung the edited-file check.
    project.write_area("08", MINIMAL_AREA)
    path = project.out / PERIOD / name
    if kind == "folder":
        project.write({f"out/{PERIOD}/{name}/inni.txt": "noe\n"})
    else:
        path.parent.mkdir(parents=True)
        os.mkfifo(path)
    before = snapshot(project.root)
    for force in ((), ("--force",)):
        result = run(project.root, "render", "08", PERIOD, "--out", "out", "-q", *force)
        assert (result.code, result.err) == (1, (
            f"out/{PERIOD}/{name}: error: this is a {kind}, not a file; reportgen will not"
            " replace it\n  hint: move it away (or remove it), then render again\n"))
    assert snapshot(project.root) == before  # no other output written either


def test_an_unwritable_output_folder_is_a_clear_error(project: Project,
                                                      cli: Callable[..., Result]) -> None:
    project.write_area("08", MINIMAL_AREA)
    assert cli(*HTML).code == 0
    project.write_area("08", dict(MINIMAL_AREA, ingress="Ny ingress."))
    folder = project.out / PERIOD
    before = snapshot(project.root)
    if os.geteuid() == 0:  # root writes whatever the permissions, but not into an immutable
        if shutil.which("chattr") is None or subprocess.run(  # folder
                ["chattr", "+i", folder], capture_output=True).returncode != 0:
            pytest.skip("running as root, and chattr +i is not available here")
        code = errno.EPERM
    else:
        folder.chmod(0o555)
        code = errno.EACCES
    try:
        result = cli(*HTML)
    finally:
        if code == errno.EPERM:
            subprocess.run(["chattr", "-i", folder], check=True)
        folder.chmod(0o755)
    # The render takes the folder's lock before it writes (tests/test_concurrency.py): that
    # is where it first meets the folder it may not write into.
    assert (result.code, result.err) == (1, (
        f"out/{PERIOD}/.reportgen.lock: error: cannot lock the output folder:"
        f" {os.strerror(code)}\n"
        "  hint: check the permissions of the output folder, or remove the file if it is"
        " not a plain file\n"))
    assert snapshot(project.root) == before


def test_the_file_size_limit_while_writing_outputs_leaves_them_as_they_were(
        project: Project, cli: Callable[..., Result]) -> None:
    # Before: exit 1 for the outputs, but an internal error (exit 70) for the PDF, whose
    # fonts WeasyPrint writes to temporary files.
    project.write_area("08", MINIMAL_AREA)
    assert cli(*HTML).code == 0
    project.write_area("08", dict(MINIMAL_AREA, ingress="Ny ingress."))
    before = snapshot(project.root)
    result = run(project.root, *HTML, fsize=2048)
    assert (result.code, result.err) == (
        1, f"out/{PERIOD}/08.html: error: cannot write output: File too large\n"
        + FILE_SIZE_HINT)
    pdf = run(project.root, "render", "08", PERIOD, "--out", "out", "--format", "pdf", "-q",
              fsize=20_000)
    assert (pdf.code, pdf.err) == (1, (
        "error: cannot make the PDF: WeasyPrint cannot write a temporary file: File too large\n"
        "  hint: check the free space of the temporary folder (TMPDIR) and the file-size limit"
        " (`ulimit -f`)\n"))
    assert snapshot(project.root) == before  # byte for byte, and no temporary file


def test_the_file_size_limit_while_new_writes_leaves_no_half_file(project: Project) -> None:
    project.write_area("08", dict(MINIMAL_AREA, ingress="Lang ingress. " * 50))
    result = run(project.root, "new", "08", "2017-T2", fsize=200)
    assert (result.code, result.err) == (
        1, "inputs/2017-T2/08.yaml: error: cannot write the file: File too large\n"
        + FILE_SIZE_HINT)
    assert list((project.inputs / "2017-T2").iterdir()) == []


@pytest.mark.parametrize("content", [
    b"[]", b'{"outputs": []}', b'{"outputs": {"08.html": 5}}',
    b'{"outputs": {"08.html": {"sources": 1, "written": null}}}', b"\xff\xfe{\x00",
    b"[" * 100_000,
], ids=["list", "outputs a list", "entry a number", "fields not text", "not UTF-8", "deep"])
def test_a_damaged_manifest_knows_nothing_and_the_outputs_are_not_ours(
        content: bytes, project: Project, cli: Callable[..., Result]) -> None:
    # Before: an internal error (exit 70) for `{"outputs": []}`.
    project.write_area("08", MINIMAL_AREA)
    assert cli(*HTML).code == 0
    (project.out / PERIOD / ".reportgen.json").write_bytes(content)
    before = snapshot(project.root)
    result = cli(*HTML)
    assert (result.code, result.err) == (1, (
        f"out/{PERIOD}/08.html: error: this file was changed after reportgen wrote it;"
        " rendering would overwrite the edits\n  hint: save the edits elsewhere, then render"
        " again; or add --force to render anyway, keeping the edited file as a backup beside"
        " it\n"))
    assert snapshot(project.root) == before


# --- links that loop -------------------------------------------------------------------------

@pytest.mark.parametrize(("where", "commands"), [
    (AREA, [("render", "08", PERIOD), ("render", "all", PERIOD), ("check", PERIOD),
            ("new", "08", "2017-T2")]),
    ("inputs/kommune.yaml", [("render", "08", PERIOD), ("check", PERIOD)]),
], ids=["area", "kommune"])
def test_a_symbolic_link_that_loops_is_refused(
        where: str, commands: list[tuple[str, ...]], project: Project,
        cli: Callable[..., Result]) -> None:
    # Before: an internal error (exit 70): "Symlink loop" from Path.resolve.
    project.write_area("08", MINIMAL_AREA)
    link = project.root / where
    link.unlink()
    link.symlink_to(link.name)
    before = snapshot(project.root)
    for argv in commands:
        result = cli(*argv, *(("--out", "out") if argv[0] == "render" else ()))
        assert (result.code, errors_of(argv, result)) == (
            1, f"{where}: error: {LOOP}, not a file\n" + LOOP_HINT)
    assert snapshot(project.root) == before


def test_a_period_folder_that_loops_is_refused(project: Project,
                                               cli: Callable[..., Result]) -> None:
    # Before: "no inputs for 2017-T1", as if the folder were missing.
    (project.inputs / PERIOD).symlink_to(PERIOD)
    before = snapshot(project.root)
    result = cli("check", PERIOD)
    assert (result.code, result.err) == (1, (
        f"inputs/{PERIOD}: error: {LOOP}, not a folder\n"
        "  hint: the period's input files go in a folder of this name\n"))
    assert snapshot(project.root) == before


# --- printing that fails ---------------------------------------------------------------------

@pytest.mark.parametrize("argv", [("check", PERIOD), ("--help",), ("render", "--help")],
                         ids=["check", "help", "render help"])
def test_standard_output_at_the_file_size_limit_is_exit_1(
        argv: tuple[str, ...], project: Project, tmp_path: Path) -> None:
    # Before: an internal error (exit 70) at the first line printed.
    project.write_area("08", MINIMAL_AREA)
    printed = tmp_path / "utskrift.txt"
    printed.write_bytes(b"x" * 4096)
    before = snapshot(project.root)
    with printed.open("ab") as stdout:
        result = run(project.root, *argv, fsize=4096, stdout=stdout)
    assert result.code == 1
    assert result.err.endswith(
        "reportgen: error: cannot write to standard output: File too large\n")
    assert "Traceback" not in result.err and "internal error" not in result.err
    assert printed.read_bytes() == b"x" * 4096
    assert snapshot(project.root) == before


def test_a_broken_pipe_is_exit_1_without_a_word(project: Project) -> None:
    project.write_area("08", MINIMAL_AREA)
    reader, writer = os.pipe()
    os.close(reader)  # the reader has gone, as `| head` does after its lines
    try:
        result = run(project.root, "check", PERIOD, stdout=writer)
    finally:
        os.close(writer)
    assert result.code == 1
    assert "Traceback" not in result.err and "internal error" not in result.err
    assert "cannot write" not in result.err


def test_a_closed_standard_output_is_exit_1(project: Project) -> None:
    project.write_area("08", MINIMAL_AREA)
    result = run(project.root, "check", PERIOD, close=1, stdout=None)
    assert result.code == 1
    assert result.err.endswith("reportgen: error: cannot write to standard output: it is"
                               " closed\n")


def test_a_render_whose_progress_cannot_be_printed_writes_nothing(project: Project) -> None:
    project.write_area("08", MINIMAL_AREA)
    before = snapshot(project.root)
    done = subprocess.run([*reportgen_command(), "render", "08", PERIOD, "--out", "out",
                           "--format", "html"], cwd=project.root, stdout=subprocess.PIPE,
                          stderr=subprocess.DEVNULL, timeout=WAIT,
                          preexec_fn=lambda: os.close(2))
    assert (done.returncode, done.stdout) == (1, b"")
    assert snapshot(project.root) == before


# --- values from outside ---------------------------------------------------------------------

EPOCH_HINT = ("  hint: set it to the seconds since 1970-01-01 UTC, as `date +%s` prints them,"
              " or unset it\n")


@pytest.mark.parametrize(("value", "what"), [
    ("99999999999999999", "99999999999999999 seconds is after the year 9999"),
    ("253402300800", "253402300800 seconds is after the year 9999"),
    ("-1", "'-1' is not a whole number of seconds"),
    ("1.5", "'1.5' is not a whole number of seconds"),
    ("i går", "'i går' is not a whole number of seconds"),
    ("", "'' is not a whole number of seconds"),
    ("١٥٠٠٠٠٠٠٠٠", "'١٥٠٠٠٠٠٠٠٠' is not a whole number of seconds"),
], ids=["huge", "year 10000", "negative", "fraction", "words", "empty", "arabic digits"])
def test_source_date_epoch_that_is_no_date_is_a_usage_error(
        value: str, what: str, project: Project, cli: Callable[..., Result],
        monkeypatch: pytest.MonkeyPatch) -> None:
    # Before: 99999999999999999 was an internal error (exit 70); the others were ignored
    # silently, while the fonts of the PDF (fontTools) read the variable on their own.
    project.write_area("08", MINIMAL_AREA)
    monkeypatch.setenv("SOURCE_DATE_EPOCH", value)
    before = snapshot(project.root)
    for argv in (HTML, ("serve", PERIOD, "--port", "0")):
        result = cli(*argv)
        assert (result.code, result.err) == (2, f"error: SOURCE_DATE_EPOCH: {what}\n"
                                             + EPOCH_HINT)
    assert snapshot(project.root) == before


def test_the_last_second_source_date_epoch_can_hold_dates_the_documents(
        project: Project, cli: Callable[..., Result], monkeypatch: pytest.MonkeyPatch) -> None:
    project.write_area("08", MINIMAL_AREA)
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "253402300799")
    result = cli(*HTML)
    assert (result.code, result.err) == (0, "")
    assert "9999-12-31" in project.output("08.html").read_text(encoding="utf-8")


@pytest.mark.parametrize("argv", [
    ("render", "²", PERIOD), ("new", "²", "2017-T2"), ("render", "0²", PERIOD),
    ("render", "٠٨", PERIOD),
], ids=["superscript", "new superscript", "zero superscript", "arabic digits"])
def test_digits_of_other_scripts_are_not_an_area_code(
        argv: tuple[str, ...], project: Project, cli: Callable[..., Result]) -> None:
    # Before: `²` was an internal error (exit 70): it is a digit to str.isdigit, not to int.
    project.write_area("08", MINIMAL_AREA)
    before = snapshot(project.root)
    result = cli(*argv)
    assert result.code == 2
    assert result.err.endswith(f"Error: Invalid value for AREA: {argv[1]!r} is not an area"
                               " code: use two digits such as 08, or `all`\n")
    assert snapshot(project.root) == before


def test_a_file_or_register_entry_with_such_digits_is_no_area(
        project: Project, cli: Callable[..., Result]) -> None:
    project.write_area("08", MINIMAL_AREA)
    project.write_area("0²", MINIMAL_AREA)  # not an area file: ignored as notes.yaml would be
    result = cli("check", PERIOD)
    assert result.code == 0, result.err
    assert result.out.startswith(f"{PERIOD}: 1 area ready, 0 with warnings, 0 with errors,")
    assert "inputs/2017-T1/0².yaml: warning: ignored: not an input file\n" in result.err
    project.write({"inputs/kommune.yaml": "kommune: Drammen kommune\nprogramområder:\n"
                                          '  "08": Næring\n  "٠٧": Ledelse\n'})
    result = cli("check", PERIOD)
    assert (result.code, result.err) == (1, (
        "inputs/kommune.yaml:4:9: error: programområder.٠٧.[key]: '٠٧' is not a two-digit"
        ' code\n  hint: write area codes as two digits in quotes, such as "07"\n'))


# --- import ----------------------------------------------------------------------------------

def test_import_refuses_a_named_pipe_for_the_document_and_for_its_input(
        project: Project, cli: Callable[..., Result]) -> None:
    project.write_area("08", MINIMAL_AREA)
    assert cli("render", "08", PERIOD, "--out", "out", "--format", "docx", "-q").code == 0
    pipe_at(project.root / "kopi.docx")
    before = snapshot(project.root)
    result = run(project.root, "import", "kopi.docx", "--yes")
    assert (result.code, result.err) == (1, f"kopi.docx: error: {FIFO}\n" + NOT_A_FILE_HINT)
    pipe_at(project.root / AREA)
    before = snapshot(project.root)
    result = run(project.root, "import", f"out/{PERIOD}/08.docx", "--yes")
    assert (result.code, result.err) == (1, f"{AREA}: error: {FIFO}\n" + NOT_A_FILE_HINT)
    assert snapshot(project.root) == before
