"""The page numbers of the DOCX contents, as LibreOffice lays the document out.

A DOCX holds no pages: only a program that lays the document out knows where a heading lands.
Word computes the contents when asked ("Update table"), LibreOffice never does on opening, and
both show the TOC field's cached result until then. So where LibreOffice is installed, the
DOCX renderer lays its document out once with it (headless, in a profile of its own, to a PDF
in a temporary folder), reads the page of every heading from that PDF's outline, and writes
the numbers into the cached result. Without LibreOffice the contents hold the titles alone.

REPORTGEN_SOFFICE names the program (a path), or turns this off ("" or "none"); by default
`soffice` (or `libreoffice`) is looked up on PATH.
"""

from __future__ import annotations

import os
import shutil
import signal
import subprocess
import tempfile
from pathlib import Path

from reportgen.messages import _
from reportgen.view import DocumentView

ENVIRONMENT = "REPORTGEN_SOFFICE"
TIMEOUT = 180  # seconds: a long report takes LibreOffice ~5 s; a hung one must not hang render


class LayoutFailed(Exception):
    """LibreOffice could not lay the document out; the message says why, for a warning."""


def find_soffice() -> str | None:
    """The LibreOffice program to use, or None (not installed, or turned off)."""
    chosen = os.environ.get(ENVIRONMENT)
    if chosen is not None:
        return None if chosen.strip().lower() in ("", "none", "off", "0") else chosen
    return shutil.which("soffice") or shutil.which("libreoffice")


def contents_pages(view: DocumentView, docx: bytes, soffice: str) -> dict[str, str]:
    """Each contents entry's page, by heading anchor, in LibreOffice's layout of `docx`."""
    outline = heading_pages(docx, soffice)
    pages: dict[str, str] = {}
    at = 0
    for heading in view.contents:
        wanted = _squash(heading.text)
        while at < len(outline) and _squash(outline[at][0]) != wanted:
            at += 1
        if at == len(outline):
            raise LayoutFailed(_("LibreOffice's layout has no heading {heading!r}").format(
                heading=heading.text))
        pages[heading.anchor] = str(outline[at][1])
        at += 1
    return pages


def heading_pages(docx: bytes, soffice: str) -> list[tuple[str, int]]:
    """Every heading of the document, in order, with its page: the outline of the PDF that
    LibreOffice makes of it."""
    with tempfile.TemporaryDirectory(prefix="reportgen-soffice-") as folder:
        work = Path(folder)
        source = work / "document.docx"
        source.write_bytes(docx)
        _convert(soffice, source, work)
        pdf = work / "out" / "document.pdf"
        if not pdf.is_file():
            raise LayoutFailed(_("LibreOffice wrote no PDF"))
        return _outline(pdf)


def _convert(soffice: str, source: Path, work: Path) -> None:
    command = [soffice, f"-env:UserInstallation={(work / 'profile').as_uri()}", "--headless",
               "--norestore", "--nologo", "--convert-to", "pdf", "--outdir",
               str(work / "out"), str(source)]
    try:
        process = subprocess.Popen(command, stdin=subprocess.DEVNULL, stdout=subprocess.PIPE,
                                   stderr=subprocess.STDOUT, start_new_session=True)
    except OSError as exc:
        raise LayoutFailed(_("cannot start {program}: {reason}").format(
            program=soffice, reason=exc.strerror)) from exc
    try:
        output, _errors = process.communicate(timeout=TIMEOUT)
    except subprocess.TimeoutExpired:
        _end(process)
        raise LayoutFailed(_("LibreOffice took longer than {seconds} s").format(
            seconds=TIMEOUT)) from None
    except BaseException:  # Ctrl-C: LibreOffice (its own session) must not outlive render
        _end(process)
        raise
    if process.returncode != 0:
        said = output.decode("utf-8", "replace").strip().splitlines()[-1:] or [_("nothing")]
        raise LayoutFailed(_("LibreOffice failed (exit {status}): {output}").format(
            status=process.returncode, output=said[0]))


def _end(process: subprocess.Popen[bytes]) -> None:
    """End LibreOffice's process group (soffice starts soffice.bin), and reap it."""
    try:
        os.killpg(process.pid, signal.SIGKILL)
    except ProcessLookupError:
        pass
    process.wait()


def _outline(pdf: Path) -> list[tuple[str, int]]:
    from pypdf import PdfReader
    from pypdf.errors import PyPdfError

    try:
        reader = PdfReader(pdf)
        found: list[tuple[str, int]] = []

        def walk(items: list) -> None:  # type: ignore[type-arg]
            for item in items:
                if isinstance(item, list):
                    walk(item)
                else:
                    found.append((str(item.title), reader.get_destination_page_number(item) + 1))

        walk(reader.outline)
    except (PyPdfError, OSError, ValueError, KeyError) as exc:
        raise LayoutFailed(_("cannot read LibreOffice's PDF: {reason}").format(
            reason=exc)) from exc
    return found


def _squash(text: str) -> str:
    return " ".join(text.split())
