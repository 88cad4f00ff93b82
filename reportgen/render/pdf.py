"""PDF renderer: the HTML page printed by WeasyPrint with templates/html/css/print.css.

WeasyPrint may fetch only files inside the templates folder (fonts, stylesheets) and data:
URLs (the chart); the network and every other file are refused. WeasyPrint logs problems
instead of raising: errors become TemplateError, warnings are collected for the caller.
"""

from __future__ import annotations

import contextlib
import logging
import os
from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING, Any
from urllib.parse import unquote, urlparse

from reportgen import project
from reportgen.errors import OutputError, SourceLocation, TemplateError
from reportgen.messages import _
from reportgen.render import pdfstyles

if TYPE_CHECKING:
    from reportgen.render import RenderOptions
    from reportgen.view import DocumentView

PRINT_CSS = Path("html") / "css" / "print.css"
# One FontConfiguration per process (building it costs ~50 ms), and the pid that made it. A
# worker forked from a process that had one makes its own: WeasyPrint writes each @font-face
# font into the configuration's temporary folder, and two workers writing the same file there
# truncate it under each other's memory map (the worker dies of SIGBUS).
_font_config: Any = None
_font_pid = 0


def import_weasyprint() -> None:
    """Import WeasyPrint and what a render uses of it, without building anything: for a
    process that forks the workers (no font configuration, whose temporary folder would be
    left behind by a process that is killed)."""
    with _one_library_lookup():
        import weasyprint  # noqa: F401
        import weasyprint.pdf  # noqa: F401
        from weasyprint.text import fonts  # noqa: F401


def warm_up() -> None:
    """Import WeasyPrint and build this process's font configuration ahead of its first
    render."""
    global _font_config, _font_pid
    if _font_config is None or _font_pid != os.getpid():
        if _font_config is not None:  # the parent's: its folder stays the parent's to remove
            _font_config._folder = None
            pdfstyles.forget(_font_config)
        import_weasyprint()
        from weasyprint.text.fonts import FontConfiguration

        _font_config, _font_pid = FontConfiguration(), os.getpid()


@contextlib.contextmanager
def _one_library_lookup() -> Iterator[None]:
    """WeasyPrint finds Pango, HarfBuzz and fontconfig by trying several names each with
    ctypes.util.find_library, which runs ldconfig (and gcc) for every try: half of its import
    time. One reading of the linker cache answers all of them."""
    import ctypes.util
    import subprocess

    original = ctypes.util.find_library
    try:
        listing = subprocess.run(["ldconfig", "-p"], capture_output=True, text=True,
                                 check=True, timeout=10).stdout
    except (OSError, subprocess.SubprocessError):
        yield  # no ldconfig here: keep the slow, general lookup
        return
    known: dict[str, str] = {}
    for line in listing.splitlines()[1:]:
        soname = line.strip().split(" ", 1)[0]
        if soname.startswith("lib") and ".so" in soname:
            known.setdefault(soname[3:soname.index(".so")], soname)
    ctypes.util.find_library = lambda name: known.get(name) or (
        None if name.startswith("lib") or "." in name.removesuffix(".0") else original(name))
    try:
        yield
    finally:
        ctypes.util.find_library = original


def render(html: bytes, templates: Path, options: RenderOptions) -> bytes:
    """The format's entry (see reportgen.render): the HTML format's page, printed."""
    warnings: list[str] = []
    pdf = render_pdf(html.decode("utf-8"), templates, variant=options.pdf_variant,
                     warnings=warnings)
    for warning in warnings:
        options.warn(_("WeasyPrint: {problem}").format(problem=warning))
    return pdf


def check(templates: Path, views: tuple[DocumentView, ...]) -> None:
    """The PDF's own file in the templates folder, print.css, is there (the page it prints is
    the HTML format's, checked there); WeasyPrint is not loaded."""
    _require_print_css(templates)


def _require_print_css(templates: Path) -> None:
    if project.exists(templates / PRINT_CSS):  # a named pipe or a folder: said in words
        project.check_file(templates / PRINT_CSS, error=TemplateError)
    else:
        raise TemplateError(_("{file} not found").format(file=PRINT_CSS.name),
                            location=SourceLocation(str(templates / PRINT_CSS)),
                            hint=_("the templates folder needs {file}, the stylesheet of the"
                                   " PDF").format(file=PRINT_CSS.as_posix()))


def render_pdf(html: str, templates: Path, *, variant: str | None = None,
               warnings: list[str] | None = None) -> bytes:
    """The PDF bytes of an HTML page made by render_html; WeasyPrint's warnings are appended
    to `warnings` (a stylesheet property it ignores, say) for the caller to show."""
    _require_print_css(templates)
    warm_up()
    from weasyprint.urls import FatalURLFetchingError

    from reportgen.render import pdftags

    problems = _Collect()
    logger = logging.getLogger("weasyprint")
    logger.addHandler(problems)
    try:
        document = _laid_out(html, templates, problems)
        pdf = document.write_pdf(pdf_variant=variant, pdf_tags=True,
                                 finisher=pdftags.finisher(variant))
    except FatalURLFetchingError as exc:  # a named pipe or device among the templates
        if exc.args and isinstance(exc.args[0], TemplateError):
            raise exc.args[0] from None
        raise
    except OSError as exc:  # a temporary file of WeasyPrint's (the fonts) cannot be written
        raise OutputError(
            _("cannot make the PDF: WeasyPrint cannot write a temporary file: {reason}").format(
                reason=exc.strerror),
            hint=_("check the free space of the temporary folder (TMPDIR) and the file-size"
                   " limit (`ulimit -f`)")) from exc
    finally:
        logger.removeHandler(problems)
    if warnings is not None:
        warnings += problems.warnings
    if problems.errors:
        raise TemplateError(
            _("WeasyPrint: {problem}").format(problem=problems.errors[0]),
            hint=_("a stylesheet, font or image in the templates folder is missing or broken"),
        )
    return pdf


UNDERFULL = 1 / 3  # a page filled less than this (but the cover, a Del's first page) is a flaw
MAX_LAYOUTS = 3


def _laid_out(html: str, templates: Path, problems: _Collect) -> Any:
    """The laid-out document. Each Del starts a new page (print.css `.new-page`), except where
    that would leave the page before it less than a third full: then the Del follows on that
    page, its heading kept with its text, and the document is laid out again (at most
    MAX_LAYOUTS times; in the sample report once more, for one Del)."""
    from reportgen.inputs import load_hyphenation
    from reportgen.render.hyphenation import prepare
    from reportgen.render.pagination import underfull_breaks

    html = prepare(html, load_hyphenation(templates))
    flowing: list[str] = []
    document = _render_page(html, templates, flowing, problems)
    for _again in range(MAX_LAYOUTS - 1):
        more = underfull_breaks(document, UNDERFULL, flowing)
        if not more:
            break
        flowing += more
        del document  # the next layout is made without this one in memory (it is as large)
        document = _render_page(html, templates, flowing, problems)
    return document


def _render_page(html: str, templates: Path, flowing: list[str], problems: _Collect) -> Any:
    """One layout of the page, print.css after its own styles, the Dels of `flowing` kept on
    the page before them: with the stylesheets parsed once per process where the page allows
    (reportgen.render.pdfstyles), else with the stylesheets in the page."""
    from weasyprint import HTML
    from weasyprint.urls import path2url

    from reportgen.render.pagination import flowing_css

    base, fetcher = str(templates / "html") + "/", _fetcher_inside(templates)
    apart, print_css = pdfstyles.page_without_styles(html), templates / PRINT_CSS
    try:  # as WeasyPrint's fetcher would read it; it says what is wrong with the file
        data = project.read_file(print_css, limit=None, root=templates, error=TemplateError)
    except TemplateError:
        apart = None
    if apart is None or not pdfstyles.kept_apart(data):
        page = _with_print_css(html, flowing_css(flowing))
        return HTML(string=page, base_url=base, url_fetcher=fetcher).render(
            font_config=_font_config)
    page, texts = apart
    sheets = [pdfstyles.parsed_sheet(text, base, fetcher, _font_config, problems)
              for text in texts]
    sheets.append(pdfstyles.parsed_sheet(data, path2url(print_css), fetcher, _font_config,
                                         problems))
    if flowing:
        sheets.append(pdfstyles.parsed_sheet(flowing_css(flowing), base, fetcher, _font_config,
                                             problems))
    return HTML(string=page, base_url=base, url_fetcher=fetcher).render(
        font_config=_font_config, stylesheets=sheets)


def _with_print_css(html: str, extra_css: str = "") -> str:
    """The page with print.css linked after its own styles (screen.css), so that print.css
    overrides them. Given to WeasyPrint as `stylesheets=` it would be a *user* stylesheet,
    which loses to every author rule of the page, whatever its specificity."""
    link = f'<link rel="stylesheet" href="{PRINT_CSS.relative_to("html").as_posix()}">\n'
    if extra_css:
        link += f"<style>{extra_css}</style>\n"
    head_end = html.find("</head>")  # the first one: text in the page is escaped
    if head_end < 0:
        raise TemplateError(_("the HTML template has no </head>"),
                            hint=_("templates/html/document.html.j2 must be a complete page"))
    return html[:head_end] + link + html[head_end:]


class _Collect(logging.Handler):
    def __init__(self) -> None:
        super().__init__(logging.WARNING)
        self.errors: list[str] = []
        self.warnings: list[str] = []

    def emit(self, record: logging.LogRecord) -> None:
        kept = self.errors if record.levelno >= logging.ERROR else self.warnings
        kept.append(record.getMessage())


def _fetcher_inside(templates: Path) -> Any:
    """WeasyPrint's fetcher for fonts and stylesheets: only ordinary files inside `templates`
    (and data: URLs). Another file is a ValueError, which WeasyPrint reports as an error; a
    named pipe or a device there stops the PDF with a TemplateError naming it."""
    from weasyprint.urls import FatalURLFetchingError, URLFetcher

    root = templates.resolve()

    class InsideTemplates(URLFetcher):  # type: ignore[misc]
        def fetch(self, url: str, headers: Any = None) -> Any:
            scheme = urlparse(url).scheme.lower()
            if scheme == "file":
                path = Path(unquote(urlparse(url).path)).resolve()
                if not path.is_relative_to(root):
                    raise ValueError(_("refused: {url} is outside the templates folder").format(
                        url=url))
                if project.exists(path):
                    try:
                        project.check_file(path, error=TemplateError)
                    except TemplateError as exc:
                        raise FatalURLFetchingError(exc) from None
            elif scheme != "data":
                raise ValueError(_("refused: {url} (reportgen never fetches from the"
                                   " network)").format(url=url))
            return super().fetch(url, headers)

    return InsideTemplates(allowed_protocols={"file", "data"}, timeout=1)
